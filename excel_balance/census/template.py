"""The census workbook staff fill in: 学校, 区级指标 and 填报说明 sheets.

Filled programmatically (`schools=`, `recorded=`) it also makes the bundled sample and the
tests' census files, so the template and the reader are checked against each other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

from excel_balance.atomic import atomic_path
from excel_balance.census.schema import (
    CHOICES,
    DISTRICT_HEADERS,
    DISTRICT_SHEET,
    INFO_SHEET,
    SAMPLE_MARK,
    SCHOOL_COLUMNS,
    SCHOOL_SHEET,
    TYPE_NAMES,
    Kind,
    SchoolType,
)
from excel_balance.plan import Plan
from excel_balance.xlsx.book import document_time, new_workbook
from excel_balance.xlsx.fit import fit_width
from excel_balance.xlsx.formats import FONT, Formats

TEMPLATE_ROWS = 2000
QUALITATIVE_VALUES = {"无": ("无", "有"), "veto": ("不存在", "存在")}


def district_rows(plan: Plan) -> list[dict]:
    """One row per district-level indicator and level, and per veto condition."""
    rows = []
    for indicator in plan.indicators:
        if indicator.from_schools:
            continue
        for level in indicator.levels:
            cells = [year_cells[level] for year_cells in indicator.targets.values() if level in year_cells]
            targets = [c.target for c in cells if c.target is not None]
            if not targets:
                continue  # the plan leaves this level blank
            unit, choices = "", ("达标", "未达标")
            if indicator.evaluation == "percent":
                unit, choices = "%", ()
            elif indicator.evaluation == "number":
                unit, choices = targets[0].unit, ()
            elif getattr(targets[0], "expected", "") == "无":
                choices = QUALITATIVE_VALUES["无"]
            rows.append({"code": indicator.id, "text": indicator.text, "level": level, "unit": unit, "choices": choices})
    for veto in plan.vetoes:
        rows.append({"code": veto.id, "text": veto.text, "level": "全区", "unit": "", "choices": QUALITATIVE_VALUES["veto"]})
    return rows


def write_template(
    target: str | Path,
    plan: Plan,
    *,
    year: int | None = None,
    district: str | None = None,
    schools: Iterable[Mapping] = (),
    recorded: Mapping[tuple[str, str], object] | None = None,
    filled_by: str = "",
    sample: bool = False,
) -> Path:
    """Write a census workbook; `schools` rows are dicts by column key, `recorded` by (code, level)."""
    target = Path(target)
    with atomic_path(target) as tmp:
        workbook = new_workbook(tmp, "教育事业统计报表（优质均衡测算用）", document_time(year or (plan.plan_years or (plan.baseline_year,))[0]))
        formats = Formats(workbook)
        _school_sheet(workbook, formats, list(schools))
        write_district_sheet(workbook, formats, plan, recorded or {})
        write_info_sheet(workbook, formats, district or plan.district, year, filled_by, sample)
        workbook.close()
    return target


def _school_sheet(workbook, formats: Formats, schools: list[Mapping]) -> None:
    sheet = workbook.add_worksheet(SCHOOL_SHEET)
    header_style = {**FONT, "bold": True, "border": 1, "text_wrap": True, "align": "center", "valign": "vcenter"}
    header = formats.make(**header_style, bg_color="#D9E1F2")
    optional = formats.make(**header_style, bg_color="#EDEDED")
    text = formats.make(**FONT, num_format="@")
    number = formats.make(**FONT)
    last = TEMPLATE_ROWS
    for col, column in enumerate(SCHOOL_COLUMNS):
        sheet.write_string(0, col, column.title, header if column.required else optional)
        note = column.note + ("" if column.required else "（选填）")
        if note:
            sheet.write_comment(0, col, note, {"x_scale": 2, "font_name": "宋体"})
        numeric = column.kind in (Kind.INT, Kind.NUMBER)
        sheet.set_column(col, col, fit_width([column.title], minimum=10, maximum=16 if numeric else 24),
                         number if numeric else text)
        if column.kind is Kind.TYPE:
            # The names and the national codes, as the column's note allows both.
            types = [*TYPE_NAMES.values(), *(str(t.value) for t in SchoolType)]
            sheet.data_validation(1, col, last, col, {"validate": "list", "source": types})
        elif column.kind is Kind.CHOICE:
            sheet.data_validation(1, col, last, col, {"validate": "list", "source": list(CHOICES[column.key])})
        elif numeric:
            sheet.data_validation(1, col, last, col, {
                "validate": "integer" if column.kind is Kind.INT else "decimal",
                "criteria": ">=", "value": 0,
                "error_title": "数值有误", "error_message": f"{column.header}应为不小于0的{'整数' if column.kind is Kind.INT else '数字'}",
            })
    sheet.set_row(0, 45)
    sheet.freeze_panes(1, 2)
    sheet.repeat_rows(0)
    for r, school in enumerate(schools, start=1):
        for col, column in enumerate(SCHOOL_COLUMNS):
            value = school.get(column.key)
            if value is None or value == "":
                continue
            if isinstance(value, SchoolType):
                value = value.label
            if column.kind in (Kind.INT, Kind.NUMBER) and not isinstance(value, str):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, str(value))


def write_district_sheet(workbook, formats: Formats, plan: Plan, recorded: Mapping) -> None:
    sheet = workbook.add_worksheet(DISTRICT_SHEET)
    headers = [DISTRICT_HEADERS[k] for k in ("code", "text", "level", "unit", "value", "note")]
    for col, title in enumerate(headers):
        sheet.write_string(0, col, title, formats.header)
    sheet.write_comment(0, 4, "百分比可填 96 或 96%；定性指标从下拉列表选择", {"x_scale": 2})
    for width, col in zip((8, 60, 8, 8, 14, 30), range(6)):
        sheet.set_column(col, col, width, formats.text if col == 1 else formats.centre)
    for r, row in enumerate(district_rows(plan), start=1):
        sheet.write_string(r, 0, row["code"], formats.centre)
        sheet.write_string(r, 1, row["text"], formats.text)
        sheet.write_string(r, 2, row["level"], formats.centre)
        sheet.write_string(r, 3, row["unit"], formats.centre)
        if row["choices"]:
            sheet.data_validation(r, 4, r, 4, {"validate": "list", "source": list(row["choices"])})
        value = recorded.get((row["code"], row["level"]))
        if isinstance(value, (int, float)):
            sheet.write_number(r, 4, value, formats.centre)
        elif value is not None:
            sheet.write_string(r, 4, str(value), formats.centre)
        else:
            sheet.write_blank(r, 4, None, formats.centre)
        sheet.write_blank(r, 5, None, formats.text)
    sheet.freeze_panes(1, 0)
    sheet.repeat_rows(0)


def write_info_sheet(workbook, formats: Formats, district: str, year: int | None, filled_by: str, sample: bool) -> None:
    sheet = workbook.add_worksheet(INFO_SHEET)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 80)
    rows = [
        ("区县", district),
        ("统计年度", str(year) if year else ""),
        ("填报人", filled_by),
        ("数据性质", SAMPLE_MARK if sample else "正式数据"),
        ("说明", "1. 统计年度填写学年的起始年份：2022 表示 2022—2023 学年初的教育事业统计。"),
        ("", "2. “学校”表每所学校（校区）一行；分校区在“是否计校数”填“否”，并填写所属学校标识码。"),
        ("", "3. 学校标识码为10位数字，请保持文本格式，不要丢失开头的0。"),
        ("", "4. 九年一贯制、十二年一贯制学校和完全中学的校舍、场馆、设备按全校填写，程序按学生数折算到各学段；"
             "若有分学段数据，可填写灰色的选填列。"),
        ("", "5. “区级指标”表逐项填写全区情况：百分比填 96 或 96%，定性指标从下拉列表选择。"),
    ]
    for r, (label, value) in enumerate(rows):
        sheet.write_string(r, 0, label, formats.label)
        sheet.write_string(r, 1, value, formats.note)
