"""An unexpected internal error: its traceback kept in a log for the maintainers, a Chinese line
for staff, and the run carried on with the next file or district."""

from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path

from excel_balance.problems import Problem

ERROR_LOG = "excel-balance-错误日志.txt"


def record(folder: Path, file: str, trace: str | None = None) -> Problem:
    """Append `trace` (default: the exception being handled) to folder/ERROR_LOG; the problem to show."""
    trace = trace or traceback.format_exc()
    log = Path(folder) / ERROR_LOG
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"=== {dt.datetime.now():%Y-%m-%d %H:%M:%S} {file}\n{trace}\n")
        kept = f"详情已写入 {log}"
    except OSError as exc:  # the log cannot be written either: say so, never fail on it
        kept = f"错误日志也无法写入（{exc.strerror or exc}）"
    return Problem(file, "", f"程序内部错误，未能处理（{kept}）：请把该文件和错误日志发给维护人员")
