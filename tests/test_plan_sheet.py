from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from excel_balance.cli import cli
from excel_balance.plan import load_plan
from excel_balance.report.plan_sheet import SHEET_NAME
from excel_balance.report.plan_workbook import write_plan_workbook
from tests.conftest import DATA
from tests.seed import norm, seed_header, seed_rows, seed_title

A3_LANDSCAPE = "1190.55 x 841.89 pts (A3)"


def resolved(sheet) -> dict[tuple[int, int], object]:
    """Every cell's value, merged ranges resolved to their top-left value (1-based)."""
    values = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row}
    for merged in sheet.merged_cells.ranges:
        top_left = values.get((merged.min_row, merged.min_col))
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                values[(r, c)] = top_left
    return values


def find_row(sheet, text: str, col: int = 2) -> int:
    for (row,), in zip(sheet.iter_rows(min_col=col, max_col=col, values_only=False)):
        if norm(row.value) == norm(text):
            return row.row
    raise AssertionError(f"{text} not found")


@pytest.fixture(scope="module")
def plan_workbook(tmp_path_factory, qianjiang):
    return write_plan_workbook(qianjiang, tmp_path_factory.mktemp("plan") / "plan.xlsx")


def test_plan_sheet_reproduces_the_seed(plan_workbook):
    sheet = openpyxl.load_workbook(plan_workbook)[SHEET_NAME]
    values = resolved(sheet)
    assert norm(values[(2, 1)]) == seed_title()
    header = [norm(values[(r, c)]) for r in (3, 4, 5) for c in range(1, 16)]
    for text in seed_header():
        assert text in header, text
    assert [norm(values[(3, c)]) for c in (1, 2, 3, 5, 15)] == [
        "指标名称", "内容与标准", "现状", "达标规划（达标学校数/学校总数）", "责任单位"]
    assert [norm(values[(4, c)]) for c in range(5, 15, 2)] == [f"{y}年" for y in range(2020, 2025)]
    assert [norm(values[(5, c)]) for c in range(3, 15)] == ["小学", "初中"] * 6

    rows = seed_rows()
    first = find_row(sheet, rows[0].text)
    for offset, seed in enumerate(rows):
        r = first + offset
        assert norm(values[(r, 2)]) == seed.text
        assert [norm(values[(r, c)]) for c in range(3, 15)] == seed.values, seed.text
        assert str(values[(r, 15)]).split("\n") == seed.units
        assert norm(values[(r, 1)]) == seed.area or seed.area == "", seed.text


def test_levels_are_merged_where_the_seed_merges_them(plan_workbook):
    sheet = openpyxl.load_workbook(plan_workbook)[SHEET_NAME]
    merged = {str(m) for m in sheet.merged_cells.ranges}
    g1 = find_row(sheet, seed_rows()[7].text)  # G1: one cell per year for both levels
    assert {f"C{g1}:D{g1}", f"E{g1}:F{g1}", f"M{g1}:N{g1}"} <= merged
    r1 = find_row(sheet, seed_rows()[0].text)
    assert f"E{r1}:F{r1}" not in merged
    # 资源配置 is one merged area cell over R1–R7.
    assert f"A{r1}:A{r1 + 6}" in merged


def test_print_setup(plan_workbook):
    sheet = openpyxl.load_workbook(plan_workbook)[SHEET_NAME]
    assert sheet.page_setup.paperSize == 8 and sheet.page_setup.orientation == "landscape"
    # Fit to one page wide (an absent fitToWidth is OOXML's default, 1), any number of pages tall.
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth or 1) == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$3:$5"
    assert sheet.freeze_panes == "C6"
    cell = sheet.cell(find_row(sheet, seed_rows()[0].text), 2)
    assert cell.font.name == "宋体" and cell.font.charset == 134 and cell.alignment.wrap_text


def pdf_text(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return out.split("\f")[:-1]


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def test_libreoffice_prints_it_on_a3_one_page_wide(plan_workbook, soffice, tmp_path):
    pdf = soffice(plan_workbook, tmp_path)
    info = pdf_info(pdf)
    assert info["Page size"].strip() == A3_LANDSCAPE
    pages = pdf_text(pdf)
    assert 1 <= len(pages) == int(info["Pages"]) <= 3
    for page in pages:
        # One page wide: every page shows the first and the last column's header.
        assert "指标名称" in page and "责任单位" in page
    text = norm("".join(pages))
    for row in seed_rows():
        assert row.text in text, row.text
        for unit in row.units:
            assert unit in text


def test_a_second_district_plan_renders(tmp_path, soffice):
    plan = load_plan(DATA / "small_plan.yaml")
    target = write_plan_workbook(plan, tmp_path / "small.xlsx")
    sheet = openpyxl.load_workbook(target)[SHEET_NAME]
    values = resolved(sheet)
    assert norm(values[(1, 1)]) == "青山县创建义务教育优质均衡发展县推进规划"
    assert [norm(values[(3, c)]) for c in (5, 7)] == ["2024年", "2025年"]
    assert norm(values[(3, 9)]) == "责任单位"
    r = find_row(sheet, "14.优质高中招生名额分配比例不低于50%")
    assert [values[(r, c)] for c in range(3, 9)] == ["50%", "50%", "55%", "55%", "60%", "60%"]
    assert values[(r, 9)] == "县教育局"
    pdf = soffice(target, tmp_path)
    assert "青山县" in "".join(pdf_text(pdf))


def test_cli_writes_the_plan_workbook(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["plan"])
    assert result.exit_code == 0, result.output
    assert result.output == "已生成规划表：outputs/黔江区推进规划.xlsx\n"
    assert Path("outputs/黔江区推进规划.xlsx").exists()
    assert not [p for p in Path("outputs").iterdir() if p.name.startswith(".")]


def test_same_plan_same_bytes(tmp_path, qianjiang, monkeypatch):
    # The same time too: without it the workbook says when it was made, and two writes a second
    # apart (a loaded machine) differed in docProps/core.xml.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = write_plan_workbook(qianjiang, tmp_path / "a.xlsx").read_bytes()
    second = write_plan_workbook(qianjiang, tmp_path / "b.xlsx").read_bytes()
    assert first == second
