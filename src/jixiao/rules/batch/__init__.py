"""Rules that need the whole batch: cross-workbook checks."""
