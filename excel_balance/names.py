"""Names taken from data (区县, 统计二级, units, schools) made safe for files and the console.

Workbooks and plans come from schools and offices; a name in them must never steer where a
file is written (`../x`, `a/b`), hide it (`.x`), break it on Windows (`CON`, `a:b`, 300
characters) or reach the terminal as an escape sequence. Every stage that turns data into a
path or a console line goes through here.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from pathlib import Path

MAX_COMPONENT = 60  # characters of one file or folder name made from data
MAX_PATH = 259  # Windows' MAX_PATH without the terminating NUL


class LongPath(UserWarning):
    """A path longer than Windows opens without long-path support; the CLI shows it in Chinese."""

# Zero-width characters and the bidi controls that make two names look the same.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_WINDOWS_INVALID = re.compile(r'[/\\:*?"<>|]')
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?$", re.IGNORECASE)


class OutsideFolder(Exception):
    """A path to be written does not lie inside its intended folder."""


def _visible(text: str) -> str:
    return _CONTROL.sub("", _INVISIBLE.sub("", text))


def safe_name(name: str, room: int = MAX_COMPONENT) -> str:
    """`name` as one file or folder name component (at most `room` characters), the same on
    Windows and Linux."""
    text = _visible(unicodedata.normalize("NFC", str(name)))
    text = _WINDOWS_INVALID.sub("_", text)
    text = text.lstrip(". ").rstrip(". ")
    if _RESERVED.match(text):
        text = "_" + text
    text = text[:room].rstrip(". ")
    return text or "_"


def file_name(name: str, rest: str) -> str:
    """A file name made of a name from data and our own `rest` (`_2022.xlsx`): the data part
    is cut so that the whole stays within 60 characters (255 bytes on Linux, even in CJK)."""
    return safe_name(name, max(MAX_COMPONENT - len(rest), 8)) + rest


def district_key(name: str) -> str:
    """What makes two district names the same district: `黔江区` and `黔江区` + a zero-width space
    are one; `甲/乙` and `甲_乙` stay two (no `_` replacement here)."""
    return _visible(unicodedata.normalize("NFKC", str(name))).strip()


def console_text(text: str) -> str:
    """A line for the terminal: control characters (ESC, CR, …) removed, tabs kept."""
    return _CONTROL.sub(lambda m: m[0] if m[0] == "\t" else "", str(text))


def child(folder: Path, *parts: str) -> Path:
    """`folder / parts…`, checked to lie inside `folder`."""
    return inside(folder, Path(folder).joinpath(*parts))


def inside(folder: Path, path: Path) -> Path:
    """`path` if it lies inside `folder` (after resolving `..` and links), else OutsideFolder.

    Warns when the full path is longer than Windows accepts without long-path support."""
    base = Path(folder).resolve()
    resolved = Path(path).resolve()
    if resolved != base and base not in resolved.parents:
        raise OutsideFolder(f"拒绝写入 {path}：不在文件夹 {folder} 之内")
    if len(str(resolved)) > MAX_PATH:
        warnings.warn(f"路径长度 {len(str(resolved))} 个字符，超过 Windows 的上限 {MAX_PATH}，在 Windows 上可能无法打开："
                      f"{resolved}（请把工作文件夹放在较短的路径下，例如 D:\\优质均衡）", LongPath, stacklevel=2)
    return path
