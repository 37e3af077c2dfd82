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
