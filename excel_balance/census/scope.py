"""Which school sections (学段) the resource indicators judge: branch campuses folded into their
parent, special-education schools, small teaching points and levels without students left out,
each with its reason.

Below the evaluation, so that `check` counts the sections exactly as `run` judges them.
"""

from __future__ import annotations

from dataclasses import dataclass

from excel_balance.census.model import SchoolRow
from excel_balance.census.schema import SchoolType
from excel_balance.plan import JUNIOR, PRIMARY, Settings

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
class Exclusion:
    school_id: str
    name: str
    level: str
    reason: str


def fold_campuses(rows: tuple[SchoolRow, ...]) -> list[School]:
    """Schools in census order, each branch campus's figures added to its parent's. A school
    without campuses shares its row's figures (read-only, both): copying 200,000 costs seconds."""
    counted = {row.school_id: row for row in rows if row.counted}
    added: dict[str, dict[str, float]] = {}
    campuses: dict[str, list[str]] = {}
    for row in rows:
        if not row.counted and row.parent_id in counted:
            values = added.setdefault(row.parent_id, dict(counted[row.parent_id].values))
            for key, value in row.values.items():
                values[key] = values.get(key, 0.0) + value
            campuses.setdefault(row.parent_id, []).append(row.name)
    return [School(r.school_id, r.name, r.school_type, added.get(r.school_id, r.values), r.urban_rural,
                   tuple(campuses.get(r.school_id, ()))) for r in counted.values()]


def small_teaching_point(school: School, settings: Settings) -> bool:
    students = school.compulsory_students
    threshold = settings.teaching_point_threshold
    if settings.teaching_point_comparator == "<=":
        return students <= threshold
    return students < threshold


def judged_sections(schools: list[School], settings: Settings) -> tuple[list[tuple[School, str, float]], list[Exclusion]]:
    """(school, level, students) of each section judged, in census order; and what is left out, why."""
    judged: list[tuple[School, str, float]] = []
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
        for level, present, key in ((PRIMARY, t.has_primary, "students_primary"), (JUNIOR, t.has_junior, "students_junior")):
            if not present:
                continue
            students = school.value(key)
            if students <= 0:
                excluded.append(Exclusion(school.school_id, school.name, level, f"{level}在校生数为0，该学段不参加测算"))
                continue
            judged.append((school, level, students))
    return judged, excluded
