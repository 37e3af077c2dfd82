"""Census-system exports, combined and evaluated like the template form of the same data."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from excel_balance.census.exports import CampusEntry, combine, load_mapping, read_export, read_supplement, write_supplement
from excel_balance.census.reader import read_census
from excel_balance.census.template import write_template
from excel_balance.cli import cli
from excel_balance.evaluate import evaluate
from excel_balance.evaluate.rules import Status
from excel_balance.problems import ProblemsError
from excel_balance.resources import template_path
from tests.census_data import clean_recorded, school
from tests.export_data import SUPPLEMENT_KEYS, export_schools, fill_supplement, write_export



@pytest.fixture
def exports(tmp_path):
    rows = export_schools()
    return [write_export(tmp_path / "2022小学基层表.xlsx", "小学", rows),
            write_export(tmp_path / "2022中学基层表.xlsx", "初中", rows)]


def combined(exports, tmp_path, qianjiang, mapping=None, supplement=True):
    sheets = [s for p in exports for s in read_export(p, mapping)]
    supplements = []
    if supplement:
        path = write_supplement(tmp_path / "补充数据.xlsx", sheets, qianjiang)
        supplements.append(read_supplement(fill_supplement(path, export_schools(), clean_recorded())))
    return combine(sheets, supplements, [], mapping or load_mapping())


def test_exports_with_a_supplement_evaluate_like_the_template(exports, tmp_path, qianjiang):
    censuses, problems = combined(exports, tmp_path, qianjiang)
    assert problems == [] and len(censuses) == 1
    census = censuses[0]
    assert (census.district, census.year, census.missing) == ("黔江区", 2022, frozenset())
    template = read_census(write_template(tmp_path / "2022模板.xlsx", qianjiang, year=2022, schools=export_schools(),
                                          recorded=clean_recorded()))
    from_exports, from_template = evaluate(qianjiang, [census]).latest, evaluate(qianjiang, [template]).latest
    assert from_exports.cells == {k: v for k, v in from_template.cells.items()}
    assert from_exports.resources == from_template.resources
    assert from_exports.conditions == from_template.conditions
    def by_section(result):
        return sorted((s.section.school_id, s.section.level, s.values, s.met) for s in result.sections)

    assert by_section(from_exports) == by_section(from_template)
    # The mixed school's sections and the 完全中学 whose 合计 includes its senior students.
    schools = {s.school_id: s for s in census.schools if s.counted}
    assert schools["0500114006"].values["students_junior"] == 210 and schools["0500114006"].values["students_primary"] == 166
    assert schools["0500114010"].values["students_junior"] == 1200 and schools["0500114010"].values["students_senior"] == 900
    assert schools["0500114010"].values["qualified_junior"] == 70  # 专科 not counted for junior
    assert schools["0500114006"].values["teaching_area"] == 2300  # whole-school figures taken once
    campus = next(s for s in census.schools if not s.counted)
    assert (campus.parent_id, campus.values["students_primary"]) == ("0500114006", 40)
    sources = dict(census.sources)
    assert sources["students_primary"] == "2022小学基层表.xlsx 基层表：在校生数/合计"
    assert sources["key_junior"] == "补充数据.xlsx 补充数据"
    assert sources["pe_art_primary"] == ("2022小学基层表.xlsx 基层表：专任教师/#按授课课程分/体育与健康 + "  # no 艺术/计
                                         "专任教师/#按授课课程分/艺术/音乐 + 专任教师/#按授课课程分/艺术/美术")


def test_without_a_supplement_the_missing_figures_are_no_data(exports, tmp_path, qianjiang):
    censuses, problems = combined(exports, tmp_path, qianjiang, supplement=False)
    assert problems == []
    census = censuses[0]
    assert census.missing == frozenset(SUPPLEMENT_KEYS)
    cells = evaluate(qianjiang, [census]).latest.cells
    for key in (("R2", "小学"), ("R2", "初中"), ("G3", "小学"), ("G5", "初中")):
        assert cells[key].status is Status.NO_DATA, key
        assert cells[key].note.startswith("缺少数据：")
    assert cells[("R1", "小学")].status is not Status.NO_DATA


def test_a_renamed_header_needs_one_line_of_the_mapping(tmp_path, qianjiang):
    rows = export_schools()
    renamed = {"教学仪器设备资产值（万元）": "教学仪器设备值（万元）"}
    exports = [write_export(tmp_path / "2022小学基层表.xlsx", "小学", rows, rename=renamed),
               write_export(tmp_path / "2022中学基层表.xlsx", "初中", rows, rename=renamed)]
    with pytest.raises(ProblemsError) as caught:
        read_export(exports[0])
    assert str(caught.value.problems[0]) == (
        "2022小学基层表.xlsx 基层表：小学导出缺少“固定资产总值/教学仪器设备资产值”列（教学仪器设备值）："
        "请核对表头，或在 templates/exports/教育统计导出.yaml 中改为导出实际的列名")
    original = template_path("exports", "教育统计导出.yaml").read_text(encoding="utf-8")
    edited = original.replace("equipment_value: 固定资产总值/教学仪器设备资产值（万元）",
                              "equipment_value: 固定资产总值/教学仪器设备值（万元）")
    assert len([a for a, b in zip(original.splitlines(), edited.splitlines()) if a != b]) == 1
    (tmp_path / "mapping.yaml").write_text(edited, encoding="utf-8")
    mapping = load_mapping(tmp_path / "mapping.yaml")
    censuses, problems = combined(exports, tmp_path, qianjiang, mapping)
    assert problems == [] and censuses[0].schools[0].values["equipment_value"] == 180.5


def test_a_missing_level_and_two_years(tmp_path, qianjiang):
    rows = export_schools()
    primary = write_export(tmp_path / "2022小学基层表.xlsx", "小学", rows)
    junior = write_export(tmp_path / "2021中学基层表.xlsx", "初中", rows, year=2021)
    sheets = read_export(primary) + read_export(junior)
    _, problems = combine(sheets, [], [], load_mapping())
    assert [str(p) for p in problems] == [
        "2021中学基层表.xlsx：黔江区2021年缺少小学导出（基层表），请把小学导出也放进来",
        "2022小学基层表.xlsx：黔江区2022年缺少中学导出（基层表），请把中学导出也放进来",
    ]


def test_the_supplement_explains_its_own_columns(exports, tmp_path, qianjiang):
    """Its 填报说明 used to be the census template's: a 学校 sheet, building columns it lacks."""
    sheets = [s for p in exports for s in read_export(p)]
    book = openpyxl.load_workbook(write_supplement(tmp_path / "补充数据.xlsx", sheets, qianjiang))
    titles = [c.value for c in book["补充数据"][1]]
    info = [r[:2] for r in book["填报说明"].iter_rows(values_only=True)]
    labels = [label for label, _ in info]
    assert labels == ["区县", "统计年度", "用途", "“补充数据”表", *titles[2:8], "灰色列（选填）", *titles[8:], "“区级指标”表"]
    assert titles[2:8] == ["小学骨干教师数(人)", "初中骨干教师数(人)", "小学超45人班数(个)", "初中超50人班数(个)",
                           "达标音乐专用教室数(间)", "达标美术专用教室数(间)"]
    # Optional, for G9 (黔江: 年均学时), G12, G13, Q3, Q4 per school: 专任教师数 is in the export (学历 added up).
    assert titles[8:] == ["举办者", "城乡分类", "小学持有教师资格证的专任教师数(人)", "初中持有教师资格证的专任教师数(人)",
                          "小学专任教师年均培训学时(学时)", "初中专任教师年均培训学时(学时)", "小学就近划片入学在校生数(人)",
                          "初中就近划片入学在校生数(人)", "是否寄宿制学校", "是否制定章程", "管理与教学信息化",
                          "上年度公用经费预算(万元)", "教师培训经费(万元)"]
    texts = dict(info)
    assert (texts["区县"], texts["统计年度"]) == ("黔江区", "2022")
    assert texts["小学超45人班数(个)"] == ("学生数超过45人的班数；只有小学部的学校填写，其他学校已预填0；"
                                         "整数，单位个；没有请填0（空白会被拒绝）。")
    assert texts["达标音乐专用教室数(间)"] == "面积不小于96平方米的音乐专用教室；整数，单位间；没有请填0（空白会被拒绝）。"
    assert texts["小学持有教师资格证的专任教师数(人)"] == "选填；持有相应学段及以上教师资格证；有小学部的学校填写；整数，单位人。"
    assert texts["是否寄宿制学校"] == "选填；是/否；寄宿制学校不计入就近划片入学比例；从下拉列表选择。"
    assert texts["灰色列（选填）"].startswith("按各校数据测算G9、G12、G13、Q3、Q4，并在报告中列出未达标的学校。")
    everything = "".join(f"{a}{b}" for a, b in info)
    assert "“学校”表" not in everything and "校舍" not in everything and "选填列" not in everything
    # As in the census template: notes on the headers, optional ones grey, dropdowns and number checks.
    sheet = book["补充数据"]
    headers = {c.value: c for c in sheet[1]}
    assert headers["是否制定章程"].comment.text == "是/否（选填）"
    assert headers["是否制定章程"].fill.fgColor.rgb.endswith("EDEDED")
    assert headers["小学骨干教师数(人)"].fill.fgColor.rgb.endswith("D9E1F2")
    checks = {str(v.sqref).split(":")[0]: (v.type, v.formula1) for v in sheet.data_validations.dataValidation}
    assert checks[f"{headers['管理与教学信息化'].column_letter}2"] == ("list", '"是,否"')
    assert checks[f"{headers['城乡分类'].column_letter}2"] == ("list", '"城区,镇区,乡村"')
    assert checks[f"{headers['教师培训经费(万元)'].column_letter}2"] == ("decimal", "0")
    # Blank, not 0, in a school's optional cells: a blank is "not given".
    assert {sheet.cell(2, headers[t].column).value for t in ("举办者", "小学就近划片入学在校生数(人)")} == {None}


def test_a_supplement_naming_a_school_not_in_the_export(exports, tmp_path, qianjiang):
    sheets = [s for p in exports for s in read_export(p)]
    path = write_supplement(tmp_path / "补充数据.xlsx", sheets, qianjiang)
    fill_supplement(path, export_schools(), {})
    book = openpyxl.load_workbook(path)
    book["补充数据"].append(["0500119999", "不存在的学校", 1, 1, 0, 0, 1, 1])
    book.save(path)
    _, problems = combine(sheets, [read_supplement(path)], [], load_mapping())
    last = book["补充数据"].max_row
    assert [str(p) for p in problems] == [f"补充数据.xlsx 补充数据!A{last}：学校标识码0500119999不在2022年的导出中"]


def test_a_campus_without_its_school_id_uses_the_campus_table(tmp_path, qianjiang):
    rows = export_schools()
    rows.append(school("0500114088", "石会小学（村小校点）", "小学", counted="否", students_primary=25, classes_primary=2,
                       qualified_primary=2, teaching_area=150, sports_area=200, equipment_value=3, multimedia_rooms=1))
    exports = [write_export(tmp_path / "2022小学基层表.xlsx", "小学", rows),
               write_export(tmp_path / "2022中学基层表.xlsx", "初中", rows)]
    sheets = [s for p in exports for s in read_export(p)]
    _, problems = combine(sheets, [], [], load_mapping())
    assert len(problems) == 1 and "校点“石会小学（村小校点）”（是否计校数为0）无法归入学校" in str(problems[0])
    assert str(problems[0]).startswith("2022小学基层表.xlsx 基层表!第")
    censuses, problems = combine(sheets, [], [CampusEntry("石会小学（村小校点）", "0500114002")], load_mapping())
    assert problems == []
    campus = next(s for s in censuses[0].schools if s.name == "石会小学（村小校点）")
    assert campus.parent_id == "0500114002"


def test_run_and_check_with_exports(exports, tmp_path, monkeypatch, qianjiang):
    monkeypatch.chdir(tmp_path)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for path in exports:
        path.rename(inputs / path.name)
    runner = CliRunner()
    # Issue 16: check judges the exports together, as run does (one alone lacks its 中学导出).
    alone = runner.invoke(cli, ["check", str(inputs / "2022小学基层表.xlsx")])
    assert alone.exit_code == 1 and "黔江区2022年缺少中学导出（基层表），请把中学导出也放进来" in alone.output
    result = runner.invoke(cli, ["check", str(inputs)])
    assert result.exit_code == 0, result.output
    assert "  基层表：小学导出，2022年，7行" in result.output
    assert "    小学在校生数 ← 在校生数/合计" in result.output
    result = runner.invoke(cli, ["run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "读取 inputs：统计报表 0 个，统计导出 2 个，修正表 0 个，跳过 0 个，无法使用 0 个"
    assert "    无数据（请用 excel-balance supplement 生成补充表填写）：" in result.output
    result = runner.invoke(cli, ["supplement", *(str(p) for p in sorted(inputs.iterdir()))])
    assert result.exit_code == 0 and "已生成补充表：inputs/补充数据_黔江区2022.xlsx" in result.output
    fill_supplement(inputs / "补充数据_黔江区2022.xlsx", export_schools(), clean_recorded())
    result = runner.invoke(cli, ["run"])
    assert result.exit_code == 0, result.output
    assert "统计导出 2 个，补充表 1 个" in result.output and "无数据（" not in result.output
    notes = openpyxl.load_workbook(tmp_path / "outputs" / "黔江区义务教育优质均衡推进情况_2022.xlsx")["数据说明"]
    texts = [c.value for row in notes.iter_rows() for c in row if c.value]
    assert "数据来源（统计系统导出）" in texts and "2022年 小学在校生数" in texts


def test_an_export_cell_that_is_not_a_number_is_named(tmp_path):
    rows = export_schools()
    rows[0]["students_primary"] = "八百"
    path = write_export(tmp_path / "2022小学基层表.xlsx", "小学", rows)
    with pytest.raises(ProblemsError) as caught:
        read_export(path)
    # Row 6: a title row, four header rows, then 城南小学; 在校生数/合计 is the 8th column (H).
    assert [str(p) for p in caught.value.problems] == [
        "2022小学基层表.xlsx 基层表!H6：“在校生数/合计”的值“八百”不是非负数字"]


def test_the_campus_table_file_in_a_run(tmp_path, monkeypatch):
    rows = export_schools()
    rows.append(school("0500114088", "石会小学（村小校点）", "小学", counted="否", students_primary=25, classes_primary=2,
                       qualified_primary=2, teaching_area=150, sports_area=200, equipment_value=3, multimedia_rooms=1))
    monkeypatch.chdir(tmp_path)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    write_export(inputs / "2022小学基层表.xlsx", "小学", rows)
    write_export(inputs / "2022中学基层表.xlsx", "初中", rows)
    runner = CliRunner()
    result = runner.invoke(cli, ["run"])
    assert result.exit_code == 1 and "  无法合并：2022小学基层表.xlsx" in result.output
    # The form used to come out empty although the run had just named the campus and its code.
    assert runner.invoke(cli, ["template", "--campuses"]).output == (
        "已生成校点归属表：inputs/校点归属.xlsx（列出上次运行无法归入学校的 1 个校点，"
        "请在“所属学校标识码”列从下拉列表选择所属学校）\n")
    book = openpyxl.load_workbook(inputs / "校点归属.xlsx")
    assert book.sheetnames == ["校点归属", "候选学校"] and book["候选学校"].sheet_state == "hidden"
    form = book["校点归属"]
    assert [c.value for c in form[1]] == ["校点名称", "校点标识码", "所属学校标识码", "来源"]
    assert [c.value for c in form[2]] == ["石会小学（村小校点）", "0500114088", None,
                                          "黔江区2022年 2022小学基层表.xlsx 基层表!第13行"]
    counted = sorted((r["school_id"], r["name"]) for r in export_schools() if r["counted"] == "是")
    listed = [r[0] for r in book["候选学校"].iter_rows(values_only=True)]
    assert listed[0] == "0500114002 石会小学"  # the likeliest first
    assert sorted(listed) == sorted(f"{i} {n}" for i, n in counted)
    (validation,) = form.data_validations.dataValidation
    assert (validation.type, validation.formula1, str(validation.sqref)) == (
        "list", f"候选学校!$A$1:$A${len(counted)}", "C2")
    form["C2"] = listed[0]  # as the dropdown fills it
    book.save(inputs / "校点归属.xlsx")
    result = runner.invoke(cli, ["run"])
    assert result.exit_code == 0, result.output
    assert "统计导出 2 个，校点归属表 1 个" in result.output
    # Placed now: the next form lists nothing.
    assert "没有无法归入学校的校点" in runner.invoke(cli, ["template", "--campuses", "-o", "空.xlsx"]).output


def test_the_summary_shows_no_data_for_what_an_export_lacks(exports, tmp_path, qianjiang):
    from excel_balance.report.summary_workbook import summarise_district

    censuses, _ = combined(exports, tmp_path, qianjiang, supplement=False)
    summary = summarise_district(evaluate(qianjiang, censuses), "")
    r2 = summary.indicator_ids.index("R2")
    for level in summary.levels:
        assert level.values[r2] is None and level.cvs[r2] is None and not level.cv_ok[r2]
        assert level.values[summary.indicator_ids.index("R1")] is not None


# --- exports laid out like the public script's: 教基1102 骨干教师, 艺术/计, 室内体育用房 -------------------------


def public_schools() -> list[dict]:
    """The export schools, with integrated-艺术 teachers and indoor sports rooms at two schools and
    different 骨干教师 counts per level at the nine-year school."""
    rows = export_schools()
    by_id = {r["school_id"]: r for r in rows if r["counted"] == "是"}
    by_id["0500114001"].update(arts_primary=2, indoor_sports_area=600)  # 城南小学, 800 students
    by_id["0500114005"].update(arts_junior=1, indoor_sports_area=900)  # 民族初级中学, 900 students
    by_id["0500114006"].update(key_primary=3)  # 正阳九年制学校: 3 primary, 2 junior
    return rows


@pytest.fixture
def public_exports(tmp_path):
    rows = public_schools()
    return [write_export(tmp_path / "2022小学基层表.xlsx", "小学", rows, public=True),
            write_export(tmp_path / "2022中学基层表.xlsx", "初中", rows, public=True)]


def by_section(result) -> dict:
    return {(s.section.school_id, s.section.level): s.values for s in result.sections}


def test_key_teachers_and_all_art_teachers_from_the_export(public_exports, tmp_path, qianjiang):
    sheets = [s for p in public_exports for s in read_export(p)]
    censuses, problems = combine(sheets, [], [], load_mapping())
    assert problems == []
    census = censuses[0]
    assert census.missing == frozenset({"oversize_primary", "oversize_junior", "music_rooms", "art_rooms"})
    sources = dict(census.sources)
    assert sources["key_primary"] == "2022小学基层表.xlsx 基层表：教基1102/县级以上骨干教师(小学)"
    assert sources["key_junior"] == "2022中学基层表.xlsx 基层表：教基1102/县级以上骨干教师(初中)"
    assert sources["pe_art_junior"] == ("2022中学基层表.xlsx 基层表：专任教师/#按授课课程分/体育与健康 + "
                                        "专任教师/#按授课课程分/艺术/计")
    result = evaluate(qianjiang, [census]).latest
    for level in ("小学", "初中"):  # R2 without a supplement
        assert result.cells[("R2", level)].status is not Status.NO_DATA
        assert not result.cells[("R2", level)].note.startswith("缺少数据")
    sections = by_section(result)
    chengnan, minzu = sections[("0500114001", "小学")], sections[("0500114005", "初中")]
    assert (chengnan["R2"].numerator, chengnan["R2"].value) == (9, 1.125)  # 9 per 100 of 800
    assert (minzu["R2"].numerator, str(minzu["R2"].shown)) == (10, "1.11")  # 10 per 100 of 900
    # The nine-year school: each level's own column of the 教基1102 group.
    assert sections[("0500114006", "小学")]["R2"].numerator == 3
    assert sections[("0500114006", "初中")]["R2"].numerator == 2
    # R3: 体育与健康 + 艺术/计, the general arts teachers included (音乐 + 美术 alone: 7 and 8).
    assert (chengnan["R3"].numerator, chengnan["R3"].value) == (9, 1.125)  # 3 + (2 + 2 + 2) per 100 of 800
    assert (minzu["R3"].numerator, minzu["R3"].value) == (9, 1.0)  # 4 + (2 + 2 + 1) per 100 of 900
    # The template form's 艺术（综合）column gives the same R3.
    template = read_census(write_template(tmp_path / "2022模板.xlsx", qianjiang, year=2022, schools=public_schools(),
                                          recorded=clean_recorded()))
    assert "arts_primary" in template.columns
    from_template = by_section(evaluate(qianjiang, [template]).latest)
    assert {k: v["R3"] for k, v in from_template.items()} == {k: v["R3"] for k, v in sections.items()}


def test_indoor_sports_rooms_under_the_national_plan_and_qianjiangs(public_exports, tmp_path, qianjiang):
    from excel_balance.plan import load_plan
    from excel_balance.report.workbook import write_report

    national = load_plan(template_path("plans", "national.yaml"))
    assert national.settings.refinements.net_indoor_sports and not qianjiang.settings.refinements.net_indoor_sports
    sheets = [s for p in public_exports for s in read_export(p)]
    census = combine(sheets, [], [], load_mapping())[0][0]
    assert "indoor_sports_area" in census.columns
    netted, gross = evaluate(national, [census]), evaluate(qianjiang, [census])
    net, plain = by_section(netted.latest), by_section(gross.latest)
    chengnan, minzu = ("0500114001", "小学"), ("0500114005", "初中")
    assert (net[chengnan]["R4"].value, net[chengnan]["R5"].value) == (4.25, 8.875)  # (4000 − 600) / 800, (6500 + 600) / 800
    assert (plain[chengnan]["R4"].value, plain[chengnan]["R5"].value) == (5.0, 8.125)  # 4000 / 800, 6500 / 800
    assert (str(net[minzu]["R4"].shown), net[minzu]["R5"].value) == ("5.11", 11.0)  # (5500 − 900) / 900, 9900 / 900
    assert (str(plain[minzu]["R4"].shown), plain[minzu]["R5"].value) == ("6.11", 10.0)
    assert netted.latest.warnings == gross.latest.warnings == ()
    # 数据说明 says which rule applied and which header path each figure came from.
    for evaluation, name, rule in ((netted, "national.xlsx", "教学及辅助用房扣除室内体育用房，体育运动场馆面积计入室内体育用房"),
                                   (gross, "qianjiang.xlsx", "教学及辅助用房、体育运动场馆面积按统计数据原数")):
        notes = openpyxl.load_workbook(write_report(evaluation, tmp_path / name))["数据说明"]
        rows = {row[0]: row[1] for row in notes.iter_rows(values_only=True) if row[0]}
        assert rows["R4、R5与室内体育用房"].startswith(rule)
        assert rows["2022年 初中骨干教师数"] == "2022中学基层表.xlsx 基层表：教基1102/县级以上骨干教师(初中)"
        assert rows["2022年 室内体育用房面积"] == "2022小学基层表.xlsx 基层表：本学年校舍建筑面积/教学及辅助用房/室内体育用房"
    # A template form without 室内体育用房面积 under the national plan: computed as it stands, and said so.
    template = read_census(write_template(tmp_path / "2022模板.xlsx", national, year=2022, schools=export_schools()))
    assert not any("indoor_sports_area" in s.values for s in template.schools)  # the column is there, blank
    notes = openpyxl.load_workbook(write_report(evaluate(national, [template]), tmp_path / "plain.xlsx"))["数据说明"]
    assert ("2022模板.xlsx", "", "警告", "规划启用了“教学及辅助用房扣除室内体育用房”细则，统计数据中没有室内体育用房面积："
            "R4、R5按教学及辅助用房、体育运动场馆面积原数测算，未扣除或计入室内体育用房") in set(notes.iter_rows(values_only=True))


def test_the_supplement_and_check_for_an_export_with_key_teachers(public_exports, tmp_path, qianjiang):
    sheets = [s for p in public_exports for s in read_export(p)]
    path = write_supplement(tmp_path / "补充数据.xlsx", sheets, qianjiang)
    header = [c.value for c in openpyxl.load_workbook(path)["补充数据"][1]]
    assert header[:6] == ["学校标识码", "学校名称", "小学超45人班数(个)", "初中超50人班数(个)", "达标音乐专用教室数(间)",
                          "达标美术专用教室数(间)"]
    assert header[6] == "举办者"  # then the optional school columns (test_the_supplement_explains_its_own_columns)
    result = CliRunner().invoke(cli, ["check", *map(str, public_exports)])  # together, as run reads them
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "    小学骨干教师数 ← 教基1102/县级以上骨干教师(小学)" in lines
    assert "    小学体育艺术专任教师数 ← 专任教师/#按授课课程分/体育与健康 + 专任教师/#按授课课程分/艺术/计" in lines
    primary = lines[:lines.index("2022中学基层表.xlsx：统计系统导出（按 templates/exports/教育统计导出.yaml 识别，该映射未经真实导出核对）")]
    assert primary[-2] == "  导出中没有、需用补充表填写：小学超45人班数、达标音乐专用教室数、达标美术专用教室数（excel-balance supplement 生成补充表）"
    assert primary[-1] == (  # one line, not a 未找到 line per optional column (专任教师数: the 学历 columns added up)
        "  选填的各校数据导出中没有（可在补充表填写，用于按各校测算G9、G12、G13、Q3、Q4）：小学持有教师资格证的专任教师数、"
        "小学近5年完成培训学时达标的专任教师数、小学专任教师年均培训学时、小学就近划片入学在校生数、是否寄宿制学校、"
        "是否制定章程、管理与教学信息化、上年度公用经费预算、教师培训经费")
    assert not [line for line in lines if line.startswith("    未找到：")]


def test_another_spelling_of_the_key_teacher_columns(tmp_path):
    renamed = {"县级以上骨干教师(小学)": "县级及以上骨干教师（小学）", "县级以上骨干教师(初中)": "县级及以上骨干教师（初中）"}
    path = write_export(tmp_path / "2022小学基层表.xlsx", "小学", public_schools(), rename=renamed, public=True)
    sheet = read_export(path)[0]
    assert sheet.found["key_primary"] == "教基1102/县级及以上骨干教师(小学)"
    assert [r["key_primary"] for r in sheet.rows if r["school_id"] in ("0500114001", "0500114006")] == [9, 3, 0]


def test_exports_naming_no_district_take_the_district_sheet_of_their_supplement(tmp_path, qianjiang):
    rows = export_schools()
    sheets = [s for level in ("小学", "初中")
              for s in read_export(write_export(tmp_path / f"2022{level}基层表.xlsx", level, rows, district=""))]
    path = fill_supplement(write_supplement(tmp_path / "补充数据_黔江区2022.xlsx", sheets, qianjiang), rows,
                           clean_recorded())
    [census], problems = combine(sheets, [read_supplement(path)], [], load_mapping())
    assert problems == [] and census.district == "" and census.missing == frozenset()
    assert census.inputs[("G12", "小学", "专任教师数")].number == 120
