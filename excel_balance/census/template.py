"""The census workbook staff fill in: 学校, 区级指标 and 填报说明 sheets.

Filled programmatically (`schools=`, `recorded=`) it also makes the bundled sample and the
tests' census files, so the template and the reader are checked against each other.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
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
    Column,
    Kind,
    SchoolType,
)
from excel_balance.plan import Plan
from excel_balance.xlsx.book import document_time, new_workbook
from excel_balance.xlsx.fit import fit_width, line_count, row_height
from excel_balance.xlsx.formats import FONT, Formats

TEMPLATE_ROWS = 2000
QUALITATIVE_VALUES = {"无": ("无", "有"), "veto": ("不存在", "存在")}


def _planned_levels(indicator) -> list[str]:
    """The levels the plan fills for this indicator (a level left blank in every year has no rows)."""
    levels = []
    for level in indicator.levels:
        cells = [year_cells[level] for year_cells in indicator.targets.values() if level in year_cells]
        if [c for c in cells if c.target is not None] or (not cells and indicator.baseline.get(level)):
            levels.append(level)
    return levels


def district_rows(plan: Plan, legacy: bool = False) -> list[dict]:
    """One row per input of each district-level indicator and level (one row per indicator and
    level in the `legacy` one-value form), and one per veto condition."""
    rows = []
    for indicator in plan.indicators:
        if indicator.from_schools:
            continue
        measure = None if legacy else plan.measures.get(indicator.id)
        for level in _planned_levels(indicator):
            base = {"code": indicator.id, "text": indicator.text, "level": level}
            if measure is not None:
                for item in measure.inputs:
                    rows.append({**base, "item": item.name, "unit": item.unit,
                                 "choices": item.choices if item.is_choice else (), "integer": item.integer})
                continue
            targets = [cells[level].target for cells in indicator.targets.values()
                       if level in cells and cells[level].target is not None]
            unit, choices = "", ("达标", "未达标")
            if indicator.evaluation == "percent":
                unit, choices = "%", ()
            elif indicator.evaluation == "number" and targets:
                unit, choices = targets[0].unit, ()
            elif targets and getattr(targets[0], "expected", "") == "无":
                choices = QUALITATIVE_VALUES["无"]
            rows.append({**base, "item": "", "unit": unit, "choices": choices, "integer": False})
    for veto in plan.vetoes:
        rows.append({"code": veto.id, "text": veto.text, "level": "全区", "item": "", "unit": "",
                     "choices": QUALITATIVE_VALUES["veto"], "integer": False})
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
    legacy: bool = False,
    created: dt.datetime | None = None,
) -> Path:
    """Write a census workbook; `schools` rows are dicts by column key, `recorded` by (code, level,
    item) for inputs and (code, level) for one-value rows; `legacy` writes the 区级指标 sheet in its
    old one-value form (as files filled before the measures were introduced); made `created` (the
    bundled sample's fixed date), else as document_time says."""
    target = Path(target)
    with atomic_path(target) as tmp:
        workbook = new_workbook(tmp, "教育事业统计报表（优质均衡测算用）", document_time(created))
        formats = Formats(workbook)
        _school_sheet(workbook, formats, list(schools))
        write_district_sheet(workbook, formats, plan, recorded or {}, legacy)
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
        validate_column(sheet, column, col, last)
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


def validate_column(sheet, column: Column, col: int, last: int) -> None:
    """The column's rows 2..last take only its values: a dropdown of its choices, or a number ≥ 0."""
    if column.kind is Kind.TYPE:
        # The names and the national codes, as the column's note allows both.
        types = [*TYPE_NAMES.values(), *(str(t.value) for t in SchoolType)]
        sheet.data_validation(1, col, last, col, {"validate": "list", "source": types})
    elif column.kind is Kind.CHOICE:
        sheet.data_validation(1, col, last, col, {"validate": "list", "source": list(CHOICES[column.key])})
    elif column.numeric:
        sheet.data_validation(1, col, last, col, {
            "validate": "integer" if column.kind is Kind.INT else "decimal",
            "criteria": ">=", "value": 0,
            "error_title": "数值有误", "error_message": f"{column.header}应为不小于0的{'整数' if column.kind is Kind.INT else '数字'}",
        })


def write_district_sheet(workbook, formats: Formats, plan: Plan, recorded: Mapping, legacy: bool = False) -> None:
    sheet = workbook.add_worksheet(DISTRICT_SHEET)
    keys = [k for k in DISTRICT_HEADERS if not (legacy and k == "item")]
    value_col = keys.index("value")
    for col, key in enumerate(keys):
        sheet.write_string(0, col, DISTRICT_HEADERS[key], formats.header)
    sheet.write_comment(0, value_col, "按“单位”列填写数字（百分比可填 96 或 96%）；是/否项目从下拉列表选择", {"x_scale": 2})
    widths = {"code": 7, "text": 42, "level": 7, "item": 34, "unit": 7, "value": 12, "note": 24}
    for col, key in enumerate(keys):
        sheet.set_column(col, col, widths[key], formats.text if key in ("text", "item", "note") else formats.centre)
    rows = district_rows(plan, legacy)
    for r, row in enumerate(rows, start=1):
        for col, key in enumerate(keys[:value_col]):
            sheet.write_string(r, col, row[key], formats.text if key in ("text", "item") else formats.centre)
        if row["choices"]:
            sheet.data_validation(r, value_col, r, value_col, {"validate": "list", "source": list(row["choices"])})
        elif row["item"]:
            kind = "整数" if row["integer"] else "数字"
            sheet.data_validation(r, value_col, r, value_col, {
                "validate": "integer" if row["integer"] else "decimal", "criteria": ">=", "value": 0,
                "error_title": "数值有误", "error_message": f"{row['item']}应为不小于0的{kind}（单位：{row['unit'] or '无'}）",
            })
        key = (row["code"], row["level"], row["item"]) if row["item"] else (row["code"], row["level"])
        value = recorded.get(key)
        if isinstance(value, (int, float)):
            sheet.write_number(r, value_col, value, formats.centre)
        elif value is not None:
            sheet.write_string(r, value_col, str(value), formats.centre)
        else:
            sheet.write_blank(r, value_col, None, formats.centre)
        sheet.write_blank(r, value_col + 1, None, formats.text)
    _merge_indicator_cells(sheet, rows, keys, formats)
    _row_heights(sheet, rows, widths)
    sheet.freeze_panes(1, 0)
    sheet.repeat_rows(0)


def _row_heights(sheet, rows: list[dict], widths: dict[str, float]) -> None:
    """Rows high enough for the wrapped input name, and together for the indicator text they share."""
    block = Counter((row["code"], row["level"]) for row in rows)
    for r, row in enumerate(rows, start=1):
        shared = line_count(row["text"], widths["text"]) / block[(row["code"], row["level"])]
        sheet.set_row(r, row_height(max(line_count(row["item"], widths["item"]), math.ceil(shared))))


def _merge_indicator_cells(sheet, rows: list[dict], keys: list[str], formats: Formats) -> None:
    """An indicator's text spans the rows of its inputs, so the sheet reads as one block per indicator.

    Only the text column is merged: the code and level stay on every row, as the reader needs."""
    text_col = keys.index("text")
    start = 0
    for r in range(1, len(rows) + 1):
        if r == len(rows) or rows[r]["code"] != rows[start]["code"] or rows[r]["level"] != rows[start]["level"]:
            if r - start > 1:
                sheet.merge_range(start + 1, text_col, r, text_col, rows[start]["text"], formats.text)
            start = r


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
        ("", "5. “区级指标”表每个填报项目一行，按“单位”列填写全区（或该学段）的数字：人数填整数，金额填元，"
             "百分比填 96 或 96%；是/否项目从下拉列表选择。程序按各指标的测算方法计算，并在报告的“区级指标测算”表列出算式。"),
    ]
    for r, (label, value) in enumerate(rows):
        sheet.write_string(r, 0, label, formats.label)
        sheet.write_string(r, 1, value, formats.note)
