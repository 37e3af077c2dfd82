"""The census system's own school-level exports (基层表), read as they are.

A 小学 export and a 中学 export (separate workbooks or sheets of one) are recognised by their
header paths, which a mapping file in templates/exports/ lists (so an export that differs is
fixed by editing data). The sheets of one district and year are combined into one typed Census:
schools matched by 学校标识码, a mixed school's sections from both exports and its whole-school
facilities taken once, campuses (是否计校数 = 0) folded into their school. Figures the exports
lack come from a supplement workbook (`excel-balance supplement`); without one they are "no
data", never 0.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from excel_balance import yamltext
from excel_balance.atomic import atomic_path
from excel_balance.census.campuses import UnplacedCampus, candidates
from excel_balance.census.conflicts import Copy, decide
from excel_balance.census.grid import cell_ref
from excel_balance.census.model import Census, SchoolRow
from excel_balance.census.school_inputs import needed_columns
from excel_balance.census.reader import (
    Context,
    number_problem,
    parse_number,
    read_district_values,
    read_info,
    resolve_year,
)
from excel_balance.census.schema import (
    CANONICAL,
    CHOICES,
    COLUMNS_BY_KEY,
    DISTRICT_SHEET,
    FLAG_COLUMNS,
    SCHOOL_INPUT_KEYS,
    TYPE_ALIASES,
    normalise_header,
    normalise_plain,
)
from excel_balance.census import source
from excel_balance.census.sniff import DEFAULT_SIZE_LIMIT, UnreadableFile
from excel_balance.names import child, district_key, file_name
from excel_balance.plan import Plan
from excel_balance.problems import Problem, ProblemsError, Severity
from excel_balance.resources import template_path

OPTIONAL = {"indoor_sports_area", "students_senior"}  # an export may rightly lack these (and the supplement's)
SUPPLEMENT_SHEET = "补充数据"
HEADER_SCAN = 20
_ID = re.compile(r"^\d{10}$")
_LEADING_ID = re.compile(r"\s*(\d{6,})")
# A level in brackets tells columns apart (骨干教师(小学), 骨干教师(初中)); other brackets hold units.
_LEVEL_BRACKET = re.compile(r"\(\s*(小学|初中|中学|高中)\s*\)")


class NotAnExport(ProblemsError):
    """No sheet of the workbook has the header paths of a census-system export."""


Candidates = tuple[tuple[str, ...], ...]  # header-path sums tried in order; the first the sheet has wins


@dataclass(frozen=True)
class ExportMapping:
    identity: dict[str, tuple[str, ...]]  # the header paths tried in order
    levels: dict[str, dict[str, Candidates]]
    school: dict[str, Candidates]
    supplement: tuple[str, ...]
    source: str

    def fields(self, level: str) -> dict[str, Candidates]:
        return {**self.levels[level], **self.school}

    def describe(self, level: str, key: str) -> str:
        return "，或".join(" + ".join(paths) for paths in self.fields(level)[key])


def _candidates(value) -> Candidates:
    """A path, a list of paths to add up, or {first_of: [...]} of either."""
    options = value["first_of"] if isinstance(value, dict) else [value]
    return tuple(tuple(normalise_path(v) for v in (o if isinstance(o, list) else [o])) for o in options)


def normalise_part(text: object) -> str:
    """One header cell as matched: normalise_plain, except that a bracketed level is kept."""
    pieces = _LEVEL_BRACKET.split(unicodedata.normalize("NFKC", str(text or "")))
    return "".join(normalise_plain(p) if i % 2 == 0 else f"({p})" for i, p in enumerate(pieces))


def normalise_path(path: str) -> str:
    return "/".join(normalise_part(part) for part in str(path).split("/") if normalise_part(part))


def load_mapping(path: Path | None = None) -> ExportMapping:
    path = path or template_path("exports", "教育统计导出.yaml")
    try:  # templates/ in the working folder overrides the shipped mapping: edited by hand
        doc = yamltext.load(path.read_text(encoding="utf-8-sig"))
        if not isinstance(doc, dict) or not all(isinstance(doc.get(k), dict) for k in ("identity", "levels", "school")):
            raise ValueError("应包含 identity、levels、school 三部分")
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        where = yamltext.place(exc) if isinstance(exc, yaml.YAMLError) else ""
        raise ProblemsError([Problem(str(path), where, f"统计导出的列名映射无法使用（{exc}）：请改正，"
                                                       "或删除工作文件夹中的这个文件以使用随程序提供的映射")]) from None
    return ExportMapping(
        identity={k: tuple(normalise_path(p) for p in (v["first_of"] if isinstance(v, dict) else [v]))
                  for k, v in doc["identity"].items()},
        levels={level: {k: _candidates(v) for k, v in fields.items()} for level, fields in doc["levels"].items()},
        school={k: _candidates(v) for k, v in doc["school"].items()},
        supplement=tuple(doc.get("supplement") or ()),
        source=path.name,
    )


@dataclass
class ExportSheet:
    """One level's export sheet, typed: a dict of figures per row."""

    file: str
    sheet: str
    level: str
    sha256: str
    year: int
    rows: list[dict] = field(default_factory=list)  # identity + figures + "_row"
    found: dict[str, str] = field(default_factory=dict)  # field → header path(s) used (the candidate found)
    missing: list[str] = field(default_factory=list)  # fields of the mapping not found
    mtime: float = 0.0  # the file's modification time, to decide between two copies of a school


def header_paths(grid: list[list], merged: list, first: int, last: int) -> dict[int, str]:
    """Column → its header path over rows first..last, group cells repeated over their span."""
    width = max((len(r) for r in grid[first:last + 1]), default=0)
    cells = [[str(v).strip() if v not in (None, "") else "" for v in (row + [""] * width)[:width]]
             for row in grid[first:last + 1]]
    for (r0, c0), (r1, c1) in merged:
        for r in range(max(r0, first), min(r1, last) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                cells[r - first][c] = str(grid[r0][c0]).strip()
    paths = {}
    for col in range(width):
        parts = []
        for row in cells:
            part = normalise_part(row[col])
            if part and (not parts or parts[-1] != part):
                parts.append(part)
        if parts:
            paths[col] = "/".join(parts)
    return paths


def _locate_header(grid: list[list], mapping: ExportMapping) -> tuple[int, int] | None:
    """(first, last) header rows: from the row naming 学校名称 to the row before the first ID."""
    name = mapping.identity["name"][0]
    for r in range(min(HEADER_SCAN, len(grid))):
        cols = [c for c, v in enumerate(grid[r]) if normalise_plain(v) == name]
        if not cols:
            continue
        for end in range(r + 1, min(r + 8, len(grid))):
            if any(isinstance(v, str) and _ID.match(v.strip()) for v in grid[end]) or any(
                    isinstance(v, float) and v > 1e8 for v in grid[end]):
                return r, end - 1
    return None


def _level_of(paths: set[str], mapping: ExportMapping) -> str | None:
    """The level whose student path the sheet has; a 中学 export has 在校生数/初中."""
    for level in ("初中", "小学"):
        key = "students_junior" if level == "初中" else "students_primary"
        if any(set(candidate) <= paths for candidate in mapping.levels[level][key]):
            return level
    return None


def read_export(path: Path, mapping: ExportMapping | None = None, *, year: int | None = None,
                size_limit: int = DEFAULT_SIZE_LIMIT) -> list[ExportSheet]:
    """Every export sheet of the workbook; NotAnExport if it has none; ProblemsError listing
    every cell that cannot be read."""
    path = Path(path)
    mapping = mapping or load_mapping()
    ctx = Context(path.name, [])
    try:
        _, workbook = source.open_workbook(path, size_limit=size_limit)
    except UnreadableFile as exc:
        raise ProblemsError([Problem(path.name, "", str(exc))]) from None
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    sheets = []
    with workbook:
        names = [m.name for m in workbook.sheets_metadata if m.typ == source.WORKSHEET]
        info = read_info(workbook, names)
        for name in names:
            sheet = workbook.get_sheet_by_name(name)
            grid = sheet.to_python(skip_empty_area=False)
            located = _locate_header(grid, mapping)
            if located is None:
                continue
            first, last = located
            paths = header_paths(grid, sheet.merged_cell_ranges or [], first, last)
            level = _level_of(set(paths.values()), mapping)
            if level is None:
                continue
            census_year = resolve_year(path, info, grid[:first], name, year, ctx)
            sheets.append(_read_sheet(path, name, level, sha, census_year, grid, last + 1, paths, mapping, ctx))
            sheets[-1].mtime = path.stat().st_mtime
    if not sheets:
        raise NotAnExport([Problem(path.name, "", "不是教育统计系统导出的基层表（没有找到“在校生数/合计”等表头）")])
    if any(p.severity.name == "ERROR" for p in ctx.problems):
        raise ProblemsError(ctx.problems)
    return sheets


def _read_sheet(path: Path, name: str, level: str, sha: str, year: int, grid, start: int, paths: dict[int, str],
                mapping: ExportMapping, ctx: Context) -> ExportSheet:
    by_path = {p: c for c, p in paths.items()}
    result = ExportSheet(path.name, name, level, sha, year)
    identity = {key: next((by_path[p] for p in tried if p in by_path), None) for key, tried in mapping.identity.items()}
    for key in ("name", "school_id", "school_type"):  # the others may be absent
        if identity[key] is None:
            ctx.error(name, "", f"缺少“{mapping.identity[key][0]}”列")
    for key in ("sponsor", "urban_rural"):
        if identity.get(key) is not None:
            result.found[key] = paths[identity[key]]
    columns: dict[str, tuple[int, ...]] = {}
    for key, choices in mapping.fields(level).items():
        wanted = next((c for c in choices if all(p in by_path for p in c)), None)
        if wanted is not None:
            columns[key] = tuple(by_path[p] for p in wanted)
            result.found[key] = " + ".join(wanted)
        else:
            result.missing.append(key)
            if key not in OPTIONAL and key not in SCHOOL_INPUT_KEYS and key not in mapping.supplement:
                absent = "”或“".join("、".join(p for p in c if p not in by_path) for c in choices)
                ctx.error(name, "", f"{level}导出缺少“{absent}”列（{COLUMNS_BY_KEY[key].header}）："
                                    f"请核对表头，或在 templates/exports/{mapping.source} 中改为导出实际的列名")
    if ctx.problems:
        return result
    for r in range(start, len(grid)):
        row = grid[r]
        if all(v in ("", None) for v in row):
            continue

        def text(key, fold=True):
            col = identity.get(key)
            value = row[col] if col is not None and col < len(row) else ""
            if isinstance(value, float):
                return str(int(value)) if value.is_integer() else repr(value)
            return str(value).strip()

        school_name = text("name")
        if "合计" in school_name or "总计" in school_name:
            continue
        item = {"_row": r + 1, "name": school_name, "school_id": text("school_id"), "district": text("district"),
                "region": text("region"),
                "parent_id": text("parent_id"), "counted": text("counted") not in ("0", "否")}
        if not _ID.match(item["school_id"]):
            ctx.error(name, cell_ref(r, identity["school_id"]), f"学校标识码应为10位数字，现为“{item['school_id']}”")
            continue
        school_type = TYPE_ALIASES.get(normalise_plain(text("school_type")))
        if school_type is None:
            ctx.error(name, cell_ref(r, identity["school_type"]), f"办学类型“{text('school_type')}”无法识别")
            continue
        item["school_type"] = school_type
        if identity.get("sponsor") is not None:
            item["sponsor"] = _sponsor(text("sponsor"))
        if identity.get("urban_rural") is not None:
            item["urban_rural"] = _urban_rural(text("urban_rural"))
            if item["urban_rural"] is None:
                ctx.error(name, cell_ref(r, identity["urban_rural"]), f"“{paths[identity['urban_rural']]}”的值"
                          f"“{text('urban_rural')}”无法识别（可填城区/镇区/乡村，或统计用城乡划分代码如111、121、220）")
        width = len(row)
        for key, cols in columns.items():
            total = 0.0
            column = COLUMNS_BY_KEY[key]
            if key in SCHOOL_INPUT_KEYS:  # optional per school: a blank cell is not given, not 0
                cells = [row[col] if col < width else None for col in cols]
                if all(v in (None, "") for v in cells):
                    continue
                if key in FLAG_COLUMNS:
                    flag = _FLAGS.get(_id_text(cells[0]))
                    if flag is None:
                        ctx.error(name, cell_ref(r, cols[0]), f"“{paths[cols[0]]}”的值“{cells[0]}”应为是或否")
                    else:
                        item[key] = flag
                    continue
            for col in cols:
                value = row[col] if col < width else None
                # the common case, a plain number in range, skips the checks (NaN does not)
                if type(value) is not float or not 0 <= value <= column.maximum:
                    value = parse_number(value)
                    if isinstance(value, str) or (isinstance(value, float) and value < 0):
                        ctx.error(name, cell_ref(r, col), f"“{paths[col]}”的值“{value}”不是非负数字")
                        value = 0.0
                    elif value is not None and number_problem(column, value):
                        ctx.error(name, cell_ref(r, col), f"“{paths[col]}”的值{value:g}不是合理的数字"
                                                          f"（应在0到{column.maximum:g}之间）")
                        value = 0.0
                total += value or 0.0
            item[key] = total
        result.rows.append(item)
    return result


_FLAGS = {"是": 1.0, "1": 1.0, "否": 0.0, "0": 0.0}
_AREAS = {"主城区": "城区", "城乡结合区": "城区", "镇中心区": "镇区", "镇乡结合区": "镇区", "特殊区域": "镇区",
          "乡中心区": "乡村", "村庄": "乡村"}


def _sponsor(text: str) -> str:
    """公办 or 民办 from an export's 举办者 (a 民办 school's says so; others are public bodies)."""
    return "" if not text else ("民办" if "民办" in text else "公办")


def _urban_rural(text: str) -> str | None:
    """城区, 镇区 or 乡村 from a word, a 统计用城乡划分代码 (111…220) or its name; None if unknown."""
    text = normalise_plain(text)
    if text in ("", "城区", "镇区", "乡村"):
        return text
    if re.fullmatch(r"[12]\d\d", text):
        return {"11": "城区", "12": "镇区"}.get(text[:2], "乡村" if text[0] == "2" else None)
    return next((area for name, area in _AREAS.items() if name in text), None)


# --- supplement and campus table ------------------------------------------------------------------


@dataclass
class Supplement:
    file: str
    sha256: str
    values: dict[str, dict[str, float]]  # school ID → field → value
    columns: tuple[str, ...]
    recorded: dict
    rows: dict[str, int]  # school ID → sheet row, for messages
    inputs: dict = field(default_factory=dict)  # the 区级指标 sheet's inputs by (code, level, item)
    mtime: float = 0.0
    district: str = ""  # the district and year its 填报说明 states: its 区级指标 sheet's
    year: int = 0
    stated: str = ""  # the 填报说明 cell naming the district, for messages
    at: dict[str, int] = field(default_factory=dict)  # field → its column (0-based), for messages

    def cell(self, school_id: str, key: str) -> str:
        """Where a school's figure is: 补充数据!C5 (worked out when a message needs it)."""
        return f"{SUPPLEMENT_SHEET}!{cell_ref(self.rows[school_id] - 1, self.at[key])}"


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheet names, normalised (a cheap look: sheets are not parsed); [] if unreadable."""
    return [normalise_plain(name) for name in source.sheet_names(path)]


def _first_sheet(path: Path, wanted: str, what: str) -> tuple:
    """(format, first sheet's grid, 区级指标 sheet name or None, its grid, 填报说明 labels) of a
    supplement or a campus table; ProblemsError when it cannot be read or its first row lacks `wanted`."""
    try:
        fmt, workbook = source.open_workbook(path)
    except UnreadableFile as exc:
        raise ProblemsError([Problem(path.name, "", str(exc))]) from None
    with workbook:
        first = workbook.sheet_names[0] if workbook.sheet_names else ""
        grid = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False) if first else []
        district_sheet = next((n for n in workbook.sheet_names if normalise_plain(n) == DISTRICT_SHEET), None)
        district_grid = workbook.get_sheet_by_name(district_sheet).to_python(skip_empty_area=False) if district_sheet else []
        info = read_info(workbook, workbook.sheet_names)
    if not grid or wanted not in {normalise_header(v) for v in grid[0]}:
        raise ProblemsError([Problem(path.name, f"{first}!第1行" if first else "",
                                     f"{what}的第1行应为表头，且含“{wanted}”列：请用 excel-balance 生成的表填写")])
    return fmt, grid, district_sheet, district_grid, info


def _cell(row: list, col: int):
    return row[col] if col < len(row) else ""


def _id_text(raw) -> str:
    return str(int(raw)) if isinstance(raw, float) and math.isfinite(raw) else str(raw).strip()


def read_supplement(path: Path) -> Supplement:
    """The supplement's figures by school ID, with the district and year its 填报说明 states
    (the year also from its file name; a supplement without one is refused)."""
    path = Path(path)
    ctx = Context(path.name, [])
    fmt, grid, district_sheet, district_grid, info = _first_sheet(path, "学校标识码", "补充表")
    header = {c: CANONICAL.get(normalise_header(v)) for c, v in enumerate(grid[0])}
    id_col = next(c for c, col in header.items() if col is not None and col.key == "school_id")
    columns = {c: col for c, col in header.items()
               if col is not None and (col.numeric or col.key in FLAG_COLUMNS or col.key in ("sponsor", "urban_rural"))}
    values, rows = {}, {}
    for r in range(1, len(grid)):
        row = grid[r]
        school_id = _id_text(_cell(row, id_col))
        if not school_id:
            continue
        if school_id in rows:
            ctx.error(SUPPLEMENT_SHEET, cell_ref(r, id_col), f"学校标识码{school_id}与第{rows[school_id]}行重复：请只保留一行")
            continue
        figures = {}
        for c, col in columns.items():
            if not col.numeric:  # 是/否, 举办者, 城乡分类: from the dropdown, optional
                text = normalise_plain(_cell(row, c))
                if text and text not in CHOICES[col.key]:
                    ctx.error(SUPPLEMENT_SHEET, cell_ref(r, c), f"{col.header}“{text}”不是可选值（{'/'.join(CHOICES[col.key])}）")
                elif text:
                    figures[col.key] = _FLAGS[text] if col.key in FLAG_COLUMNS else text
                continue
            value = parse_number(_cell(row, c))
            if value is None and not col.required:
                continue  # an optional school column left blank: the district value decides
            if value is None:
                ctx.error(SUPPLEMENT_SHEET, cell_ref(r, c), f"{col.header}未填写（没有请填0）")
            elif number_problem(col, value):
                ctx.error(SUPPLEMENT_SHEET, cell_ref(r, c), f"{col.header}“{value}”不是有效的数字")
            else:
                figures[col.key] = value
        values[school_id] = figures
        rows[school_id] = r + 1
    year = resolve_year(path, info, [], SUPPLEMENT_SHEET, None, ctx)
    district, stated = info.get("区县", ("", ""))
    recorded, inputs = read_district_values(path, fmt, district_sheet, district_grid, ctx)
    if ctx.problems:
        raise ProblemsError(ctx.problems)
    return Supplement(path.name, hashlib.sha256(path.read_bytes()).hexdigest(), values,
                      tuple(col.key for col in columns.values()), recorded, rows, inputs, path.stat().st_mtime,
                      district, year, stated, {col.key: c for c, col in columns.items()})


@dataclass(frozen=True)
class CampusEntry:
    """A row of a campus table: a campus's name or own ID → its school's 学校标识码."""

    key: str
    parent: str


def read_campus_table(path: Path) -> list[CampusEntry]:
    """Every campus of the table, by name and by own ID (a dropdown's "0500114002 石会小学" gives
    its leading code). A table may cover several districts: a name two districts share is told
    apart by the parent, which must be a school of the campus's own export."""
    _, grid, _, _, _ = _first_sheet(path, "所属学校标识码", "校点归属表")
    cols = {normalise_plain(v): c for c, v in enumerate(grid[0])}
    table = []
    for row in grid[1:]:
        parent = _id_text(_cell(row, cols["所属学校标识码"]))
        if match := _LEADING_ID.match(parent):
            parent = match[1]
        for key in ("校点名称", "校点标识码"):
            value = _id_text(_cell(row, cols[key])) if key in cols else ""
            if value and parent:
                table.append(CampusEntry(value, parent))
    return table


def by_district(sheets: list[ExportSheet]) -> dict[tuple[str, int], list[ExportSheet]]:
    """The export sheets cut into one part per (统计三级, year): a city export is several districts."""
    groups: dict[tuple[str, int], list[ExportSheet]] = defaultdict(list)
    for sheet in sheets:
        rows_of: dict[str, list[dict]] = defaultdict(list)
        for row in sheet.rows:
            rows_of[row["district"]].append(row)
        for district, rows in rows_of.items():
            groups[(district, sheet.year)].append(dataclasses.replace(sheet, rows=rows))
    return groups


def supplement_name(district: str, year: int) -> str:
    return "补充数据_" + file_name(district, f"{year}.xlsx")


def write_supplements(folder: Path, sheets: list[ExportSheet], plan_of, district: str | None = None,
                      mapping: ExportMapping | None = None) -> list[Path]:
    """One supplement per district and year of the exports (only `district`'s when given), each
    with the 区级指标 sheet of its district's plan (`plan_of(district)`); [] when `district` has none."""
    written = []
    for (name, year), parts in sorted(by_district(sheets).items()):
        plan = plan_of(name)
        name = name or plan.district
        if district is None or district_key(district) == district_key(name):
            written.append(write_supplement(child(folder, supplement_name(name, year)), parts, plan, mapping))
    return written


def write_supplement(target: Path, sheets: list[ExportSheet], plan: Plan, mapping: ExportMapping | None = None) -> Path:
    """A supplement pre-filled with the exports' schools and only the figures they lack (then, in
    grey and optional, the school columns the plan's measures can count per school); its title
    and 填报说明 state the district and year (the first the sheets name)."""
    from excel_balance.census.supplement_info import write_supplement_info
    from excel_balance.census.template import validate_column, write_district_sheet
    from excel_balance.xlsx.book import document_time, new_workbook
    from excel_balance.xlsx.fit import fit_width, line_count, row_height
    from excel_balance.xlsx.formats import Formats

    mapping = mapping or load_mapping()
    schools: dict[str, dict] = {}
    for sheet in sheets:
        for row in sheet.rows:
            if row["counted"]:
                schools.setdefault(row["school_id"], {"name": row["name"], "types": set()})["types"].add(row["school_type"])
    found = {k for s in sheets for k in s.found}
    wanted = [k for k in mapping.supplement if k not in found]
    wanted += [k for k in needed_columns(plan.measures) if k not in found]
    year = sheets[0].year
    district = next((r["district"] for s in sheets for r in s.rows if r["district"]), plan.district)
    title = f"{district}{year}年统计数据补充表"
    with atomic_path(target) as tmp:
        workbook = new_workbook(tmp, title, document_time())
        formats = Formats(workbook)
        sheet = workbook.add_worksheet(SUPPLEMENT_SHEET)
        sheet.set_header(f"&C{title}")
        optional = formats.make(**{**formats.header_properties, "bg_color": "#EDEDED"})
        for col, text in enumerate(["学校标识码", "学校名称"]):
            sheet.write_string(0, col, text, formats.header)
        sheet.set_column(0, 0, 14)
        sheet.set_column(1, 1, 28)
        lines = 2
        for col, column in enumerate((COLUMNS_BY_KEY[k] for k in wanted), start=2):
            sheet.write_string(0, col, column.title, formats.header if column.required else optional)
            if column.note or not column.required:
                sheet.write_comment(0, col, column.note + ("" if column.required else "（选填）"),
                                    {"x_scale": 2, "font_name": "宋体"})
            width = 14 if column.required else fit_width([column.title], 14, 18)
            sheet.set_column(col, col, width)
            lines = max(lines, line_count(column.title, width))
            validate_column(sheet, column, col, len(schools))
        sheet.set_row(0, row_height(lines))
        for r, (school_id, school) in enumerate(sorted(schools.items()), start=1):
            sheet.write_string(r, 0, school_id, formats.centre)
            sheet.write_string(r, 1, school["name"], formats.text)
            for col, key in enumerate(wanted, start=2):
                column = COLUMNS_BY_KEY[key]
                if column.required and not any(column.applies_to(t) for t in school["types"]):
                    sheet.write_number(r, col, 0, formats.integer)  # not this school's level
        sheet.freeze_panes(1, 2)
        sheet.repeat_rows(0)
        write_district_sheet(workbook, formats, plan, {})
        write_supplement_info(workbook, formats, district, year, wanted)
        workbook.close()
    return target


# --- combining ----------------------------------------------------------------------------------------------


@dataclass
class _Given:
    """What the supplements give one district and year."""

    values: dict[str, dict[str, float]] = field(default_factory=dict)  # school ID → field → value
    sources: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # field → supplement files
    files: dict[str, Supplement] = field(default_factory=dict)
    recorded: dict = field(default_factory=dict)
    inputs: dict = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Duplicates:
    """Two supplements giving one figure (a school's, or a 区级指标 value): the one rule
    (conflicts.decide); identical values told once per pair of files."""

    def __init__(self):
        self.copies: dict[tuple, tuple[Copy, object]] = {}  # key → the copy used and its value
        self.identical: dict[tuple, list[Problem]] = defaultdict(list)

    def take(self, key: tuple, what, mine, value, given: _Given) -> bool:
        """Whether `mine` (giving `value`) is used for `key` (its district and year first).
        `what` and `mine` may be functions giving the text and the Copy: a province's supplements
        give 200,000 figures, and only a figure given twice needs them."""
        if key not in self.copies:
            self.copies[key] = (mine, value)
            return True
        theirs, their_value = self.copies[key]
        theirs, mine, what = (x() if callable(x) else x for x in (theirs, mine, what))
        decision = decide(what, theirs, mine, value == their_value)
        if decision.problem.severity is Severity.NOTE:
            self.identical[(key[0], *sorted((theirs.file, mine.file)))].append(decision.problem)
        elif decision.kept is None:
            given.problems.append(decision.problem)
        else:
            given.notes.append(decision.problem)
        if decision.kept is mine:
            self.copies[key] = (mine, value)
        return decision.kept is mine

    def told(self, given: dict) -> None:
        """The identical values as one note per district, year and pair of files."""
        for (key, *_), same in self.identical.items():
            more = f"（另有 {len(same) - 1} 项也相同）" if len(same) > 1 else ""
            given[key].notes.append(dataclasses.replace(same[0], message=same[0].message + more))


def _apply_supplements(supplements: list[Supplement], groups) -> tuple[dict[tuple[str, int], _Given], list[Problem]]:
    """Each supplement row to the district whose export of the row's year has the school ID (IDs
    are unique nationally, so file names and how rows are spread over files do not matter); each
    区级指标 sheet to the district and year its workbook states."""
    home: dict[tuple[int, str], tuple[str, int]] = {}
    for key, parts in groups.items():
        for part in parts:
            for row in part.rows:
                if row["counted"]:
                    home[(key[1], row["school_id"])] = key
    given: dict[tuple[str, int], _Given] = defaultdict(_Given)
    problems: list[Problem] = []
    duplicates = _Duplicates()
    years = {year for _, year in groups}
    for supplement in sorted(supplements, key=lambda s: (s.mtime, s.file)):
        if supplement.year not in years:  # last year's supplement left in inputs/: not applied
            problems.append(Problem(supplement.file, "", f"补充表为{supplement.year}年，输入中没有{supplement.year}年的"
                                    "统计导出，未使用", Severity.WARNING))
            continue
        matched = set()
        for school_id, figures in supplement.values.items():
            key = home.get((supplement.year, school_id))
            if key is None:
                problems.append(Problem(supplement.file, f"{SUPPLEMENT_SHEET}!A{supplement.rows[school_id]}",
                                        f"学校标识码{school_id}不在{supplement.year}年的导出中"))
                continue
            matched.add(key)
            mine = given[key]
            for field_, value in figures.items():
                copy = lambda s=supplement, i=school_id, f=field_: Copy(s.file, s.cell(i, f), s.mtime)  # noqa: E731
                what = lambda s=supplement, i=school_id, f=field_: (  # noqa: E731
                    f"学校标识码{i}的{COLUMNS_BY_KEY[f].header}（{s.year}年）")
                if duplicates.take((key, school_id, field_), what, copy, value, mine):
                    mine.values.setdefault(school_id, {})[field_] = value
                mine.sources[field_].add(supplement.file)
                mine.files[supplement.file] = supplement
        _district_values(supplement, groups, matched, given, duplicates, problems)
    duplicates.told(given)
    return given, problems


def _district_values(supplement: Supplement, groups, matched: set, given, duplicates: _Duplicates,
                     problems: list[Problem]) -> None:
    """The 区级指标 sheet's values to the district and year the workbook states (else, when its
    rows all belong to one district and the workbook or the export names none, that one)."""
    if not supplement.recorded and not supplement.inputs:
        return
    stated = [k for k in groups if k[1] == supplement.year and district_key(k[0]) == district_key(supplement.district)]
    only = next(iter(matched)) if len(matched) == 1 else None
    key = stated[0] if stated else (only if only and not (supplement.district and only[0]) else None)
    if key is None:
        problems.append(Problem(supplement.file, supplement.stated,
                                f"补充表的区级指标属于{supplement.district or '（未填区县）'}{supplement.year}年，"
                                "但输入中没有该区县该年的统计导出：请核对“填报说明”中的区县和统计年度"))
        return
    mine = given[key]
    mine.files[supplement.file] = supplement
    for store, values in ((mine.recorded, supplement.recorded), (mine.inputs, supplement.inputs)):
        for name, value in values.items():
            copy = Copy(supplement.file, value.cell, supplement.mtime)
            what = f"区级指标{'、'.join(name)}（{key[0]}{key[1]}年）"
            if duplicates.take((key, "区级指标") + name, what, copy, value, mine):
                store[name] = value


def combine(sheets: list[ExportSheet], supplements: list[Supplement], campuses: list[CampusEntry],
            mapping: ExportMapping) -> tuple[list[Census], list[Problem]]:
    """One Census per (district, year) of the export sheets; problems for what cannot be combined
    (a warning: a supplement of a year no export has, not used)."""
    groups = by_district(sheets)
    given, problems = _apply_supplements(supplements, groups)
    censuses = []
    for (district, year), parts in sorted(groups.items()):
        census, found = _combine_group(district, year, parts, given.get((district, year)) or _Given(), campuses,
                                       mapping)
        if found:
            problems += found
        else:
            censuses.append(census)
    return censuses, problems


def _combine_group(district, year, parts, given: _Given, campuses: list[CampusEntry], mapping):
    problems = list(given.problems)
    files = sorted({p.file for p in parts})
    levels = {p.level for p in parts}
    for level, export in (("小学", "小学"), ("初中", "中学")):
        if level not in levels:
            problems.append(Problem("、".join(files), "", f"{district or '本区县'}{year}年缺少{export}导出（基层表），"
                                                           f"请把{export}导出也放进来"))
    schools: dict[str, dict] = {}
    campus_rows = []
    sources: dict[str, str] = {}
    notes: list[Problem] = []
    by_id = {id(p): {_identity(row): row for row in p.rows} for p in parts}
    for part in sorted(parts, key=lambda p: (p.level != "小学", p.file, p.sheet)):
        for key, used in part.found.items():
            sources.setdefault(key, f"{part.file} {part.sheet}：{used}")
        for row in _decided_rows(part, [(p, by_id[id(p)]) for p in parts if p is not part and p.level == part.level],
                                 notes):
            if not row["counted"]:
                campus_rows.append((part, row))
                continue
            school = schools.setdefault(row["school_id"], {"row": row, "values": {}, "part": part})
            for key in mapping.levels[part.level]:
                if key in row:
                    school["values"][key] = row[key]
            for key in mapping.school:  # whole-school figures: taken once
                if key in row and key not in school["values"]:
                    school["values"][key] = row[key]
    for school_id, figures in given.values.items():
        schools[school_id]["values"].update(figures)
    problems += _lacking_rows(schools, given)
    for key, names in given.sources.items():
        sources[key] = f"{'、'.join(sorted(names))} {SUPPLEMENT_SHEET}"
    rows: list[SchoolRow] = []
    for school_id, school in schools.items():
        row, values = school["row"], dict(school["values"])
        # 举办者 and 城乡分类 (G13's scope): the supplement's, else the export's
        sponsor, urban_rural = (values.pop(k, row.get(k, "")) for k in ("sponsor", "urban_rural"))
        rows.append(SchoolRow(school_id, row["name"], row["school_type"], _complete(values, mapping), sponsor,
                              urban_rural, counted=True, row=row["_row"]))
    for part, row in campus_rows:
        parent = row["parent_id"] or (row["school_id"] if row["school_id"] in schools else "") or _parent(
            row, campuses, schools)
        if parent not in schools:
            problems.append(UnplacedCampus(
                part.file, f"{part.sheet}!第{row['_row']}行",
                f"校点“{row['name']}”（是否计校数为0）无法归入学校：请在 inputs/校点归属.xlsx 中填写它的所属学校标识码"
                "（excel-balance template --campuses 生成该表，已列出这些校点）",
                campus_id=row["school_id"], campus_name=row["name"], district=district, year=year,
                candidates=candidates(row["name"], {sid: s["row"]["name"] for sid, s in schools.items()})))
            continue
        values = {k: v for k, v in row.items() if k in COLUMNS_BY_KEY and COLUMNS_BY_KEY[k].numeric}
        rows.append(SchoolRow(row["school_id"], row["name"], row["school_type"], _complete(values, mapping),
                              counted=False, parent_id=parent, row=row["_row"]))
    missing = frozenset(k for k in mapping.supplement if k not in sources)
    problems += [n for n in notes + given.notes if n.severity is Severity.ERROR]
    if problems:
        return None, problems
    used = sorted(given.files.values(), key=lambda s: s.file)
    sha = hashlib.sha256("".join(sorted({p.sha256 for p in parts}) + [s.sha256 for s in used]).encode()).hexdigest()
    regions = sorted({row["region"] for part in parts for row in part.rows if row.get("region")})
    stamps = {(p.file, p.mtime) for p in parts} | {(s.file, s.mtime) for s in used}
    return Census("、".join(files + [s.file for s in used]), sha, district, year, tuple(rows), given.recorded,
                  warnings=tuple(notes + given.notes), columns=frozenset(k for k in sources if not COLUMNS_BY_KEY[k].required),
                  missing=missing, sources=tuple(sorted(sources.items())), region="、".join(regions),
                  stamps=tuple(sorted(stamps)), inputs=given.inputs,
                  supplements=tuple(s.file for s in used)), []


def _lacking_rows(schools: dict, given: _Given) -> list[Problem]:
    """A school the exports lack a figure of and no supplement row gives it (a mistyped ID, a
    row left out): an error, not a silent 0."""
    problems = []
    for school_id, school in schools.items():
        lacking = [k for k in given.sources if k not in school["values"] and COLUMNS_BY_KEY[k].required]
        if lacking:
            row, part = school["row"], school["part"]
            names = "、".join(COLUMNS_BY_KEY[k].header for k in lacking)
            problems.append(Problem(part.file, f"{part.sheet}!第{row['_row']}行",
                                    f"学校“{row['name']}”（{school_id}）在补充表（{'、'.join(sorted(given.files))}）中"
                                    f"没有一行，缺少{names}：请在补充表中补上这所学校"))
    return problems


def _parent(row: dict, campuses: list[CampusEntry], schools: dict) -> str:
    """The campus's school from the campus table: by its own ID, else by its name; of the
    entries, the one whose school is in this district's export."""
    for key in (row["school_id"], row["name"]):
        parent = next((e.parent for e in campuses if e.key == key and e.parent in schools), "")
        if parent:
            return parent
    return ""


def _identity(row: dict) -> tuple:
    """A school by its ID; a campus (是否计校数 0), which may carry its school's ID, also by name."""
    return (row["school_id"], row["counted"], "" if row["counted"] else row["name"])


def _decided_rows(part: ExportSheet, others: list[tuple[ExportSheet, dict]], notes: list[Problem]) -> list[dict]:
    """The part's rows, less those of a school another part of the same level (`others`, each
    with its rows by school ID) also has and that the one rule (conflicts.decide) gives to the
    other part; `notes` collects what was decided (identical schools once per pair of sheets)."""
    if not any(rows.keys() & {_identity(r) for r in part.rows} for _, rows in others):
        return part.rows  # the common case: no school twice
    kept = []
    identical: dict[int, list[Problem]] = defaultdict(list)
    for row in part.rows:
        mine = Copy(part.file, f"{part.sheet}!第{row['_row']}行", part.mtime)
        wins = True
        for other, rows in others:
            twin = rows.get(_identity(row))
            if twin is None:
                continue
            theirs = Copy(other.file, f"{other.sheet}!第{twin['_row']}行", other.mtime)
            same = {k: v for k, v in row.items() if k != "_row"} == {k: v for k, v in twin.items() if k != "_row"}
            decision = decide(f"学校标识码{row['school_id']}（{part.level}）", mine, theirs, same)
            if decision.kept is not mine:
                wins = False
            if (part.file, part.sheet) >= (other.file, other.sheet):
                continue  # told when the other part's rows are decided
            if decision.problem.severity is Severity.NOTE:
                identical[id(other)].append(decision.problem)
            else:
                notes.append(decision.problem)
        if wins:
            kept.append(row)
    for same in identical.values():
        more = f"（另有 {len(same) - 1} 所学校也相同）" if len(same) > 1 else ""
        notes.append(dataclasses.replace(same[0], message=same[0].message + more))
    return kept


_REQUIRED_ZEROS = {c.key: 0.0 for c in COLUMNS_BY_KEY.values() if c.required and c.numeric}


def _complete(values: dict[str, float], mapping: ExportMapping) -> dict[str, float]:
    """Every required figure present (0 where a level or a supplement figure is absent)."""
    return {**_REQUIRED_ZEROS, **values}
