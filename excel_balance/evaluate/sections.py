"""School rows → school sections (学段), the unit every school-level indicator is judged on.

Which sections there are is census/scope.py's (campuses folded in; small teaching points,
special-education schools and levels without students left out, each with its reason): here,
facilities reported for the whole school are split by student weights unless the census gives
the section's own figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from excel_balance.census.model import SchoolRow
from excel_balance.census.schema import SchoolType
from excel_balance.census.scope import SECTION_KEY, Exclusion, School, fold_campuses, judged_sections
from excel_balance.plan import JUNIOR, PRIMARY, Settings

FACILITIES = ("teaching_area", "sports_area", "equipment_value", "multimedia_rooms")


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


def build_sections(rows: tuple[SchoolRow, ...], settings: Settings) -> tuple[list[Section], list[Exclusion], list[School]]:
    """The sections judged by R1–R7 and G3–G5, the schools left out with reasons, all schools."""
    schools = fold_campuses(rows)
    judged, excluded = judged_sections(schools, settings)
    sections: list[Section] = []
    for school, level, students in judged:
        if not sections or sections[-1].school is not school:  # a school's levels come together
            weights = split_weights(school, settings)
        sections.append(Section(school, level, students, _section_facilities(school, level, weights[level])))
    return sections, excluded, schools
