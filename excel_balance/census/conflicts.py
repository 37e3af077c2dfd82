"""One rule for the same data found twice (a school in two exports of one level and year, a
census of one district and year in two files): never a silent choice, never one that depends on
how the files are named.

- identical: one is used, with a note;
- different: the file modified most recently wins, with a warning naming both files, their rows
  and modification times;
- different but modified within 2 seconds of each other: neither can be trusted over the
  other, both are refused and staff are told to delete the outdated one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from excel_balance.problems import Problem, Severity

SAME_TIME = 2.0  # seconds: file systems (FAT, network shares) keep times this coarsely


@dataclass(frozen=True)
class Copy:
    """One of the two: its file, where in it (基层表!第12行) and the file's modification time."""

    file: str
    where: str
    mtime: float

    def __str__(self) -> str:
        stamp = dt.datetime.fromtimestamp(self.mtime).strftime("%Y-%m-%d %H:%M:%S")
        place = f"{self.file} {self.where}" if self.where else self.file
        return f"{place}（修改于 {stamp}）"


@dataclass(frozen=True)
class Decision:
    kept: Copy | None  # None: both refused
    problem: Problem


def decide(what: str, first: Copy, second: Copy, identical: bool) -> Decision:
    """Which copy of `what` (学校标识码5001140001（小学）) to use, and what to tell staff."""
    if identical:
        kept = max(first, second, key=lambda c: (c.mtime, c.file, c.where))  # the same whichever is asked first
        return Decision(kept, Problem(kept.file, kept.where, f"{what}在 {first}和 {second}中相同，只计一次",
                                      Severity.NOTE))
    newer, older = (first, second) if first.mtime >= second.mtime else (second, first)
    if newer.mtime - older.mtime < SAME_TIME:
        return Decision(None, Problem(newer.file, newer.where,
                                      f"{what}在 {first}和 {second}中不同，两个文件几乎同时修改，无法判断哪个是新的："
                                      f"请删除 {first.file} 和 {second.file} 中过时的一个后再运行"))
    return Decision(newer, Problem(newer.file, newer.where,
                                   f"{what}在 {newer}和 {older}中不同：使用较新修改的 {newer.file}；"
                                   f"如不对，请删除或更正 {newer.file}", Severity.WARNING))
