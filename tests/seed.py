"""Reads the plan document's text dump (tests/data/qianjiang_seed.txt) for comparisons.

The dump has one block per table row, separated by blank lines, one tab-prefixed line per cell.
Rows with 15 cells have a cell per level; rows with 9 cells have one cell for both levels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SEED = Path(__file__).parent / "data" / "qianjiang_seed.txt"


def norm(text) -> str:
    """Whitespace-normalised text (the dump pads cells with spaces and full-width spaces)."""
    return re.sub(r"\s+", "", str(text or ""))


@dataclass
class SeedRow:
    area: str
    text: str
    values: list[str]  # 12 cells: 现状 小学/初中, then 2020 小学/初中 … 2024 小学/初中
    units: list[str]


def _cells(block: str) -> list[str]:
    return [line[1:] if line.startswith("\t") else line for line in block.split("\n")]


def seed_rows() -> list[SeedRow]:
    blocks = SEED.read_text(encoding="utf-8").split("\n\n")
    rows = []
    for block in blocks[5:37]:
        cells = _cells(block)
        values = cells[2:-1]
        if len(values) == 6:
            values = [v for v in values for _ in range(2)]
        assert len(values) == 12, block
        rows.append(SeedRow(norm(cells[0]), norm(cells[1]), [norm(v) for v in values], cells[-1].split()))
    return rows


def seed_header() -> list[str]:
    blocks = SEED.read_text(encoding="utf-8").split("\n\n")
    return [norm(c) for b in blocks[2:5] for c in _cells(b) if norm(c)]


def seed_title() -> str:
    return norm(SEED.read_text(encoding="utf-8").split("\n\n")[1])


def seed_footnotes() -> list[str]:
    blocks = SEED.read_text(encoding="utf-8").split("\n\n")
    return [norm(blocks[i]) for i in (38, 39)] + [norm(_cells(blocks[40])[0])]
