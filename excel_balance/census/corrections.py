"""Corrections without editing the census: `修正.xlsx` rows (年度, 学校标识码, 字段, 原值, 新值, 理由)
applied after reading. A correction whose 原值 no longer matches the census is refused, so a
correction made for last year's file never silently changes a new one."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from excel_balance.atomic import atomic_path
from excel_balance.census.grid import cell_ref
from excel_balance.census.model import Census
from excel_balance.census.schema import CANONICAL, COLUMNS_BY_KEY, Kind, normalise_header, normalise_plain
from excel_balance.census.sniff import UnreadableFile, sniff
from excel_balance.problems import Problem, ProblemsError

SHEET = "修正"
HEADERS = ("年度", "学校标识码", "字段", "原值", "新值", "理由")
NOTES = ("统计年度，例如 2022", "10位学校标识码（文本）", "统计报表中的列名，例如 小学在校生数",
         "统计报表中现在的数值（用于核对）", "改正后的数值", "修正依据，例如 经核实为录入错误")


@dataclass(frozen=True)
class Correction:
    year: int
    school_id: str
    field: str  # column key
    old: float
    new: float
    reason: str
    cell: str  # 修正!C3, for messages

    @property
    def label(self) -> str:
        return COLUMNS_BY_KEY[self.field].header


def is_corrections(path: Path, sheet_names: list[str]) -> bool:
    """A workbook whose first sheet, named 修正 (or in a file so named), has the corrections header.
    Other workbooks are not parsed here: a large census must not be read twice."""
    if not sheet_names or (normalise_plain(sheet_names[0]) != SHEET and SHEET not in path.stem):
        return False
    try:
        with path.open("rb") as handle:
            workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)[:5]
    except Exception:  # not a readable workbook: the census reader will say why
        return False
    return any({normalise_plain(v) for v in row} >= set(HEADERS) for row in rows)


def write_corrections_template(target: Path) -> Path:
    from excel_balance.xlsx.book import document_time, new_workbook
    from excel_balance.xlsx.formats import Formats

    with atomic_path(target) as tmp:
        workbook = new_workbook(tmp, "统计数据修正表", document_time(2020))
        formats = Formats(workbook)
        sheet = workbook.add_worksheet(SHEET)
        text = formats.make(font_name="宋体", font_charset=134, num_format="@")
        for col, (title, note) in enumerate(zip(HEADERS, NOTES)):
            sheet.write_string(0, col, title, formats.header)
            sheet.write_comment(0, col, note)
            sheet.set_column(col, col, (8, 14, 24, 12, 12, 40)[col], text if col in (1, 2, 5) else None)
        sheet.freeze_panes(1, 0)
        sheet.repeat_rows(0)
        workbook.close()
    return target


def read_corrections(path: Path) -> list[Correction]:
    """Every correction row; ProblemsError listing each row that cannot be read."""
    try:
        sniff(path)
        with path.open("rb") as handle:
            workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
        sheet = workbook.get_sheet_by_index(0)
        name, rows = sheet.name, sheet.to_python(skip_empty_area=False)
    except (UnreadableFile, python_calamine.CalamineError) as exc:
        raise ProblemsError([Problem(path.name, "", f"修正表无法读取（{exc}）")]) from None
    header_row = next(r for r, row in enumerate(rows) if {normalise_plain(v) for v in row} >= set(HEADERS))
    cols = {normalise_plain(v): c for c, v in enumerate(rows[header_row])}
    problems, corrections = [], []
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        if all(v in ("", None) for v in row):
            continue

        def get(title):
            col = cols[title]
            return row[col] if col < len(row) else ""

        def where(title):
            return f"{name}!{cell_ref(r, cols[title])}"

        column = CANONICAL.get(normalise_header(get("字段")))
        year, old, new = _number(get("年度")), _number(get("原值")), _number(get("新值"))
        if column is None or not column.numeric:
            problems.append(Problem(path.name, where("字段"), f"字段“{get('字段')}”不是统计报表中的数值列"))
        elif year is None or not float(year).is_integer():
            problems.append(Problem(path.name, where("年度"), "年度应为四位年份，例如 2022"))
        elif old is None or new is None:
            problems.append(Problem(path.name, where("新值" if old is not None else "原值"), "原值和新值都应为数字"))
        elif new < 0 or (column.kind is Kind.INT and not float(new).is_integer()):
            problems.append(Problem(path.name, where("新值"), f"新值{new:g}不是有效的{column.header}"))
        elif not str(get("理由")).strip():
            problems.append(Problem(path.name, where("理由"), "请填写修正理由（会写入报告的数据说明）"))
        else:
            school_id = str(get("学校标识码")).strip()
            if isinstance(get("学校标识码"), float):
                school_id = str(int(get("学校标识码")))
            corrections.append(Correction(int(year), school_id, column.key, old, new, str(get("理由")).strip(),
                                          where("原值")))
    if problems:
        raise ProblemsError(problems)
    return corrections


def _number(value) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).strip().replace(",", ""))
    except ValueError:
        return None


def unmatched(correction: Correction, file: str) -> Problem:
    return Problem(file, correction.cell, f"没有{correction.year}年含学校标识码{correction.school_id}的统计报表，未修正")


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
