"""New workbooks: reproducible document properties, and the print setup on every sheet."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import xlsxwriter

from excel_balance import __version__
from excel_balance.xlsx.page import page_setup

# in_memory: XlsxWriter otherwise writes every XML part to a temporary file before zipping it.
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "in_memory": True}


class Workbook(xlsxwriter.Workbook):
    """An XlsxWriter workbook whose every new sheet already has the shared print setup."""

    def add_worksheet(self, name=None, worksheet_class=None):
        sheet = super().add_worksheet(name, worksheet_class)
        page_setup(sheet)
        return sheet


def document_time(default_year: int) -> dt.datetime:
    """The creation time stored in the file: SOURCE_DATE_EPOCH, else 1 January of `default_year`.

    Never the wall clock, so the same inputs give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime(default_year, 1, 1)


def new_workbook(path: Path, title: str, created: dt.datetime) -> Workbook:
    workbook = Workbook(str(path), WORKBOOK_OPTIONS)
    workbook.set_properties(
        {"title": title, "author": "excel-balance", "comments": f"excel-balance {__version__}", "created": created}
    )
    return workbook
