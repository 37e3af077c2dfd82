"""Opening a workbook from an untrusted source without letting it take the process down.

Every reader goes through `open_workbook`: the file is sniffed, an .xlsx is measured (bounds.py)
before python-calamine sees it, and a legacy .xls is read with xlrd, pure Python, which raises
where calamine would abort on a damaged file. Both give the same small interface (sheet names,
a sheet's grid of plain Python values and its merged ranges).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import python_calamine
from defusedxml import ElementTree

from excel_balance.census.bounds import AREA_FLOOR, AREA_PER_CELL, ReadLimits, TooLarge, check_xlsx
from excel_balance.census.sniff import DEFAULT_SIZE_LIMIT, Format, UnreadableFile, sniff

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML: a report could not hold them
WORKSHEET = python_calamine.SheetTypeEnum.WorkSheet


def open_workbook(path: Path, limits: ReadLimits | None = None, size_limit: int = DEFAULT_SIZE_LIMIT):
    """(format, workbook) of `path`, or UnreadableFile saying why in Chinese."""
    fmt = sniff(path, size_limit)
    try:
        limits = limits or ReadLimits.from_environment()
        if fmt is Format.XLS:
            return fmt, XlsWorkbook.read(path, limits)
        with zipfile.ZipFile(path) as archive:
            check_xlsx(archive, limits, _names_or_nothing(archive))
        with path.open("rb") as handle:
            return fmt, python_calamine.CalamineWorkbook.from_filelike(handle)
    except (TooLarge, ValueError) as exc:
        raise UnreadableFile(str(exc)) from None
    except python_calamine.PasswordError:
        raise UnreadableFile("工作簿设有密码保护，无法读取：请取消密码后另存") from None
    except (python_calamine.CalamineError, zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFile(f"文件已损坏或不完整，无法读取（{exc}）：请重新复制或导出") from None


class _Meta:
    typ = WORKSHEET

    def __init__(self, name: str):
        self.name = name


class XlsSheet:
    def __init__(self, sheet, datemode: int):
        self.name = sheet.name
        self._sheet, self._datemode = sheet, datemode
        # xlrd: (first row, last row + 1, first col, last col + 1); calamine: inclusive corners
        self.merged_cell_ranges = [((r0, c0), (r1 - 1, c1 - 1)) for r0, r1, c0, c1 in sheet.merged_cells]

    def to_python(self, skip_empty_area: bool = False) -> list[list]:
        sheet = self._sheet
        return [[self._value(sheet.cell_type(r, c), sheet.cell_value(r, c)) for c in range(sheet.ncols)]
                for r in range(sheet.nrows)]

    def _value(self, kind: int, value):
        import xlrd

        if kind == xlrd.XL_CELL_TEXT:
            return _CONTROL.sub("", value)
        if kind == xlrd.XL_CELL_NUMBER:
            return float(value)
        if kind == xlrd.XL_CELL_DATE:
            try:
                moment = xlrd.xldate.xldate_as_datetime(value, self._datemode)
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return float(value)
            return moment.date() if moment.time() == dt.time() else moment
        if kind == xlrd.XL_CELL_BOOLEAN:
            return bool(value)
        if kind == xlrd.XL_CELL_ERROR:
            return xlrd.error_text_from_code.get(value, "#错误")
        return ""


class XlsWorkbook:
    """A legacy .xls read by xlrd, shaped like a python-calamine workbook."""

    def __init__(self, book):
        self._book = book
        self.sheet_names = book.sheet_names()
        self.sheets_metadata = [_Meta(name) for name in self.sheet_names]

    @classmethod
    def read(cls, path: Path, limits: ReadLimits) -> "XlsWorkbook":
        import xlrd

        try:
            book = xlrd.open_workbook(file_contents=path.read_bytes(), formatting_info=True)
        except OSError:
            raise
        except Exception as exc:  # pure Python: any failure of a damaged file surfaces here
            raise UnreadableFile(f"文件已损坏或不完整，无法读取（{type(exc).__name__}: {exc}）：请重新复制或导出") from None
        for sheet in book.sheets():
            if sheet.nrows > limits.rows or sheet.ncols > limits.columns:
                raise TooLarge(f"工作表“{sheet.name}”有 {sheet.nrows} 行 × {sheet.ncols} 列，超过上限 "
                               f"{limits.rows} 行 × {limits.columns} 列，不予读取")
            present = sum(sheet.row_len(r) - list(sheet.row_types(r)).count(xlrd.XL_CELL_EMPTY) for r in range(sheet.nrows))
            if sheet.nrows * sheet.ncols > max(AREA_FLOOR, AREA_PER_CELL * present):
                raise TooLarge(f"工作表“{sheet.name}”的范围为 {sheet.nrows} 行 × {sheet.ncols} 列，只有 {present} 个单元格有内容")
        return cls(book)

    def __enter__(self) -> "XlsWorkbook":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._book.release_resources()

    def get_sheet_by_name(self, name: str) -> XlsSheet:
        return XlsSheet(self._book.sheet_by_name(name), self._book.datemode)

    def get_sheet_by_index(self, index: int) -> XlsSheet:
        return XlsSheet(self._book.sheet_by_index(index), self._book.datemode)


def _names_or_nothing(archive: zipfile.ZipFile) -> dict[str, str]:
    try:
        return xlsx_sheet_parts(archive)
    except Exception:  # damaged or hostile workbook.xml: the check names parts instead
        return {}


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheet names, a cheap look (no sheet is parsed); [] if it is unreadable."""
    try:
        fmt = sniff(path)
        if fmt is Format.XLS:
            import xlrd

            return xlrd.open_workbook(file_contents=path.read_bytes(), on_demand=True).sheet_names()
        with zipfile.ZipFile(path) as archive:
            return list(xlsx_sheet_parts(archive).values())
    except Exception:  # damaged in any way: the reader will say why
        return []


def xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet part (xl/worksheets/sheet1.xml) → sheet name, in the workbook's order."""
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    parts = {}
    for sheet in workbook.iter(f"{ns_main}sheet"):
        target = targets.get(sheet.get(f"{ns_rel}id"), "")
        parts["xl/" + target.lstrip("/").removeprefix("xl/")] = sheet.get("name")
    return parts
