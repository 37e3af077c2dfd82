"""The `推进规划` sheet: the plan table as printed in the plan document, columns A–O.

Plan rows keep the plan's texts exactly. A caller may add rows of its own under each plan row
(the report adds an `实际` row); they sit inside the area's merged cell in column A.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from xlsxwriter.worksheet import Worksheet

from excel_balance.plan import DISTRICT, LEVELS, Indicator, Plan
from excel_balance.xlsx.fit import line_count, row_height
from excel_balance.xlsx.formats import Formats
from excel_balance.xlsx.page import PRINTABLE_HEIGHT, page_breaks

SHEET_NAME = "推进规划"

AREA_COL, TEXT_COL, BASELINE_COL, FIRST_YEAR_COL = 0, 1, 2, 4
WIDTHS = {AREA_COL: 10.0, TEXT_COL: 38.0, BASELINE_COL: 14.0, BASELINE_COL + 1: 14.0}
VALUE_WIDTH = 11.0
UNITS_WIDTH = 19.0
MIN_ROW_HEIGHT = 30.0
HEADER_ROW_HEIGHT = 22.0
TITLE_HEIGHT = 36.0
LABEL_HEIGHT = 18.0
# Body height of an A3 landscape page in points, with a safety share because LibreOffice and
# Excel measure fonts a little differently.
PAGE_BODY_HEIGHT = PRINTABLE_HEIGHT * 0.92


@dataclass(frozen=True)
class Columns:
    """Where each part of the plan table is, for a plan with `years` target years."""

    years: tuple[int, ...]

    @property
    def units(self) -> int:
        return FIRST_YEAR_COL + 2 * len(self.years)

    @property
    def last(self) -> int:
        return self.units

    def value_columns(self) -> list[tuple[int | None, int]]:
        """(year or None for the baseline, first column) for each pair of level columns."""
        return [(None, BASELINE_COL)] + [(y, FIRST_YEAR_COL + 2 * i) for i, y in enumerate(self.years)]

    def width(self, col: int) -> float:
        if col == self.units:
            return UNITS_WIDTH
        return WIDTHS.get(col, VALUE_WIDTH)


# A writer for the rows under a plan row: (sheet, first free row, indicator) → the heights of
# the rows it wrote; the plan sheet sets them, so that area cells can grow over them.
ExtraRows = Callable[[Worksheet, int, Indicator], list[float]]


def write_level_cells(
    sheet: Worksheet,
    row: int,
    col: int,
    indicator: Indicator,
    texts: dict[str, str | None],
    formats: dict[str, object],
    columns: Columns,
) -> float:
    """Write one pair of 小学/初中 cells (merged for a merged row); returns the height needed."""
    if indicator.merged:
        text = texts.get(DISTRICT) or ""
        sheet.merge_range(row, col, row, col + 1, text, formats[DISTRICT])
        return row_height(line_count(text, columns.width(col) + columns.width(col + 1)))
    height = 0.0
    for offset, level in enumerate(LEVELS):
        text = texts.get(level) or ""
        sheet.write_string(row, col + offset, text, formats[level])
        height = max(height, row_height(line_count(text, columns.width(col + offset))))
    return height


def write_plan_sheet(
    sheet: Worksheet,
    plan: Plan,
    formats: Formats,
    first_row: int = 0,
    extra_rows: ExtraRows | None = None,
    height_above: float = 0.0,
    with_label: bool = True,
    min_row_height: float = MIN_ROW_HEIGHT,
) -> int:
    """Write the plan table from `first_row`; returns the first row after the footnotes.

    `height_above` is the height of what the caller printed above `first_row` on page one;
    `min_row_height` the least height of a plan row (a form leaves room to fill in).
    """
    columns = Columns(plan.plan_years)
    for col in range(columns.last + 1):
        sheet.set_column(col, col, columns.width(col))

    row = first_row
    if plan.label and with_label:
        sheet.write_string(row, AREA_COL, plan.label, formats.label)
        sheet.set_row(row, LABEL_HEIGHT)
        row += 1
    sheet.merge_range(row, AREA_COL, row, columns.last, plan.title, formats.title)
    sheet.set_row(row, TITLE_HEIGHT)
    row += 1
    header_top = row
    row = _write_header(sheet, row, columns, formats, plan.baseline_label)
    body_top = row

    blocks: list[tuple[str, int, int]] = []  # (area, first row, last row) per indicator
    heights: dict[int, float] = {}
    for indicator in plan.indicators:
        start = row
        heights[row] = max(_write_plan_row(sheet, row, indicator, columns, formats), min_row_height)
        row += 1
        for height in extra_rows(sheet, row, indicator) if extra_rows else []:
            heights[row] = height
            row += 1
        blocks.append((indicator.area, start, row - 1))
    title_height = TITLE_HEIGHT + (LABEL_HEIGHT if plan.label and with_label else 0.0) + height_above
    # Pages break between indicators, never inside one.
    indicator_heights = [(first, sum(heights[r] for r in range(first, last + 1))) for _, first, last in blocks]
    breaks = page_breaks(indicator_heights, PAGE_BODY_HEIGHT - 3 * HEADER_ROW_HEIGHT, title_height)
    _write_areas(sheet, plan, _area_segments(blocks, breaks), columns, formats, heights)
    for r, height in heights.items():
        sheet.set_row(r, height)
    if breaks:
        sheet.set_h_pagebreaks(breaks)

    row = _write_footnotes(sheet, row + 1, plan, columns, formats)

    sheet.freeze_panes(body_top, TEXT_COL + 1)
    sheet.repeat_rows(header_top, body_top - 1)
    sheet.center_horizontally()
    sheet.print_area(0, 0, row - 1, columns.last)
    return row


def _write_header(sheet: Worksheet, row: int, columns: Columns, formats: Formats, baseline_label: str = "现状") -> int:
    header = formats.header
    sheet.merge_range(row, AREA_COL, row + 2, AREA_COL, "指标名称", header)
    sheet.merge_range(row, TEXT_COL, row + 2, TEXT_COL, "内容与标准", header)
    sheet.merge_range(row, BASELINE_COL, row + 1, BASELINE_COL + 1, baseline_label, header)
    last_year_col = columns.units - 1
    if columns.years:  # a standards-only plan has no yearly targets
        sheet.merge_range(row, FIRST_YEAR_COL, row, last_year_col, "达标规划（达标学校数/学校总数）", header)
    for year, col in columns.value_columns()[1:]:
        sheet.merge_range(row + 1, col, row + 1, col + 1, f"{year}年", header)
    for _, col in columns.value_columns():
        for offset, level in enumerate(LEVELS):
            sheet.write_string(row + 2, col + offset, level, header)
    sheet.merge_range(row, columns.units, row + 2, columns.units, "责任单位", header)
    for offset in range(3):
        sheet.set_row(row + offset, HEADER_ROW_HEIGHT)
    return row + 3


def _write_plan_row(
    sheet: Worksheet, row: int, indicator: Indicator, columns: Columns, formats: Formats
) -> float:
    heights = [row_height(line_count(indicator.text, columns.width(TEXT_COL)))]
    sheet.write_string(row, TEXT_COL, indicator.text, formats.text)
    cell_formats = {key: formats.centre for key in (*LEVELS, DISTRICT)}
    for year, col in columns.value_columns():
        if year is None:
            texts = indicator.baseline
        else:
            texts = {level: cell.text for level, cell in indicator.targets.get(year, {}).items()}
        heights.append(write_level_cells(sheet, row, col, indicator, texts, cell_formats, columns))
    units = "\n".join(indicator.units)
    sheet.write_string(row, columns.units, units, formats.centre)
    heights.append(row_height(line_count(units, columns.width(columns.units))))
    return max(heights)


def _area_segments(blocks, breaks: list[int]) -> list[tuple[str, int, int]]:
    """Merge consecutive indicators of one area, starting again at each page break.

    Like the printed plan, an area that runs over a page break shows its text on both pages.
    """
    segments: list[tuple[str, int, int]] = []
    for area, first, last in blocks:
        if segments and segments[-1][0] == area and first not in breaks:
            segments[-1] = (area, segments[-1][1], last)
        else:
            segments.append((area, first, last))
    return segments


def _write_areas(sheet, plan: Plan, area_rows, columns: Columns, formats: Formats, heights) -> None:
    texts = {area.name: area.text for area in plan.areas}
    for name, first, last in area_rows:
        text = texts.get(name, name)
        if first == last:
            sheet.write_string(first, AREA_COL, text, formats.area)
        else:
            sheet.merge_range(first, AREA_COL, last, AREA_COL, text, formats.area)
        _ensure_height(heights, first, last, row_height(line_count(text, columns.width(AREA_COL))))


def _ensure_height(heights: dict[int, float], first: int, last: int, needed: float) -> None:
    """Grow rows first..last evenly until together they are at least `needed` points high."""
    rows = range(first, last + 1)
    deficit = needed - sum(heights[r] for r in rows)
    if deficit > 0:
        for r in rows:
            heights[r] += deficit / len(rows)


def _write_footnotes(sheet, row: int, plan: Plan, columns: Columns, formats: Formats) -> int:
    if not plan.footnotes:
        return row
    sheet.write_string(row, AREA_COL, plan.footnote_title, formats.note_title)
    row += 1
    total_width = sum(columns.width(c) for c in range(columns.last + 1))
    for note in plan.footnotes:
        sheet.merge_range(row, AREA_COL, row, columns.last, note, formats.note)
        sheet.set_row(row, row_height(line_count(note, total_width)))
        row += 1
    return row
