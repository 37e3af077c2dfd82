"""`差异系数`: per year, level and indicator, the district value and the coefficient of variation,
as live formulas over the 学校明细 sheet's raw figures."""

from __future__ import annotations

from excel_balance.evaluate.model import Evaluation
from excel_balance.evaluate.resources import MEASURES
from excel_balance.evaluate.rules import Status
from excel_balance.plan import LEVELS
from excel_balance.report.school_sheet import SchoolSheetLayout, decimal_text
from excel_balance.xlsx.formats import ClassicFormulaSheet, Formats

SHEET_NAME = "差异系数"
HEADERS = ["年度", "学段", "指标", "标准", "全区值", "差异系数", "阈值", "差异系数达标", "达标学校"]


def write_cv_sheet(workbook, evaluation: Evaluation, layout: SchoolSheetLayout, formats: Formats) -> None:
    plan = evaluation.plan
    sheet = workbook.add_worksheet(SHEET_NAME, worksheet_class=ClassicFormulaSheet)
    for col, text in enumerate(HEADERS):
        sheet.write_string(0, col, text, formats.header)
    decimals = plan.settings.compare_decimals
    row = 0
    for year, result in evaluation.years.items():
        for level in LEVELS:
            if (year, level) not in layout.rows:
                continue
            for indicator in plan.indicators:
                if indicator.evaluation != "school_count":
                    continue
                value = result.resources[(level, indicator.id)]
                measure = MEASURES[indicator.measure]
                row += 1
                num = layout.range(year, level, layout.numerator_cols[indicator.id])
                students = layout.range(year, level, layout.students_col)
                factor = measure.scale * measure.per
                mean = f"(SUM({num})/SUM({students}))"
                sheet.write_number(row, 0, year, formats.integer)
                sheet.write_string(row, 1, level, formats.centre)
                sheet.write_string(row, 2, f"{indicator.id} {measure.label}", formats.text)
                sheet.write_number(row, 3, float(indicator.standard[level]), formats.number)
                district = f"=SUM({num}){'*' + str(factor) if factor != 1 else ''}/SUM({students})"
                sheet.write_formula(row, 4, district, formats.number, value.district_value)
                if value.cv is None:
                    sheet.write_string(row, 5, "无数据", formats.status(Status.NO_DATA))
                    sheet.write_string(row, 7, "—", formats.status(Status.NO_DATA))
                else:
                    cv = f"SQRT(SUMPRODUCT({students},({num}/{students}-{mean})^2)/SUM({students}))/{mean}"
                    cv = cv if decimals is None else f"ROUND({cv},{decimals})"
                    status = formats.status(Status.TARGET_MET if value.cv_ok else Status.BEHIND)
                    sheet.write_formula(row, 5, "=" + cv, formats.number, float(value.cv_shown))
                    sheet.write_formula(row, 7, f'=IF(F{row + 1}<={decimal_text(value.cv_threshold)},"√","×")',
                                        status, "√" if value.cv_ok else "×")
                sheet.write_number(row, 6, float(value.cv_threshold), formats.number)
                sheet.write_string(row, 8, f"{value.met}/{value.total}", formats.centre)
    sheet.set_column(0, 1, 7)
    sheet.set_column(2, 2, 40)
    sheet.set_column(3, 8, 11)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(row, 1), len(HEADERS) - 1)
    sheet.repeat_rows(0)
