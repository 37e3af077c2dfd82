"""The report workbook, read back with openpyxl and LibreOffice, with outcomes worked out by hand.

The 2022 census is tests/census_data.clean_schools(); per primary section (students after the
east campus joins 正阳: 城南 800, 石会 300, 白土 60, 正阳 206, 育英 600):
R1 (≥ 4.2 per 100): 城南 5.0, 石会 4.0 ×, 白土 6.67, 正阳 11/206 = 5.34, 育英 5.0 → 4/5;
R4 (≥ 4.5 ㎡): all five → 5/5; R6 (≥ 2000 元): 城南 2256, 石会 1833 ×, 白土 1667 ×,
正阳 86 万 × 206/437 / 206 = 1968 ×, 育英 2817 → 2/5. Junior (民族 900, 正阳 210, 育英 450):
R2 (≥ 1 per 100): 1.11, 0.95 ×, 1.11 → 2/3; R3 (≥ 0.9): 8/900 = 0.89 ×, 3/210 = 1.43, 4/450 = 0.89 × → 1/3.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from excel_balance.census.reader import read_census
from excel_balance.cli import cli
from excel_balance.evaluate import evaluate
from excel_balance.report.workbook import write_report
from tests.census_data import clean_recorded, clean_schools, school, write_clean
from tests.test_plan_sheet import find_row, pdf_info, pdf_text, resolved

GREEN_DARK, GREEN, AMBER, RED, GREY = "FFA9D08E", "FFC6EFCE", "FFFFEB9C", "FFFFC7CE", "FFD9D9D9"


def schools_2021() -> list[dict]:
    rows = [r for r in clean_schools() if r["school_id"] != "0500114007"]  # 育英 opens in 2022
    for r in rows:
        if r["school_id"] == "0500114002":
            r["school_type"] = "小学教学点"  # 石会 becomes a full primary school in 2022
    rows.append(school("0500114020", "旧村小学", "小学", students_primary=120, classes_primary=6, qualified_primary=6,
                       teaching_area=600, sports_area=900, equipment_value=25, multimedia_rooms=3))
    return rows


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, qianjiang):
    from excel_balance.census.template import write_template

    folder = tmp_path_factory.mktemp("inputs")
    first = write_template(folder / "2021年统计.xlsx", qianjiang, year=2021, schools=schools_2021(),
                           recorded=clean_recorded())
    second = write_clean(folder / "2022年统计.xlsx", qianjiang)
    return [first, second]


@pytest.fixture(scope="module")
def report(inputs, qianjiang, tmp_path_factory):
    evaluation = evaluate(qianjiang, [read_census(p) for p in inputs])
    return write_report(evaluation, tmp_path_factory.mktemp("out") / "report.xlsx")


@pytest.fixture(scope="module")
def book(report):
    return openpyxl.load_workbook(report)


def test_sheets_in_order(book):
    assert book.sheetnames == ["总览", "推进规划", "学校明细", "差异系数", "区级指标测算", "缺口测算", "各校缺口", "攻坚清单",
                               "学校变动", "责任单位", "年度趋势", "数据说明"]


def actual_cell(sheet, indicator_text: str, col: int):
    row = find_row(sheet, indicator_text) + 1
    assert sheet.cell(row, 2).value == "实际"
    return sheet.cell(row, col)


@pytest.mark.parametrize(
    "indicator, col, text, fill",
    [
        ("R4", 9, "√ 5/5", GREEN_DARK),  # 2022 小学: target 59/71 and the standard met → 已达标
        ("R2", 10, "√ 2/3", GREEN),  # 2022 初中: 2/3 ≥ 13/23, not all → 达到年度目标
        ("R1", 9, "△ 4/5", AMBER),  # 2022 小学: 71/71 needs 5 of 5; one short → 接近目标
        ("R3", 10, "× 1/3", RED),  # 2022 初中: 20/23 needs 3 of 3 → 未达年度目标
        # 2021 column, 2021 census (石会 a teaching point of 300, 旧村 open): 城南 and 旧村 (2083 元) meet R6;
        # 40/71 of 5 needs ⌈2.82⌉ = 3 → one short → 接近目标.
        ("R6", 7, "△ 2/5", AMBER),
        ("G2", 9, "— 无数据", GREY),  # no recorded value
        ("R1", 11, "— 无数据", GREY),  # 2023: no census yet
    ],
)
def test_status_colour_symbol_and_text(book, qianjiang, indicator, col, text, fill):
    sheet = book["推进规划"]
    cell = actual_cell(sheet, qianjiang.indicator(indicator).text, col)
    assert (cell.value, cell.fill.fgColor.rgb) == (text, fill)


def test_baseline_and_not_applicable_cells(book, qianjiang, tmp_path, inputs):
    from excel_balance.census.template import write_template

    sheet = book["推进规划"]
    q1 = actual_cell(sheet, qianjiang.indicator("Q1").text, 9)  # 2022 小学: the plan leaves Q1 primary blank
    assert (q1.value, q1.fill.fgColor.rgb) == ("—", GREY)
    q1j = actual_cell(sheet, qianjiang.indicator("Q1").text, 10)
    assert (q1j.value, q1j.fill.fgColor.rgb) == ("△ 96.5%", AMBER)  # 97% target, standard met
    baseline = write_template(tmp_path / "2019年统计.xlsx", qianjiang, year=2019, schools=clean_schools())
    evaluation = evaluate(qianjiang, [read_census(baseline), read_census(inputs[1])])
    path = write_report(evaluation, tmp_path / "with_baseline.xlsx")
    cell = actual_cell(openpyxl.load_workbook(path)["推进规划"], qianjiang.indicator("R1").text, 3)
    # Σ teachers / Σ students = (40 + 12 + 4 + 11 + 30) / 1966 × 100 = 4.93; judged on the standard.
    assert (cell.value, cell.fill.fgColor.rgb) == ("× 全区4.93人，达标4/5", RED)


def test_title_verdict_and_legend(book):
    sheet = book["推进规划"]
    assert sheet["A1"].value == "黔江区义务教育优质均衡发展推进情况（2022年统计，2022—2023学年）"
    # Issue 16: 5 and 3 sections against the plan's 71 and 23, said under the title.
    assert sheet["A2"].value.startswith("注：2022年小学参加测算的学段为5个，规划的达标目标按71个制定")
    assert sheet["A3"].value.startswith("注：2022年初中参加测算的学段为3个，规划的达标目标按23个制定")
    assert sheet["A4"].value.startswith("总体判断（2022年，对照国家标准）：尚未达到优质均衡发展要求")
    assert "资源配置：小学1/5所学校达标" in sheet["A4"].value
    assert sheet["A5"].value == "图例"
    # Plan rows keep the plan's texts exactly.
    values = resolved(sheet)
    assert values[(find_row(sheet, "1.每百名学生拥有高于规定学历教师数：小学、初中分别达到4.2人以上、5.3人以上"), 5)] == "71/71"


def test_a_veto_condition_present_is_a_red_banner(tmp_path, qianjiang):
    recorded = {**clean_recorded(), ("V3", "全区"): "存在"}
    from excel_balance.census.template import write_template

    path = write_template(tmp_path / "2022.xlsx", qianjiang, year=2022, schools=clean_schools(), recorded=recorded)
    report = write_report(evaluate(qianjiang, [read_census(path)]), tmp_path / "r.xlsx")
    banner = openpyxl.load_workbook(report)["推进规划"]["A2"]
    assert banner.value == "否决情形：存在重点学校或重点班（2022年填报为“存在”）——有此情形的区县不予认定"
    assert banner.fill.fgColor.rgb == "FFC00000"


def test_units_matrix(book, qianjiang):
    sheet = book["责任单位"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["编号", "指标", "2022年状态"] and header[3:] == list(qianjiang.units)
    rows = {r[0].value: [c.value for c in r] for r in sheet.iter_rows(min_row=2)}
    r4 = dict(zip(header, rows["R4"]))
    assert (r4["区教委"], r4["区财政局"], r4["区规划自然资源局"], r4["区委编办"]) == ("牵头", "配合", "配合", None)
    assert rows["G7"][header.index("区财政局")] == "牵头"
    total_row = list(sheet.iter_rows(min_row=len(qianjiang.indicators) + 2))[0]
    totals = dict(zip(header[3:], total_row[3:]))
    # The console's figure, per unit: cells (indicator × level), not indicators. 区经济信息委 is
    # responsible for R6 (小学 2/5 ×, 初中 2/3 △) and R7 (小学 3/5 ×, 初中 2/3 △): four cells off plan.
    assert total_row[0].value.startswith("未按规划推进项数（指标×学段，本年度目标）")
    assert totals["区经济信息委"].value == 4
    assert totals["区委编办"].value == 0  # only G2, which has no data
    fills = {c.value: c.fill.fgColor.rgb for c in sheet[find_units_row(sheet, "R4")] if c.value in ("牵头", "配合")}
    assert set(fills.values()) == {GREEN_DARK}


def find_units_row(sheet, ident: str) -> int:
    return next(r[0].row for r in sheet.iter_rows(min_row=2) if r[0].value == ident)


def test_gap_totals(book):
    sheet = book["缺口测算"]
    totals = {(r[0].value, r[1].value[:2]): (r[2].value, r[3].value, r[4].value, r[5].value, r[6].value)
              for r in sheet.iter_rows(min_row=2, max_row=15) if r[0].value}
    assert sheet["B2"].value == "R1 高于规定学历教师数（人）"
    # R1 小学: 石会 needs ⌈4.2 × 300 / 100 − 12⌉ = 1 teacher.
    assert totals[("小学", "R1")] == (1, 1, "人", "区教委", "区人力社保局")
    # R3 初中: 民族 ⌈0.9 × 9 − 8⌉ = 1, 育英 ⌈0.9 × 4.5 − 4⌉ = 1.
    assert totals[("初中", "R3")][:3] == (2, 2, "人")
    # R4 小学: none short.
    assert totals[("小学", "R4")][:2] == (0, 0)
    # R6 小学: 石会 (60 − 55) = 5, 白土 (12 − 10) = 2, 正阳 41.2 − 86 × 206/437 = 0.65995 万元.
    assert totals[("小学", "R6")][0] == 3
    assert totals[("小学", "R6")][1] == pytest.approx(5 + 2 + (41.2 - 86 * 206 / 437))
    assert totals[("小学", "R6")][3:] == ("区教委", "区财政局、区经济信息委")


def test_school_gaps_sheet(book):
    sheet = book["各校缺口"]
    assert sheet["A1"].value.startswith("2022年各校缺口（空白 = 已达标")
    assert [c.value for c in sheet[2]] == ["学段", "学校标识码", "学校名称", "R1缺口（人）", "R2缺口（人）", "R3缺口（人）",
                                          "R4缺口（㎡）", "R5缺口（㎡）", "R6缺口（万元）", "R7缺口（间）"]
    rows = {(r[0], r[1]): r[2:] for r in sheet.iter_rows(min_row=3, values_only=True)}
    # 石会 (小学): R1 ⌈4.2 × 300/100 − 12⌉ = 1 teacher, R6 60 − 55 = 5 万元; 白土 R6 12 − 10 = 2 万元.
    assert rows[("小学", "0500114002")][0] == "石会小学"
    assert (rows[("小学", "0500114002")][1], rows[("小学", "0500114002")][6]) == (1, 5)
    assert rows[("小学", "0500114004")][6] == 2
    assert rows[("小学", "0500114006")][6] == pytest.approx(41.2 - 86 * 206 / 437)
    # 初中 R3: 民族 ⌈0.9 × 9 − 8⌉ = 1, 育英 ⌈0.9 × 4.5 − 4⌉ = 1; blank where the school meets it.
    assert (rows[("初中", "0500114005")][3], rows[("初中", "0500114007")][3]) == (1, 1)
    assert rows[("初中", "0500114005")][1] is None


def test_todo_list_for_next_year(book):
    sheet = book["攻坚清单"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    r6 = [r for r in rows if r[0] == "R6" and r[1] == "小学"]
    # 2023 target 62/71 of 5 sections = ⌈4.37⌉ = 5; 2 meet → 3 more, cheapest first (万元).
    assert [(r[6], r[8]) for r in r6] == [("0500114006", pytest.approx(41.2 - 86 * 206 / 437)),
                                          ("0500114004", pytest.approx(2)), ("0500114002", pytest.approx(5))]
    assert all(r[3:6] == ["62/71", "2/5", 3] for r in r6)
    total = next(r for r in rows if r[0] == "R6" and r[1] and str(r[1]).startswith("合计"))
    assert total[8] == pytest.approx(7 + 41.2 - 86 * 206 / 437)
    r3 = [r for r in rows if r[0] == "R3" and r[1] == "初中"]
    # 2023 target 22/23 of 3 = ⌈2.87⌉ = 3; 1 meets → both others, 1 teacher each, by ID on a tie.
    assert [(r[6], r[8]) for r in r3] == [("0500114005", 1), ("0500114007", 1)]


def test_school_changes(book):
    rows = [[c.value for c in r] for r in book["学校变动"].iter_rows(min_row=2)]
    assert rows[0][0] == "2021年→2022年：小学学段 5→5，初中学段 2→3"
    assert rows[1:] == [
        ["2021→2022", "0500114002", "石会小学", "办学类型变更", "小学教学点", "小学"],
        ["2021→2022", "0500114007", "育英学校", "新增", None, "十二年一贯制学校"],
        ["2021→2022", "0500114020", "旧村小学", "撤并或减少", "小学", None],
    ]


def test_school_detail_is_live_formulas(book):
    sheet = book["学校明细"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == 2022 and r[3].value == "石会小学")
    r1_value = row[header.index("R1 值")]
    assert r1_value.value.startswith("=ROUND(") and r1_value.value.endswith(",2)")
    assert row[header.index("R1 达标")].value.startswith("=IF(")
    assert sheet.freeze_panes == "E2" and sheet.auto_filter.ref.startswith("A1:")


def test_cached_values_and_sorting(report):
    values = openpyxl.load_workbook(report, data_only=True)["学校明细"]
    header = [c.value for c in values[1]]
    rows = [[c.value for c in r] for r in values.iter_rows(min_row=2) if isinstance(r[0].value, int) and r[5].value is not None]
    keys = [(r[0], 0 if r[1] == "小学" else 1, r[2]) for r in rows]
    assert keys == sorted(keys)
    shihui = next(r for r in rows if r[0] == 2022 and r[3] == "石会小学")
    assert shihui[header.index("R1 值")] == 4.0 and shihui[header.index("R1 达标")] == "×"
    # 石会: R1 4.0, R2 0.67 and R6 1833 元 fall short; R3 1.0, R4 4.67, R5 8.0, R7 2.33 meet.
    assert shihui[header.index("达标项数")] == 4 and shihui[header.index("资源配置")] == "×"
    # 水田 is not in 学校明细 but listed in 数据说明, with its reason.
    assert not [r for r in values.iter_rows(values_only=True) if r[3] == "水田教学点"]
    notes = openpyxl.load_workbook(report)["数据说明"]
    excluded = [[c.value for c in r] for r in notes.iter_rows() if str(r[1].value).startswith("水田教学点")]
    assert [r[:2] for r in excluded] == [["2021年 小学", "水田教学点（0500114003）"], ["2022年 小学", "水田教学点（0500114003）"]]
    assert "不足50人" in excluded[0][3]


def test_census_text_is_never_a_formula(tmp_path, qianjiang):
    from excel_balance.census.template import write_template

    rows = clean_schools()
    rows[0]["name"] = '=HYPERLINK("http://example.com","x")'
    path = write_template(tmp_path / "2022.xlsx", qianjiang, year=2022, schools=rows)
    report = write_report(evaluate(qianjiang, [read_census(path)]), tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(report)["学校明细"]
    names = [c for c in sheet["D"] if c.value == '=HYPERLINK("http://example.com","x")']
    assert names and all(c.data_type == "s" for c in names)
    with zipfile.ZipFile(report) as archive:
        assert not [n for n in archive.namelist() if "hyperlink" in n.lower()]
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        formulas = [f for xml in sheets for f in re.findall(rb"<f(?: [^>]*)?>([^<]*)</f>", xml)]
        assert formulas and not [f for f in formulas if b"HYPERLINK" in f.upper()]  # every formula, every sheet


def test_reproducible_bytes_only_from_a_given_time(tmp_path, inputs, qianjiang, monkeypatch):
    """Same bytes from SOURCE_DATE_EPOCH or --generated-at; otherwise the run's own time, in the
    properties and in 数据说明 (a run on 2026-11-29 used to say 2024-01-01 00:00:00)."""
    evaluation = evaluate(qianjiang, [read_census(p) for p in inputs])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    copies = tmp_path / "copied"
    copies.mkdir()
    copied = [Path(shutil.copy(p, copies / p.name)) for p in inputs]
    first = write_report(evaluation, tmp_path / "a.xlsx").read_bytes()
    time.sleep(1.1)  # a later run, a second apart
    second = write_report(evaluate(qianjiang, [read_census(p) for p in copied]), tmp_path / "b.xlsx").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        assert b"2023-11-14T22:13:20Z" in archive.read("docProps/core.xml")
    assert notes_value(tmp_path / "a.xlsx", "生成时间") == "2023-11-14 22:13:20"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    given = dt.datetime(2026, 3, 1, 9, 30)
    assert write_report(evaluation, tmp_path / "c.xlsx", given).read_bytes() == \
        write_report(evaluation, tmp_path / "d.xlsx", given).read_bytes()
    assert notes_value(tmp_path / "c.xlsx", "生成时间") == "2026-03-01 09:30:00"
    before = dt.datetime.now().replace(microsecond=0)
    write_report(evaluation, tmp_path / "now.xlsx")
    after = dt.datetime.now()
    shown = dt.datetime.strptime(notes_value(tmp_path / "now.xlsx", "生成时间"), "%Y-%m-%d %H:%M:%S")
    assert before <= shown <= after
    with zipfile.ZipFile(tmp_path / "now.xlsx") as archive:
        assert shown.strftime("%Y-%m-%dT%H:%M:%SZ").encode() in archive.read("docProps/core.xml")


def notes_value(path: Path, label: str):
    sheet = openpyxl.load_workbook(path, read_only=True)["数据说明"]
    return next(row[1] for row in sheet.iter_rows(values_only=True) if row[0] == label)


def test_cli_report(inputs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["report", *map(str, inputs)])
    assert result.exit_code == 0, result.output
    # Issue 16: into the current folder, never outputs/ (run's, with its unit workbooks and manifest).
    assert result.output.splitlines()[0] == "已生成报告：黔江区义务教育优质均衡推进情况_2022.xlsx"
    assert (tmp_path / "黔江区义务教育优质均衡推进情况_2022.xlsx").exists() and not (tmp_path / "outputs").exists()
    other = tmp_path / "2021年外区.xlsx"
    from excel_balance.census.template import write_template
    from excel_balance.plan import load_plan
    from excel_balance.resources import default_plan_path

    write_template(other, load_plan(default_plan_path()), year=2021, district="武隆区", schools=clean_schools())
    result = CliRunner().invoke(cli, ["report", str(other), str(inputs[1])])
    assert result.exit_code == 1
    assert "这些文件属于多个区县（武隆区、黔江区）：请用 excel-balance run 按区县分别生成报告" in result.output
    bad = tmp_path / "2020年.xls"
    bad.write_text("<html>")
    result = CliRunner().invoke(cli, ["report", str(bad), *map(str, inputs)])
    assert result.exit_code == 1 and "2020年.xls：无法使用" in result.output


# --- LibreOffice ---------------------------------------------------------------------------------


def boundary_census(tmp_path, qianjiang) -> Path:
    """A census whose values sit exactly on rounding boundaries (5.795, 2.295, 0.995, 5.295)."""
    from excel_balance.census.template import write_template

    rows = clean_schools()
    rows.append(school("0500114030", "边界初中", "初级中学", students_junior=20000, classes_junior=400,
                       qualified_junior=1059, key_junior=199, pe_junior=200, teaching_area=115900,
                       sports_area=210000, equipment_value=5100, multimedia_rooms=480, music_rooms=34, art_rooms=34))
    rows.append(school("0500114031", "边界小学", "小学", students_primary=20000, classes_primary=400,
                       qualified_primary=900, key_primary=199, pe_primary=200, teaching_area=90000,
                       sports_area=150000, equipment_value=4000, multimedia_rooms=459, music_rooms=34, art_rooms=34))
    return write_template(tmp_path / "2022年边界.xlsx", qianjiang, year=2022, schools=rows)


def test_libreoffice_recalculates_every_formula_to_the_cached_value(tmp_path, qianjiang, soffice):
    path = boundary_census(tmp_path, qianjiang)
    report = write_report(evaluate(qianjiang, [read_census(path)]), tmp_path / "report.xlsx")
    recalculated = soffice(report, tmp_path / "lo", to="xlsx", recalc=True)
    formulas = openpyxl.load_workbook(report)
    cached = openpyxl.load_workbook(report, data_only=True)
    redone = openpyxl.load_workbook(recalculated, data_only=True)
    checked = 0
    for name in ("学校明细", "差异系数"):
        for row in formulas[name].iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                mine, theirs = cached[name][cell.coordinate].value, redone[name][cell.coordinate].value
                if isinstance(mine, float):
                    assert theirs == pytest.approx(mine, abs=1e-9), (name, cell.coordinate, cell.value)
                else:
                    assert theirs == mine, (name, cell.coordinate, cell.value)
                checked += 1
    assert checked > 250  # 22 per section (12 sections) and 3 per 差异系数 row (14 rows)
    detail = cached["学校明细"]
    header = [c.value for c in detail[1]]
    boundary = {r[3]: r for r in detail.iter_rows(min_row=2, values_only=True) if r[3] in ("边界初中", "边界小学")}
    assert boundary["边界初中"][header.index("R4 值")] == 5.8  # 115900 × 1000/20000… 5.795 → 5.80
    assert boundary["边界初中"][header.index("R1 值")] == 5.3  # 5.295 → 5.30
    assert boundary["边界小学"][header.index("R7 值")] == 2.3 and boundary["边界小学"][header.index("R2 值")] == 1.0
    assert redone["学校明细"].cell(1, 1).value == "年度"


def test_cv_formulas_survive_sorting_the_school_sheet(report, soffice, tmp_path):
    """学校明细 offers Sort through its AutoFilter: shuffle its rows as a sort would (each row's own
    formulas moved with it), let LibreOffice recalculate, and every 差异系数 value stays the same."""
    from openpyxl.formula.translate import Translator

    book = openpyxl.load_workbook(report)
    detail = book["学校明细"]
    last = next(r for r in range(2, detail.max_row + 2) if detail.cell(r, 1).value is None) - 1
    rows = [[detail.cell(r, c).value for c in range(1, detail.max_column + 1)] for r in range(2, last + 1)]
    order = list(range(len(rows)))
    random.Random(13).shuffle(order)
    assert order != sorted(order) and {rows[i][0] for i in order[:4]} == {2021, 2022}  # years and levels mixed
    for target, source in enumerate(order, start=2):
        for col, value in enumerate(rows[source], start=1):
            if isinstance(value, str) and value.startswith("="):
                origin = detail.cell(source + 2, col).coordinate
                value = Translator(value, origin).translate_formula(detail.cell(target, col).coordinate)
            detail.cell(target, col).value = value
    sorted_path = tmp_path / "sorted.xlsx"
    book.save(sorted_path)
    redone = openpyxl.load_workbook(soffice(sorted_path, tmp_path / "lo", to="xlsx", recalc=True), data_only=True)
    assert [redone["学校明细"].cell(order.index(0) + 2, c).value for c in (1, 2, 4)] == rows[0][:2] + [rows[0][3]]
    unsorted = openpyxl.load_workbook(report, data_only=True)["差异系数"]
    values = 0
    for row in unsorted.iter_rows(min_row=2):
        for cell in row[4:8]:  # 全区值, 差异系数, 阈值, 差异系数达标
            theirs = redone["差异系数"][cell.coordinate].value
            if isinstance(cell.value, float):
                assert theirs == pytest.approx(cell.value, abs=1e-9), cell.coordinate
            else:
                assert theirs == cell.value, cell.coordinate
            values += 1
    assert values == 4 * 28  # 2 years × 2 levels × 7 resource indicators, 4 values each


def test_libreoffice_prints_the_plan_sheet_a3_one_page_wide(report, soffice, tmp_path):
    pdf = soffice(report, tmp_path)
    assert pdf_info(pdf)["Page size"].strip() == "1190.55 x 841.89 pts (A3)"
    pages = pdf_text(pdf)
    assert "一、各领域指标状态" in pages[0]  # the one-page 总览 first
    plan_pages = []
    for page in pages[1:]:
        if "内容与标准" not in page:
            break
        plan_pages.append(page)
    assert 2 <= len(plan_pages) <= 8
    for page in plan_pages:
        assert "指标名称" in page and "责任单位" in page and "实际" in page
    assert "黔江区义务教育优质均衡发展推进情况" in plan_pages[0]


def test_report_formulas_use_only_classic_functions(book):
    from xlsxwriter.worksheet import re_dynamic_function

    from excel_balance.report.measures_sheet import SHEET_NAME as MEASURES_SHEET
    from excel_balance.xlsx.formats import ClassicFormulaSheet

    formulas = [c.value for name in ("学校明细", "差异系数", MEASURES_SHEET) for row in book[name].iter_rows()
                for c in row if c.data_type == "f"]
    # Nor a dynamic-array function, nor an {array} formula: ClassicFormulaSheet skips XlsxWriter's checks for them.
    assert formulas and not [f for f in formulas if not isinstance(f, str) or re_dynamic_function.search(f)
                             or any(n in f for n in ClassicFormulaSheet.FUTURE)]
