"""The report workbook: its sheets in order, written atomically and reproducibly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from excel_balance.atomic import atomic_path
from excel_balance.evaluate.model import Evaluation
from excel_balance.report.changes_sheet import write_changes_sheet
from excel_balance.report.cv_sheet import write_cv_sheet
from excel_balance.report.gaps_sheet import write_gaps_sheet, write_school_gaps_sheet, write_todo_sheet
from excel_balance.report.notes_sheet import write_notes_sheet
from excel_balance.report.plan_sheet import SHEET_NAME as PLAN_SHEET
from excel_balance.report.progress_sheet import report_title, write_progress_sheet
from excel_balance.report.school_sheet import write_school_sheet
from excel_balance.report.trend_sheet import write_trend_sheet
from excel_balance.report.units_sheet import write_units_sheet
from excel_balance.xlsx.book import document_time, new_workbook
from excel_balance.xlsx.formats import Formats


def report_file_name(district: str, year: int) -> str:
    return f"{district}义务教育优质均衡推进情况_{year}.xlsx"


def report_name(evaluation: Evaluation) -> str:
    return report_file_name(evaluation.plan.district, evaluation.latest.year)


def write_report(evaluation: Evaluation, target: str | Path, generated_at: dt.datetime | None = None,
                 corrections=()) -> Path:
    """Write the report to `target`; the same evaluation gives the same bytes.

    The document time is `generated_at`, else SOURCE_DATE_EPOCH, else 1 January of the year
    after the latest census: never the wall clock.
    """
    target = Path(target)
    created = generated_at or document_time(evaluation.latest.year + 1)
    with atomic_path(target) as tmp:
        workbook = new_workbook(tmp, report_title(evaluation), created)
        formats = Formats(workbook)
        write_progress_sheet(workbook.add_worksheet(PLAN_SHEET), evaluation, formats)
        layout = write_school_sheet(workbook, evaluation, formats)
        write_cv_sheet(workbook, evaluation, layout, formats)
        write_gaps_sheet(workbook, evaluation, formats)
        write_school_gaps_sheet(workbook, evaluation, formats)
        write_todo_sheet(workbook, evaluation, formats)
        write_changes_sheet(workbook, evaluation, formats)
        write_units_sheet(workbook, evaluation, formats)
        write_trend_sheet(workbook, evaluation, formats)
        write_notes_sheet(workbook, evaluation, formats, corrections, created.strftime("%Y-%m-%d %H:%M:%S"))
        workbook.close()
    return target
