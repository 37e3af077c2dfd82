"""What a workbook can make its reader allocate, measured before the reader sees it.

calamine (Rust) sizes its grid by the largest cell reference present and its string table by the
count the file declares; a failed allocation aborts the whole process (no exception to catch).
So an .xlsx is streamed here first, a few MB at a time: every XML part is searched for a DTD,
each sheet's rows and cells are counted and its references beyond the limits looked for, and
the shared-string table's declared count is compared with the strings it holds.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from dataclasses import dataclass

from excel_balance.census.grid import column_letter

CHUNK = 4 * 1024 * 1024
AREA_FLOOR = 5_000_000  # cells of a grid always allowed, however sparse
AREA_PER_CELL = 20  # beyond the floor, a grid may be at most this many times the cells present
_DTD = (b"<!DOCTYPE", b"<!ENTITY")
_SST_COUNT = re.compile(rb'uniqueCount="(\d+)"')


class TooLarge(Exception):
    """The workbook would make the reader allocate more than the limits allow (Chinese message)."""


@dataclass(frozen=True)
class ReadLimits:
    """Defaults admit any real file: a county census is under 2,000 rows, a province export
    under 100,000. EXCEL_BALANCE_MAX_ROWS / EXCEL_BALANCE_MAX_COLUMNS override them."""

    rows: int = 1_000_000
    columns: int = 200

    @classmethod
    def from_environment(cls) -> "ReadLimits":
        values = {}
        for field_name, variable in (("rows", "EXCEL_BALANCE_MAX_ROWS"), ("columns", "EXCEL_BALANCE_MAX_COLUMNS")):
            text = os.environ.get(variable, "").strip()
            if text:
                if not text.isdigit() or int(text) < 1:
                    raise TooLarge(f"环境变量 {variable} 的值“{text}”不是正整数")
                values[field_name] = int(text)
        return cls(**values)


def _greater_column(limit: int) -> bytes:
    """A regex matching the column letters beyond column number `limit` (1-based)."""
    letters = column_letter(limit - 1).encode()
    options = [rb"[A-Z]{%d,}" % (len(letters) + 1)]
    for i, letter in enumerate(letters):
        if letter != ord("Z"):
            options.append(letters[:i] + b"[%s-Z]" % bytes([letter + 1]) + b"[A-Z]" * (len(letters) - i - 1))
    return rb"(?:" + b"|".join(options) + rb")(?=\d)"


def _stream(archive: zipfile.ZipFile, member: zipfile.ZipInfo):
    """The part's bytes in chunks that end after a '>' (no tag is cut in two)."""
    tail = b""
    with archive.open(member) as part:
        while block := part.read(CHUNK):
            data = tail + block
            cut = data.rfind(b">") + 1
            if cut == 0:
                tail = data
                continue
            yield data[:cut]
            tail = data[cut:]
    if tail:
        yield tail


def check_xlsx(archive: zipfile.ZipFile, limits: ReadLimits, sheet_names: dict[str, str]) -> None:
    """TooLarge naming the sheet, what was found and the limit; ValueError for a DTD or damage.
    `sheet_names`: sheet part → the name staff see."""
    for member in archive.infolist():
        name = member.filename
        if not name.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            if name.startswith("xl/worksheets/"):
                _check_sheet(archive, member, limits, sheet_names.get(name, name))
            elif name == "xl/sharedStrings.xml":
                _check_strings(archive, member)
            else:
                for chunk in _stream(archive, member):
                    _check_dtd(name, chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ValueError(f"工作簿的 {name} 已损坏（{exc}）：请重新复制或导出") from None


def _check_dtd(name: str, chunk: bytes) -> None:
    if b"<!" in chunk and any(marker in chunk for marker in _DTD):  # one pass in the common case
        raise ValueError(f"工作簿的 {name} 含有 XML 实体声明（DTD），可能是恶意构造的文件，不予读取")


def _check_strings(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    declared = counted = 0
    for chunk in _stream(archive, member):
        _check_dtd(member.filename, chunk)
        if not declared and (match := _SST_COUNT.search(chunk)):
            declared = int(match[1])
        counted += chunk.count(b"<si>") + chunk.count(b"<si ") + chunk.count(b":si>") + chunk.count(b":si ")
    if declared > counted:
        raise TooLarge(f"共享字符串表声明有 {declared} 个字符串，实际只有 {counted} 个：文件已损坏或是恶意构造的，不予读取")


def _check_sheet(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: ReadLimits, sheet: str) -> None:
    """Rows × columns of the grid calamine will build, against the limits and the cells present."""
    what = f"工作表“{sheet}”"
    rows = cells = height = 0
    beyond_column = re.compile(rb' r="(' + _greater_column(limits.columns) + rb')(\d+)"')
    prefix = None
    for chunk in _stream(archive, member):
        _check_dtd(member.filename, chunk)
        if prefix is None:  # some systems write <x:row>, <x:c>
            root = re.search(rb"<(\w+:)?worksheet\b", chunk)
            prefix = b"<" + ((root[1] or b"") if root else b"")
            row_tag = re.compile(re.escape(prefix) + rb'row\b[^>]*?\sr="(\d+)"')
        rows += chunk.count(prefix + b"row")  # also <rowBreaks>, once: an upper bound is enough
        cells += chunk.count(prefix + b"c ")
        height = max(height, max(map(int, row_tag.findall(chunk)), default=0))
        # A cell may name a row far below its own <row>: look for references with more digits.
        for match in re.finditer(rb' r="[A-Z]{1,3}(\d{%d,})"' % (len(str(height)) + 1), chunk):
            height = max(height, int(match[1]))
        if match := beyond_column.search(chunk):
            raise TooLarge(f"{what}有 {match[1].decode()} 列的单元格（{(match[1] + match[2]).decode()}），超过上限 {limits.columns} 列"
                           f"（{column_letter(limits.columns - 1)} 列），不予读取（上限可用环境变量 EXCEL_BALANCE_MAX_COLUMNS 调整）")
    height = max(height, rows)
    if height > limits.rows:
        raise TooLarge(f"{what}有第 {height} 行，超过上限 {limits.rows} 行，不予读取（上限可用环境变量 EXCEL_BALANCE_MAX_ROWS 调整）")
    allowed = max(AREA_FLOOR, AREA_PER_CELL * cells)
    if height * limits.columns <= allowed:
        return
    # Tall and sparse: the real width decides (a second look, needed only for such sheets).
    width = max(allowed // height, 1)
    wider = re.compile(rb' r="(' + _greater_column(width) + rb')(\d+)"')
    for chunk in _stream(archive, member):
        if match := wider.search(chunk):
            raise TooLarge(f"{what}的范围达到第 {height} 行，又宽过 {match[1].decode()} 列，却只有 {cells} 个单元格有内容："
                           "读取会占用过多内存。请删去远处的零散单元格（例如最后几行）后另存")
