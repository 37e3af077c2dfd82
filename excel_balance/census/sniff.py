"""What a file really is, judged by its bytes, and whether it is safe to parse.

Runs before any spreadsheet library touches the file: renamed files are recognised, encrypted
workbooks and zip bombs are refused with a message staff can act on (what an .xlsx would make
its reader allocate, and XML entity tricks, are measured next, in bounds.py).
"""

from __future__ import annotations

import zipfile
from enum import Enum
from pathlib import Path

DEFAULT_SIZE_LIMIT = 200 * 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class Format(Enum):
    XLSX = "xlsx"
    XLS = "xls"


class UnreadableFile(Exception):
    """The file cannot be read as a workbook; the message says why and what to do, in Chinese."""


WORKBOOK_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".et")


def is_ignored(path: Path) -> bool:
    """Excel/WPS lock files (~$…) and hidden files are never inputs."""
    return path.name.startswith(("~$", "."))


def workbooks_in(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The workbooks of a folder, in name order, and the files passed over with why. A workbook
    is recognised by its extension, or by its content when it was renamed (an .xlsx saved under
    another name). Every command that takes a folder finds its files here."""
    found, passed = [], []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        if is_ignored(path):
            passed.append((path, "临时文件或隐藏文件"))
        elif path.suffix.lower() in WORKBOOK_SUFFIXES or _is_xlsx(path):
            found.append(path)
        else:
            passed.append((path, "不是 Excel 工作簿"))
    return found, passed


def _is_xlsx(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            if not handle.read(4).startswith(ZIP_MAGIC):
                return False
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def sniff(path: Path, size_limit: int = DEFAULT_SIZE_LIMIT) -> Format:
    """The workbook format of `path`, or UnreadableFile with the reason."""
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except FileNotFoundError as exc:
        raise UnreadableFile("找不到文件") from exc
    except PermissionError as exc:
        raise UnreadableFile("没有读取权限（文件可能正被其他程序独占打开）") from exc
    except OSError as exc:
        raise UnreadableFile(f"无法打开文件（{exc.strerror or exc}）") from exc
    if not head:
        raise UnreadableFile("文件是空的（0字节），请重新复制或导出")
    if head.startswith(ZIP_MAGIC):
        _check_zip(path, size_limit)
        return Format.XLSX
    if head.startswith(OLE_MAGIC):
        if _is_encrypted(path):
            raise UnreadableFile("工作簿设有打开密码，无法读取：请在 Excel 中取消密码（文件→信息→保护工作簿）后另存，再放入")
        return Format.XLS
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        raise UnreadableFile("不是真正的 Excel 工作簿，而是改了扩展名的网页（HTML/XML）文件：请在 Excel 中打开后“另存为”Excel 工作簿（.xlsx）")
    if _looks_like_text(head):
        raise UnreadableFile("不是 Excel 工作簿，而是文本（CSV）文件：请在 Excel 中打开后“另存为”Excel 工作簿（.xlsx）")
    raise UnreadableFile("无法识别的文件格式，不是 Excel 工作簿（.xlsx 或 .xls）")


def _looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return False


def _is_encrypted(path: Path) -> bool:
    import msoffcrypto

    try:
        with path.open("rb") as handle:
            return bool(msoffcrypto.OfficeFile(handle).is_encrypted())
    except Exception:  # not an Office file msoffcrypto knows: let the reader judge it
        return False


def _check_zip(path: Path, size_limit: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise UnreadableFile("是压缩文件，但不是 Excel 工作簿（.xlsx）")
            declared = sum(m.file_size for m in members)
            if declared > size_limit:
                raise UnreadableFile(
                    f"解压后大小为 {declared / 1024 / 1024:.0f} MB，超过上限 {size_limit / 1024 / 1024:.0f} MB，"
                    "为安全起见不予读取：请确认文件来源，或删去无关工作表后再试"
                )
            # XML entity tricks are looked for in every part, whole, by bounds.check_xlsx.
    except zipfile.BadZipFile as exc:
        raise UnreadableFile("文件已损坏或不完整（可能复制中断）：请重新复制或导出") from exc
