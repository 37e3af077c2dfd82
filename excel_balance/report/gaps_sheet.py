"""`缺口测算` (totals per level and indicator with their units), `各校缺口` (what each section
lacks) and `攻坚清单` (next year's to-do list)."""

from __future__ import annotations

from excel_balance.evaluate.measured import measured_by_schools
from excel_balance.evaluate.model import Evaluation
from excel_balance.evaluate.resources import MEASURES
from excel_balance.evaluate.todo import todo_list
from excel_balance.plan import LEVELS
from excel_balance.xlsx.fit import fit_width, line_count, row_height
from excel_balance.xlsx.formats import Formats

GAPS_SHEET = "缺口测算"
SCHOOL_GAPS_SHEET = "各校缺口"
GAP_WIDTH = 13
OWN_WIDTH = 24  # what a school lacks for G9–Q4, in words
TODO_SHEET = "攻坚清单"
COUNT_COL, TOTAL_COL, LEAD_COL = 2, 3, 5


def _headers(sheet, row: int, headers: list[str], formats: Formats) -> None:
    for col, text in enumerate(headers):
        sheet.write_string(row, col, text, formats.header)


def _page(sheet, widths: list[float], header_row: int = 0) -> None:
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.repeat_rows(header_row)


def gap_totals(evaluation: Evaluation) -> list[tuple[str, str, int, float | None, str]]:
    """(level, indicator id, sections short, total gap, unit) for the latest year; then the schools
    below the standard of G9, G12, G13, Q3, Q4 where the 学校 sheet decides them (a mean's
    学时 are not added up: None)."""
    latest = evaluation.latest
    totals = []
    for level in LEVELS:
        for indicator in evaluation.plan.indicators:
            if indicator.evaluation != "school_count" or (level, indicator.id) not in latest.resources:
                continue
            short = [s.values[indicator.id] for s in latest.sections_of(level) if not s.values[indicator.id].met]
            totals.append((level, indicator.id, len(short), sum(v.gap for v in short), MEASURES[indicator.measure].gap_unit))
    for indicator, level, measured in measured_by_schools(evaluation.plan, latest.cells):
        unit = measured.below[0].unit if measured.below else measured.measure.input(measured.measure.headline.inputs[0]).unit
        total = None if unit == "学时" else float(sum(s.need for s in measured.below))
        totals.append((level, indicator.id, len(measured.below), total, unit))
    return totals


def gap_label(evaluation: Evaluation, indicator_id: str) -> str:
    indicator = evaluation.plan.indicator(indicator_id)
    if indicator.measure:
        return f"{indicator.id} {MEASURES[indicator.measure].label}"
    return f"{indicator.id} {evaluation.plan.measures[indicator.id].headline.label}（各校）"


def write_gaps_sheet(workbook, evaluation: Evaluation, formats: Formats) -> dict[tuple[str, str], int]:
    """Returns the row (0-based) of each (level, indicator id), for the overview's references."""
    plan = evaluation.plan
    rows = {}
    sheet = workbook.add_worksheet(GAPS_SHEET)
    headers = ["学段", "指标", "未达标学校数", "缺口合计", "单位", "牵头单位", "配合单位"]
    _headers(sheet, 0, headers[:6], formats)
    sheet.merge_range(0, 6, 0, 9, headers[6], formats.header)
    row = 0
    for level, indicator_id, count, total, unit in gap_totals(evaluation):
        indicator = plan.indicator(indicator_id)
        helpers = "、".join(indicator.units[1:]) or "—"
        row += 1
        rows[(level, indicator_id)] = row
        sheet.write_string(row, 0, level, formats.centre)
        sheet.write_string(row, 1, gap_label(evaluation, indicator_id), formats.text)
        sheet.write_number(row, 2, count, formats.integer)
        if total is None:
            sheet.write_string(row, 3, "—", formats.centre)
        else:
            sheet.write_number(row, 3, total, formats.integer if unit in ("人", "间", "所") else formats.number)
        sheet.write_string(row, 4, unit, formats.centre)
        sheet.write_string(row, 5, indicator.lead_unit, formats.centre)
        sheet.merge_range(row, 6, row, 9, helpers, formats.text)
        sheet.set_row(row, row_height(line_count(helpers, 4 * GAP_WIDTH)))
    _page(sheet, [8, 36, 12, 12, 8, 16, *[GAP_WIDTH] * 4])
    sheet.freeze_panes(1, 0)
    return rows


def write_school_gaps_sheet(workbook, evaluation: Evaluation, formats: Formats) -> None:
    """Each short school's gaps, on a sheet of its own so that every printed page carries this
    table's header (not the totals' one): the sections' resource gaps, then what each school lacks
    for G9, G12, G13, Q3, Q4 where the 学校 sheet decides them — small teaching points included,
    which count there but have no section (no 学校明细 row)."""
    plan, latest = evaluation.plan, evaluation.latest
    sheet = workbook.add_worksheet(SCHOOL_GAPS_SHEET)
    sheet.write_string(0, 0, f"{latest.year}年各校缺口（空白 = 已达标；每项缺口由该指标的牵头单位统筹，配合单位分担，不重复计入）",
                       formats.note_title)
    indicators = [i for i in plan.indicators if i.evaluation == "school_count"]
    units = [MEASURES[i.measure].gap_unit for i in indicators]
    gap_headers = [f"{i.id}缺口（{unit}）" for i, unit in zip(indicators, units)]
    by_schools = {(level, i.id): m for i, level, m in measured_by_schools(plan, latest.cells)}
    codes = list(dict.fromkeys(code for _, code in by_schools))
    own_headers = [f"{code} {plan.measures[code].headline.label}" for code in codes]
    _headers(sheet, 1, ["学段", "学校标识码", "学校名称", *gap_headers, *own_headers], formats)
    sheet.set_row(1, row_height(max(line_count(h, OWN_WIDTH) for h in own_headers)) if own_headers else 30)
    whole = [formats.integer if unit in ("人", "间") else formats.number for unit in units]
    row = 1
    for level in LEVELS:
        sections = {s.section.school_id: s for s in latest.sections_of(level)}
        shorts = {(code, s.school_id): s for (lvl, code), m in by_schools.items() if lvl == level for s in m.below}
        names = {school_id: s.name for (_, school_id), s in shorts.items()}
        names |= {i: s.section.name for i, s in sections.items() if not all(v.met for v in s.values.values())}
        for school_id in sorted(names):
            row += 1
            sheet.write_string(row, 0, level, formats.centre)
            sheet.write_string(row, 1, school_id, formats.centre)
            sheet.write_string(row, 2, names[school_id], formats.text)
            section = sections.get(school_id)
            for col, (indicator, fmt) in enumerate(zip(indicators, whole), start=3):
                value = section.values[indicator.id] if section else None
                if value is None or value.met:
                    sheet.write_blank(row, col, None, formats.centre)
                else:
                    sheet.write_number(row, col, value.gap, fmt)
            lines = 1
            for col, code in enumerate(codes, start=3 + len(indicators)):
                short = shorts.get((code, school_id))
                if short is None:
                    sheet.write_blank(row, col, None, formats.text)
                else:
                    sheet.write_string(row, col, short.lacks, formats.text)
                    lines = max(lines, line_count(short.lacks, OWN_WIDTH))
            if lines > 1:
                sheet.set_row(row, row_height(lines))
    _page(sheet, [8, 13, 26, *[fit_width([h], GAP_WIDTH) for h in gap_headers], *[OWN_WIDTH] * len(codes)],
          header_row=1)
    sheet.freeze_panes(2, 3)


def write_todo_sheet(workbook, evaluation: Evaluation, formats: Formats) -> None:
    plan, latest = evaluation.plan, evaluation.latest
    sheet = workbook.add_worksheet(TODO_SHEET)
    headers = ["指标", "学段", "目标年度", "目标", "现状", "还需达标校数", "学校标识码", "学校名称", "需补", "单位"]
    _headers(sheet, 0, headers, formats)
    row = 0
    groups = todo_list(plan, latest)
    for group in groups:
        name = f"{group.indicator_id}{group.part}"
        for item in group.items:
            row += 1
            sheet.write_string(row, 0, name, formats.centre)
            sheet.write_string(row, 1, group.level, formats.centre)
            sheet.write_number(row, 2, group.target_year, formats.integer)
            sheet.write_string(row, 3, group.target_text, formats.centre)
            sheet.write_string(row, 4, f"{group.met}/{group.total}", formats.centre)
            sheet.write_number(row, 5, group.still_needed, formats.integer)
            sheet.write_string(row, 6, item.school_id, formats.centre)
            sheet.write_string(row, 7, item.name, formats.text)
            sheet.write_number(row, 8, item.need, formats.integer if item.unit in ("人", "间", "所") else formats.number)
            sheet.write_string(row, 9, item.unit, formats.centre)
        row += 1
        sheet.write_string(row, 0, name, formats.label_cell)
        sheet.merge_range(row, 1, row, 7, f"合计：{len(group.items)}所学校达标后可达到{group.target_year}年目标", formats.label_cell)
        if group.unit == "学时":  # means of different schools do not add up
            sheet.write_string(row, 8, "—", formats.label_cell)
        else:
            sheet.write_number(row, 8, group.total_need, formats.integer if group.unit in ("人", "间", "所") else formats.number)
        sheet.write_string(row, 9, group.unit, formats.label_cell)
    if not groups:
        sheet.merge_range(1, 0, 1, len(headers) - 1, f"{latest.year + 1}年各项学校数目标均已达到，无需攻坚。", formats.text)
    _page(sheet, [8, 6, 9, 22, 9, 12, 13, 26, 10, 6])
    sheet.freeze_panes(1, 0)
