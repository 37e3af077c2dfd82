"""The mail settings file: every problem with its key, in Chinese, before anything is sent."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from excel_balance.cli import cli
from excel_balance.delivery.review import review
from excel_balance.delivery.settings import load_settings
from excel_balance.problems import ProblemsError
from tests.census_data import write_clean

GOOD = """smtp:
  host: mail.qj.gov.cn
  port: 587
  security: starttls
  user: jiaowei@qj.gov.cn
  sender_name: 黔江区教委
units:
  区教委:
    to: [jiaowei@qj.gov.cn]
"""


def problems_of(tmp_path, text: str) -> list[str]:
    path = tmp_path / "excel-balance.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        load_settings(path)
    return [str(p) for p in caught.value.problems]


def reviewed(tmp_path, text: str, sending=True, password=None) -> list[tuple[str, str]]:
    path = tmp_path / "excel-balance.yaml"
    path.write_text(text, encoding="utf-8")
    return [(p.severity.value, str(p)) for p in review(load_settings(path), sending=sending, password=password)]


def test_good_settings_have_no_problem(tmp_path):
    assert reviewed(tmp_path, GOOD, password="x") == []


def test_numbers_that_are_not_numbers(tmp_path):
    text = GOOD.replace("port: 587", "port: 58７").replace("security: starttls", "security: starttls\n  timeout: abc")
    assert problems_of(tmp_path, text) == [
        "excel-balance.yaml smtp.port：端口应为 1—65535 的整数，例如 465，现为“58７”",
        "excel-balance.yaml smtp.timeout：超时应为正的秒数，例如 30，现为“abc”",
    ]


def test_a_yaml_mistake_is_located_in_chinese(tmp_path):
    text = GOOD + "  区财政局:\n    to:\n      - caizheng@qj.gov.cn\n     renshe@qj.gov.cn\n"
    assert problems_of(tmp_path, text) == [
        "excel-balance.yaml 第13行第6列：格式有误：请检查这一行和上一行的缩进（用空格，不用 Tab）、"
        "冒号后是否有空格、列表的“-”和方括号是否成对"]


def test_line_breaks_and_malformed_addresses_are_refused(tmp_path):
    text = GOOD.replace("sender_name: 黔江区教委", 'sender_name: "黔江区教委\\r\\nBcc: all@qj.gov.cn"') + (
        '  区财政局:\n    to: ["caizheng@qj.gov.cn\\nBcc: boss@qj.gov.cn", "caizheng qj.gov.cn", "caizheng@", '
        '"财政@qj.gov.cn"]\n')
    assert reviewed(tmp_path, text, sending=False) == [
        ("错误", "excel-balance.yaml smtp.sender_name：含有换行符：请写在一行内"),
        ("错误", "excel-balance.yaml units.区财政局.to：“caizheng@qj.gov.cn\\nBcc: boss@qj.gov.cn”不是邮箱地址（含有换行符）"),
        ("错误", "excel-balance.yaml units.区财政局.to：“caizheng qj.gov.cn”不是邮箱地址（一个地址一项，不要带空格、逗号或尖括号）"),
        ("错误", "excel-balance.yaml units.区财政局.to：“caizheng@”不是邮箱地址（应形如 name@example.org）"),
        ("错误", "excel-balance.yaml units.区财政局.to：“财政@qj.gov.cn”不是邮箱地址（含有中文或全角字符：请填写邮件服务器给出的英文地址）"),
    ]


def test_an_intranet_address_and_a_password_in_clear_are_warnings(tmp_path):
    text = GOOD.replace("security: starttls", "security: none").replace("[jiaowei@qj.gov.cn]", "[jw@qj]")
    assert reviewed(tmp_path, text, password="shouquanma") == [
        ("警告", "excel-balance.yaml units.区教委.to：“jw@qj”的域名没有“.”，只在单位内部邮件服务器上有效：请确认"),
        ("警告", "excel-balance.yaml smtp.security：security: none 时密码（授权码）以明文传送，同一网络中的他人可能截获："
                 "服务器支持时请改用 ssl（465 端口）或 starttls（587 端口）"),
    ]


def test_placeholders_of_init_refuse_a_send_and_are_flagged_in_a_dry_run(tmp_path):
    text = GOOD.replace("mail.qj.gov.cn", "smtp.example.com").replace("[jiaowei@qj.gov.cn]", "[unit01@example.com]")
    sending = reviewed(tmp_path, text)
    assert sending == [
        ("错误", "excel-balance.yaml smtp.host：仍是示例“smtp.example.com”：请改为实际的邮件服务器，例如 smtp.qq.com"),
        ("错误", "excel-balance.yaml units.区教委.to：“unit01@example.com”仍是 --init 生成的示例地址：请改为实际的邮箱地址"),
    ]
    assert reviewed(tmp_path, text, sending=False) == [("警告", message) for _, message in sending]


def test_the_cli_refuses_a_header_injection_without_a_traceback(tmp_path, monkeypatch, qianjiang):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inputs").mkdir()
    write_clean(tmp_path / "inputs" / "2022年统计.xlsx", qianjiang)
    (tmp_path / "excel-balance.yaml").write_text(
        GOOD.replace("[jiaowei@qj.gov.cn]", '["jiaowei@qj.gov.cn\\r\\nBcc: x@qj.gov.cn"]'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["email", "--dry-run", "预览"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output == (
        "邮件设置 excel-balance.yaml 有问题，未发送：\n"
        "  错误：excel-balance.yaml units.区教委.to：“jiaowei@qj.gov.cn\\r\\nBcc: x@qj.gov.cn”不是邮箱地址（含有换行符）\n")
    assert not (tmp_path / "预览").exists()


def test_email_for_a_district_on_the_national_standard_says_why(tmp_path, monkeypatch, qianjiang):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inputs").mkdir()
    write_clean(tmp_path / "inputs" / "2022年统计.xlsx", qianjiang, district="石柱县")
    (tmp_path / "excel-balance.yaml").write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(cli, ["email", "--dry-run", "预览"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output == ("错误：石柱县按国家标准测算，规划中没有责任单位分工，无单位可发："
                             "请把该区县的推进规划放进 templates/plans/（或用 --plan 指定）后再运行\n")



def test_email_with_an_unusable_census_in_inputs_sends_nothing(tmp_path, monkeypatch, qianjiang):
    """Mail used to go out silently for the previous year when the latest census was refused."""
    import shutil

    from tests.test_workflow import SAMPLES

    monkeypatch.chdir(tmp_path)
    (tmp_path / "inputs").mkdir()
    for path in SAMPLES[:3]:
        shutil.copy(path, tmp_path / "inputs" / path.name)
    (tmp_path / "inputs" / "黔江区2022年统计报表.xlsx").write_bytes(b"PK\x03\x04 cut short")
    assert CliRunner().invoke(cli, ["email", "--init"]).exit_code == 0
    result = CliRunner().invoke(cli, ["email", "--dry-run", "预览", "--allow-sample"])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "错误：inputs 中有文件无法使用（黔江区2022年统计报表.xlsx）：邮件会只按其余数据发出，可能不是最新年度或缺少修正，"
        "本次未发送。请先运行 excel-balance run 查看原因并处理后再发送")
    assert not (tmp_path / "预览").exists()
