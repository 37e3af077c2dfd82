"""The plan-only workbook (`excel-balance plan`): the `推进规划` sheet without actuals."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import xlsxwriter

from excel_balance import __version__
from excel_balance.atomic import atomic_path
from excel_balance.plan import Plan
from excel_balance.report.formats import Formats
from excel_balance.report.plan_sheet import SHEET_NAME, write_plan_sheet

# in_memory: XlsxWriter otherwise writes every XML part to a temporary file before zipping it.
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "in_memory": True}


def document_time(default_year: int) -> dt.datetime:
    """The creation time stored in the file: SOURCE_DATE_EPOCH, else 1 January of `default_year`.

    Never the wall clock, so the same inputs give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime(default_year, 1, 1)


def new_workbook(path: Path, title: str, created: dt.datetime) -> xlsxwriter.Workbook:
    workbook = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    workbook.set_properties(
        {"title": title, "author": "excel-balance", "comments": f"excel-balance {__version__}", "created": created}
    )
    return workbook


def write_plan_workbook(plan: Plan, target: str | Path) -> Path:
    """Write the plan table to `target` (atomically) and return the path."""
    target = Path(target)
    with atomic_path(target) as tmp:
        workbook = new_workbook(tmp, plan.title, document_time((plan.plan_years or (plan.baseline_year,))[0]))
        sheet = workbook.add_worksheet(SHEET_NAME)
        write_plan_sheet(sheet, plan, Formats(workbook))
        workbook.close()
    return target
