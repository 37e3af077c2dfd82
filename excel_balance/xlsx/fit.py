"""Width and height estimates for Chinese text, which Excel does not size by itself.

Excel's column width unit is the width of a Latin digit; a Chinese (wide or full-width)
character takes two. Excel never grows a row for merged wrapped cells, so the writers set every
row height from these estimates.
"""

from __future__ import annotations

import math
import unicodedata

LINE_HEIGHT = 14.0  # points per line at 10.5 pt Song, with LibreOffice's Noto CJK metrics
PADDING = 4.0
# A wrapped line never quite fills the column: Excel and LibreOffice keep a margin and break
# before punctuation, so only this share of the width is counted as usable.
USABLE_SHARE = 0.88


def text_width(text: str) -> float:
    """Width of one line of text in Excel column units."""
    width = 0.0
    for char in text:
        width += 2.0 if unicodedata.east_asian_width(char) in ("W", "F") else 1.1
    return width


def line_count(text: str, column_width: float) -> int:
    """Lines the text wraps into in a cell `column_width` units wide."""
    usable = max(column_width * USABLE_SHARE - 1.0, 1.0)
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in str(text).split("\n"))


def row_height(lines: int) -> float:
    return lines * LINE_HEIGHT + PADDING


def fit_width(texts, minimum: float = 6.0, maximum: float = 60.0) -> float:
    """A column width that shows the longest line of `texts` unwrapped, within bounds."""
    widest = max((text_width(line) for t in texts for line in str(t).split("\n")), default=0.0)
    return min(max(widest + 2.0, minimum), maximum)
