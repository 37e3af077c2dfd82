"""A responsible unit's own workbook: its plan rows with actuals, its gaps and to-do rows, the notes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from excel_balance.atomic import atomic_path
from excel_balance.evaluate.model import Evaluation
from excel_balance.evaluate.units import unit_evaluation, unit_summary, unit_workbook_name
from excel_balance.names import child
from excel_balance.report.gaps_sheet import write_gaps_sheet, write_school_gaps_sheet, write_todo_sheet
from excel_balance.report.notes_sheet import CorrectionNotes, write_notes_sheet
from excel_balance.report.overview_sheet import Sources, add_overview_sheet, write_overview_sheet
from excel_balance.report.plan_sheet import SHEET_NAME as PLAN_SHEET
from excel_balance.report.progress_sheet import write_progress_sheet
from excel_balance.xlsx.book import document_time, new_workbook
from excel_balance.xlsx.formats import Formats


def write_unit_workbook(evaluation: Evaluation, unit: str, target: Path,
                        corrections: CorrectionNotes = CorrectionNotes(), generated_at: dt.datetime | None = None) -> Path:
    scoped = unit_evaluation(evaluation, unit)
    latest = evaluation.latest.year
    created = document_time(generated_at)
    with atomic_path(target) as tmp:
        workbook = new_workbook(tmp, f"{unit}优质均衡推进情况", created)
        formats = Formats(workbook)
        title = f"{unit}负责指标推进情况（{evaluation.plan.district}，{latest}年统计，{latest}—{latest + 1}学年）"
        summary = unit_summary(evaluation, unit)
        overview = add_overview_sheet(workbook)
        write_progress_sheet(workbook.add_worksheet(PLAN_SHEET), scoped, formats, title, summary)
        gap_rows = write_gaps_sheet(workbook, scoped, formats)
        write_school_gaps_sheet(workbook, scoped, formats)
        write_todo_sheet(workbook, scoped, formats)
        write_notes_sheet(workbook, evaluation, formats, corrections, created.strftime("%Y-%m-%d %H:%M:%S"), short=True)
        write_overview_sheet(workbook, overview, scoped, formats, title, summary, Sources(gap_rows),
                             whole_district=False)
        workbook.close()
    return target


def write_unit_workbooks(evaluation: Evaluation, folder: Path, corrections: CorrectionNotes = CorrectionNotes(),
                         generated_at: dt.datetime | None = None) -> list[Path]:
    """One workbook per responsible unit of the plan, into `folder`, all made at one time."""
    created = document_time(generated_at)
    return [write_unit_workbook(evaluation, unit, child(folder, unit_workbook_name(unit, evaluation.latest.year)),
                                corrections, created)
            for unit in evaluation.plan.units]
