from click.testing import CliRunner

from excel_balance.cli import cli
from tests.test_workflow import REPO


def test_every_command_has_help_with_an_example_and_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0
        assert command.help and "示例" in command.help, name
        assert f"excel-balance {name}" in readme, name


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.output == "excel-balance, version 0.1.0\n"


# --- folders wherever files are; run --open --------------------------------------------------------------

import shutil  # noqa: E402

import pytest  # noqa: E402

from excel_balance import cli as cli_module  # noqa: E402
from tests.test_workflow import REPORT, SAMPLES  # noqa: E402


@pytest.fixture
def folder(tmp_path, monkeypatch):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for path in SAMPLES:
        shutil.copy(path, inputs / path.name)
    (inputs / "说明.txt").write_text("请勿删除", encoding="utf-8")
    (inputs / "~$黔江区2022年.xlsx").write_bytes(b"lock")
    (inputs / ".hidden.xlsx").write_bytes(b"hidden")
    monkeypatch.chdir(tmp_path)
    return inputs


def test_check_takes_a_folder_as_run_finds_its_files(folder):
    result = CliRunner().invoke(cli, ["check", "inputs"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == [".hidden.xlsx：临时文件或隐藏文件，已忽略", "~$黔江区2022年.xlsx：临时文件或隐藏文件，已忽略",
                         "说明.txt：不是 Excel 工作簿，已忽略"]
    assert [line for line in lines if line.endswith("：可以使用")] == [f"{p.name}：可以使用" for p in SAMPLES]


def test_check_on_a_folder_with_a_bad_workbook_fails(folder):
    (folder / "坏文件.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    result = CliRunner().invoke(cli, ["check", "inputs"])
    assert result.exit_code == 1
    assert "坏文件.xlsx：无法使用，共 1 处错误" in result.output


def test_report_takes_a_folder(folder):
    result = CliRunner().invoke(cli, ["report", "inputs", "-o", "报告.xlsx"])
    assert result.exit_code == 0, result.output
    assert "已生成报告：报告.xlsx" in result.output
    assert "2022年总体判断（对照国家标准）：" in result.output
    assert (folder.parent / "报告.xlsx").stat().st_size > 10_000


def test_a_folder_without_workbooks_is_refused_in_chinese(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "空").mkdir()
    for command in ("check", "report"):
        result = CliRunner().invoke(cli, [command, "空"])
        assert result.exit_code == 1
        assert result.output == "错误：文件夹 空 中没有 Excel 工作簿\n"


def test_run_open_shows_the_outputs_folder_when_a_report_was_written(folder, monkeypatch):
    opened = []
    monkeypatch.setattr(cli_module, "open_folder", opened.append)
    assert CliRunner().invoke(cli, ["run", "--open"]).exit_code == 0
    assert opened == [cli_module.Path("outputs")]
    assert (folder.parent / "outputs" / REPORT).exists()
    # Nothing new written: nothing opened.
    assert CliRunner().invoke(cli, ["run", "--open"]).exit_code == 0
    assert opened == [cli_module.Path("outputs")]
    # A report written although another file failed (exit 1): opened all the same.
    (folder / "坏文件.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    result = CliRunner().invoke(cli, ["run", "--open", "--force"])
    assert result.exit_code == 1
    assert opened == [cli_module.Path("outputs")] * 2


def test_run_open_without_a_report_opens_nothing(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(cli_module, "open_folder", opened.append)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inputs").mkdir()
    CliRunner().invoke(cli, ["run", "--open"])
    assert opened == []


def test_open_folder_uses_the_desktop_opener_and_does_nothing_without_one(tmp_path, monkeypatch):
    import time

    monkeypatch.setattr(cli_module.sys, "platform", "linux")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    cli_module.open_folder(tmp_path)  # no xdg-open: returns quietly
    (tmp_path / "bin").mkdir()
    opener = tmp_path / "bin" / "xdg-open"
    opener.write_text(f'#!/bin/sh\necho "$1" > {tmp_path}/opened\n', encoding="utf-8")
    opener.chmod(0o755)
    cli_module.open_folder(tmp_path / "outputs")
    for _ in range(100):  # started, not waited for
        if (tmp_path / "opened").exists() and (tmp_path / "opened").read_text():
            break
        time.sleep(0.05)
    assert (tmp_path / "opened").read_text() == f"{tmp_path / 'outputs'}\n"
