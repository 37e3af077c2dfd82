"""The cell formats every sheet shares: Song with the GB2312 charset, thin borders."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import CellFormulaTuple

from excel_balance.xlsx.sheet import FastSheet

FONT = {"font_name": "宋体", "font_charset": 134, "font_size": 10.5}
HEADING_FONT = {"font_name": "黑体", "font_charset": 134}


class Formats:
    """Named formats created once per workbook (XlsxWriter formats belong to one workbook)."""

    def __init__(self, workbook: Workbook):
        self._workbook = workbook
        self._cache: dict[tuple, object] = {}
        cell = {**FONT, "border": 1, "valign": "vcenter", "text_wrap": True}
        self.cell_style = cell  # for a writer's own variants of a table cell
        heading = {**FONT, **HEADING_FONT}
        self.title = self.make(**{**heading, "font_size": 18}, align="center", valign="vcenter")
        self.label = self.make(**{**heading, "font_size": 12}, valign="vcenter")
        self.header_properties = {**cell, **HEADING_FONT, "align": "center"}
        self.header = self.make(**self.header_properties, bg_color="#D9E1F2")
        self.text = self.make(**cell, align="left")
        self.centre = self.make(**cell, align="center")
        self.area = self.make(**{**cell, **HEADING_FONT}, align="center")
        self.note = self.make(**FONT, text_wrap=True, valign="top", align="left")
        self.note_title = self.make(**heading, valign="top")
        self.banner = self.make(**{**heading, "font_size": 14}, bg_color="#C00000", font_color="#FFFFFF",
                                align="center", valign="vcenter", text_wrap=True, border=1)
        self.number = self.make(**cell, align="center", num_format="0.00")
        self.integer = self.make(**cell, align="center", num_format="0")
        self.percent = self.make(**cell, align="center", num_format="0.00%")
        self.label_cell = self.make(**cell, align="center", bg_color="#F2F2F2")

    def status(self, status, **extra):
        """A bordered, centred cell filled with the status colour (fixed, so that it prints).

        `status` is anything with `colours` (fill, font), an evaluation Status in practice.
        """
        fill, font = status.colours
        return self.make(**FONT, border=1, align="center", valign="vcenter", text_wrap=True, bg_color=fill,
                         font_color=font, **extra)

    def make(self, **properties):
        """A format with these properties, shared between calls with the same properties."""
        key = tuple(sorted(properties.items()))
        if key not in self._cache:
            self._cache[key] = self._workbook.add_format(dict(properties))
        return self._cache[key]


class ClassicFormulaSheet(FastSheet):
    """A worksheet whose formulas use only classic functions (ROUND, IF, SUM, SUMPRODUCT, …).

    XlsxWriter rewrites every formula through some thirty regular expressions to prefix Excel
    365 functions (FILTER, XLOOKUP, …); with thousands of formulas that dominated writing the
    report. None of those functions is used here (a test checks every formula of a report), so
    only the leading "=" (and an array formula's braces) is removed.
    """

    FUTURE = ("FILTER(", "XLOOKUP(", "LAMBDA(", "LET(", "SORT(", "UNIQUE(", "SEQUENCE(", "SWITCH(", "IFS(")

    def _prepare_formula(self, formula, expand_future_functions=False):
        if formula.startswith("{"):
            formula = formula[1:]
        if formula.startswith("="):
            formula = formula[1:]
        return formula[:-1] if formula.endswith("}") else formula

    def _write_formula(self, row, col, formula, cell_format=None, value=0):
        # Stored as XlsxWriter stores it, without its search for dynamic-array functions (the
        # same test checks none is used): one more regular expression per formula.
        if self.constant_memory or not formula or formula.startswith("{") or self._check_dimensions(row, col):
            return super()._write_formula(row, col, formula, cell_format, value)
        self.table[row][col] = CellFormulaTuple(self._prepare_formula(formula), cell_format, value)
        return 0
