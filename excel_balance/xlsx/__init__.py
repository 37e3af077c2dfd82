"""The workbook kit every stage shares (census forms, reports, unit workbooks): formats, new
workbooks with a reproducible document time, CJK width and height fitting, print setup.

It sits below census, report and delivery and imports none of them.
"""
