"""A responsible unit's own workbook: its plan rows with actuals, its gaps and to-do rows, the notes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from excel_balance.atomic import atomic_path
from excel_balance.evaluate.model import Cell, Evaluation
from excel_balance.evaluate.rules import Status
from excel_balance.names import child, file_name
from excel_balance.plan import Indicator
from excel_balance.report.formats import Formats
from excel_balance.report.gaps_sheet import write_gaps_sheet, write_todo_sheet
from excel_balance.report.notes_sheet import write_notes_sheet
from excel_balance.report.plan_sheet import SHEET_NAME as PLAN_SHEET
from excel_balance.report.plan_workbook import document_time, new_workbook
from excel_balance.report.progress_sheet import write_progress_sheet
from excel_balance.report.units_sheet import BEHIND, indicator_status

UNITS_FOLDER = "责任单位"


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


def unit_workbook_name(unit: str, year: int) -> str:
    return file_name(unit, f"_优质均衡推进情况_{year}.xlsx")


def unit_summary(evaluation: Evaluation, unit: str) -> str:
    rows = unit_rows(evaluation, unit)
    lead = sum(r.role == "牵头" for r in rows)
    behind = [r.indicator.id for r in rows if r.status in BEHIND]
    text = f"本单位牵头{lead}项、配合{len(rows) - lead}项指标；{evaluation.latest.year}年"
    return text + (f"未按规划推进{len(behind)}项：{'、'.join(behind)}。" if behind else "各项均按规划推进或暂无数据。")


def write_unit_workbook(evaluation: Evaluation, unit: str, target: Path, corrections=()) -> Path:
    scoped = unit_evaluation(evaluation, unit)
    latest = evaluation.latest.year
    created = document_time(latest + 1)
    with atomic_path(target) as tmp:
        workbook = new_workbook(tmp, f"{unit}优质均衡推进情况", created)
        formats = Formats(workbook)
        title = f"{unit}负责指标推进情况（{evaluation.plan.district}，{latest}年统计，{latest}—{latest + 1}学年）"
        write_progress_sheet(workbook.add_worksheet(PLAN_SHEET), scoped, formats, title, unit_summary(evaluation, unit))
        write_gaps_sheet(workbook, scoped, formats)
        write_todo_sheet(workbook, scoped, formats)
        write_notes_sheet(workbook, evaluation, formats, corrections, created.strftime("%Y-%m-%d %H:%M:%S"))
        workbook.close()
    return target


def write_unit_workbooks(evaluation: Evaluation, folder: Path, corrections=()) -> list[Path]:
    """One workbook per responsible unit of the plan, into `folder`."""
    return [
        write_unit_workbook(evaluation, unit, child(folder, unit_workbook_name(unit, evaluation.latest.year)), corrections)
        for unit in evaluation.plan.units
    ]
