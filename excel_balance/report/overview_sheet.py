"""`总览`: the report (or a unit's workbook) on one A3 page, for a leader to read in a minute.

The verdict and the two labelled counts; per area, the latest year's cells by status; the seven
resource indicators' district values and 差异系数; the largest gaps in people, ㎡ and 万元; what
moved since the previous census; the share of sections meeting 资源配置 per year, with a chart.
Figures that stand on another sheet of the same workbook are formulas referring to it (written
with their value), so the overview cannot drift from the sheets it sums up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xlsxwriter.utility import xl_rowcol_to_cell

from excel_balance.evaluate.figures import GAPS_NAME, GAPS_SCOPE, OFF_PLAN, OFF_PLAN_NAME, OFF_PLAN_SCOPE
from excel_balance.evaluate.model import Evaluation
from excel_balance.evaluate.resources import MEASURES
from excel_balance.evaluate.rules import Status
from excel_balance.plan import LEVELS
from excel_balance.report import cv_sheet, gaps_sheet
from excel_balance.report.school_sheet import SchoolSheetLayout
from excel_balance.xlsx.fit import LINE_HEIGHT, PADDING, line_count
from excel_balance.xlsx.formats import FONT, HEADING_FONT, ClassicFormulaSheet, Formats
from excel_balance.xlsx.page import page_setup

SHEET_NAME = "总览"
# Two blocks side by side: A–G (statuses, 差异系数, shares), I–N (gaps, movement, chart).
WIDTHS = [36, 12, 12, 12, 12, 12, 12, 2, 8, 35, 11, 11, 8, 16]
LEFT, RIGHT = 0, 8
LAST_COL = len(WIDTHS) - 1
SIZE = 13  # points: the type of every table; the sheets it sums up use 10.5
GAP_UNITS = ("人", "㎡", "万元")
LARGEST = 5  # gaps shown per unit
# The status columns of the area table (未达年度目标 and 未达标 share a colour), then the off-plan count.
STATUS_COLUMNS = [
    ("已达标", (Status.MET,)),
    ("达到年度目标", (Status.TARGET_MET,)),
    ("接近目标", (Status.NEAR,)),
    ("未达年度目标或未达标", (Status.BEHIND, Status.NOT_MET)),
    ("无数据", (Status.NO_DATA,)),
]
RANK = {Status.BEHIND: 0, Status.NOT_MET: 0, Status.NEAR: 1, Status.TARGET_MET: 2, Status.MET: 3}
CHART_MIN_HEIGHT = 150.0  # points


@dataclass(frozen=True)
class Sources:
    """Where the overview's figures stand on the workbook's other sheets; what is absent (a unit's
    workbook has no 学校明细 or 差异系数) is written as a value."""

    gap_rows: dict[tuple[str, str], int] = field(default_factory=dict)  # 缺口测算
    cv_rows: dict[tuple[int, str, str], int] = field(default_factory=dict)  # 差异系数
    school: SchoolSheetLayout | None = None  # 学校明细


def add_overview_sheet(workbook):
    """The sheet, added first so that it is the first tab and printed page; filled once the
    sheets it refers to are written (XlsxWriter keeps a sheet's cells until the book closes)."""
    sheet = workbook.add_worksheet(SHEET_NAME, worksheet_class=ClassicFormulaSheet)
    page_setup(sheet)
    sheet.fit_to_pages(1, 1)
    return sheet


def status_counts(evaluation: Evaluation) -> dict[str, dict[Status, int]]:
    """Per area, the latest year's cells (indicator × level) by status."""
    counts: dict[str, dict[Status, int]] = {a.name: dict.fromkeys(Status, 0) for a in evaluation.plan.areas}
    for indicator in evaluation.plan.indicators:
        for level in indicator.levels:
            counts[indicator.area][evaluation.latest.cells[(indicator.id, level)].status] += 1
    return counts


def movements(evaluation: Evaluation) -> tuple[int | None, list[str], list[str]]:
    """(previous census year, cells that improved, cells that slipped) of the latest year, each
    as 'R1 小学 ×→√'; no year when there is only one census."""
    years = sorted(evaluation.years)
    if len(years) < 2:
        return None, [], []
    before, after = evaluation.years[years[-2]].cells, evaluation.latest.cells
    improved, slipped = [], []
    for indicator in evaluation.plan.indicators:
        for level in indicator.levels:
            old, new = before[(indicator.id, level)].status, after[(indicator.id, level)].status
            if old in RANK and new in RANK and RANK[old] != RANK[new]:
                name = f"{indicator.id} {level} {old.symbol}→{new.symbol}"
                (improved if RANK[new] > RANK[old] else slipped).append(name)
    return years[-2], improved, slipped


def largest_gaps(evaluation: Evaluation) -> list[tuple[str, str, int, float, str]]:
    """The largest total gaps (level, indicator id, sections short, total, unit) in people, ㎡ and
    万元, at most LARGEST of each unit, largest first (gaps in different units do not compare)."""
    totals = [t for t in gaps_sheet.gap_totals(evaluation) if t[4] in GAP_UNITS and t[3]]
    return [t for unit in GAP_UNITS
            for t in sorted((t for t in totals if t[4] == unit), key=lambda t: -t[3])[:LARGEST]]


def resource_shares(evaluation: Evaluation) -> dict[tuple[int, str], tuple[int, int]]:
    """(year, level) → (sections meeting 资源配置, sections), for the levels that have sections."""
    return {(year, level): result.resource_count(level) for year, result in sorted(evaluation.years.items())
            for level in LEVELS if result.resource_count(level)[1]}


def short_label(indicator_id: str, measure: str) -> str:
    return f"{indicator_id} {MEASURES[measure].label.split('（')[0]}"


class _Writer:
    """Writes the blocks top-down; each block records the heights its rows need (rows are shared
    by the two blocks), set once at the end."""

    def __init__(self, workbook, sheet, evaluation: Evaluation, formats: Formats, sources: Sources):
        self.workbook, self.sheet, self.evaluation = workbook, sheet, evaluation
        self.formats, self.sources = formats, sources
        self.heights: dict[int, float] = {}
        cell = {**FONT, "font_size": SIZE, "border": 1, "valign": "vcenter", "text_wrap": True}
        make = formats.make
        self.text = make(**cell, align="left")
        self.centre = make(**cell, align="center")
        self.integer = make(**cell, align="center", num_format="0")
        self.number = make(**cell, align="center", num_format="0.00")
        # Areas in whole ㎡ and money to the hundred yuan, with separators: read at a glance.
        self.amount = {"㎡": make(**cell, align="center", num_format="#,##0"),
                       "万元": make(**cell, align="center", num_format="#,##0.00")}
        self.percent = make(**cell, align="center", num_format="0.0%")
        self.header = make(**{**cell, **HEADING_FONT}, align="center", bg_color="#D9E1F2")
        self.heading = make(**{**FONT, **HEADING_FONT, "font_size": SIZE + 2}, valign="vcenter")
        self.label = make(**{**FONT, **HEADING_FONT, "font_size": SIZE + 2}, valign="vcenter", align="right")
        self.plain = make(**{**FONT, "font_size": SIZE + 2}, valign="vcenter", text_wrap=True)
        self.figure = make(**{**FONT, **HEADING_FONT, "font_size": 26}, font_color="#C00000", align="center",
                           valign="vcenter", num_format="0")

    def status_format(self, statuses):
        fill, font = statuses[0].colours
        return self.formats.make(**{**FONT, **HEADING_FONT, "font_size": SIZE}, border=1, align="center",
                                 valign="vcenter", text_wrap=True, bg_color=fill, font_color=font)

    def need(self, row: int, text: str, first: int, last: int, size: float = SIZE) -> None:
        """Row `row` must show `text` wrapped across columns first–last at `size` points."""
        width = sum(WIDTHS[first:last + 1]) * 10.5 / size
        height = line_count(text, width) * LINE_HEIGHT * size / 10.5 + PADDING
        self.heights[row] = max(self.heights.get(row, 0.0), height)

    def put(self, row: int, col: int, value, fmt, last: int | None = None) -> None:
        """A string or number, across columns col–last when given."""
        if last is not None and last > col:
            self.sheet.merge_range(row, col, row, last, "", fmt)
        if isinstance(value, str):
            self.sheet.write_string(row, col, value, fmt)
        else:
            self.sheet.write_number(row, col, value, fmt)
        self.need(row, str(value) if isinstance(value, str) else "0", col, last if last is not None else col,
                  26 if fmt is self.figure else SIZE + 2 if fmt in (self.heading, self.plain, self.label) else SIZE)

    def ref(self, row: int, col: int, sheet_name: str, source_row: int, source_col: int, value, fmt) -> None:
        """A formula showing a cell of another sheet, cached as `value`."""
        formula = f"='{sheet_name}'!{xl_rowcol_to_cell(source_row, source_col)}"
        self.sheet.write_formula(row, col, formula, fmt, value)
        self.need(row, value if isinstance(value, str) else "0", col, col)


def write_overview_sheet(workbook, sheet, evaluation: Evaluation, formats: Formats, title: str, headline: str,
                         sources: Sources = Sources(), whole_district: bool = True) -> None:
    """Fill the sheet made by add_overview_sheet: `title` and `headline` (the verdict) above;
    `whole_district` False for a unit's workbook (`evaluation` scoped to its indicators)."""
    w = _Writer(workbook, sheet, evaluation, formats, sources)
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    w.put(0, 0, title, formats.make(**{**FONT, **HEADING_FONT, "font_size": 22}, align="center", valign="vcenter"),
          LAST_COL)
    w.heights[0] = 40.0
    w.put(1, 0, headline, w.plain, LAST_COL)
    total_cell = _figures(w, 2, whole_district)
    row = _areas(w, 4, total_cell)
    row = _resources(w, row + 1)
    chart_rows = _shares(w, row + 1)
    right = _gaps(w, 4)
    right = _movement(w, right + 1)
    for r in range(max(w.heights) + 1):
        sheet.set_row(r, w.heights.get(r, 10.0))
    last = max(w.heights)
    if chart_rows:
        last = _chart(w, right + 1, last, chart_rows)
    sheet.print_area(0, 0, last, LAST_COL)


def _figures(w: _Writer, row: int, whole_district: bool) -> tuple[int, int]:
    """The labelled counts, large (a unit's workbook: its off-plan count only, the obstacles to
    certification are the district's); returns where the off-plan total goes (its formula)."""
    year = w.evaluation.latest.year
    w.put(row, LEFT, f"{year}年{OFF_PLAN_NAME}", w.label)
    w.put(row, LEFT + 2, f"项{OFF_PLAN_SCOPE}", w.plain, LEFT + 6)
    if whole_district:
        w.put(row, RIGHT, GAPS_NAME, w.label, RIGHT + 1)
        w.put(row, RIGHT + 2, len(w.evaluation.verdict.obstacles), w.figure)
        w.put(row, RIGHT + 3, f"项差距{GAPS_SCOPE}", w.plain, LAST_COL)
    return row, LEFT + 1


def _areas(w: _Writer, row: int, total_cell: tuple[int, int]) -> int:
    """Per area, the latest cells by status, a total row, and the off-plan figure above; returns
    the next free row."""
    counts = status_counts(w.evaluation)
    year = w.evaluation.latest.year
    w.put(row, LEFT, f"一、各领域指标状态（{year}年，指标×学段）", w.heading, LEFT + 6)
    row += 1
    headers = ["领域", *[name for name, _ in STATUS_COLUMNS], OFF_PLAN_NAME]
    for col, text in enumerate(headers):
        fmt = w.status_format(STATUS_COLUMNS[col - 1][1]) if 1 <= col <= len(STATUS_COLUMNS) else w.header
        w.put(row, LEFT + col, text, fmt)
    first = row + 1
    for area, by_status in counts.items():
        row += 1
        w.put(row, LEFT, area, w.text)
        for col, (_, statuses) in enumerate(STATUS_COLUMNS, start=1):
            w.put(row, LEFT + col, sum(by_status[s] for s in statuses), w.integer)
        w.put(row, LEFT + 6, sum(by_status[s] for s in OFF_PLAN), w.integer)
    row += 1
    w.put(row, LEFT, "合计", w.header)
    for col in range(1, 7):
        column = [sum(by_status[s] for s in (STATUS_COLUMNS[col - 1][1] if col < 6 else OFF_PLAN))
                  for by_status in counts.values()]
        span = f"{xl_rowcol_to_cell(first, LEFT + col)}:{xl_rowcol_to_cell(row - 1, LEFT + col)}"
        w.sheet.write_formula(row, LEFT + col, f"=SUM({span})", w.integer, sum(column))
    # The labelled figure is the table's own total.
    figure_row, figure_col = total_cell
    w.sheet.write_formula(figure_row, figure_col, f"={xl_rowcol_to_cell(row, LEFT + 6)}", w.figure,
                          sum(sum(b[s] for s in OFF_PLAN) for b in counts.values()))
    w.need(figure_row, "0", figure_col, figure_col, 26)
    return row + 1


def _resources(w: _Writer, row: int) -> int:
    """Each resource indicator's district value and 差异系数 per level; returns the next free row."""
    evaluation = w.evaluation
    latest = evaluation.latest
    indicators = [i for i in evaluation.plan.indicators if i.evaluation == "school_count"]
    levels = [level for level in LEVELS if any((level, i.id) in latest.resources for i in indicators)]
    if not indicators or not levels:
        return row
    w.put(row, LEFT, f"二、资源配置：全区值与差异系数（{latest.year}年）", w.heading, LEFT + 6)
    row += 1
    w.put(row, LEFT, "指标", w.header)
    for n, level in enumerate(levels):
        threshold = next(latest.resources[(level, i.id)].cv_threshold for i in indicators
                         if (level, i.id) in latest.resources)
        for k, text in enumerate([f"{level}全区值", f"{level}差异系数", f"≤{threshold:.2f}"]):
            w.put(row, LEFT + 1 + 3 * n + k, text, w.header)
    for indicator in indicators:
        row += 1
        w.put(row, LEFT, short_label(indicator.id, indicator.measure), w.text)
        for n, level in enumerate(levels):
            value = latest.resources.get((level, indicator.id))
            col = LEFT + 1 + 3 * n
            if value is None:
                for k in range(3):
                    w.put(row, col + k, "—", w.centre)
                continue
            cells = [(cv_sheet.DISTRICT_COL, value.district_value, w.number)]
            if value.cv is None:
                cells += [(None, "无数据", w.centre), (None, "—", w.centre)]
            else:
                ok = w.status_format((Status.TARGET_MET if value.cv_ok else Status.BEHIND,))
                cells += [(cv_sheet.CV_COL, float(value.cv_shown), w.number),
                          (cv_sheet.CV_MARK_COL, "√" if value.cv_ok else "×", ok)]
            source = w.sources.cv_rows.get((latest.year, level, indicator.id))
            for k, (source_col, shown, fmt) in enumerate(cells):
                if source is not None and source_col is not None:
                    w.ref(row, col + k, cv_sheet.SHEET_NAME, source, source_col, shown, fmt)
                else:
                    w.put(row, col + k, shown, fmt)
    return row + 1


def _shares(w: _Writer, row: int) -> list[int]:
    """The share of sections meeting 资源配置 per year and level, the chart's data; returns the
    rows of the years (none: nothing to chart)."""
    if not any(i.evaluation == "school_count" for i in w.evaluation.plan.indicators):
        return []  # a unit with no resource indicator
    shares = resource_shares(w.evaluation)
    levels = [level for level in LEVELS if any(key[1] == level for key in shares)]
    years = sorted({year for year, _ in shares})
    if not shares:
        return []
    w.put(row, LEFT, "三、资源配置达标学段占比（逐年）", w.heading, LEFT + 6)
    row += 1
    w.put(row, LEFT, "年度", w.header)
    for n, level in enumerate(levels):
        w.put(row, LEFT + 1 + 2 * n, f"{level}达标学段", w.header)
        w.put(row, LEFT + 2 + 2 * n, f"{level}占比", w.header)
    school = w.sources.school
    rows = []
    for year in years:
        row += 1
        rows.append(row)
        w.put(row, LEFT, f"{year}年", w.centre)
        for n, level in enumerate(levels):
            if (year, level) not in shares:
                continue
            met, total = shares[(year, level)]
            count_col, share_col = LEFT + 1 + 2 * n, LEFT + 2 + 2 * n
            if school is None:
                w.put(row, count_col, f"{met}/{total}", w.centre)
                w.put(row, share_col, met / total, w.percent)
                continue
            # Counted on 学校明细 by its 年度, 学段 and 资源配置 cells, as 差异系数 is.
            picked = school.rows_of(year, level)
            met_formula = f'SUMPRODUCT({picked}*({school.column(school.result_col)}="√"))'
            total_formula = f"SUMPRODUCT({picked}*1)"
            w.sheet.write_formula(row, count_col, f'={met_formula}&"/"&{total_formula}', w.centre, f"{met}/{total}")
            w.sheet.write_formula(row, share_col, f"={met_formula}/{total_formula}", w.percent, met / total)
            w.need(row, "0", count_col, count_col)
    return rows


def _gaps(w: _Writer, row: int) -> int:
    gaps = largest_gaps(w.evaluation)
    year = w.evaluation.latest.year
    w.put(row, RIGHT, f"四、缺口最大的项目（{year}年，人、㎡、万元各前{LARGEST}项）", w.heading, LAST_COL)
    row += 1
    for col, text in enumerate(["学段", "指标", "未达标学校", "缺口合计", "单位", "牵头单位"]):
        w.put(row, RIGHT + col, text, w.header)
    if not gaps:
        row += 1
        w.put(row, RIGHT, "各项均无缺口", w.text, LAST_COL)
    plan = w.evaluation.plan
    for level, indicator_id, count, total, unit in gaps:
        row += 1
        whole = unit == "人"
        source = w.sources.gap_rows.get((level, indicator_id))
        w.put(row, RIGHT, level, w.centre)
        indicator = plan.indicator(indicator_id)
        label = short_label(indicator.id, indicator.measure) if indicator.measure else \
            gaps_sheet.gap_label(w.evaluation, indicator_id)
        w.put(row, RIGHT + 1, label, w.text)
        w.put(row, RIGHT + 4, unit, w.centre)
        cells = [(RIGHT + 2, gaps_sheet.COUNT_COL, count, w.integer),
                 # as 缺口测算 stores it: XlsxWriter writes a number to 16 digits
                 (RIGHT + 3, gaps_sheet.TOTAL_COL, float(f"{total:.16g}"), w.integer if whole else w.amount[unit]),
                 (RIGHT + 5, gaps_sheet.LEAD_COL, plan.indicator(indicator_id).lead_unit, w.centre)]
        for col, source_col, value, fmt in cells:
            if source is None:
                w.put(row, col, value, fmt)
            else:
                w.ref(row, col, gaps_sheet.GAPS_SHEET, source, source_col, value, fmt)
    return row + 1


def _movement(w: _Writer, row: int) -> int:
    """The cells that improved or slipped, merged down over the rows the left block already
    sized, so that a long list does not stretch one of them."""
    previous, improved, slipped = movements(w.evaluation)
    latest = w.evaluation.latest.year
    w.put(row, RIGHT, f"五、与上一年度相比（{latest}年）", w.heading, LAST_COL)
    row += 1
    if previous is None:
        text = "只有一个年度的统计报表，暂无可比较的变化。"
    else:
        text = (f"与{previous}年相比：好转 {len(improved)} 项" + (f"（{'、'.join(improved)}）" if improved else "")
                + f"；下滑 {len(slipped)} 项" + (f"（{'、'.join(slipped)}）" if slipped else "")
                + "；其余不变或无数据（指标×学段，各年对照当年目标）。")
    width = sum(WIDTHS[RIGHT:]) * 10.5 / SIZE
    needed = line_count(text, width) * LINE_HEIGHT * SIZE / 10.5 + PADDING
    last, height = row, w.heights.get(row, 0.0)
    while height < needed and last + 1 in w.heights:
        last += 1
        height += w.heights[last]
    if last > row:
        w.sheet.merge_range(row, RIGHT, last, LAST_COL, text, w.text)
        w.heights[last] += max(needed - height, 0.0)
    else:
        w.put(row, RIGHT, text, w.text, LAST_COL)
    return last + 1


def _chart(w: _Writer, first: int, last: int, rows: list[int]) -> int:
    """A column chart of the shares, in the right block from row `first` down to `last` (or a row
    below when that is too short); returns the last row it takes."""
    height = sum(w.heights.get(r, 10.0) for r in range(first, last + 1))
    if height < CHART_MIN_HEIGHT:  # too little room beside the tables: a row of its own below
        last += 1
        w.sheet.set_row(last, CHART_MIN_HEIGHT - height)
        height = CHART_MIN_HEIGHT
    levels = [level for level in LEVELS if any(key[1] == level for key in resource_shares(w.evaluation))]
    chart = w.workbook.add_chart({"type": "column"})
    for n, level in enumerate(levels):
        share_col = LEFT + 2 + 2 * n
        chart.add_series({
            "name": level,
            "categories": [SHEET_NAME, rows[0], LEFT, rows[-1], LEFT],
            "values": [SHEET_NAME, rows[0], share_col, rows[-1], share_col],
            "data_labels": {"value": True, "num_format": "0%"},
        })
    chart.set_title({"name": "资源配置达标学段占比", "name_font": {"name": "黑体", "size": 12}})
    chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1, "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom", "font": {"name": "宋体", "size": 11}})
    width = sum(int(width * 7 + 0.5) + 5 for width in WIDTHS[RIGHT:])  # XlsxWriter's pixels per column
    chart.set_size({"width": width - 8, "height": int(height * 4 / 3) - 8})
    w.sheet.insert_chart(first, RIGHT, chart, {"x_offset": 4, "y_offset": 4, "object_position": 3})
    return last
