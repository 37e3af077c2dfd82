"""The district inputs of a census checked against the plan's measures, each problem with its cell.

Run before evaluating (and by `excel-balance check`), so a value that cannot be used stops the
run with its place instead of turning into a status.
"""

from __future__ import annotations

from excel_balance.census.model import Census, RecordedValue
from excel_balance.census.school_inputs import check_school_inputs, conflicts
from excel_balance.census.schema import normalise_plain
from excel_balance.plan import Plan
from excel_balance.problems import Problem, Severity


def given_unit(value: RecordedValue) -> str:
    """The unit a value was given in; a value built without one (by code) goes by its text."""
    return value.unit or ("%" if value.text.endswith("%") else "")


def inputs_by_name(census: Census) -> dict[tuple[str, str, str], RecordedValue]:
    """Inputs by (code, level, item name as compared): full-width brackets and spaces do not matter."""
    return {(code, level, normalise_plain(name)): v for (code, level, name), v in census.inputs.items()}


def check_inputs(plan: Plan, census: Census) -> list[Problem]:
    """Every input that cannot be used as given, with its cell: a word the input does not take, a
    number in another unit, not whole, or a part larger than its whole (errors); an item the plan's
    measure does not have (a warning: it is left unused); a school the 学校 sheet's columns leave
    out (an error) and a typed value they contradict (a warning: the schools decide)."""
    problems = []

    def bad(value: RecordedValue, message: str, severity: Severity = Severity.ERROR) -> None:
        problems.append(Problem(census.file, value.cell, message, severity))

    typed = inputs_by_name(census)
    for (code, level, name), value in census.inputs.items():
        measure = plan.measures.get(code)
        label = f"{code}“{name}”"
        item = next((i for i in measure.inputs if normalise_plain(i.name) == normalise_plain(name)), None) if measure else None
        if item is None:
            known = "、".join(i.name for i in measure.inputs) if measure else "无（本指标不分项填报）"
            # A row of another plan's measure (a template made for another district): left unused.
            bad(value, f"{label}不是本规划{code}的填报项目，未使用（本规划可填：{known}）", Severity.WARNING)
            continue
        if item.is_choice:
            if item.answer(value.text) is None:
                bad(value, f"{label}应填“{'”或“'.join(item.choices)}”，现为“{value.text}”")
        elif value.number is None:
            bad(value, f"{label}应填写数字（单位：{item.unit or '无'}），现为“{value.text}”")
        elif given_unit(value) not in (item.unit, ""):
            bad(value, f"{label}应以“{item.unit}”为单位填写，现为“{value.text}”")
        elif value.number < 0 or (item.integer and value.number != value.number.to_integral_value()):
            bad(value, f"{label}应为不小于0的{'整数' if item.integer else '数字'}，现为“{value.text}”")
    for measure in plan.measures.values():
        for part in measure.parts:
            if part.kind != "ratio":
                continue
            for level in ("小学", "初中", "全区"):
                numerator, denominator = (typed.get((measure.indicator_id, level, normalise_plain(n))) for n in part.inputs)
                if numerator is None or denominator is None or numerator.number is None or denominator.number is None:
                    continue
                if denominator.number <= 0:
                    bad(denominator, f"{measure.indicator_id}“{part.inputs[1]}”应大于0")
                elif numerator.number > denominator.number:
                    bad(numerator, f"{measure.indicator_id}“{part.inputs[0]}”（{numerator.text}）不能大于"
                                   f"“{part.inputs[1]}”（{denominator.text}，{denominator.cell}）")
    return problems + check_school_inputs(plan.measures, census) + conflicts(plan.measures, census, typed)
