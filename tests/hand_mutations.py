"""The rule mutations of issue 25's audit that once survived every test: each must now be killed.

mutmut's operators do not make all of them (`met < total - 1`, `and` → `or`), so `make mutation`
also applies each one to a copy of the project and runs the evaluation tests there. Run from
the project root; exits non-zero when a mutation survives.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TESTS = ["tests/test_evaluate.py", "tests/test_boundaries.py"]

# (survivor number in the issue, file, the function the change is made in, original, mutation)
MUTATIONS = [
    (1, "evaluate/judge.py", "def veto_present", '("存在", "有", "是", "未达标")', '("存在", "是")'),
    (2, "evaluate/__init__.py", "def overall_verdict", "if total and met < total:", "if total and met < total - 1:"),
    (2, "evaluate/__init__.py", "def overall_verdict", "elif present is None:", "elif False:"),
    (2, "evaluate/__init__.py", "def overall_verdict", "elif not value.cv_ok:", "elif False:"),
    (3, "evaluate/resources.py", "def level_indicator", "cv_shown <= threshold", "cv_shown < threshold"),
    # Since issue 19, G9's 学时 and S1's survey percentage are their measures' one input: measured.py
    # decides them (judge_number and judge_qualitative no longer see a number for either).
    (4, "evaluate/measured.py", "def _judge", "headline.value >= target.value", "headline.value > target.value"),
    (4, "evaluate/measured.py", "def _part", "standard = part.standard(level)", "standard = None"),
    (5, "evaluate/measured.py", "def _part", "number >= standard", "number > standard"),
    (6, "evaluate/judge.py", "def judge_count", "level_result.total > 0", "level_result.total > 1"),
    (6, "evaluate/judge.py", "def judge_paired", "conditions.total > 0", "conditions.total > 1"),
    (7, "evaluate/judge.py", "def judge_paired", "music_met == total and", "music_met == total or"),
    (8, "evaluate/judge.py", "def _judge_word", '.get(column.level) == "无"', '.get(column.level) != "无"'),
    (9, "evaluate/judge.py", "def judge_percent", "percent_near(actual, target.value, decimals, margin)",
     "percent_near(actual, target.value, None, margin)"),
    (9, "evaluate/judge.py", "def judge_percent", "None if exact else percent_decimals(standard, decimals_of(standard))",
     "None"),
    (10, "census/scope.py", "def small_teaching_point", "return students < threshold",
     "return students <= threshold"),
    (10, "evaluate/school_conditions.py", "def within_size", "<= size_limit(school, settings)",
     "< size_limit(school, settings)"),
    (11, "evaluate/resources.py", "def numerator", "if settings.refinements.net_indoor_sports else 0.0",
     "if True else 0.0"),
    (12, "evaluate/judge.py", "def _judge_word", "text = recorded.text +", "text = expected +"),
]


def mutate(source: str, function: str, original: str, mutation: str) -> str:
    """`source` with `original` replaced once inside `function` (whose text must contain it)."""
    start = source.index(function)
    at = source.index(original, start)
    return source[:at] + mutation + source[at + len(original):]


def _pytest(work: Path) -> subprocess.CompletedProcess:
    """The evaluation tests on the copy in `work`, stopping at the first failure."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-rf", "-p", "no:randomly", "-p", "no:cacheprovider", *TESTS]
    return subprocess.run(command, cwd=work, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(work)})


def main() -> int:
    root = Path.cwd()
    survivors = []
    with tempfile.TemporaryDirectory(prefix="hand-mutations-") as tmp:
        work = Path(tmp)
        for folder in ("excel_balance", "templates", "tests"):
            shutil.copytree(root / folder, work / folder, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(root / "setup.cfg", work / "setup.cfg")
        if _pytest(work).returncode != 0:
            print("the unmutated copy fails its tests: nothing to compare with")
            return 2
        for number, file, function, original, mutation in MUTATIONS:
            path = work / "excel_balance" / file
            pristine = path.read_text(encoding="utf-8")
            path.write_text(mutate(pristine, function, original, mutation), encoding="utf-8")
            run = _pytest(work)
            path.write_text(pristine, encoding="utf-8")
            verdict = "killed" if run.returncode == 1 else ("SURVIVED" if run.returncode == 0 else f"error {run.returncode}")
            killer = next((line.split()[1] for line in run.stdout.splitlines() if line.startswith("FAILED ")), "")
            print(f"{number:>2}  {verdict:<9} {file}: {original} → {mutation}")
            if killer:  # pytest escapes the Chinese of parameter ids
                print(f"              by {killer.encode('ascii', 'backslashreplace').decode('unicode_escape')}")
            if verdict != "killed":
                survivors.append(number)
    print(f"\n{len(MUTATIONS) - len(survivors)} of {len(MUTATIONS)} of the audit's surviving mutations killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
