from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from excel_balance.census.reader import read_census
from excel_balance.census.schema import SCHOOL_COLUMNS
from excel_balance.census.template import district_rows, write_template
from excel_balance.cli import cli
from excel_balance.problems import ProblemsError, Severity
from tests.census_data import clean_schools, school, write_clean
from tests.messy import messy_grid, write_xls, write_xlsx


def problems(path: Path, **kwargs) -> list[str]:
    with pytest.raises(ProblemsError) as caught:
        read_census(path, **kwargs)
    return [str(p) for p in caught.value.problems if p.severity is Severity.ERROR]


@pytest.fixture
def clean(tmp_path, qianjiang):
    return read_census(write_clean(tmp_path / "clean.xlsx", qianjiang))


# --- the template ----------------------------------------------------------------------------


def test_template_sheets_headers_and_input_help(tmp_path, qianjiang):
    path = write_template(tmp_path / "t.xlsx", qianjiang, year=2022)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["学校", "区级指标", "填报说明"]
    sheet = workbook["学校"]
    headers = [c.value for c in sheet[1]]
    assert headers[:8] == ["学校标识码", "学校名称", "办学类型", "举办者", "城乡分类", "是否计校数", "所属学校标识码",
                           "小学在校生数(人)"]
    assert "教学仪器设备值(万元)" in headers and "教学及辅助用房面积(㎡)" in headers
    assert headers == [c.title for c in SCHOOL_COLUMNS]
    assert sheet["A1"].comment.text.startswith("10位数字")
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation}
    # The 办学类型 list offers exactly what the column's note allows: the names and the national codes.
    note = sheet["C1"].comment.text
    assert note.startswith("小学/小学教学点/初级中学/九年一贯制学校/完全中学/十二年一贯制学校/特殊教育学校，或国标代码")
    allowed = note.split("，")[0].split("/") + note.split("国标代码")[1].split("/")
    assert lists["C2"] == '"' + ",".join(allowed) + '"'
    assert lists["C2"] == '"小学,小学教学点,初级中学,九年一贯制学校,完全中学,十二年一贯制学校,特殊教育学校,' \
                          '211,218,311,312,341,345,512"'
    assert lists["F2"] == '"是,否"'
    numeric = [dv for dv in sheet.data_validations.dataValidation if dv.type in ("whole", "decimal")]
    assert all(dv.operator == "greaterThanOrEqual" and dv.formula1 == "0" for dv in numeric)

    district = workbook["区级指标"]
    assert [c.value for c in district[1]] == ["编号", "指标内容", "学段", "填报项目", "单位", "数值", "备注"]
    rows = [(r[0].value, r[2].value, r[3].value, r[4].value) for r in district.iter_rows(min_row=2)]
    # One row per input of each district-level indicator and level the plan fills, and one per veto.
    assert ("G1", "全区", "学校规划布局合理、符合国家规定要求", "") in rows
    assert ("G6", "小学", "不足100名学生的村小学和教学点按100名学生核定公用经费", "") in rows
    assert not [r for r in rows if r[:2] == ("G6", "初中")] and not [r for r in rows if r[:2] == ("Q1", "小学")]
    assert [r[2:] for r in rows if r[0] == "G8"] == [("教师年平均工资收入", "元"), ("公务员年平均工资收入", "元"),
                                                   ("绩效工资总量足额核定", "")]
    assert [r[2:] for r in rows if r[0] == "G11"] == [("符合交流条件教师数", "人"), ("交流轮岗教师数", "人"),
                                                    ("其中骨干教师数", "人")]
    assert ("G9", "小学", "专任教师年均培训学时", "学时") in rows  # Qianjiang's own G9 measure
    assert ("Q1", "初中", "初中三年巩固率", "%") in rows and ("V6", "全区", "", "") in rows
    assert not {r[0] for r in rows} & {"R1", "G3", "G4", "G5"}
    # G: G1 G2 G6 G7 G10 1 each, G8 3, G9 1×2, G11 3, G12 2×2, G13 2×2, G14 2, G15 2 = 25;
    # Q: Q1 1, Q2 2, Q3 2×2, Q4 2×2, Q5–Q8 1×2 each, Q9 2×2 = 23; S1 1; vetoes 6.
    assert len(rows) == len(district_rows(qianjiang)) == 25 + 23 + 1 + 6
    dropdowns = {str(dv.sqref): dv.formula1 for dv in district.data_validations.dataValidation if dv.type == "list"}
    g8 = next(n for n, r in enumerate(rows, start=2) if r[2] == "绩效工资总量足额核定")
    q8 = next(n for n, r in enumerate(rows, start=2) if r[:3] == ("Q8", "小学", "过重课业负担"))
    assert dropdowns[f"F{g8}"] == '"是,否"' and dropdowns[f"F{q8}"] == '"无,有"' and dropdowns[f"F{len(rows) + 1}"] == '"不存在,存在"'
    info = workbook["填报说明"]
    assert [info["A1"].value, info["B1"].value, info["A2"].value, info["B2"].value] == ["区县", "黔江区", "统计年度", "2022"]


def test_types_entered_as_national_codes_are_read(tmp_path, qianjiang):
    codes = {"小学": "211", "小学教学点": "218", "初级中学": "311", "九年一贯制学校": "312", "完全中学": "341",
             "十二年一贯制学校": "345", "特殊教育学校": "512"}
    rows = [dict(r, school_type=codes[r["school_type"]]) for r in clean_schools()]
    census = read_census(write_template(tmp_path / "codes.xlsx", qianjiang, year=2022, schools=rows))
    assert [s.school_type.label for s in census.schools] == [r["school_type"] for r in clean_schools()]
    assert {r["school_type"] for r in clean_schools()} >= {"小学", "小学教学点", "初级中学", "九年一贯制学校"}


def test_template_round_trips(clean):
    assert clean.year == 2022 and clean.district == "黔江区" and not clean.sample
    by_row = {(s.school_id, s.counted): s for s in clean.schools}
    assert len(clean.schools) == len(clean_schools())
    for expected in clean_schools():
        got = by_row[(expected["school_id"], expected["counted"] == "是")]
        assert got.name == expected["name"]
        assert got.school_type.label == expected["school_type"]
        assert (got.sponsor, got.urban_rural, got.parent_id) == (
            expected["sponsor"], expected["urban_rural"], expected.get("parent_id", ""))
        for key, value in expected.items():
            if isinstance(value, (int, float)):
                assert got.values[key] == value, (expected["name"], key)
    assert by_row[("0500114001", True)].values["equipment_value"] == 180.5
    assert {k: v.text for k, v in clean.recorded.items()} == {("V1", "全区"): "不存在"}
    assert {k: v.text for k, v in clean.inputs.items()} == {
        ("G1", "全区", "学校规划布局合理、符合国家规定要求"): "是", ("G12", "小学", "专任教师数"): "120人",
        ("G12", "小学", "持有教师资格证的专任教师数"): "120人", ("Q1", "初中", "初中三年巩固率"): "96.5%",
        ("Q8", "小学", "过重课业负担"): "无", ("G9", "初中", "专任教师年均培训学时"): "92学时"}
    assert clean.inputs[("Q1", "初中", "初中三年巩固率")].number == Decimal("96.5")


def test_cli_template(tmp_path, monkeypatch):
    """Issue 16, item 2: the template goes to the current folder, not inputs/, and says where;
    a blank template given to check is a note and exit 0, not an error."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["template", "--year", "2023"])
    assert result.exit_code == 0, result.output
    blank = tmp_path / "黔江区2023年统计报表（填报模板）.xlsx"
    assert result.output == f"已生成填报模板：{blank}（填好学校数据后放进 inputs/）\n"
    assert not (tmp_path / "inputs").exists()
    result = CliRunner().invoke(cli, ["check", blank.name])
    assert result.exit_code == 0, result.output
    assert result.output == f"{blank.name}：空白的填报模板（表头下没有学校数据），已跳过：填写学校数据后再放入\n"


# --- messy workbooks read to the same data ---------------------------------------------------


@pytest.mark.parametrize("two_rows", ["", "group_on_top", "level_on_top"])
@pytest.mark.parametrize("writer", [write_xlsx, write_xls])
def test_messy_variants_read_like_the_clean_table(tmp_path, clean, two_rows, writer):
    rows, merges = messy_grid(clean_schools(), two_rows=two_rows)
    suffix = "xlsx" if writer is write_xlsx else "xls"
    census = read_census(writer(tmp_path / f"2022年学校统计.{suffix}", rows, merges))
    assert census.schools == clean.schools
    assert census.year == 2022
    # Only the small teaching point's warning: the totals row agrees with the rows.
    assert [p.message for p in census.warnings] == [
        "教学点“水田教学点”在校生30人（不足50人），不参加资源配置指标测算"]


def test_format_is_recognised_by_content_not_extension(tmp_path, clean):
    rows, merges = messy_grid(clean_schools())
    xls_named_xlsx = write_xls(tmp_path / "2022年（其实是xls）.xlsx", rows, merges)
    xlsx_named_xls = write_xlsx(tmp_path / "2022年（其实是xlsx）.xls", rows, merges)
    assert read_census(xls_named_xlsx).schools == clean.schools
    assert read_census(xlsx_named_xls).schools == clean.schools


def test_aliases_from_the_plan_file(tmp_path, clean):
    rows, merges = messy_grid(clean_schools(), title=False, totals=False)
    rows[0] = [h.replace("学校代码", "学校标示码") for h in rows[0]]
    path = write_xlsx(tmp_path / "2022.xlsx", rows, merges)
    assert problems(path) == ["2022.xlsx 学校!第1行：缺少必填列“学校标识码”，最接近的列名是“学校标示码”"]
    assert read_census(path, aliases={"学校标示码": "学校标识码"}).schools == clean.schools


# --- errors name the file, sheet and cell ----------------------------------------------------


def write_rows(tmp_path: Path, plan, schools: list[dict], name: str = "2022年统计.xlsx", year=None) -> Path:
    return write_template(tmp_path / name, plan, year=year, schools=schools)


def test_text_in_a_numeric_column_names_the_cell(tmp_path, qianjiang):
    schools = clean_schools()
    schools[4]["equipment_value"] = "一百"
    path = write_rows(tmp_path, qianjiang, schools)
    col = [c.key for c in SCHOOL_COLUMNS].index("equipment_value")
    assert col == 26  # column AA
    assert problems(path) == ["2022年统计.xlsx 学校!AA6：教学仪器设备值“一百”不是数字"]


def test_every_row_error_is_reported_with_its_cell(tmp_path, qianjiang):
    schools = clean_schools()
    schools[1]["students_primary"] = -5                      # H3 negative
    schools[1]["key_primary"] = 2.5                          # Q3 not a whole number
    schools[2]["students_junior"] = 12                       # I4 primary-type school with junior students
    schools[4]["oversize_junior"] = 30                       # N6 more over-size classes than classes
    schools[5]["school_id"] = "0500114001"                   # A7 duplicate ID
    schools[6]["classes_primary"] = None                     # K8 required figure left blank
    schools[7]["parent_id"] = "0500119999"                   # G9 branch campus with unknown parent
    schools.append(school("0500114010", "空壳小学", "小学", qualified_primary=3))  # P11 teachers, no students
    schools.append(school("050011401", "短码小学", "小学", students_primary=10, classes_primary=1))  # A12
    path = write_rows(tmp_path, qianjiang, schools)
    assert problems(path) == [
        "2022年统计.xlsx 学校!H3：小学在校生数不能为负数（现为-5）",
        "2022年统计.xlsx 学校!Q3：小学骨干教师数应为整数（现为2.5）",
        "2022年统计.xlsx 学校!K8：小学班数未填写（没有请填0）",
        "2022年统计.xlsx 学校!A12：学校标识码应为10位数字，现为“050011401”（若开头的0丢失，请把该列设为文本格式后重新填写）",
        "2022年统计.xlsx 学校!I4：办学类型为小学教学点，却填有初中在校生数12：请核对办学类型或学生数",
        "2022年统计.xlsx 学校!N6：初中超50人班数30多于初中班数18",
        "2022年统计.xlsx 学校!A7：学校标识码0500114001重复（第2行已有）；分校区请在“是否计校数”填“否”",
        "2022年统计.xlsx 学校!G9：分校区“正阳九年制学校（东校区）”的所属学校标识码“0500119999”，不是本文件中的学校",
        "2022年统计.xlsx 学校!O11：填有小学教师，但小学在校生数为0：请核对",
    ]


def test_a_branch_campus_may_share_its_parents_id(clean):
    ids = [s.school_id for s in clean.schools]
    assert ids.count("0500114006") == 2


def test_formula_without_cached_value_is_named(tmp_path, qianjiang):
    path = write_clean(tmp_path / "2022.xlsx", qianjiang)
    workbook = openpyxl.load_workbook(path)
    workbook["学校"]["H3"] = "=100+200"  # openpyxl saves formulas without a cached result
    workbook.save(path)
    assert problems(path) == [
        "2022.xlsx 学校!H3：公式单元格没有保存计算结果：请在 Excel 中打开、重新计算并保存，或改为填写数值"]


def test_year_sources(tmp_path, qianjiang):
    no_year = write_template(tmp_path / "统计报表.xlsx", qianjiang, schools=clean_schools())
    assert problems(no_year) == [
        "统计报表.xlsx：无法确定统计年度：请在“填报说明”中填写统计年度、在文件名中写明年份，或运行时加 --year 2022"]
    assert read_census(no_year, year=2021).year == 2021
    conflict = write_template(tmp_path / "2021年统计报表.xlsx", qianjiang, year=2022, schools=clean_schools())
    assert problems(conflict) == ["2021年统计报表.xlsx：统计年度不一致：填报说明!B2为2022，文件名为2021。请改正后再试"]
    rows, merges = messy_grid(clean_schools())  # title: 2022—2023学年
    titled = write_xlsx(tmp_path / "学校统计.xlsx", rows, merges)
    assert read_census(titled).year == 2022


def test_percentages_in_the_district_sheet(tmp_path, qianjiang):
    path = write_clean(tmp_path / "2022.xlsx", qianjiang)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["区级指标"]
    rows = {(r[0].value, r[2].value, r[3].value): r[5] for r in sheet.iter_rows(min_row=2)}
    g14 = rows[("G14", "全区", "优质高中招生名额分配比例")]
    g14.value, g14.number_format = 0.62, "0.0%"
    rows[("Q1", "初中", "初中三年巩固率")].value = "97.4%"
    s1 = rows[("S1", "全区", "社会认可度调查满意比例")]
    s1.value = 0.98  # unformatted: 0.98% or 98%?
    workbook.save(path)
    assert problems(path) == [f"2022.xlsx 区级指标!{s1.coordinate}：S1“社会认可度调查满意比例”的数值0.98含义不明确：百分比请填写如 96 或 96%"]
    s1.value = 98
    workbook.save(path)
    inputs = read_census(path).inputs
    g14 = inputs[("G14", "全区", "优质高中招生名额分配比例")]
    assert (g14.number, g14.text) == (Decimal("62"), "62%")
    assert inputs[("Q1", "初中", "初中三年巩固率")].number == Decimal("97.4")
    assert inputs[("S1", "全区", "社会认可度调查满意比例")].number == Decimal("98")


# --- warnings ---------------------------------------------------------------------------------


def test_warnings_name_their_cells(tmp_path, qianjiang):
    schools = clean_schools()
    schools[1]["teaching_area"] = 16000  # 53.3 ㎡ per student
    rows, merges = messy_grid(schools, two_rows="", title=False, aliases=False, messy_numbers=False, blank_rows=False)
    rows[-1][[c.key for c in SCHOOL_COLUMNS].index("students_primary")] = 1  # wrong total
    census = read_census(write_xlsx(tmp_path / "2022.xlsx", rows, merges))
    assert [str(w) for w in census.warnings] == [
        "2022.xlsx 学校!Y3：“石会小学”生均教学及辅助用房53.3㎡，超过50㎡，请核对面积或学生数",
        "2022.xlsx 学校!H4：教学点“水田教学点”在校生30人（不足50人），不参加资源配置指标测算",
        "2022.xlsx 学校!H11：合计行的小学在校生数为1，各校之和为1996",
    ]


def test_teaching_point_rule_follows_the_plan_setting(tmp_path, qianjiang):
    from dataclasses import replace

    schools = clean_schools()
    schools[3]["students_primary"] = 50
    path = write_rows(tmp_path, qianjiang, schools, year=2022)
    default = [w.message for w in read_census(path, settings=qianjiang.settings).warnings]
    assert not any("白土教学点" in m for m in default)  # 50 is not "under 50"
    inclusive = replace(qianjiang.settings, teaching_point_comparator="<=")
    assert any(m.startswith("教学点“白土教学点”在校生50人（50人及以下）") for m in
               [w.message for w in read_census(path, settings=inclusive).warnings])


# --- hostile files ----------------------------------------------------------------------------


def only_problem(path: Path, **kwargs) -> str:
    found = problems(path, **kwargs)
    assert len(found) == 1, found
    return found[0]


def test_password_protected_workbook(tmp_path, qianjiang):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_clean(tmp_path / "plain.xlsx", qianjiang)
    with plain.open("rb") as source, (tmp_path / "2022加密.xlsx").open("wb") as out:
        OOXMLFile(source).encrypt("secret", out)
    assert only_problem(tmp_path / "2022加密.xlsx").startswith("2022加密.xlsx：工作簿设有打开密码，无法读取")


def test_truncated_and_corrupt_files(tmp_path, qianjiang):
    data = write_clean(tmp_path / "full.xlsx", qianjiang).read_bytes()
    (tmp_path / "2022截断.xlsx").write_bytes(data[: len(data) // 2])
    assert only_problem(tmp_path / "2022截断.xlsx").startswith("2022截断.xlsx：文件已损坏或不完整")
    (tmp_path / "2022.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert only_problem(tmp_path / "2022.xls").startswith("2022.xls：文件已损坏或不完整")
    (tmp_path / "2022空.xlsx").write_bytes(b"")
    assert only_problem(tmp_path / "2022空.xlsx") == "2022空.xlsx：文件是空的（0字节），请重新复制或导出"


def test_html_and_csv_named_xls(tmp_path):
    (tmp_path / "2022网页.xls").write_text("<html><table><tr><td>学校</td></tr></table></html>", encoding="utf-8")
    assert "改了扩展名的网页" in only_problem(tmp_path / "2022网页.xls")
    (tmp_path / "2022文本.xls").write_text("学校标识码,学校名称\n0500114001,城南小学\n", encoding="gb18030")
    assert "不是 Excel 工作簿，而是文本（CSV）文件" in only_problem(tmp_path / "2022文本.xls")


def test_declared_size_over_the_limit_is_refused_before_parsing(tmp_path, qianjiang):
    path = write_clean(tmp_path / "2022.xlsx", qianjiang)
    declared = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    message = only_problem(path, size_limit=declared - 1)
    assert message.startswith("2022.xlsx：解压后大小为") and "为安全起见不予读取" in message
    assert read_census(path, size_limit=declared).year == 2022


def test_xml_entity_declarations_are_refused(tmp_path, qianjiang):
    path = write_clean(tmp_path / "2022.xlsx", qianjiang)
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>')
    source = zipfile.ZipFile(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = bomb.encode() if item.filename == "xl/sharedStrings.xml" else source.read(item)
            target.writestr(item, data)
    path.write_bytes(buffer.getvalue())
    assert "含有 XML 实体声明（DTD）" in only_problem(path)


def test_empty_workbook_and_missing_school_sheet(tmp_path):
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(tmp_path / "2022空表.xlsx"))
    workbook.add_worksheet("学校")
    workbook.close()
    assert only_problem(tmp_path / "2022空表.xlsx") == "2022空表.xlsx 学校：工作表是空的，没有学校数据"
    workbook = xlsxwriter.Workbook(str(tmp_path / "2022其他.xlsx"))
    workbook.add_worksheet("Sheet1").write(0, 0, "x")
    workbook.add_worksheet("Sheet2").write(0, 0, "y")
    workbook.close()
    assert only_problem(tmp_path / "2022其他.xlsx") == "2022其他.xlsx：找不到“学校”工作表（现有工作表：Sheet1、Sheet2）"


# --- excel-balance check ------------------------------------------------------------------------


def test_cli_check_summary_and_exit_codes(tmp_path, qianjiang):
    good = write_clean(tmp_path / "2022年统计.xlsx", qianjiang)
    lock = tmp_path / "~$2022年统计.xlsx"
    lock.write_bytes(b"\x00lock")
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(good), str(lock)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "2022年统计.xlsx：可以使用",
        "  区县：黔江区；统计年度：2022（2022—2023学年）",
        "  学校：小学2所，小学教学点2所，初级中学1所，九年一贯制学校1所，十二年一贯制学校1所，特殊教育学校1所；分校区1个",
        "  学段：小学5个，初中3个；区级指标已填7项",
        "  警告：2022年统计.xlsx 学校!H4：教学点“水田教学点”在校生30人（不足50人），不参加资源配置指标测算",
        "~$2022年统计.xlsx：临时文件或隐藏文件，已忽略",
    ]
    bad = tmp_path / "2021年统计.xls"
    bad.write_text("<html></html>")
    result = runner.invoke(cli, ["check", str(good), str(bad)])
    assert result.exit_code == 1
    assert "2021年统计.xls：无法使用，共 1 处错误" in result.output
    assert "2022年统计.xlsx：可以使用" in result.output
