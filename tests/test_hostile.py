"""Untrusted workbooks and plans (issue 14): each hostile file is built here, dropped into inputs/
beside a clean census, and `excel-balance run` must name it and the place, exit 1, still make the
clean census's report, write nothing outside outputs/ and leave every input byte-identical."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from click.testing import CliRunner

from excel_balance.cli import cli
from excel_balance.names import console_text, district_key, file_name, safe_name
from excel_balance.problems import ProblemsError
from tests.census_data import clean_schools, write_clean
from tests.export_data import export_schools, write_export
from tests.messy import write_xls

CLEAN = "黔江区2022年统计报表.xlsx"
CLEAN_REPORT = "黔江区义务教育优质均衡推进情况_2022.xlsx"


@pytest.fixture
def ws(tmp_path, monkeypatch, qianjiang):
    """tmp_path/a/b/ws with inputs/ holding one clean census; `../../x` from outputs/ stays in tmp_path."""
    root = tmp_path / "a" / "b" / "ws"
    (root / "inputs").mkdir(parents=True)
    write_clean(root / "inputs" / CLEAN, qianjiang)
    monkeypatch.chdir(root)
    return root


def snapshot(top: Path) -> dict[str, str]:
    return {str(p.relative_to(top)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in top.rglob("*") if p.is_file()}


def guarded(ws: Path, *args: str, code: int = 1, allowed: str = "outputs/"):
    """Invoke the CLI; assert the exit code, no traceback, and no change outside `allowed`
    (so inputs/ is byte-identical and nothing escaped into the folders above)."""
    top = ws.parents[2]
    before = snapshot(top)
    result = CliRunner().invoke(cli, list(args))
    after = snapshot(top)
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    prefix = str((ws / allowed).relative_to(top))
    assert all(p.startswith(prefix) for p in changed), changed
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, result.output
    return result


def clean_report_made(ws: Path, result) -> None:
    assert (ws / "outputs" / CLEAN_REPORT).exists()
    assert f"黔江区（2022年，规划：qianjiang.yaml）→ outputs/{CLEAN_REPORT}（已生成）" in result.output


def patch_part(path: Path, part: str, change) -> Path:
    """Rewrite one part of an .xlsx through `change(bytes) -> bytes`."""
    tmp = path.with_suffix(".tmp.zip")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, change(data) if item.filename == part else data)
    tmp.replace(path)
    return path


def hostile_census(ws: Path, qianjiang, name: str = "黔江区2021年统计报表.xlsx", **kwargs) -> Path:
    return write_clean(ws / "inputs" / name, qianjiang, year=2021, **kwargs)


# --- 1. one file must not kill the run --------------------------------------------------------------


def test_a_cell_at_xfd1048576_is_refused_before_the_reader_allocates(ws, qianjiang):
    path = patch_part(hostile_census(ws, qianjiang), "xl/worksheets/sheet1.xml", lambda d: d.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))
    result = guarded(ws, "run")
    assert (f"    错误：{path.name}：工作表“学校”有 XFD 列的单元格（XFD1048576），超过上限 200 列（GR 列），不予读取"
            "（上限可用环境变量 EXCEL_BALANCE_MAX_COLUMNS 调整）") in result.output
    clean_report_made(ws, result)


def test_a_string_table_declaring_two_billion_strings_is_refused(ws, qianjiang):
    path = patch_part(hostile_census(ws, qianjiang), "xl/sharedStrings.xml",
                      lambda d: re.sub(rb'uniqueCount="\d+"', b'uniqueCount="2000000000"', d))
    result = guarded(ws, "run")
    assert re.search(f"错误：{re.escape(path.name)}：共享字符串表声明有 2000000000 个字符串，实际只有 \\d+ 个", result.output)
    clean_report_made(ws, result)


def test_a_sparse_far_cell_within_the_limits_is_refused(ws, qianjiang):
    """A1 and GR999999 are within 1,000,000 × 200 but make a grid of 200 million empty cells."""
    path = patch_part(hostile_census(ws, qianjiang), "xl/worksheets/sheet1.xml", lambda d: d.replace(
        b"</sheetData>", b'<row r="999999"><c r="GR999999"><v>1</v></c></row></sheetData>'))
    result = guarded(ws, "run")
    assert re.search(f"错误：{re.escape(path.name)}：工作表“学校”的范围达到第 999999 行，又宽过 F 列，却只有 \\d+ 个单元格有内容："
                     "读取会占用过多内存。请删去远处的零散单元格（例如最后几行）后另存", result.output)
    clean_report_made(ws, result)


def test_the_row_limit_is_a_setting(ws, qianjiang, monkeypatch):
    monkeypatch.setenv("EXCEL_BALANCE_MAX_ROWS", "5")  # the clean census has 9 school rows
    result = guarded(ws, "run")
    assert f"错误：{CLEAN}：工作表“学校”有第 10 行，超过上限 5 行，不予读取" in result.output
    monkeypatch.setenv("EXCEL_BALANCE_MAX_ROWS", "五")
    assert "环境变量 EXCEL_BALANCE_MAX_ROWS 的值“五”不是正整数" in guarded(ws, "run").output


def test_a_legacy_xls_with_a_corrupt_dimensions_record_is_read_without_calamine(ws, qianjiang):
    """calamine aborts the process on this file (a DIMENSIONS record claiming 4 billion rows);
    xlrd, pure Python, reads it. Its text cells carry a NUL, which no report could hold."""
    rows = [[c.title for c in _columns()]] + [[_cell(s, c) for c in _columns()] for s in clean_schools()]
    rows[1][1] = "城南\x00小学"
    path = write_xls(ws / "inputs" / "黔江区2021年统计报表.xls", rows, [])
    data = bytearray(path.read_bytes())
    at = next(i for i in range(len(data)) if data[i:i + 4] == b"\x00\x02\x0e\x00")  # DIMENSIONS, 14 bytes
    data[at + 4:at + 14] = b"\x00\x00\x00\x00\xf0\xff\xff\xff\x00\x00"
    path.write_bytes(bytes(data))
    result = guarded(ws, "run", code=0)
    assert "黔江区（2021、2022年，规划：qianjiang.yaml）" in result.output
    import openpyxl

    book = openpyxl.load_workbook(ws / "outputs" / CLEAN_REPORT, read_only=True)
    names = {str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v}
    assert "城南小学" in names and not any("\x00" in n for n in names)


def _columns():
    from excel_balance.census.schema import SCHOOL_COLUMNS

    return [c for c in SCHOOL_COLUMNS if c.required or c.key in ("sponsor", "urban_rural", "counted", "parent_id")]


def _cell(row: dict, column):
    value = row.get(column.key, "")
    return value if value != "" or column.numeric else ""


# --- 2. no traceback for any input -----------------------------------------------------------------


@pytest.mark.parametrize("raw, shown", [(b"NaN", "nan"), (b"INF", "inf"), (b"1e200", "1e+200")])
def test_non_finite_and_absurd_numbers_are_refused_with_their_cell(ws, qianjiang, raw, shown):
    # 城南小学's 小学在校生数 (800) is the first 800 of the sheet: row 2, column H
    path = patch_part(hostile_census(ws, qianjiang), "xl/worksheets/sheet1.xml",
                      lambda d: d.replace(b"<v>800</v>", b"<v>" + raw + b"</v>", 1))
    result = guarded(ws, "run")
    expected = (f"小学在校生数不是有效的数字（现为{shown}）" if raw != b"1e200"
                else "小学在校生数为1e+200，超过合理上限1000000：请核对")
    assert f"错误：{path.name} 学校!H2：{expected}" in result.output
    clean_report_made(ws, result)


def test_a_non_finite_district_figure_and_correction_are_refused(ws, qianjiang):
    from excel_balance.census.corrections import write_corrections_template

    path = patch_part(hostile_census(ws, qianjiang), "xl/worksheets/sheet2.xml",
                      lambda d: d.replace(b"<v>96.5</v>", b"<v>NaN</v>", 1))
    corrections = write_corrections_template(ws / "修正.xlsx")
    _fill_first_sheet(corrections, ["2022", "0500114001", "小学在校生数", 800, "NaN", "核实"], row=1)
    shutil.move(corrections, ws / "inputs" / "修正.xlsx")
    result = guarded(ws, "run")
    assert f"    错误：{path.name} 区级指标!F27：Q1“初中三年巩固率”的数值nan不是合理的数字：请核对" in result.output
    # Corrections are judged row by row (issue 17): the row is refused, said with its cell.
    assert "  拒绝：修正.xlsx 修正!E2：新值：小学在校生数不是有效的数字（现为nan）" in result.output
    assert "黔江区（2022年，规划：qianjiang.yaml）" in result.output


def _fill_first_sheet(path: Path, values: list, row: int) -> None:
    """Write `values` into the first sheet's `row` (0-based) by rebuilding the sheet XML."""
    def change(data: bytes) -> bytes:
        cells = "".join(f'<c r="{chr(65 + i)}{row + 1}" t="inlineStr"><is><t>{v}</t></is></c>' if isinstance(v, str)
                        else f'<c r="{chr(65 + i)}{row + 1}"><v>{v}</v></c>' for i, v in enumerate(values))
        return re.sub(rb"</sheetData>", f'<row r="{row + 1}">{cells}</row></sheetData>'.encode(), data, count=1)
    patch_part(path, "xl/worksheets/sheet1.xml", change)


@pytest.mark.parametrize("sheet, kind", [("补充数据", "补充表"), ("校点归属", "校点归属表")])
@pytest.mark.parametrize("first_row", [None, ["随便", "写的"]])
def test_a_supplement_or_campus_table_without_a_header(ws, qianjiang, sheet, kind, first_row):
    write_export(ws / "inputs" / "2022小学基层表.xlsx", "小学", export_schools(), district="黔江区")
    write_export(ws / "inputs" / "2022中学基层表.xlsx", "初中", export_schools(), district="黔江区")
    os.remove(ws / "inputs" / CLEAN)
    target = ws / "inputs" / f"{kind}.xlsx"
    workbook = xlsxwriter.Workbook(str(target))
    worksheet = workbook.add_worksheet(sheet)
    for col, text in enumerate(first_row or []):
        worksheet.write_string(0, col, text)
    workbook.close()
    result = guarded(ws, "run")
    wanted = "学校标识码" if kind == "补充表" else "所属学校标识码"
    assert f"错误：{kind}.xlsx {sheet}!第1行：{kind}的第1行应为表头，且含“{wanted}”列" in result.output


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"])
def test_a_dtd_after_the_first_4_kb_is_found(ws, qianjiang, part):
    padding = b"<!--" + b" " * 5000 + b"-->"
    path = patch_part(hostile_census(ws, qianjiang), part, lambda d: d.replace(
        b"?>", b"?>" + padding + b'<!DOCTYPE x [<!ENTITY a "aaaa">]>', 1))
    result = guarded(ws, "run")
    assert f"错误：{path.name}：工作簿的 {part} 含有 XML 实体声明（DTD），可能是恶意构造的文件，不予读取" in result.output
    clean_report_made(ws, result)


def test_a_district_of_200_characters(ws, qianjiang):
    hostile_census(ws, qianjiang, district="长" * 200)
    result = guarded(ws, "run", code=0)
    name = "长" * 38 + "义务教育优质均衡推进情况_2021.xlsx"
    assert len(name) == 60 and (ws / "outputs" / name).exists()
    assert f"{'长' * 200}（2021年，规划：national.yaml）→ outputs/{name}（已生成）" in result.output
    clean_report_made(ws, result)


def test_a_full_disk_is_reported_and_the_old_report_kept(ws, qianjiang, monkeypatch):
    guarded(ws, "run", code=0)
    old = (ws / "outputs" / CLEAN_REPORT).read_bytes()
    from xlsxwriter.exceptions import FileCreateError
    import xlsxwriter.workbook

    def full(self, *args, **kwargs):
        try:
            raise OSError(28, "No space left on device")
        except OSError as exc:
            raise FileCreateError(exc)

    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "close", full)
    result = guarded(ws, "run", "--force")
    assert f"  错误：{CLEAN_REPORT}：写入报告失败（No space left on device），原有报告未改动" in result.output
    assert (ws / "outputs" / CLEAN_REPORT).read_bytes() == old
    assert not list((ws / "outputs").rglob("*.tmp"))


def test_outputs_that_cannot_be_locked(ws, monkeypatch):
    import filelock

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(filelock.FileLock, "acquire", refuse)
    result = guarded(ws, "run")
    assert "无法写入输出文件夹 outputs（Permission denied）：请检查该文件夹的权限和磁盘空间" in result.output


def test_an_internal_error_is_logged_and_the_run_goes_on(ws, qianjiang, monkeypatch):
    import excel_balance.census.folder as folder

    hostile_census(ws, qianjiang, name="黔江区2021年统计报表.xlsx")
    real = folder.recognise

    def broken(path, *args):
        if "2021" in path.name:
            raise KeyError("a bug")
        return real(path, *args)

    monkeypatch.setattr(folder, "recognise", broken)
    result = guarded(ws, "run")
    log = ws / "outputs" / "excel-balance-错误日志.txt"
    assert (f"    错误：黔江区2021年统计报表.xlsx：程序内部错误，未能处理（详情已写入 outputs/{log.name}）："
            "请把该文件和错误日志发给维护人员") in result.output
    assert "KeyError: 'a bug'" in log.read_text(encoding="utf-8")
    clean_report_made(ws, result)


# --- 3. names from data never steer the file system ------------------------------------------------


def test_safe_names():
    assert safe_name("../../逃逸县") == "_.._逃逸县"
    assert safe_name("a/b\\c:d*e?f\"g<h>i|j") == "a_b_c_d_e_f_g_h_i_j"
    assert safe_name(".hidden") == "hidden" and safe_name("x. ") == "x" and safe_name("..") == "_"
    assert safe_name("CON") == "_CON" and safe_name("com1.txt") == "_com1.txt" and safe_name("CONSOLE") == "CONSOLE"
    assert safe_name("黔江\r\n区\x1b[2J\u200b") == "黔江区[2J"
    assert safe_name("e\u0301") == "\u00e9"  # NFC
    assert len(safe_name("长" * 200)) == 60
    assert file_name("长" * 200, "_2022.eml") == "长" * 51 + "_2022.eml"
    assert console_text("a\x1b]0;title\x07b\rc\td") == "a]0;titlebc\td"


def test_district_keys():
    assert district_key("黔江区\u200b") == district_key(" 黔江区") == "黔江区"
    assert district_key("黔江区") == district_key("黔江区")  # NFKC: full-width letters folded
    assert district_key("甲/乙") != district_key("甲_乙")


def test_a_district_named_to_escape_outputs(ws, qianjiang):
    hostile_census(ws, qianjiang, district="../../逃逸县\x1b[31m")
    result = guarded(ws, "run", code=0)
    assert (ws / "outputs" / "_.._逃逸县[31m义务教育优质均衡推进情况_2021.xlsx").exists()
    assert "\x1b" not in result.output
    clean_report_made(ws, result)


def test_two_districts_with_one_safe_name_are_not_merged(ws, qianjiang):
    hostile_census(ws, qianjiang, name="甲a2021年.xlsx", district="甲/乙")
    hostile_census(ws, qianjiang, name="甲b2021年.xlsx", district="甲_乙")
    result = guarded(ws, "run")
    assert "错误：甲_乙义务教育优质均衡推进情况_2021.xlsx：区县“甲_乙”与“甲/乙”的报告文件名相同，未生成" in result.output
    clean_report_made(ws, result)


def test_a_zero_width_space_does_not_make_a_second_district(ws, qianjiang):
    hostile_census(ws, qianjiang, district="黔江区\u200b")
    result = guarded(ws, "run", code=0)
    assert "黔江区（2021、2022年，规划：qianjiang.yaml）" in result.output
    assert sorted(p.name for p in (ws / "outputs").glob("*.xlsx")) == [CLEAN_REPORT]


def test_a_region_named_to_escape_outputs(ws, qianjiang):
    rows = [dict(r, district=d) for d in ("黔江区", "武隆区") for r in export_schools()]
    for n, row in enumerate(rows):
        row["school_id"] = f"05{n:08d}"
        row["parent_id"] = ""
        row["counted"] = "是"
    for level, name in (("小学", "小学"), ("初中", "中学")):
        write_export(ws / "inputs" / f"2021{name}基层表.xlsx", level, rows, year=2021, region="../../逃逸市")
    result = guarded(ws, "run", code=0)
    summary = ws / "outputs" / "_.._逃逸市义务教育优质均衡监测汇总_2022.xlsx"
    assert summary.exists(), result.output


def test_supplement_default_name_stays_in_inputs(ws):
    rows = [dict(r, district="../逃逸县") for r in export_schools()]
    write_export(ws / "inputs" / "2022小学基层表.xlsx", "小学", rows)
    result = guarded(ws, "supplement", "inputs/2022小学基层表.xlsx", code=0, allowed="inputs/补充数据_")
    assert "已生成补充表：inputs/补充数据__逃逸县2022.xlsx（请填写后放进 inputs/）" in result.output
    assert (ws / "inputs" / "补充数据__逃逸县2022.xlsx").exists()


def test_unit_names_from_a_plan_stay_in_their_folders(ws, qianjiang):
    from excel_balance.resources import default_plan_path

    text = default_plan_path().read_text(encoding="utf-8")
    assert "区教委" in text
    plan = ws / "plan.yaml"
    plan.write_text(text.replace("区教委", "../../x:CON"), encoding="utf-8")
    guarded(ws, "run", "--plan", str(plan), code=0)
    units = ws / "outputs" / "责任单位"
    assert (units / "_.._x_CON_优质均衡推进情况_2022.xlsx").exists()
    assert not list(ws.parents[1].glob("x*"))
    (ws / "excel-balance.yaml").write_text(
        "smtp:\n  host: localhost\n  sender: a@example.org\nunits:\n  ../../x:CON:\n    to: [b@example.org]\n",
        encoding="utf-8")
    result = guarded(ws, "email", "--plan", str(plan), "--dry-run", "outputs/邮件预览", "--units", "../../x:CON", code=0)
    assert [p.name for p in (ws / "outputs" / "邮件预览").iterdir()] == ["_.._x_CON_2022.eml"], result.output


# --- 4. no silent merge ----------------------------------------------------------------------------


def _two_primary_exports(ws: Path, changed: bool, seconds: float) -> tuple[Path, Path]:
    os.remove(ws / "inputs" / CLEAN)
    rows = export_schools()
    a = write_export(ws / "inputs" / "2022小学基层表A.xlsx", "小学", rows)
    second = [dict(r, students_primary=r["students_primary"] + 1) if r["school_id"] == "0500114001" else r
              for r in rows] if changed else rows
    b = write_export(ws / "inputs" / "2022小学基层表B.xlsx", "小学", second)
    write_export(ws / "inputs" / "2022中学基层表.xlsx", "初中", rows)
    os.utime(a, (1_700_000_000, 1_700_000_000 + seconds))
    os.utime(b, (1_700_000_000, 1_700_000_000))
    return a, b


def _stamp(seconds: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(1_700_000_000 + seconds).strftime("%Y-%m-%d %H:%M:%S")


def _first_school(severity: str, verdict: str) -> str:
    """The line about 城南小学 (row 6 of both exports; A modified 100 s after B)."""
    return (f"    {severity}：2022小学基层表A.xlsx 基层表!第6行：学校标识码0500114001（小学）在 2022小学基层表A.xlsx "
            f"基层表!第6行（修改于 {_stamp(100)}）和 2022小学基层表B.xlsx 基层表!第6行（修改于 {_stamp(0)}）中{verdict}")


def test_the_same_school_identical_in_two_exports_is_a_note(ws):
    _two_primary_exports(ws, changed=False, seconds=100)
    result = guarded(ws, "run", code=0)
    assert _first_school("说明", "相同，只计一次（另有 6 所学校也相同）") in result.output
    # counted once: the same figures as without the copy
    os.remove(ws / "inputs" / "2022小学基层表B.xlsx")
    alone = guarded(ws, "run", "--force", code=0)
    counts = [line for line in result.output.splitlines() if line.startswith(("  2022年对照年度目标：", "  总体判断"))]
    assert len(counts) == 2 and counts == [
        line for line in alone.output.splitlines() if line.startswith(("  2022年对照年度目标：", "  总体判断"))]


def test_different_copies_the_newer_file_wins_with_a_warning(ws):
    _two_primary_exports(ws, changed=True, seconds=100)
    result = guarded(ws, "run", code=0)
    assert _first_school("警告", "不同：使用较新修改的 2022小学基层表A.xlsx；如不对，请删除或更正 2022小学基层表A.xlsx") \
        in result.output
    assert "（另有 5 所学校也相同）" in result.output
    rerun = guarded(ws, "run", code=0)
    assert "输入未变化，未重写" in rerun.output
    os.utime(ws / "inputs" / "2022小学基层表B.xlsx", (1_700_000_000, 1_700_000_500))  # now B is newer
    assert "使用较新修改的 2022小学基层表B.xlsx" in guarded(ws, "run", code=0).output


def test_different_copies_modified_together_are_both_refused(ws):
    _two_primary_exports(ws, changed=True, seconds=1)
    result = guarded(ws, "run")
    assert ("两个文件几乎同时修改，无法判断哪个是新的：请删除 2022小学基层表A.xlsx 和 2022小学基层表B.xlsx 中过时的一个后再运行"
            in result.output)
    assert not list((ws / "outputs").glob("*.xlsx"))


def test_a_renamed_input_is_a_change(ws):
    guarded(ws, "run", code=0)
    os.rename(ws / "inputs" / CLEAN, ws / "inputs" / "黔江区2022年统计报表（新）.xlsx")
    top = ws.parents[2]
    result = CliRunner().invoke(cli, ["run"])
    assert "（已生成）" in result.output and "输入未变化" not in result.output
    assert top.exists()


# --- 5. plans --------------------------------------------------------------------------------------


def test_a_billion_laughs_plan_is_refused(ws):
    plan = ws / "laughs.yaml"
    lines = ['district: 测试区', 'a0: &a0 ["哈哈哈哈哈哈哈哈"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    lines.append("footnotes: [*a9]")
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = guarded(ws, "run", "--plan", str(plan))
    assert "  错误：laughs.yaml 第3行：使用了 YAML 别名（*a0），规划文件中不允许：请直接写出内容" in result.output


# --- 6. leftovers ------------------------------------------------------------------------------------


def test_a_killed_runs_temp_files_are_removed(ws):
    guarded(ws, "run", code=0)
    stale = [ws / "outputs" / ".黔江区义务教育优质均衡推进情况_2022.k1ll3d.xlsx.tmp",
             ws / "outputs" / "责任单位" / ".区教委_优质均衡推进情况_2022.abc.xlsx.tmp"]
    for path in stale:
        path.write_bytes(b"half")
    keep = ws / "outputs" / "我的笔记.tmp"
    keep.write_text("staff's own file")
    guarded(ws, "run", code=0)
    assert not any(p.exists() for p in stale) and keep.exists()


def test_watch_goes_on_after_an_internal_error(ws, monkeypatch, ctrl_c_after):
    import excel_balance.workflow as workflow

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(workflow, "run", broken)
    polls = ctrl_c_after(3)
    result = guarded(ws, "watch", "--interval", "0.5", code=0)
    lines = result.output.splitlines()
    assert lines[1:] == [f"发现新文件：{CLEAN}，等待写入完成…", f"写入完成：{CLEAN}，开始处理",
                         "  错误：inputs：程序内部错误，未能处理（详情已写入 outputs/excel-balance-错误日志.txt）："
                         "请把该文件和错误日志发给维护人员", "已停止监视"]
    assert "RuntimeError: a bug" in (ws / "outputs" / "excel-balance-错误日志.txt").read_text(encoding="utf-8")
    assert len(polls) == 3  # still polling after the error


def test_an_unexpected_error_outside_a_run_is_one_line_and_a_log(ws, monkeypatch, capsys):
    import excel_balance.cli as cli_module

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli_module, "cli", broken)
    monkeypatch.setattr("sys.argv", ["excel-balance", "run"])
    with pytest.raises(SystemExit) as exit_code:
        cli_module.main()
    assert exit_code.value.code == 2
    assert capsys.readouterr().err == ("错误：run：程序内部错误，未能处理（详情已写入 outputs/excel-balance-错误日志.txt）："
                                       "请把该文件和错误日志发给维护人员\n")


def _laughs(head: str) -> str:
    lines = [head, 'a0: &a0 ["哈哈哈哈哈哈哈哈"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\nlast: [*a9]\n"


def test_billion_laughs_mail_settings_are_refused(ws):
    (ws / "excel-balance.yaml").write_text(_laughs("smtp: {host: smtp.qq.com}"), encoding="utf-8")
    result = guarded(ws, "email", "--dry-run", "预览")
    assert "  错误：excel-balance.yaml 第3行：使用了 YAML 别名（*a0），邮件设置中不允许：请直接写出内容" in result.output


def test_a_working_folders_export_mapping_with_aliases_is_refused(ws):
    (ws / "templates" / "exports").mkdir(parents=True)
    mapping = ws / "templates" / "exports" / "教育统计导出.yaml"
    mapping.write_text(_laughs("identity: {}"), encoding="utf-8")
    from excel_balance.census.exports import load_mapping

    with pytest.raises(ProblemsError) as refused:
        load_mapping()
    assert [str(p) for p in refused.value.problems] == [
        f"{mapping} 第3行：统计导出的列名映射无法使用（第3行使用了 YAML 别名（*a0））：请改正，"
        "或删除工作文件夹中的这个文件以使用随程序提供的映射"]


def test_a_working_folders_broken_measures_file_is_a_plan_problem(ws):
    (ws / "templates" / "measures").mkdir(parents=True)
    (ws / "templates" / "measures" / "national.yaml").write_text(_laughs("G1: {}"), encoding="utf-8")
    result = guarded(ws, "plan", "--check", code=1)
    assert "测算方法文件无法读取（第3行使用了 YAML 别名（*a0））" in result.output


def test_a_path_too_long_for_windows_is_said_in_chinese(ws):
    deep = ws / ("很长的文件夹名称" * 8) / ("很长的文件夹名称" * 8) / ("很长的文件夹名称" * 8)
    result = guarded(ws, "run", "--outputs", str(deep), code=0, allowed=str(deep.relative_to(ws).parts[0]))
    lines = [line for line in result.output.splitlines() if line.startswith("警告：路径长度")]
    assert lines and all("超过 Windows 的上限 259，在 Windows 上可能无法打开" in line for line in lines)
    assert "UserWarning" not in result.output and "names.py" not in result.output
