"""After `mutmut run`: the mutation score per mutated file, without the equivalent mutants.

Equivalent mutants (no test can tell them from the original) are listed with a one-line reason
in tests/mutation_equivalents.txt, one `name  reason` per line. Run from the project root.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

DETECTED = {"killed", "timeout", "caught by type check"}
EQUIVALENTS = Path(__file__).with_name("mutation_equivalents.txt")


def equivalents() -> dict[str, str]:
    listed = {}
    for line in EQUIVALENTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.strip().partition(" ")
            listed[name] = reason.strip()
    return listed


def main() -> int:
    files = sorted(str(p)[len("mutants/"):-len(".meta")] for p in Path("mutants").rglob("*.py.meta"))
    listed = equivalents()
    seen: set[str] = set()
    survivors: list[str] = []
    totals: Counter = Counter()
    print(f"{'file':<46}{'mutants':>8}{'killed':>8}{'equiv.':>8}{'survived':>9}{'score':>9}")
    for path in files:
        statuses = json.loads(Path("mutants", path + ".meta").read_text())["exit_code_by_key"]
        counts: Counter = Counter()
        for name, code in sorted(statuses.items()):
            status = status_by_exit_code[code]
            seen.add(name)
            if status in DETECTED:
                counts["killed"] += 1
            elif name in listed:
                counts["equivalent"] += 1
            else:
                counts["survived"] += 1
                survivors.append(f"{name}: {status}")
        counts["mutants"] = len(statuses)
        totals.update(counts)
        print(_row(path, counts))
    print(_row("total", totals))
    stale = sorted(set(listed) - seen)
    if stale:
        print(f"\n{EQUIVALENTS.name} names mutants this run did not make: {', '.join(stale)}")
    print(f"\nSurvivors ({len(survivors)}; `mutmut show NAME` prints the change):")
    print("\n".join(f"  {s}" for s in survivors) or "  none")
    return 0


def _row(label: str, c: Counter) -> str:
    judged = c["mutants"] - c["equivalent"]
    score = f"{100 * c['killed'] / judged:.1f}%" if judged else "—"
    return f"{label:<46}{c['mutants']:>8}{c['killed']:>8}{c['equivalent']:>8}{c['survived']:>9}{score:>9}"


if __name__ == "__main__":
    sys.exit(main())
