"""The plan-only workbook (`excel-balance plan`): the `推进规划` sheet without actuals."""

from __future__ import annotations

from pathlib import Path

from excel_balance.atomic import atomic_path
from excel_balance.plan import Plan
from excel_balance.report.plan_sheet import SHEET_NAME, write_plan_sheet
from excel_balance.xlsx.book import document_time, new_workbook
from excel_balance.xlsx.formats import Formats

def write_plan_workbook(plan: Plan, target: str | Path) -> Path:
    """Write the plan table to `target` (atomically) and return the path."""
    target = Path(target)
    with atomic_path(target) as tmp:
        workbook = new_workbook(tmp, plan.title, document_time())
        sheet = workbook.add_worksheet(SHEET_NAME)
        write_plan_sheet(sheet, plan, Formats(workbook))
        workbook.close()
    return target
