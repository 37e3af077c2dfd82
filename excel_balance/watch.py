"""`excel-balance watch`: run whenever a workbook in inputs/ is added or changed.

Polling, not file-system events: it works the same on local disks, USB sticks and network
shares, where change notifications are unreliable. A changed file is processed only once it has
stopped growing (the same size and time stamp on two polls in a row), so a slow copy is never
read half way through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import Callable

from excel_balance.census.sniff import WORKBOOK_SUFFIXES, is_ignored

Stamp = tuple[int, int]  # size, modification time (ns)


@dataclass
class Watcher:
    """Call `poll()` at intervals: it returns the lines to show and calls `run` when a change
    has settled. What is in the folder at start counts as a change."""

    inputs: Path
    run: Callable[[], list[str]]
    processed: dict[Path, Stamp] = field(default_factory=dict)  # stamps the last run saw
    last: dict[Path, Stamp] = field(default_factory=dict)  # stamps of the previous poll
    announced: set[Path] = field(default_factory=set)

    def snapshot(self) -> dict[Path, Stamp]:
        stamps = {}
        for path in sorted(self.inputs.iterdir()):
            if not is_ignored(path) and path.suffix.lower() in WORKBOOK_SUFFIXES:
                try:
                    stat = path.stat()
                except OSError:  # removed between listing and looking: gone
                    continue
                if S_ISREG(stat.st_mode):
                    stamps[path] = (stat.st_size, stat.st_mtime_ns)
        return stamps

    def poll(self) -> list[str]:
        lines: list[str] = []
        current = self.snapshot()
        changed = [p for p, stamp in current.items() if self.processed.get(p) != stamp]
        for path in changed:
            if path not in self.announced:
                kind = "改动的" if path in self.processed else "新"
                lines.append(f"发现{kind}文件：{path.name}，等待写入完成…")
                self.announced.add(path)
        growing = [p for p in changed if self.last.get(p) != current[p]]
        removed = [p for p in self.processed if p not in current]
        for path in removed:
            lines.append(f"文件已移走：{path.name}")
            del self.processed[path]
        self.last = current
        if (changed or removed) and not growing:
            names = "、".join(p.name for p in changed) or "（文件移走）"
            lines.append(f"写入完成：{names}，开始处理")
            lines += self.run()
            self.processed.update({p: current[p] for p in changed})
            self.announced.clear()
        return lines
