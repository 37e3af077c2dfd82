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

from math import isfinite

from xlsxwriter.utility import xl_rowcol_to_cell_fast
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
        # XlsxWriter's loop, each row's attributes looked up once.
        if self.constant_memory:
            super()._write_rows()
            return
        self._calculate_spans()
        table, info, spans, comments = self.table, self.row_info, self.row_spans, self.comments
        low, high = self.dim_colmin, self.dim_colmax
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table.get(row)
            if cells:
                self._write_row(row, spans.get(row // 16), info.get(row))
                for col in sorted(cells):
                    if low <= col <= high:
                        self._write_cell(row, col, cells[col])
                self.fh.write("</row>")
            elif row in info or row in comments:
                self._write_empty_row(row, spans.get(row // 16), info.get(row))

    def _write_cell(self, row: int, col: int, cell) -> None:
        kind = type(cell)
        if cell.format is None or self.constant_memory or kind not in (CellNumberTuple, CellStringTuple,
                                                                       CellFormulaTuple):
            super()._write_cell(row, col, cell)
            return
        head = f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{cell.format._get_xf_index()}"'
        if kind is CellNumberTuple:
            self.fh.write(f"{head}><v>{cell.number:.16G}</v></c>")
        elif kind is CellStringTuple:  # the shared string's index
            self.fh.write(f'{head} t="s"><v>{cell.string}</v></c>')
        else:
            value, kind_attr = cell.value, ""
            if isinstance(value, bool):
                value, kind_attr = int(value), ' t="b"'
            elif isinstance(value, str):
                kind_attr = "" if value == "" else ' t="e"' if value in ERROR_CODES else ' t="str"'
                value = _escape(value)
            self.fh.write(f"{head}{kind_attr}><f>{_escape(cell.formula)}</f><v>{value}</v></c>")
