"""Read a census workbook into a typed Census, or refuse it listing every problem with its cell.

The school sheet is read through python-calamine; the small district-level sheet through
openpyxl (or xlrd for .xls), which also tell a cell formatted as a percentage.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import python_calamine

from excel_balance.census.grid import Header, cell_ref, closest_header, find_header
from excel_balance.census.model import Census, RecordedValue, SchoolRow
from excel_balance.census.schema import (
    CHOICES,
    COLUMNS_BY_KEY,
    DISTRICT_HEADERS,
    DISTRICT_SHEET,
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
from excel_balance.census.sniff import DEFAULT_SIZE_LIMIT, Format, UnreadableFile, sniff
from excel_balance.plan import Settings
from excel_balance.problems import Problem, ProblemsError, Severity

TOTAL_WORDS = ("合计", "总计")
IMPLAUSIBLE_AREA_PER_STUDENT = 50.0
_ID = re.compile(r"^\d{10}$")
_YEAR_TITLE = re.compile(r"(20\d\d)\s*(?:[-—–~至]\s*20\d\d)?\s*(?:学年|年度)")
_YEAR_NAME = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@dataclass
class _Context:
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
) -> Census:
    """Read and validate one census workbook.

    `year` and `district` are used only when the file states none. Raises ProblemsError with
    every error (and the warnings found so far) when the file cannot be used.
    """
    path = Path(path)
    settings = settings or Settings()
    ctx = _Context(path.name, [])
    try:
        fmt = sniff(path, size_limit)
        with path.open("rb") as handle:  # by content: an .xls that is really .xlsx still opens
            workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
    except UnreadableFile as exc:
        raise ProblemsError([Problem(path.name, "", str(exc))]) from None
    except (python_calamine.PasswordError,) as exc:
        raise ProblemsError([Problem(path.name, "", "工作簿设有密码保护，无法读取：请取消密码后另存")]) from exc
    except (python_calamine.CalamineError, zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ProblemsError([Problem(path.name, "", f"文件已损坏或不完整，无法读取（{exc}）：请重新复制或导出")]) from None

    with workbook:
        sheet_names = [m.name for m in workbook.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
        if not sheet_names:
            raise ProblemsError([Problem(path.name, "", "工作簿中没有工作表")])
        school_sheet = _school_sheet_name(sheet_names)
        if school_sheet is None:
            raise ProblemsError([Problem(path.name, "", f"找不到“{SCHOOL_SHEET}”工作表（现有工作表：{'、'.join(sheet_names)}）")])
        try:
            sheet = workbook.get_sheet_by_name(school_sheet)
            grid = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
        except python_calamine.CalamineError as exc:
            raise ProblemsError([Problem(path.name, school_sheet, f"工作表已损坏，无法读取（{exc}）")]) from None
        info = _read_info(workbook, sheet_names)

    if not any(any(v not in (None, "") for v in row) for row in grid):
        raise ProblemsError([Problem(path.name, school_sheet, "工作表是空的，没有学校数据")])
    if fmt is Format.XLSX:
        _check_formulas(path, ctx)

    header = find_header(grid, merged, aliases or {})
    if header is None or not {"school_id", "name"} & set(header.columns):
        raise ProblemsError([Problem(path.name, school_sheet, "找不到表头：前20行中没有“学校标识码”“学校名称”“办学类型”等列名")])
    present = _check_columns(header, school_sheet, ctx)
    schools, totals = _read_rows(grid, header, present, school_sheet, ctx)
    _check_schools(schools, school_sheet, header, settings, ctx)
    if totals is not None:
        _check_totals(schools, totals, header, school_sheet, ctx)

    recorded = _read_district_values(path, fmt, sheet_names, ctx)
    census_year = _resolve_year(path, info, grid[: header.first_row], school_sheet, year, ctx)
    census_district = info.get("区县", ("", ""))[0] or district or ""
    sample = SAMPLE_MARK in path.name or any(SAMPLE_MARK in str(v) for v, _ in info.values()) or any(
        SAMPLE_MARK in str(v) for row in grid[: header.first_row] for v in row
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
    )


def _school_sheet_name(names: list[str]) -> str | None:
    for name in names:
        if normalise_plain(name) == SCHOOL_SHEET:
            return name
    others = [n for n in names if normalise_plain(n) not in (DISTRICT_SHEET, INFO_SHEET)]
    return others[0] if len(others) == 1 else None


# --- columns and rows ----------------------------------------------------------------------


def _check_columns(header: Header, sheet: str, ctx: _Context) -> list[str]:
    for column in SCHOOL_COLUMNS:
        if column.required and column.key not in header.columns:
            near = closest_header(column, header)
            hint = f"，最接近的列名是“{near}”" if near else ""
            ctx.error(sheet, f"第{header.first_row + 1}行", f"缺少必填列“{column.title}”{hint}")
    return [c.key for c in SCHOOL_COLUMNS if c.key in header.columns]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _number(value) -> float | None | str:
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


def _is_total(row: list, header: Header) -> bool:
    for key in ("school_id", "name"):
        col = header.columns.get(key)
        if col is not None and col < len(row) and any(w in str(row[col]) for w in TOTAL_WORDS):
            return True
    return False


def _read_rows(grid, header: Header, present: list[str], sheet: str, ctx: _Context):
    columns = [(COLUMNS_BY_KEY[k], header.columns[k]) for k in present]
    numeric = [(c, i) for c, i in columns if c.numeric]
    schools: list[SchoolRow] = []
    totals = None
    for r in range(header.last_row + 1, len(grid)):
        row = grid[r]
        if all(v in (None, "") for v in row):
            continue
        if _is_total(row, header):
            totals = (r, row)
            continue
        school = _read_school(row, r, columns, numeric, sheet, ctx)
        if school is not None:
            schools.append(school)
    if not schools:
        ctx.error(sheet, "", "表头下没有学校数据")
    return schools, totals


def _cell(row: list, col: int):
    return row[col] if col < len(row) else None


def _read_school(row, r, columns, numeric, sheet, ctx) -> SchoolRow | None:
    fields: dict[str, str] = {}
    ok = True
    for column, col in columns:
        if column.numeric:
            continue
        text = _text(_cell(row, col))
        ref = cell_ref(r, col)
        if column.kind is Kind.ID and text and not _ID.match(text):
            ctx.error(sheet, ref, f"{column.header}应为10位数字，现为“{text}”（若开头的0丢失，请把该列设为文本格式后重新填写）")
            ok = False
        elif column.kind is Kind.CHOICE and text and text not in CHOICES[column.key]:
            ctx.error(sheet, ref, f"{column.header}“{text}”不是可选值（{'/'.join(CHOICES[column.key])}）")
            ok = False
        elif column.required and not text:
            ctx.error(sheet, ref, f"{column.header}未填写")
            ok = False
        fields[column.key] = text
    school_type = TYPE_ALIASES.get(fields.get("school_type", ""))
    if school_type is None:
        if fields.get("school_type"):
            col = dict((c.key, i) for c, i in columns)["school_type"]
            ctx.error(sheet, cell_ref(r, col), f"办学类型“{fields['school_type']}”无法识别（可填名称或国标代码211/218/311/312/341/345/512）")
        return None
    values: dict[str, float] = {}
    for column, col in numeric:
        raw = _cell(row, col)
        value = raw if type(raw) is float and raw >= 0 else _number(raw)
        ref = cell_ref(r, col)
        if value is None:
            # Blank: an error where the figure belongs to the school, 0 where it does not,
            # and "not given" in an optional column (a per-section figure left to the split).
            if column.required and column.applies_to(school_type):
                ctx.error(sheet, ref, f"{column.header}未填写（没有请填0）")
                ok = False
            elif column.required:
                values[column.key] = 0.0
            continue
        if isinstance(value, str):
            ctx.error(sheet, ref, f"{column.header}“{value}”不是数字")
            ok = False
            continue
        if value < 0:
            ctx.error(sheet, ref, f"{column.header}不能为负数（现为{_fmt(value)}）")
            ok = False
            continue
        if column.kind is Kind.INT and not value.is_integer():
            ctx.error(sheet, ref, f"{column.header}应为整数（现为{_fmt(value)}）")
            ok = False
            continue
        values[column.key] = value
    if not ok:
        return None
    return SchoolRow(
        school_id=fields["school_id"],
        name=fields["name"],
        school_type=school_type,
        values=values,
        sponsor=fields.get("sponsor", ""),
        urban_rural=fields.get("urban_rural", ""),
        counted=fields.get("counted", "") != "否",
        parent_id=fields.get("parent_id", ""),
        row=r + 1,
    )


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# --- checks across rows --------------------------------------------------------------------


def _check_schools(schools: list[SchoolRow], sheet: str, header: Header, settings: Settings, ctx: _Context) -> None:
    cols = header.columns
    ids = {s.school_id: s for s in schools if s.counted}
    seen: dict[str, int] = {}
    for school in schools:
        id_ref = cell_ref(school.row - 1, cols["school_id"]) if "school_id" in cols else ""
        if school.counted:
            if school.school_id in seen:
                ctx.error(sheet, id_ref, f"学校标识码{school.school_id}重复（第{seen[school.school_id]}行已有）；分校区请在“是否计校数”填“否”")
            seen.setdefault(school.school_id, school.row)
        elif school.parent_id not in ids:
            ref = cell_ref(school.row - 1, cols["parent_id"]) if "parent_id" in cols else id_ref
            given = f"“{school.parent_id}”" if school.parent_id else "未填写"
            ctx.error(sheet, ref, f"分校区“{school.name}”的所属学校标识码{given}，不是本文件中的学校")
        _check_levels(school, sheet, cols, ctx)
        _check_plausible(school, sheet, cols, settings, ctx)


def _ref(school: SchoolRow, cols: dict[str, int], key: str) -> str:
    return cell_ref(school.row - 1, cols[key]) if key in cols else f"第{school.row}行"


def _check_levels(school: SchoolRow, sheet: str, cols, ctx: _Context) -> None:
    t = school.school_type
    for key, present, level in (
        ("students_primary", t.has_primary, "小学"),
        ("students_junior", t.has_junior, "初中"),
        ("students_senior", t.has_senior, "高中"),
    ):
        if not present and school.value(key) > 0 and t is not SchoolType.SPECIAL:
            ctx.error(sheet, _ref(school, cols, key),
                      f"办学类型为{t.label}，却填有{level}在校生数{_fmt(school.value(key))}：请核对办学类型或学生数")
    for section, level in (("primary", "小学"), ("junior", "初中")):
        teachers = sum(school.value(k) for k in TEACHER_KEYS[section])
        if teachers > 0 and school.value(f"students_{section}") == 0 and t is not SchoolType.SPECIAL:
            key = next(k for k in TEACHER_KEYS[section] if school.value(k) > 0)
            ctx.error(sheet, _ref(school, cols, key), f"填有{level}教师，但{level}在校生数为0：请核对")
        if school.value(f"oversize_{section}") > school.value(f"classes_{section}"):
            ctx.error(sheet, _ref(school, cols, f"oversize_{section}"),
                      f"{COLUMNS_BY_KEY[f'oversize_{section}'].header}{_fmt(school.value(f'oversize_{section}'))}"
                      f"多于{level}班数{_fmt(school.value(f'classes_{section}'))}")


def _check_plausible(school: SchoolRow, sheet: str, cols, settings: Settings, ctx: _Context) -> None:
    students = sum(school.value(k) for k in ("students_primary", "students_junior", "students_senior"))
    if school.school_type is SchoolType.TEACHING_POINT and school.counted:
        threshold = settings.teaching_point_threshold
        below = students < threshold if settings.teaching_point_comparator == "<" else students <= threshold
        if below:
            rule = f"不足{threshold}人" if settings.teaching_point_comparator == "<" else f"{threshold}人及以下"
            ctx.warn(sheet, _ref(school, cols, "students_primary"),
                     f"教学点“{school.name}”在校生{_fmt(students)}人（{rule}），不参加资源配置指标测算")
    if students > 0 and school.value("teaching_area") / students > IMPLAUSIBLE_AREA_PER_STUDENT:
        ctx.warn(sheet, _ref(school, cols, "teaching_area"),
                 f"“{school.name}”生均教学及辅助用房{school.value('teaching_area') / students:.1f}㎡，"
                 f"超过{IMPLAUSIBLE_AREA_PER_STUDENT:g}㎡，请核对面积或学生数")


def _check_totals(schools, totals, header: Header, sheet: str, ctx: _Context) -> None:
    r, row = totals
    for key, col in header.columns.items():
        column = COLUMNS_BY_KEY[key]
        if not column.numeric:
            continue
        stated = _number(_cell(row, col))
        if not isinstance(stated, float):
            continue
        actual = sum(s.value(key) for s in schools)
        if not math.isclose(stated, actual, rel_tol=1e-9, abs_tol=1e-6):
            ctx.warn(sheet, cell_ref(r, col), f"合计行的{column.header}为{_fmt(stated)}，各校之和为{_fmt(actual)}")


_FORMULA_NO_VALUE = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*?>\s*<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)?\s*</c>')


def _check_formulas(path: Path, ctx: _Context) -> None:
    """Formula cells saved without a cached value read as empty: name each one."""
    try:
        with zipfile.ZipFile(path) as archive:
            sheet_names = _xlsx_sheet_parts(archive)
            for part, name in sheet_names.items():
                data = archive.read(part)
                if b"<f" not in data:
                    continue
                for match in _FORMULA_NO_VALUE.finditer(data):
                    ctx.error(name, match[1].decode(), "公式单元格没有保存计算结果：请在 Excel 中打开、重新计算并保存，或改为填写数值")
    except (zipfile.BadZipFile, KeyError):
        return


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    from defusedxml import ElementTree

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    parts = {}
    for sheet in workbook.iter(f"{ns_main}sheet"):
        target = targets.get(sheet.get(f"{ns_rel}id"), "")
        parts["xl/" + target.lstrip("/").removeprefix("xl/")] = sheet.get("name")
    return parts


# --- the 填报说明 and 区级指标 sheets, and the year ----------------------------------------------


def _read_info(workbook, sheet_names: list[str]) -> dict[str, tuple[str, str]]:
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


def _resolve_year(path: Path, info, title_rows, sheet: str, given: int | None, ctx: _Context) -> int:
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


def _district_rows(path: Path, fmt: Format, sheet_names: list[str]):
    """(row, [(value, is_percent_format)]) for every row of the 区级指标 sheet, or None."""
    name = next((n for n in sheet_names if normalise_plain(n) == DISTRICT_SHEET), None)
    if name is None:
        return None, None
    if fmt is Format.XLSX:
        import openpyxl

        with path.open("rb") as handle:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
            rows = [
                [(c.value, "%" in (c.number_format or "")) for c in row]
                for row in workbook[name].iter_rows()
            ]
            workbook.close()
        return name, rows
    import xlrd

    book = xlrd.open_workbook(str(path), formatting_info=True)
    sheet = book.sheet_by_name(name)
    rows = []
    for r in range(sheet.nrows):
        row = []
        for c in range(sheet.ncols):
            cell = sheet.cell(r, c)
            fmt_str = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
            value = None if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) else cell.value
            row.append((value, "%" in fmt_str))
        rows.append(row)
    return name, rows


def _read_district_values(path: Path, fmt: Format, sheet_names, ctx: _Context) -> dict[tuple[str, str], RecordedValue]:
    try:
        sheet, rows = _district_rows(path, fmt, sheet_names)
    except Exception as exc:  # the school sheet was readable; say what failed here
        ctx.error(DISTRICT_SHEET, "", f"工作表无法读取（{exc}）")
        return {}
    if rows is None:
        return {}
    wanted = {normalise_plain(v): k for k, v in DISTRICT_HEADERS.items()}
    header_row, columns = None, {}
    for r, row in enumerate(rows[:20]):
        found = {wanted[normalise_plain(v)]: c for c, (v, _) in enumerate(row) if normalise_plain(v) in wanted}
        if {"code", "value"} <= set(found):
            header_row, columns = r, found
            break
    if header_row is None:
        ctx.error(sheet, "", "找不到表头（应有“编号”“数值”列）")
        return {}
    recorded: dict[tuple[str, str], RecordedValue] = {}
    for r in range(header_row + 1, len(rows)):
        row = rows[r]

        def get(key):
            col = columns.get(key)
            return row[col] if col is not None and col < len(row) else (None, False)

        code = _text(get("code")[0])
        raw, is_percent = get("value")
        if not code or raw in (None, ""):
            continue
        level = _text(get("level")[0]) or "全区"
        unit = _text(get("unit")[0])
        ref = cell_ref(r, columns["value"])
        value = _recorded(code, level, unit, raw, is_percent, _text(get("note")[0]), f"{sheet}!{ref}", sheet, ref, ctx)
        if value is not None:
            recorded[(code, level)] = value
    return recorded


def _recorded(code, level, unit, raw, is_percent, note, where, sheet, ref, ctx) -> RecordedValue | None:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        number = Decimal(repr(float(raw)))
        if unit == "%":
            if is_percent:
                number *= 100
            elif number <= 1:
                ctx.error(sheet, ref, f"{code}的数值{_fmt(float(raw))}含义不明确：百分比请填写如 96 或 96%")
                return None
        number = _tidy(number)
        suffix = "%" if unit == "%" else unit
        return RecordedValue(code, level, f"{number}{suffix}", number, note, where)
    text = _text(raw)
    if text in QUALITATIVE_CHOICES:
        return RecordedValue(code, level, text, None, note, where)
    numeric = text.rstrip("%").strip()
    try:
        number = Decimal(numeric.replace(",", ""))
    except InvalidOperation:
        ctx.error(sheet, ref, f"{code}的数值“{text}”无法识别（可填 {'/'.join(QUALITATIVE_CHOICES)}，或数字）")
        return None
    if unit == "%" and not text.endswith("%") and number <= 1:
        ctx.error(sheet, ref, f"{code}的数值“{text}”含义不明确：百分比请填写如 96 或 96%")
        return None
    suffix = "%" if (unit == "%" or text.endswith("%")) else unit
    number = _tidy(number)
    return RecordedValue(code, level, f"{number}{suffix}", number, note, where)


def _tidy(number: Decimal) -> Decimal:
    """96.50 → 96.5, 100.0 → 100 (never 1E+2)."""
    number = number.normalize()
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number
