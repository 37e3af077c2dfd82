"""Delivery under faults and concurrency, against a real SMTP server (aiosmtpd): every unit gets
its report exactly once, or the same message again under the same Message-ID when its fate is
unknown; a changed report is marked as an update."""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import json
import os
import socket
import subprocess
import sys
from collections import Counter

import pytest
from aiosmtpd.controller import Controller

from excel_balance.census.reader import read_census
from excel_balance.delivery import ledger as ledger_module
from excel_balance.delivery.failures import explain
from excel_balance.delivery.send import LEDGER, deliver
from excel_balance.report.unit_workbook import write_unit_workbooks
from excel_balance.evaluate import evaluate
from tests.census_data import clean_recorded, clean_schools, write_clean, write_template
from tests.test_delivery import (  # noqa: F401 (fixtures)
    PASSWORD,
    UNITS,
    Recorder,
    certificate,
    evaluation,
    free_port,
    send,
    smtp,
    unit_folder,
)

FINANCE = UNITS["区财政局"]


def ledger_of(unit_folder) -> list[dict]:
    return json.loads((unit_folder.parent / LEDGER).read_text("utf-8"))


def test_a_reply_lost_after_data_is_retried_under_the_same_message_id(smtp, evaluation, unit_folder):
    smtp.drop_after_data.add(FINANCE)
    report = send(smtp, evaluation, unit_folder)
    assert report.sent == ["区教委", "区人力社保局", "区经济信息委"]  # reconnected after the drop
    assert report.failed == [("区财政局", "邮件已发出，但未收到服务器的答复（连接中断）：可能已送达，已记为“待确认”；"
                                          "重新运行时将以相同的 Message-ID 重发，收件人的邮箱可识别为同一封")]
    first = next(m for m in smtp.messages if m["To"] == FINANCE)
    (pending,) = [e for e in ledger_of(unit_folder) if e["state"] == "待确认"]
    assert (pending["unit"], pending["message_id"]) == ("区财政局", first["Message-ID"])

    again = send(smtp, evaluation, unit_folder)
    assert again.retried == ["区财政局"] and again.sent == [] and again.already == ["区教委", "区人力社保局", "区经济信息委"]
    assert (f"  已重发：区财政局（上次发出后未收到服务器答复；本次使用相同的 Message-ID {first['Message-ID']}，"
            "收件人的邮箱可识别为同一封）") in again.lines()
    copies = [m for m in smtp.messages if m["To"] == FINANCE]
    assert [m["Message-ID"] for m in copies] == [first["Message-ID"]] * 2
    assert copies[1]["Date"] == first["Date"] and copies[1]["Subject"] == first["Subject"]
    assert [e["state"] for e in ledger_of(unit_folder)] == ["已发送"] * 4

    assert send(smtp, evaluation, unit_folder).already == list(UNITS)
    resent = send(smtp, evaluation, unit_folder, units=["区财政局"], resend=True)
    assert resent.sent == ["区财政局"] and smtp.messages[-1]["Message-ID"] != first["Message-ID"]
    assert len(smtp.messages) == 6


def test_a_reply_slower_than_the_timeout(smtp, evaluation, unit_folder):
    smtp.delay = 1.5
    smtp.settings = dataclasses.replace(smtp.settings, timeout=0.5)
    report = send(smtp, evaluation, unit_folder, units=["区财政局"])
    assert report.failed == [("区财政局", "邮件已发出，但未收到服务器的答复（等待超过 0.5 秒（smtp.timeout））：可能已送达，"
                                          "已记为“待确认”；重新运行时将以相同的 Message-ID 重发，收件人的邮箱可识别为同一封")]
    smtp.delay = 0
    again = send(smtp, evaluation, unit_folder, units=["区财政局"])
    assert again.retried == ["区财政局"]
    # The slow server kept the first copy: two copies, one Message-ID.
    assert len({m["Message-ID"] for m in smtp.messages}) == 1 and len(smtp.messages) == 2


def fail_ledger_writes(monkeypatch, unit: str, notes: bool):
    """The ledger cannot be written once `unit` was accepted (the file-size limit: EFBIG); the
    small note beside it can, unless `notes` is False."""
    real = ledger_module.write_durably

    def write(target, data: bytes):
        accepted = [e for e in json.loads(data) if e["unit"] == unit and e["state"] == "已发送"]
        if accepted and (target.name == LEDGER or not notes):
            raise OSError(errno.EFBIG, "File too large")
        real(target, data)

    monkeypatch.setattr(ledger_module, "write_durably", write)


def test_a_ledger_that_cannot_be_written_after_the_server_accepted(smtp, evaluation, unit_folder, monkeypatch):
    fail_ledger_writes(monkeypatch, "区财政局", notes=True)
    report = send(smtp, evaluation, unit_folder)
    accepted = smtp.messages[1]["Message-ID"]
    assert report.sent == ["区教委"] and not report.ok and len(smtp.messages) == 2
    note = next(unit_folder.parent.glob(".excel-balance-mail-ledger.*.json"))
    assert report.lines()[-1] == (
        f"  已停止：区财政局的邮件已被服务器接收（Message-ID {accepted}），但发送记录 {unit_folder.parent / LEDGER} "
        f"无法写入（File too large）：已另记在 {note.name}，重新运行不会重发区财政局。"
        "已停止发送其余单位：请先解决该问题（磁盘空间、文件大小限制、写入权限）再重新运行")
    monkeypatch.undo()
    again = send(smtp, evaluation, unit_folder)
    assert again.sent == ["区人力社保局", "区经济信息委"] and again.already == ["区教委", "区财政局"]
    assert Counter(m["To"] for m in smtp.messages) == Counter(UNITS.values())  # each exactly once
    assert not note.exists() and [e["unit"] for e in ledger_of(unit_folder)] == [
        "区教委", "区财政局", "区人力社保局", "区经济信息委"]


def test_when_not_even_a_note_can_be_written_the_rerun_sends_the_same_message(smtp, evaluation, unit_folder,
                                                                              monkeypatch):
    fail_ledger_writes(monkeypatch, "区财政局", notes=False)
    report = send(smtp, evaluation, unit_folder, units=["区财政局", "区教委"])
    assert report.sent == [] and "区财政局可能已收到；记录中仍为“待确认”，重新运行时将以相同的 Message-ID 重发" in report.stopped
    monkeypatch.undo()
    again = send(smtp, evaluation, unit_folder, units=["区财政局", "区教委"])
    assert again.retried == ["区财政局"] and again.sent == ["区教委"]
    assert [m["Message-ID"] for m in smtp.messages].count(smtp.messages[0]["Message-ID"]) == 2


def test_a_ledger_that_cannot_be_written_before_sending(smtp, evaluation, unit_folder, monkeypatch):
    def full(target, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ledger_module, "write_durably", full)
    report = send(smtp, evaluation, unit_folder)
    assert smtp.messages == [] and report.stopped == (
        f"无法写入发送记录 {unit_folder.parent / LEDGER}（No space left on device）：区教委及其后的单位均未发送。"
        "请先解决该问题（磁盘空间、文件大小限制、写入权限）再重新运行")


def test_a_resend_after_changed_data_is_marked_as_an_update(smtp, evaluation, unit_folder, qianjiang, tmp_path):
    send(smtp, evaluation, unit_folder, units=["区经济信息委"])
    schools = clean_schools()
    for row in schools:  # every school now has ten times the equipment: R6 met at both levels
        row["equipment_value"] *= 10
    path = write_template(tmp_path / "2022年统计（修正）.xlsx", qianjiang, year=2022, schools=schools,
                          recorded=clean_recorded())
    changed = evaluate(qianjiang, [read_census(path)])
    write_unit_workbooks(changed, unit_folder)
    report = send(smtp, changed, unit_folder, units=["区经济信息委", "区教委"])
    assert report.sent == ["区经济信息委", "区教委"] and report.updated == ["区经济信息委"]
    assert "  已发送：区经济信息委（【更新】）" in report.lines()
    first, update, other = smtp.messages
    assert update["Subject"] == "【更新】" + first["Subject"]
    assert not other["Subject"].startswith("【更新】")  # its first message: nothing to update
    line = (f"与{dt.date.today().isoformat()}发送的上一版相比，状态有变化的："
            "R6 小学 × 未达年度目标→√ 已达标；R6 初中 △ 接近目标→√ 已达标。")
    text = update.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith(f"区经济信息委：\n\n【更新】{line}\n\n根据2022年")
    assert f"【更新】{line}" in update.get_body(("html",)).get_content()
    assert "【更新】" not in first.get_body(("plain",)).get_content()
    assert send(smtp, changed, unit_folder, units=["区经济信息委"]).already == ["区经济信息委"]


def test_two_email_processes_started_together_send_each_unit_once(tmp_path, qianjiang):
    handler = Recorder()
    handler.delay = 0.2  # both processes are sending at the same time, not one after the other
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        (tmp_path / "inputs").mkdir()
        write_clean(tmp_path / "inputs" / "2022年统计.xlsx", qianjiang)
        mailed = [u for u in qianjiang.units if u not in ("各乡镇街道", "各相关单位")]
        units = "".join(f"  {u}:\n    to: [unit{n}@qj.gov.cn]\n" for n, u in enumerate(mailed))
        (tmp_path / "excel-balance.yaml").write_text(
            f"smtp:\n  host: 127.0.0.1\n  port: {controller.port}\n  security: none\n  sender: jw@qj.gov.cn\n"
            f"units:\n{units}  各乡镇街道:\n    folder_only: true\n  各相关单位:\n    folder_only: true\n",
            encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "EXCEL_BALANCE_SMTP_PASSWORD"}
        command = [sys.executable, "-m", "excel_balance", "email", "--wait", "120"]
        processes = [subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                     for _ in range(2)]
        outputs = [p.communicate(timeout=180) for p in processes]
    finally:
        controller.stop()
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert len(mailed) == 9 and len(handler.messages) == 9
    assert Counter(m["To"] for m in handler.messages) == Counter(f"unit{n}@qj.gov.cn" for n in range(9))
    said = sorted(out.decode() for out, _ in outputs)
    assert said[0].startswith("已发送 0 个单位，此前已发送 9 个，失败 0 个")
    assert said[1].startswith("已发送 9 个单位，此前已发送 0 个，失败 0 个")


def failure(smtp, evaluation, unit_folder, **changes) -> str:
    smtp.settings = dataclasses.replace(smtp.settings, **changes)
    report = deliver(evaluation, smtp.settings, unit_folder, unit_folder.parent / LEDGER, units=["区财政局"],
                     password=PASSWORD, cafile=smtp.settings.cafile or None)
    (unit, reason), = report.failed
    return reason


def test_relay_refused_and_a_full_mailbox(smtp, evaluation, unit_folder):
    smtp.replies[FINANCE] = "554 5.7.1 <caizheng@example.org>: Relay access denied"
    assert failure(smtp, evaluation, unit_folder) == (
        "收件人 caizheng@example.org 被拒绝：服务器拒绝转发（554 5.7.1 <caizheng@example.org>: Relay access denied）："
        "请检查是否已填写 smtp.user 登录，以及 smtp.sender 是否为该服务器的邮箱")
    smtp.replies[FINANCE] = "552 5.2.2 Mailbox full"
    assert failure(smtp, evaluation, unit_folder) == (
        "收件人 caizheng@example.org 被拒绝：对方邮箱已满或邮件过大（552 5.2.2 Mailbox full）：请联系收件人清理邮箱，或改用其他地址")
    assert smtp.messages == [] and not (unit_folder.parent / LEDGER).read_text("utf-8").count("区财政局")


@pytest.mark.parametrize("smtp", ["ssl"], indirect=True)
def test_a_certificate_failure_is_not_blamed_on_the_port(smtp, evaluation, unit_folder):
    where = f"127.0.0.1:{smtp.settings.port}"
    assert failure(smtp, evaluation, unit_folder, cafile="") == (
        f"{where} 的证书未通过验证（self-signed certificate）：请检查 smtp.host 是否与证书上的名称一致；"
        "单位自建服务器请在 smtp.cafile 中填写其证书（CA）文件")
    # Plain SMTP against implicit TLS: the server waits for TLS, the client for a greeting.
    port = smtp.settings.port
    assert failure(smtp, evaluation, unit_folder, security="starttls", timeout=0.5) == (
        f"连接 127.0.0.1:{port} 超时（超过 0.5 秒）：请检查网络、smtp.host 和 smtp.port，或加大 smtp.timeout")
    on_465 = dataclasses.replace(smtp.settings, security="starttls", port=465)
    assert explain(TimeoutError("timed out"), on_465) == (
        "连接 127.0.0.1:465 超时：465 端口须用 security: ssl（587 端口用 security: starttls）")
    assert smtp.messages == []


def test_ssl_against_a_plain_server_names_the_ports(smtp, evaluation, unit_folder):
    assert failure(smtp, evaluation, unit_folder, security="ssl") == (
        f"与 127.0.0.1:{smtp.settings.port} 建立加密连接失败：465 端口用 security: ssl，587 端口用 security: starttls，两者不能混用")


def test_a_server_that_never_answers_is_a_timeout(smtp, evaluation, unit_folder):
    with socket.socket() as silent:  # accepts the connection (backlog), never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        assert failure(smtp, evaluation, unit_folder, port=silent.getsockname()[1], timeout=0.3) == (
            f"连接 127.0.0.1:{silent.getsockname()[1]} 超时（超过 0.3 秒）：请检查网络、smtp.host 和 smtp.port，"
            "或加大 smtp.timeout")


def test_a_server_without_login(evaluation, unit_folder, smtp):
    controller = Controller(Recorder(), hostname="127.0.0.1", port=free_port())  # no AUTH offered
    controller.start()
    try:
        reason = failure(smtp, evaluation, unit_folder, port=controller.port)
    finally:
        controller.stop()
    assert reason == (f"127.0.0.1:{controller.port} 不提供登录（AUTH）：587 端口请用 security: starttls 先加密再登录；"
                      "无需登录的单位内部中继请删除 smtp.user")


def test_starttls_asked_of_a_server_without_it(evaluation, unit_folder, smtp):
    controller = Controller(Recorder(), hostname="127.0.0.1", port=free_port())  # no STARTTLS offered
    controller.start()
    try:
        reason = failure(smtp, evaluation, unit_folder, port=controller.port, security="starttls")
    finally:
        controller.stop()
    assert reason == (f"127.0.0.1:{controller.port} 不支持 STARTTLS 加密：465 端口请用 security: ssl；"
                      "不加密的单位内部中继用 security: none")


def test_an_edited_template_resends_nothing(smtp, evaluation, unit_folder, tmp_path, monkeypatch):
    send(smtp, evaluation, unit_folder, units=["区教委"])
    folder = tmp_path / "templates" / "email"
    folder.mkdir(parents=True)
    (folder / "subject.txt.j2").write_text("{{ unit }}：推进情况", encoding="utf-8")
    for name in ("body.txt.j2", "body.html.j2"):
        (folder / name).write_text("{{ unit }}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert send(smtp, evaluation, unit_folder, units=["区教委"]).already == ["区教委"]
    assert send(smtp, evaluation, unit_folder, units=["区教委"], resend=True).sent == ["区教委"]
    assert smtp.messages[-1]["Subject"] == "区教委：推进情况"


def test_a_ledger_of_the_previous_version_is_taken_as_sent(smtp, evaluation, unit_folder):
    """Its entries have no state (all were accepted) and no statuses, and their digest covered
    texts this version renders differently: a unit it records is not sent again."""
    legacy = [{"district": "黔江区", "year": 2022, "unit": "区教委", "digest": "0" * 64, "to": [UNITS["区教委"]],
               "message_id": "<1@example.org>", "accepted_at": "2026-09-01T10:00:00"}]
    (unit_folder.parent / LEDGER).write_text(json.dumps(legacy), encoding="utf-8")
    report = send(smtp, evaluation, unit_folder, units=["区教委"])
    assert smtp.messages == [] and report.already == report.adopted == ["区教委"] and report.sent == []
    assert "  此前已发送（按旧版本的发送记录，未重复发送；如那次发送后数据有变化，请加 --resend 重发）：区教委" in report.lines()
    (entry,) = ledger_of(unit_folder)
    assert entry["state"] == "已发送" and entry["adopted_digest"] == "0" * 64 and entry["digest"] != "0" * 64
    assert entry["message_id"] == "<1@example.org>" and entry["statuses"]
    again = send(smtp, evaluation, unit_folder, units=["区教委"])
    assert smtp.messages == [] and again.already == ["区教委"] and again.adopted == []
    assert send(smtp, evaluation, unit_folder, units=["区教委"], resend=True).sent == ["区教委"]
    assert len(smtp.messages) == 1 and not smtp.messages[0]["Subject"].startswith("【更新】")


def test_an_unreadable_ledger_sends_nothing(smtp, evaluation, unit_folder):
    from excel_balance.delivery.send import DeliveryRefused

    path = unit_folder.parent / LEDGER
    path.write_text('[{"unit": "区教委", ', encoding="utf-8")  # cut short
    with pytest.raises(DeliveryRefused) as refused:
        send(smtp, evaluation, unit_folder)
    assert str(refused.value) == (f"发送记录 {path}（不是有效的 JSON：第 1 行）无法读取：为避免重复发送，本次未发送任何邮件。"
                                  "请恢复该文件（或确认此前的邮件均未发送后将其改名）再运行")
    assert smtp.messages == [] and path.read_text(encoding="utf-8") == '[{"unit": "区教委", '
