"""The installed form, as staff get it: the wheel (and the sdist it is built from) installed
non-editable into a fresh environment, every command run from a folder outside the checkout.

Editable installs read the source tree, so they hide a module or a template the wheel lacks;
these tests see only what the wheel ships. One environment is built per test session.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

from tests.export_data import export_schools, write_export
from tests.test_plan_form import fill, filled_values
from tests.test_workflow import REPO, REPORT, SAMPLES

EPOCH = "1700000000"  # 2023-11-14: the same document time for both installs
SOURCE_SKIP = {".git", ".venv", "outputs", "dist", "build", "__pycache__", ".pytest_cache", ".hypothesis"}


def _checkout_copy(target: Path) -> Path:
    """The checkout's files (tracked and not ignored) without build leftovers or environments."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                            capture_output=True, check=False)
    if listed.returncode == 0:
        for name in filter(None, listed.stdout.decode().split("\0")):
            source = REPO / name
            if source.is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)
    else:  # not a git checkout (an unpacked archive)
        shutil.copytree(REPO, target, dirs_exist_ok=True,
                        ignore=lambda _d, names: [n for n in names if n in SOURCE_SKIP or n.endswith(".egg-info")])
    return target


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Path:
    """The sdist, and the wheel built from that sdist (python -m build's default route)."""
    source = _checkout_copy(tmp_path_factory.mktemp("checkout"))
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(source)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def wheel(dist) -> Path:
    (found,) = dist.glob("excel_balance-*.whl")
    return found


@pytest.fixture(scope="session")
def environment(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed (not editable)."""
    env = tmp_path_factory.mktemp("env") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True, timeout=300)
    python = env / ("Scripts" if os.name == "nt" else "bin") / "python"
    installed = subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)],
                               capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stderr[-3000:]
    return env


def _bin(env: Path, name: str) -> Path:
    return env / ("Scripts" if os.name == "nt" else "bin") / name


@pytest.fixture(scope="session")
def workdir(tmp_path_factory) -> Path:
    """A staff member's folder outside the checkout, with a copy of the bundled sample."""
    folder = tmp_path_factory.mktemp("staff")
    (folder / "inputs").mkdir()
    for path in SAMPLES:
        shutil.copy(path, folder / "inputs" / path.name)
    return folder


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    return {**env, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONUTF8": "1"}


def _run(command: list, cwd: Path, expect: int = 0, timeout: float = 300) -> str:
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, env=_env(),
                          timeout=timeout)
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    assert done.returncode == expect, output
    return output


def test_the_wheel_ships_every_module_and_template(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "excel_balance").rglob("*.py")}
    templates = {"excel_balance/templates/" + p.relative_to(REPO / "templates").as_posix()
                 for p in (REPO / "templates").rglob("*") if p.is_file()}
    assert "excel_balance/delivery/send.py" in modules and "excel_balance/templates/exports/教育统计导出.yaml" in templates
    assert modules - names == set()
    assert templates - names == set()
    assert not any(n.startswith(("tests/", "templates/", "bench/")) for n in names)  # nothing at the top level


def test_the_sdist_holds_the_sources_the_wheel_is_built_from(dist):
    (sdist,) = dist.glob("excel_balance-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    for wanted in ("setup.cfg", "pyproject.toml", "README.md", "excel_balance/delivery/send.py",
                   "templates/plans/qianjiang.yaml", "templates/exports/教育统计导出.yaml",
                   "templates/email/body.html.j2"):
        assert wanted in names, wanted


def test_the_installed_package_lies_in_the_fresh_environment(environment, workdir):
    where = _run([_bin(environment, "python"), "-c", "import excel_balance; print(excel_balance.__file__)"], workdir)
    location = Path(where.strip()).resolve()
    assert location.is_relative_to(environment.resolve()), location
    assert not location.is_relative_to(REPO)


def test_run_from_the_wheel_writes_the_same_report_as_the_editable_install(environment, workdir, tmp_path, qianjiang):
    output = _run([_bin(environment, "excel-balance"), "run"], workdir)
    assert f"→ outputs/{REPORT}（已生成）" in output
    editable = tmp_path / "editable"
    shutil.copytree(workdir / "inputs", editable / "inputs")
    _run([sys.executable, "-m", "excel_balance", "run"], editable)
    assert (workdir / "outputs" / REPORT).read_bytes() == (editable / "outputs" / REPORT).read_bytes()
    units = sorted(p.relative_to(workdir / "outputs") for p in (workdir / "outputs" / "责任单位").iterdir())
    assert len(units) == len(qianjiang.units) == 11  # one workbook per responsible unit of the plan
    for unit in units:
        assert (workdir / "outputs" / unit).read_bytes() == (editable / "outputs" / unit).read_bytes(), unit


def test_every_command_runs_from_the_wheel(environment, workdir, qianjiang):
    tool = _bin(environment, "excel-balance")
    before = {p.name: p.read_bytes() for p in (workdir / "inputs").iterdir()}

    out = _run([tool, "report", "inputs", "-o", "报告.xlsx"], workdir)
    assert "已生成报告：报告.xlsx" in out and (workdir / "报告.xlsx").exists()
    out = _run([tool, "check", "inputs"], workdir)
    assert out.count("：可以使用") == 4
    _run([tool, "check", SAMPLES[0].name], workdir / "inputs")

    out = _run([tool, "plan", "--check"], workdir)
    assert out.strip() == "规划文件无问题：黔江区，32 项指标，规划年度 2020—2024。"
    out = _run([tool, "plan", "-o", "规划表.xlsx"], workdir)
    assert out.strip() == "已生成规划表：规划表.xlsx" and (workdir / "规划表.xlsx").exists()
    bad_plan = workdir / "坏规划.yaml"
    bad_plan.write_text("district: 某县\n", encoding="utf-8")
    assert "规划文件 坏规划.yaml 有" in _run([tool, "plan", "--check", "--plan", bad_plan.name], workdir, expect=1)

    forms = workdir / "forms"
    forms.mkdir()
    for args, made in ((["--year", "2023", "-o", "forms/模板.xlsx"], "forms/模板.xlsx"),
                       (["--corrections", "-o", "forms/修正.xlsx"], "forms/修正.xlsx"),
                       (["--campuses", "-o", "forms/校点归属.xlsx"], "forms/校点归属.xlsx")):
        out = _run([tool, "template", *args], workdir)
        assert made in out and (workdir / made).stat().st_size > 5000, args
    # The plan form from the installed national plan, filled in and imported back.
    out = _run([tool, "plan", "--form", "-o", "forms/规划填写.xlsx", "--district", "青山县", "--years", "2025-2027"], workdir)
    assert "已生成规划填写表：forms/规划填写.xlsx" in out
    fill(workdir / "forms" / "规划填写.xlsx", filled_values())
    out = _run([tool, "plan", "--import", "forms/规划填写.xlsx", "-o", "forms/青山县.yaml"], workdir)
    assert "已生成规划文件：forms/青山县.yaml" in out
    out = _run([tool, "plan", "--check", "--plan", "forms/青山县.yaml"], workdir)
    assert out.strip() == "规划文件无问题：青山县，32 项指标，规划年度 2025—2027。"

    rows = export_schools()
    (workdir / "导出").mkdir()
    exports = [write_export(workdir / "导出" / "2022小学基层表.xlsx", "小学", rows),
               write_export(workdir / "导出" / "2022中学基层表.xlsx", "初中", rows)]
    out = _run([tool, "check", "导出"], workdir)  # the exports mapping is found in the installed package
    assert "统计系统导出（按 templates/exports/教育统计导出.yaml 识别" in out
    out = _run([tool, "supplement", *[p.relative_to(workdir) for p in exports], "-o", "forms"], workdir)
    assert "已生成补充表：forms/补充数据_黔江区2022.xlsx" in out

    out = _run([tool, "email", "--init"], workdir)
    assert "已生成邮件设置示例：excel-balance.yaml" in out
    _run([tool, "email", "--dry-run", "预览", "--allow-sample"], workdir)
    # One message per unit with a mailbox: 11 units less 各乡镇街道 and 各相关单位 (folder_only).
    assert len(list((workdir / "预览").rglob("*.eml"))) == len(qianjiang.units) - 2 == 9

    # What staff type after these, in their inputs/: not modified by any of it.
    assert {p.name: p.read_bytes() for p in (workdir / "inputs").iterdir()} == before


def test_watch_from_the_wheel_starts_and_stops(environment, tmp_path):
    import queue
    import threading

    (tmp_path / "inputs").mkdir()
    shutil.copy(SAMPLES[0], tmp_path / "inputs" / SAMPLES[0].name)
    # Ctrl-C as in a terminal: a test run started in the background (`cmd &` in a script) would
    # otherwise hand the child an ignored SIGINT, and Python then never raises KeyboardInterrupt.
    process = subprocess.Popen([str(_bin(environment, "excel-balance")), "watch", "--interval", "0.3"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line.rstrip("\n")) for line in process.stdout], daemon=True)
    reader.start()
    seen = []
    try:
        deadline = time.monotonic() + 300  # a loaded CI machine: the first run may take a while
        while not any("（已生成）" in line for line in seen):  # the run is over: Ctrl-C lands while it waits
            assert process.poll() is None and time.monotonic() < deadline, seen
            try:
                seen.append(lines.get(timeout=0.5))
            except queue.Empty:
                pass
        process.send_signal(signal.SIGINT)
        err = process.stderr.read()
        process.wait(timeout=120)
        reader.join(timeout=10)
    finally:
        process.kill()
    while not lines.empty():
        seen.append(lines.get())
    assert "Traceback" not in err, err
    assert process.returncode == 0, err
    assert seen[0] == "开始监视 inputs（每 0.3 秒检查一次，按 Ctrl-C 停止）"
    assert seen[-1] == "已停止监视"
    assert (tmp_path / "outputs" / "黔江区义务教育优质均衡推进情况_2019.xlsx").exists()
