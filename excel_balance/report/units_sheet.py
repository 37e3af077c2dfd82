"""`责任单位`: one column per responsible unit, one row per indicator, coloured by the latest status."""

from __future__ import annotations

from excel_balance.evaluate.figures import off_plan_cells, off_plan_header
from excel_balance.evaluate.model import Evaluation
from excel_balance.evaluate.units import behind_counts, indicator_status
from excel_balance.xlsx.fit import line_count, row_height
from excel_balance.xlsx.formats import Formats

SHEET_NAME = "责任单位"


def write_units_sheet(workbook, evaluation: Evaluation, formats: Formats) -> None:
    plan = evaluation.plan
    sheet = workbook.add_worksheet(SHEET_NAME)
    units = plan.units
    headers = ["编号", "指标", f"{evaluation.latest.year}年状态", *units]
    for col, text in enumerate(headers):
        sheet.write_string(0, col, text, formats.header)
    sheet.set_row(0, row_height(max(line_count(u, 10) for u in headers)))
    for row, indicator in enumerate(plan.indicators, start=1):
        status = indicator_status(evaluation, indicator)
        fmt = formats.status(status)
        sheet.write_string(row, 0, indicator.id, formats.centre)
        sheet.write_string(row, 1, indicator.text, formats.text)
        sheet.write_string(row, 2, f"{status.symbol} {status.value}", fmt)
        for col, unit in enumerate(units, start=3):
            if unit == indicator.lead_unit:
                sheet.write_string(row, col, "牵头", fmt)
            elif unit in indicator.units:
                sheet.write_string(row, col, "配合", fmt)
            else:
                sheet.write_blank(row, col, None, formats.centre)
        sheet.set_row(row, row_height(line_count(indicator.text, 50)))
    row = len(plan.indicators) + 1
    # The figure of the console and the title, split by unit (a cell counts for each of its units).
    sheet.merge_range(row, 0, row, 1, f"{off_plan_header()}：全区、各单位负责的（接近目标、未达年度目标、未达标）",
                      formats.label_cell)
    sheet.write_number(row, 2, len(off_plan_cells(evaluation)), formats.integer)
    counts = behind_counts(evaluation)
    for col, unit in enumerate(units, start=3):
        sheet.write_number(row, col, counts[unit], formats.integer)
    sheet.set_row(row, 45)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 50)
    sheet.set_column(2, 2, 16)
    sheet.set_column(3, 2 + len(units), 10)
    sheet.freeze_panes(1, 3)
    sheet.repeat_rows(0)
