"""The plan form (`excel-balance plan --form`): the `推进规划` table of a district that has no plan
table yet, the 32 national indicators and their areas filled in, 现状, targets and 责任单位 left
for the district to fill, and a 填报说明 sheet. `plan --import` reads it back (plan_import).

The table is the plan sheet's own layout, so a filled form prints like a plan and imports like one.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell

from excel_balance.atomic import atomic_path
from excel_balance.plan import LEVELS, Indicator, Plan, PlanCell, load_plan
from excel_balance.plan_import.build import NOT_APPLICABLE, target_example
from excel_balance.plan_import.tables import FORM_PROPERTY
from excel_balance.report.plan_form_info import own_note_example, write_form_info
from excel_balance.report.plan_sheet import SHEET_NAME, Columns, write_plan_sheet
from excel_balance.resources import template_path
from excel_balance.xlsx.book import document_time, new_workbook
from excel_balance.xlsx.fit import row_height
from excel_balance.xlsx.formats import Formats

# Rows are high enough for three lines (three responsible units) once filled: Excel and LibreOffice
# keep the height the file sets.
FILL_LINES = 3
OWN_NOTE_ROWS = 3  # blank rows under the national footnote for the district's own notes
NOTICE = "请先阅读“填报说明”工作表。白色格填写现状、各年度目标和责任单位；灰色“不适用”格不用填写。"

# What each kind of target cell offers: (dropdown choices or None, Excel formula that a typed text
# should satisfy ({cell} replaced) or None, input message).
_KINDS = {
    "qualitative": (["达标", "无"], None, "从下拉列表选择“达标”或“无”，也可按规划原文填写一句话。"),
    "school_count": (None, 'ISNUMBER(FIND("/",{cell}))', "填写“达标学校数/学校总数”，例如 {example}。"),
    "paired_count": (None, 'AND(ISNUMBER(FIND("音乐",{cell})),ISNUMBER(FIND("美术",{cell})))',
                     "音乐、美术专用教室分别填写，例如 {example}。"),
    "percent": (None, 'OR(ISNUMBER(FIND("%",{cell})),ISNUMBER(FIND("％",{cell})))',
                "填写百分比，例如 {example}、95.50%、保持95%以上。"),
    "number": (None, None, "填写数值和单位，例如 {example}。"),
}


def form_title(district: str) -> str:
    """The plan's title as the import reads the district from it: 某某县创建…发展县推进规划."""
    kind = district[-1]
    return f"{district}创建全国义务教育优质均衡发展{kind}推进规划"


def not_applicable(indicator: Indicator) -> set[str]:
    """The levels the national plan leaves blank for this indicator (初中 for G6, 小学 for Q1)."""
    if indicator.merged:
        return set()
    return {level for level in LEVELS if indicator.baseline.get(level) is None}


def form_plan(district: str, years: list[int], baseline_year: int) -> Plan:
    """The national plan with this district's title and years, every cell to fill blank."""
    national = load_plan(template_path("plans", "national.yaml"))
    indicators = []
    for indicator in national.indicators:
        blank = {level: (NOT_APPLICABLE if level in not_applicable(indicator) else None) for level in indicator.levels}
        indicators.append(dataclasses.replace(
            indicator, baseline=blank, units=(),
            targets={year: {level: PlanCell(text) for level, text in blank.items()} for year in years}))
    return dataclasses.replace(
        national, district=district, title=form_title(district), baseline_year=baseline_year,
        plan_years=tuple(years), baseline_label=f"{baseline_year}年现状", indicators=tuple(indicators), label="")


class FormFormats(Formats):
    """The plan sheet's formats, its value cells kept as text: Excel would read 3/5 as a date and
    95% as the number 0.95."""

    def __init__(self, workbook):
        super().__init__(workbook)
        self.centre = self.make(**self.cell_style, align="center", num_format="@")
        self.not_applicable = self.make(**self.cell_style, align="center", bg_color="#F2F2F2", font_color="#7F7F7F")
        self.own_note = self.make(**self.cell_style, align="left", num_format="@")


def write_plan_form(target: str | Path, district: str, years: list[int], baseline_year: int) -> Path:
    """Write the form to `target` (atomically) and return the path."""
    target = Path(target)
    plan = form_plan(district, years, baseline_year)
    with atomic_path(target) as tmp:
        workbook = new_workbook(tmp, f"{plan.title}（填写表）", document_time())
        workbook.set_custom_property(FORM_PROPERTY, "1")
        formats = FormFormats(workbook)
        sheet = workbook.add_worksheet(SHEET_NAME)
        sheet.merge_range(0, 0, 0, Columns(plan.plan_years).last, NOTICE, formats.banner)
        sheet.set_row(0, 24)
        end = write_plan_sheet(sheet, plan, formats, first_row=1, height_above=24, min_row_height=row_height(FILL_LINES))
        _fill_cells(sheet, plan, formats)
        _own_notes(sheet, end, plan, formats)
        write_form_info(workbook, formats, plan)
        workbook.close()
    return target


def _fill_cells(sheet, plan: Plan, formats: FormFormats) -> None:
    """Grey 不适用 cells and, on every cell to fill, what to write there."""
    columns = Columns(plan.plan_years)
    header_rows = 1 + 1 + 3  # notice, title, the three header rows
    for r, indicator in enumerate(plan.indicators, start=header_rows):
        choices, formula, message = _KINDS[indicator.evaluation]
        message = message.format(example=target_example(indicator.text, indicator.evaluation))
        skip = {level for level, text in indicator.baseline.items() if text == NOT_APPLICABLE}
        for year, col in columns.value_columns():
            for offset, level in enumerate(indicator.levels):
                cell = xl_rowcol_to_cell(r, col + offset)
                if level in skip:
                    sheet.write_string(r, col + offset, NOT_APPLICABLE, formats.not_applicable)
                    continue
                if year is None:
                    _prompt(sheet, r, col + offset, "现状", "按实际情况填写，原样显示，例如 全区3.07间，达标67/71。")
                elif choices:
                    sheet.data_validation(r, col + offset, r, col + offset, {
                        "validate": "list", "source": choices, "input_title": f"{year}年目标",
                        "input_message": message, "error_type": "warning", "error_title": "请核对目标",
                        "error_message": "此项目标一般为“达标”或“无”。确定按规划原文填写吗？"})
                elif formula:
                    sheet.data_validation(r, col + offset, r, col + offset, {
                        "validate": "custom", "value": formula.format(cell=cell), "ignore_blank": True,
                        "input_title": f"{year}年目标", "input_message": message, "error_type": "warning",
                        "error_title": "请核对目标", "error_message": f"{message}确定按此填写吗？"})
                else:
                    _prompt(sheet, r, col + offset, f"{year}年目标", message)
        _prompt(sheet, r, columns.units, "责任单位", "每行一个单位（Alt+Enter 换行），牵头单位写在第一行。")


def _prompt(sheet, row: int, col: int, title: str, message: str) -> None:
    sheet.data_validation(row, col, row, col, {"validate": "any", "input_title": title, "input_message": message})


def _own_notes(sheet, row: int, plan: Plan, formats: FormFormats) -> None:
    """Blank note rows under the national footnote, bordered so they read as places to write."""
    columns = Columns(plan.plan_years)
    for offset in range(OWN_NOTE_ROWS):
        sheet.merge_range(row + offset, 0, row + offset, columns.last, "", formats.own_note)
        sheet.set_row(row + offset, row_height(2))
    sheet.data_validation(row, 0, row + OWN_NOTE_ROWS - 1, 0, {
        "validate": "any", "input_title": "本区县说明", "input_message":
        f"可在此补充说明，每条一行，例如 {len(plan.footnotes) + 1}.{own_note_example(plan)}"})
    sheet.print_area(0, 0, row + OWN_NOTE_ROWS - 1, columns.last)
