"""`差异系数`: per year, level and indicator, the district value and the coefficient of variation,
as live formulas over the 学校明细 sheet's raw figures."""

from __future__ import annotations

from excel_balance.evaluate.model import Evaluation
from excel_balance.evaluate.resources import MEASURES
from excel_balance.evaluate.rules import Status
from excel_balance.plan import LEVELS
from excel_balance.report.school_sheet import SchoolSheetLayout, decimal_text
from excel_balance.xlsx.fit import line_count, row_height
from excel_balance.xlsx.formats import ClassicFormulaSheet, Formats

SHEET_NAME = "差异系数"
HEADERS = ["年度", "学段", "指标", "标准", "全区值", "差异系数", "阈值", "差异系数达标", "达标学校"]
WIDTHS = [7, 7, 40, 11, 11, 11, 11, 11, 11]
DISTRICT_COL, CV_COL, THRESHOLD_COL, CV_MARK_COL = 4, 5, 6, 7
CvRows = dict[tuple[int, str, str], int]


def write_cv_sheet(workbook, evaluation: Evaluation, layout: SchoolSheetLayout, formats: Formats) -> CvRows:
    """Returns the row (0-based) of each (year, level, indicator id), for the overview's references."""
    plan = evaluation.plan
    rows: CvRows = {}
    sheet = workbook.add_worksheet(SHEET_NAME, worksheet_class=ClassicFormulaSheet)
    for col, text in enumerate(HEADERS):
        sheet.write_string(0, col, text, formats.header)
        sheet.set_column(col, col, WIDTHS[col])
    # Excel does not grow a row for wrapped text it did not edit itself: the height is set here.
    sheet.set_row(0, row_height(max(line_count(h, w) for h, w in zip(HEADERS, WIDTHS))))
    decimals = plan.settings.compare_decimals
    row = 0
    for year, result in evaluation.years.items():
        for level in LEVELS:
            if (year, level) not in layout.groups:
                continue
            for indicator in plan.indicators:
                if indicator.evaluation != "school_count":
                    continue
                value = result.resources[(level, indicator.id)]
                measure = MEASURES[indicator.measure]
                row += 1
                rows[(year, level, indicator.id)] = row
                picked = layout.rows_of(year, level)
                num = layout.column(layout.numerator_cols[indicator.id])
                students = layout.column(layout.students_col)
                factor = measure.scale * measure.per
                total_num, total_students = f"SUMPRODUCT({picked},{num})", f"SUMPRODUCT({picked},{students})"
                mean = f"({total_num}/{total_students})"
                sheet.write_number(row, 0, year, formats.integer)
                sheet.write_string(row, 1, level, formats.centre)
                sheet.write_string(row, 2, f"{indicator.id} {measure.label}", formats.text)
                sheet.write_number(row, 3, float(indicator.standard[level]), formats.number)
                district = f"={total_num}{'*' + str(factor) if factor != 1 else ''}/{total_students}"
                sheet.write_formula(row, 4, district, formats.number, value.district_value)
                if value.cv is None:
                    sheet.write_string(row, 5, "无数据", formats.status(Status.NO_DATA))
                    sheet.write_string(row, 7, "—", formats.status(Status.NO_DATA))
                else:
                    cv = f"SQRT(SUMPRODUCT({picked}*{students}*({num}/{students}-{mean})^2)/{total_students})/{mean}"
                    cv = cv if decimals is None else f"ROUND({cv},{decimals})"
                    status = formats.status(Status.TARGET_MET if value.cv_ok else Status.BEHIND)
                    sheet.write_formula(row, 5, "=" + cv, formats.number, float(value.cv_shown))
                    sheet.write_formula(row, 7, f'=IF(F{row + 1}<={decimal_text(value.cv_threshold)},"√","×")',
                                        status, "√" if value.cv_ok else "×")
                sheet.write_number(row, 6, float(value.cv_threshold), formats.number)
                sheet.write_string(row, 8, f"{value.met}/{value.total}", formats.centre)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(row, 1), len(HEADERS) - 1)
    sheet.repeat_rows(0)
    return rows
