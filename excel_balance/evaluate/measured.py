"""District-level indicators measured from their inputs (G8: two salaries and 绩效; G11: two
ratios; Q2: a rate from counts …), judged against the plan's target and the final standard.

A census in the old one-value form is still read: a value that is the measure's one input is
measured; a 达标/未达标 or a typed rate is judged as before and labelled 填报判断; anything else
is 无数据 with a note naming the inputs to fill. Never a status the inputs do not support.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from math import ceil

from excel_balance.census.inputs import given_unit, inputs_by_name
from excel_balance.census.model import Census, RecordedValue, SchoolRow
from excel_balance.census.school_inputs import (
    as_recorded,
    district_inputs,
    lack_text,
    own_text,
    school_figures,
    uses_schools,
)
from excel_balance.census.schema import normalise_plain
from excel_balance.evaluate.judge import Column, judge_recorded
from excel_balance.evaluate.model import Cell
from excel_balance.evaluate.rules import (
    Status,
    decimals_of,
    percent_decimals,
    percent_met,
    percent_near,
    percent_text,
    standard_status,
    yearly_status,
)
from excel_balance.measures import Input, Measure, Part
from excel_balance.plan import Indicator, NumberTarget, PercentTarget, Plan

MEASURED = "测算"
REPORTED = "填报判断"
_THOUSANDS = ("元", "人", "万元")


@dataclass(frozen=True)
class PartResult:
    part: Part
    value: Decimal | bool  # ratio: the exact percentage; value; compare: a − b; yes_no: the answer
    met: bool
    text: str


@dataclass(frozen=True)
class Measured:
    """How a district-level figure was obtained: the inputs as given and each condition's result."""

    measure: Measure
    inputs: tuple[tuple[Input, RecordedValue], ...]
    parts: tuple[PartResult, ...]

    below: tuple[SchoolShort, ...] = ()  # from the 学校 sheet: the schools below the standard
    school_count: int = 0  # the schools the 学校 sheet's figures came from (0: typed in 区级指标)

    def value_of(self, name: str) -> RecordedValue:
        return next(v for i, v in self.inputs if i.name == name)


@dataclass(frozen=True)
class SchoolShort:
    """A school that holds the district back: its own figure and what it lacks."""

    school_id: str
    name: str
    row: int
    text: str  # its figure, as the district's is shown (95.0%)
    lacks: str  # 2名教师待取得教师资格证, 教师培训经费4.9万元，应不低于5万元 …
    need: Decimal  # how much it lacks, in `unit` (teachers, pupils, 万元, 学时; Q3: 1 所)
    unit: str


def number_text(number: Decimal, unit: str) -> str:
    """79440 元 → 79,440元: thousands separated for money and head counts."""
    text = f"{number:,}" if unit in _THOUSANDS else f"{number}"
    return f"{text}{unit}"


def _part(part: Part, level: str, values: dict[str, RecordedValue], measure: Measure, decimals: int) -> PartResult:
    """One condition; a ratio's percentage shown with `decimals` (at least the part's own)."""
    standard = part.standard(level)
    if part.kind == "ratio":
        numerator, denominator = (values[n].number for n in part.inputs)
        share = numerator * 100 / denominator
        if part.requires_all(level):
            met = numerator == denominator
        else:
            met = percent_met(share, standard, decimals_of(standard))
        return PartResult(part, share, met, percent_text(share, max(decimals, part.decimals)))
    if part.kind == "value":
        item = measure.input(part.inputs[0])
        number = values[item.name].number
        met = (standard is None or number >= standard) and (part.below is None or number < part.below)
        return PartResult(part, number, met, number_text(number, "%" if item.unit == "%" else item.unit))
    if part.kind == "compare":
        a, b = (values[n].number for n in part.inputs)
        unit = measure.input(part.inputs[0]).unit
        difference = a - b
        words = part.more if difference >= 0 else part.less
        return PartResult(part, difference, difference >= 0, f"{words}{number_text(abs(difference), unit)}")
    item = measure.input(part.inputs[0])
    answer = item.answer(values[item.name].text)
    return PartResult(part, answer, bool(answer), values[item.name].text)


def actual_text(measure: Measure, results: tuple[PartResult, ...]) -> str:
    """Numeric conditions joined by ／ (14.9%／28.5%); a yes/no shown alone, or when it fails."""
    numeric = [r.text for r in results if r.part.numeric]
    if not numeric:
        return "／".join(r.text for r in results)
    failing = [f"{r.part.inputs[0]}：{r.text}" for r in results if not r.part.numeric and not r.met]
    return "／".join(numeric + failing)


def inputs_note(measure: Measure) -> str:
    names = "、".join(f"{i.name}（{'/'.join(i.choices) if i.is_choice else i.unit or '数值'}）" for i in measure.inputs)
    schools = "（或在“学校”表填写各校数据）" if any(i.schools for i in measure.inputs) else ""
    return f"按测算方法请在“区级指标”表填写：{names}{schools}"


def judge_measured(plan: Plan, indicator: Indicator, level: str, year: int, census: Census) -> Cell:
    measure = plan.measures[indicator.id]
    column = Column(plan, indicator, level, year)
    if blank := column.unjudged(True):
        return blank
    typed = inputs_by_name(census)
    given = {i.name: typed.get((indicator.id, level, normalise_plain(i.name))) for i in measure.inputs}
    if uses_schools(measure, level, census):  # the schools decide (a typed value that differs is warned of)
        given.update(district_inputs(measure, level, census))
        if all(v is not None for v in given.values()) and all(_usable(measure, n, given) for n in given):
            cell = _judge(plan, column, measure, level, given)
            below, count = schools_below(measure, level, census)
            return replace(cell, measured=replace(cell.measured, below=below, school_count=count))
    if any(v is not None for v in given.values()):
        missing = [name for name, v in given.items() if v is None]
        if missing:
            return column.cell("", Status.NO_DATA, note=f"缺少：{'、'.join(missing)}", basis=MEASURED)
        unusable = [name for name, v in given.items() if not _usable(measure, name, given)]
        if unusable:  # refused with their cells before a run (census.inputs.check_inputs); never a status
            return column.cell("", Status.NO_DATA, note=f"无法使用：{'、'.join(unusable)}", basis=MEASURED)
        return _judge(plan, column, measure, level, given)
    old = census.recorded.get((indicator.id, level))
    if old is None:
        return column.cell("", Status.NO_DATA, note=inputs_note(measure))
    single = measure.single_input
    if single is not None and _fits(single, old):
        return _judge(plan, column, measure, level, {single.name: old})
    if old.number is None and old.text in ("达标", "未达标") or (
        old.number is not None and given_unit(old) == "%" and len(measure.parts) == 1 and measure.headline_unit == "%"
    ):
        cell = judge_recorded(plan, indicator, level, year, census.recorded)
        return replace(cell, basis=REPORTED, note=inputs_note(measure))
    return column.cell("", Status.NO_DATA,
                       note=f"“{old.text}”（{f'{old.file} ' if old.file else ''}{old.cell}）无法按本指标的测算方法判断；"
                            f"{inputs_note(measure)}")


def schools_below(measure: Measure, level: str, census: Census) -> tuple[tuple[SchoolShort, ...], int]:
    """Each school whose own figures miss a condition of the final standard; how many schools."""
    found = []
    schools = school_figures(measure, level, census)
    for figures in schools:
        values = as_recorded(measure, level, census, figures.values)
        parts = [p for p in measure.parts if all(n in values for n in p.inputs)]
        if any(p.kind == "ratio" and values[p.inputs[1]].number == 0 for p in parts):
            continue  # no teachers or students of the kind: nothing to hold back
        results = [_part(p, level, values, measure, 1) for p in parts]
        failing = [r for r in results if not r.met]
        if failing:
            need, unit, lacks = school_lack(measure, failing[0], values, figures.school)
            counted = measure.input(failing[0].part.inputs[0]).schools
            text = own_text(counted, figures.school) or actual_text(measure, tuple(results))
            found.append(SchoolShort(figures.school.school_id, figures.school.name, figures.school.row, text, lacks,
                                     need, unit))
    return tuple(found), len(schools)


def school_lack(measure: Measure, result: PartResult, values: dict[str, RecordedValue],
                school: SchoolRow) -> tuple[Decimal, str, str]:
    """(need, unit, words) of a school's first failing condition: how many more the numerator
    needs to reach the standard (all of the denominator at 100%), or how far a value is under it."""
    part = result.part
    item = measure.input(part.inputs[0])
    level = values[item.name].level
    standard = part.standard(level) or Decimal(0)
    if part.kind == "ratio":
        numerator, denominator = (values[n].number for n in part.inputs)
        short = denominator - numerator if part.requires_all(level) else ceil(standard * denominator / 100) - numerator
    else:
        short = standard - values[item.name].number
    return lack_text(item.schools, school, Decimal(short), item.unit)


def _usable(measure: Measure, name: str, given: dict[str, RecordedValue]) -> bool:
    """A word the input takes, or a number; a ratio's denominator above 0."""
    item, value = measure.input(name), given[name]
    if item.is_choice:
        return item.answer(value.text) is not None
    denominators = {p.inputs[1] for p in measure.parts if p.kind == "ratio"}
    return value.number is not None and (name not in denominators or value.number > 0)


def _fits(item: Input, value: RecordedValue) -> bool:
    """An old one-value row read as the measure's one input: a word it takes, or a number in its unit."""
    if item.is_choice:
        return value.number is None and item.answer(value.text) is not None
    return value.number is not None and given_unit(value) in (item.unit, "")


def _judge(plan: Plan, column: Column, measure: Measure, level: str, values: dict[str, RecordedValue]) -> Cell:
    target = column.target
    decimals = target.decimals if isinstance(target, PercentTarget) else 0
    results = tuple(_part(p, level, values, measure, decimals) for p in measure.parts)
    measured = Measured(measure, tuple((i, values[i.name]) for i in measure.inputs if i.name in values), results)
    standard_met = all(r.met for r in results)
    text = actual_text(measure, results)
    if column.is_baseline:
        return column.cell(text, standard_status(standard_met), standard_met, basis=MEASURED, measured=measured)
    headline = next((r for r in results if r.part.numeric), None)
    others_met = all(r.met for r in results if r is not headline)
    near = False
    if isinstance(target, PercentTarget) and headline is not None:
        # A rate from counts at the target's printed decimals (§9; a 100% target means all), a typed one as typed.
        decimals = percent_decimals(target.value, target.decimals) if headline.part.kind == "ratio" else None
        target_met = percent_met(headline.value, target.value, decimals) and others_met
        near = others_met and percent_near(headline.value, target.value, decimals, plan.settings.near_percent_margin)
    elif isinstance(target, NumberTarget) and headline is not None:
        target_met = headline.value >= target.value and others_met
    else:  # 达标, or a sentence restating the standard: every condition must hold
        target_met = standard_met
    status = yearly_status(target_met, standard_met, near and not target_met)
    return column.cell(text, status, standard_met, basis=MEASURED, measured=measured)


def measured_by_schools(plan: Plan, cells: dict) -> list[tuple[Indicator, str, Measured]]:
    """The district-level cells of a year the 学校 sheet decided, in plan order (学校明细, 缺口, 攻坚清单)."""
    found = []
    for indicator in plan.indicators:
        for level in indicator.levels:
            cell = cells.get((indicator.id, level))
            if cell is not None and isinstance(cell.measured, Measured) and cell.measured.school_count:
                found.append((indicator, level, cell.measured))
    return found
