"""攻坚清单: for next year's count targets, the sections closest to the standard, cheapest first.

Pure: from a year's results and the plan, what staff take into next year's budget talks.
"""

from __future__ import annotations

from dataclasses import dataclass

from excel_balance.evaluate.measured import measured_by_schools
from excel_balance.evaluate.model import YearResult
from excel_balance.evaluate.resources import MEASURES
from excel_balance.evaluate.rules import count_met, count_needed
from excel_balance.evaluate.school_conditions import counted_rooms, rooms_needed
from excel_balance.plan import LEVELS, CountTarget, PairedCountTarget, Plan


@dataclass(frozen=True)
class TodoItem:
    school_id: str
    name: str
    need: float
    unit: str


@dataclass(frozen=True)
class TodoGroup:
    """One indicator and level below next year's target, and the sections that would reach it."""

    indicator_id: str
    part: str  # "" or 音乐 / 美术 for G3
    level: str
    target_year: int
    target_text: str
    met: int
    total: int
    still_needed: int  # sections that must newly meet the standard
    items: tuple[TodoItem, ...]
    unit: str

    @property
    def total_need(self) -> float:
        return sum(i.need for i in self.items)


def todo_list(plan: Plan, result: YearResult) -> list[TodoGroup]:
    target_year = plan.target_year(result.year + 1)
    if target_year is None:
        return []
    groups = []
    for indicator in plan.indicators:
        for level in LEVELS if not indicator.merged else ():
            cell = indicator.targets[target_year].get(level)
            if cell is None or cell.target is None:
                continue
            if isinstance(cell.target, CountTarget):
                group = _resource_group(indicator, level, target_year, cell, result)
                if group:
                    groups.append(group)
            elif isinstance(cell.target, PairedCountTarget):
                for part, target in (("音乐", cell.target.music), ("美术", cell.target.art)):
                    group = _room_group(plan, indicator, level, target_year, cell.text, part, target, result)
                    if group:
                        groups.append(group)
    for indicator, level, measured in measured_by_schools(plan, result.cells):
        cell = indicator.targets[target_year].get(level)
        if cell is not None and cell.target is not None and measured.below:
            # Every school below the standard: a pooled share or mean reaches its target only as they do.
            items = tuple(TodoItem(s.school_id, s.name, float(s.need), s.unit) for s in measured.below)
            count = measured.school_count
            groups.append(TodoGroup(indicator.id, "", level, target_year, cell.text, count - len(items), count,
                                    len(items), items, items[0].unit))
    return groups


def _resource_group(indicator, level, target_year, cell, result: YearResult) -> TodoGroup | None:
    sections = result.sections_of(level)
    met = sum(s.values[indicator.id].met for s in sections)
    total = len(sections)
    if not total or count_met(met, total, cell.target):
        return None
    needed = count_needed(total, cell.target) - met
    unit = MEASURES[indicator.measure].gap_unit
    short = sorted((s for s in sections if not s.values[indicator.id].met),
                   key=lambda s: (s.values[indicator.id].gap, s.section.school_id))
    items = tuple(TodoItem(s.section.school_id, s.section.name, s.values[indicator.id].gap, unit) for s in short[:needed])
    return TodoGroup(indicator.id, "", level, target_year, cell.text, met, total, needed, items, unit)


def _room_group(plan, indicator, level, target_year, text, part, target: CountTarget, result: YearResult) -> TodoGroup | None:
    sections = [s.section for s in result.sections_of(level)]
    index = 0 if part == "音乐" else 1
    lacking = []
    for section in sections:
        need = rooms_needed(section.school.compulsory_classes) - counted_rooms(section.school, plan.settings)[index]
        if need > 0:
            lacking.append((need, section.school_id, section.name))
    total = len(sections)
    met = total - len(lacking)
    if not total or count_met(met, total, target):
        return None
    needed = count_needed(total, target) - met
    items = tuple(TodoItem(sid, name, need, "间") for need, sid, name in sorted(lacking)[:needed])
    return TodoGroup(indicator.id, part, level, target_year, text, met, total, needed, items, "间")
