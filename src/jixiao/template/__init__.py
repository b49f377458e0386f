"""The standardized workbook template: one definition, a builder and a filler."""
