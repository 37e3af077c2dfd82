"""Census reader speed against python-calamine's bare read of the same file.

Generates a 30,000-row census in the template form, then times, alternating, the bare read
(python-calamine loading the 学校 sheet into Python lists) and `read_census` (the same read plus
header matching, typing, validation and the district sheet). Prints the ratio of the best times;
the target is at most 2.0. Run: .venv/bin/python bench/census_read.py [rows]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import python_calamine
import xlsxwriter

from excel_balance.census.reader import read_census
from excel_balance.census.schema import SCHOOL_COLUMNS, Kind
from excel_balance.census.template import write_district_sheet, write_info_sheet
from excel_balance.plan import load_plan
from excel_balance.resources import default_plan_path
from excel_balance.xlsx.formats import Formats

TYPES = ["小学", "小学", "小学", "初级中学", "九年一贯制学校", "完全中学", "十二年一贯制学校"]


def generate(path: Path, rows: int) -> None:
    rng = random.Random(7)
    plan = load_plan(default_plan_path())
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("学校")
    for col, column in enumerate(SCHOOL_COLUMNS):
        sheet.write_string(0, col, column.title)
    for r in range(1, rows + 1):
        kind = TYPES[r % len(TYPES)]
        primary = kind in ("小学", "九年一贯制学校", "十二年一贯制学校")
        junior = kind != "小学"
        senior = kind in ("完全中学", "十二年一贯制学校")
        for col, column in enumerate(SCHOOL_COLUMNS):
            key = column.key
            if key == "school_id":
                sheet.write_string(r, col, f"{1000000000 + r}")
            elif key == "name":
                sheet.write_string(r, col, f"第{r}学校")
            elif key == "school_type":
                sheet.write_string(r, col, kind)
            elif key in ("sponsor", "urban_rural", "counted", "parent_id") or not column.required:
                continue
            elif column.kind in (Kind.INT, Kind.NUMBER):
                applies = (not key.endswith("_primary") or primary) and (not key.endswith("_junior") or junior) and (
                    not key.endswith("_senior") or senior)
                value = rng.randint(1, 40) if applies else 0
                if key.startswith("students_") and applies:
                    value = rng.randint(200, 1500)
                if key.startswith("oversize_"):
                    value = 0
                sheet.write_number(r, col, value)
    formats = Formats(workbook)
    write_district_sheet(workbook, formats, plan, {})
    write_info_sheet(workbook, formats, plan.district, 2022, "", False)
    workbook.close()


def bare(path: Path) -> None:
    with path.open("rb") as handle:
        workbook = python_calamine.CalamineWorkbook.from_filelike(handle)
    workbook.get_sheet_by_name("学校").to_python(skip_empty_area=False)


def best(fn, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "2022年统计.xlsx"
        generate(path, rows)
        census = read_census(path)
        assert len(census.schools) == rows
        floor, reader = [], []
        for _ in range(3):  # alternate, so machine noise hits both alike
            floor.append(best(lambda: bare(path), 1))
            reader.append(best(lambda: read_census(path), 1))
        print(f"rows: {rows}")
        print(f"python-calamine bare read (floor): {min(floor):.3f} s")
        print(f"read_census: {min(reader):.3f} s")
        print(f"ratio: {min(reader) / min(floor):.2f} (target <= 2.0)")


if __name__ == "__main__":
    main()
