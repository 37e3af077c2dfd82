"""End-to-end speed of `excel-balance run --force` against the import floor, in one run.

Times, alternating so that machine noise hits all alike:
  floor:    python -c "import pandas, xlsxwriter, python_calamine, click"
  sample:   excel-balance run --force on the bundled sample (4 years of 黔江区)
  district: excel-balance run --force on a generated district of 500 schools × 5 years
and prints each time and its ratio to the floor. Target: sample ≤ 2.0 × floor.
Run: .venv/bin/python bench/run_e2e.py
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from excel_balance.census.template import write_template
from excel_balance.plan import load_plan
from excel_balance.resources import default_plan_path
from excel_balance.sample import district_values

REPO = Path(__file__).resolve().parent.parent
EXE = [sys.executable, "-m", "excel_balance"]
REPEATS = 3


def generate_district(folder: Path, schools: int = 500, years: int = 5) -> None:
    plan = load_plan(default_plan_path())
    rng = random.Random(5)
    kinds = ["小学"] * 6 + ["初级中学"] * 2 + ["九年一贯制学校"]
    for offset in range(years):
        year = 2019 + offset
        rows = []
        for n in range(schools):
            kind = kinds[n % len(kinds)]
            primary = kind != "初级中学"
            junior = kind != "小学"
            students = {"students_primary": rng.randint(100, 1800) if primary else 0,
                        "students_junior": rng.randint(100, 1500) if junior else 0}
            row = {"school_id": f"{6000000000 + n}", "name": f"第{n + 1}学校", "school_type": kind, **students}
            for key in ("primary", "junior"):
                s = students[f"students_{key}"]
                row.update({f"classes_{key}": max(1, s // 40), f"oversize_{key}": rng.randint(0, 2) if s else 0,
                            f"qualified_{key}": int(s * rng.uniform(0.03, 0.08)),
                            f"key_{key}": int(s * rng.uniform(0.003, 0.015)),
                            f"pe_{key}": int(s * 0.004), f"music_{key}": int(s * 0.003), f"art_{key}": int(s * 0.003)})
            total = students["students_primary"] + students["students_junior"]
            row.update(teaching_area=round(total * rng.uniform(3.5, 7), 1), sports_area=round(total * rng.uniform(4, 12), 1),
                       equipment_value=round(total * rng.uniform(1200, 3200) / 10000, 2),
                       multimedia_rooms=max(1, int(total * rng.uniform(0.02, 0.035))), music_rooms=rng.randint(0, 3),
                       art_rooms=rng.randint(0, 3))
            rows.append(row)
        write_template(folder / f"生成区{year}年统计.xlsx", plan, year=year, district="黔江区", schools=rows,
                       recorded=district_values(min(year, 2022)))


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sample, district = Path(tmp) / "sample", Path(tmp) / "district"
        shutil.copytree(REPO / "inputs", sample / "inputs")
        (district / "inputs").mkdir(parents=True)
        generate_district(district / "inputs")
        times = {"floor": [], "sample": [], "district": []}
        for _ in range(REPEATS):
            times["floor"].append(timed([sys.executable, "-c", "import pandas, xlsxwriter, python_calamine, click"], REPO))
            times["sample"].append(timed([*EXE, "run", "--force"], sample))
            times["district"].append(timed([*EXE, "run", "--force"], district))
        floor = min(times["floor"])
        print(f"import floor: {floor:.3f} s (best of {REPEATS})")
        for name, label in (("sample", "bundled sample, 4 years"), ("district", "500 schools × 5 years")):
            best = min(times[name])
            print(f"run --force, {label}: {best:.3f} s, ratio {best / floor:.2f}")
        print("target: sample ratio <= 2.0")


if __name__ == "__main__":
    main()
