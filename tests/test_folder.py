"""Issue 16: the folder as staff keep it (copies, blank templates, corrections beside `report`'s
files, exports `check` must judge together, sample files beside real ones). One test per item."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from excel_balance.census.folder import read_inputs
from excel_balance.cli import cli
from excel_balance.sample import sample_name
from excel_balance.census.template import write_template
from tests.census_data import clean_recorded, clean_schools, school, write_clean
from tests.export_data import export_schools, write_export

REPO = Path(__file__).resolve().parent.parent
ORIGINAL = "黔江区2022年统计报表（张三填）.xlsx"
COPY = "黔江区2022年统计报表（张三填） - 副本.xlsx"
T0 = dt.datetime(2026, 11, 20, 9, 0, 0).timestamp()


@pytest.fixture
def inputs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "inputs"
    folder.mkdir()
    return folder


def stamp(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M:%S")


def census_with(path: Path, plan, students: int, mtime: float) -> Path:
    rows = clean_schools()
    rows[0]["students_primary"] = students
    write_template(path, plan, year=2022, schools=rows, recorded=clean_recorded())
    os.utime(path, (mtime, mtime))
    return path


def used_students(folder: Path, plan) -> tuple[str, float]:
    (by_year,) = read_inputs(sorted(folder.iterdir()), plan).groups.values()
    outcome = by_year[2022]
    return outcome.path.name, outcome.census.schools[0].values["students_primary"]


# --- 1. two copies of one census: the one rule of conflicts.decide ----------------------------------


def test_an_identical_copy_is_a_note_and_used_once(inputs, qianjiang):
    census_with(inputs / ORIGINAL, qianjiang, 800, T0)
    shutil.copy2(inputs / ORIGINAL, inputs / COPY)
    result = CliRunner().invoke(cli, ["check", "inputs"])
    assert result.exit_code == 0, result.output
    assert (f"  说明：{ORIGINAL}：黔江区2022年的统计报表在 {COPY}（修改于 {stamp(T0)}）和 {ORIGINAL}（修改于 {stamp(T0)}）"
            "中相同，只计一次") in result.output.splitlines()
    assert f"{COPY}：未使用（重复）" in result.output.splitlines()


def test_the_file_edited_last_wins_over_a_stale_copy(inputs, qianjiang):
    """Seen: the original edited after copying was called unusable and the copy's old value used."""
    census_with(inputs / COPY, qianjiang, 12000, T0)
    census_with(inputs / ORIGINAL, qianjiang, 7777, T0 + 3600)
    warning = (f"{ORIGINAL}：黔江区2022年的统计报表在 {ORIGINAL}（修改于 {stamp(T0 + 3600)}）和 {COPY}"
               f"（修改于 {stamp(T0)}）中不同：使用较新修改的 {ORIGINAL}；如不对，请删除或更正 {ORIGINAL}")
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "读取 inputs：统计报表 2 个，修正表 0 个，跳过 0 个，无法使用 0 个"
    assert lines[1:3] == [f"  未使用（重复）：{COPY}", f"    警告：{warning}"]
    assert "本次使用前者" not in result.output
    assert used_students(inputs, qianjiang) == (ORIGINAL, 7777)
    detail = openpyxl.load_workbook(Path("outputs") / "黔江区义务教育优质均衡推进情况_2022.xlsx")["学校明细"]
    assert [r[5] for r in detail.iter_rows(values_only=True) if r[2] == "0500114001"] == [7777]
    # The other way round: the copy edited last is the one used, whatever the names say.
    os.utime(inputs / COPY, (T0 + 7200, T0 + 7200))
    assert used_students(inputs, qianjiang) == (COPY, 12000)


def test_copies_saved_within_two_seconds_are_both_refused(inputs, qianjiang):
    census_with(inputs / ORIGINAL, qianjiang, 7777, T0 + 1)
    census_with(inputs / COPY, qianjiang, 12000, T0)
    message = (f"{ORIGINAL}：黔江区2022年的统计报表在 {COPY}（修改于 {stamp(T0)}）和 {ORIGINAL}（修改于 {stamp(T0 + 1)}）"
               f"中不同，两个文件几乎同时修改，无法判断哪个是新的：请删除 {COPY} 和 {ORIGINAL} 中过时的一个后再运行")
    for command in (["check", "inputs"], ["run"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1, result.output
        assert result.output.count(f"错误：{message}") == 2, result.output
    assert not Path("outputs", "黔江区义务教育优质均衡推进情况_2022.xlsx").exists()


# --- 2. a blank template in inputs/ is skipped with a note --------------------------------------------


def test_a_blank_template_in_inputs_does_not_break_the_run(inputs, qianjiang):
    write_clean(inputs / "黔江区2022年统计报表.xlsx", qianjiang)
    blank = "黔江区2023年统计报表（填报模板）.xlsx"
    assert CliRunner().invoke(cli, ["template", "--year", "2023", "-o", f"inputs/{blank}"]).exit_code == 0
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "读取 inputs：统计报表 1 个，修正表 0 个，跳过 1 个，无法使用 0 个",
        f"  跳过：{blank}（空白的填报模板（表头下没有学校数据），已跳过：填写学校数据后再放入）"]
    result = CliRunner().invoke(cli, ["check", "inputs"])
    assert result.exit_code == 0, result.output
    assert f"{blank}：空白的填报模板（表头下没有学校数据），已跳过：填写学校数据后再放入" in result.output.splitlines()


# --- 3. `report` beside `run`: its own folder, the corrections applied, folders accepted --------------


def test_report_applies_the_corrections_and_leaves_outputs_alone(inputs, qianjiang):
    write_clean(inputs / "黔江区2022年统计报表.xlsx", qianjiang)
    assert CliRunner().invoke(cli, ["template", "--corrections"]).exit_code == 0
    book = openpyxl.load_workbook(inputs / "修正.xlsx")
    book.active.append([2022, "0500114002", "小学在校生数", 300, 320, "经核实为录入错误"])
    book.save(inputs / "修正.xlsx")
    report = "黔江区义务教育优质均衡推进情况_2022.xlsx"
    for given in (["inputs"], sorted(str(p) for p in inputs.iterdir())):  # a folder, or inputs/*.xlsx
        Path(report).unlink(missing_ok=True)
        result = CliRunner().invoke(cli, ["report", *given])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[0] == f"已生成报告：{report}"
        assert not Path("outputs").exists()
        notes = [[c.value for c in r] for r in openpyxl.load_workbook(report)["数据说明"].iter_rows()]
        assert ["2022年 修正!D2", "0500114002 小学在校生数", "300 → 320", "经核实为录入错误"] in notes
        detail = openpyxl.load_workbook(report)["学校明细"]
        assert [r[5] for r in detail.iter_rows(values_only=True) if r[2] == "0500114002"] == [320]


# --- 4. check judges exports together, as run does ----------------------------------------------------


def test_check_refuses_the_campus_run_refuses(inputs):
    rows = export_schools()
    rows.append(school("0500114088", "石会小学（村小校点）", "小学", counted="否", students_primary=25, classes_primary=2,
                       qualified_primary=2, teaching_area=150, sports_area=200, equipment_value=3, multimedia_rooms=1))
    write_export(inputs / "2022小学基层表.xlsx", "小学", rows)
    write_export(inputs / "2022中学基层表.xlsx", "初中", rows)
    refusal = "校点“石会小学（村小校点）”（是否计校数为0）无法归入学校"
    check = CliRunner().invoke(cli, ["check", "inputs/2022小学基层表.xlsx", "inputs/2022中学基层表.xlsx"])
    run = CliRunner().invoke(cli, ["run"])
    assert (check.exit_code, run.exit_code) == (1, 1), check.output + run.output
    assert refusal in check.output and refusal in run.output
    assert "2022小学基层表.xlsx：无法合并，共 1 处错误" in check.output.splitlines()
    # With the campus table that places it, both accept the exports.
    assert CliRunner().invoke(cli, ["template", "--campuses"]).exit_code == 0
    book = openpyxl.load_workbook(inputs / "校点归属.xlsx")
    book.active.append(["石会小学（村小校点）", "", "0500114002"])
    book.save(inputs / "校点归属.xlsx")
    check = CliRunner().invoke(cli, ["check", "inputs"])
    run = CliRunner().invoke(cli, ["run"])
    assert (check.exit_code, run.exit_code) == (0, 0), check.output + run.output
    assert "校点归属.xlsx：校点归属表" in check.output.splitlines()
    assert "统计导出合并为 黔江区2022年：可以使用" in check.output.splitlines()


# --- 6. sample data beside real data ---------------------------------------------------------------------


def test_sample_files_beside_real_ones_are_named(inputs, qianjiang):
    shutil.copy(REPO / "inputs" / sample_name(2021), inputs)
    write_clean(inputs / "黔江区2022年统计报表.xlsx", qianjiang)
    warning = (f"警告：{sample_name(2021)} 是示例数据（虚构），与真实数据一起使用了："
               "如不是有意为之，请把示例文件移出输入文件夹后再运行")
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == 0, result.output
    assert warning in result.output.splitlines()
    check = CliRunner().invoke(cli, ["check", "inputs"])
    assert (f"警告：{sample_name(2021)} 是示例数据（虚构），与真实数据一起检查：请把示例文件移出后再运行"
            in check.output.splitlines())
    (inputs / "黔江区2022年统计报表.xlsx").unlink()  # only the sample: a demo, no warning
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == 0 and "示例数据（虚构），与真实数据" not in result.output


# --- 5. check's messages: the real header row, the closest name, no formula noise on 合计 ---------------


def test_check_names_the_header_row_and_the_closest_name_under_a_title(inputs, qianjiang):
    book = openpyxl.load_workbook(write_clean(inputs / "2022年统计.xlsx", qianjiang))
    sheet = book["学校"]
    sheet.insert_rows(1)
    sheet["A1"] = "黔江区2022年教育事业统计"
    sheet.merge_cells("A1:AF1")  # the title merged over the header's width, as staff make it
    assert sheet["Q2"].value == "小学骨干教师数(人)"
    sheet["Q2"] = "小学骨干教师(人)"
    book.save(inputs / "2022年统计.xlsx")
    result = CliRunner().invoke(cli, ["check", "inputs"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "2022年统计.xlsx：无法使用，共 1 处错误",
        "  错误：2022年统计.xlsx 学校!第2行：缺少必填列“小学骨干教师数(人)”，最接近的列名是“小学骨干教师(人)”"]


def test_an_empty_cell_is_not_a_formula_problem_on_the_totals_row(inputs, qianjiang):
    book = openpyxl.load_workbook(write_clean(inputs / "2022年统计.xlsx", qianjiang))
    sheet = book["学校"]
    last = sheet.max_row  # 10: the header and nine schools
    sheet.cell(last + 1, 2, "合计")
    for letter in "HIJ":  # formulas saved by a program that does not calculate: no cached values
        sheet[f"{letter}{last + 1}"] = f"=SUM({letter}2:{letter}{last})"
    sheet["H3"] = None
    book.save(inputs / "2022年统计.xlsx")
    result = CliRunner().invoke(cli, ["check", "inputs"])
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "2022年统计.xlsx：无法使用，共 1 处错误", "  错误：2022年统计.xlsx 学校!H3：小学在校生数未填写（没有请填0）"]
    assert "公式单元格" not in result.output


def test_the_report_shows_a_red_banner_naming_the_sample_file(inputs, qianjiang):
    shutil.copy(REPO / "inputs" / sample_name(2021), inputs)
    write_clean(inputs / "黔江区2022年统计报表.xlsx", qianjiang)
    assert CliRunner().invoke(cli, ["run"]).exit_code == 0
    sheet = openpyxl.load_workbook(Path("outputs") / "黔江区义务教育优质均衡推进情况_2022.xlsx")["推进规划"]
    banner = sheet["A2"]
    assert banner.value == (f"注意：{sample_name(2021)} 是示例数据（虚构），与真实数据一起测算——本报告不能作为正式依据："
                            "请把示例文件移出 inputs/ 后重新生成")
    assert banner.fill.fgColor.rgb == "FFC00000" and banner.font.color.rgb == "FFFFFFFF"
    assert "A2:" in " ".join(str(r) for r in sheet.merged_cells.ranges)


# --- 7. exclusions and campus folds are said, a fold that changes G4 flagged ----------------------------


def test_exclusions_and_folds_are_counted_and_a_g4_change_flagged(inputs, qianjiang):
    rows = clean_schools()
    rows[0]["students_primary"] = 1980  # 城南小学: within 2,000 alone
    no_junior = dict.fromkeys(("students_junior", "classes_junior", "oversize_junior", "qualified_junior",
                               "key_junior", "pe_junior", "music_junior", "art_junior"), 0)
    rows[4].update(no_junior)  # 民族初级中学: no students
    rows[5].update(no_junior)  # 正阳九年制学校: no junior students
    rows.append(school("0500114011", "城南小学（东校区）", "小学", counted="否", parent_id="0500114001",
                       students_primary=40, classes_primary=2, qualified_primary=2, teaching_area=200,
                       sports_area=300, equipment_value=5, multimedia_rooms=1))
    write_template(inputs / "黔江区2022年统计报表.xlsx", qianjiang, year=2022, schools=rows, recorded=clean_recorded())
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == 0, result.output
    flag = ("  注意：城南小学（0500114001）并入分校区城南小学（东校区）：义务教育在校生1980人 → 2020人，超过2000人，"
            "G4（学校规模）因并入由达标变为不达标：请核对分校区的所属学校标识码")
    lines = result.output.splitlines()
    assert lines[-2:] == [
        "  2022年：不参加资源配置及G3—G5测算 4 项（学校或学段），分校区并入所属学校 2 个（逐项见报告“数据说明”）", flag]
    notes = [[c.value for c in r] for r in openpyxl.load_workbook(
        Path("outputs") / "黔江区义务教育优质均衡推进情况_2022.xlsx")["数据说明"].iter_rows()]
    assert ["2022年", "城南小学（0500114001）：城南小学（东校区）", "G4变化", flag.removeprefix("  注意：")] in notes
    assert ["2022年", "正阳九年制学校（0500114006）：正阳九年制学校（东校区）", "",
            "正阳九年制学校（0500114006）并入分校区正阳九年制学校（东校区）：义务教育在校生166人 → 206人"] in notes
    excluded = [r for r in notes if r[0] in ("2022年 初中", "2022年 小学", "2022年 特殊教育")]
    assert [r[:2] for r in excluded] == [["2022年 小学", "水田教学点（0500114003）"],
                                         ["2022年 初中", "民族初级中学（0500114005）"],
                                         ["2022年 初中", "正阳九年制学校（0500114006）"],
                                         ["2022年 特殊教育", "特殊教育学校（0500114009）"]]


# --- 8. sections far from the plan's: a note under the title --------------------------------------------


def test_a_note_when_the_sections_are_far_from_the_plans(inputs, qianjiang):
    write_clean(inputs / "黔江区2022年统计报表.xlsx", qianjiang)  # 5 primary and 3 junior sections
    assert CliRunner().invoke(cli, ["run"]).exit_code == 0
    sheet = openpyxl.load_workbook(Path("outputs") / "黔江区义务教育优质均衡推进情况_2022.xlsx")["推进规划"]
    rule = ("规划说明3.达标学校所数是根据2019—2020学年度教育事业统计报表学校所数测算，后续可能出现学校撤并和新增的情况，"
            "推进工作以实际发生的学校所数为准。")
    assert [sheet["A2"].value, sheet["A3"].value] == [
        f"注：2022年小学参加测算的学段为5个，规划的达标目标按71个制定（目标“a/71”，实际“x/5”），按比例判断；{rule}",
        f"注：2022年初中参加测算的学段为3个，规划的达标目标按23个制定（目标“a/23”，实际“x/3”），按比例判断；{rule}"]
    assert sheet["A4"].value.startswith("总体判断（2022年，对照国家标准）")
