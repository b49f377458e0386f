"""Rules of the report group: a narrative 自评报告 (.docx) against itself and against its own workbook."""
