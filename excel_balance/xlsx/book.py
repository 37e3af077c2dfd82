"""New workbooks: reproducible document properties, and the print setup on every sheet."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import xlsxwriter

from excel_balance import __version__
from excel_balance.xlsx.page import page_setup
from excel_balance.xlsx.sheet import FastSheet

# in_memory: XlsxWriter otherwise writes every XML part to a temporary file before zipping it.
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "in_memory": True}


class Workbook(xlsxwriter.Workbook):
    """An XlsxWriter workbook whose every new sheet already has the shared print setup (and
    writes its cells fast)."""

    worksheet_class = FastSheet

    def add_worksheet(self, name=None, worksheet_class=None):
        sheet = super().add_worksheet(name, worksheet_class)
        page_setup(sheet)
        return sheet


def document_time(given: dt.datetime | None = None) -> dt.datetime:
    """When a file is made, as its properties and 数据说明 say: `given` (--generated-at), else
    SOURCE_DATE_EPOCH, else now. Byte-identical output comes from the first two only (the tests
    set SOURCE_DATE_EPOCH); a real run says when it ran."""
    if given is not None:
        return given
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime.now().replace(microsecond=0)


def new_workbook(path: Path, title: str, created: dt.datetime) -> Workbook:
    workbook = Workbook(str(path), WORKBOOK_OPTIONS)
    workbook.set_properties(
        {"title": title, "author": "excel-balance", "comments": f"excel-balance {__version__}", "created": created}
    )
    return workbook
