"""School rows → school sections (学段), the unit every school-level indicator is judged on.

Branch campuses are folded into their parent first. A primary and a junior section come from
a school by its type; facilities reported for the whole school are split by student weights
unless the census gives the section's own figure. Small teaching points and special-education
schools are left out, each with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from excel_balance.census.model import SchoolRow
from excel_balance.census.schema import SchoolType
from excel_balance.plan import JUNIOR, PRIMARY, Settings

FACILITIES = ("teaching_area", "sports_area", "equipment_value", "multimedia_rooms")
SECTION_KEY = {PRIMARY: "primary", JUNIOR: "junior"}


@dataclass(frozen=True)
class School:
    """A school with its campuses folded in."""

    school_id: str
    name: str
    school_type: SchoolType
    values: dict[str, float]
    urban_rural: str = ""
    campuses: tuple[str, ...] = ()

    def value(self, key: str) -> float:
        return self.values.get(key, 0.0)

    @property
    def compulsory_students(self) -> float:
        return self.value("students_primary") + self.value("students_junior")

    @property
    def compulsory_classes(self) -> float:
        return self.value("classes_primary") + self.value("classes_junior")


@dataclass(frozen=True)
class Section:
    """One level of one school, with the figures the resource indicators divide by students."""

    school: School
    level: str
    students: float
    facilities: dict[str, float] = field(default_factory=dict)  # this section's share

    @property
    def school_id(self) -> str:
        return self.school.school_id

    @property
    def name(self) -> str:
        return self.school.name

    def figure(self, key: str) -> float:
        """A per-level census figure of this section (teachers, classes)."""
        return self.school.value(f"{key}_{SECTION_KEY[self.level]}")

    def has_figure(self, key: str) -> bool:
        return f"{key}_{SECTION_KEY[self.level]}" in self.school.values


@dataclass(frozen=True)
class Exclusion:
    school_id: str
    name: str
    level: str
    reason: str


def fold_campuses(rows: tuple[SchoolRow, ...]) -> list[School]:
    """Schools in census order, each branch campus's figures added to its parent's."""
    parents: dict[str, dict] = {}
    for row in rows:
        if row.counted:
            parents[row.school_id] = {"row": row, "values": dict(row.values), "campuses": []}
    for row in rows:
        if not row.counted and row.parent_id in parents:
            parent = parents[row.parent_id]
            for key, value in row.values.items():
                parent["values"][key] = parent["values"].get(key, 0.0) + value
            parent["campuses"].append(row.name)
    return [
        School(p["row"].school_id, p["row"].name, p["row"].school_type, p["values"], p["row"].urban_rural,
               tuple(p["campuses"]))
        for p in parents.values()
    ]


def split_weights(school: School, settings: Settings) -> dict[str, Decimal]:
    """Each section's share of whole-school facilities, by weighted students (domain.md §2)."""
    a = Decimal(repr(school.value("students_primary")))
    b = Decimal(repr(school.value("students_junior")))
    c = Decimal(repr(school.value("students_senior")))
    t = school.school_type
    if t is SchoolType.NINE_YEAR:
        weights = {PRIMARY: a, JUNIOR: settings.junior_weight * b}
    elif t is SchoolType.TWELVE_YEAR:
        weights = {PRIMARY: a, JUNIOR: settings.junior_weight * b, "高中": settings.senior_weight * c}
    elif t is SchoolType.COMPLETE:
        weights = {JUNIOR: b, "高中": settings.complete_school_senior_weight * c}
    elif t.has_junior:
        return {JUNIOR: Decimal(1)}
    else:
        return {PRIMARY: Decimal(1)}
    total = sum(weights.values())
    if total == 0:
        return {level: Decimal(0) for level in weights}
    return {level: weight / total for level, weight in weights.items()}


def _section_facilities(school: School, level: str, share: Decimal) -> dict[str, float]:
    own = SECTION_KEY[level]
    figures = {}
    for key in FACILITIES:
        given = school.values.get(f"{key}_{own}")
        # The census's own per-section figure wins over the weighted split.
        figures[key] = given if given is not None else float(Decimal(repr(school.value(key))) * share)
    if "indoor_sports_area" in school.values:  # only with the net_indoor_sports refinement's column
        figures["indoor_sports_area"] = float(Decimal(repr(school.value("indoor_sports_area"))) * share)
    return figures


def small_teaching_point(school: School, settings: Settings) -> bool:
    students = school.compulsory_students
    threshold = settings.teaching_point_threshold
    if settings.teaching_point_comparator == "<=":
        return students <= threshold
    return students < threshold


def build_sections(rows: tuple[SchoolRow, ...], settings: Settings,
                   facilities: bool = True) -> tuple[list[Section], list[Exclusion], list[School]]:
    """The sections judged by R1–R7 and G3–G5, the schools left out with reasons, all schools.
    Without `facilities`, the same sections with no facility figures (to count them cheaply)."""
    schools = fold_campuses(rows)
    sections: list[Section] = []
    excluded: list[Exclusion] = []
    for school in schools:
        t = school.school_type
        if t is SchoolType.SPECIAL:
            excluded.append(Exclusion(school.school_id, school.name, "特殊教育",
                                      "特殊教育学校不参加资源配置指标测算（另有政府保障程度第7项）"))
            continue
        if t is SchoolType.TEACHING_POINT and small_teaching_point(school, settings):
            threshold = settings.teaching_point_threshold
            rule = f"不足{threshold}人" if settings.teaching_point_comparator == "<" else f"{threshold}人及以下"
            excluded.append(Exclusion(school.school_id, school.name, PRIMARY,
                                      f"教学点在校生{school.compulsory_students:g}人（{rule}），不参加资源配置指标测算"))
            continue
        weights = split_weights(school, settings) if facilities else {}
        for level, present in ((PRIMARY, t.has_primary), (JUNIOR, t.has_junior)):
            if not present:
                continue
            students = school.value(f"students_{SECTION_KEY[level]}")
            if students <= 0:
                excluded.append(Exclusion(school.school_id, school.name, level, f"{level}在校生数为0，该学段不参加测算"))
                continue
            figures = _section_facilities(school, level, weights[level]) if facilities else {}
            sections.append(Section(school, level, students, figures))
    return sections, excluded, schools
