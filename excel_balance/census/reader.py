"""Read a census workbook into a typed Census, or refuse it listing every problem with its cell.

The school sheet is read through python-calamine; the small district-level sheet through
openpyxl (or xlrd for .xls), which also tell a cell formatted as a percentage.
"""

from __future__ import annotations

import dataclasses
import hashlib
from operator import itemgetter
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import python_calamine

from excel_balance.census.grid import Header, cell_ref, closest_header, find_header
from excel_balance.census.model import Census, RecordedValue, SchoolRow
from excel_balance.census.schema import (
    CHOICES,
    COLUMNS_BY_KEY,
    DISTRICT_HEADERS,
    DISTRICT_SHEET,
    FLAG_COLUMNS,
    INFO_SHEET,
    QUALITATIVE_CHOICES,
    SAMPLE_MARK,
    SCHOOL_COLUMNS,
    SCHOOL_SHEET,
    TEACHER_KEYS,
    TYPE_ALIASES,
    Column,
    Kind,
    SchoolType,
    normalise_plain,
)
from excel_balance.census.bounds import ReadLimits
from excel_balance.census.sniff import DEFAULT_SIZE_LIMIT, Format, UnreadableFile
from excel_balance.census.source import WORKSHEET, open_workbook, xlsx_sheet_parts
from excel_balance.plan import Settings
from excel_balance.problems import Problem, ProblemsError, Severity

IMPLAUSIBLE_AREA_PER_STUDENT = 50.0
RECORDED_MAXIMUM = 1e12  # a district figure (yuan, people, percent) beyond this is no figure
_ID = re.compile(r"^\d{10}$")
NUMPY_FROM = 5000  # rows from which a column is checked with numpy
_YEAR_TITLE = re.compile(r"(20\d\d)\s*(?:[-—–~至]\s*20\d\d)?\s*(?:学年|年度)")
_YEAR_NAME = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class NotACensus(ProblemsError):
    """A readable workbook that is not a census: no 学校 sheet, or no census header on it."""


class BlankTemplate(ProblemsError):
    """A census form with its header and no school rows: an unfilled template, skipped with a note."""

    MESSAGE = "空白的填报模板（表头下没有学校数据），已跳过：填写学校数据后再放入"


@dataclass
class Context:
    file: str
    problems: list[Problem]

    def error(self, sheet: str, ref: str, message: str) -> None:
        self.problems.append(Problem(self.file, f"{sheet}!{ref}" if ref else sheet, message))

    def warn(self, sheet: str, ref: str, message: str) -> None:
        self.problems.append(Problem(self.file, f"{sheet}!{ref}" if ref else sheet, message, Severity.WARNING))


def read_census(
    path: str | Path,
    *,
    year: int | None = None,
    district: str | None = None,
    settings: Settings | None = None,
    aliases: dict[str, str] | None = None,
    size_limit: int = DEFAULT_SIZE_LIMIT,
    limits: ReadLimits | None = None,
) -> Census:
    """Read and validate one census workbook.

    `year` and `district` are used only when the file states none. Raises ProblemsError with
    every error (and the warnings found so far) when the file cannot be used.
    """
    path = Path(path)
    settings = settings or Settings()
    ctx = Context(path.name, [])
    try:  # by content: an .xls that is really .xlsx still opens
        fmt, workbook = open_workbook(path, limits, size_limit)
    except UnreadableFile as exc:
        raise ProblemsError([Problem(path.name, "", str(exc))]) from None

    with workbook:
        sheet_names = [m.name for m in workbook.sheets_metadata if m.typ == WORKSHEET]
        if not sheet_names:
            raise ProblemsError([Problem(path.name, "", "工作簿中没有工作表")])
        school_sheet = _school_sheet_name(sheet_names)
        if school_sheet is None:
            raise NotACensus([Problem(path.name, "", f"找不到“{SCHOOL_SHEET}”工作表（现有工作表：{'、'.join(sheet_names)}）")])
        try:
            sheet = workbook.get_sheet_by_name(school_sheet)
            grid = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
            del sheet  # calamine's own copy of the cells, as large as the grid: not needed any more
        except python_calamine.CalamineError as exc:
            raise ProblemsError([Problem(path.name, school_sheet, f"工作表已损坏，无法读取（{exc}）")]) from None
        info = read_info(workbook, sheet_names)
        district_sheet = next((n for n in sheet_names if normalise_plain(n) == DISTRICT_SHEET), None)
        try:
            district_grid = workbook.get_sheet_by_name(district_sheet).to_python(skip_empty_area=False) if district_sheet else []
        except python_calamine.CalamineError as exc:
            ctx.error(district_sheet, "", f"工作表无法读取（{exc}）")
            district_sheet, district_grid = None, []

    if not any(any(v not in (None, "") for v in row) for row in grid):
        raise ProblemsError([Problem(path.name, school_sheet, "工作表是空的，没有学校数据")])
    formulas = _FormulaCells(path, fmt, school_sheet, ctx)
    if district_sheet and fmt is Format.XLSX:
        _check_formulas(path, ctx, {district_sheet})

    header = find_header(grid, merged, aliases or {})
    if header is None or not {"school_id", "name"} & set(header.columns):
        raise NotACensus([Problem(path.name, school_sheet, "找不到表头：前20行中没有“学校标识码”“学校名称”“办学类型”等列名")])
    total_rows = _total_rows(grid, header)
    formulas.totals = frozenset(r + 1 for r in total_rows)
    present = _check_columns(header, school_sheet, ctx)
    if ctx.problems:
        raise ProblemsError(ctx.problems)
    schools, totals = _read_rows(grid, header, present, school_sheet, ctx, total_rows, formulas)
    _check_schools(schools, school_sheet, header, settings, ctx)
    if totals is not None:
        _check_totals(schools, totals, header, school_sheet, ctx)

    recorded, inputs = read_district_values(path, fmt, district_sheet, district_grid, ctx)
    census_year = resolve_year(path, info, grid[: header.first_row], school_sheet, year, ctx)
    census_district = info.get("区县", ("", ""))[0] or district or ""
    # "示例数据" is enough: full-width brackets may have been typed half-width (or folded by NFKC).
    mark = SAMPLE_MARK[:4]
    sample = mark in path.name or any(mark in str(v) for v, _ in info.values()) or any(
        mark in str(v) for row in grid[: header.first_row] for v in row
    )

    if any(p.severity is Severity.ERROR for p in ctx.problems):
        raise ProblemsError(ctx.problems)
    return Census(
        file=path.name,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        district=census_district,
        year=census_year,
        schools=tuple(schools),
        recorded=recorded,
        warnings=tuple(ctx.problems),
        sample=sample,
        columns=frozenset(k for k in present if not COLUMNS_BY_KEY[k].required),
        inputs=inputs,
        stamps=((path.name, path.stat().st_mtime),),
    )


def _school_sheet_name(names: list[str]) -> str | None:
    for name in names:
        if normalise_plain(name) == SCHOOL_SHEET:
            return name
    others = [n for n in names if normalise_plain(n) not in (DISTRICT_SHEET, INFO_SHEET)]
    return others[0] if len(others) == 1 else None


# --- columns and rows ----------------------------------------------------------------------


def _check_columns(header: Header, sheet: str, ctx: Context) -> list[str]:
    for column in SCHOOL_COLUMNS:
        if column.required and column.key not in header.columns:
            near = closest_header(column, header)
            hint = f"，最接近的列名是“{near}”" if near else ""
            ctx.error(sheet, f"第{header.first_row + 1}行", f"缺少必填列“{column.title}”{hint}")
    return [c.key for c in SCHOOL_COLUMNS if c.key in header.columns]


def _text(value, fold: bool = True) -> str:
    """A cell as text; `fold` also turns full-width digits and letters into plain ones."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return (unicodedata.normalize("NFKC", str(value)) if fold else str(value)).strip()


def parse_number(value) -> float | None | str:
    """A float, None for an empty cell, or the offending text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return float(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "").replace(" ", "")
    if not text:
        return None
    if _NUMBER_TEXT.match(text):
        return float(text)
    return str(value).strip()


def _total_rows(grid, header: Header) -> set[int]:
    """Rows whose ID or name cell says 合计/总计."""
    found = set()
    for key in ("school_id", "name"):
        col = header.columns.get(key)
        if col is None:
            continue
        for r in range(header.last_row + 1, len(grid)):
            row = grid[r]
            if col < len(row) and type(row[col]) is str and ("合计" in row[col] or "总计" in row[col]):
                found.add(r)
    return found


_MISSING = object()


def _read_rows(grid, header: Header, present: list[str], sheet: str, ctx: Context, total_rows: set[int],
               formulas=frozenset()):
    """Type and check the data rows, column by column (the fast path for large files).
    `total_rows`: the 合计 rows; `formulas`: cells holding a formula without a cached value,
    which read as empty."""
    columns = [(COLUMNS_BY_KEY[k], header.columns[k]) for k in present]
    width = max(col for _, col in columns) + 1
    rows: list[int] = []
    data: list[list] = []
    totals = None
    probe = header.columns.get("school_id", header.columns.get("name"))  # filled in nearly every row
    for r in range(header.last_row + 1, len(grid)):
        row = grid[r]
        if len(row) < width:
            row = row + [""] * (width - len(row))
        if row[probe] in ("", None) and row.count("") + row.count(None) == len(row):
            continue
        if r in total_rows:
            totals = (r, row)
            continue
        rows.append(r)
        data.append(row)
    if not data:
        raise BlankTemplate([Problem(ctx.file, sheet, BlankTemplate.MESSAGE, Severity.NOTE)])

    found: list[tuple[int, int, str]] = []  # (row, col, message), reported in sheet order
    ok = [True] * len(data)
    fields: dict[str, list[str]] = {}
    for column, col in columns:
        if column.numeric:
            continue
        fold = column.kind is not Kind.TEXT
        raw = [row[col] for row in data]
        if fold:
            values = [v.strip() if type(v) is str and v.isascii() else _text(v, fold) for v in raw]
        else:
            values = [v.strip() if type(v) is str else _text(v, fold) for v in raw]
        fields[column.key] = values
        if column.kind is Kind.ID:
            suspects = [k for k, t in enumerate(values) if not (t and _ID.match(t))]
        elif column.kind is Kind.CHOICE:
            allowed = set(CHOICES[column.key]) | {""}
            suspects = [k for k, t in enumerate(values) if t not in allowed]
        else:
            suspects = [k for k, t in enumerate(values) if not t]
        for k in suspects:
            problem = _text_problem(column, values[k])
            if problem:
                found.append((rows[k], col, problem))
                ok[k] = False
    types = [TYPE_ALIASES.get(t) for t in fields["school_type"]]
    type_col = header.columns["school_type"]
    for k, school_type in enumerate(types):
        if school_type is None:
            ok[k] = False
            if fields["school_type"][k]:
                found.append((rows[k], type_col, f"办学类型“{fields['school_type'][k]}”无法识别（可填名称或国标代码211/218/311/312/341/345/512）"))

    keys, cols, patches = [], [], {}
    for column, col in columns:
        if not column.numeric:
            continue
        whole = column.kind is Kind.INT
        values = [row[col] for row in data]
        if not column.required and values.count("") + values.count(None) == len(values):
            continue  # an optional column nobody filled in
        for k in _odd_cells(values, whole, column.maximum):
            ref = cell_ref(rows[k], col)
            patches.setdefault(k, {})[column.key], problem = _odd_number(
                column, values[k], types[k], lambda: (sheet, ref) in formulas)
            if problem:
                found.append((rows[k], col, problem))
            if problem is not None:
                ok[k] = False
        keys.append(column.key)
        cols.append(col)

    for r, col, message in sorted(found):
        ctx.error(sheet, cell_ref(r, col), message)
    get = fields.get
    blank = [""] * len(data)
    sponsor, urban, counted, parent, districts = (
        get(k, blank) for k in ("sponsor", "urban_rural", "counted", "parent_id", "district"))
    ids, names = fields["school_id"], fields["name"]
    flags = {key: fields[key] for key in FLAG_COLUMNS if key in fields and any(fields[key])}
    pick = itemgetter(*cols) if len(cols) > 1 else (lambda row: (row[cols[0]],))
    schools = []
    for k, row in enumerate(data):
        if not ok[k]:
            continue
        values = dict(zip(keys, pick(row)))
        if k in patches:
            values.update(patches[k])
            values = {key: v for key, v in values.items() if v is not _MISSING}
        if flags:
            values.update((key, float(flags[key][k] == "是")) for key in flags if flags[key][k])
        schools.append(SchoolRow(ids[k], names[k], types[k], values, sponsor[k], urban[k], counted[k] != "否",
                                 parent[k], rows[k] + 1, districts[k]))
    return schools, totals


def _odd_cells(values: list, whole: bool, maximum: float) -> list[int]:
    """Indexes of the cells that are not plain numbers from 0 to `maximum` (whole where
    `whole`); NaN fails every comparison, so it is odd too.

    The common case, a column of plain numbers, is checked at numpy's speed.
    """
    if len(values) >= NUMPY_FROM and set(map(type, values)) == {float}:
        import numpy as np  # only large files need it; importing it costs a small run 0.1 s

        array = np.fromiter(values, dtype=float, count=len(values))
        if ((array >= 0) & (array <= maximum)).all() and (not whole or (array == np.floor(array)).all()):
            return []
    if whole:
        return [k for k, v in enumerate(values) if type(v) is not float or not 0 <= v <= maximum or not v.is_integer()]
    return [k for k, v in enumerate(values) if type(v) is not float or not 0 <= v <= maximum]


def _text_problem(column: Column, text: str) -> str | None:
    if column.kind is Kind.ID and text and not _ID.match(text):
        return f"{column.header}应为10位数字，现为“{text}”（若开头的0丢失，请把该列设为文本格式后重新填写）"
    if column.kind is Kind.CHOICE and text and text not in CHOICES[column.key]:
        return f"{column.header}“{text}”不是可选值（{'/'.join(CHOICES[column.key])}）"
    if column.required and not text:
        return f"{column.header}未填写"
    return None


def _odd_number(column: Column, raw, school_type: SchoolType | None, is_formula):
    """(value, problem) for a cell that is not a plain non-negative number.

    Blank: an error where the figure belongs to the school, 0 where it does not, and "not
    given" in an optional column (a per-section figure left to the split). A problem of ""
    marks a cell already reported (a formula without a value).
    """
    value = parse_number(raw)
    if value is None:
        if column.required and school_type is not None and column.applies_to(school_type):
            if is_formula():
                return _MISSING, ""
            return _MISSING, f"{column.header}未填写（没有请填0）"
        return (0.0 if column.required else _MISSING), None
    problem = number_problem(column, value)
    return (_MISSING, problem) if problem else (value, None)


def number_problem(column: Column, value: float | str) -> str | None:
    """Why a parsed cell cannot be the column's figure, or None."""
    if isinstance(value, str):
        return f"{column.header}“{value}”不是数字"
    if not math.isfinite(value):
        return f"{column.header}不是有效的数字（现为{value}）"
    if value < 0:
        return f"{column.header}不能为负数（现为{_fmt(value)}）"
    if value > column.maximum:
        return f"{column.header}为{_fmt(value)}，超过合理上限{_fmt(column.maximum)}：请核对"
    if column.kind is Kind.INT and not value.is_integer():
        return f"{column.header}应为整数（现为{_fmt(value)}）"
    return None


def _fmt(value: float) -> str:
    return str(int(value)) if abs(value) < 1e15 and float(value).is_integer() else f"{value:g}"


# --- checks across rows --------------------------------------------------------------------


def _check_schools(schools: list[SchoolRow], sheet: str, header: Header, settings: Settings, ctx: Context) -> None:
    cols = header.columns
    ids = {s.school_id: s for s in schools if s.counted}
    seen: dict[str, int] = {}
    for school in schools:
        if school.counted:
            if school.school_id in seen:
                ctx.error(sheet, _ref(school, cols, "school_id"),
                          f"学校标识码{school.school_id}重复（第{seen[school.school_id]}行已有）；分校区请在“是否计校数”填“否”")
            else:
                seen[school.school_id] = school.row
        elif school.parent_id not in ids:
            ref = _ref(school, cols, "parent_id")
            given = f"“{school.parent_id}”" if school.parent_id else "未填写"
            ctx.error(sheet, ref, f"分校区“{school.name}”的所属学校标识码{given}，不是本文件中的学校")
        _check_levels(school, sheet, cols, ctx)
        _check_plausible(school, sheet, cols, settings, ctx)


def _ref(school: SchoolRow, cols: dict[str, int], key: str) -> str:
    return cell_ref(school.row - 1, cols[key]) if key in cols else f"第{school.row}行"


_SECTIONS = tuple((s, level, f"oversize_{s}", f"classes_{s}") for s, level in (("primary", "小学"), ("junior", "初中")))


def _check_levels(school: SchoolRow, sheet: str, cols, ctx: Context) -> None:
    t = school.school_type
    if t is SchoolType.SPECIAL:
        return
    get = school.values.get
    students = {"primary": get("students_primary", 0), "junior": get("students_junior", 0)}
    senior = get("students_senior", 0)
    if (students["primary"] and not t.has_primary) or (students["junior"] and not t.has_junior) or (
            senior and not t.has_senior):
        for key, present, level in (
            ("students_primary", t.has_primary, "小学"),
            ("students_junior", t.has_junior, "初中"),
            ("students_senior", t.has_senior, "高中"),
        ):
            if not present and get(key, 0) > 0:
                ctx.error(sheet, _ref(school, cols, key),
                          f"办学类型为{t.label}，却填有{level}在校生数{_fmt(get(key))}：请核对办学类型或学生数")
    for section, level, oversize_key, classes_key in _SECTIONS:
        if not students[section]:
            key = next((k for k in TEACHER_KEYS[section] if get(k, 0) > 0), None)
            if key:
                ctx.error(sheet, _ref(school, cols, key), f"填有{level}教师，但{level}在校生数为0：请核对")
        oversize = get(oversize_key, 0)
        if oversize:
            classes = get(classes_key, 0)
            if oversize > classes:
                ctx.error(sheet, _ref(school, cols, oversize_key),
                          f"{COLUMNS_BY_KEY[oversize_key].header}{_fmt(oversize)}多于{level}班数{_fmt(classes)}")


def _check_plausible(school: SchoolRow, sheet: str, cols, settings: Settings, ctx: Context) -> None:
    get = school.values.get
    students = get("students_primary", 0) + get("students_junior", 0) + get("students_senior", 0)
    if school.school_type is SchoolType.TEACHING_POINT and school.counted:
        threshold = settings.teaching_point_threshold
        below = students < threshold if settings.teaching_point_comparator == "<" else students <= threshold
        if below:
            rule = f"不足{threshold}人" if settings.teaching_point_comparator == "<" else f"{threshold}人及以下"
            ctx.warn(sheet, _ref(school, cols, "students_primary"),
                     f"教学点“{school.name}”在校生{_fmt(students)}人（{rule}），不参加资源配置指标测算")
    if students > 0 and get("teaching_area", 0) / students > IMPLAUSIBLE_AREA_PER_STUDENT:
        ctx.warn(sheet, _ref(school, cols, "teaching_area"),
                 f"“{school.name}”生均教学及辅助用房{school.value('teaching_area') / students:.1f}㎡，"
                 f"超过{IMPLAUSIBLE_AREA_PER_STUDENT:g}㎡，请核对面积或学生数")


def _check_totals(schools, totals, header: Header, sheet: str, ctx: Context) -> None:
    r, row = totals
    for key, col in header.columns.items():
        column = COLUMNS_BY_KEY[key]
        if not column.numeric:
            continue
        stated = parse_number(row[col] if col < len(row) else None)
        if not isinstance(stated, float):
            continue
        actual = sum(s.value(key) for s in schools)
        if not math.isclose(stated, actual, rel_tol=1e-9, abs_tol=1e-6):
            ctx.warn(sheet, cell_ref(r, col), f"合计行的{column.header}为{_fmt(stated)}，各校之和为{_fmt(actual)}")


_FORMULA = re.compile(rb"<f[ >/]")
_FORMULA_NO_VALUE = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*?>\s*<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)?\s*</c>')


class _FormulaCells:
    """The school sheet's formula cells without a cached value, looked for on first need only
    (a blank cell that should hold a figure): scanning a large sheet's XML costs time."""

    def __init__(self, path: Path, fmt: Format, sheet: str, ctx: Context):
        self._path, self._fmt, self._sheet, self._ctx = path, fmt, sheet, ctx
        self._cells: set[tuple[str, str]] | None = None
        self.totals: frozenset[int] = frozenset()  # sheet rows (1-based) of 合计: an empty total is checked, not used


    def __contains__(self, cell: tuple[str, str]) -> bool:
        if self._cells is None:
            self._cells = (_check_formulas(self._path, self._ctx, {self._sheet}, self.totals)
                           if self._fmt is Format.XLSX else set())
        return cell in self._cells


def _check_formulas(path: Path, ctx: Context, sheets: set[str], skip_rows=frozenset()) -> set[tuple[str, str]]:
    """Formula cells saved without a cached value read as empty: name each one (but those on
    `skip_rows`, a totals row, whose figures are no school's)."""
    found: set[tuple[str, str]] = set()
    try:
        with zipfile.ZipFile(path) as archive:
            sheet_names = xlsx_sheet_parts(archive)
            for part, name in sheet_names.items():
                if name not in sheets:
                    continue
                data = archive.read(part)
                if not _FORMULA.search(data):
                    continue
                for match in _FORMULA_NO_VALUE.finditer(data):
                    ref = match[1].decode()
                    if int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) in skip_rows:
                        continue
                    found.add((name, ref))
                    ctx.error(name, ref, "公式单元格没有保存计算结果：请在 Excel 中打开、重新计算并保存，或改为填写数值")
    except (zipfile.BadZipFile, KeyError):
        pass
    return found


# --- the 填报说明 and 区级指标 sheets, and the year ----------------------------------------------


def read_info(workbook, sheet_names: list[str]) -> dict[str, tuple[str, str]]:
    """Label → (value, cell) from the 填报说明 sheet: a label cell with its value to the right."""
    name = next((n for n in sheet_names if normalise_plain(n) == INFO_SHEET), None)
    if name is None:
        return {}
    grid = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    info: dict[str, tuple[str, str]] = {}
    for r, row in enumerate(grid):
        for c, value in enumerate(row[:-1]):
            label = normalise_plain(value).rstrip(":")
            if label in ("区县", "统计年度", "填报人", "数据性质") and label not in info:
                info[label] = (_text(row[c + 1]), f"{name}!{cell_ref(r, c + 1)}")
    return info


def resolve_year(path: Path, info, title_rows, sheet: str, given: int | None, ctx: Context) -> int:
    found: list[tuple[int, str]] = []
    if "统计年度" in info and info["统计年度"][0]:
        value, ref = info["统计年度"]
        match = _YEAR_NAME.search(value)
        if match:
            found.append((int(match[1]), ref))
        else:
            ctx.problems.append(Problem(ctx.file, ref, f"统计年度“{value}”无法识别，请填写四位年份，例如 2022"))
    for r, row in enumerate(title_rows):
        for c, value in enumerate(row):
            match = _YEAR_TITLE.search(str(value))
            if match:
                found.append((int(match[1]), f"{sheet}!{cell_ref(r, c)}"))
    match = _YEAR_NAME.search(path.stem)
    if match:
        found.append((int(match[1]), "文件名"))
    years = sorted({y for y, _ in found})
    if len(years) > 1:
        listed = "，".join(f"{ref}为{y}" for y, ref in found)
        ctx.problems.append(Problem(ctx.file, "", f"统计年度不一致：{listed}。请改正后再试"))
        return years[0]
    if years:
        return years[0]
    if given is not None:
        return given
    ctx.problems.append(Problem(ctx.file, "", f"无法确定统计年度：请在“{INFO_SHEET}”中填写统计年度、在文件名中写明年份，或运行时加 --year 2022"))
    return 0


class _PercentFormats:
    """Whether a district-sheet cell is formatted as a percentage; the file is opened for
    formats only when a bare fraction needs it (openpyxl or xlrd, on that one small sheet)."""

    def __init__(self, path: Path, fmt: Format, sheet: str):
        self.path, self.fmt, self.sheet = path, fmt, sheet
        self._formats: dict[tuple[int, int], bool] | None = None

    def __call__(self, row: int, col: int) -> bool:
        if self._formats is None:
            self._formats = self._load()
        return self._formats.get((row, col), False)

    def _load(self) -> dict[tuple[int, int], bool]:
        if self.fmt is Format.XLSX:
            import openpyxl

            with self.path.open("rb") as handle:
                workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
                found = {
                    (c.row - 1, c.column - 1): "%" in (c.number_format or "")
                    for row in workbook[self.sheet].iter_rows()
                    for c in row
                    if getattr(c, "row", None)
                }
                workbook.close()
            return found
        import xlrd

        book = xlrd.open_workbook(str(self.path), formatting_info=True)
        sheet = book.sheet_by_name(self.sheet)
        return {
            (r, c): "%" in book.format_map[book.xf_list[sheet.cell_xf_index(r, c)].format_key].format_str
            for r in range(sheet.nrows)
            for c in range(sheet.ncols)
        }


def read_district_values(path: Path, fmt: Format, sheet: str | None, rows, ctx: Context):
    """The 区级指标 sheet: (one-value rows by (code, level), inputs by (code, level, item)).

    A sheet without a 填报项目 column (the old form) has only one-value rows."""
    recorded: dict[tuple[str, str], RecordedValue] = {}
    inputs: dict[tuple[str, str, str], RecordedValue] = {}
    if sheet is None:
        return recorded, inputs
    wanted = {normalise_plain(v): k for k, v in DISTRICT_HEADERS.items()}
    header_row, columns = None, {}
    for r, row in enumerate(rows[:20]):
        found = {wanted[normalise_plain(v)]: c for c, v in enumerate(row) if normalise_plain(v) in wanted}
        if {"code", "value"} <= set(found):
            header_row, columns = r, found
            break
    if header_row is None:
        ctx.error(sheet, "", "找不到表头（应有“编号”“数值”列）")
        return recorded, inputs
    is_percent = _PercentFormats(path, fmt, sheet)
    for r in range(header_row + 1, len(rows)):
        row = rows[r]

        def get(key):
            col = columns.get(key)
            return row[col] if col is not None and col < len(row) else None

        code = _text(get("code"))
        raw = get("value")
        if not code or raw in (None, ""):
            continue
        level, item = _text(get("level")) or "全区", _text(get("item"), fold=False)
        col = columns["value"]
        ref = cell_ref(r, col)
        value = _recorded(code, level, item, _text(get("unit")), raw, lambda: is_percent(r, col), _text(get("note")),
                          f"{sheet}!{ref}", sheet, ref, ctx)
        if value is None:
            continue
        value = dataclasses.replace(value, file=ctx.file)
        if item:
            inputs[(code, level, item)] = value
        else:
            recorded[(code, level)] = value
    return recorded, inputs


_VALUE_TEXT = re.compile(r"^([+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+))\s*(\D*)$")


def _recorded(code, level, item, unit, raw, is_percent, note, where, sheet, ref, ctx) -> RecordedValue | None:
    """One value of the sheet; a number typed in another unit than the row's is refused with its cell."""
    name = f"{code}{'“' + item + '”' if item else ''}"
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if not math.isfinite(raw) or abs(raw) > RECORDED_MAXIMUM:
            ctx.error(sheet, ref, f"{name}的数值{raw:g}不是合理的数字：请核对")
            return None
        number = Decimal(repr(float(raw)))
        typed = unit
        # A percentage typed into a cell is stored as a fraction (95% → 0.95): only such small numbers
        # need the cell format (which costs opening the file a second time).
        if unit and unit != "%" and 0 < number <= 1 and is_percent():
            ctx.error(sheet, ref, f"{name}应填写{unit}数，现为百分比{_fmt(float(raw) * 100)}%")
            return None
        if unit == "%":
            if number <= 1 and is_percent():
                number *= 100
            elif number <= 1:
                ctx.error(sheet, ref, f"{name}的数值{_fmt(float(raw))}含义不明确：百分比请填写如 96 或 96%")
                return None
        number = _tidy(number)
        suffix = "%" if unit == "%" else unit
        return RecordedValue(code, level, f"{number}{suffix}", number, note, where, item, typed)
    text = _text(raw)
    if text in QUALITATIVE_CHOICES:
        return RecordedValue(code, level, text, None, note, where, item)
    match = _VALUE_TEXT.match(text)
    if match is None:
        ctx.error(sheet, ref, f"{name}的数值“{text}”无法识别（可填 {'/'.join(QUALITATIVE_CHOICES)}，或数字）")
        return None
    suffix = match[2].strip().replace("％", "%")
    if suffix and suffix != unit and not (suffix == "%" and not unit):
        wanted = f"应以“{unit}”为单位填写" if unit else "不应带单位"
        ctx.error(sheet, ref, f"{name}{wanted}，现为“{text}”")
        return None
    number = Decimal(match[1].replace(",", ""))
    if abs(number) > RECORDED_MAXIMUM:
        ctx.error(sheet, ref, f"{name}的数值“{text}”不是合理的数字：请核对")
        return None
    if unit == "%" and not suffix and number <= 1:
        ctx.error(sheet, ref, f"{name}的数值“{text}”含义不明确：百分比请填写如 96 或 96%")
        return None
    typed = suffix or unit
    number = _tidy(number)
    return RecordedValue(code, level, f"{number}{typed}", number, note, where, item, typed)


def _tidy(number: Decimal) -> Decimal:
    """96.50 → 96.5, 100.0 → 100 (never 1E+2)."""
    number = number.normalize()
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number
