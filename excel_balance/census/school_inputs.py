"""District inputs added up from the 学校 sheet (the national method counts G9, G12, G13, Q3 and Q4
per teacher or per school): a measure's input names its source with `schools:`.

A level's input comes from the schools when any school of that level fills the source's columns;
then every school of the level must (check_school_inputs names each blank cell). A branch campus's
counts add to its parent's; its yes/no answers and 学时 are its parent's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from excel_balance.census.model import Census, RecordedValue, SchoolRow
from excel_balance.census.schema import COLUMNS_BY_KEY, SCHOOL_COLUMNS, SCHOOL_SHEET, SchoolType, normalise_plain
from excel_balance.measures import Input, Measure
from excel_balance.problems import Problem, Severity

SUFFIXES = {"小学": ("primary",), "初中": ("junior",), "全区": ("primary", "junior")}
CATCHMENT_AREAS = ("城区", "镇区")
TRAINING_SHARE = Decimal("0.05")  # 教师培训经费 ≥ 5% of 公用经费预算 (national Q4)
WHERE = f"{SCHOOL_SHEET}表各校合计"


@dataclass(frozen=True)
class SchoolFigures:
    """One school's own figures for a measure's school-sourced inputs at one level."""

    school: SchoolRow
    values: dict[str, Decimal]  # input name → figure (a count of schools is 0 or 1)


def _number(value: float) -> Decimal:
    return Decimal(repr(value)).normalize() if value % 1 else Decimal(int(value))


def _has_level(school_type: SchoolType, suffix: str) -> bool:
    return school_type.has_primary if suffix == "primary" else school_type.has_junior


class _Same:
    """A census's school rows as a cache key: by identity (rows hold dicts, so no hash of their own)."""

    __slots__ = ("rows",)

    def __init__(self, rows: tuple[SchoolRow, ...]):
        self.rows = rows

    def __hash__(self) -> int:
        return id(self.rows)

    def __eq__(self, other) -> bool:
        return self.rows is other.rows


@dataclass(frozen=True)
class _Folded:
    """The counted schools with their campuses folded in, worked out once per census: every
    measure and level asks (a province has 200,000 rows)."""

    schools: tuple[SchoolRow, ...]
    filled: frozenset[str]  # the columns some school fills
    kinds: tuple[SchoolRow, ...]  # one school of each kind (all that _columns looks at)
    kind_of: tuple[int, ...]  # each school's kind, an index into `kinds`


def _folded(rows: tuple[SchoolRow, ...]) -> tuple[SchoolRow, ...]:
    return _fold(_Same(rows)).schools


@lru_cache(maxsize=4)  # the key holds its rows, so an id is never reused while cached
def _fold(key: _Same) -> _Folded:
    """Counted schools, each campus's counts added (yes/no, 学时: the parent's own)."""
    rows = key.rows
    own = ("hours_", "boarding", "charter", "informatized")
    counted = {r.school_id: r for r in rows if r.counted}
    added: dict[str, dict[str, float]] = {}  # the schools with campuses: their own figures plus the campuses'
    for row in rows:
        if not row.counted and row.parent_id in counted:
            values = added.setdefault(row.parent_id, dict(counted[row.parent_id].values))
            for name, value in row.values.items():
                if not name.startswith(own):
                    values[name] = values.get(name, 0.0) + value
    # A school without campuses stays the row it is (no copy: 200,000 of them cost seconds).
    folded = tuple(r if r.school_id not in added and not r.parent_id else
                   SchoolRow(r.school_id, r.name, r.school_type, added.get(r.school_id, r.values), r.sponsor,
                             r.urban_rural, True, "", r.row, r.district) for r in rows if r.counted)
    filled = frozenset().union(*(s.values.keys() for s in folded))
    kinds: dict[tuple, int] = {}
    kind_of = tuple(kinds.setdefault(_kind(s), len(kinds)) for s in folded)
    first = {k: s for s, k in zip(reversed(folded), reversed(kind_of))}
    return _Folded(folded, filled, tuple(first[k] for k in range(len(kinds))), kind_of)


def _kind(school: SchoolRow) -> tuple:
    """All that _columns reads of a school."""
    boarding = school.values.get("boarding")
    answered = "unanswered" if boarding is None else "否" if boarding == 0.0 else "是"
    return school.school_type, school.sponsor == "公办", school.urban_rural in CATCHMENT_AREAS, answered


# The 学校 columns each source reads ("{}": the level's suffix); G13's also need 举办者 and 城乡分类.
SOURCE_COLUMNS = {"teachers": ("teachers_{}",), "certified": ("certified_{}",), "trained": ("trained_{}",),
                  "training_hours": ("hours_{}", "teachers_{}"), "catchment_students": ("boarding",),
                  "catchment_local": ("boarding", "local_{}"), "schools": (),
                  "schools_charter_it": ("charter", "informatized"),
                  "schools_training_funds": ("public_funds", "training_funds")}


def needed_columns(measures: dict[str, Measure]) -> list[str]:
    """Every 学校 column the measures' school-sourced inputs read, in the template's column order
    (what a supplement offers when an export lacks them)."""
    wanted = set()
    for measure in measures.values():
        for item in _school_inputs(measure):
            wanted.update(c.format(s) for c in SOURCE_COLUMNS[item.schools] for s in ("primary", "junior"))
            if item.schools.startswith("catchment"):
                wanted.update(("sponsor", "urban_rural"))
    return [c.key for c in SCHOOL_COLUMNS if c.key in wanted]


def _columns(source: str, school: SchoolRow, suffix: str) -> tuple[str, ...] | None:
    """The columns a school must fill for `source` at a level; None when the school is outside it."""
    if not _has_level(school.school_type, suffix):
        return None
    if source in ("catchment_students", "catchment_local"):
        if school.sponsor != "公办" or school.urban_rural not in CATCHMENT_AREAS:
            return None
        if school.values.get("boarding") != 0.0:  # 是, or not yet answered (then asked for)
            return ("boarding",) if "boarding" not in school.values else None
        return (f"local_{suffix}",) if source == "catchment_local" else ()
    return tuple(c.format(suffix) for c in SOURCE_COLUMNS[source])


def _figure(source: str, school: SchoolRow, suffix: str) -> Decimal:
    v = school.value
    if source in ("teachers", "certified", "trained"):
        return _number(v(f"{source}_{suffix}"))
    if source == "training_hours":  # 学时 × teachers: the level's mean weighs each teacher once
        return _number(v(f"hours_{suffix}")) * _number(v(f"teachers_{suffix}"))
    if source == "catchment_students":
        return _number(v(f"students_{suffix}"))
    if source == "catchment_local":
        return _number(v(f"local_{suffix}"))
    if source == "schools":
        return Decimal(1)
    if source == "schools_charter_it":
        return Decimal(v("charter") == 1.0 and v("informatized") == 1.0)
    funds = _number(v("public_funds"))
    return Decimal(funds > 0 and _number(v("training_funds")) >= funds * TRAINING_SHARE)


def _teachers(school: SchoolRow, level: str) -> Decimal:
    return sum((_number(school.value(f"teachers_{s}")) for s in SUFFIXES[level] if _has_level(school.school_type, s)),
               Decimal(0))


def _mean(hours: Decimal, teachers: Decimal) -> Decimal:
    """学时 per teacher, shown and compared at one decimal like a typed 年均学时 (90.0 as 90, not 9E+1)."""
    mean = (hours / teachers).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return mean.quantize(Decimal(1)) if mean == mean.to_integral_value() else mean


def _school_inputs(measure: Measure) -> list[Input]:
    return [i for i in measure.inputs if i.schools]


def uses_schools(measure: Measure, level: str, census: Census) -> bool:
    """Whether the 学校 sheet decides this level: some school fills each column the measure's
    sourced inputs need (a template's optional columns may be there, blank)."""
    inputs = _school_inputs(measure)
    if not inputs:
        return False
    folded = _fold(_Same(census.schools))
    # Each kind of school needs the same columns: looking at one of each is looking at all.
    wanted = {c for item in inputs for s in folded.kinds for suffix in SUFFIXES[level]
              for c in (_columns(item.schools, s, suffix) or ())}
    # No column wanted: no school in scope (G13 without 城区/镇区 public schools), nothing to add up.
    return bool(wanted) and wanted <= folded.filled


def school_figures(measure: Measure, level: str, census: Census) -> list[SchoolFigures]:
    """Each school of the level within the measure's scope, with its own figures (census order)."""
    found = []
    for school in _folded(census.schools):
        values: dict[str, Decimal] = {}
        for item in _school_inputs(measure):
            parts = [(s, _columns(item.schools, school, s)) for s in SUFFIXES[level]]
            parts = [(s, c) for s, c in parts if c is not None]
            if parts and all(c in school.values for _, c2 in parts for c in c2):
                values[item.name] = sum((_figure(item.schools, school, s) for s, _ in parts), Decimal(0))
                if item.schools == "training_hours":  # the school's own mean
                    teachers = _teachers(school, level)
                    values[item.name] = _mean(values[item.name], teachers) if teachers else Decimal(0)
        if values and len(values) == len(_school_inputs(measure)):
            found.append(SchoolFigures(school, values))
    return found


def as_recorded(measure: Measure, level: str, census: Census, values: dict[str, Decimal]) -> dict[str, RecordedValue]:
    """Figures as if typed in 区级指标, for the measure's judgement."""
    return {name: RecordedValue(measure.indicator_id, level, f"{number.normalize():f}", number, "", WHERE, name,
                                measure.input(name).unit, census.file) for name, number in values.items()}


def district_inputs(measure: Measure, level: str, census: Census) -> dict[str, RecordedValue]:
    """The level's inputs added up over its schools (a mean of 学时 is weighted by teachers)."""
    figures = school_figures(measure, level, census)
    found = {}
    for item in _school_inputs(measure):
        if item.schools == "training_hours":  # each teacher weighs once
            teachers = sum((_teachers(f.school, level) for f in figures), Decimal(0))
            hours = sum((_figure(item.schools, f.school, s) for f in figures for s in SUFFIXES[level]
                         if _has_level(f.school.school_type, s)), Decimal(0))
            found[item.name] = _mean(hours, teachers) if teachers else Decimal(0)
        else:
            found[item.name] = sum((f.values[item.name] for f in figures), Decimal(0))
    return as_recorded(measure, level, census, found)


def check_school_inputs(measures: dict[str, Measure], census: Census) -> list[Problem]:
    """A school of a level the 学校 sheet decides that leaves a needed cell blank (an error, with its
    row and column)."""
    problems = {}
    for measure in measures.values():
        for level in ("小学", "初中"):
            if not uses_schools(measure, level, census):
                continue
            folded = _fold(_Same(census.schools))
            needed = [tuple(dict.fromkeys(key for item in _school_inputs(measure) for suffix in SUFFIXES[level]
                                          for key in _columns(item.schools, kind, suffix) or ()))
                      for kind in folded.kinds]
            for school, kind in zip(folded.schools, folded.kind_of):
                for key in needed[kind]:
                    if key not in school.values:
                        where = f"{SCHOOL_SHEET} 第{school.row}行"
                        problems[(school.row, key)] = Problem(
                            census.file, where, f"{school.name}未填写“{COLUMNS_BY_KEY[key].title}”"
                            f"（{measure.indicator_id}按各校数据测算，其他学校已填写）", Severity.ERROR)
            for part in measure.parts:
                if part.kind != "ratio":
                    continue
                for figures in school_figures(measure, level, census):
                    numerator, denominator = (figures.values.get(n) for n in part.inputs)
                    if numerator is not None and denominator is not None and numerator > denominator:
                        problems[(figures.school.row, part.inputs[0])] = Problem(
                            census.file, f"{SCHOOL_SHEET} 第{figures.school.row}行",
                            f"{figures.school.name}{level}“{part.inputs[0]}”（{numerator}）不能大于“{part.inputs[1]}”"
                            f"（{denominator}）", Severity.ERROR)
    return list(problems.values())


def conflicts(measures: dict[str, Measure], census: Census, typed: dict[tuple[str, str, str], RecordedValue]) -> list[Problem]:
    """A district value typed in 区级指标 that the 学校 sheet decides and differs from: a warning."""
    problems = []
    for measure in measures.values():
        for level in ("小学", "初中", "全区"):
            keys = [(measure.indicator_id, level, normalise_plain(i.name)) for i in _school_inputs(measure)]
            if not any(key in typed for key in keys) or not uses_schools(measure, level, census):
                continue  # nothing typed to compare with (adding up a province's schools costs seconds)
            for name, value in district_inputs(measure, level, census).items():
                given = typed.get((measure.indicator_id, level, normalise_plain(name)))
                if given is not None and given.number is not None and given.number != value.number:
                    unit = measure.input(name).unit
                    problems.append(Problem(census.file, given.cell, f"{measure.indicator_id}{level}“{name}”填报为"
                                            f"{given.number.normalize():f}{unit}，“{SCHOOL_SHEET}”表各校合计为"
                                            f"{value.number.normalize():f}{unit}，按“{SCHOOL_SHEET}”表测算",
                                            Severity.WARNING))
    return problems


def own_text(source: str, school: SchoolRow) -> str:
    """A school's own figure where the measure counts schools (Q3, Q4): its answer or its share."""
    if source == "schools_charter_it":
        return "／".join(f"{w}：{'是' if school.value(k) == 1.0 else '否'}" for k, w in (("charter", "章程"),
                                                                                     ("informatized", "信息化")))
    if source == "schools_training_funds" and school.value("public_funds") > 0:
        share = _number(school.value("training_funds")) * 100 / _number(school.value("public_funds"))
        return f"{share.quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    return ""


def lack_text(source: str, school: SchoolRow, short: Decimal, unit: str) -> tuple[Decimal, str, str]:
    """(need, unit, words): what a school below the standard lacks, in the words of its source.
    `short` is how many more the numerator needs (teachers, pupils; 1 school for Q3 and Q4)."""
    if source == "schools_charter_it":
        words = "、".join(w for key, w in (("charter", "未制定章程"), ("informatized", "未实现管理与教学信息化"))
                         if school.value(key) != 1.0)
        return Decimal(1), "所", words
    if source == "schools_training_funds":
        funds = _number(school.value("public_funds"))
        wanted, given = funds * TRAINING_SHARE, _number(school.value("training_funds"))
        return ((wanted - given).normalize(), "万元",
                f"教师培训经费{given}万元，应不低于{wanted.normalize():f}万元（公用经费预算{funds}万元的5%）")
    words = {"trained": ("人", "名教师待完成培训学时"), "certified": ("人", "名教师待取得教师资格证"),
             "catchment_local": ("人", "名学生未就近划片入学"), "training_hours": ("学时", "学时（年均培训）待补")}
    unit, tail = words.get(source, (unit, unit))
    return short.normalize(), unit, f"{short.normalize():f}{tail}"
