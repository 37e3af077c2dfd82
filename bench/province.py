"""A province-scale run against its floor, in one run, with the job's peak resident memory.

Generates a census in the export form (a 小学 and a 中学 基层表, about 40,000 school rows over both
levels, 150 districts, one year) with each district's supplement (`excel-balance supplement`'s
workbooks, filled), then times `excel-balance run --force` on it, and the floor:
python-calamine reading the same two files plus XlsxWriter in constant-memory mode writing,
without formats, as many cells as the reports' 学校明细 sheets hold. Prints the ratio of the job
to the floor (target ≤ 2.0) and the job's peak resident memory, summed over its processes
(target ≤ 1.5 GB). Run: .venv/bin/python bench/province.py
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import python_calamine
import xlsxwriter

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from excel_balance.census.exports import read_export, write_supplements  # noqa: E402
from excel_balance.plan import load_plan  # noqa: E402
from excel_balance.resources import template_path  # noqa: E402
from tests.export_data import fill_supplement, write_export  # noqa: E402  (the exports the tests build, at scale)

DISTRICTS = 150
PER_DISTRICT = {"小学": 170, "初级中学": 50, "九年一贯制学校": 25}
DETAIL_COLUMNS = 42  # columns of the 学校明细 sheet: the floor writes its cells in rows this wide
ROUNDS = 3


def generate(folder: Path) -> int:
    """Write the two exports; return the number of school sections."""
    rng = random.Random(11)
    rows, sections = [], 0
    for d in range(DISTRICTS):
        district = f"第{d + 1:03d}区"
        for kind, count in PER_DISTRICT.items():
            for n in range(count):
                primary = kind != "初级中学"
                junior = kind != "小学"
                sp = rng.randint(80, 1800) if primary else 0
                sj = rng.randint(100, 1500) if junior else 0
                total = sp + sj
                rows.append({
                    "school_id": f"{5000000000 + len(rows)}", "name": f"{district}{kind}{n + 1}", "school_type": kind,
                    "district": district, "students_primary": sp, "students_junior": sj,
                    "classes_primary": max(1, sp // 40) if sp else 0, "classes_junior": max(1, sj // 45) if sj else 0,
                    "qualified_primary": int(sp * rng.uniform(0.03, 0.08)), "qualified_junior": int(sj * rng.uniform(0.04, 0.09)),
                    "pe_primary": int(sp * 0.004), "music_primary": int(sp * 0.003), "art_primary": int(sp * 0.003),
                    "pe_junior": int(sj * 0.004), "music_junior": int(sj * 0.003), "art_junior": int(sj * 0.003),
                    "teaching_area": round(total * rng.uniform(3.5, 7), 1), "sports_area": round(total * rng.uniform(4, 12), 1),
                    "equipment_value": round(total * rng.uniform(1200, 3200) / 10000, 2),
                    "multimedia_rooms": max(1, int(total * rng.uniform(0.02, 0.035))),
                    "key_primary": int(sp * rng.uniform(0.005, 0.02)), "key_junior": int(sj * rng.uniform(0.005, 0.02)),
                    "oversize_primary": rng.randint(0, 3) if sp else 0, "oversize_junior": rng.randint(0, 3) if sj else 0,
                    "music_rooms": rng.randint(0, 2), "art_rooms": rng.randint(0, 2),
                })
                sections += primary + junior
    exports = [write_export(folder / "2022小学基层表（全省）.xlsx", "小学", rows, constant_memory=True),
               write_export(folder / "2022中学基层表（全省）.xlsx", "初中", rows, constant_memory=True)]
    national = load_plan(template_path("plans", "national.yaml"))
    sheets = [s for path in exports for s in read_export(path)]
    for path in write_supplements(folder, sheets, lambda district: national):
        fill_supplement(path, rows, {})
    return sections


def detail_cells(outputs: Path) -> int:
    """Cells the reports' 学校明细 sheets hold (rows × columns of each used range)."""
    total = 0
    for report in outputs.glob("*推进情况_*.xlsx"):
        with report.open("rb") as handle:
            workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
        sheet = workbook.get_sheet_by_name("学校明细")
        total += sheet.height * sheet.width
    return total


def floor(inputs: Path, cells: int, scratch: Path) -> float:
    start = time.perf_counter()
    for path in sorted(inputs.iterdir()):
        with path.open("rb") as handle:
            workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
        for name in workbook.sheet_names:
            workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    workbook = xlsxwriter.Workbook(str(scratch / "floor.xlsx"), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    for row in range(cells // DETAIL_COLUMNS):
        for col in range(DETAIL_COLUMNS):
            sheet.write_number(row, col, row + col)
    workbook.close()
    return time.perf_counter() - start


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += [int(c) for c in children.read().split()]
        except (OSError, StopIteration):
            continue
    return total


def job(folder: Path) -> tuple[float, int]:
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "excel_balance", "run", "--force"], cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.1)
    elapsed = time.perf_counter() - start
    if process.returncode not in (0, 1):
        raise SystemExit(f"run failed with exit code {process.returncode}")
    return elapsed, peak


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = folder / "inputs"
        inputs.mkdir()
        sections = generate(inputs)
        print(f"generated: {DISTRICTS} districts, {sections} school sections, "
              f"{sum(p.stat().st_size for p in inputs.iterdir()) / 1e6:.1f} MB of exports and "
              f"{len(list(inputs.glob('补充数据_*.xlsx')))} filled supplements")
        jobs = [job(folder)]
        cells = detail_cells(folder / "outputs")
        floors = []
        for round_ in range(ROUNDS):  # alternating, so that machine noise hits both alike
            floors.append(floor(inputs, cells, folder))
            if round_:
                jobs.append(job(folder))
        base = min(floors)
        elapsed, peak = min(j for j, _ in jobs), max(p for _, p in jobs)
        reports = len(list((folder / "outputs").glob("*.xlsx")))
        print(f"floor (calamine read + {cells:,} constant-memory cells): {base:.1f} s "
              f"(best of {ROUNDS})")
        print(f"job (excel-balance run --force, {reports} workbooks in outputs/): {elapsed:.1f} s (best of {ROUNDS})")
        print(f"ratio: {elapsed / base:.2f} (target <= 2.0)")
        print(f"peak resident memory of the job: {peak / 2**30:.2f} GB (target <= 1.5)")


if __name__ == "__main__":
    main()
