"""`总览`, the report's and each unit workbook's first sheet, on the bundled sample (黔江区 2019–2022),
read back against the sheets it sums up; and `run --pdf` / `report --pdf`.

Figures of the sample the overview must show (also in 推进规划's verdict): 未按规划推进 12 项, 距认定标准
13 项差距, R5 小学 差异系数 0.55 over 0.50, 资源配置 met by 14/71 primary and 2/23 junior sections in 2022.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.cell.cell import MergedCell

from excel_balance import workflow
from excel_balance.cli import cli
from excel_balance.evaluate.figures import off_plan_cells
from excel_balance.evaluate.rules import Status
from excel_balance.report import pdf as report_pdf
from excel_balance.xlsx.page import PRINTABLE_HEIGHT, PRINTABLE_WIDTH
from tests.census_data import write_clean
from tests.test_plan_sheet import pdf_info, pdf_text
from tests.test_workbooks import chart_anchors

REPO = Path(__file__).resolve().parent.parent
REPORT = "黔江区义务教育优质均衡推进情况_2022.xlsx"
FILLS = {"FFA9D08E": "已达标", "FFC6EFCE": "达到年度目标", "FFFFEB9C": "接近目标", "FFFFC7CE": "未达", "FFD9D9D9": "无数据"}
RANK = {"未达": 0, "接近目标": 1, "达到年度目标": 2, "已达标": 3}
REFERENCE = re.compile(r"^='([^']+)'!([A-Z]+\d+)$")


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("overview")
    (root / "inputs").mkdir()
    for sample in (REPO / "inputs").glob("*.xlsx"):
        shutil.copy(sample, root / "inputs")
    report = workflow.run(root / "inputs", root / "outputs")
    return report.districts[0]


@pytest.fixture(scope="module")
def cached(sample_run):
    return openpyxl.load_workbook(sample_run.output, data_only=True)


@pytest.fixture(scope="module")
def formulas(sample_run):
    return openpyxl.load_workbook(sample_run.output)


def cells_of(sheet) -> dict[str, object]:
    return {c.coordinate: c.value for row in sheet.iter_rows() for c in row if c.value is not None}


def block(sheet, heading: str, col: int) -> list[list]:
    """The rows of the table under the heading starting with `heading` (its header row first),
    from column `col` (1-based) rightwards, down to the first row empty there."""
    start = next(c.row for row in sheet.iter_rows() for c in row if str(c.value or "").startswith(heading))
    rows = []
    for r in range(start + 1, sheet.max_row + 1):
        values = [sheet.cell(r, c).value for c in range(col, col + 7)]
        if values[0] is None:
            break
        rows.append(values)
    return rows


def statuses(plan_sheet, year: int) -> list[tuple[str, tuple[int, int], str]]:
    """(area, (row, level column), status) of every 实际 cell of `year` in 推进规划, read from its fill."""
    col = next(c.column for c in plan_sheet[6] if c.value == f"{year}年")
    found, area = [], None
    for r in range(8, plan_sheet.max_row + 1):
        if plan_sheet.cell(r, 1).value:
            area = plan_sheet.cell(r, 1).value
        if plan_sheet.cell(r, 2).value != "实际":
            continue
        for offset in (0, 1):
            cell = plan_sheet.cell(r, col + offset)
            if isinstance(cell, MergedCell) or cell.value == "—":  # a 全区 pair; not applicable
                continue
            found.append((area, (r, offset), FILLS[cell.fill.fgColor.rgb]))
    return found


def test_the_overview_is_the_first_sheet_of_the_report_and_of_each_unit_workbook(sample_run, cached):
    assert cached.sheetnames[:2] == ["总览", "推进规划"]
    units = sorted(sample_run.unit_folder.glob("*.xlsx"))
    assert len(units) == 11
    for path in units:
        assert openpyxl.load_workbook(path, read_only=True).sheetnames[:2] == ["总览", "推进规划"], path.name


def _parts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as book:
        return book.namelist()


def test_it_prints_on_one_a3_page_within_the_printable_area_at_100_percent(sample_run, formulas):
    for path in [sample_run.output, *sorted(sample_run.unit_folder.glob("*.xlsx"))]:
        sheet = openpyxl.load_workbook(path)["总览"] if path != sample_run.output else formulas["总览"]
        setup = sheet.page_setup
        # fitToWidth and fitToHeight absent: OOXML's default 1, one page.
        assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (8, "landscape", None, None)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # The stored width holds Excel's 5 pixels of padding: 7 pixels a unit (the 7-pixel digits of
        # the default font), 0.75 pt a pixel.
        widths = [sheet.column_dimensions[c].width for c in "ABCDEFGHIJKLMN"]
        assert sheet.max_column == 14
        assert sum(round(w * 7) * 0.75 for w in widths) <= PRINTABLE_WIDTH, path.name
        charts = chart_anchors(path, "总览") if "_rels/sheet1.xml.rels" in str(_parts(path)) else []
        assert len(charts) == 1 or path != sample_run.output
        last = max([sheet.max_row] + [bottom + 1 for _, bottom in charts])
        heights = [sheet.row_dimensions[r].height for r in range(1, last + 1)]
        assert None not in heights, path.name  # every row's height set, none left to the viewer
        assert sum(heights) <= PRINTABLE_HEIGHT, (path.name, sum(heights))


def test_every_reference_equals_the_cell_it_refers_to(formulas, cached):
    references = 0
    for coordinate, formula in cells_of(formulas["总览"]).items():
        match = REFERENCE.match(str(formula))
        if match:
            source, cell = match.groups()
            assert source in ("差异系数", "缺口测算")
            assert cached["总览"][coordinate].value == cached[source][cell].value, (coordinate, formula)
            assert cached["总览"][coordinate].value is not None
            references += 1
    # 差异系数: district value, CV and √/× for 7 indicators × 2 levels; 缺口测算: count, total and lead
    # unit of 4 gaps in people, 4 in ㎡, 2 in 万元.
    assert references == 7 * 2 * 3 + 10 * 3


def test_the_verdict_and_the_two_labelled_counts(cached):
    overview, verdict = cached["总览"], cached["推进规划"]["A2"].value
    assert overview["A2"].value == "总体判断（2022年，对照国家标准）：尚未达到优质均衡发展要求，距认定标准 13 项差距（含差异系数、否决条件）"
    assert verdict.startswith(overview["A2"].value + "：1. ")
    assert [overview[c].value for c in ("A3", "B3", "C3")] == ["2022年未按规划推进", 12, "项（指标×学段，本年度目标）"]
    assert [overview[c].value for c in ("I3", "K3", "L3")] == ["距认定标准", 13, "项差距（含差异系数、否决条件）"]
    assert "未按规划推进 12 项（指标×学段，本年度目标）" in verdict and "13. " in verdict and "14. " not in verdict


def test_status_counts_per_area_equal_the_plan_sheets_cells(cached, formulas):
    table = block(cached["总览"], "一、", 1)
    assert table[0] == ["领域", "已达标", "达到年度目标", "接近目标", "未达年度目标或未达标", "无数据", "未按规划推进"]
    cells = statuses(cached["推进规划"], 2022)
    by_area = {}
    for row in table[1:-1]:
        area = [s for a, _, s in cells if a.startswith(row[0])]
        by_area[row[0]] = row[1:]
        assert row[1:] == [area.count(s) for s in ("已达标", "达到年度目标", "接近目标", "未达", "无数据")] + [
            area.count("接近目标") + area.count("未达")], row[0]
    assert list(by_area) == ["资源配置", "政府保障程度", "教育质量", "社会认可度"]
    total = table[-1]
    assert total == ["合计", 30, 9, 6, 6, 1, 12] and sum(total[1:6]) == len(cells) == 52
    assert formulas["总览"]["B3"].value == "=G11" and formulas["总览"]["G11"].value == "=SUM(G7:G10)"


def test_resource_indicators_against_their_thresholds(cached):
    table = block(cached["总览"], "二、", 1)
    assert table[0] == ["指标", "小学全区值", "小学差异系数", "≤0.50", "初中全区值", "初中差异系数", "≤0.45"]
    assert [r[0].split()[0] for r in table[1:]] == [f"R{n}" for n in range(1, 8)]
    r5 = table[5]
    assert r5[0] == "R5 体育运动场馆面积" and r5[2:4] == [0.55, "×"]
    assert [r[3] for r in table[1:]].count("×") == 1 and [r[6] for r in table[1:]].count("×") == 1  # R5 小学, R2 初中
    thresholds = {r[1]: r[6] for r in cached["差异系数"].iter_rows(min_row=2, values_only=True) if r[0] == 2022}
    assert thresholds == {"小学": 0.5, "初中": 0.45}


def test_largest_gaps_are_the_largest_rows_of_the_gaps_sheet(cached):
    table = block(cached["总览"], "四、", 9)
    assert table[0][:6] == ["学段", "指标", "未达标学校", "缺口合计", "单位", "牵头单位"]
    gaps = [r for r in cached["缺口测算"].iter_rows(min_row=2, values_only=True)]
    expected = []
    for unit in ("人", "㎡", "万元"):
        largest = sorted((r for r in gaps if r[4] == unit and isinstance(r[3], (int, float)) and r[3] > 0),
                         key=lambda r: -r[3])[:5]
        expected += [[r[0], r[2], r[3], r[4], r[5]] for r in largest]
    assert [[r[0], r[2], r[3], r[4], r[5]] for r in table[1:]] == expected
    assert [(r[0], r[1], r[3]) for r in table[1:3]] == [("小学", "R2 骨干教师数", 122), ("初中", "R2 骨干教师数", 70)]


def test_movement_since_the_previous_census_equals_the_plan_sheets_two_columns(cached):
    plan = cached["推进规划"]
    before = {r: s for _, r, s in statuses(plan, 2021)}
    after = statuses(plan, 2022)
    moved = [(RANK.get(before.get(r)), RANK.get(s)) for _, r, s in after]
    improved = sum(1 for a, b in moved if a is not None and b is not None and b > a)
    slipped = sum(1 for a, b in moved if a is not None and b is not None and b < a)
    text = next(c.value for row in cached["总览"].iter_rows() for c in row if str(c.value or "").startswith("与2021年相比"))
    assert text.startswith(f"与2021年相比：好转 {improved} 项（R4 小学 △→√、") and f"；下滑 {slipped} 项（G3 初中 √→△" in text
    assert (improved, slipped) == (4, 3)


def test_resource_shares_count_the_school_sheets_rows(cached, formulas):
    table = block(cached["总览"], "三、", 1)
    assert table[0][:5] == ["年度", "小学达标学段", "小学占比", "初中达标学段", "初中占比"]
    detail = list(cached["学校明细"].iter_rows(values_only=True))
    result = detail[0].index("资源配置")
    for row in table[1:]:
        year = int(row[0][:4])
        for level, count, share in (("小学", row[1], row[2]), ("初中", row[3], row[4])):
            rows = [r for r in detail[1:] if r[0] == year and r[1] == level]
            met = sum(r[result] == "√" for r in rows)
            assert count == f"{met}/{len(rows)}" and share == pytest.approx(met / len(rows)), (year, level)
    assert [r[0] for r in table[1:]] == ["2019年", "2020年", "2021年", "2022年"]
    assert (table[-1][1], table[-1][3]) == ("14/71", "2/23")
    assert formulas["总览"]["C28"].value.startswith("=SUMPRODUCT(('学校明细'!$A$2:$A$")


def test_libreoffice_recalculates_the_overview_to_its_cached_values(sample_run, formulas, cached, soffice, tmp_path):
    redone = openpyxl.load_workbook(soffice(sample_run.output, tmp_path / "lo", to="xlsx", recalc=True), data_only=True)
    checked = 0
    for coordinate, formula in cells_of(formulas["总览"]).items():
        if str(formula).startswith("="):
            mine, theirs = cached["总览"][coordinate].value, redone["总览"][coordinate].value
            if isinstance(mine, float):
                assert theirs == pytest.approx(mine, abs=1e-9), coordinate
            else:
                assert theirs == mine, coordinate
            checked += 1
    assert checked == 7 * 2 * 3 + 10 * 3 + 6 + 1 + 4 * 4  # references, totals, the figure, the shares


def unit_ids(sheet) -> set[str]:
    return {str(c.value).split()[0] for row in sheet.iter_rows() for c in row
            if re.match(r"^[RGQ]\d+ ", str(c.value or ""))}


def test_a_unit_workbooks_overview_holds_only_its_indicators(sample_run):
    evaluation = sample_run.evaluated()
    for unit in evaluation.plan.units:
        path = next(sample_run.unit_folder.glob(f"{unit}_*.xlsx"))
        book = openpyxl.load_workbook(path, data_only=True)
        overview = book["总览"]
        own = [i for i in evaluation.plan.indicators if unit in i.units]
        assert unit_ids(overview) <= {i.id for i in own}, unit
        areas = block(overview, "一、", 1)
        assert [r[0] for r in areas[1:-1]] == list(dict.fromkeys(i.area for i in own)), unit
        applicable = [c for i in own for level in i.levels
                      if (c := evaluation.latest.cells[(i.id, level)]).status is not Status.NOT_APPLICABLE]
        assert sum(areas[-1][1:6]) == len(applicable), unit
        assert areas[-1][6] == overview["B3"].value == len(off_plan_cells(evaluation, unit)), unit
        assert overview["A2"].value == book["推进规划"]["A2"].value, unit  # the unit's own summary
        assert overview["K3"].value is None  # the district's obstacles are not the unit's
    finance = openpyxl.load_workbook(next(sample_run.unit_folder.glob("区财政局_*.xlsx")), data_only=True)["总览"]
    assert [r[0] for r in block(finance, "二、", 1)[1:]] == ["R4 教学及辅助用房面积", "R5 体育运动场馆面积",
                                                               "R6 教学仪器设备值", "R7 网络多媒体教室数"]
    assert finance["B3"].value == 4


# --- run --pdf, report --pdf ------------------------------------------------------------------------


@pytest.fixture
def one_year(tmp_path, qianjiang, monkeypatch):
    (tmp_path / "inputs").mkdir()
    write_clean(tmp_path / "inputs" / "2022年统计.xlsx", qianjiang)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_run_pdf_prints_the_whole_report_overview_first(one_year, soffice, tmp_path):
    result = CliRunner().invoke(cli, ["run", "--pdf"])
    assert result.exit_code == 0, result.output
    report = one_year / "outputs" / REPORT
    pdf = report.with_suffix(".pdf")
    assert f"  PDF：outputs/{pdf.name}" in result.output.splitlines()
    pages = pdf_text(pdf)
    assert "一、各领域指标状态" in pages[0] and "总览 第 1 页" in pages[0]
    assert "推进规划" in pages[1] and "一、各领域指标状态" not in pages[1]
    # As many pages as LibreOffice prints of the workbook itself, every sheet at its print setup.
    printed = soffice(report, tmp_path / "direct")
    assert int(pdf_info(pdf)["Pages"]) == int(pdf_info(printed)["Pages"]) == len(pages) > 10
    assert f"共 {len(pages)} 页" in pages[-1]
    assert not list((one_year / "outputs").glob(".*.tmp"))  # written atomically, nothing left over
    again = CliRunner().invoke(cli, ["run", "--pdf"])  # unchanged: the PDF is kept, and listed
    assert again.exit_code == 0 and f"  PDF：outputs/{pdf.name}" in again.output


@pytest.fixture
def no_libreoffice(monkeypatch, tmp_path):
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(report_pdf, "WINDOWS_PATHS", (str(tmp_path / "LibreOffice" / "soffice.exe"),))


def test_without_libreoffice_the_message_and_the_exit_code_unchanged(one_year, no_libreoffice):
    assert report_pdf.find_soffice() is None
    result = CliRunner().invoke(cli, ["run", "--pdf"])
    assert result.exit_code == 0, result.output
    assert report_pdf.NOT_FOUND in result.output.splitlines()
    assert (one_year / "outputs" / REPORT).exists() and not list((one_year / "outputs").glob("*.pdf"))
    (one_year / "inputs" / "坏文件.xlsx").write_bytes(b"not a workbook")  # a run that fails stays failed
    assert CliRunner().invoke(cli, ["run", "--pdf"]).exit_code == 1
    result = CliRunner().invoke(cli, ["report", "--pdf", "inputs/2022年统计.xlsx"])
    assert result.exit_code == 0 and report_pdf.NOT_FOUND in result.output and not list(one_year.glob("*.pdf"))


def fake_soffice(folder: Path, body: str) -> None:
    """An executable `soffice` on PATH running the shell `body` ("$@": LibreOffice's arguments)."""
    folder.mkdir()
    script = folder / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(0o755)


def test_report_pdf_through_the_soffice_on_path(one_year, monkeypatch, tmp_path):
    # Writes "<name>.pdf" for each workbook into --outdir, as LibreOffice does.
    fake_soffice(tmp_path / "bin", 'while [ "$1" != "--outdir" ]; do shift; done; out=$2; shift 2\n'
                 'mkdir -p "$out"; for f in "$@"; do b=$(basename "$f" .xlsx); echo "%PDF $b" > "$out/$b.pdf"; done')
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    result = CliRunner().invoke(cli, ["report", "--pdf", "inputs/2022年统计.xlsx"])
    assert result.exit_code == 0, result.output
    assert f"已生成 PDF：{REPORT[:-5]}.pdf" in result.output
    assert (one_year / f"{REPORT[:-5]}.pdf").read_text() == "%PDF 0\n"


def test_a_libreoffice_that_hangs_is_stopped_and_the_old_pdf_kept(one_year, monkeypatch, tmp_path):
    fake_soffice(tmp_path / "bin", "sleep 60")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    monkeypatch.setattr(report_pdf, "TIMEOUT", 1)
    old = one_year / f"{REPORT[:-5]}.pdf"
    old.write_text("old")
    result = CliRunner().invoke(cli, ["report", "--pdf", "inputs/2022年统计.xlsx"])
    assert result.exit_code == 1
    assert "错误：LibreOffice 在 1 秒内未完成转换，已停止：请关闭其他 LibreOffice 窗口后重试" in result.output
    assert old.read_text() == "old"
    left = subprocess.run(["pgrep", "-f", str(tmp_path / "bin")], capture_output=True, text=True).stdout
    assert not left.strip()  # the sleeping "LibreOffice" was stopped with its children


def test_a_failed_conversion_fails_the_run_and_names_the_pdf(one_year, monkeypatch, tmp_path):
    fake_soffice(tmp_path / "bin", 'echo "Error: source file could not be loaded" >&2; exit 3')
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    result = CliRunner().invoke(cli, ["run", "--pdf"])
    assert result.exit_code == 1
    assert (f"错误：{REPORT[:-5]}.pdf：LibreOffice 转换失败（退出码 3：Error: source file could not be loaded）"
            in result.output.splitlines())
    assert (one_year / "outputs" / REPORT).exists() and not list((one_year / "outputs").glob("*.pdf"))


def test_a_pdf_older_than_its_rewritten_report_is_called_outdated(one_year, no_libreoffice):
    assert CliRunner().invoke(cli, ["run"]).exit_code == 0
    report = one_year / "outputs" / REPORT
    old = report.with_suffix(".pdf")
    old.write_text("an earlier run's PDF")
    os.utime(old, (report.stat().st_mtime - 60,) * 2)
    notice = f"  注意：outputs/{old.name} 是旧报告打印的 PDF，已过时：运行 excel-balance run --pdf 重新生成"
    for args in (["run", "--force"], ["run", "--force", "--pdf"]):  # rewritten; LibreOffice missing for --pdf
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0 and notice in result.output.splitlines(), result.output
    assert old.read_text() == "an earlier run's PDF"  # staff's file: said, not deleted
    os.utime(old, None)  # newer than the report: nothing to say
    assert "已过时" not in CliRunner().invoke(cli, ["run"]).output
