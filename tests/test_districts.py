"""Census files covering several districts: one report per district and a summary across them."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner

import excel_balance.workflow as workflow
from excel_balance.census.reader import read_census
from excel_balance.census.template import write_template
from excel_balance.cli import cli
from excel_balance.evaluate import evaluate
from excel_balance.evaluate.rules import Status
from excel_balance.plan import load_plan
from excel_balance.report.summary_workbook import summarise_district
from excel_balance.resources import template_path
from tests.census_data import clean_recorded, clean_schools

DISTRICTS = ("黔江区", "武隆区", "彭水县")


def district_rows(district: str, n: int) -> list[dict]:
    """The clean table for each district, with its own IDs and figures a little apart."""
    rows = []
    for row in clean_schools():
        row = dict(row, district=district)
        row["school_id"] = row["school_id"][:-4] + f"{n}" + row["school_id"][-3:]
        if row.get("parent_id"):
            row["parent_id"] = row["parent_id"][:-4] + f"{n}" + row["parent_id"][-3:]
        row["name"] = f"{district[:2]}{row['name']}"
        for key in ("qualified_primary", "qualified_junior", "key_primary", "multimedia_rooms"):
            if row.get(key):
                row[key] += n
        rows.append(row)
    return rows


@pytest.fixture
def city(tmp_path, qianjiang):
    rows = [r for n, d in enumerate(DISTRICTS, start=1) for r in district_rows(d, n)]
    inputs = tmp_path / "city" / "inputs"
    inputs.mkdir(parents=True)
    write_template(inputs / "2022年全市统计.xlsx", qianjiang, year=2022, district="黔江区", schools=rows,
                   recorded=clean_recorded())
    return tmp_path


def alone(tmp_path, qianjiang, district: str, n: int):
    inputs = tmp_path / district / "inputs"
    inputs.mkdir(parents=True)
    write_template(inputs / "2022年统计.xlsx", qianjiang, year=2022, district=district,
                   schools=district_rows(district, n), recorded=clean_recorded() if district == "黔江区" else {})
    return inputs


def sheet_values(path, sheet):
    return [[c for c in row] for row in openpyxl.load_workbook(path, data_only=True)[sheet].iter_rows(values_only=True)]


@pytest.mark.parametrize("parallel_from", [99, 2])  # in this process, and in worker processes
def test_three_districts_give_three_reports_and_a_summary(city, tmp_path, qianjiang, monkeypatch, parallel_from):
    monkeypatch.setattr(workflow, "PARALLEL_FROM", parallel_from)
    report = workflow.run(city / "city" / "inputs", city / "city" / "outputs")
    assert [d.district for d in report.districts] == sorted(DISTRICTS)
    assert not report.failed
    national = load_plan(template_path("plans", "national.yaml"))
    for n, district in enumerate(DISTRICTS, start=1):
        outcome = next(d for d in report.districts if d.district == district)
        assert outcome.plan.title == (qianjiang.title if district == "黔江区" else national.title)
        single = workflow.run(alone(tmp_path, qianjiang, district, n), tmp_path / district / "outputs")
        mine, theirs = outcome.output, single.districts[0].output
        assert mine.name == theirs.name == f"{district}义务教育优质均衡推进情况_2022.xlsx"
        for sheet in ("推进规划", "学校明细", "差异系数", "缺口测算", "攻坚清单", "责任单位"):
            assert sheet_values(mine, sheet) == sheet_values(theirs, sheet), (district, sheet)
        assert outcome.summary == single.districts[0].summary
    # The summary: one row per district and level, with the figures of each district alone.
    assert report.summary_workbook.name == "全部区县义务教育优质均衡监测汇总_2022.xlsx"
    rows = sheet_values(report.summary_workbook, "各区县汇总")
    header, body = rows[0], [r for r in rows[1:] if r[0]]
    assert [(r[0], r[2]) for r in body] == [(d, lvl) for d in sorted(DISTRICTS) for lvl in ("小学", "初中")]
    for n, district in enumerate(DISTRICTS, start=1):
        census = read_census(alone(tmp_path / "again", qianjiang, district, n) / "2022年统计.xlsx")
        plan = qianjiang if district == "黔江区" else national
        summary = summarise_district(evaluate(plan, [census]), "")
        for level in summary.levels:
            row = next(r for r in body if r[0] == district and r[2] == level.level)
            assert row[3:10] == pytest.approx(list(level.values))
            assert row[10:17] == [float(v) for v in level.cvs]
            assert row[17:20] == [level.met, level.total, pytest.approx(level.met / level.total)]
    book = openpyxl.load_workbook(report.summary_workbook)
    sheet = book["各区县汇总"]
    assert sheet.auto_filter.ref.startswith("A1:")
    link = sheet.cell(2, len(header)).hyperlink
    assert link.target == "彭水县义务教育优质均衡推进情况_2022.xlsx"


def test_districts_without_a_plan_are_judged_on_the_national_standard(city):
    report = workflow.run(city / "city" / "inputs", city / "city" / "outputs")
    wulong = next(d for d in report.districts if d.district == "武隆区").evaluated()
    statuses = {c.status for c in wulong.latest.cells.values()}
    assert statuses == {Status.MET, Status.NOT_MET, Status.NO_DATA, Status.NOT_APPLICABLE}  # no yearly targets
    keys = [("R1", "小学"), ("R2", "初中"), ("G3", "初中"), ("G4", "小学"), ("G5", "小学"), ("G1", "全区"), ("G6", "初中")]
    cells = {key: wulong.latest.cells[key] for key in keys}
    assert {key: (c.actual_text, c.target_text, c.status) for key, c in cells.items()} == {
        # 武隆 adds 2 teachers to each row: 42 + 14 + 6 + (11 + 4 on the campus) + 32 = 109 of 1,966
        # primary students = 5.54 per 100; every section ≥ 4.2.
        ("R1", "小学"): ("全区5.54人，达标5/5", "每百名学生4.2人以上", Status.MET),
        # Junior key teachers 10 + 2 + 5 = 17 of 1,560 = 1.09; 正阳 has 2 of 210 = 0.95 < 1.
        ("R2", "初中"): ("全区1.09人，达标2/3", "每百名学生1人以上", Status.NOT_MET),
        # 正阳: 6 + 6 + 2 (campus) classes need 2 music rooms, it has 1.
        ("G3", "初中"): ("音乐2/3，美术2/3", "每12个班音乐、美术专用教室各1间以上", Status.NOT_MET),
        ("G4", "小学"): ("100%", "100%", Status.MET),
        # 18 + 7 + 4 + 8 + 12 = 49 primary classes, 2 over 45 pupils: 47/49 = 95.92% → 96%, not all.
        ("G5", "小学"): ("96%", "100%", Status.NOT_MET),
        ("G1", "全区"): ("", "达标", Status.NO_DATA),  # the file's 区级指标 are 黔江区's
        ("G6", "初中"): ("", None, Status.NOT_APPLICABLE),
    }
    cv = wulong.latest.resources[("初中", "R1")]
    assert cv.cv_threshold == Decimal("0.45")
    sheet = openpyxl.load_workbook(next(d for d in report.districts if d.district == "武隆区").output)["推进规划"]
    assert "国家标准" in [c.value for row in sheet.iter_rows(max_row=8) for c in row]


def test_run_one_district_of_a_city_file(city, monkeypatch):
    monkeypatch.chdir(city / "city")
    result = CliRunner().invoke(cli, ["run", "--district", "武隆区"])
    assert result.exit_code == 0, result.output
    assert "武隆区（2022年，规划：national.yaml）→ outputs/武隆区义务教育优质均衡推进情况_2022.xlsx（已生成）" in result.output
    assert sorted(p.name for p in (city / "city" / "outputs").glob("*.xlsx")) == ["武隆区义务教育优质均衡推进情况_2022.xlsx"]


def test_report_refuses_a_city_file(city):
    result = CliRunner().invoke(cli, ["report", str(city / "city" / "inputs" / "2022年全市统计.xlsx")])
    assert result.exit_code == 1
    assert "这些文件属于多个区县（彭水县、武隆区、黔江区）：请用 excel-balance run 按区县分别生成报告" in result.output
