"""excel-balance.bat, the double-click launcher of the offline bundle, read as cmd.exe reads it."""

from __future__ import annotations

import fnmatch
import re
import shlex

from click.testing import CliRunner

from excel_balance.cli import cli
from tests.test_workflow import REPO
from tools.bundle import LAUNCHER, LAYOUT

BAT = (REPO / LAUNCHER).read_bytes()
LINES = BAT.decode("ascii").split("\r\n")


def test_ascii_with_crlf_line_endings():
    BAT.decode("ascii")  # raises on any other byte
    assert BAT.endswith(b"\r\n")
    assert BAT.count(b"\n") == BAT.count(b"\r\n") == len(LINES) - 1
    assert b"\r\r" not in BAT


def test_every_excel_balance_command_line_is_accepted_by_the_cli():
    commands = [line.split("-m excel_balance", 1)[1] for line in LINES if "-m excel_balance" in line]
    assert commands == [" run --open %*"]
    for command in commands:
        args = [a for a in shlex.split(command) if a != "%*"]
        result = CliRunner().invoke(cli, [*args, "--help"])
        assert result.exit_code == 0, (command, result.output)


def test_every_message_is_chinese_printed_by_python():
    echoed = [line for line in LINES if line.lstrip().lower().startswith("echo ") and "off" not in line]
    assert echoed == ["echo Python 3.11+ was not found. Install guide:"]  # no Python to print Chinese
    messages = re.findall(r"print\('([^']*)'", BAT.decode("ascii"))
    texts = [m.encode("ascii").decode("unicode_escape") for m in messages]
    assert texts[1] == "首次使用：正在建立运行环境（.venv 文件夹），需要几分钟，请稍候……"
    assert texts[0].startswith("找到的 Python 是 {} 版，本工具需要 Python 3.11 或更新版本")
    assert len(texts) == 4 and all(re.search(r"[\u4e00-\u9fff]", t) for t in texts)


def _named_paths() -> set[str]:
    """The files and folders the launcher names, in cmd's own spelling (comments aside)."""
    names = set()
    for line in LINES:
        if line.lstrip().lower().startswith("rem "):
            continue
        names.update(q for q in re.findall(r'"([^"]*)"', line) if re.fullmatch(r"[\w.~%\\*-]+", q))
        names.update(re.findall(r"--find-links (\S+)", line))
    return {n.replace("%~dp0", "").replace("\\", "/").rstrip("/") for n in names} - {"%%F", ""}  # "" is %~dp0, the folder itself


def test_every_path_it_names_is_in_the_bundle_or_made_by_it():
    named = _named_paths()
    assert named == {"wheels", "*.txt", "setup.cfg", ".venv", ".venv/Scripts/python.exe"}
    layout = {p.rstrip("/") for p in LAYOUT}
    for path in named - {"setup.cfg", ".venv", ".venv/Scripts/python.exe"}:
        assert any(fnmatch.fnmatch(item, path) for item in layout), path
    assert fnmatch.filter(layout, "*.txt") == ["安装说明.txt"]  # the guide shown when Python is missing
    assert (REPO / "setup.cfg").exists()  # the source-checkout route, when no wheels/ lies beside it


# --- the bundle's dependency check, per target system and Python -----------------------------------------

import zipfile  # noqa: E402

from tools.bundle import unmet  # noqa: E402


def _wheel(folder, filename: str, *requires: str) -> None:
    name, version = filename.split("-")[:2]
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(
        f"Requires-Dist: {r}\n" for r in requires) + "\nA description.\nRequires-Dist: not-a-header\n"
    with zipfile.ZipFile(folder / filename, "w") as archive:
        archive.writestr(f"{name}-{version}.dist-info/METADATA", metadata)


def test_the_bundle_check_evaluates_markers_and_tags_for_each_target(tmp_path):
    _wheel(tmp_path, "excel_balance-0.1.0-py3-none-any.whl", "numpy>=2", 'colorama; sys_platform == "win32"')
    _wheel(tmp_path, "numpy-2.1.0-cp312-cp312-win_amd64.whl", 'tzdata; python_version < "3.12"')
    _wheel(tmp_path, "numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
    _wheel(tmp_path, "numpy-1.9.0-cp311-cp311-win_amd64.whl")
    assert [str(r) for r in unmet(tmp_path, "Windows", "3.12")] == ['colorama; sys_platform == "win32"']
    assert unmet(tmp_path, "Linux", "3.12") == []
    assert sorted(str(r) for r in unmet(tmp_path, "Windows", "3.11")) == ['colorama; sys_platform == "win32"',
                                                                       "numpy>=2"]  # 1.9 is too old
    assert [str(r) for r in unmet(tmp_path, "Linux", "3.13")] == ["numpy>=2"]  # no cp313 wheel
    _wheel(tmp_path, "colorama-0.4.6-py2.py3-none-any.whl")
    assert unmet(tmp_path, "Windows", "3.12") == []
