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
    COLUMNS_BY_KEY,
    DISTRICT_SHEET,
    TYPE_ALIASES,
    normalise_header,
    normalise_plain,
)
from excel_balance.census import source
from excel_balance.census.sniff import DEFAULT_SIZE_LIMIT, UnreadableFile
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
    identity: dict[str, str]
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
        identity={k: normalise_path(v) for k, v in doc["identity"].items()},
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
    name = mapping.identity["name"]
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
    identity = {key: by_path.get(p) for key, p in mapping.identity.items()}
    for key in ("name", "school_id", "school_type"):  # region, district, counted, parent may be absent
        if identity[key] is None:
            ctx.error(name, "", f"缺少“{mapping.identity[key]}”列")
    columns: dict[str, tuple[int, ...]] = {}
    for key, choices in mapping.fields(level).items():
        wanted = next((c for c in choices if all(p in by_path for p in c)), None)
        if wanted is not None:
            columns[key] = tuple(by_path[p] for p in wanted)
            result.found[key] = " + ".join(wanted)
        else:
            result.missing.append(key)
            if key not in OPTIONAL and key not in mapping.supplement:
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
        width = len(row)
        for key, cols in columns.items():
            total = 0.0
            column = COLUMNS_BY_KEY[key]
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


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheet names, normalised (a cheap look: sheets are not parsed); [] if unreadable."""
    return [normalise_plain(name) for name in source.sheet_names(path)]


def _first_sheet(path: Path, wanted: str, what: str) -> tuple:
    """(format, first sheet's grid, 区级指标 sheet name or None, its grid) of a supplement or a
    campus table; ProblemsError when it cannot be read or its first row lacks `wanted`."""
    try:
        fmt, workbook = source.open_workbook(path)
    except UnreadableFile as exc:
        raise ProblemsError([Problem(path.name, "", str(exc))]) from None
    with workbook:
        first = workbook.sheet_names[0] if workbook.sheet_names else ""
        grid = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False) if first else []
        district_sheet = next((n for n in workbook.sheet_names if normalise_plain(n) == DISTRICT_SHEET), None)
        district_grid = workbook.get_sheet_by_name(district_sheet).to_python(skip_empty_area=False) if district_sheet else []
    if not grid or wanted not in {normalise_header(v) for v in grid[0]}:
        raise ProblemsError([Problem(path.name, f"{first}!第1行" if first else "",
                                     f"{what}的第1行应为表头，且含“{wanted}”列：请用 excel-balance 生成的表填写")])
    return fmt, grid, district_sheet, district_grid


def _cell(row: list, col: int):
    return row[col] if col < len(row) else ""


def read_supplement(path: Path) -> Supplement:
    path = Path(path)
    ctx = Context(path.name, [])
    fmt, grid, district_sheet, district_grid = _first_sheet(path, "学校标识码", "补充表")
    header = {c: CANONICAL.get(normalise_header(v)) for c, v in enumerate(grid[0])}
    id_col = next(c for c, col in header.items() if col is not None and col.key == "school_id")
    columns = {c: col for c, col in header.items() if col is not None and col.numeric}
    values, rows = {}, {}
    for r in range(1, len(grid)):
        row = grid[r]
        raw_id = _cell(row, id_col)
        school_id = str(int(raw_id)) if isinstance(raw_id, float) and math.isfinite(raw_id) else str(raw_id).strip()
        if not school_id:
            continue
        figures = {}
        for c, col in columns.items():
            value = parse_number(_cell(row, c))
            if value is None:
                ctx.error(SUPPLEMENT_SHEET, cell_ref(r, c), f"{col.header}未填写（没有请填0）")
            elif number_problem(col, value):
                ctx.error(SUPPLEMENT_SHEET, cell_ref(r, c), f"{col.header}“{value}”不是有效的数字")
            else:
                figures[col.key] = value
        values[school_id] = figures
        rows[school_id] = r + 1
    recorded, inputs = read_district_values(path, fmt, district_sheet, district_grid, ctx)
    if ctx.problems:
        raise ProblemsError(ctx.problems)
    return Supplement(path.name, hashlib.sha256(path.read_bytes()).hexdigest(), values,
                      tuple(col.key for col in columns.values()), recorded, rows, inputs, path.stat().st_mtime)


def read_campus_table(path: Path) -> dict[str, str]:
    """Campus name or own ID → its school's 学校标识码 (a dropdown's "0500114002 石会小学" gives
    its leading code)."""
    _, grid, _, _ = _first_sheet(path, "所属学校标识码", "校点归属表")
    cols = {normalise_plain(v): c for c, v in enumerate(grid[0])}
    table = {}
    for row in grid[1:]:
        parent = str(_cell(row, cols["所属学校标识码"])).strip()
        if match := _LEADING_ID.match(parent):
            parent = match[1]
        for key in ("校点名称", "校点标识码"):
            value = str(_cell(row, cols[key])).strip() if key in cols else ""
            if value and parent:
                table[value] = parent
    return table


def write_supplement(target: Path, sheets: list[ExportSheet], plan: Plan, mapping: ExportMapping | None = None) -> Path:
    """A supplement pre-filled with the exports' schools and only the figures they lack."""
    from excel_balance.census.supplement_info import write_supplement_info
    from excel_balance.census.template import write_district_sheet
    from excel_balance.xlsx.book import document_time, new_workbook
    from excel_balance.xlsx.formats import Formats

    mapping = mapping or load_mapping()
    schools: dict[str, dict] = {}
    for sheet in sheets:
        for row in sheet.rows:
            if row["counted"]:
                schools.setdefault(row["school_id"], {"name": row["name"], "types": set()})["types"].add(row["school_type"])
    found = {k for s in sheets for k in s.found}
    wanted = [k for k in mapping.supplement if k not in found]
    year = sheets[0].year
    district = next((r["district"] for s in sheets for r in s.rows if r["district"]), plan.district)
    with atomic_path(target) as tmp:
        workbook = new_workbook(tmp, "统计数据补充表", document_time())
        formats = Formats(workbook)
        sheet = workbook.add_worksheet(SUPPLEMENT_SHEET)
        titles = ["学校标识码", "学校名称", *[COLUMNS_BY_KEY[k].title for k in wanted]]
        for col, title in enumerate(titles):
            sheet.write_string(0, col, title, formats.header)
            sheet.set_column(col, col, 14 if col != 1 else 28)
        for r, (school_id, school) in enumerate(sorted(schools.items()), start=1):
            sheet.write_string(r, 0, school_id, formats.centre)
            sheet.write_string(r, 1, school["name"], formats.text)
            for col, key in enumerate(wanted, start=2):
                if not any(COLUMNS_BY_KEY[key].applies_to(t) for t in school["types"]):
                    sheet.write_number(r, col, 0, formats.integer)  # not this school's level
        sheet.freeze_panes(1, 2)
        sheet.repeat_rows(0)
        write_district_sheet(workbook, formats, plan, {})
        write_supplement_info(workbook, formats, district, year, wanted)
        workbook.close()
    return target


# --- combining ----------------------------------------------------------------------------------------------


def combine(sheets: list[ExportSheet], supplements: list[Supplement], campuses: dict[str, str],
            mapping: ExportMapping) -> tuple[list[Census], list[Problem]]:
    """One Census per (district, year) of the export sheets; problems for what cannot be combined."""
    groups: dict[tuple[str, int], list[ExportSheet]] = defaultdict(list)
    for sheet in sheets:
        by_district: dict[str, list[dict]] = defaultdict(list)
        for row in sheet.rows:
            by_district[row["district"]].append(row)
        for district, rows in by_district.items():
            part = ExportSheet(sheet.file, sheet.sheet, sheet.level, sheet.sha256, sheet.year, rows, sheet.found,
                               sheet.missing, sheet.mtime)
            groups[(district, sheet.year)].append(part)
    censuses, problems = [], []
    for (district, year), parts in sorted(groups.items()):
        census, found = _combine_group(district, year, parts, supplements, campuses, mapping)
        if found:
            problems += found
        else:
            censuses.append(census)
    return censuses, problems


def _combine_group(district, year, parts, supplements, campuses, mapping):
    problems = []
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
            school = schools.setdefault(row["school_id"], {"row": row, "values": {}})
            for key in mapping.levels[part.level]:
                if key in row:
                    school["values"][key] = row[key]
            for key in mapping.school:  # whole-school figures: taken once
                if key in row and key not in school["values"]:
                    school["values"][key] = row[key]
    supplement = next((s for s in supplements if any(sid in schools for sid in s.values)), None)
    provided = set(supplement.columns) if supplement else set()
    if supplement:
        for school_id, figures in supplement.values.items():
            if school_id not in schools:
                problems.append(Problem(supplement.file, f"{SUPPLEMENT_SHEET}!A{supplement.rows[school_id]}",
                                        f"学校标识码{school_id}不在{district}{year}年的导出中"))
                continue
            schools[school_id]["values"].update(figures)
        for key in provided:
            sources[key] = f"{supplement.file} {SUPPLEMENT_SHEET}"
    rows: list[SchoolRow] = []
    for school_id, school in schools.items():
        row = school["row"]
        rows.append(SchoolRow(school_id, row["name"], row["school_type"], _complete(school["values"], mapping),
                              counted=True, row=row["_row"]))
    for part, row in campus_rows:
        parent = row["parent_id"] or (row["school_id"] if row["school_id"] in schools else "") or campuses.get(
            row["name"]) or campuses.get(row["school_id"], "")
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
    missing = frozenset(k for k in mapping.supplement if k not in provided and k not in sources)
    problems += [n for n in notes if n.severity is Severity.ERROR]
    if problems:
        return None, problems
    sha = hashlib.sha256("".join(sorted({p.sha256 for p in parts}) + ([supplement.sha256] if supplement else []))
                         .encode()).hexdigest()
    names = "、".join(files + ([supplement.file] if supplement else []))
    regions = sorted({row["region"] for part in parts for row in part.rows if row.get("region")})
    stamps = {(p.file, p.mtime) for p in parts} | ({(supplement.file, supplement.mtime)} if supplement else set())
    return Census(names, sha, district, year, tuple(rows), supplement.recorded if supplement else {},
                  warnings=tuple(notes), columns=frozenset(k for k in sources if not COLUMNS_BY_KEY[k].required),
                  missing=missing, sources=tuple(sorted(sources.items())), region="、".join(regions),
                  stamps=tuple(sorted(stamps)),
                  inputs=supplement.inputs if supplement else {}), []


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
