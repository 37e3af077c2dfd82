"""The cell formats every sheet shares: Song with the GB2312 charset, thin borders."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook

FONT = {"font_name": "宋体", "font_charset": 134, "font_size": 10.5}
HEADING_FONT = {"font_name": "黑体", "font_charset": 134}


class Formats:
    """Named formats created once per workbook (XlsxWriter formats belong to one workbook)."""

    def __init__(self, workbook: Workbook):
        self._workbook = workbook
        self._cache: dict[tuple, object] = {}
        cell = {**FONT, "border": 1, "valign": "vcenter", "text_wrap": True}
        heading = {**FONT, **HEADING_FONT}
        self.title = self.make(**{**heading, "font_size": 18}, align="center", valign="vcenter")
        self.label = self.make(**{**heading, "font_size": 12}, valign="vcenter")
        self.header = self.make(**{**cell, **HEADING_FONT}, align="center", bg_color="#D9E1F2")
        self.text = self.make(**cell, align="left")
        self.centre = self.make(**cell, align="center")
        self.area = self.make(**{**cell, **HEADING_FONT}, align="center")
        self.note = self.make(**FONT, text_wrap=True, valign="top", align="left")
        self.note_title = self.make(**heading, valign="top")

    def make(self, **properties):
        """A format with these properties, shared between calls with the same properties."""
        key = tuple(sorted(properties.items()))
        if key not in self._cache:
            self._cache[key] = self._workbook.add_format(dict(properties))
        return self._cache[key]
