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
    assert sum("不足50人" in r for r in reasons.values()) == 3 and "特殊教育学校" in reasons
    rows = read_census(SAMPLES[0]).schools
    assert sum(not s.counted for s in rows) == 1  # the branch campus
    assert Counter(s.school_type.label for s in rows if s.counted) == Counter(
        {"小学": 66, "初级中学": 16, "完全中学": 2, "九年一贯制学校": 4, "十二年一贯制学校": 1, "小学教学点": 3,
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
    sheet.append([2022, school.school_id, "小学在校生数", school.values["students_primary"], 2000, "经核实为录入错误"])
    sheet.append([2022, census.schools[1].school_id, "小学骨干教师数", 999, 3, "旧修正"])
    sheet.append([2023, school.school_id, "小学班数", 10, 11, "没有2023年报表"])
    book.save(path)
    result = invoke()
    assert result.exit_code == 1
    assert "修正：已应用 1 条，拒绝 2 条" in result.output
    assert re.search(r"修正.xlsx 修正!D3：.+的小学骨干教师数现为\d+，与原值999不符，未修正", result.output)
    assert "修正.xlsx 修正!D4：没有2023年含学校标识码" in result.output
    notes = openpyxl.load_workbook(workdir / "outputs" / REPORT)["数据说明"]
    rows = [[c.value for c in r] for r in notes.iter_rows()]
    assert ["2022年 修正!D2", f"{school.school_id} 小学在校生数", f"{school.values['students_primary']:g} → 2000",
            "经核实为录入错误"] in rows
    detail = openpyxl.load_workbook(workdir / "outputs" / REPORT, data_only=True)["学校明细"]
    assert [r[5] for r in detail.iter_rows(values_only=True) if r[0] == 2022 and r[2] == school.school_id] == [2000]


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


def test_watch_command_stops_cleanly_on_ctrl_c(workdir, monkeypatch):
    import time

    polls = []

    def sleep(seconds):
        polls.append(seconds)
        if len(polls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", sleep)
    result = CliRunner().invoke(cli, ["watch", "--interval", "0.5"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "开始监视 inputs（每 0.5 秒检查一次，按 Ctrl-C 停止）"
    assert lines[-1] == "已停止监视"
    assert any(line.startswith("写入完成：黔江区2019年") for line in lines)
    assert (workdir / "outputs" / REPORT).exists()
