"""The report workbook: its sheets in order, written atomically and reproducibly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from excel_balance.atomic import atomic_path
from excel_balance.evaluate.model import Evaluation
from excel_balance.names import file_name
from excel_balance.report.changes_sheet import write_changes_sheet
from excel_balance.report.cv_sheet import write_cv_sheet
from excel_balance.report.gaps_sheet import write_gaps_sheet, write_school_gaps_sheet, write_todo_sheet
from excel_balance.report.measures_sheet import write_measures_sheet
from excel_balance.report.notes_sheet import CorrectionNotes, write_notes_sheet
from excel_balance.report.overview_sheet import Sources, add_overview_sheet, write_overview_sheet
from excel_balance.report.plan_sheet import SHEET_NAME as PLAN_SHEET
from excel_balance.report.progress_sheet import report_title, verdict_headline, write_progress_sheet
from excel_balance.report.school_sheet import write_school_sheet
from excel_balance.report.trend_sheet import write_trend_sheet
from excel_balance.report.units_sheet import write_units_sheet
from excel_balance.xlsx.book import document_time, new_workbook
from excel_balance.xlsx.formats import Formats


def report_file_name(district: str, year: int) -> str:
    return file_name(district, f"义务教育优质均衡推进情况_{year}.xlsx")


def report_name(evaluation: Evaluation) -> str:
    return report_file_name(evaluation.plan.district, evaluation.latest.year)


def write_report(evaluation: Evaluation, target: str | Path, generated_at: dt.datetime | None = None,
                 corrections: CorrectionNotes = CorrectionNotes()) -> Path:
    """Write the report to `target`, made at `generated_at`, else SOURCE_DATE_EPOCH, else now: the
    same evaluation at the same time gives the same bytes."""
    target = Path(target)
    created = document_time(generated_at)
    with atomic_path(target) as tmp:
        workbook = new_workbook(tmp, report_title(evaluation), created)
        formats = Formats(workbook)
        overview = add_overview_sheet(workbook)
        write_progress_sheet(workbook.add_worksheet(PLAN_SHEET), evaluation, formats)
        layout = write_school_sheet(workbook, evaluation, formats)
        cv_rows = write_cv_sheet(workbook, evaluation, layout, formats)
        write_measures_sheet(workbook, evaluation, formats)
        gap_rows = write_gaps_sheet(workbook, evaluation, formats)
        write_school_gaps_sheet(workbook, evaluation, formats)
        write_todo_sheet(workbook, evaluation, formats)
        write_changes_sheet(workbook, evaluation, formats)
        write_units_sheet(workbook, evaluation, formats)
        write_trend_sheet(workbook, evaluation, formats)
        write_notes_sheet(workbook, evaluation, formats, corrections, created.strftime("%Y-%m-%d %H:%M:%S"))
        write_overview_sheet(workbook, overview, evaluation, formats, report_title(evaluation), verdict_headline(evaluation),
                             Sources(gap_rows, cv_rows, layout))
        workbook.close()
    return target
