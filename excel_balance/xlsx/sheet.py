"""A worksheet that writes its common cells' XML faster, byte for byte as XlsxWriter does.

A province run writes some two million cells; XlsxWriter's generic cell writer spent most of that
time building attribute lists and escaping integers and cell references through a regular
expression (raising and catching a TypeError for each number). Formatted numbers, shared
strings and formulas — nearly every cell this tool writes — are stored and written here
directly; any other cell (blank, boolean, date, rich string, array formula, NaN, unformatted,
constant-memory mode) goes to XlsxWriter's own code. tests/test_xlsx_sheet.py compares both on
every kind.
"""

from __future__ import annotations

from functools import lru_cache
from math import isfinite

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellFormulaTuple, CellNumberTuple, CellStringTuple, Worksheet

ERROR_CODES = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))


def _escape(text: str) -> str:
    """XML escaping of a cell's data, as XlsxWriter's (double quotes stay)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class FastSheet(Worksheet):
    def _write_number(self, row, col, number, cell_format=None):
        # Stored as XlsxWriter stores a finite number; NaN, infinity and constant-memory mode its way.
        if self.constant_memory or not isfinite(number) or self._check_dimensions(row, col):
            return super()._write_number(row, col, number, cell_format)
        self.table[row][col] = CellNumberTuple(number, cell_format)
        return 0

    def _write_rows(self) -> None:
        # XlsxWriter's loop, each row's attributes and number looked up once.
        if self.constant_memory:
            super()._write_rows()
            return
        self._calculate_spans()
        table, info, spans, comments, write = self.table, self.row_info, self.row_spans, self.comments, self.fh.write
        low, high = self.dim_colmin, self.dim_colmax
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table.get(row)
            if cells:
                self._write_row(row, spans.get(row // 16), info.get(row))
                number = str(row + 1)
                for col in sorted(cells):
                    if low <= col <= high:
                        cell = cells[col]
                        xml = _cell_xml(_column_name(col) + number, cell)
                        if xml is None:
                            self._write_cell(row, col, cell)
                        else:
                            write(xml)
                write("</row>")
            elif row in info or row in comments:
                self._write_empty_row(row, spans.get(row // 16), info.get(row))


_column_name = lru_cache(maxsize=None)(xl_col_to_name)


def _cell_xml(ref: str, cell) -> str | None:
    """A formatted number's, shared string's or formula's <c> element; None for any other cell."""
    kind = type(cell)
    if cell.format is None or kind not in (CellNumberTuple, CellStringTuple, CellFormulaTuple):
        return None
    head = f'<c r="{ref}" s="{cell.format._get_xf_index()}"'
    if kind is CellNumberTuple:
        return f"{head}><v>{cell.number:.16G}</v></c>"
    if kind is CellStringTuple:  # the shared string's index
        return f'{head} t="s"><v>{cell.string}</v></c>'
    value, kind_attr = cell.value, ""
    if isinstance(value, bool):
        value, kind_attr = int(value), ' t="b"'
    elif isinstance(value, str):
        kind_attr = "" if value == "" else ' t="e"' if value in ERROR_CODES else ' t="str"'
        value = _escape(value)
    return f"{head}{kind_attr}><f>{_escape(cell.formula)}</f><v>{value}</v></c>"
