"""The two counts a leader reads, defined once for the console, the report, the 责任单位 sheet, the
unit workbooks and the e-mails. They measure different things, so each carries its own label:

- 未按规划推进 N 项（指标×学段，本年度目标）: cells of the latest year (one per indicator and
  level) judged against this year's target of the plan and not on plan (near, behind, not met);
- 距认定标准 M 项差距（含差异系数、否决条件）: the obstacles to certification against the final
  national standards (the verdict), which also counts 差异系数 and the veto conditions.
"""

from __future__ import annotations

from excel_balance.evaluate.model import Cell, Evaluation
from excel_balance.evaluate.rules import Status

OFF_PLAN = (Status.NEAR, Status.BEHIND, Status.NOT_MET)
OFF_PLAN_NAME = "未按规划推进"
OFF_PLAN_SCOPE = "（指标×学段，本年度目标）"
GAPS_NAME = "距认定标准"
GAPS_SCOPE = "（含差异系数、否决条件）"


def off_plan_cells(evaluation: Evaluation, unit: str | None = None) -> list[Cell]:
    """The latest year's cells not on plan, in plan order; of `unit`'s indicators when given."""
    cells = []
    for indicator in evaluation.plan.indicators:
        if unit is None or unit in indicator.units:
            cells += [c for level in indicator.levels
                      if (c := evaluation.latest.cells[(indicator.id, level)]).status in OFF_PLAN]
    return cells


def off_plan_text(count: int) -> str:
    return f"{OFF_PLAN_NAME} {count} 项{OFF_PLAN_SCOPE}"


def off_plan_header() -> str:
    """The label of a column or row of such counts (the 责任单位 sheet)."""
    return f"{OFF_PLAN_NAME}项数{OFF_PLAN_SCOPE}"


def gaps_count(evaluation: Evaluation) -> int:
    return len(evaluation.verdict.obstacles)


def gaps_text(count: int) -> str:
    return f"{GAPS_NAME} {count} 项差距{GAPS_SCOPE}"


def cell_names(cells: list[Cell]) -> str:
    """R1 小学、G2 全区 …: which cells, for a sentence."""
    return "、".join(f"{c.indicator_id} {c.level}" for c in cells)
