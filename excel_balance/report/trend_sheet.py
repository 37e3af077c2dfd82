"""`年度趋势`: for the count and percentage indicators, actual against target per year, as a
table and as native Excel line charts."""

from __future__ import annotations

from decimal import Decimal

from excel_balance.evaluate.model import Evaluation
from excel_balance.plan import CountTarget, Indicator, PairedCountTarget, PercentTarget
from excel_balance.xlsx.fit import line_count, row_height
from excel_balance.xlsx.formats import FONT, Formats
from excel_balance.xlsx.page import PRINTABLE_HEIGHT, page_breaks

SHEET_NAME = "年度趋势"
CHARTS_PER_ROW = 3
ROW_HEIGHT = 15.0  # points: 20 px, every row of the sheet
CHART_ROWS = 16  # 16 rows of 20 px hold a 300 px chart with a margin
CHART_WIDTH, CHART_HEIGHT = 480, 300  # px


def _share(text: str) -> float | None:
    """'45/70' → 0.6429, '96.5%' → 0.965; None for anything else."""
    text = text.strip()
    if "/" in text:
        met, total = text.split("/")
        return int(met) / int(total) if int(total) else None
    if text.endswith("%"):
        return float(Decimal(text[:-1]) / 100)
    return None


def _target_share(target) -> float | None:
    if isinstance(target, CountTarget):
        return target.met / target.total
    if isinstance(target, PercentTarget):
        return float(target.value / 100)
    return None


def trend_series(evaluation: Evaluation, indicator: Indicator, level: str, years: list[int]):
    """[(series name, [value or None per year])]: actual and target, music and art apart for G3."""
    plan = evaluation.plan
    parts = [("", None)]
    if indicator.evaluation == "paired_count":
        parts = [("音乐", 0), ("美术", 1)]
    series = []
    for part, index in parts:
        actual, target = [], []
        for year in years:
            result = evaluation.years.get(year)
            cell = result.cells.get((indicator.id, level)) if result else None
            text = cell.actual_text if cell and cell.actual_text else ""
            if index is not None and text:
                text = text.split("，")[index].removeprefix(part)
            if text.startswith("全区"):
                text = text.split("达标")[-1]
            actual.append(_share(text) if text else None)
            plan_year = plan.target_year(year)
            goal = indicator.targets[plan_year][level].target if plan_year in indicator.targets else None
            if isinstance(goal, PairedCountTarget):
                goal = (goal.music, goal.art)[index]
            target.append(_target_share(goal) if goal is not None else None)
        series += [(f"{part}实际", actual), (f"{part}目标", target)]
    return series


def charted(indicator: Indicator) -> bool:
    return indicator.evaluation in ("school_count", "paired_count", "percent")


def write_trend_sheet(workbook, evaluation: Evaluation, formats: Formats) -> None:
    plan = evaluation.plan
    sheet = workbook.add_worksheet(SHEET_NAME)
    years = sorted({plan.baseline_year, *plan.plan_years, *evaluation.years})
    last_col = 2 + len(years)
    headers = ["指标", "学段", "系列", *[f"{y}年" for y in years]]
    for col, text in enumerate(headers):
        sheet.write_string(0, col, text, formats.header)
    percent = formats.make(**FONT, border=1, align="center", num_format="0.0%")
    row = 0
    blocks = []
    for indicator in plan.indicators:
        if not charted(indicator):
            continue
        for level in indicator.levels:
            if plan.standards_only and indicator.baseline.get(level) is None:
                continue
            if not plan.standards_only and all(indicator.targets[y][level].target is None for y in plan.plan_years):
                continue
            first, names = row + 1, []
            for name, values in trend_series(evaluation, indicator, level, years):
                names.append(name)
                row += 1
                sheet.write_string(row, 0, indicator.id, formats.centre)
                sheet.write_string(row, 1, level, formats.centre)
                sheet.write_string(row, 2, name, formats.centre)
                for col, value in enumerate(values, start=3):
                    # A year without a figure stays unwritten: XlsxWriter caches a written blank
                    # as 0, and viewers drawing from the cache would drop the line to 0 %.
                    if value is not None:
                        sheet.write_number(row, col, value, percent)
            blocks.append((indicator, level, first, names))
    for r in range(row + 1):  # set, not left to the viewer: LibreOffice grows CJK rows otherwise
        sheet.set_row(r, ROW_HEIGHT)
    # The unwritten cells keep the table's grid through a format that applies to blanks only.
    sheet.conditional_format(1, 3, max(row, 1), last_col, {"type": "blanks", "format": formats.make(border=1)})
    sheet.set_column(0, 2, 8)
    sheet.set_column(3, last_col, 9)
    # Printed blocks that must not be split: each indicator's rows, then each band of charts.
    printed = [(first, len(names) * ROW_HEIGHT) for _, _, first, names in blocks]
    chart_top = row + 3
    if len(evaluation.years) < 2:  # one point is no trend
        note = "只有一个年度的统计报表，暂无趋势图；放入往年的报表后会画出各指标的逐年变化。"
        sheet.merge_range(row + 2, 0, row + 2, last_col, note, formats.note)
        sheet.set_row(row + 2, row_height(line_count(note, 24 + 9 * len(years))))
        blocks = []
    bands = range(0, len(blocks), CHARTS_PER_ROW)
    # The first band carries the two blank rows above it.
    printed += [(chart_top + (n // CHARTS_PER_ROW) * CHART_ROWS - (2 if n == 0 else 0),
                 (CHART_ROWS + (2 if n == 0 else 0)) * ROW_HEIGHT) for n in bands]
    for n, (indicator, level, first, names) in enumerate(blocks):
        chart = workbook.add_chart({"type": "line"})
        for r, name in enumerate(names, start=first):
            chart.add_series({
                "name": [SHEET_NAME, r, 2],  # the list form: a name like 'A!B1' is not taken as a reference
                "categories": [SHEET_NAME, 0, 3, 0, last_col],
                "values": [SHEET_NAME, r, 3, r, last_col],
                "marker": {"type": "circle"},
                "line": {"dash_type": "dash" if name.endswith("目标") else "solid"},
            })
        title = f"{indicator.id} {level}：{indicator.text[:18]}…" if len(indicator.text) > 18 else f"{indicator.id} {level}：{indicator.text}"
        chart.set_title({"name": title, "name_font": {"name": "宋体", "size": 10}})
        chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
        chart.set_legend({"position": "bottom", "font": {"name": "宋体"}})
        chart.show_blanks_as("gap")
        chart.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
        # Placed by pixel offsets from column A, so that the grid does not depend on column widths.
        place_row = chart_top + (n // CHARTS_PER_ROW) * CHART_ROWS
        sheet.insert_chart(place_row, 0, chart, {"x_offset": (n % CHARTS_PER_ROW) * (CHART_WIDTH + 16), "y_offset": 4})
    # Each page holds whole blocks at 100 % scale, the worst case: fitting to the width only shrinks.
    breaks = page_breaks(printed, PRINTABLE_HEIGHT - ROW_HEIGHT, ROW_HEIGHT)
    if breaks:
        sheet.set_h_pagebreaks(breaks)
    sheet.repeat_rows(0)
    sheet.freeze_panes(1, 3)
