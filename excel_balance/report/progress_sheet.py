"""`推进规划` in the report: the plan table with an `实际` row under every plan row.

Above the table: a title naming the district and the latest census, the overall verdict with
what stands in the way, a legend, and a red banner for any veto condition recorded as present.
"""

from __future__ import annotations

from collections import Counter

from excel_balance.evaluate.figures import gaps_count, gaps_text, off_plan_cells, off_plan_text
from excel_balance.evaluate.measured import REPORTED
from excel_balance.evaluate.model import Cell, Evaluation
from excel_balance.evaluate.rules import Status
from excel_balance.plan import DISTRICT, CountTarget, Indicator, PairedCountTarget, Plan
from excel_balance.report.plan_sheet import TEXT_COL, Columns, write_level_cells, write_plan_sheet
from excel_balance.xlsx.fit import line_count, row_height
from excel_balance.xlsx.formats import Formats

LEGEND = [
    (Status.MET, "√ 已达标：达到年度目标，也达到国家标准"),
    (Status.TARGET_MET, "√ 达到年度目标"),
    (Status.NEAR, "△ 接近目标"),
    (Status.BEHIND, "× 未达年度目标 / 未达标"),
    (Status.NO_DATA, "— 无数据 / 不适用"),
]


def cell_text(cell: Cell) -> str:
    """What an actual cell shows: the status symbol, then the actual in the plan's own form."""
    if cell.status is Status.NOT_APPLICABLE:
        return "—"
    if cell.status is Status.NO_DATA:
        return "— 无数据"
    label = f"（{REPORTED}）" if cell.basis == REPORTED else ""
    return f"{cell.status.symbol} {cell.actual_text}{label}"


def report_title(evaluation: Evaluation) -> str:
    latest = evaluation.latest
    return (f"{evaluation.plan.district}义务教育优质均衡发展推进情况"
            f"（{latest.year}年统计，{latest.year}—{latest.year + 1}学年）")


def sample_files(evaluation: Evaluation) -> list[str]:
    """The fictitious sample files evaluated beside real ones (none when all are samples: a demo)."""
    censuses = [r.census for r in evaluation.years.values()]
    if all(c.sample for c in censuses):
        return []
    return sorted({c.file for c in censuses if c.sample})


def plan_section_counts(plan: Plan) -> dict[str, int]:
    """The sections per level the plan's count targets (62/71) were written for: their most
    common denominator."""
    totals: dict[str, Counter] = {}
    for indicator in plan.indicators:
        for cells in indicator.targets.values():
            for level, cell in cells.items():
                target = cell.target
                counts = (target.music, target.art) if isinstance(target, PairedCountTarget) else (target,)
                for count in counts:
                    if isinstance(count, CountTarget):
                        totals.setdefault(level, Counter())[count.total] += 1
    return {level: counter.most_common(1)[0][0] for level, counter in totals.items()}


def section_count_notes(evaluation: Evaluation) -> list[str]:
    """A note per level whose sections differ from the plan's by more than its near margin: the
    targets' denominators are the plan's, the actuals' the census's (the plan's footnote 3)."""
    plan, latest = evaluation.plan, evaluation.latest
    rule = next((f for f in plan.footnotes if f.startswith("3.")), "")
    notes = []
    for level, planned in plan_section_counts(plan).items():
        actual = len(latest.sections_of(level))
        if abs(actual - planned) > plan.settings.near_count_margin:
            notes.append(f"注：{latest.year}年{level}参加测算的学段为{actual}个，规划的达标目标按{planned}个制定"
                         f"（目标“a/{planned}”，实际“x/{actual}”），按比例判断"
                         + (f"；规划说明{rule}" if rule else ""))
    return notes


def verdict_headline(evaluation: Evaluation) -> str:
    """The verdict against the standards without its list of obstacles (the overview's)."""
    verdict = evaluation.verdict
    if verdict.certified:
        return f"总体判断（{verdict.year}年，对照国家标准）：已达到义务教育优质均衡发展各项要求"
    return f"总体判断（{verdict.year}年，对照国家标准）：尚未达到优质均衡发展要求，{gaps_text(gaps_count(evaluation))}"


def verdict_text(evaluation: Evaluation) -> str:
    """The verdict against the standards, then the year's standing against the plan: each count
    with its label, so that neither is taken for the other."""
    verdict = evaluation.verdict
    on_plan = f"对照{verdict.year}年度目标：{off_plan_text(len(off_plan_cells(evaluation)))}。"
    if verdict.certified:
        return f"{verdict_headline(evaluation)}。{on_plan}"
    items = "；".join(f"{n}. {o}" for n, o in enumerate(verdict.obstacles, start=1))
    return f"{verdict_headline(evaluation)}：{items}。{on_plan}"


def write_progress_sheet(sheet, evaluation: Evaluation, formats: Formats, title: str | None = None,
                         summary: str | None = None) -> None:
    """The plan table with actuals; `title` and `summary` replace the district title and verdict
    (a responsible unit's workbook shows its own)."""
    plan = evaluation.plan
    columns = Columns(plan.plan_years)
    width = sum(columns.width(c) for c in range(columns.last + 1))
    row = 0
    heights = 0.0

    def banner(text: str, fmt, lines_width: float = width) -> None:
        nonlocal row, heights
        sheet.merge_range(row, 0, row, columns.last, text, fmt)
        height = row_height(line_count(text, lines_width)) + 6
        sheet.set_row(row, height)
        heights += height
        row += 1

    banner(title or report_title(evaluation), formats.title)
    samples = sample_files(evaluation)
    if samples:
        banner(f"注意：{'、'.join(samples)} 是示例数据（虚构），与真实数据一起测算——本报告不能作为正式依据："
               "请把示例文件移出 inputs/ 后重新生成", formats.banner)
    for veto in plan.vetoes:
        if evaluation.latest.vetoes.get(veto.id):
            banner(f"否决情形：{veto.text}（{evaluation.latest.year}年填报为“存在”）——有此情形的区县不予认定", formats.banner)
    for note in section_count_notes(evaluation):
        banner(note, formats.note)
    banner(summary or verdict_text(evaluation), formats.note)
    legend_height = _legend(sheet, row, columns, formats)
    sheet.set_row(row, legend_height)
    heights += legend_height
    row += 1

    by_year = evaluation.years

    def actual_row(ws, r: int, indicator: Indicator) -> list[float]:
        ws.write_string(r, TEXT_COL, "实际", formats.label_cell)
        height = 0.0
        for year, col in columns.value_columns():
            census_year = plan.baseline_year if year is None else year
            if plan.standards_only:  # its one column: the latest census against the standard
                census_year = evaluation.latest.year
            result = by_year.get(census_year)
            texts, cell_formats = {}, {}
            for level in indicator.levels:
                if result is None:
                    blank = indicator.baseline.get(level) if year is None else indicator.targets[year][level].text
                    status = Status.NO_DATA if blank else Status.NOT_APPLICABLE
                    texts[level] = "—" if status is Status.NOT_APPLICABLE else "— 无数据"
                else:
                    cell = result.cells[(indicator.id, level)]
                    status, texts[level] = cell.status, cell_text(cell)
                cell_formats[level] = formats.status(status)
            if indicator.merged:
                cell_formats = {DISTRICT: cell_formats[DISTRICT]}
            height = max(height, write_level_cells(ws, r, col, indicator, texts, cell_formats, columns))
        ws.write_blank(r, columns.units, None, formats.centre)
        return [max(height, 24.0)]

    write_plan_sheet(sheet, plan, formats, first_row=row, extra_rows=actual_row, height_above=heights,
                     with_label=False)


def _legend(sheet, row: int, columns: Columns, formats: Formats) -> float:
    """The status legend across the table; returns the row height it needs."""
    explanation = "实际行：符号 + 实际值，颜色为状态（黑白打印看符号）"
    sheet.write_string(row, 0, "图例", formats.label_cell)
    sheet.write_string(row, 1, explanation, formats.text)
    lines = line_count(explanation, columns.width(1))
    col = 2
    for status, text in LEGEND:
        span = 2 if col + 1 < columns.last else 1
        if span == 2:
            sheet.merge_range(row, col, row, col + 1, text, formats.status(status))
        else:
            sheet.write_string(row, col, text, formats.status(status))
        lines = max(lines, line_count(text, sum(columns.width(c) for c in range(col, col + span))))
        col += span
    for c in range(col, columns.last + 1):
        sheet.write_blank(row, c, None, formats.centre)
    return row_height(lines)
