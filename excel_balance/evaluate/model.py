"""What the evaluation returns: per year, per indicator and level, a judged cell; a verdict."""

from __future__ import annotations

from dataclasses import dataclass, field

from excel_balance.census.model import Census
from excel_balance.evaluate.resources import LevelIndicator, SectionResources
from excel_balance.evaluate.rules import Status
from excel_balance.evaluate.school_conditions import LevelConditions
from excel_balance.evaluate.sections import Exclusion, School
from excel_balance.plan import Plan
from excel_balance.problems import Problem


@dataclass(frozen=True)
class Cell:
    """One indicator × level × census year, judged against that year's target (or the standard)."""

    indicator_id: str
    level: str
    year: int
    target_year: int | None  # the plan year whose target judged it; None: the standard
    target_text: str | None
    actual_text: str
    status: Status
    standard_met: bool | None = None
    note: str = ""
    basis: str = ""  # district-level indicators: 测算 (from the inputs) or 填报判断 (one value as recorded)
    measured: object = None  # evaluate.measured.Measured: the inputs and conditions behind a 测算 figure


@dataclass(frozen=True)
class YearResult:
    year: int
    census: Census
    schools: tuple[School, ...]
    sections: tuple[SectionResources, ...]
    excluded: tuple[Exclusion, ...]
    resources: dict[tuple[str, str], LevelIndicator]  # (level, indicator id)
    conditions: dict[str, LevelConditions]  # G3–G5 per level
    cells: dict[tuple[str, str], Cell]  # (indicator id, level)
    vetoes: dict[str, bool | None]  # veto id → present (None: not recorded)
    warnings: tuple[Problem, ...] = ()

    def sections_of(self, level: str) -> list[SectionResources]:
        return [s for s in self.sections if s.section.level == level]

    def resource_count(self, level: str) -> tuple[int, int]:
        """Sections meeting 资源配置 as a whole, of all sections of the level."""
        sections = self.sections_of(level)
        return sum(s.met for s in sections), len(sections)


@dataclass(frozen=True)
class Verdict:
    """Does the district meet the 优质均衡 standard in `year`, and what stands in the way."""

    year: int
    certified: bool
    obstacles: tuple[str, ...]


@dataclass(frozen=True)
class Evaluation:
    plan: Plan
    years: dict[int, YearResult]
    verdict: Verdict | None
    warnings: tuple[Problem, ...] = field(default=())

    @property
    def latest(self) -> YearResult | None:
        return self.years[max(self.years)] if self.years else None
