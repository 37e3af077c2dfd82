"""A sheet as a grid of values, and finding its (one- or two-row) header.

Workbooks made by hand have title rows above the header, group cells merged over two-row
headers (`在校生数` over `小学 | 初中 | 高中`, or the levels above and the group below), and
header spelling that varies. Everything here works on plain lists from python-calamine.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from excel_balance.census.schema import CANONICAL, Column, normalise_header, normalise_plain

HEADER_SCAN_ROWS = 20
MIN_HEADER_MATCHES = 3


def column_letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """A0-based (row, col) as Excel writes it: (13, 26) → AA14."""
    return f"{column_letter(col)}{row + 1}"


@dataclass(frozen=True)
class Header:
    first_row: int  # 0-based
    last_row: int
    columns: dict[str, int]  # column key → 0-based column index
    texts: dict[int, str]  # column index → header text as found (for messages)


def _filled(grid: list[list], merged: list, row: int, width: int) -> list[str]:
    """Row `row` with merged group cells repeated over their own span only."""
    values = [str(v).strip() if v not in (None, "") else "" for v in (grid[row] + [""] * width)[:width]]
    for (r0, c0), (r1, c1) in merged:
        if r0 <= row <= r1:
            top = grid[r0][c0] if c0 < len(grid[r0]) else ""
            for c in range(c0, min(c1, width - 1) + 1):
                values[c] = str(top).strip()
    return values


def _vertical(merged: list, row: int, col: int) -> bool:
    return any(r0 <= row < r1 and c0 <= col <= c1 for (r0, c0), (r1, c1) in merged)


def _match(text: str, aliases: dict[str, str]) -> Column | None:
    return CANONICAL.get(normalise_header(text, aliases)) if text else None


def _candidates(top: str, bottom: str, spans_both: bool) -> list[str]:
    if spans_both or not bottom:
        return [top]
    if not top:
        return [bottom]
    return [top + bottom, bottom + top, bottom]


def find_header(grid: list[list], merged: list, aliases: dict[str, str]) -> Header | None:
    """The header with the most recognised columns in the first rows, one or two rows deep."""
    best: Header | None = None
    best_score = 0
    scan = grid[: HEADER_SCAN_ROWS + 1]
    width = max((len(r) for r in scan), default=0)
    for row in range(min(HEADER_SCAN_ROWS, len(grid))):
        top = _filled(grid, merged, row, width)
        options = [(row, [[t] for t in top])]
        if row + 1 < len(grid):
            bottom = _filled(grid, merged, row + 1, width)
            pairs = [_candidates(t, b, _vertical(merged, row, c)) for c, (t, b) in enumerate(zip(top, bottom))]
            options.append((row + 1, pairs))
        for last, per_column in options:
            columns: dict[str, int] = {}
            texts: dict[int, str] = {}
            for col, candidates in enumerate(per_column):
                for candidate in candidates:
                    found = _match(candidate, aliases)
                    if found is not None and found.key not in columns:
                        columns[found.key] = col
                        texts[col] = candidate
                        break
                else:
                    if candidates and candidates[0]:
                        texts[col] = candidates[0]
            # A row that finds as many columns alone as with the row above it is the header; the
            # row above is a title (merged over the header, it would spoil the names in messages).
            alone = best is not None and len(columns) == best_score and best.last_row == row == last
            if len(columns) > best_score or alone:
                best_score = len(columns)
                best = Header(row, last, columns, texts)
    if best is None or best_score < MIN_HEADER_MATCHES:
        return None
    return best


def closest_header(wanted: Column, header: Header) -> str | None:
    """The found header text most like a missing column's name, to point staff at a typo."""
    found = {normalise_plain(t): t for col, t in header.texts.items() if col not in header.columns.values()}
    match = difflib.get_close_matches(normalise_plain(wanted.header), list(found), n=1, cutoff=0.5)
    return found[match[0]] if match else None
