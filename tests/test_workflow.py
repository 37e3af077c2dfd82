"""The folder workflow: `excel-balance run` and `watch`, the bundled sample, corrections."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from filelock import FileLock

from excel_balance.census.reader import read_census
from excel_balance.cli import cli
from excel_balance.evaluate import evaluate
from excel_balance.evaluate.rules import Status, round_half_up
from excel_balance.plan import load_plan
from excel_balance.resources import default_plan_path
from excel_balance.sample import sample_name, write_samples
from excel_balance.watch import Watcher
from excel_balance.workflow import LOCK, MANIFEST, RunBusy, run
from tests.seed import norm

REPO = Path(__file__).resolve().parent.parent
SAMPLES = [REPO / "inputs" / sample_name(year) for year in (2019, 2020, 2021, 2022)]
REPORT = "黔江区义务教育优质均衡推进情况_2022.xlsx"


@pytest.fixture(scope="module")
def sample_evaluation(qianjiang):
    return evaluate(qianjiang, [read_census(p, settings=qianjiang.settings) for p in SAMPLES])


def test_the_2019_sample_reproduces_the_plans_baseline(qianjiang, sample_evaluation):
    baseline = sample_evaluation.years[2019]
    checked = 0
    for indicator in qianjiang.indicators:
        if not indicator.from_schools:
            continue
        for level in indicator.levels:
            seed = norm(indicator.baseline[level])
            cell = baseline.cells[(indicator.id, level)]
            if indicator.evaluation == "school_count":
                value, count = re.fullmatch(r"全区([\d.]+)\D+，达标(\d+/\d+)", seed).groups()
                district = baseline.resources[(level, indicator.id)].district_value
                decimals = len(value.split(".")[1]) if "." in value else 0
                assert round_half_up(district, decimals) == Decimal(value), (indicator.id, level)
                assert cell.actual_text.endswith(f"达标{count}"), (indicator.id, level)
            else:  # 音乐29/71，美术25/71; 92%; 71%
                assert cell.actual_text == seed, (indicator.id, level)
            checked += 1
    assert checked == 20  # R1–R7 and G3–G5, both levels


def test_the_sample_has_the_sections_of_the_seed(sample_evaluation):
    baseline = sample_evaluation.years[2019]
    assert [baseline.resource_count(level)[1] for level in ("小学", "初中")] == [71, 23]
    reasons = {e.name: e.reason for e in baseline.excluded}
    assert sum("不足50人" in r for r in reasons.values()) == 5 and "特殊教育学校" in reasons
    rows = read_census(SAMPLES[0]).schools
    assert sum(not s.counted for s in rows) == 1  # the branch campus
    assert Counter(s.school_type.label for s in rows if s.counted) == Counter(
        {"小学": 66, "初级中学": 16, "完全中学": 2, "九年一贯制学校": 4, "十二年一贯制学校": 1, "小学教学点": 5,
         "特殊教育学校": 1})
    assert all(read_census(p).sample for p in SAMPLES)


def test_every_status_appears_in_the_sample(sample_evaluation):
    statuses = {c.status for year in sample_evaluation.years.values() for c in year.cells.values()}
    assert statuses == set(Status)
    cells = {(year, *key): sample_evaluation.years[year].cells[key] for year, key in SAMPLE_CELLS}
    assert {key: (c.actual_text, c.target_text, c.status) for key, c in cells.items()} == {
        (2019, "R1", "小学"): ("全区5.95人，达标71/71", "全区5.95人，达标71/71", Status.MET),  # every section
        (2019, "R2", "小学"): ("全区0.64人，达标5/71", "全区0.64人，达标5/71", Status.NOT_MET),
        (2020, "R2", "小学"): ("8/71", "8/71", Status.TARGET_MET),  # the target exactly, not yet the standard
        (2020, "G4", "小学"): ("92%", "93%", Status.NEAR),  # one point short, within two
        (2021, "R4", "小学"): ("58/70", "59/71", Status.NEAR),  # ⌈59·70/71⌉ = 59 needed: one short
        (2021, "R2", "小学"): ("25/70", "28/71", Status.BEHIND),  # ⌈28·70/71⌉ = 28 needed: three short
        (2020, "G9", "初中"): ("88学时", "年均90学时以上", Status.BEHIND),  # numbers have no "near"
        (2022, "G7", "全区"): ("", "达标", Status.NO_DATA),  # not recorded in 2022
        (2019, "G6", "初中"): ("", None, Status.NOT_APPLICABLE),  # the plan leaves it blank
    }


SAMPLE_CELLS = [(2019, ("R1", "小学")), (2019, ("R2", "小学")), (2020, ("R2", "小学")), (2020, ("G4", "小学")),
                (2021, ("R4", "小学")), (2021, ("R2", "小学")), (2020, ("G9", "初中")), (2022, ("G7", "全区")),
                (2019, ("G6", "初中"))]


def test_the_sample_script_gives_the_same_bytes(tmp_path):
    for written, bundled in zip(write_samples(tmp_path), SAMPLES):
        assert written.read_bytes() == bundled.read_bytes(), bundled.name


# --- excel-balance run -------------------------------------------------------------------------------


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for path in SAMPLES:
        shutil.copy(path, inputs / path.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args):
    return CliRunner().invoke(cli, ["run", *args])


def test_run_summary_with_a_bad_file_and_skipped_files(workdir):
    (workdir / "inputs" / "2021年补充（网页）.xls").write_text("<html><body>表格</body></html>", encoding="utf-8")
    (workdir / "inputs" / "说明.txt").write_text("请勿删除", encoding="utf-8")
    (workdir / "inputs" / "~$黔江区2022年.xlsx").write_bytes(b"lock")
    shutil.copy(REPO / "tests" / "data" / "small_plan.yaml", workdir / "inputs" / "规划.yaml")
    before = {p.name: p.read_bytes() for p in (workdir / "inputs").iterdir()}
    result = invoke()
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == "读取 inputs：统计报表 4 个，修正表 0 个，跳过 3 个，无法使用 1 个"
    assert "  跳过：~$黔江区2022年.xlsx（临时文件或隐藏文件）" in lines
    assert "  跳过：说明.txt（不是 Excel 工作簿）" in lines and "  跳过：规划.yaml（不是 Excel 工作簿）" in lines
    assert "  无法使用：2021年补充（网页）.xls" in lines
    assert any("改了扩展名的网页" in line for line in lines)
    assert f"黔江区（2019、2020、2021、2022年，规划：qianjiang.yaml）→ outputs/{REPORT}（已生成）" in lines
    assert (workdir / "outputs" / REPORT).exists()
    assert {p.name: p.read_bytes() for p in (workdir / "inputs").iterdir()} == before  # inputs untouched


def test_unchanged_inputs_rewrite_nothing_and_force_does(workdir):
    assert invoke().exit_code == 0
    report = workdir / "outputs" / REPORT
    stamp = report.stat().st_mtime_ns
    os.utime(report, ns=(stamp - 10**9, stamp - 10**9))
    result = invoke()
    assert result.exit_code == 0
    assert f"outputs/{REPORT}（输入未变化，未重写（需要重写请加 --force））" in result.output
    assert report.stat().st_mtime_ns == stamp - 10**9
    assert "已生成" in invoke("--force").output
    assert report.stat().st_mtime_ns != stamp - 10**9
    # A changed input is noticed by its content.
    shutil.copy(SAMPLES[3], workdir / "inputs" / "黔江区2023年教育事业统计_示例数据（虚构）.xlsx")
    assert "统计年度不一致" in invoke().output  # the file name says 2023, the workbook 2022


def test_corrections_applied_and_refused(workdir):
    assert CliRunner().invoke(cli, ["template", "--corrections"]).exit_code == 0
    census = read_census(SAMPLES[3])
    school = census.schools[0]
    path = workdir / "inputs" / "修正.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.active
    sheet.append([2022, school.school_id, "小学在校生数", school.values["students_primary"], 2200, "经核实为录入错误"])
    # (up, not down: the sample's 就近划片入学在校生数 must stay within the school's pupils)
    sheet.append([2022, census.schools[1].school_id, "小学骨干教师数", 999, 3, "旧修正"])
    sheet.append([2023, school.school_id, "小学班数", 10, 11, "没有2023年报表"])
    book.save(path)
    result = invoke()
    assert result.exit_code == 1
    assert "修正：已应用 1 条，拒绝 2 条" in result.output
    assert re.search(r"修正.xlsx 修正!D3：.+的小学骨干教师数现为\d+，与原值999不符，未修正", result.output)
    assert "修正.xlsx 修正!A4：没有2023年的统计报表（现有：2019、2020、2021、2022），未修正" in result.output
    notes = openpyxl.load_workbook(workdir / "outputs" / REPORT)["数据说明"]
    rows = [[c.value for c in r] for r in notes.iter_rows()]
    assert ["2022年 修正!D2", f"{school.school_id} 小学在校生数", f"{school.values['students_primary']:g} → 2200",
            "经核实为录入错误"] in rows
    detail = openpyxl.load_workbook(workdir / "outputs" / REPORT, data_only=True)["学校明细"]
    assert [r[5] for r in detail.iter_rows(values_only=True) if r[0] == 2022 and r[2] == school.school_id] == [2200]


def test_corrections_are_judged_row_by_row(workdir):
    """One bad row used to make the whole form unusable (and the earlier valid corrections
    vanished from the regenerated report); errors came in waves; 骨干教师 was refused without the
    valid fields, 2023年 was refused as a year, an unknown school was said at 原值."""
    census = read_census(SAMPLES[3])
    first, second = census.schools[0], census.schools[1]
    path = workdir / "inputs" / "修正.xlsx"
    assert CliRunner().invoke(cli, ["template", "--corrections", "-o", str(path)]).exit_code == 0
    book = openpyxl.load_workbook(path)
    sheet = book["修正"]
    sheet.append(["2022—2023学年", first.school_id, "小学在校生数", first.values["students_primary"], 2200, "经核实为录入错误"])
    sheet.append([2022, second.school_id, "骨干教师", 5, 6, ""])
    sheet.append(["2022年", "5000000001", "小学班数", 10, 11, "核实"])
    sheet.append(["2023年", first.school_id, "小学班数", 10, 11, "核实"])
    sheet.append(["2022-2023学年", second.school_id, "小学班数", second.values["classes_primary"], 30, "核实"])
    sheet.append(["二〇二二", second.school_id, "小学班数", "十", "", "核实"])
    book.save(path)
    before = path.read_bytes()
    result = invoke()
    assert result.exit_code == 1
    assert path.read_bytes() == before
    lines = result.output.splitlines()
    assert "修正：已应用 2 条，拒绝 4 条" in lines
    refused = [line for line in lines if line.startswith("  拒绝：")]
    assert refused == [
        "  拒绝：修正.xlsx 修正!C3：字段“骨干教师”不是统计报表中的数值列，是否指：小学骨干教师数、初中骨干教师数；"
        "请填写修正理由（会写入报告的数据说明）",
        "  拒绝：修正.xlsx 修正!A7：年度“二〇二二”应为统计年度，例如 2022、2022年或 2022—2023学年；原值“十”应为数字；"
        "新值“”应为数字",
        "  拒绝：修正.xlsx 修正!B4：2022年的统计报表中没有学校标识码为5000000001的学校（计校数的学校），未修正",
        "  拒绝：修正.xlsx 修正!A5：没有2023年的统计报表（现有：2019、2020、2021、2022），未修正",
    ]
    report = workdir / "outputs" / REPORT
    notes = [[c for c in r if c] for r in openpyxl.load_workbook(report)["数据说明"].iter_rows(values_only=True)]
    assert ["2022年 修正!D2", f"{first.school_id} 小学在校生数", f"{first.values['students_primary']:g} → 2200",
            "经核实为录入错误"] in notes
    assert ["2022年 修正!D6", f"{second.school_id} 小学班数", f"{second.values['classes_primary']:g} → 30", "核实"] in notes
    assert ["修正.xlsx", "修正!B4", "未应用",
            "2022年的统计报表中没有学校标识码为5000000001的学校（计校数的学校），未修正"] in notes
    assert sum(row[2:3] == ["未应用"] for row in notes) == 4
    detail = openpyxl.load_workbook(report, data_only=True)["学校明细"]
    assert [r[5] for r in detail.iter_rows(values_only=True) if r[0] == 2022 and r[2] == first.school_id] == [2200]


def test_corrections_form_has_instructions_and_a_field_dropdown(tmp_path):
    from excel_balance.census.corrections import FIELDS, parse_year, write_corrections_template

    book = openpyxl.load_workbook(write_corrections_template(tmp_path / "修正.xlsx"))
    assert book.sheetnames == ["修正", "填报说明", "字段"]
    fields = book["字段"]
    assert fields.sheet_state == "hidden"
    listed = [r[0] for r in fields.iter_rows(values_only=True)]
    assert listed == list(FIELDS) and "小学骨干教师数" in listed and "学校名称" not in listed
    assert len(",".join(listed)) > 255  # too long for a list written into the validation itself
    (validation,) = book["修正"].data_validations.dataValidation
    assert (validation.type, validation.formula1, str(validation.sqref)) == ("list", f"字段!$A$1:$A${len(FIELDS)}", "C2:C501")
    info = {r[0]: r[1] for r in book["填报说明"].iter_rows(values_only=True)}
    assert info["年度"].startswith("统计年度，可写 2022、2022年、2022-2023学年或 2022—2023学年")
    assert info["可修正的字段"] == "、".join(FIELDS)
    assert [parse_year(v) for v in (2023, 2023.0, "2023", "2023年", " 2023 年", "2023-2024学年", "2023—2024学年",
                                    "2023－2024学年", "2023-2025学年", "23", "2023.5", True)] == \
        [2023, 2023, 2023, 2023, 2023, 2023, 2023, 2023, None, None, None, None]


def test_the_two_figures_agree_everywhere_on_the_sample(workdir):
    """落后 18 项, 尚有 11 项差距 and 15 for 区教委 used to stand side by side, unlabelled: now each
    figure has one label and one value in the console, the title, 责任单位, a unit's workbook."""
    from excel_balance.delivery.message import context

    result = invoke()
    assert result.exit_code == 0, result.output
    near, behind, on_plan, no_data = map(int, re.search(
        r"  2022年对照年度目标：未按规划推进 (?:\d+) 项（指标×学段，本年度目标）——接近目标 (\d+) 项，"
        r"未达年度目标或未达标 (\d+) 项；按规划推进 (\d+) 项，无数据 (\d+) 项", result.output).groups())
    off_plan = int(re.search(r"未按规划推进 (\d+) 项（指标×学段，本年度目标）", result.output)[1])
    gaps = int(re.search(r"总体判断（对照国家标准）：距认定标准 (\d+) 项差距（含差异系数、否决条件）", result.output)[1])
    assert off_plan == near + behind
    # Every cell (indicator × level) of 2022 is counted once, those without a target aside.
    outcome = run(workdir / "inputs", workdir / "outputs").districts[0]
    statuses = Counter(c.status for c in outcome.evaluated().latest.cells.values())
    cells = sum(len(i.levels) for i in load_plan(default_plan_path()).indicators)
    assert on_plan + near + behind + no_data == cells - statuses[Status.NOT_APPLICABLE] == 52
    book = openpyxl.load_workbook(workdir / "outputs" / REPORT)
    verdict = next(c.value for row in book["推进规划"].iter_rows(max_row=5) for c in row
                   if str(c.value or "").startswith("总体判断"))
    assert f"距认定标准 {gaps} 项差距（含差异系数、否决条件）：1. " in verdict and f"{gaps}. " in verdict
    assert f"{gaps + 1}. " not in verdict
    assert verdict.endswith(f"对照2022年度目标：未按规划推进 {off_plan} 项（指标×学段，本年度目标）。")
    units = book["责任单位"]
    header = [c.value for c in units[1]]
    total = [c.value for c in list(units.iter_rows(min_row=units.max_row))[0]]
    assert total[0].startswith("未按规划推进项数（指标×学段，本年度目标）") and total[2] == off_plan
    education = total[header.index("区教委")]
    assert 0 < education <= off_plan
    unit_book = openpyxl.load_workbook(workdir / "outputs" / "责任单位" / "区教委_优质均衡推进情况_2022.xlsx")
    summary = unit_book["推进规划"]["A2"].value
    assert f"2022年未按规划推进 {education} 项（指标×学段，本年度目标）：" in summary
    assert summary.split("：")[1].count("、") == education - 1  # the cells named, one by one
    assert context(outcome.evaluated(), "区教委", "附件.xlsx", "黔江区教委")["summary"] == summary


def test_data_notes_tell_the_run_time_settings_in_chinese_and_units_no_hashes(workdir):
    """数据说明 said 生成时间（文档属性） 2024-01-01 00:00:00 for a run on 2026-11-29, showed settings
    by their YAML keys (net_indoor_sports=未启用…), and every unit's workbook carried SHA-256s."""
    assert invoke("--generated-at", "2026-11-29T10:00:00").exit_code == 0
    first = (workdir / "outputs" / REPORT).read_bytes()
    assert invoke("--force", "--generated-at", "2026-11-29T10:00:00").exit_code == 0
    assert (workdir / "outputs" / REPORT).read_bytes() == first  # the same time, the same bytes
    rows = [[c for c in r if c] for r in openpyxl.load_workbook(workdir / "outputs" / REPORT)["数据说明"]
            .iter_rows(values_only=True)]
    assert ["生成时间", "2026-11-29 10:00:00"] in rows
    settings = rows[rows.index(["规则设置（规划文件 settings）"]) + 1:]
    assert settings[:12] == [
        ["教学点人数门槛", "50人"], ["教学点门槛比较方式", "不足门槛人数的为教学点（<）"],
        ["指标值与差异系数比较前取整", "保留2位小数"], ["初中生折算系数", "1.1"],
        ["高中生折算系数（十二年一贯制）", "1.32"], ["完全中学高中生折算系数", "1.2"],
        ["资源配置每校至少达标项数", "6项"], ["余项不低于标准的比例", "85%"], ["差异系数阈值", "小学 0.50，初中 0.45"],
        ["接近目标：学校数差距不超过", "1所"], ["接近目标：百分点差距不超过", "2个百分点"],
        ["省级细则", "教学及辅助用房扣除室内体育用房：未启用；音乐、美术专用教室面积放宽：未启用；学校规模上限放宽：未启用"]]
    assert not [c for r in rows for c in r if re.search(r"[a-z_]{4,}=|=(?:未)?启用", str(c))]
    unit = openpyxl.load_workbook(workdir / "outputs" / "责任单位" / "区教委_优质均衡推进情况_2022.xlsx")["数据说明"]
    unit_rows = [[c for c in r if c] for r in unit.iter_rows(values_only=True)]
    assert [r[0] for r in unit_rows if len(r) == 1] == [
        "生成信息", "输入文件", "未参加资源配置及G3—G5测算的学校（学段）", "分校区并入所属学校",  # issue 16
        "人工修正（已应用）", "无"]
    assert ["统计年度", "区县", "文件名"] in unit_rows
    assert ["2019", "黔江区", SAMPLES[0].name] in unit_rows
    assert ["2022年 小学", "中塘教学点（5001140090）", "教学点在校生18人（不足50人），不参加资源配置指标测算"] in unit_rows
    assert not [c for r in unit_rows for c in r if re.fullmatch(r"[0-9a-f]{64}", str(c))]
    assert any(re.fullmatch(r"[0-9a-f]{64}", str(c)) for r in rows for c in r)  # the report keeps them


def test_an_interrupted_write_leaves_no_partial_output(workdir, monkeypatch):
    import excel_balance.report.workbook as workbook

    assert invoke().exit_code == 0
    good = (workdir / "outputs" / REPORT).read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(workbook, "write_trend_sheet", disk_full)
    result = invoke("--force")
    assert result.exit_code == 1
    assert f"{REPORT}：写入报告失败（No space left on device），原有报告未改动" in result.output
    assert (workdir / "outputs" / REPORT).read_bytes() == good
    assert sorted(p.name for p in (workdir / "outputs").iterdir()) == sorted([REPORT, MANIFEST, LOCK, "责任单位"])

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(workbook, "write_trend_sheet", interrupted)
    (workdir / "outputs" / REPORT).unlink()
    with pytest.raises(KeyboardInterrupt):
        run(workdir / "inputs", workdir / "outputs", force=True)
    assert sorted(p.name for p in (workdir / "outputs").iterdir()) == sorted([MANIFEST, LOCK, "责任单位"])
    assert not [p for p in (workdir / "outputs" / "责任单位").iterdir() if p.name.startswith(".")]


def test_a_report_open_in_excel_is_written_beside_it(workdir, monkeypatch):
    assert invoke().exit_code == 0
    real_replace = os.replace

    def locked(src, dst):
        if Path(dst).name == REPORT:
            raise PermissionError(13, "Permission denied")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", locked)
    result = invoke("--force")
    assert result.exit_code == 0
    new = REPORT.replace(".xlsx", "（新）.xlsx")
    assert f"原报告 {REPORT} 正被占用（可能在 Excel 中打开），已另存为 {new}" in result.output
    assert (workdir / "outputs" / new).exists()


def test_a_second_run_waits_then_says_another_is_active(workdir):
    (workdir / "outputs").mkdir()
    with FileLock(str(workdir / "outputs" / LOCK)):
        with pytest.raises(RunBusy):
            run(workdir / "inputs", workdir / "outputs", lock_wait=0.05)
        result = invoke("--wait", "0.05")
        assert result.exit_code == 1
        assert "另一个 excel-balance 正在处理 outputs，请等它完成后再运行" in result.output
        # A real second process too.
        process = subprocess.run([sys.executable, "-m", "excel_balance", "run", "--wait", "0.2"], cwd=workdir,
                                 capture_output=True, text=True, timeout=120)
        assert process.returncode == 1 and "另一个 excel-balance 正在处理" in process.stderr
    assert not (workdir / "outputs" / REPORT).exists()
    assert invoke().exit_code == 0


def test_a_real_process_from_a_folder_outside_the_repository(workdir):
    # A console that cannot show Chinese (click would replace a plain ASCII one with UTF-8).
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    process = subprocess.run([sys.executable, "-m", "excel_balance", "run"], cwd=workdir, capture_output=True,
                             text=True, errors="replace", env=env, timeout=180)
    assert process.returncode == 0, process.stderr
    assert "outputs/" in process.stdout and "?" in process.stdout  # replaced, not crashed
    assert (workdir / "outputs" / REPORT).exists()
    assert not (workdir / "templates").exists()


# --- excel-balance watch -------------------------------------------------------------------------------


def test_the_watcher_waits_for_a_file_written_in_steps(tmp_path):
    runs = []
    watcher = Watcher(tmp_path, lambda: runs.append(1) or ["处理完毕"])
    assert watcher.poll() == []
    data = SAMPLES[0].read_bytes()
    target = tmp_path / SAMPLES[0].name
    with target.open("wb") as handle:
        handle.write(data[:10000])
        handle.flush()
        assert watcher.poll() == [f"发现新文件：{target.name}，等待写入完成…"]
        handle.write(data[10000:20000])
        handle.flush()
        assert watcher.poll() == [] and runs == []  # still growing
        handle.write(data[20000:])
    assert watcher.poll() == [] and runs == []  # the last piece arrived since the previous poll
    assert watcher.poll() == [f"写入完成：{target.name}，开始处理", "处理完毕"] and runs == [1]
    assert watcher.poll() == [] and runs == [1]  # nothing new
    (tmp_path / "~$lock.xlsx").write_bytes(b"x")
    assert watcher.poll() == []  # lock files are not inputs
    target.write_bytes(data)
    os.utime(target, ns=(1, 1))
    assert watcher.poll() == [f"发现改动的文件：{target.name}，等待写入完成…"]
    assert watcher.poll()[0].startswith("写入完成") and runs == [1, 1]


def test_watch_command_stops_cleanly_on_ctrl_c(workdir, ctrl_c_after):
    ctrl_c_after(2)
    result = CliRunner().invoke(cli, ["watch", "--interval", "0.5"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "开始监视 inputs（每 0.5 秒检查一次，按 Ctrl-C 停止）"
    assert lines[-1] == "已停止监视"
    assert any(line.startswith("写入完成：黔江区2019年") for line in lines)
    assert (workdir / "outputs" / REPORT).exists()
