"""The plan file: YAML → frozen dataclasses, validated in two passes.

Pass one checks the structure (known keys, required fields, types); pass two the cross-references
(areas, years, levels, target texts against the indicator's kind of evaluation, unique ids). Every
problem is collected, each with the plan file, the indicator and the field, so staff fix them all
in one go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from excel_balance import yamltext
from excel_balance.measures import Measure, number_or_none, read_measures
from excel_balance.problems import Problem, ProblemsError
from excel_balance.resources import template_path

PRIMARY = "小学"
JUNIOR = "初中"
DISTRICT = "全区"
LEVELS = (PRIMARY, JUNIOR)

EVALUATIONS = ("school_count", "paired_count", "percent", "number", "qualitative")
MEASURES = {
    "school_count": (
        "qualified_teachers",
        "key_teachers",
        "pe_art_teachers",
        "teaching_area",
        "sports_area",
        "equipment_value",
        "multimedia_rooms",
    ),
    "paired_count": ("special_rooms",),
    "percent": ("school_size", "class_size"),
}


# --- targets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountTarget:
    """`a/b`: a of the b sections (as counted when the plan was made) meet the standard."""

    met: int
    total: int


@dataclass(frozen=True)
class PairedCountTarget:
    """`音乐30/71，美术26/71`: music and art rooms, judged separately, the worse one counts."""

    music: CountTarget
    art: CountTarget


@dataclass(frozen=True)
class PercentTarget:
    """`95.50%` or `保持95%以上`: at least this share; `decimals` as printed in the plan."""

    value: Decimal
    decimals: int


@dataclass(frozen=True)
class NumberTarget:
    """`年均90学时以上`: at least this number of `unit`."""

    value: Decimal
    prefix: str
    unit: str


@dataclass(frozen=True)
class QualitativeTarget:
    """`达标`, `无`, or a sentence restating the standard (met when recorded as 达标)."""

    expected: str


Target = CountTarget | PairedCountTarget | PercentTarget | NumberTarget | QualitativeTarget

_COUNT = re.compile(r"^(\d+)\s*[/／]\s*(\d+)$")  # ／: a Chinese input method's slash
_PAIRED = re.compile(r"^音乐\s*(\d+\s*[/／]\s*\d+)\s*[，,]\s*美术\s*(\d+\s*[/／]\s*\d+)$")
# A qualitative "target" that says the opposite: read as 达标 it would expect what the plan does not.
_NEGATION = re.compile(r"^(?:未|不|没有?|尚未)(?:达标|达到|合格|完成)|^(?:否|true|false)$", re.IGNORECASE)
_PERCENT = re.compile(r"^(?:保持)?(\d+(?:\.(\d+))?)\s*[%％](?:以上)?$")
_NUMBER = re.compile(r"^(\D*?)(\d+(?:\.\d+)?)\s*(\D+?)(?:以上)?$")


def expects_nothing(text: str) -> bool:
    """An indicator asking that something be absent (8.无过重课业负担): its targets read 无, not 达标."""
    return re.match(r"^\s*\d*\s*[.．、]?\s*无", text) is not None


class TargetSyntaxError(ValueError):
    """A target text that does not read as the indicator's kind of evaluation."""


def parse_count(text: str) -> CountTarget:
    match = _COUNT.match(text.strip())
    if not match:
        raise TargetSyntaxError(f"“{text}”不是“达标学校数/学校总数”的形式（例如 43/71）")
    met, total = int(match[1]), int(match[2])
    if total == 0 or met > total:
        raise TargetSyntaxError(f"“{text}”的达标学校数不能大于学校总数，学校总数不能为0")
    return CountTarget(met, total)


def parse_target(evaluation: str, text: str) -> Target:
    """Read a printed target text as the given kind of evaluation."""
    text = text.strip()
    if evaluation == "school_count":
        return parse_count(text)
    if evaluation == "paired_count":
        match = _PAIRED.match(text)
        if not match:
            raise TargetSyntaxError(f"“{text}”不是“音乐a/b，美术c/d”的形式")
        return PairedCountTarget(parse_count(match[1]), parse_count(match[2]))
    if evaluation == "percent":
        match = _PERCENT.match(text)
        if not match:
            raise TargetSyntaxError(f"“{text}”不是百分比（例如 95%、95.50%、保持95%以上）")
        return PercentTarget(Decimal(match[1]), len(match[2] or ""))
    if evaluation == "number":
        match = _NUMBER.match(text)
        if not match:
            raise TargetSyntaxError(f"“{text}”不是“数值+单位”的形式（例如 年均90学时以上）")
        return NumberTarget(Decimal(match[2]), match[1], match[3])
    if evaluation == "qualitative":
        if not text:
            raise TargetSyntaxError("目标为空")
        if _NEGATION.match(text):
            raise TargetSyntaxError(f"“{text}”不是要达到的目标：定性指标的目标写“达标”（或按规划原文写要达到的状态；无过重课业负担写“无”）")
        return QualitativeTarget("无" if text == "无" else "达标")
    raise TargetSyntaxError(f"未知的评估方式“{evaluation}”")


# --- plan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanCell:
    """One printed cell of the plan table; `target` is None where the plan leaves it blank."""

    text: str | None
    target: Target | None = None


@dataclass(frozen=True)
class Indicator:
    id: str
    area: str
    text: str
    evaluation: str
    merged: bool
    baseline: dict[str, str | None]
    targets: dict[int, dict[str, PlanCell]]
    units: tuple[str, ...]
    standard: dict[str, Decimal] = field(default_factory=dict)
    measure: str | None = None
    unit: str = ""
    display_decimals: int = 2

    @property
    def levels(self) -> tuple[str, ...]:
        """The evaluated levels: 全区 for a merged row, else 小学 and 初中."""
        return (DISTRICT,) if self.merged else LEVELS

    @property
    def from_schools(self) -> bool:
        return self.measure is not None

    @property
    def lead_unit(self) -> str:
        return self.units[0]


@dataclass(frozen=True)
class Area:
    name: str
    text: str


@dataclass(frozen=True)
class Veto:
    id: str
    text: str


@dataclass(frozen=True)
class Refinements:
    net_indoor_sports: bool = False
    relaxed_room_areas: bool = False
    relaxed_size_limits: bool = False


@dataclass(frozen=True)
class Settings:
    teaching_point_threshold: int = 50
    teaching_point_comparator: str = "<"
    compare_decimals: int | None = 2
    junior_weight: Decimal = Decimal("1.1")
    senior_weight: Decimal = Decimal("1.32")
    complete_school_senior_weight: Decimal = Decimal("1.2")
    resource_min_met: int = 6
    resource_floor_share: Decimal = Decimal("0.85")
    cv_threshold: dict[str, Decimal] = field(
        default_factory=lambda: {PRIMARY: Decimal("0.50"), JUNIOR: Decimal("0.45")}
    )
    near_count_margin: int = 1
    near_percent_margin: Decimal = Decimal("2")
    refinements: Refinements = Refinements()


@dataclass(frozen=True)
class Plan:
    district: str
    title: str
    baseline_year: int
    plan_years: tuple[int, ...]
    areas: tuple[Area, ...]
    indicators: tuple[Indicator, ...]
    footnotes: tuple[str, ...]
    vetoes: tuple[Veto, ...]
    settings: Settings = Settings()
    label: str = ""
    baseline_label: str = "现状"
    footnote_title: str = "说明："
    census_aliases: dict[str, str] = field(default_factory=dict)
    source: str = ""
    measures: dict[str, Measure] = field(default_factory=dict)  # district-level indicators, by id

    def indicator(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    @property
    def standards_only(self) -> bool:
        """A plan without yearly targets (the national standard): every year is judged on the standard."""
        return not self.plan_years

    def target_year(self, year: int) -> int | None:
        """The plan year whose targets judge `year`: later years use the last target; None for
        the baseline year and for a standards-only plan."""
        if self.standards_only or year < self.plan_years[0]:
            return None
        return min(year, self.plan_years[-1])

    @property
    def units(self) -> tuple[str, ...]:
        """Every responsible unit, in order of first mention."""
        return tuple(dict.fromkeys(u for i in self.indicators for u in i.units))


# --- loading and validation ----------------------------------------------------------------

_TOP_KEYS = {
    "district": True,
    "title": True,
    "baseline_year": True,
    "plan_years": True,
    "areas": True,
    "indicators": True,
    "footnotes": False,
    "vetoes": False,
    "settings": False,
    "label": False,
    "baseline_label": False,
    "footnote_title": False,
    "census_aliases": False,
    "measures": False,
}
_INDICATOR_KEYS = {
    "id": True,
    "area": True,
    "text": True,
    "evaluation": True,
    "levels": True,
    "baseline": True,
    "targets": True,
    "units": True,
    "standard": False,
    "measure": False,
    "unit": False,
    "display_decimals": False,
}
_SETTING_TYPES = {
    "teaching_point_threshold": int,
    "teaching_point_comparator": str,
    "compare_decimals": int,
    "junior_weight": Decimal,
    "senior_weight": Decimal,
    "complete_school_senior_weight": Decimal,
    "resource_min_met": int,
    "resource_floor_share": Decimal,
    "cv_threshold": dict,
    "near_count_margin": int,
    "near_percent_margin": Decimal,
    "refinements": dict,
}


class _Collector:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))


def _check_keys(found: dict, spec: dict[str, bool], where: str, out: _Collector) -> None:
    for key in found:
        if key not in spec:
            out.add(where, f"未知的字段“{key}”（可用字段：{'、'.join(spec)}）")
    for key, required in spec.items():
        if required and key not in found:
            out.add(where, f"缺少字段“{key}”")


def _indicator_where(raw: Any, index: int) -> str:
    ident = raw.get("id") if isinstance(raw, dict) else None
    return f"指标 {ident}" if ident else f"第{index + 1}个指标"


def _structure(doc: Any, out: _Collector) -> bool:
    """Pass one: keys and types. Returns False when the document cannot be read further."""
    if not isinstance(doc, dict):
        out.add("", "规划文件的内容应为字段表（district、title、indicators 等）")
        return False
    _check_keys(doc, _TOP_KEYS, "", out)
    if not isinstance(doc.get("indicators", []), list):
        out.add("indicators", "应为指标列表")
        return False
    for index, raw in enumerate(doc.get("indicators", [])):
        where = _indicator_where(raw, index)
        if not isinstance(raw, dict):
            out.add(where, "指标应为字段表")
            continue
        _check_keys(raw, _INDICATOR_KEYS, where, out)
    settings = doc.get("settings") or {}
    if not isinstance(settings, dict):
        out.add("settings", "应为字段表")
    else:
        for key, value in settings.items():
            kind = _SETTING_TYPES.get(key)
            if kind is None:
                out.add(f"settings.{key}", f"未知的设置（可用设置：{'、'.join(_SETTING_TYPES)}）")
            elif kind is dict and not isinstance(value, dict):
                out.add(f"settings.{key}", "应为字段表")
            elif kind is int and not (value is None and key == "compare_decimals") and (
                not isinstance(value, int) or isinstance(value, bool)
            ):
                out.add(f"settings.{key}", f"应为整数，现为“{value}”")
            elif kind is Decimal and number_or_none(value) is None:
                out.add(f"settings.{key}", f"应为数字，现为“{value}”")
    return True


def _read_settings(raw: dict, out: _Collector) -> Settings:
    values: dict[str, Any] = {}
    for key, value in raw.items():
        kind = _SETTING_TYPES.get(key)
        if kind is Decimal and number_or_none(value) is not None:
            values[key] = number_or_none(value)
        elif kind is int and (isinstance(value, int) or value is None):
            values[key] = value
        elif kind is str:
            values[key] = str(value)
    if values.get("teaching_point_comparator", "<") not in ("<", "<="):
        out.add("settings.teaching_point_comparator", "应为 \"<\"（不足）或 \"<=\"（及以下）")
    thresholds = raw.get("cv_threshold")
    if isinstance(thresholds, dict):
        parsed = {}
        for level in LEVELS:
            if number_or_none(thresholds.get(level)) is None:
                out.add(f"settings.cv_threshold.{level}", "缺少差异系数阈值（数字）")
            else:
                parsed[level] = number_or_none(thresholds[level])
        values["cv_threshold"] = parsed
    refinements = raw.get("refinements")
    if isinstance(refinements, dict):
        known = Refinements.__dataclass_fields__
        for key, value in refinements.items():
            if key not in known:
                out.add(f"settings.refinements.{key}", f"未知的细则（可用：{'、'.join(known)}）")
            elif not isinstance(value, bool):
                out.add(f"settings.refinements.{key}", "应为 true 或 false")
        values["refinements"] = Refinements(
            **{k: v for k, v in refinements.items() if k in known and isinstance(v, bool)}
        )
    return Settings(**values)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _read_cells(
    raw: Any, merged: bool, evaluation: str, where: str, field_name: str, out: _Collector
) -> dict[str, PlanCell] | None:
    """One year's cells: a text for a merged row, {小学, 初中} for a split row."""
    if merged:
        if isinstance(raw, dict):
            out.add(f"{where} 字段 {field_name}", "合并行（levels: merged）每年只填一个目标")
            return None
        cells = {DISTRICT: _cell(raw, evaluation, f"{where} 字段 {field_name}", out)}
        return cells
    if not isinstance(raw, dict):
        out.add(f"{where} 字段 {field_name}", "分学段行（levels: split）应分别填写小学、初中")
        return None
    for key in raw:
        if key not in LEVELS:
            out.add(f"{where} 字段 {field_name}.{key}", "学段只能是“小学”或“初中”")
    cells = {}
    for level in LEVELS:
        if level not in raw:
            out.add(f"{where} 字段 {field_name}.{level}", f"缺少{level}的目标（规划中空白的填 null）")
            continue
        cells[level] = _cell(raw[level], evaluation, f"{where} 字段 {field_name}.{level}", out)
    return cells


def _cell(raw: Any, evaluation: str, where: str, out: _Collector) -> PlanCell:
    text = _text(raw)
    if text is None:
        return PlanCell(None)
    try:
        return PlanCell(text, parse_target(evaluation, text))
    except TargetSyntaxError as exc:
        out.add(where, f"目标无法识别：{exc}")
        return PlanCell(text)


def _read_standard(raw: Any, evaluation: str, merged: bool, where: str, out: _Collector):
    if raw is None:
        if evaluation in ("school_count", "percent", "number"):
            out.add(f"{where} 字段 standard", "缺少标准值（此类指标需要标准值以判断是否达标）")
        return {}
    if isinstance(raw, dict):
        standard = {}
        for level in LEVELS:
            value = number_or_none(raw.get(level))
            if value is None:
                out.add(f"{where} 字段 standard.{level}", "缺少该学段的标准值（数字）")
            else:
                standard[level] = value
        return standard
    value = number_or_none(raw)
    if value is None:
        out.add(f"{where} 字段 standard", f"标准值应为数字，现为“{raw}”")
        return {}
    if evaluation == "school_count":
        out.add(f"{where} 字段 standard", "按校评估的指标应分别给出小学、初中的标准值")
        return {}
    return {level: value for level in (DISTRICT, *LEVELS)} if merged else dict.fromkeys(LEVELS, value)


def _read_indicator(raw: dict, index: int, doc: dict, out: _Collector) -> Indicator | None:
    where = _indicator_where(raw, index)
    evaluation = raw.get("evaluation")
    if evaluation not in EVALUATIONS:
        out.add(f"{where} 字段 evaluation", f"评估方式应为 {'、'.join(EVALUATIONS)} 之一，现为“{evaluation}”")
        return None
    layout = raw.get("levels")
    if layout not in ("split", "merged"):
        out.add(f"{where} 字段 levels", f"应为 split（分学段）或 merged（两学段合并），现为“{layout}”")
        return None
    merged = layout == "merged"
    area_names = [a.get("name") for a in doc.get("areas") or [] if isinstance(a, dict)]
    if raw.get("area") not in area_names:
        out.add(f"{where} 字段 area", f"领域“{raw.get('area')}”不在 areas 中（{'、'.join(map(str, area_names))}）")
    measure = raw.get("measure")
    if measure is not None and measure not in MEASURES.get(evaluation, ()):
        allowed = "、".join(MEASURES.get(evaluation, ())) or "无（此评估方式不从学校数据计算）"
        out.add(f"{where} 字段 measure", f"“{measure}”不是此评估方式可用的计算项（可用：{allowed}）")
        measure = None
    if evaluation in ("school_count", "paired_count") and measure is None and "measure" not in raw:
        out.add(f"{where} 字段 measure", "按学校数评估的指标需要 measure（从学校数据计算的项目）")
    if merged and evaluation in ("school_count", "paired_count"):
        out.add(f"{where} 字段 levels", "按学校数评估的指标须分学段（split）")

    units = raw.get("units")
    if not isinstance(units, list) or not [u for u in units if _text(u)]:
        out.add(f"{where} 字段 units", "责任单位不能为空（牵头单位写在第一位）")
        units = []

    baseline_raw = raw.get("baseline")
    if merged:
        baseline = {DISTRICT: _text(baseline_raw)} if not isinstance(baseline_raw, dict) else {}
        if isinstance(baseline_raw, dict):
            out.add(f"{where} 字段 baseline", "合并行（levels: merged）的现状只填一个")
    elif isinstance(baseline_raw, dict):
        baseline = {level: _text(baseline_raw.get(level)) for level in LEVELS}
        for level in LEVELS:
            if level not in baseline_raw:
                out.add(f"{where} 字段 baseline.{level}", f"缺少{level}的现状（规划中空白的填 null）")
    else:
        out.add(f"{where} 字段 baseline", "分学段行（levels: split）的现状应分别填写小学、初中")
        baseline = {}

    targets_raw = raw.get("targets")
    targets: dict[int, dict[str, PlanCell]] = {}
    if not isinstance(targets_raw, dict):
        out.add(f"{where} 字段 targets", "应按年度填写目标，例如 2020: {小学: 8/71, 初中: 5/23}")
        targets_raw = {}
    plan_years = [y for y in doc.get("plan_years") or [] if isinstance(y, int)]
    for year in targets_raw:
        if year not in plan_years:
            out.add(f"{where} 字段 targets.{year}", f"{year} 不是规划年度（plan_years：{plan_years}）")
    for year in plan_years:
        if year not in targets_raw:
            out.add(f"{where} 字段 targets.{year}", f"缺少{year}年的目标")
            continue
        cells = _read_cells(targets_raw[year], merged, evaluation, where, f"targets.{year}", out)
        if cells is not None:
            targets[year] = cells

    decimals = raw.get("display_decimals", 2)
    if not isinstance(decimals, int) or isinstance(decimals, bool) or decimals < 0:
        out.add(f"{where} 字段 display_decimals", "应为非负整数")
        decimals = 2
    return Indicator(
        id=str(raw.get("id")),
        area=str(raw.get("area")),
        text=_text(raw.get("text")) or "",
        evaluation=evaluation,
        merged=merged,
        baseline=baseline,
        targets=targets,
        units=tuple(_text(u) for u in units if _text(u)),
        standard=_read_standard(raw.get("standard"), evaluation, merged, where, out),
        measure=measure,
        unit=str(raw.get("unit") or ""),
        display_decimals=decimals,
    )


def _cross_references(doc: dict, out: _Collector) -> Plan | None:
    """Pass two: everything that relates one part of the plan to another."""
    years = doc.get("plan_years")
    if not isinstance(years, list) or not all(isinstance(y, int) for y in years):
        out.add("plan_years", "应为年度列表，例如 [2020, 2021, 2022, 2023, 2024]；只有标准、没有年度目标的写 []")
        years = []
    elif years != sorted(set(years)):
        out.add("plan_years", "年度应从小到大且不重复")
    baseline_year = doc.get("baseline_year")
    if not isinstance(baseline_year, int) or (years and baseline_year >= years[0]):
        out.add("baseline_year", "现状年度应为早于第一个规划年度的年份")

    areas = []
    for index, raw in enumerate(doc.get("areas") or []):
        if not isinstance(raw, dict) or not _text(raw.get("name")):
            out.add(f"areas 第{index + 1}项", "领域需要 name 与 text")
            continue
        areas.append(Area(str(raw["name"]), _text(raw.get("text")) or str(raw["name"])))
    if not areas:
        out.add("areas", "至少需要一个领域")

    indicators = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(doc.get("indicators") or []):
        if not isinstance(raw, dict):
            continue
        ident = _text(raw.get("id"))
        if ident in seen:
            out.add(f"指标 {ident} 字段 id", f"编号重复（第{seen[ident] + 1}个与第{index + 1}个指标）")
        elif ident:
            seen[ident] = index
        indicator = _read_indicator(raw, index, doc, out)
        if indicator is not None:
            indicators.append(indicator)
    if not indicators and not doc.get("indicators"):
        out.add("indicators", "至少需要一个指标")

    vetoes = []
    for index, raw in enumerate(doc.get("vetoes") or []):
        if not isinstance(raw, dict) or not _text(raw.get("id")) or not _text(raw.get("text")):
            out.add(f"vetoes 第{index + 1}项", "否决情形需要 id 与 text")
            continue
        vetoes.append(Veto(str(raw["id"]), str(raw["text"])))

    aliases = doc.get("census_aliases") or {}
    if not isinstance(aliases, dict):
        out.add("census_aliases", "应为“别名: 标准列名”的字段表")
        aliases = {}
    settings = _read_settings(doc.get("settings") or {}, out) if isinstance(doc.get("settings") or {}, dict) else Settings()
    measures = _plan_measures(doc, indicators, out)
    if out.problems:
        return None
    return Plan(
        district=str(doc["district"]),
        title=str(doc["title"]),
        baseline_year=baseline_year,
        plan_years=tuple(years),
        areas=tuple(areas),
        indicators=tuple(indicators),
        footnotes=tuple(str(f) for f in doc.get("footnotes") or []),
        vetoes=tuple(vetoes),
        settings=settings,
        label=str(doc.get("label") or ""),
        baseline_label=str(doc.get("baseline_label") or "现状"),
        footnote_title=str(doc.get("footnote_title") or "说明："),
        census_aliases={str(k): str(v) for k, v in aliases.items()},
        source=out.file,
        measures=measures,
    )


NATIONAL_MEASURES = ("measures", "national.yaml")


def national_measures(out: _Collector) -> dict[str, Measure]:
    """The national method's measures, which every plan inherits."""
    path = template_path(*NATIONAL_MEASURES)
    try:
        doc = yamltext.load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:  # a working folder's copy, edited by hand
        where = yamltext.place(exc) if isinstance(exc, yaml.YAMLError) else ""
        out.add(f"{path}{where}", f"测算方法文件无法读取（{exc}）")
        return {}
    return read_measures(doc, "templates/measures/national.yaml", out.add)


def _check_target_units(indicator: Indicator, measure: Measure, out: _Collector) -> None:
    """A percentage or number target is compared with the measure's first numeric condition: same unit."""
    unit = measure.headline_unit
    for year, cells in indicator.targets.items():
        for cell in cells.values():
            wanted = "%" if isinstance(cell.target, PercentTarget) else getattr(cell.target, "unit", None)
            if wanted is not None and wanted != unit:
                out.add(f"指标 {indicator.id} 字段 targets.{year}",
                        f"目标“{cell.text}”以“{wanted}”计，而测算方法的比较值以“{unit or '是/否'}”计："
                        f"请在 measures 中写出本区{indicator.id}的测算方法（参照 templates/measures/national.yaml）")
                return


def _plan_measures(doc: dict, indicators: list[Indicator], out: _Collector) -> dict[str, Measure]:
    """The national measures, replaced per indicator by the plan's own `measures:`; only for the
    plan's indicators that are not computed from school rows."""
    own = read_measures(doc.get("measures"), "measures", out.add)
    by_id = {i.id: i for i in indicators}
    for ident in own:
        if ident not in by_id:
            out.add(f"measures.{ident}", f"{ident} 不是本规划的指标")
        elif by_id[ident].from_schools:
            out.add(f"measures.{ident}", f"{ident} 从“学校”表计算（measure: {by_id[ident].measure}），不需要区级测算方法")
    measures = {**national_measures(out), **own}
    chosen = {}
    for ident, measure in measures.items():
        indicator = by_id.get(ident)
        if indicator is None or indicator.from_schools:
            continue
        if indicator.merged and any("全区" not in p.at_least for p in measure.parts if p.at_least):
            out.add(f"measures.{ident}", f"{ident} 是合并行（levels: merged），at_least 应为一个数，不分学段")
        _check_target_units(indicator, measure, out)
        chosen[ident] = measure
    return chosen


def check_plan(path: str | Path) -> tuple[Plan | None, list[Problem]]:
    """Load and validate a plan file; returns the plan (None if unusable) and every problem."""
    path = Path(path)
    out = _Collector(path.name)
    try:
        doc = yamltext.load(path.read_text(encoding="utf-8-sig"))
    except yamltext.AliasRefused as exc:
        out.add(yamltext.place(exc), f"使用了 YAML 别名（*{exc.anchor}），规划文件中不允许：请直接写出内容")
        return None, out.problems
    except FileNotFoundError:
        out.add("", "找不到规划文件")
        return None, out.problems
    except OSError as exc:
        out.add("", f"无法读取规划文件（{exc.strerror or exc}）")
        return None, out.problems
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        where = yamltext.place(exc) if isinstance(exc, yaml.YAMLError) else ""
        out.add(where, f"不是有效的 YAML 文件（{getattr(exc, 'problem', exc)}）")
        return None, out.problems
    if not _structure(doc, out):
        return None, out.problems
    plan = _cross_references(doc, out)
    return plan, out.problems


def load_plan(path: str | Path) -> Plan:
    """The plan at `path`; raises ProblemsError listing every problem when it is not sound."""
    plan, problems = check_plan(path)
    if plan is None:
        raise ProblemsError(problems)
    return plan
