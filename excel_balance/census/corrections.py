"""Corrections without editing the census: `修正.xlsx` rows (年度, 学校标识码, 字段, 原值, 新值, 理由)
applied after reading. Each row is judged on its own: a bad row is refused with its cell and every
reason at once, the others still apply. A correction whose 原值 no longer matches the census is
refused, so a correction made for last year's file never silently changes a new one."""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from excel_balance.atomic import atomic_path
from excel_balance.census.grid import cell_ref
from excel_balance.census.model import Census
from excel_balance.census.reader import number_problem
from excel_balance.census.schema import (
    CANONICAL,
    COLUMNS_BY_KEY,
    INFO_SHEET,
    SCHOOL_COLUMNS,
    normalise_header,
    normalise_plain,
)
from excel_balance.census.sniff import UnreadableFile
from excel_balance.census.source import open_workbook
from excel_balance.problems import Problem, ProblemsError
from excel_balance.xlsx.fit import line_count, row_height

SHEET = "修正"
HEADERS = ("年度", "学校标识码", "字段", "原值", "新值", "理由")
NOTES = ("统计年度，例如 2022、2022年或 2022—2023学年", "10位学校标识码（文本）", "统计报表中的列名，例如 小学在校生数",
         "统计报表中现在的数值（用于核对）", "改正后的数值", "修正依据，例如 经核实为录入错误")


@dataclass(frozen=True)
class Correction:
    year: int
    school_id: str
    field: str  # column key
    old: float
    new: float
    reason: str
    cell: str  # 修正!D3 (原值), for messages
    id_cell: str = ""  # 修正!B3 (学校标识码): where an unknown school is said
    year_cell: str = ""  # 修正!A3 (年度): where a year without a census is said

    @property
    def label(self) -> str:
        return COLUMNS_BY_KEY[self.field].header


def is_corrections(path: Path, sheet_names: list[str]) -> bool:
    """A workbook whose first sheet, named 修正 (or in a file so named), has the corrections header.
    Other workbooks are not parsed here: a large census must not be read twice."""
    if not sheet_names or (normalise_plain(sheet_names[0]) != SHEET and SHEET not in path.stem):
        return False
    try:
        _, workbook = open_workbook(path)
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)[:5]
    except Exception:  # not a readable workbook: the census reader will say why
        return False
    return any({normalise_plain(v) for v in row} >= set(HEADERS) for row in rows)


# The fields a correction may change: the census's numeric columns, in template order.
FIELDS = tuple(c.header for c in SCHOOL_COLUMNS if c.numeric)
FIELD_SHEET = "字段"  # hidden: the dropdown's list (more than the 255 characters an inline list holds)
FORM_ROWS = 500
INSTRUCTIONS = (
    ("用途", "不改动统计报表，改正其中个别学校的个别数值；运行 excel-balance run 时自动应用，并写入报告的数据说明。"),
    ("年度", "统计年度，可写 2022、2022年、2022-2023学年或 2022—2023学年（都指 2022年统计、2022—2023学年）。"),
    ("学校标识码", "10位学校标识码，按文本填写，保留开头的0；须是该年度统计报表中计校数的学校。"),
    ("字段", "从下拉列表中选择统计报表的数值列（全部可选字段见下方）。"),
    ("原值", "统计报表中现在的数值。与报表不符的修正不应用（报表可能已改过），会在运行结果和数据说明中列出。"),
    ("新值", "改正后的数值：不小于0，人数、班数、间数为整数。"),
    ("理由", "修正依据，例如 经核实为录入错误；会写入报告的数据说明。"),
    ("有误的行", "只有该行不应用，其余行照常应用；运行结果逐行列出单元格和原因，退出码为1。"),
)


def write_corrections_template(target: Path) -> Path:
    from excel_balance.xlsx.book import document_time, new_workbook
    from excel_balance.xlsx.formats import Formats

    with atomic_path(target) as tmp:
        workbook = new_workbook(tmp, "统计数据修正表", document_time())
        formats = Formats(workbook)
        sheet = workbook.add_worksheet(SHEET)  # first: is_corrections looks at the first sheet
        text = formats.make(font_name="宋体", font_charset=134, num_format="@")
        for col, (title, note) in enumerate(zip(HEADERS, NOTES)):
            sheet.write_string(0, col, title, formats.header)
            sheet.write_comment(0, col, note)
            sheet.set_column(col, col, (12, 14, 24, 12, 12, 40)[col], text if col in (1, 2, 5) else None)
        sheet.data_validation(1, 2, FORM_ROWS, 2, {
            "validate": "list", "source": f"={FIELD_SHEET}!$A$1:$A${len(FIELDS)}",
            "error_title": "字段", "error_message": "请从下拉列表中选择统计报表的数值列（见“填报说明”）"})
        sheet.freeze_panes(1, 0)
        sheet.repeat_rows(0)
        _write_instructions(workbook, formats)
        fields = workbook.add_worksheet(FIELD_SHEET)
        for row, header in enumerate(FIELDS):
            fields.write_string(row, 0, header)
        fields.hide()
        workbook.close()
    return target


def _write_instructions(workbook, formats) -> None:
    sheet = workbook.add_worksheet(INFO_SHEET)
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 90)
    rows = [*INSTRUCTIONS, ("可修正的字段", "、".join(FIELDS))]
    for row, (title, text) in enumerate(rows):
        sheet.write_string(row, 0, title, formats.label_cell)
        sheet.write_string(row, 1, text, formats.text)
        sheet.set_row(row, row_height(line_count(text, 90)))


def read_corrections(path: Path) -> tuple[list[Correction], list[Problem]]:
    """The correction rows that can be read, and a Problem for each one that cannot (every reason
    of a row in one message, at its first bad cell); ProblemsError when the file is unreadable."""
    try:
        _, workbook = open_workbook(path)
        sheet = workbook.get_sheet_by_index(0)
        name, rows = sheet.name, sheet.to_python(skip_empty_area=False)
    except (UnreadableFile, python_calamine.CalamineError) as exc:
        raise ProblemsError([Problem(path.name, "", f"修正表无法读取（{exc}）")]) from None
    header_row = next((r for r, row in enumerate(rows) if {normalise_plain(v) for v in row} >= set(HEADERS)), None)
    if header_row is None:
        raise ProblemsError([Problem(path.name, name, f"找不到表头（应有{'、'.join(HEADERS)}列）")])
    cols = {normalise_plain(v): c for c, v in enumerate(rows[header_row])}
    problems, corrections = [], []
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        if all(v in ("", None) for v in row):
            continue
        values = {title: row[col] if col < len(row) else "" for title, col in cols.items()}
        where = {title: f"{name}!{cell_ref(r, col)}" for title, col in cols.items()}
        correction, faults = _judge_row(values, where)
        if faults:
            first = min(faults, key=lambda fault: HEADERS.index(fault[0]))[0]
            problems.append(Problem(path.name, where[first], "；".join(message for _, message in faults)))
        else:
            corrections.append(correction)
    return corrections, problems


def _judge_row(values: dict, where: dict) -> tuple[Correction | None, list[tuple[str, str]]]:
    """The row's correction, or every (column, reason) that stops it."""
    faults = []
    field = values["字段"]
    column = CANONICAL.get(normalise_header(field))
    if column is None or not column.numeric:
        faults.append(("字段", _field_message(field)))
    year = parse_year(values["年度"])
    if year is None:
        faults.append(("年度", f"年度“{_shown(values['年度'])}”应为统计年度，例如 2022、2022年或 2022—2023学年"))
    school_id = values["学校标识码"]
    school_id = str(int(school_id)) if isinstance(school_id, float) and school_id.is_integer() else str(school_id).strip()
    if not school_id:
        faults.append(("学校标识码", "请填写学校标识码"))
    old, new = _number(values["原值"]), _number(values["新值"])
    if old is None or not math.isfinite(old):
        faults.append(("原值", f"原值“{_shown(values['原值'])}”应为数字"))
    if new is None:
        faults.append(("新值", f"新值“{_shown(values['新值'])}”应为数字"))
    elif column is not None and column.numeric and (why := number_problem(column, new)):
        faults.append(("新值", f"新值：{why}"))
    reason = str(values["理由"] or "").strip()
    if not reason:
        faults.append(("理由", "请填写修正理由（会写入报告的数据说明）"))
    if faults:
        return None, faults
    return Correction(year, school_id, column.key, old, new, reason, where["原值"], where["学校标识码"],
                      where["年度"]), []


def _field_message(field) -> str:
    text = normalise_plain(field)
    close = [h for h in FIELDS if text and text in h] or difflib.get_close_matches(text, FIELDS, n=5, cutoff=0.5)
    if close:
        return f"字段“{_shown(field)}”不是统计报表中的数值列，是否指：{'、'.join(close)}"
    return f"字段“{_shown(field)}”不是统计报表中的数值列，可填：{'、'.join(FIELDS)}"


def _shown(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value or "").strip()


_YEAR = re.compile(r"(\d{4})\s*年?(?:度)?")
_SCHOOL_YEAR = re.compile(r"(\d{4})\s*年?\s*[-－—–~～至到]+\s*(\d{4})\s*年?\s*(?:学年)?(?:度)?")


def parse_year(value) -> int | None:
    """The census year of 2022, 2022.0, "2022年", "2022-2023学年" or "2022—2023学年"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        year = int(value) if math.isfinite(value) and float(value).is_integer() else None
    elif match := _YEAR.fullmatch(normalise_plain(value)):
        year = int(match[1])
    elif (match := _SCHOOL_YEAR.fullmatch(normalise_plain(value))) and int(match[2]) == int(match[1]) + 1:
        year = int(match[1])
    else:
        return None
    return year if year is not None and 2000 <= year <= 2100 else None


def _number(value) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).strip().replace(",", ""))
    except ValueError:
        return None


def unmatched(correction: Correction, file: str, years: set[int]) -> Problem:
    """A correction no census took: its year has no census (said at 年度), or that year's census
    has no such counted school (said at 学校标识码)."""
    if correction.year not in years:
        shown = "、".join(map(str, sorted(years))) or "无"
        return Problem(file, correction.year_cell or correction.cell,
                       f"没有{correction.year}年的统计报表（现有：{shown}），未修正")
    return Problem(file, correction.id_cell or correction.cell,
                   f"{correction.year}年的统计报表中没有学校标识码为{correction.school_id}的学校（计校数的学校），未修正")


def apply_corrections(census: Census, corrections: list[Correction], file: str):
    """(corrected census, applied, refused) for the corrections of this census's year and schools.

    A correction whose 原值 differs from the census is refused (a Problem naming its cell);
    corrections for other years or schools are left for the caller to account for.
    """
    schools = list(census.schools)
    applied, refused = [], []
    for correction in corrections:
        index = next((i for i, s in enumerate(schools) if s.school_id == correction.school_id and s.counted), None)
        if correction.year != census.year or index is None:
            continue
        current = schools[index].values.get(correction.field, 0.0)
        if not math.isclose(current, correction.old, abs_tol=1e-9):
            refused.append((correction, Problem(
                file, correction.cell, f"{schools[index].name}的{correction.label}现为{current:g}，与原值{correction.old:g}不符，"
                "未修正（统计报表可能已改过，请核对后更新修正表）")))
            continue
        values = {**schools[index].values, correction.field: correction.new}
        schools[index] = dataclasses.replace(schools[index], values=values)
        applied.append(correction)
    return dataclasses.replace(census, schools=tuple(schools)), applied, refused
