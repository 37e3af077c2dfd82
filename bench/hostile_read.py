"""`excel-balance check` on hostile and large workbooks, against python-calamine's bare read.

Two files: a census template with one extra cell at XFD1048576 (which made calamine allocate
549 GB and abort), and a 200,000-row census. Each is checked in a fresh process (time and peak
memory of that process), and so is python-calamine reading a normal file of the same cell count
(for the crafted file: the template without its extra cell; the 200,000-row file is normal
itself). Targets: the crafted file refused in under 1 s and 200 MB; 200,000 rows within 2.0× of
calamine's time and under 1 GB.

Run: .venv/bin/python bench/hostile_read.py [rows]   (generating 200,000 rows takes a minute)
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))


def measure(kind: str, path: str) -> None:
    """In the child: do one thing, print its seconds and this process's peak memory (MB)."""
    start = time.perf_counter()
    if kind == "check":
        from excel_balance.cli import cli

        try:
            cli(["check", path], prog_name="excel-balance", standalone_mode=False)
            code = 0
        except SystemExit as exc:
            code = exc.code
    else:
        import python_calamine

        workbook = python_calamine.CalamineWorkbook.from_path(path)
        for name in workbook.sheet_names:
            workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        code = 0
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    print(json.dumps({"seconds": seconds, "mb": peak, "code": code}))


def run(kind: str, path: Path, repeats: int = 3) -> dict:
    """Best time and highest peak of `repeats` fresh processes."""
    results = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, __file__, "--measure", kind, str(path)], capture_output=True, text=True,
                             check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {"seconds": min(r["seconds"] for r in results), "mb": max(r["mb"] for r in results),
            "code": results[0]["code"]}


def crafted(normal: Path, target: Path) -> Path:
    with zipfile.ZipFile(normal) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t>'
                                                      b'</is></c></row></sheetData>')
            dst.writestr(item, data)
    return target


def report(label: str, ours: dict, floor: dict) -> None:
    print(f"{label}: check {ours['seconds']:.2f} s, {ours['mb']:.0f} MB (exit {ours['code']}); "
          f"calamine {floor['seconds']:.2f} s, {floor['mb']:.0f} MB; "
          f"ratio time {ours['seconds'] / floor['seconds']:.2f}, memory {ours['mb'] / floor['mb']:.2f}")


def main() -> None:
    from census_read import generate

    from excel_balance.census.template import write_template
    from excel_balance.plan import load_plan
    from excel_balance.resources import default_plan_path

    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        normal = write_template(tmp / "黔江区2022年统计报表.xlsx", load_plan(default_plan_path()), year=2022)
        hostile = crafted(normal, tmp / "黔江区2022年统计报表（XFD1048576）.xlsx")
        report("XFD1048576 (target: under 1 s and 200 MB)", run("check", hostile), run("calamine", normal))
        large = tmp / f"黔江区2022年统计报表（{rows}行）.xlsx"
        generate(large, rows)
        report(f"{rows} rows (target: time ratio <= 2.0, under 1 GB)", run("check", large), run("calamine", large))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure(sys.argv[2], sys.argv[3])
    else:
        main()
