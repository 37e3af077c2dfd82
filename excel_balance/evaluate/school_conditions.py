"""政府保障程度 3, 4 and 5 from the school rows: music/art rooms, school size, class size.

Judged over the same sections as 资源配置, so their totals agree with the plan's (71/23).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from excel_balance.census.schema import SchoolType
from excel_balance.evaluate.sections import SECTION_KEY, School, Section
from excel_balance.plan import Settings

CLASS_LIMIT = {"小学": 45, "初中": 50}
RELAXED_ROOM_YEAR = 2016
RELAXED_SIZE_YEAR = 2010


def rooms_needed(compulsory_classes: float) -> int:
    """max(1, ⌈classes / 12⌉): one music and one art room per 12 classes, at least one."""
    return max(1, math.ceil(compulsory_classes / 12))


def _relaxed_rooms(school: School) -> bool:
    """Older buildings and small rural schools count rooms of the relaxed areas (§8)."""
    built = school.value("built_year")
    old = 0 < built <= RELAXED_ROOM_YEAR
    small_rural = school.urban_rural == "乡村" and 0 < school.value("max_class_size") < 30
    return old or small_rural


def counted_rooms(school: School, settings: Settings) -> tuple[float, float]:
    """(music, art) rooms that count: those of the full area, plus the relaxed-area ones where
    the plan's refinement applies to this school."""
    music, art = school.value("music_rooms"), school.value("art_rooms")
    if settings.refinements.relaxed_room_areas and _relaxed_rooms(school):
        music += school.value("music_rooms_relaxed")
        art += school.value("art_rooms_relaxed")
    return music, art


def special_rooms(school: School, settings: Settings) -> tuple[bool, bool, int]:
    """(music met, art met, rooms needed of each) for a school, judged on all its classes."""
    needed = rooms_needed(school.compulsory_classes)
    music, art = counted_rooms(school, settings)
    return music >= needed, art >= needed, needed


def size_limit(school: School, settings: Settings) -> int:
    """The most compulsory-stage students a school may have (domain.md §4, §8)."""
    one_through = school.school_type in (SchoolType.NINE_YEAR, SchoolType.TWELVE_YEAR)
    limit = 2500 if one_through else 2000
    if settings.refinements.relaxed_size_limits:
        if school.school_type is SchoolType.NINE_YEAR:
            limit = 3000
        built = school.value("built_year")
        students = school.compulsory_students
        migrant_share = school.value("migrant_students") / students if students else 0.0
        if (0 < built <= RELAXED_SIZE_YEAR) or migrant_share > 0.5:
            limit = max(limit, 2400)
    return limit


def within_size(school: School, settings: Settings) -> bool:
    return school.compulsory_students <= size_limit(school, settings)


@dataclass(frozen=True)
class LevelConditions:
    """G3–G5 over one level's sections."""

    music_met: int
    art_met: int
    total: int
    within_size: int
    classes: float
    classes_within: float

    @property
    def size_share(self) -> Decimal | None:
        """Percentage of sections within the size limit."""
        return Decimal(self.within_size * 100) / Decimal(self.total) if self.total else None

    @property
    def class_share(self) -> Decimal | None:
        """Percentage of classes within 45 (小学) / 50 (初中) students."""
        if not self.classes:
            return None
        return Decimal(repr(self.classes_within)) * 100 / Decimal(repr(self.classes))


def level_conditions(sections: list[Section], settings: Settings) -> LevelConditions:
    music = art = within = 0
    classes = classes_within = 0.0
    for section in sections:
        music_ok, art_ok, _ = special_rooms(section.school, settings)
        music += music_ok
        art += art_ok
        within += within_size(section.school, settings)
        level_classes = section.school.value(f"classes_{SECTION_KEY[section.level]}")
        classes += level_classes
        classes_within += level_classes - section.school.value(f"oversize_{SECTION_KEY[section.level]}")
    return LevelConditions(music, art, len(sections), within, classes, classes_within)


@dataclass(frozen=True)
class Fold:
    """Branch campuses folded into their school, and what that does to its size (G4)."""

    school_id: str
    name: str
    campuses: tuple[str, ...]
    students_before: float  # compulsory-stage students of the school's own row
    students_after: float
    limit: int

    @property
    def breaks_size(self) -> bool:
        """Within the size limit alone, over it with its campuses: a G4 result the fold changed."""
        return self.students_before <= self.limit < self.students_after

    def describe(self) -> str:
        text = (f"{self.name}（{self.school_id}）并入分校区{'、'.join(self.campuses)}：义务教育在校生"
                f"{self.students_before:g}人 → {self.students_after:g}人")
        if self.breaks_size:
            text += f"，超过{self.limit}人，G4（学校规模）因并入由达标变为不达标：请核对分校区的所属学校标识码"
        return text


def campus_folds(schools, rows, settings: Settings) -> list[Fold]:
    """Every school with branch campuses folded in (`schools` from sections.fold_campuses, `rows`
    the census rows they were built from)."""
    own = {r.school_id: r for r in rows if r.counted}
    folds = []
    for school in schools:
        if school.campuses:
            alone = School(school.school_id, school.name, school.school_type, own[school.school_id].values,
                           school.urban_rural)
            folds.append(Fold(school.school_id, school.name, school.campuses, alone.compulsory_students,
                              school.compulsory_students, size_limit(school, settings)))
    return folds
