"""Reports as PDF, printed by LibreOffice (staff submit them upward as PDF).

LibreOffice prints each sheet as the workbook sets it up (A3 landscape, fitted, print titles), so
the PDF is what Excel or WPS would print. It runs headless with a private profile (a user's open
LibreOffice, or another conversion, would otherwise take the request or lock the profile) and a
timeout; each PDF replaces the old one in one step.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from excel_balance.atomic import atomic_path

# Where the Windows installers put it; LibreOffice does not add itself to PATH there.
WINDOWS_PATHS = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
TIMEOUT = 180  # seconds per workbook: a 40-page report takes some 10 s
NOT_FOUND = ("未找到 LibreOffice，未生成 PDF（报告工作簿已照常生成）：可安装 LibreOffice 后重新运行；"
             "或在 Excel/WPS 中打开报告，打印整个工作簿为 PDF（纸张 A3 横向，各表已设好打印区域和缩放，"
             "不要改为“无缩放”），见 README“打印与 PDF”")


class NoLibreOffice(Exception):
    """LibreOffice is neither on PATH nor in the usual Windows install folders."""


class ConversionFailed(Exception):
    """LibreOffice ran but wrote no PDF, or did not finish in time; the message says which, in Chinese."""


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((path for path in WINDOWS_PATHS if Path(path).is_file()), None)


def pdf_path(workbook: Path) -> Path:
    return Path(workbook).with_suffix(".pdf")


def write_pdfs(workbooks: list[Path], timeout: float | None = None) -> dict[Path, Path | ConversionFailed]:
    """Print each workbook to a PDF beside it, in one LibreOffice run; per workbook its PDF or why
    not. Raises NoLibreOffice when it cannot be found; `timeout` per workbook, TIMEOUT by default."""
    soffice = find_soffice()
    if soffice is None:
        raise NoLibreOffice()
    if not workbooks:
        return {}
    results: dict[Path, Path | ConversionFailed] = {}
    with tempfile.TemporaryDirectory(prefix="excel-balance-pdf-") as scratch:
        scratch = Path(scratch)
        # Copies under plain names: the command line then carries no Chinese file names (the
        # Windows console's code page), and LibreOffice never writes beside the user's files.
        copies = []
        for n, workbook in enumerate(workbooks):
            copies.append(scratch / f"{n}.xlsx")
            shutil.copyfile(workbook, copies[-1])
        out = scratch / "pdf"
        failure = _convert(soffice, copies, scratch / "profile", out, (timeout or TIMEOUT) * len(workbooks))
        for n, workbook in enumerate(workbooks):
            printed = out / f"{n}.pdf"
            if failure or not printed.is_file():
                results[workbook] = ConversionFailed(failure or f"LibreOffice 未能把 {workbook.name} 转换为 PDF")
                continue
            target = pdf_path(workbook)
            try:
                with atomic_path(target) as tmp:
                    shutil.copyfile(printed, tmp)
            except OSError as exc:
                results[workbook] = ConversionFailed(f"无法写入 {target}：{exc.strerror or exc}（文件是否正在打开？）")
                continue
            results[workbook] = target
    return results


def _convert(soffice: str, files: list[Path], profile: Path, out: Path, timeout: float) -> str:
    """Run LibreOffice; an empty string when it finished, else why not."""
    command = [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", "pdf", "--outdir", str(out), *map(str, files)]
    # A session (POSIX) or process group (Windows) of its own: on a timeout the launcher and the
    # soffice.bin it starts are stopped together.
    options = {"start_new_session": True} if os.name == "posix" else \
        {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    try:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **options)
    except OSError as exc:
        return f"无法启动 LibreOffice（{soffice}）：{exc.strerror or exc}"
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        return f"LibreOffice 在 {timeout:g} 秒内未完成转换，已停止：请关闭其他 LibreOffice 窗口后重试"
    if process.returncode:
        detail = err.decode("utf-8", "replace").strip().splitlines()
        return f"LibreOffice 转换失败（退出码 {process.returncode}{'：' + detail[-1] if detail else ''}）"
    return ""


def _stop(process: subprocess.Popen) -> None:
    if os.name == "posix":
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    else:
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True)
    process.wait()
