"""资源配置: the seven school-level indicators per section, the 6-of-7 rule, gaps, 差异系数."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from excel_balance.evaluate.rules import compared, to_decimal
from excel_balance.evaluate.sections import Section
from excel_balance.plan import Indicator, Settings


@dataclass(frozen=True)
class Measure:
    """How one resource indicator is computed: numerator / students × per, and its gap."""

    key: str
    label: str  # what the numerator is, for sheets and messages
    per: int  # 100 for "per hundred students", 1 for "per student"
    scale: float  # numerator unit → indicator unit (万元 → 元)
    gap_unit: str
    whole: bool  # gaps in whole people or rooms

    def numerator(self, section: Section, settings: Settings) -> float:
        if self.key == "qualified_teachers":
            return section.figure("qualified")
        if self.key == "key_teachers":
            return section.figure("key")
        if self.key == "pe_art_teachers":
            return pe_art_teachers(section)
        indoor = section.facilities.get("indoor_sports_area", 0.0) if settings.refinements.net_indoor_sports else 0.0
        if self.key == "teaching_area":
            return section.facilities["teaching_area"] - indoor
        if self.key == "sports_area":
            return section.facilities["sports_area"] + indoor
        if self.key == "equipment_value":
            return section.facilities["equipment_value"]
        return section.facilities["multimedia_rooms"]


def pe_art_teachers(section: Section) -> float:
    """R3's teachers: an export's 体育与健康 + 艺术/计 when it has them, else 体育 + 音乐 + 美术 and
    the integrated 艺术 course's teachers (艺术/计 counts these too; 音乐 + 美术 alone would not)."""
    if section.has_figure("pe_art"):
        return section.figure("pe_art")
    return section.figure("pe") + section.figure("music") + section.figure("art") + section.figure("arts")


MEASURES = {
    m.key: m
    for m in (
        Measure("qualified_teachers", "高于规定学历教师数（人）", 100, 1, "人", True),
        Measure("key_teachers", "骨干教师数（人）", 100, 1, "人", True),
        Measure("pe_art_teachers", "体育、艺术专任教师数（人）", 100, 1, "人", True),
        Measure("teaching_area", "教学及辅助用房面积（㎡）", 1, 1, "㎡", False),
        Measure("sports_area", "体育运动场馆面积（㎡）", 1, 1, "㎡", False),
        Measure("equipment_value", "教学仪器设备值（万元）", 1, 10_000, "万元", False),
        Measure("multimedia_rooms", "网络多媒体教室数（间）", 100, 1, "间", True),
    )
}


@dataclass(frozen=True)
class ResourceValue:
    """One indicator for one section."""

    indicator_id: str
    numerator: float  # in census units (people, ㎡, 万元, rooms)
    value: float  # per student (× 100 where the standard is per hundred), 元 for equipment
    shown: Decimal  # as compared (rounded per the plan)
    standard: Decimal
    met: bool
    gap: float  # what the section lacks, in the measure's gap unit; 0 when met


@dataclass(frozen=True)
class SectionResources:
    section: Section
    values: dict[str, ResourceValue]
    met_count: int
    floor_ok: bool  # every unmet indicator at least the floor share of its standard
    met: bool  # the section meets 资源配置


def resource_value(indicator: Indicator, section: Section, settings: Settings) -> ResourceValue:
    measure = MEASURES[indicator.measure]
    standard = indicator.standard[section.level]
    numerator = measure.numerator(section, settings)
    value = numerator * measure.scale * measure.per / section.students
    shown = compared(value, settings.compare_decimals)
    met = shown >= standard
    return ResourceValue(indicator.id, numerator, value, shown, standard, met,
                         0.0 if met else gap(measure, standard, section.students, numerator))


def gap(measure: Measure, standard: Decimal, students: float, numerator: float) -> float:
    """What a section lacks: whole teachers or rooms, ㎡, or 万元 of equipment."""
    needed = standard * to_decimal(students) / measure.per / to_decimal(measure.scale) - to_decimal(numerator)
    if needed <= 0:
        return 0.0
    if measure.whole:
        return float(needed.to_integral_value(rounding=ROUND_CEILING))
    return float(needed)


def section_resources(indicators: list[Indicator], section: Section, settings: Settings) -> SectionResources:
    values = {i.id: resource_value(i, section, settings) for i in indicators}
    met_count = sum(v.met for v in values.values())
    floor = settings.resource_floor_share
    floor_ok = all(v.met or v.shown >= v.standard * floor for v in values.values())
    return SectionResources(section, values, met_count, floor_ok, met_count >= settings.resource_min_met and floor_ok)


def coefficient_of_variation(resources: list[float], students: list[float]) -> float | None:
    """差异系数 weighted by students: σ / X̄ with X̄ = Σ resource / Σ students (domain.md §3).

    None when the district has no students or no resource at all (the ratio is undefined).
    """
    total_students = math.fsum(students)
    if total_students <= 0:
        return None
    mean = math.fsum(resources) / total_students
    if mean <= 0:
        return None
    variance = math.fsum(s / total_students * (r / s - mean) ** 2 for r, s in zip(resources, students) if s > 0)
    return math.sqrt(variance) / mean


@dataclass(frozen=True)
class LevelIndicator:
    """One resource indicator over one level's sections."""

    indicator_id: str
    district_value: float | None
    met: int
    total: int
    cv: float | None
    cv_shown: Decimal | None
    cv_threshold: Decimal
    cv_ok: bool
    gap_total: float


def level_indicator(indicator: Indicator, results: list[SectionResources], level: str, settings: Settings) -> LevelIndicator:
    measure = MEASURES[indicator.measure]
    values = [r.values[indicator.id] for r in results]
    students = [r.section.students for r in results]
    numerators = [v.numerator for v in values]
    total_students = math.fsum(students)
    district = math.fsum(numerators) * measure.scale * measure.per / total_students if total_students else None
    cv = coefficient_of_variation(numerators, students)
    cv_shown = compared(cv, settings.compare_decimals) if cv is not None else None
    threshold = settings.cv_threshold[level]
    return LevelIndicator(
        indicator.id, district, sum(v.met for v in values), len(values), cv, cv_shown, threshold,
        cv_shown is not None and cv_shown <= threshold, math.fsum(v.gap for v in values),
    )
