"""Judge each indicator × level of a census year against the plan: actual text and status."""

from __future__ import annotations

from decimal import Decimal

from excel_balance.census.model import RecordedValue
from excel_balance.evaluate.model import Cell
from excel_balance.evaluate.resources import LevelIndicator
from excel_balance.evaluate.rules import (
    Status,
    count_met,
    count_near,
    decimals_of,
    percent_met,
    percent_decimals,
    percent_near,
    percent_text,
    round_half_up,
    standard_status,
    worse,
    yearly_status,
)
from excel_balance.evaluate.school_conditions import LevelConditions
from excel_balance.plan import (
    CountTarget,
    Indicator,
    NumberTarget,
    PairedCountTarget,
    PercentTarget,
    Plan,
    QualitativeTarget,
)

MET_WORDS = {"达标", "不存在"}
NOT_MET_WORDS = {"未达标", "存在"}


class Column:
    """Which plan column a census year fills: the baseline (judged on the standard) or a year."""

    def __init__(self, plan: Plan, indicator: Indicator, level: str, year: int):
        self.indicator, self.level, self.year = indicator, level, year
        self.target_year = plan.target_year(year)
        if self.target_year is None:
            self.text = indicator.baseline.get(level)
            self.target = None
        else:
            cell = indicator.targets[self.target_year][level]
            self.text, self.target = cell.text, cell.target

    @property
    def is_baseline(self) -> bool:
        return self.target_year is None

    def cell(self, actual: str, status: Status, standard_met=None, note="", basis="", measured=None) -> Cell:
        return Cell(self.indicator.id, self.level, self.year, self.target_year, self.text, actual, status,
                    standard_met, note, basis, measured)

    def unjudged(self, has_data: bool) -> Cell | None:
        """The cell when there is nothing to judge: a blank plan cell, or no data."""
        if self.text is None:
            return self.cell("", Status.NOT_APPLICABLE)
        if not has_data:
            return self.cell("", Status.NO_DATA)
        return None


def judge_count(plan, indicator, level, year, level_result: LevelIndicator | None) -> Cell:
    column = Column(plan, indicator, level, year)
    if blank := column.unjudged(level_result is not None and level_result.total > 0):
        return blank
    met, total = level_result.met, level_result.total
    standard_met = met == total
    if column.is_baseline:
        value = round_half_up(level_result.district_value, indicator.display_decimals)
        actual = f"全区{value}{indicator.unit}，达标{met}/{total}"
        return column.cell(actual, standard_status(standard_met), standard_met)
    target: CountTarget = column.target
    margin = plan.settings.near_count_margin
    status = yearly_status(count_met(met, total, target), standard_met, count_near(met, total, target, margin))
    return column.cell(f"{met}/{total}", status, standard_met)


def judge_paired(plan, indicator, level, year, conditions: LevelConditions | None) -> Cell:
    column = Column(plan, indicator, level, year)
    if blank := column.unjudged(conditions is not None and conditions.total > 0):
        return blank
    total = conditions.total
    actual = f"音乐{conditions.music_met}/{total}，美术{conditions.art_met}/{total}"
    standard_met = conditions.music_met == total and conditions.art_met == total
    if column.is_baseline:
        return column.cell(actual, standard_status(standard_met), standard_met)
    target: PairedCountTarget = column.target
    margin = plan.settings.near_count_margin
    statuses = [
        yearly_status(count_met(met, total, part), met == total, count_near(met, total, part, margin))
        for met, part in ((conditions.music_met, target.music), (conditions.art_met, target.art))
    ]
    return column.cell(actual, worse(*statuses), standard_met)


def judge_percent(plan, indicator, level, year, actual: Decimal | None, recorded: RecordedValue | None = None) -> Cell:
    """A percentage: computed from schools (`actual`) or recorded by staff (`recorded`).

    A share computed from school counts is rounded half-up to the target's printed decimals
    before comparing (the plan's 92% stands for 65/71 = 91.55%); a percentage staff recorded is
    compared as recorded, so 96.5% falls short of 97%.
    """
    column = Column(plan, indicator, level, year)
    if recorded is not None:
        if recorded.number is None:
            return column.unjudged(True) or _judge_word(column, recorded)
        actual = recorded.number
    if blank := column.unjudged(actual is not None):
        return blank
    exact = recorded is not None
    standard = indicator.standard.get(level)
    standard_met = standard is None or percent_met(
        actual, standard, None if exact else percent_decimals(standard, decimals_of(standard)))
    decimals = column.target.decimals if isinstance(column.target, PercentTarget) else 0
    text = recorded.text if exact else percent_text(actual, decimals)
    note = recorded.note if exact else ""
    if column.is_baseline:
        return column.cell(text, standard_status(standard_met), standard_met, note)
    target: PercentTarget = column.target
    margin = plan.settings.near_percent_margin
    decimals = None if exact else percent_decimals(target.value, target.decimals)
    status = yearly_status(
        percent_met(actual, target.value, decimals), standard_met,
        percent_near(actual, target.value, decimals, margin),
    )
    return column.cell(text, status, standard_met, note)


def judge_number(plan, indicator, level, year, recorded: RecordedValue | None) -> Cell:
    column = Column(plan, indicator, level, year)
    if blank := column.unjudged(recorded is not None):
        return blank
    if recorded.number is None:
        return _judge_word(column, recorded)
    standard = indicator.standard.get(level)
    standard_met = standard is None or recorded.number >= standard
    if column.is_baseline:
        return column.cell(recorded.text, standard_status(standard_met), standard_met, recorded.note)
    target: NumberTarget = column.target
    status = yearly_status(recorded.number >= target.value, standard_met, False)
    return column.cell(recorded.text, status, standard_met, recorded.note)


def judge_qualitative(plan, indicator, level, year, recorded: RecordedValue | None) -> Cell:
    column = Column(plan, indicator, level, year)
    if blank := column.unjudged(recorded is not None):
        return blank
    if recorded.number is not None:  # e.g. a satisfaction survey's percentage for 社会认可度
        standard = indicator.standard.get(level)
        met = standard is not None and recorded.number >= standard
        status = standard_status(met) if column.is_baseline else yearly_status(met, met, False)
        return column.cell(recorded.text, status, met, recorded.note)
    return _judge_word(column, recorded)


def _judge_word(column: Column, recorded: RecordedValue) -> Cell:
    """达标/未达标, or 无/有 where 无 is the goal (无过重课业负担)."""
    goals = [cells[column.level].target for cells in column.indicator.targets.values() if column.level in cells]
    expected = next((g.expected for g in goals if isinstance(g, QualitativeTarget)), None)
    if expected is None:  # a standards-only plan: the standard's own text says whether 无 is the goal
        expected = "无" if column.indicator.baseline.get(column.level) == "无" else "达标"
    met = recorded.text == expected or (expected == "达标" and recorded.text in MET_WORDS)
    status = standard_status(met) if column.is_baseline else yearly_status(met, met, False)
    text = recorded.text + (f"（{recorded.note}）" if recorded.note else "")
    return column.cell(text, status, met, recorded.note)


def judge_recorded(plan: Plan, indicator: Indicator, level: str, year: int, recorded: dict) -> Cell:
    value = recorded.get((indicator.id, level))
    if indicator.evaluation == "percent":
        return judge_percent(plan, indicator, level, year, None, value)
    if indicator.evaluation == "number":
        return judge_number(plan, indicator, level, year, value)
    return judge_qualitative(plan, indicator, level, year, value)


def veto_present(recorded: RecordedValue | None) -> bool | None:
    if recorded is None:
        return None
    return recorded.text in ("存在", "有", "是", "未达标")

