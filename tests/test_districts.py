"""Census files covering several districts: one report per district and a summary across them."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import excel_balance.workflow as workflow
from excel_balance.census.exports import CampusEntry, combine, load_mapping, read_export, read_supplement, write_supplements
from excel_balance.census.reader import read_census
from excel_balance.census.schema import COLUMNS_BY_KEY
from excel_balance.census.template import write_template
from excel_balance.cli import cli
from excel_balance.evaluate import evaluate
from excel_balance.evaluate.rules import Status
from excel_balance.plan import load_plan
from excel_balance.problems import Severity
from excel_balance.report.summary_workbook import summarise_district
from excel_balance.resources import template_path
from tests.census_data import clean_recorded, clean_schools, school
from tests.export_data import SUPPLEMENT_KEYS, export_schools, fill_supplement, write_export

DISTRICTS = ("黔江区", "武隆区", "彭水县")


def district_rows(district: str, n: int, base=clean_schools) -> list[dict]:
    """The clean table (or `base()`) for each district, with its own IDs and figures a little apart."""
    rows = []
    for row in base():
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


def test_spawned_workers_write_what_forked_ones_write(city, tmp_path, monkeypatch):
    """Forked workers find their districts in the heap they inherit; workers started afresh
    (Windows, macOS) are sent them: the same reports, byte for byte."""
    monkeypatch.setattr(workflow, "PARALLEL_FROM", 2)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    inputs = city / "city" / "inputs"
    forked = workflow.run(inputs, tmp_path / "forked")
    real = multiprocessing.get_context
    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: real("spawn"))
    spawned = workflow.run(inputs, tmp_path / "spawned")
    assert not forked.failed and not spawned.failed and not workflow._INHERITED
    names = sorted(p.name for p in (tmp_path / "forked").glob("*.xlsx"))
    assert len(names) == len(DISTRICTS) + 1  # the reports and the summary
    assert names == sorted(p.name for p in (tmp_path / "spawned").glob("*.xlsx"))
    for name in names:
        assert (tmp_path / "forked" / name).read_bytes() == (tmp_path / "spawned" / name).read_bytes(), name


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


# --- a city's exports with their supplements ---------------------------------------------------------------

FILLED = ("推进规划", "学校明细", "差异系数", "缺口测算")


def export_rows(district: str, n: int) -> list[dict]:
    return district_rows(district, n, base=export_schools)


@pytest.fixture(scope="module")
def alone_reports(tmp_path_factory, qianjiang):
    """Each district's export schools in the template form, run alone: what the city's exports
    with their supplements must give."""
    root = tmp_path_factory.mktemp("alone")
    reports = {}
    for n, district in enumerate(DISTRICTS, start=1):
        inputs = root / district / "inputs"
        inputs.mkdir(parents=True)
        write_template(inputs / "2022年统计.xlsx", qianjiang, year=2022, district=district,
                       schools=export_rows(district, n), recorded=clean_recorded() if district == "黔江区" else {})
        reports[district] = workflow.run(inputs, root / district / "outputs").districts[0].output
    return reports


@pytest.fixture
def city_exports(tmp_path, monkeypatch):
    """A 小学 and a 中学 export covering the three districts, in tmp_path/inputs (the working folder)."""
    rows = [r for n, d in enumerate(DISTRICTS, start=1) for r in export_rows(d, n)]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    write_export(inputs / "2022小学基层表（全市）.xlsx", "小学", rows)
    write_export(inputs / "2022中学基层表（全市）.xlsx", "初中", rows)
    monkeypatch.chdir(tmp_path)
    return rows


def supplements(rows) -> list:
    """`supplement` on the city's exports, each district's workbook filled (黔江区's 区级指标 too)."""
    result = CliRunner().invoke(cli, ["supplement", "inputs/2022小学基层表（全市）.xlsx", "inputs/2022中学基层表（全市）.xlsx"])
    assert result.exit_code == 0, result.output
    names = [f"补充数据_{d}2022.xlsx" for d in sorted(DISTRICTS)]
    assert result.output.splitlines() == [f"已生成补充表：inputs/{n}（请填写后放进 inputs/）" for n in names]
    paths = [Path("inputs") / n for n in names]
    for path, district in zip(paths, sorted(DISTRICTS)):
        fill_supplement(path, rows, clean_recorded() if district == "黔江区" else {})
    return paths


def merge_into_one(paths: list[Path]) -> Path:
    """One workbook with every district's rows (黔江区's, whose 填报说明 states 黔江区 2022)."""
    first = next(p for p in paths if "黔江区" in p.name)
    book = openpyxl.load_workbook(first)
    for path in paths:
        if path != first:
            for row in openpyxl.load_workbook(path)["补充数据"].iter_rows(min_row=2, values_only=True):
                book["补充数据"].append(row)
            path.unlink()
    combined = first.with_name("补充数据.xlsx")
    book.save(combined)
    first.unlink()
    return combined


@pytest.mark.parametrize("one_file", [False, True], ids=["per-district", "combined"])
def test_city_exports_with_supplements_equal_each_district_alone(city_exports, alone_reports, tmp_path, one_file):
    paths = supplements(city_exports)
    for path, district in zip(paths, sorted(DISTRICTS)):
        info = dict(openpyxl.load_workbook(path)["填报说明"].iter_rows(max_row=2, values_only=True))
        assert info == {"区县": district, "统计年度": "2022"}
        schools = openpyxl.load_workbook(path)["补充数据"]
        assert {r[1][:2] for r in schools.iter_rows(min_row=2, values_only=True)} == {district[:2]}
        assert schools.max_row == 1 + len([r for r in export_rows(district, 1) if r.get("counted", "是") == "是"])
    if one_file:
        merge_into_one(paths)
    report = workflow.run(tmp_path / "inputs", tmp_path / "outputs")
    assert not report.failed, workflow.summary_lines(report)
    for district in DISTRICTS:
        outcome = next(d for d in report.districts if d.district == district)
        cells = outcome.evaluated().latest.cells
        assert [k for k, c in cells.items() if k[0] in ("R2", "G3", "G5") and c.status is Status.NO_DATA] == []
        for sheet in FILLED:
            assert sheet_values(outcome.output, sheet) == sheet_values(alone_reports[district], sheet), (district, sheet)
    # The summary: each district's supplement, and no R2, G3 or G5 among what is still 无数据.
    rows = sheet_values(report.summary_workbook, "各区县汇总")
    columns = rows[0].index("补充表"), rows[0].index("仍无数据的项目")
    given = {r[0]: tuple(r[c] for c in columns) for r in rows[1:] if r[0]}
    for district in DISTRICTS:
        supplement, no_data = given[district]
        assert supplement == ("补充数据.xlsx" if one_file else f"补充数据_{district}2022.xlsx")
        assert no_data == "无"


def test_the_summary_shows_which_district_lacks_its_supplement(city_exports, tmp_path, qianjiang):
    [path] = write_supplements(Path("inputs"), read_export(Path("inputs/2022小学基层表（全市）.xlsx")) +
                               read_export(Path("inputs/2022中学基层表（全市）.xlsx")), lambda d: qianjiang, "武隆区")
    fill_supplement(path, city_exports, {})
    report = workflow.run(tmp_path / "inputs", tmp_path / "outputs")
    rows = sheet_values(report.summary_workbook, "各区县汇总")
    at = rows[0].index("补充表")
    given = {r[0]: tuple(r[at:at + 2]) for r in rows[1:] if r[0]}
    assert given["黔江区"][0] == given["彭水县"][0] == "未提供"
    lacking = "初中超50人班数、初中骨干教师数、小学超45人班数、小学骨干教师数、达标美术专用教室数、达标音乐专用教室数"
    assert given["黔江区"][1] == given["彭水县"][1] == lacking
    assert given["武隆区"] == ("补充数据_武隆区2022.xlsx", "无")


def city_sheets(folder: Path, years=(2022,), campus=None) -> list:
    """The two city exports of each year, read; `campus` (a row) added to every district."""
    rows = [r for n, d in enumerate(DISTRICTS, start=1) for r in export_rows(d, n)]
    rows += [dict(campus, district=d) for d in DISTRICTS] if campus else []
    return [s for year in years for level, name in (("小学", "小学"), ("初中", "中学"))
            for s in read_export(write_export(folder / f"{year}{name}基层表.xlsx", level, rows, year=year))]


def filled(folder: Path, sheets, qianjiang, district: str, year: int = 2022, change=None) -> Path:
    """`district`'s supplement of `year`, filled from its rows; `change(book)` edits it after."""
    [path] = write_supplements(folder, [s for s in sheets if s.year == year], lambda d: qianjiang, district)
    n = DISTRICTS.index(district) + 1
    fill_supplement(path, export_rows(district, n), clean_recorded() if district == "黔江区" else {})
    if change:
        book = openpyxl.load_workbook(path)
        change(book)
        book.save(path)
    return path


def test_a_supplement_of_another_year_is_not_applied(tmp_path, qianjiang):
    sheets = city_sheets(tmp_path, years=(2021, 2022))
    path = filled(tmp_path, sheets, qianjiang, "武隆区", 2021)
    censuses, problems = combine(sheets, [read_supplement(path)], [], load_mapping())
    assert problems == []
    by_key = {(c.district, c.year): c for c in censuses}
    assert by_key[("武隆区", 2021)].missing == frozenset() and by_key[("武隆区", 2021)].supplements == (path.name,)
    assert by_key[("武隆区", 2022)].missing == frozenset(SUPPLEMENT_KEYS)  # not last year's figures
    assert by_key[("武隆区", 2022)].supplements == ()
    # Only this year's exports: last year's supplement is left unused, with a warning (not a refusal).
    censuses, problems = combine([s for s in sheets if s.year == 2022], [read_supplement(path)], [], load_mapping())
    assert [(str(p), p.severity) for p in problems] == [
        ("补充数据_武隆区2021.xlsx：补充表为2021年，输入中没有2021年的统计导出，未使用", Severity.WARNING)]
    assert all(c.missing == frozenset(SUPPLEMENT_KEYS) for c in censuses)


def test_a_supplement_row_in_no_export_of_its_year(tmp_path, qianjiang):
    sheets = city_sheets(tmp_path)
    path = filled(tmp_path, sheets, qianjiang, "彭水县",
                  change=lambda book: book["补充数据"].append(["2500114023", "外区学校", 1, 1, 0, 0, 1, 1]))
    _, problems = combine(sheets, [read_supplement(path)], [], load_mapping())
    rows = openpyxl.load_workbook(path)["补充数据"].max_row
    assert [str(p) for p in problems] == [f"补充数据_彭水县2022.xlsx 补充数据!A{rows}：学校标识码2500114023不在2022年的导出中"]
    # A mistyped ID: that row is refused, and its school (row 20: 5 header rows, 7 rows each of 黔江区 and
    # 武隆区 before it), left without the figures, too (not a silent 0).
    filled(tmp_path, sheets, qianjiang, "彭水县", change=lambda book: book["补充数据"].cell(2, 1, "2500114023"))
    censuses, problems = combine(sheets, [read_supplement(path)], [], load_mapping())
    assert [str(p) for p in problems] == [
        "补充数据_彭水县2022.xlsx 补充数据!A2：学校标识码2500114023不在2022年的导出中",
        "2022小学基层表.xlsx 基层表!第20行：学校“彭水城南小学”（0500113001）在补充表（补充数据_彭水县2022.xlsx）中没有一行，"
        "缺少小学骨干教师数、初中骨干教师数、小学超45人班数、初中超50人班数、达标音乐专用教室数、达标美术专用教室数：请在补充表中补上这所学校"]
    assert sorted(c.district for c in censuses) == ["武隆区", "黔江区"]


def test_the_district_sheet_belongs_to_the_district_its_workbook_states(tmp_path, qianjiang):
    sheets = city_sheets(tmp_path)
    path = filled(tmp_path, sheets, qianjiang, "黔江区")
    censuses, problems = combine(sheets, [read_supplement(path)], [], load_mapping())
    assert problems == []
    inputs = {c.district: c.inputs for c in censuses}
    assert inputs["黔江区"][("G12", "小学", "专任教师数")].number == 120 and inputs["武隆区"] == inputs["彭水县"] == {}
    # The same workbook stating a district no export has: its 区级指标 cannot be placed.
    book = openpyxl.load_workbook(path)
    book["填报说明"]["B1"] = "石柱县"
    book.save(path)
    _, problems = combine(sheets, [read_supplement(path)], [], load_mapping())
    assert [str(p) for p in problems] == ["补充数据_黔江区2022.xlsx 填报说明!B1：补充表的区级指标属于石柱县2022年，"
                                          "但输入中没有该区县该年的统计导出：请核对“填报说明”中的区县和统计年度"]


def test_two_supplements_with_different_figures_follow_the_duplicates_rule(tmp_path, qianjiang):
    sheets = city_sheets(tmp_path)
    old = filled(tmp_path, sheets, qianjiang, "武隆区")
    new = filled(tmp_path / "again", sheets, qianjiang, "武隆区", change=lambda book: book["补充数据"].cell(2, 3, 7))
    school_id = openpyxl.load_workbook(new)["补充数据"]["A2"].value
    header = openpyxl.load_workbook(new)["补充数据"]["C1"].value
    key = next(k for k in SUPPLEMENT_KEYS if header.startswith(COLUMNS_BY_KEY[k].header))
    os.utime(old, (1_700_000_000, 1_700_000_000))
    os.utime(new, (1_700_000_100, 1_700_000_100))
    censuses, problems = combine(sheets, [read_supplement(new), read_supplement(old)], [], load_mapping())
    assert problems == []
    wulong = next(c for c in censuses if c.district == "武隆区")
    assert next(s for s in wulong.schools if s.school_id == school_id).values[key] == 7
    stamp = lambda t: dt.datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M:%S")  # noqa: E731
    what = f"学校标识码{school_id}的{COLUMNS_BY_KEY[key].header}（2022年）"
    warnings = [str(p) for p in wulong.warnings if p.severity is Severity.WARNING]
    assert warnings == [f"补充数据_武隆区2022.xlsx 补充数据!C2：{what}在 补充数据_武隆区2022.xlsx 补充数据!C2（修改于 "
                        f"{stamp(1_700_000_100)}）和 补充数据_武隆区2022.xlsx 补充数据!C2（修改于 {stamp(1_700_000_000)}）中"
                        "不同：使用较新修改的 补充数据_武隆区2022.xlsx；如不对，请删除或更正 补充数据_武隆区2022.xlsx"]
    # The other figures are the same in both: one note for the pair of files.
    assert [p.message.endswith("项也相同）") for p in wulong.warnings if p.severity is Severity.NOTE] == [True]
    # Modified within 2 seconds of each other: neither is used, the district is refused.
    os.utime(new, (1_700_000_001, 1_700_000_001))
    censuses, problems = combine(sheets, [read_supplement(new), read_supplement(old)], [], load_mapping())
    assert "武隆区" not in {c.district for c in censuses}
    assert [p.message for p in problems] == [f"{what}在 补充数据_武隆区2022.xlsx 补充数据!C2（修改于 {stamp(1_700_000_000)}）"
                                             f"和 补充数据_武隆区2022.xlsx 补充数据!C2（修改于 {stamp(1_700_000_001)}）中不同，"
                                             "两个文件几乎同时修改，无法判断哪个是新的：请删除 补充数据_武隆区2022.xlsx 和 "
                                             "补充数据_武隆区2022.xlsx 中过时的一个后再运行"]


def test_the_campus_table_across_districts(tmp_path):
    campus = school("0500119000", "中心校村小", "小学", counted="否", students_primary=25, classes_primary=2,
                    qualified_primary=2, teaching_area=150, sports_area=200, equipment_value=3, multimedia_rooms=1)
    sheets = city_sheets(tmp_path, campus=campus)
    parents = {d: export_rows(d, n)[1]["school_id"] for n, d in enumerate(DISTRICTS, start=1)}
    # One name in three districts, one ID even: the parent in the campus's own export decides.
    table = [CampusEntry("中心校村小", parent) for parent in parents.values()]
    censuses, problems = combine(sheets, [], table, load_mapping())
    assert problems == []
    for census in censuses:
        [row] = [s for s in census.schools if s.name == "中心校村小"]
        assert (row.counted, row.parent_id) == (False, parents[census.district])


def test_supplement_for_one_district_of_a_city_export(city_exports, tmp_path):
    exports = ["inputs/2022小学基层表（全市）.xlsx", "inputs/2022中学基层表（全市）.xlsx"]
    result = CliRunner().invoke(cli, ["supplement", "--district", "武隆区", "-o", "表格", *exports])
    assert result.exit_code == 0, result.output
    assert result.output == "已生成补充表：表格/补充数据_武隆区2022.xlsx（请填写后放进 inputs/）\n"
    book = openpyxl.load_workbook(tmp_path / "表格" / "补充数据_武隆区2022.xlsx")
    assert book.properties.title == "武隆区2022年统计数据补充表"
    assert [r[0] for r in book["补充数据"].iter_rows(min_row=2, values_only=True)] == sorted(
        r["school_id"] for r in export_rows("武隆区", 2) if r.get("counted", "是") == "是")
    result = CliRunner().invoke(cli, ["supplement", "--district", "石柱县", *exports])
    assert result.exit_code == 1
    assert "导出中没有石柱县（导出中的区县：彭水县、武隆区、黔江区）" in result.output
    assert sorted(p.name for p in (tmp_path / "inputs").iterdir()) == sorted(Path(p).name for p in exports)
