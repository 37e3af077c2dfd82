"""Email delivery, against a real SMTP server (aiosmtpd) running in the test process."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import io
import ipaddress
import re
import socket
import ssl
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner

from excel_balance.census.reader import read_census
from excel_balance.cli import cli
from excel_balance.delivery.send import LEDGER, DeliveryRefused, deliver
from excel_balance.delivery.settings import MailSettings, Recipients, load_settings
from excel_balance.evaluate import evaluate
from excel_balance.evaluate.units import unit_workbook_name
from excel_balance.problems import ProblemsError
from excel_balance.report.unit_workbook import write_unit_workbooks
from tests.census_data import write_clean

PASSWORD = "shouquanma-123"
UNITS = {"区教委": "jiaowei@example.org", "区财政局": "caizheng@example.org", "区人力社保局": "renshe@example.org",
         "区经济信息委": "jingxin@example.org"}


class Recorder:
    """An SMTP handler that keeps what it accepted and can misbehave on request."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.raw: list[bytes] = []
        self.refuse: set[str] = set()
        self.replies: dict[str, str] = {}  # address → the refusal it gets at RCPT
        self.drop_on_rcpt: set[str] = set()
        self.drop_on_quit = False
        self.drop_after_data: set[str] = set()  # keep the message, never answer (connection closed)
        self.delay = 0.0  # seconds between keeping a message and answering 250

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.drop_on_rcpt:
            self.drop_on_rcpt.discard(address)
            server.transport.close()
            return "421 closing"
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        if address in self.replies:
            return self.replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.raw.append(envelope.content)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        await asyncio.sleep(self.delay)  # kept, then slow to say so
        if self.drop_after_data & set(envelope.rcpt_tos):
            self.drop_after_data -= set(envelope.rcpt_tos)
            server.transport.close()
        return "250 Message accepted"

    async def handle_QUIT(self, server, session, envelope):
        if self.drop_on_quit:
            server.transport.close()
            return "221 never seen"
        return "221 Bye"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # a failure answers 535, as real servers do


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, made here."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


def server_context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*map(str, certificate))
    return context


@pytest.fixture
def smtp(request, certificate):
    """A running server; request.param is the security: none, starttls or ssl."""
    security = getattr(request, "param", "none")
    handler = Recorder()
    port = free_port()
    options = {"authenticator": authenticator, "auth_require_tls": security != "none" and security != "ssl"}
    if security == "none":
        options["auth_require_tls"] = False
    if security == "starttls":
        options.update(tls_context=server_context(certificate), require_starttls=True)
    if security == "ssl":
        options.update(ssl_context=server_context(certificate), auth_require_tls=False)
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    handler.settings = MailSettings(host="127.0.0.1", port=port, security=security, user="jiaowei",
                                    sender="jiaowei@example.org", sender_name="黔江区教委", timeout=10,
                                    cafile=str(certificate[0]) if security != "none" else "",
                                    units={u: Recipients((a,)) for u, a in UNITS.items()} | {
                                        "各乡镇街道": Recipients(folder_only=True)})
    yield handler
    controller.stop()


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory, qianjiang):
    folder = tmp_path_factory.mktemp("census")
    return evaluate(qianjiang, [read_census(write_clean(folder / "2022年统计.xlsx", qianjiang))])


@pytest.fixture
def unit_folder(tmp_path, evaluation):
    folder = tmp_path / "责任单位"
    write_unit_workbooks(evaluation, folder)
    return folder


def send(smtp, evaluation, unit_folder, **kwargs):
    kwargs.setdefault("units", list(UNITS))
    return deliver(evaluation, smtp.settings, unit_folder, unit_folder.parent / LEDGER, password=PASSWORD,
                   cafile=smtp.settings.cafile or None, **kwargs)


@pytest.mark.parametrize("smtp", ["none", "starttls", "ssl"], indirect=True)
def test_every_unit_gets_its_message(smtp, evaluation, unit_folder, qianjiang):
    report = send(smtp, evaluation, unit_folder)
    assert report.sent == list(UNITS) and report.ok
    assert [m["To"] for m in smtp.messages] == list(UNITS.values())
    for unit, message, raw in zip(UNITS, smtp.messages, smtp.raw):
        name = unit_workbook_name(unit, 2022)
        assert message["Subject"] == f"黔江区义务教育优质均衡推进情况（2022年）——{unit}负责指标"
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_filename() == name
        # Both encodings of the name in the MIME structure.
        assert b'name="=?utf-8?b?' in raw and b"filename*=utf-8''" in raw
        book = openpyxl.load_workbook(io.BytesIO(attachment.get_content()))
        texts = {c.value for c in book["推进规划"]["B"] if c.value and c.value != "实际"}
        expected = {i.text for i in qianjiang.indicators if unit in i.units}
        assert expected <= texts and not ({i.text for i in qianjiang.indicators} - expected) & texts
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert text.startswith(f"{unit}：")
        if unit == "区经济信息委":  # R6 and R7: 小学 behind in 2022 (2/5 and 3/5)
            assert "R6 6.生均教学仪器设备值" in text and "实际 2/5，× 未达年度目标" in text
            assert "× 未达年度目标" in html and "background-color:#FFC7CE" in html
    assert "各乡镇街道" not in report.sent


def test_a_refused_recipient_and_a_rerun(smtp, evaluation, unit_folder):
    smtp.refuse.add(UNITS["区财政局"])
    report = send(smtp, evaluation, unit_folder)
    assert report.sent == ["区教委", "区人力社保局", "区经济信息委"]
    assert report.failed == [("区财政局", "收件人 caizheng@example.org 被拒绝：地址不存在或不可用"
                                          "（550 5.1.1 mailbox unavailable）：请核对设置文件中的地址")]
    smtp.refuse.clear()
    again = send(smtp, evaluation, unit_folder)
    assert again.sent == ["区财政局"] and again.already == ["区教委", "区人力社保局", "区经济信息委"]
    assert len(smtp.messages) == 4  # nothing sent twice


def test_a_dropped_connection_and_an_error_on_quit(smtp, evaluation, unit_folder):
    smtp.drop_on_rcpt.add(UNITS["区财政局"])
    smtp.drop_on_quit = True
    report = send(smtp, evaluation, unit_folder)
    assert report.sent == ["区教委", "区人力社保局", "区经济信息委"]  # reconnected after the drop
    assert [u for u, _ in report.failed] == ["区财政局"]
    assert "连接中断" in report.failed[0][1]
    again = send(smtp, evaluation, unit_folder)
    assert again.sent == ["区财政局"] and len(again.already) == 3
    assert [m["To"] for m in smtp.messages].count(UNITS["区教委"]) == 1


def test_resend_sends_again(smtp, evaluation, unit_folder):
    send(smtp, evaluation, unit_folder, units=["区教委"])
    assert send(smtp, evaluation, unit_folder, units=["区教委"]).already == ["区教委"]
    assert send(smtp, evaluation, unit_folder, units=["区教委"], resend=True).sent == ["区教委"]
    assert len(smtp.messages) == 2


def test_wrong_password_says_what_to_check(smtp, evaluation, unit_folder):
    report = deliver(evaluation, smtp.settings, unit_folder, unit_folder.parent / LEDGER, units=["区教委", "区财政局"],
                     password="wrong")
    assert [u for u, _ in report.failed] == ["区教委", "区财政局"]
    assert report.failed[0][1].startswith("登录被拒绝（535）：请检查 smtp.user 和环境变量 EXCEL_BALANCE_SMTP_PASSWORD")


def test_sample_data_is_not_sent(smtp, tmp_path, qianjiang):
    path = write_clean(tmp_path / "2022年示例.xlsx", qianjiang, sample=True)
    sample = evaluate(qianjiang, [read_census(path)])
    folder = tmp_path / "units"
    write_unit_workbooks(sample, folder)
    with pytest.raises(DeliveryRefused, match="示例数据（虚构）"):
        send(smtp, sample, folder)
    assert smtp.messages == []
    assert send(smtp, sample, folder, allow_sample=True).sent == list(UNITS)
    assert len(send(smtp, sample, folder, dry_run=tmp_path / "eml", resend=True).written) == 4


def test_a_dry_run_writes_the_message_that_would_be_sent(smtp, evaluation, unit_folder, tmp_path):
    report = send(smtp, evaluation, unit_folder, dry_run=tmp_path / "eml")
    assert [p.name for p in report.written] == [f"{u}_2022.eml" for u in UNITS] and smtp.messages == []
    send(smtp, evaluation, unit_folder)
    for path, sent in zip(report.written, smtp.messages):
        dry = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for header in ("Subject", "From", "To"):
            assert dry[header] == sent[header]
        assert dry.get_body(("plain",)).get_content() == sent.get_body(("plain",)).get_content()
        assert dry.get_body(("html",)).get_content() == sent.get_body(("html",)).get_content()
        (a,), (b,) = list(dry.iter_attachments()), list(sent.iter_attachments())
        assert (a.get_filename(), a.get_content()) == (b.get_filename(), b.get_content())


def test_settings_refuse_a_password_and_list_units_without_recipients(tmp_path, evaluation, unit_folder):
    path = tmp_path / "excel-balance.yaml"
    path.write_text("smtp:\n  host: smtp.qq.com\n  password: 123456\n  security: tls\n", encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        load_settings(path)
    assert [str(p) for p in caught.value.problems] == [
        "excel-balance.yaml smtp.password：密码（授权码）不能写在设置文件中：请删除该项，改为在环境变量 EXCEL_BALANCE_SMTP_PASSWORD 中设置",
        "excel-balance.yaml smtp.security：应为 ssl（465端口）、starttls（587端口）或 none（本地中继）",
    ]
    settings = MailSettings(host="127.0.0.1", port=1, security="none", sender="a@example.org",
                            units={"区教委": Recipients(("a@example.org",))})
    report = deliver(evaluation, settings, unit_folder, tmp_path / LEDGER, units=["区教委", "区财政局"],
                     dry_run=tmp_path / "eml")
    assert report.no_recipients == ["区财政局"]
    assert "  未设置收件人：区财政局（请在设置文件的 units 中填写，或写 folder_only: true）" in report.lines()


def test_templates_fail_loudly_on_an_undefined_variable(tmp_path, monkeypatch, evaluation, unit_folder):
    folder = tmp_path / "templates" / "email"
    folder.mkdir(parents=True)
    for name in ("body.txt.j2", "body.html.j2"):
        (folder / name).write_text((Path(__file__).parent.parent / "templates" / "email" / name).read_text("utf-8"),
                                   encoding="utf-8")
    (folder / "subject.txt.j2").write_text("{{ distrcit }}推进情况", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    import jinja2

    with pytest.raises(jinja2.UndefinedError, match="distrcit"):
        deliver(evaluation, MailSettings(sender="a@example.org", units={"区教委": Recipients(("b@example.org",))}),
                unit_folder, tmp_path / LEDGER, units=["区教委"], dry_run=tmp_path / "eml")


def test_cli_email_init_and_dry_run(tmp_path, monkeypatch, qianjiang):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inputs").mkdir()
    write_clean(tmp_path / "inputs" / "2022年统计.xlsx", qianjiang)
    runner = CliRunner()
    result = runner.invoke(cli, ["email", "--init"])
    assert result.exit_code == 0 and "已生成邮件设置示例：excel-balance.yaml" in result.output
    text = (tmp_path / "excel-balance.yaml").read_text("utf-8")
    assert all(f"  {unit}:" in text for unit in qianjiang.units)
    result = runner.invoke(cli, ["email", "--dry-run", "预览", "--units", "区财政局，区教委"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "预览").iterdir()) == ["区教委_2022.eml", "区财政局_2022.eml"]
    # A dry run only flags the placeholders of --init.
    assert result.output.startswith("  警告：excel-balance.yaml smtp.host：仍是示例“smtp.example.com”：请改为实际的邮件服务器")
    assert "  警告：excel-balance.yaml smtp.sender：“jiaowei@example.com”仍是 --init 生成的示例地址" in result.output
    result = runner.invoke(cli, ["email", "--units", "区财政局"])  # the placeholders of --init: refused
    assert result.exit_code == 1 and not (tmp_path / "outputs" / LEDGER).exists()
    assert "  错误：excel-balance.yaml smtp.host：仍是示例“smtp.example.com”：请改为实际的邮件服务器，例如 smtp.qq.com" in result.output
    assert ("  错误：excel-balance.yaml units.区财政局.to：“unit03@example.com”仍是 --init 生成的示例地址："
            "请改为实际的邮箱地址") in result.output
    (tmp_path / "excel-balance.yaml").write_text(text.replace("example.com", "qj.gov.cn"), encoding="utf-8")
    result = runner.invoke(cli, ["email", "--units", "区财政局"])
    assert result.exit_code == 1
    assert "请先在环境变量 EXCEL_BALANCE_SMTP_PASSWORD 中设置邮箱密码（授权码）" in result.output
    result = runner.invoke(cli, ["email", "--dry-run", "x", "--units", "区卫健委"])
    assert result.exit_code == 1 and "规划中没有这些责任单位：区卫健委" in result.output



class Blocks(HTMLParser):
    """The HTML part's tables (cells per row, pieces of text), and every style attribute seen."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: list[dict] = []
        self.open = 0
        self.styles: list[str] = []
        self.classes = self.style_elements = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.styles.append(attrs.get("style") or "")
        self.classes += "class" in attrs
        self.style_elements += tag in ("style", "link")
        if tag == "table":
            self.open += 1
            self.tables.append({"rows": [], "text": []})
        elif tag == "tr" and self.open:
            self.tables[-1]["rows"].append(0)
        elif tag in ("td", "th") and self.open:
            self.tables[-1]["rows"][-1] += 1

    def handle_endtag(self, tag):
        self.open -= tag == "table"

    def handle_data(self, data):
        if self.open and data.strip():
            self.tables[-1]["text"].append(" ".join(data.split()))


def test_the_html_part_is_one_column_of_indicator_blocks(evaluation, unit_folder, tmp_path):
    """Readable at any width without @media (which Outlook, Foxmail and QQ Mail may strip): one
    block per indicator, one cell wide, inline styles only, no fixed pixel width."""
    settings = MailSettings(sender="a@qj.gov.cn", units={"区经济信息委": Recipients(("b@qj.gov.cn",)),
                                                         "区教委": Recipients(("c@qj.gov.cn",))})
    report = deliver(evaluation, settings, unit_folder, tmp_path / LEDGER, units=["区经济信息委", "区教委"],
                     dry_run=tmp_path / "eml")
    parsed = []
    for path, indicators in zip(report.written, (2, 32)):
        html = email.message_from_bytes(path.read_bytes(), policy=email.policy.default).get_body(("html",)).get_content()
        blocks = Blocks(html)
        assert "@media" not in html and blocks.style_elements == 0 and blocks.classes == 0
        assert len(blocks.tables) == indicators and all(t["rows"] == [1] for t in blocks.tables)
        assert not [s for s in blocks.styles if re.search(r"(?<![-\w])width:\s*\d+px", s)]
        parsed.append(blocks)
    r6, r7 = (t["text"] for t in parsed[0].tables)
    assert r6 == ["× 未达年度目标", "R6 · 配合", "6.生均教学仪器设备值：小学、初中分别达到2000元以上、2500元以上",
                  "小学", "× 未达年度目标", "2022年目标 52/71；实际 2/5",
                  "初中", "△ 接近目标", "2022年目标 18/23；实际 2/3"]
    assert r7[:2] == ["× 未达年度目标", "R7 · 配合"] and r7[-3:] == ["初中", "△ 接近目标", "2022年目标 22/23；实际 2/3"]
