"""The evaluation seen through one responsible unit: its indicators, their standing, the sentence
that sums them up, and the name of its workbook (written by the report stage, attached by delivery)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from excel_balance.evaluate.figures import cell_names, off_plan_cells, off_plan_text
from excel_balance.evaluate.model import Cell, Evaluation
from excel_balance.evaluate.rules import Status, worse
from excel_balance.names import file_name
from excel_balance.plan import Indicator

UNITS_FOLDER = "责任单位"


def unit_workbook_name(unit: str, year: int) -> str:
    return file_name(unit, f"_优质均衡推进情况_{year}.xlsx")


def indicator_status(evaluation: Evaluation, indicator: Indicator) -> Status:
    """The indicator's latest standing: the worse of its levels."""
    status = Status.NOT_APPLICABLE
    for level in indicator.levels:
        status = worse(status, evaluation.latest.cells[(indicator.id, level)].status)
    return status


def behind_counts(evaluation: Evaluation) -> dict[str, int]:
    """Per unit, its figure 未按规划推进 N 项 (cells of the indicators it is responsible for)."""
    return {unit: len(off_plan_cells(evaluation, unit)) for unit in evaluation.plan.units}


@dataclass(frozen=True)
class UnitRow:
    """One indicator of a unit, for the message: its latest cells and overall standing."""

    indicator: Indicator
    role: str  # 牵头 / 配合
    status: Status
    cells: tuple[Cell, ...]


def unit_rows(evaluation: Evaluation, unit: str) -> list[UnitRow]:
    rows = []
    for indicator in evaluation.plan.indicators:
        if unit not in indicator.units:
            continue
        cells = tuple(evaluation.latest.cells[(indicator.id, level)] for level in indicator.levels)
        role = "牵头" if indicator.lead_unit == unit else "配合"
        rows.append(UnitRow(indicator, role, indicator_status(evaluation, indicator), cells))
    return rows


def unit_evaluation(evaluation: Evaluation, unit: str) -> Evaluation:
    """The evaluation seen through one unit: only the indicators it is responsible for."""
    plan = evaluation.plan
    indicators = tuple(i for i in plan.indicators if unit in i.units)
    areas = tuple(a for a in plan.areas if any(i.area == a.name for i in indicators))
    return dataclasses.replace(evaluation, plan=dataclasses.replace(plan, indicators=indicators, areas=areas))


def unit_summary(evaluation: Evaluation, unit: str) -> str:
    rows = unit_rows(evaluation, unit)
    lead = sum(r.role == "牵头" for r in rows)
    behind = off_plan_cells(evaluation, unit)
    text = f"本单位牵头{lead}项、配合{len(rows) - lead}项指标；{evaluation.latest.year}年{off_plan_text(len(behind))}"
    return text + (f"：{cell_names(behind)}。" if behind else "，各项均按规划推进或暂无数据。")
