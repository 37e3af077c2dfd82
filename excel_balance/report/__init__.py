"""The report workbook: one writer per sheet, shared formats and CJK width helpers."""
