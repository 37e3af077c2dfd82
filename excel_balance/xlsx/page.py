"""The print setup every sheet shares, decided once: A3 landscape, one page wide, narrow margins,
a footer with the sheet name and 第 N 页，共 M 页. Writers add only what is their own: the header
rows repeated on each page (`sheet.repeat_rows`) and, where a sheet needs them, page breaks."""

from __future__ import annotations

A3 = 8  # XlsxWriter / OOXML paper size code
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.6}  # inches
FOOTER = "&L&A&C第 &P 页，共 &N 页"
POINTS_PER_INCH = 72
# A3 landscape is 420 × 297 mm, 1191 × 842 points; what the margins leave, at 100 % scale.
PRINTABLE_WIDTH = 1191 - (MARGINS["left"] + MARGINS["right"]) * POINTS_PER_INCH
PRINTABLE_HEIGHT = 842 - (MARGINS["top"] + MARGINS["bottom"]) * POINTS_PER_INCH


def page_setup(sheet, pages_wide: int = 1) -> None:
    """Set the shared print setup; `pages_wide` for a sheet too wide to be legible on one page."""
    sheet.set_paper(A3)
    sheet.set_landscape()
    sheet.fit_to_pages(pages_wide, 0)
    sheet.set_margins(**MARGINS)
    sheet.set_footer(FOOTER)


def page_breaks(blocks: list[tuple[int, float]], page_height: float, first_page_used: float = 0.0) -> list[int]:
    """Rows that start a new printed page, chosen between blocks (first row, height) that must not
    be split, so that each page holds at most `page_height` points of them."""
    breaks, used = [], first_page_used
    for first, height in blocks:
        if used + height > page_height and used > 0:
            breaks.append(first)
            used = 0.0
        used += height
    return breaks
