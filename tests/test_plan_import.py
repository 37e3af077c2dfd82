"""`plan --import`: a district's plan table in Word or Excel becomes its plan file."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from excel_balance.cli import cli
from excel_balance.plan import load_plan
from tests.plan_docs import header, seed_document, write_docx, write_xlsx

DATA = Path(__file__).parent / "data"
SKIPPED = ("settings", "source", "measures")


def run(folder: Path, *args: str):
    import os

    old = Path.cwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(cli, ["plan", "--import", *args])
    finally:
        os.chdir(old)


def assert_same_plan(imported, expected):
    """Every field but the settings equal; indicators compared field by field for a clear failure."""
    for name in expected.__dataclass_fields__:
        if name not in SKIPPED and name != "indicators":
            assert getattr(imported, name) == getattr(expected, name), name
    assert [i.id for i in imported.indicators] == [i.id for i in expected.indicators]
    for got, want in zip(imported.indicators, expected.indicators):
        for name in want.__dataclass_fields__:
            assert getattr(got, name) == getattr(want, name), (want.id, name)


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed")
    return write_docx(folder / "黔江区推进规划.docx", *seed_document((DATA / "qianjiang_seed.txt").read_text("utf-8")))


def test_seed_table_as_word_document_imports_to_qianjiang_plan(seed_docx, qianjiang, tmp_path):
    import docx

    tables = docx.Document(str(seed_docx)).tables
    assert len(tables) == 4
    assert [t.cell(0, 0).text[:6] for t in tables[1:]] == ["政府保障程度", "政府保障程度", "教育质量（9"]
    assert tables[0].cell(3, 0)._tc is tables[0].cell(9, 0)._tc  # 资源配置 merged down (vMerge)
    assert tables[0].cell(0, 2)._tc is tables[0].cell(1, 3)._tc  # 现状 merged over two rows and columns

    result = run(tmp_path, str(seed_docx))
    assert result.exit_code == 0, result.output
    assert "识别指标 32 项（共 32 项国家指标）" in result.output
    assert "现状年度：2019；规划年度：2020、2021、2022、2023、2024" in result.output
    assert "R4：区教委、区财政局、区发展改革委、区住房城乡建委、区规划自然资源局" in result.output
    assert "G9：本规划“450学时”，国家标准“360学时”" in result.output
    written = tmp_path / "templates" / "plans" / "黔江区.yaml"
    text = written.read_text("utf-8")
    assert "# G9 与国家标准不同：本规划“450学时”，国家标准“360学时”" in text
    plan = load_plan(written)
    assert_same_plan(plan, qianjiang)
    assert plan.indicator("G9").evaluation == "number" and plan.measures["G9"].parts[0].at_least["小学"] == 90
    check = CliRunner().invoke(cli, ["plan", "--check", "--plan", str(written)])
    assert check.exit_code == 0 and "规划文件无问题：黔江区，32 项指标" in check.output


def test_an_existing_plan_file_is_kept_without_force(seed_docx, tmp_path):
    assert run(tmp_path, str(seed_docx)).exit_code == 0
    target = tmp_path / "templates" / "plans" / "黔江区.yaml"
    target.write_text("# 已修改", encoding="utf-8")
    refused = run(tmp_path, str(seed_docx))
    assert refused.exit_code == 1
    assert "错误：templates/plans/黔江区.yaml 已存在，未覆盖：如需替换请加 --force" in refused.output
    assert target.read_text("utf-8") == "# 已修改"
    assert run(tmp_path, str(seed_docx), "--force").exit_code == 0
    assert target.read_text("utf-8").startswith("# 黔江区创建")


# --- an invented county: 2022–2026, rows reordered, its own wording ---------------------------

YEARS = [2022, 2023, 2024, 2025, 2026]
UNITS = "县教育局\n县财政局\n县发展改革局"


def county_rows(national) -> dict[str, tuple[str, str | tuple, list, str]]:
    """Per national indicator: (text, baseline, targets per year, units). Merged rows give one
    text per cell; split rows a (小学, 初中) pair."""
    rows = {}
    for ind in national.indicators:
        text = ind.text.replace("县域内", "全县")
        if ind.evaluation == "school_count":
            cells = [(f"{20 + 5 * n}/40", f"{8 + 3 * n}/22") for n in range(5)]
            base = ("全县3.1人，达标18/40", "全县2.9人，达标6/22")
        elif ind.evaluation == "paired_count":
            cells = [(f"音乐{20 + 5 * n}/40，美术{19 + 5 * n}/40", f"音乐{12 + 2 * n}/22，美术{11 + 2 * n}/22")
                     for n in range(5)]
            base = ("音乐15/40，美术14/40", "音乐10/22，美术9/22")
        elif ind.id in ("G4", "G5"):
            cells = [(f"{90 + n}.5%", f"{85 + 2 * n}.25%") for n in range(5)]
            base = ("88.6%", "81.35%")
        elif ind.evaluation == "percent" and ind.merged:
            cells, base = [f"{95 + n}%" for n in range(5)], "94%"
        elif ind.evaluation == "percent":
            cells, base = [("100%", "100%")] * 5, ("100%", "98%")
        else:
            cells = ["达标"] * 5 if ind.merged else [("达标", "达标")] * 5
            base = cells[0]
        rows[ind.id] = (text, base, cells, UNITS if ind.id != "Q8" else "县教育局")
    rows["R2"] = ("2.每百名学生拥有县级及以上骨干教师数：小学、初中均达到1人以上",) + rows["R2"][1:]
    rows["G14"] = ("14.全县优质高中招生名额分配比例不低于60%，并向农村初中倾斜",) + rows["G14"][1:]
    return rows


# rows in a different order: R2 before R1, G15 before G14, Q9 first of its area
ORDER = ["R2", "R1", "R3", "R4", "R5", "R6", "R7", *[f"G{n}" for n in range(1, 14)], "G15", "G14",
         "Q9", *[f"Q{n}" for n in range(1, 9)], "S1"]


def county_document(national):
    rows = county_rows(national)
    areas = {a.name: a.text for a in national.areas}
    tables, grid, last_area = [], header(YEARS, "现状（2021年）"), None
    for ident in ORDER:
        text, base, cells, units = rows[ident]
        area = national.indicator(ident).area
        if ident == "G8":  # the table continues on the next page, with the header repeated
            tables.append(grid)
            grid, last_area = header(YEARS, "现状（2021年）"), None
        first = "^" if area == last_area else areas[area]  # area cells merged down
        last_area = area
        values = [x for v in (base, *cells) for x in ((v, "<") if isinstance(v, str) else v)]
        grid.append([first, text, *values, units])
    tables.append(grid)
    before = ["附件2", "青石县义务教育优质均衡发展推进规划（2022—2026年）"]
    after = ["注：", "1.有以下情况之一的县不予认定：存在以考试方式招生；存在违规择校行为；存在重点学校或重点班；"
             "存在“有编不补”或长期聘用编外教师的情况；教育系统存在重大安全责任事故和严重违纪违规事件；有弄虚作假行为。",
             "2.青石县现有小学40所，初中22所。"]
    return before, tables, after


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_invented_county_imports_field_by_field(kind, tmp_path):
    national = load_plan(Path(__file__).parent.parent / "templates" / "plans" / "national.yaml")
    writer = write_docx if kind == "docx" else write_xlsx
    source = writer(tmp_path / f"青石县规划.{kind}", *county_document(national))
    result = run(tmp_path, str(source))
    assert result.exit_code == 0, result.output
    assert "现状年度：2021；规划年度：2022、2023、2024、2025、2026" in result.output
    assert "G14：本规划“60%”，国家标准“50%”" in result.output
    plan = load_plan(tmp_path / "templates" / "plans" / "青石县.yaml")
    assert (plan.district, plan.title, plan.label) == ("青石县", "青石县义务教育优质均衡发展推进规划（2022—2026年）", "附件2")
    assert (plan.baseline_year, plan.plan_years, plan.baseline_label) == (2021, tuple(YEARS), "现状（2021年）")
    assert plan.footnote_title == "注：" and plan.footnotes[1] == "2.青石县现有小学40所，初中22所。"
    assert [i.id for i in plan.indicators] == [i.id for i in national.indicators]  # national order
    rows = county_rows(national)
    for ind in plan.indicators:
        text, base, cells, units = rows[ind.id]
        assert ind.text == text and ind.merged == national.indicator(ind.id).merged, ind.id
        assert ind.units == tuple(units.split("\n")), ind.id
        pair = (lambda v: {"全区": v}) if ind.merged else (lambda v: {"小学": v[0], "初中": v[1]})
        assert ind.baseline == pair(base), ind.id
        assert {y: {k: c.text for k, c in ind.targets[y].items()} for y in YEARS} == \
            {y: pair(c) for y, c in zip(YEARS, cells)}, ind.id
    g4 = plan.indicator("G4").targets[2026]["初中"].target
    assert (g4.value, g4.decimals) == (Decimal("93.25"), 2)
    assert plan.indicator("G14").standard["全区"] == 60 and plan.measures["G14"].parts[0].at_least["全区"] == 60
    assert plan.indicator("R2").standard == national.indicator("R2").standard


# --- round trips -------------------------------------------------------------------------------


def test_plan_workbook_imports_back_to_its_plan(qianjiang, tmp_path):
    made = CliRunner().invoke(cli, ["plan", "-o", str(tmp_path / "规划表.xlsx")])
    assert made.exit_code == 0, made.output
    result = run(tmp_path, "规划表.xlsx", "-o", "back.yaml")
    assert result.exit_code == 0, result.output
    assert_same_plan(load_plan(tmp_path / "back.yaml"), qianjiang)


def test_report_plan_sheet_imports_back_without_its_actual_rows(qianjiang, tmp_path):
    from excel_balance.census.reader import read_census
    from excel_balance.evaluate import evaluate
    from excel_balance.report.workbook import write_report
    from tests.census_data import write_clean

    census = write_clean(tmp_path / "2022年统计.xlsx", qianjiang)
    report = write_report(evaluate(qianjiang, [read_census(census)]), tmp_path / "报告.xlsx")
    result = run(tmp_path, str(report), "-o", "back.yaml")
    assert result.exit_code == 0, result.output
    # the report prints its own heading above the sheet, not the plan's 附件 label
    assert_same_plan(load_plan(tmp_path / "back.yaml"), replace(qianjiang, label=""))


# --- what the import cannot use ------------------------------------------------------------------


@pytest.mark.parametrize("name, kind", [("规划.doc", "旧版 Word 文档（.doc）"), ("规划.wps", "WPS 文档（.wps）"),
                                        ("规划.pdf", "PDF 文件")])
def test_old_formats_are_refused_with_what_to_do(tmp_path, name, kind):
    (tmp_path / name).write_bytes(b"old")
    result = run(tmp_path, name)
    assert result.exit_code == 1
    assert f"错误：{name} 是{kind}，无法直接读取：请在 Word 或 WPS 中打开，“另存为” .docx" in result.output
    assert not (tmp_path / "templates").exists()


def test_unmatched_row_bad_target_and_missing_baseline_year(tmp_path):
    before, tables, after = seed_document((DATA / "qianjiang_seed.txt").read_text("utf-8"))
    tables[0][4][1] = "2.每年组织全体学生参加春季运动会"  # R2's row: no national indicator
    tables[0][5][4] = "四十/71"  # R3 2020 小学
    after = after[:3]  # no footnote names the 2019—2020 school year
    source = write_docx(tmp_path / "规划.docx", before, tables, after)
    result = run(tmp_path, str(source))
    assert result.exit_code == 1
    assert "错误：规划.docx 表格1 第5行 第2列：“2.每年组织全体学生参加春季运动会”不能对应到32项国家指标中的任何一项" in result.output
    assert "错误：规划.docx 表格1 第6行 第5列：R3 2020年小学目标无法识别：“四十/71”不是“达标学校数/学校总数”的形式" in result.output
    assert "请用 --baseline-year 指定" in result.output
    assert "错误：规划.docx 规划表：缺少国家指标 R2 的行" in result.output
    assert not (tmp_path / "templates").exists()


# --- the imported plan is the one used ------------------------------------------------------------


def own_plan(folder: Path, name: str, district: str, lead_unit: str) -> Path:
    """The bundled plan as another district's file in the working folder's templates/plans/."""
    text = (Path(__file__).parent.parent / "templates" / "plans" / "qianjiang.yaml").read_text("utf-8")
    text = text.replace("district: 黔江区", f"district: {district}").replace("units: [区教委, 区人力社保局]",
                                                                         f"units: [{lead_unit}, 区人力社保局]")
    path = folder / "templates" / "plans" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_working_folder_plan_of_the_census_district_wins_over_the_bundled_one(qianjiang, tmp_path, monkeypatch):
    from excel_balance.workflow import PlanChooser

    own_plan(tmp_path, "黔江区.yaml", "黔江区", "黔江区教育委员会")
    monkeypatch.chdir(tmp_path)
    chooser = PlanChooser([], qianjiang)
    assert (chooser("黔江区").source, chooser("黔江区").indicator("R1").units[0]) == ("黔江区.yaml", "黔江区教育委员会")
    assert chooser("武隆区").district == "武隆区" and chooser("武隆区").source == "national.yaml"
    given = replace(qianjiang, title="命令行给出的规划")
    assert PlanChooser([given], qianjiang)("黔江区").title == "命令行给出的规划"  # --plan still first


def test_one_working_folder_plan_is_the_default_of_commands_without_census(tmp_path, monkeypatch):
    own_plan(tmp_path, "青石县.yaml", "青石县", "县教育局")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["plan", "--check"]).output.startswith("规划文件无问题：青石县，32 项指标")
    made = runner.invoke(cli, ["template", "--year", "2023"])
    assert made.exit_code == 0 and (tmp_path / "青石县2023年统计报表（填报模板）.xlsx").exists()  # current folder
    assert runner.invoke(cli, ["email", "--init"]).exit_code == 0
    assert "县教育局" in (tmp_path / "excel-balance.yaml").read_text("utf-8")


def test_several_working_folder_plans_are_chosen_by_name(tmp_path, monkeypatch):
    own_plan(tmp_path, "青石县.yaml", "青石县", "县教育局")
    own_plan(tmp_path, "白沙县.yaml", "白沙县", "县教育局")
    monkeypatch.chdir(tmp_path)
    for args in (["plan", "--check"], ["template"], ["email", "--init"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, args
        assert result.output == ("错误：templates/plans/ 中有多个规划文件，请用 --plan 指定其中一个："
                                 "templates/plans/白沙县.yaml、templates/plans/青石县.yaml\n")
    chosen = CliRunner().invoke(cli, ["plan", "--check", "--plan", "templates/plans/白沙县.yaml"])
    assert chosen.output.startswith("规划文件无问题：白沙县")


def test_a_year_missing_from_the_header_is_named(tmp_path):
    before, tables, after = seed_document((DATA / "qianjiang_seed.txt").read_text("utf-8"))
    tables[0][1][8] = "2023年（拟）"  # 2022 is no year column any more
    result = run(tmp_path, str(write_docx(tmp_path / "规划.docx", before, tables, after)))
    assert result.exit_code == 1
    assert "错误：规划.docx 表格1 第2行 第9列：表头“达标规划（达标学校数/学校总数）／2023年（拟）”不是年度" in result.output
    assert "错误：规划.docx 表格1 第2行 第1列：表头缺少2022年的小学、初中列" in result.output
    assert "现状年度：2019" in result.output  # the 现状 columns stay what they are


@pytest.mark.parametrize("title, district", [
    ("黔江区创建全国义务教育优质均衡发展区推进规划", "黔江区"),
    ("重庆市黔江区创建全国义务教育优质均衡发展区推进规划", "黔江区"),
    ("青石县义务教育优质均衡发展推进规划（2022—2026年）", "青石县"),
    ("石门市创建全国义务教育优质均衡发展市推进规划", "石门市"),
    ("某某自治县推进义务教育优质均衡发展规划", "某某自治县"),
])
def test_district_from_the_title(title, district):
    from excel_balance.plan_import.build import _district

    assert _district(title) == district
