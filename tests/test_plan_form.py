"""`plan --form`: the plan form a district without a plan table fills in, and `plan --import` of
the filled form."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from excel_balance.cli import cli
from excel_balance.plan import DISTRICT, load_plan
from excel_balance.report.plan_form import NOTICE
from tests.seed import norm
from tests.test_plan_sheet import A3_LANDSCAPE, pdf_info, pdf_text

COUNTY = "青山县"
YEARS = (2025, 2026, 2027)
# Columns of the form for three years: 现状 C–D, then 小学/初中 per year, 责任单位 K.
BASELINE_COLS, YEAR_COLS, UNITS_COL = ("C", "D"), {2025: ("E", "F"), 2026: ("G", "H"), 2027: ("I", "J")}, "K"
FIRST_ROW = 6  # notice, title, three header rows
IDS = ["R1", "R2", "R3", "R4", "R5", "R6", "R7", *(f"G{n}" for n in range(1, 16)), *(f"Q{n}" for n in range(1, 10)), "S1"]
ROW = {ident: FIRST_ROW + n for n, ident in enumerate(IDS)}
MERGED = {"G1", "G2", "G7", "G8", "G10", "G11", "G14", "G15", "Q2", "S1"}
NATIONAL_FOOTNOTE = ("1.有以下情况之一的县（区）不予认定：存在以考试方式招生；存在违规择校行为；存在重点学校或重点班；"
                     "存在“有编不补”或长期聘用编外教师的情况；教育系统存在重大安全责任事故和严重违纪违规事件；有弄虚作假行为。")


def invoke(folder: Path, *args: str):
    import os

    old = Path.cwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(cli, ["plan", *args])
    finally:
        os.chdir(old)


def filled_values() -> dict[str, dict]:
    """What 青山县's staff write: per indicator the 现状, targets per year ({小学, 初中} or one text
    for a merged row, None for a 不适用 level) and the units, one per line."""
    values = {}
    for n, ident in enumerate(IDS[:7]):  # school counts of 60 primary and 20 junior sections
        values[ident] = {"baseline": {"小学": f"全县达标{40 + n}/60", "初中": f"全县达标{12 + n}/20"},
                         "targets": {2025: {"小学": f"{44 + n}/60", "初中": f"{13 + n // 2}/20"},
                                     2026: {"小学": f"{50 + n}/60", "初中": f"{16 + n // 2}/20"},
                                     2027: {"小学": "60/60", "初中": "20/20"}},
                         "units": ["县教委", "县财政局"] if n % 2 else ["县教委"]}
    values["G3"] = {"baseline": {"小学": "音乐40/60，美术38/60", "初中": "音乐15/20，美术14/20"},
                    "targets": {y: {"小学": f"音乐{m}/60，美术{m - 2}/60", "初中": f"音乐{k}/20，美术{k}/20"}
                                for y, m, k in ((2025, 46, 16), (2026, 54, 18), (2027, 62, 20))},
                    "units": ["县教委", "县财政局", "县发展改革委"]}
    values["G3"]["targets"][2027]["小学"] = "音乐60/60，美术60/60"
    for ident in ("G4", "G5", "G9", "G12", "G13", "Q3", "Q4"):  # percentages per level
        values[ident] = {"baseline": {"小学": "92%", "初中": "88.50%"},
                         "targets": {2025: {"小学": "94%", "初中": "90%"}, 2026: {"小学": "97%", "初中": "95.50%"},
                                     2027: {"小学": "100%", "初中": "100%"}},
                         "units": ["县教委", "县人力社保局"]}
    for ident in ("G14", "G15", "Q2"):  # merged percentages
        values[ident] = {"baseline": "85%以上", "targets": {2025: "保持85%以上", 2026: "88%", 2027: "90%"},
                         "units": ["县教委"]}
    for ident in ("G1", "G2", "G7", "G8", "G10", "G11", "S1"):  # merged, qualitative
        values[ident] = {"baseline": "达标", "targets": dict.fromkeys(YEARS, "达标"),
                         "units": ["县人民政府", "县教委", "县财政局"]}
    values["G6"] = {"baseline": {"小学": "达标", "初中": None},
                    "targets": {y: {"小学": "达标", "初中": None} for y in YEARS}, "units": ["县财政局", "县教委"]}
    values["Q1"] = {"baseline": {"小学": None, "初中": "96%"},
                    "targets": {2025: {"小学": None, "初中": "96.50%"}, 2026: {"小学": None, "初中": "97%"},
                                2027: {"小学": None, "初中": "98%"}}, "units": ["县教委"]}
    for ident in ("Q5", "Q6", "Q7", "Q9"):
        values[ident] = {"baseline": {"小学": "达标", "初中": "达标"},
                         "targets": {y: {"小学": "达标", "初中": "达标"} for y in YEARS}, "units": ["县教委"]}
    values["Q8"] = {"baseline": {"小学": "无", "初中": "无"},
                    "targets": {y: {"小学": "无", "初中": "无"} for y in YEARS}, "units": ["县教委", "县教育督导室"]}
    assert sorted(values) == sorted(IDS)
    return values


def fill(path: Path, values: dict[str, dict]) -> None:
    """Type the values into the form as a person does in Excel: one cell per level (the first cell
    of a merged pair), units on separate lines of one cell; 不适用 cells left as they are."""
    book = openpyxl.load_workbook(path)
    sheet = book["推进规划"]
    for ident, value in values.items():
        r = ROW[ident]
        for cols, texts in [(BASELINE_COLS, value["baseline"]), *((YEAR_COLS[y], t) for y, t in value["targets"].items())]:
            if isinstance(texts, str):
                sheet[f"{cols[0]}{r}"] = texts
                continue
            for col, level in zip(cols, ("小学", "初中")):
                if texts[level] is not None:
                    sheet[f"{col}{r}"] = texts[level]
        sheet[f"{UNITS_COL}{r}"] = "\n".join(value["units"])
    book.save(path)


@pytest.fixture()
def form(tmp_path) -> Path:
    result = invoke(tmp_path, "--form", "-o", "规划填写.xlsx", "--district", COUNTY, "--years", "2025-2027")
    assert result.exit_code == 0, result.output
    assert result.output == ("已生成规划填写表：规划填写.xlsx（2025—2027年，现状2024年；"
                             "按“填报说明”填写后运行 excel-balance plan --import 规划填写.xlsx）\n")
    return tmp_path / "规划填写.xlsx"


def test_form_is_the_plan_table_with_national_texts_and_cells_to_fill(form):
    book = openpyxl.load_workbook(form)
    assert book.sheetnames == ["推进规划", "填报说明"]
    sheet = book["推进规划"]
    assert sheet["A2"].value == "青山县创建全国义务教育优质均衡发展县推进规划"
    assert [sheet.cell(3, c).value for c in (1, 2, 3, 5, 11)] == ["指标名称", "内容与标准", "2024年现状",
                                                               "达标规划（达标学校数/学校总数）", "责任单位"]
    assert [sheet.cell(4, c).value for c in (5, 7, 9)] == ["2025年", "2026年", "2027年"]
    assert [sheet.cell(5, c).value for c in range(3, 11)] == ["小学", "初中"] * 4
    assert sheet["B6"].value == "1.每百名学生拥有高于规定学历教师数：小学、初中分别达到4.2人以上、5.3人以上"
    assert sheet["A6"].value.startswith("资源配置（7项指标中每所学校至少要有6项指标达到要求")
    assert sheet["B37"].value.startswith("社会认可度达到85%以上。") and sheet["A37"].value == "社会认可度（达到85%以上）"
    # Every cell to fill is empty and text-formatted; only the level an indicator lacks says 不适用.
    filled = {(c.coordinate, c.value) for row in sheet["C6:K37"] for c in row if c.value}
    assert filled == {(f"{col}{ROW['G6']}", "不适用") for col in "DFHJ"} | {(f"{col}{ROW['Q1']}", "不适用") for col in "CEGI"}
    assert sheet["E6"].number_format == "@" and sheet["K6"].number_format == "@"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {f"E{ROW[i]}:F{ROW[i]}" for i in MERGED} <= merged and f"E{ROW['G3']}:F{ROW['G3']}" not in merged
    assert sheet["A39"].value == "说明：" and sheet["A40"].value == NATIONAL_FOOTNOTE
    assert {"A41:K41", "A42:K42", "A43:K43"} <= merged  # the district's own notes
    assert sheet.print_title_rows == "$3:$5" and sheet.print_area == "'推进规划'!$A$1:$K$43"
    assert book.custom_doc_props["excel-balance-plan-form"].value == "1"


def test_form_cells_offer_their_kind_of_target(form):
    sheet = openpyxl.load_workbook(form)["推进规划"]
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    qualitative = rules[f"E{ROW['G1']}"]
    assert (qualitative.type, qualitative.formula1, qualitative.errorStyle) == ("list", '"达标,无"', "warning")
    count = rules["E6"]
    assert (count.type, count.formula1) == ("custom", 'ISNUMBER(FIND("/",E6))')
    assert count.prompt == "填写“达标学校数/学校总数”，例如 43/71。"
    assert rules[f"F{ROW['G3']}"].prompt == "音乐、美术专用教室分别填写，例如 音乐30/71，美术26/71。"
    percent = rules[f"J{ROW['Q1']}"]
    assert percent.formula1 == 'OR(ISNUMBER(FIND("%",J28)),ISNUMBER(FIND("％",J28)))'
    assert rules["C6"].prompt.startswith("按实际情况填写") and rules["K6"].prompt.startswith("每行一个单位")
    assert f"I{ROW['Q1']}" not in rules and f"D{ROW['G6']}" not in rules  # 不适用 cells
    # 现状, three years and the units of 22 split rows (less the 不适用 cells) and 10 merged ones, the notes.
    assert len(rules) == 22 * 9 - 8 + 10 * 5 + 1


def test_instructions_explain_every_kind_of_target_with_examples(form):
    sheet = openpyxl.load_workbook(form)["填报说明"]
    rows = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(1, sheet.max_row + 1)}
    assert rows["区县"] == COUNTY
    assert rows["年度"] == "现状为2024年，规划年度2025—2027年（表头“2024年现状”和各年度列）。"
    assert rows["目标：达标"].endswith("本表中：G1、G2、G6、G7、G8、G10、G11、Q5、Q6、Q7、Q9、S1。")
    assert rows["目标：无"] == "要求“没有”某种情形的指标填“无”，例如“无过重课业负担”各年度填“无”。\n本表中：Q8。"
    assert "43/71 表示71所小学中43所达到标准" in rows["目标：学校数"] and rows["目标：学校数"].endswith("R1、R2、R3、R4、R5、R6、R7。")
    assert rows["目标：音乐、美术"].startswith("音乐、美术专用教室分别按学校数填写，例如 音乐30/71，美术26/71。")
    assert rows["目标：百分比"].startswith("填写百分比，例如 95%、95.50%、保持95%以上")
    assert rows["目标：数值"] == "规划按数值考核的（例如培训按学时）填写数值和单位，例如 年均90学时以上。"
    assert rows["不适用"].startswith("只涉及一个学段的指标（G6只有小学，Q1只有初中），另一学段已填“不适用”（灰色），不用填写。"
                                     "两学段合并为一格的指标（G1、G2、G7、G8、G10、G11、G14、G15、Q2、S1）每年只填一个全区目标。")
    assert rows["责任单位"].startswith("每行一个单位（单元格内按 Alt+Enter 换行），牵头单位写在第一行")
    assert rows["说明"].endswith("例如“2.现状为2024—2025学年度数据。”")


def test_filled_form_imports_to_a_plan_of_what_was_filled(form, tmp_path):
    values = filled_values()
    fill(form, values)
    book = openpyxl.load_workbook(form)
    sheet = book["推进规划"]
    # Typed into a cell that lost its text format, Excel keeps 94% as the number 0.94 shown as 94%.
    sheet[f"E{ROW['G4']}"] = 0.94
    sheet[f"E{ROW['G4']}"].number_format = "0%"
    sheet[f"I{ROW['Q1']}"] = None  # a 不适用 a person cleared: still not applicable
    sheet["A41"] = "2.现状为2024—2025学年度数据。"
    book.save(form)

    result = invoke(tmp_path, "--import", "规划填写.xlsx", "-o", "青山县.yaml")
    assert result.exit_code == 0, result.output
    assert "区县：青山县；标题：青山县创建全国义务教育优质均衡发展县推进规划" in result.output
    assert "现状年度：2024；规划年度：2025、2026、2027" in result.output
    assert "识别指标 32 项（共 32 项国家指标）" in result.output and "G3：县教委、县财政局、县发展改革委" in result.output
    plan = load_plan(tmp_path / "青山县.yaml")
    assert (plan.district, plan.title, plan.baseline_year, plan.plan_years, plan.baseline_label) == (
        COUNTY, "青山县创建全国义务教育优质均衡发展县推进规划", 2024, YEARS, "2024年现状")
    assert plan.footnotes == (NATIONAL_FOOTNOTE, "2.现状为2024—2025学年度数据。")
    assert [v.text for v in plan.vetoes][:2] == ["存在以考试方式招生", "存在违规择校行为"] and len(plan.vetoes) == 6
    national = load_plan(Path(__file__).parent.parent / "templates" / "plans" / "national.yaml")
    for indicator, base in zip(plan.indicators, national.indicators, strict=True):
        want = values[indicator.id]
        wrap = (lambda t: {DISTRICT: t}) if indicator.id in MERGED else (lambda t: t)
        assert indicator.merged == (indicator.id in MERGED), indicator.id
        assert indicator.baseline == wrap(want["baseline"]), indicator.id
        targets = {y: {level: cell.text for level, cell in cells.items()} for y, cells in indicator.targets.items()}
        assert targets == {y: wrap(t) for y, t in want["targets"].items()}, indicator.id
        assert indicator.units == tuple(want["units"]), indicator.id
        assert (indicator.text, indicator.area, indicator.evaluation, indicator.standard) == (
            base.text, base.area, base.evaluation, base.standard), indicator.id
    assert plan.indicator("G4").targets[2025]["小学"].target.value == 94
    assert plan.indicator("R3").targets[2026]["初中"].target.met == 17
    check = CliRunner().invoke(cli, ["plan", "--check", "--plan", str(tmp_path / "青山县.yaml")])
    assert check.exit_code == 0 and "规划文件无问题：青山县，32 项指标，规划年度 2025—2027" in check.output


def test_form_with_the_national_footnote_alone_imports(form, tmp_path):
    fill(form, filled_values())
    result = invoke(tmp_path, "--import", "规划填写.xlsx")
    assert result.exit_code == 0, result.output
    written = tmp_path / "templates" / "plans" / "青山县.yaml"
    assert f"footnotes:\n- {NATIONAL_FOOTNOTE}\n" in written.read_text("utf-8")  # a one-item list, in block style
    assert load_plan(written).footnotes == (NATIONAL_FOOTNOTE,)


def test_blank_cells_of_a_form_are_asked_for_by_cell(form, tmp_path):
    values = filled_values()
    fill(form, values)
    book = openpyxl.load_workbook(form)
    sheet = book["推进规划"]
    for cell in ("E6", f"C{ROW['G1']}", f"G{ROW['G3']}", f"K{ROW['G8']}", f"F{ROW['Q8']}"):
        sheet[cell] = None
    sheet[f"F{ROW['G6']}"] = "达标"  # G6 has no junior level
    sheet[f"F{ROW['Q5']}"] = "不适用"  # Q5 has both
    book.save(form)
    before = form.read_bytes()

    result = invoke(tmp_path, "--import", "规划填写.xlsx")
    assert result.exit_code == 1
    where = "  错误：规划填写.xlsx 工作表“推进规划” "
    assert result.output.splitlines()[-8:] == [
        "规划填写.xlsx 有 7 处无法识别，未生成规划文件：",
        f"{where}E6：R1 2025年目标小学未填写：请填写（例如 43/71，见“填报说明”）",
        f"{where}C{ROW['G1']}：G1 现状未填写：请填写（按实际情况，见“填报说明”）",
        f"{where}G{ROW['G3']}：G3 2026年目标小学未填写：请填写（例如 音乐30/71，美术26/71，见“填报说明”）",
        f"{where}F{ROW['G6']}：G6 2025年目标初中应为“不适用”：该项不涉及初中",
        f"{where}K{ROW['G8']}：G8 没有责任单位",
        f"{where}F{ROW['Q5']}：Q5 2025年目标初中不能填“不适用”：该项小学、初中都要填写",
        f"{where}F{ROW['Q8']}：Q8 2025年目标初中未填写：请填写（例如 无，见“填报说明”）",
    ]
    assert not (tmp_path / "templates").exists() and form.read_bytes() == before


@pytest.mark.parametrize("args, message", [
    (["--district", "青山县"], "错误：生成规划填写表需要区县和规划年度，例如 --district 某某县 --years 2025-2027"),
    (["--years", "2025-2027"], "错误：生成规划填写表需要区县和规划年度，例如 --district 某某县 --years 2025-2027"),
    (["--district", "青山", "--years", "2025-2027"], "错误：区县名称“青山”应以“县”“区”“市”或“旗”结尾（导入时从标题中读出区县）"),
    (["--district", "青山县", "--years", "2025-2027", "--baseline-year", "2025"], "错误：现状年度 2025 应早于第一个规划年度 2025"),
    (["-o", "规划.yaml", "--district", "青山县", "--years", "2025-2027"],
     "错误：规划填写表是 Excel 工作簿，-o 应以 .xlsx 结尾（而不是“规划.yaml”）"),
])
def test_form_options_are_checked(tmp_path, args, message):
    result = invoke(tmp_path, "--form", *args)
    assert result.exit_code == 1 and result.output.strip() == message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("years", ["2027-2025", "2025-2040", "明年"])
def test_form_years_must_be_a_span(tmp_path, years):
    result = invoke(tmp_path, "--form", "--district", "青山县", "--years", years)
    assert result.exit_code == 1 and result.output == f"错误：--years “{years}”应为起止年度，例如 2025-2027（最多10年）\n"
    assert list(tmp_path.iterdir()) == []


def test_a_form_already_there_is_kept_without_force(form, tmp_path):
    fill(form, filled_values())
    before = form.read_bytes()
    result = invoke(tmp_path, "--form", "-o", "规划填写.xlsx", "--district", COUNTY, "--years", "2025-2027")
    assert result.exit_code == 1
    assert result.output == "错误：规划填写.xlsx 已存在，未覆盖：如需重新生成请加 --force，或用 -o 指定另一个文件\n"
    assert form.read_bytes() == before
    result = invoke(tmp_path, "--form", "-o", "规划填写.xlsx", "--district", COUNTY, "--years", "2025-2027", "--force")
    assert result.exit_code == 0 and not openpyxl.load_workbook(form)["推进规划"]["E6"].value


def test_form_of_one_year_with_a_given_baseline_and_default_name(tmp_path):
    result = invoke(tmp_path, "--form", "--district", "白云区", "--years", "2026", "--baseline-year", "2023")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(tmp_path / "白云区规划填写.xlsx")["推进规划"]
    assert sheet["A2"].value == "白云区创建全国义务教育优质均衡发展区推进规划"
    assert (sheet["C3"].value, sheet["E4"].value, sheet["G3"].value) == ("2023年现状", "2026年", "责任单位")


def test_libreoffice_prints_the_filled_form_on_a3_with_its_instructions(form, soffice, tmp_path):
    values = filled_values()
    fill(form, values)
    pdf = soffice(form, tmp_path / "lo")
    assert pdf_info(pdf)["Page size"].strip() == A3_LANDSCAPE
    pages = pdf_text(pdf)
    # Three pages of the table, each with its header, and the instructions on the fourth.
    assert len(pages) == int(pdf_info(pdf)["Pages"]) == 4
    for page in pages[:3]:
        assert "指标名称" in page and "责任单位" in page and "2027年" in page
    assert pages[0].splitlines()[:3] == ["推进规划 第 1 页，共 4 页", NOTICE, "青山县创建全国义务教育优质均衡发展县推进规划"]
    assert pages[3].splitlines()[:2] == ["填报说明 第 4 页，共 4 页", "区县 青山县"]
    assert "现状为2024年，规划年度2025—2027年（表头“2024年现状”和各年度列）。" in pages[3]
    table = norm("".join(pages[:3]))
    for text in ("县发展改革委", "县教育督导室", "音乐60/60，美术60/60", "保持85%以上",
                 "全县达标46/60", NATIONAL_FOOTNOTE):
        assert norm(text) in table, text


def test_form_in_a_folder_names_the_folder_in_the_next_command(tmp_path):
    (tmp_path / "规划").mkdir()
    result = invoke(tmp_path, "--form", "-o", "规划/填写.xlsx", "--district", COUNTY, "--years", "2025")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("按“填报说明”填写后运行 excel-balance plan --import 规划/填写.xlsx）\n")
    assert (tmp_path / "规划" / "填写.xlsx").is_file()


def test_what_people_type_into_a_form(form, tmp_path):
    """A Chinese input method's ／ is a slash; 未达标, a ticked box (TRUE) or a formula is no target."""
    fill(form, filled_values())
    book = openpyxl.load_workbook(form)
    sheet = book["推进规划"]
    sheet["E6"] = "43／71"
    book.save(form)
    result = invoke(tmp_path, "--import", "规划填写.xlsx", "-o", "青山县.yaml")
    assert result.exit_code == 0, result.output
    assert load_plan(tmp_path / "青山县.yaml").indicator("R1").targets[2025]["小学"].target.met == 43

    sheet[f"E{ROW['G2']}"] = "未达标"
    sheet[f"G{ROW['G2']}"] = True
    book.save(form)
    result = invoke(tmp_path, "--import", "规划填写.xlsx", "-o", "青山县2.yaml")
    assert result.exit_code == 1 and not (tmp_path / "青山县2.yaml").exists()
    where = "  错误：规划填写.xlsx 工作表“推进规划” "
    advice = "定性指标的目标写“达标”（或按规划原文写要达到的状态；无过重课业负担写“无”）"
    assert f"{where}E{ROW['G2']}：G2 2025年目标无法识别：“未达标”不是要达到的目标：{advice}" in result.output.splitlines()

    sheet[f"E{ROW['G2']}"] = "达标"
    sheet[f"G{ROW['G2']}"] = "达标"
    sheet["E7"] = "=43/71"
    sheet["F7"] = "=SUM(1,2)"
    book.save(form)
    result = invoke(tmp_path, "--import", "规划填写.xlsx", "-o", "青山县3.yaml")
    assert result.exit_code == 1 and not (tmp_path / "青山县3.yaml").exists()
    assert ("规划填写.xlsx 工作表“推进规划” E7、F7 是公式：规划表的目标、现状请直接填写文字（例如 43/71、95%、达标），"
            "不要用公式") in result.output
