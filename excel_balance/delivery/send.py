"""Send each unit its message over SMTP under the ledger's lock, so that neither a re-run nor a
second run at the same time sends it twice; one unit's failure does not stop the others, a
ledger that cannot be written does."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from pathlib import Path

from excel_balance.atomic import atomic_path
from excel_balance.delivery.failures import OutcomeUnknown, explain
from excel_balance.delivery.ledger import ACCEPTED, PENDING, Ledger, LedgerBusy, LedgerUnreadable, LedgerWriteFailed
from excel_balance.delivery.message import Prepared, changes_line, compose, prepare
from excel_balance.delivery.review import review
from excel_balance.delivery.settings import PASSWORD_ENV, MailSettings
from excel_balance.evaluate.model import Evaluation
from excel_balance.evaluate.units import unit_workbook_name
from excel_balance.names import child, file_name
from excel_balance.problems import ProblemsError, errors

LEDGER = ".excel-balance-mail-ledger.json"


class DeliveryRefused(Exception):
    """Nothing was sent; the message says why (sample data, missing password, …)."""


@dataclass
class DeliveryReport:
    sent: list[str] = field(default_factory=list)
    retried: list[str] = field(default_factory=list)  # sent again under the Message-ID of a lost reply
    retry_ids: dict[str, str] = field(default_factory=dict)
    updated: list[str] = field(default_factory=list)  # sent as 【更新】 after changed data
    already: list[str] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)  # taken as sent from an older version's ledger
    failed: list[tuple[str, str]] = field(default_factory=list)  # unit, reason
    stopped: str = ""  # why the run stopped before the other units
    no_recipients: list[str] = field(default_factory=list)
    folder_only: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)  # .eml files of a dry run
    warnings: list[str] = field(default_factory=list)  # settings that are possible but unusual

    @property
    def ok(self) -> bool:
        return not self.failed and not self.stopped

    def lines(self) -> list[str]:
        lines = [f"  警告：{w}" for w in self.warnings]
        if self.written:
            lines.append(f"试发送（未发出）：已生成 {len(self.written)} 封邮件文件")
            lines += [f"  {p}" for p in self.written]
        else:
            lines.append(f"已发送 {len(self.sent) + len(self.retried)} 个单位，此前已发送 {len(self.already)} 个，"
                         f"失败 {len(self.failed)} 个")
            lines += [f"  已发送：{u}{'（【更新】）' if u in self.updated else ''}" for u in self.sent]
            lines += [f"  已重发：{u}（上次发出后未收到服务器答复；本次使用相同的 Message-ID {self.retry_ids[u]}，"
                      "收件人的邮箱可识别为同一封）" for u in self.retried]
            lines += [f"  此前已发送（未重复发送，需要重发请加 --resend）：{u}" for u in self.already
                      if u not in self.adopted]
            lines += [f"  此前已发送（按旧版本的发送记录，未重复发送；如那次发送后数据有变化，请加 --resend 重发）：{u}"
                      for u in self.adopted]
            lines += [f"  失败：{u}：{reason}" for u, reason in self.failed]
            if self.stopped:
                lines.append(f"  已停止：{self.stopped}")
        lines += [f"  未设置收件人：{u}（请在设置文件的 units 中填写，或写 folder_only: true）" for u in self.no_recipients]
        lines += [f"  不发邮件（folder_only）：{u}，请使用 outputs/责任单位/ 中的文件" for u in self.folder_only]
        return lines


def connect(settings: MailSettings, password: str | None, cafile: str | None = None) -> smtplib.SMTP:
    """An open, logged-in connection, or OSError/SMTPException with what to check."""
    context = ssl.create_default_context(cafile=cafile)
    if settings.security == "ssl":
        server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        if settings.security == "starttls":
            server.starttls(context=context)
    if settings.user:
        server.login(settings.user, password or "")
    return server


def transmit(server: smtplib.SMTP, sender: str, recipients: tuple[str, ...], message) -> dict:
    """smtplib's send_message in its steps, so that a failure before DATA (not sent) is told
    apart from a reply lost after it (OutcomeUnknown). Returns the recipients refused."""
    server.ehlo_or_helo_if_needed()
    code, reply = server.mail(sender)
    if code != 250:
        _reset(server)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for recipient in recipients:
        code, reply = server.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
    if len(refused) == len(recipients):
        _reset(server)
        raise smtplib.SMTPRecipientsRefused(refused)
    try:
        code, reply = server.data(message.as_bytes())
    except smtplib.SMTPDataError:
        raise  # DATA itself refused: nothing was transferred
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise OutcomeUnknown() from exc
    if code != 250:
        _reset(server)
        raise smtplib.SMTPDataError(code, reply)
    return refused


def deliver(
    evaluation: Evaluation,
    settings: MailSettings,
    folder: Path,
    ledger_path: Path,
    *,
    units: list[str] | None = None,
    dry_run: Path | None = None,
    resend: bool = False,
    allow_sample: bool = False,
    password: str | None = None,
    cafile: str | None = None,
    lock_wait: float = 60.0,
) -> DeliveryReport:
    """Send (or, with `dry_run`, write as .eml) each unit's message with its workbook from `folder`.
    Raises ProblemsError for settings that must be mended first, DeliveryRefused when nothing may
    be sent."""
    plan = evaluation.plan
    year = evaluation.latest.year
    sample = any(result.census.sample for result in evaluation.years.values())
    if sample and not allow_sample and dry_run is None:
        raise DeliveryRefused("统计报表标有“示例数据（虚构）”，不予发送：正式数据请去掉该标记；确需发送示例请加 --allow-sample")
    chosen = units or list(plan.units)
    unknown = [u for u in chosen if u not in plan.units]
    if unknown:
        raise DeliveryRefused(f"规划中没有这些责任单位：{'、'.join(unknown)}（可选：{'、'.join(plan.units)}）")
    problems = review(settings, sending=dry_run is None, password=password)
    if errors(problems):
        raise ProblemsError(problems)
    if dry_run is None and settings.user and not password:
        raise DeliveryRefused(f"请先在环境变量 {PASSWORD_ENV} 中设置邮箱密码（授权码）")

    report = DeliveryReport(warnings=[str(p) for p in problems])
    prepared: list[Prepared] = []
    for unit in chosen:
        recipients = settings.recipients(unit)
        if recipients.folder_only:
            report.folder_only.append(unit)
        elif not recipients.to and not recipients.cc:
            report.no_recipients.append(unit)
        else:
            path = folder / unit_workbook_name(unit, year)
            try:
                prepared.append(prepare(settings, evaluation, unit, recipients, path))
            except FileNotFoundError:
                raise DeliveryRefused(f"找不到{unit}的工作簿 {path}：请先运行 excel-balance run 生成责任单位工作簿") from None
    ledger = Ledger(ledger_path, lock_wait)
    try:
        if dry_run is not None:
            _write_eml(settings, prepared, ledger, plan.district, year, dry_run, report)
            return report
        with ledger:
            _send_all(settings, prepared, ledger, plan.district, year, resend, password, cafile, report)
    except LedgerUnreadable as exc:
        raise DeliveryRefused(f"发送记录 {exc}无法读取：为避免重复发送，本次未发送任何邮件。"
                              "请恢复该文件（或确认此前的邮件均未发送后将其改名）再运行") from None
    except LedgerBusy:
        raise DeliveryRefused(f"另一个 excel-balance 正在用同一发送记录（{ledger_path}）发送邮件，"
                              f"等待 {lock_wait:g} 秒后仍未结束：请等它完成后再运行") from None
    return report


def _write_eml(settings, prepared, ledger, district, year, folder: Path, report: DeliveryReport) -> None:
    """The messages a send would make now, updates marked, as .eml files; the ledger is only read."""
    ledger.reload()
    folder.mkdir(parents=True, exist_ok=True)
    for item in prepared:
        message = compose(settings, item, update=_update(ledger, _key(district, year, item), item))
        path = child(folder, file_name(item.unit, f"_{year}.eml"))
        with atomic_path(path) as tmp:
            tmp.write_bytes(bytes(message))
        report.written.append(path)


def _send_all(settings, prepared, ledger: Ledger, district, year, resend, password, cafile,
              report: DeliveryReport) -> None:
    server, unreachable = None, ""
    try:
        for item in prepared:
            ledger.reload()  # another run may have sent it meanwhile
            key = _key(district, year, item)
            if not resend and ledger.find(key, ACCEPTED):
                report.already.append(item.unit)
                continue
            legacy = None if resend else ledger.legacy(key)
            if legacy is not None:  # sent by an older version: never twice, whatever its digest says
                try:
                    ledger.adopt(legacy, key, item.statuses)
                except LedgerWriteFailed:
                    pass  # still an old record next time: still not sent
                report.already.append(item.unit)
                report.adopted.append(item.unit)
                continue
            if unreachable:
                report.failed.append((item.unit, unreachable))
                continue
            retry = None if resend else ledger.find(key, PENDING)
            update = _update(ledger, key, item)
            message = compose(settings, item, update=update, message_id=retry and retry["message_id"],
                              date=retry and retry["date"])
            try:
                server = server or connect(settings, password, cafile)
            except (smtplib.SMTPException, OSError) as exc:  # no server, no login: the same for every unit
                unreachable = explain(exc, settings)
                report.failed.append((item.unit, unreachable))
                continue
            try:
                entry = retry or ledger.pending(key, message["Message-ID"], message["Date"], list(item.recipients),
                                                item.statuses)
            except LedgerWriteFailed as exc:
                report.stopped = (f"无法写入发送记录 {exc.path}（{exc.reason}）：{item.unit}及其后的单位均未发送。"
                                  "请先解决该问题（磁盘空间、文件大小限制、写入权限）再重新运行")
                return
            try:
                refused = transmit(server, settings.sender, item.recipients, message)
            except (OutcomeUnknown, smtplib.SMTPException, OSError) as exc:
                if not isinstance(exc, OutcomeUnknown) and entry is not retry:
                    ledger.forget(entry)  # refused: it never left
                report.failed.append((item.unit, explain(exc, settings)))
                if isinstance(exc, (OutcomeUnknown, smtplib.SMTPServerDisconnected, OSError)):
                    server = _close(server)  # reconnect for the next unit
                continue
            try:
                ledger.accepted(entry)
            except LedgerWriteFailed as exc:
                report.stopped = _unrecorded(item.unit, entry["message_id"], exc)
                return
            (report.retried if retry else report.sent).append(item.unit)
            if retry:
                report.retry_ids[item.unit] = retry["message_id"]
            if update:
                report.updated.append(item.unit)
            if refused:
                report.failed.append((item.unit, "部分收件人未收到：" + explain(smtplib.SMTPRecipientsRefused(refused),
                                                                          settings)))
    finally:
        _close(server)


def _key(district: str, year: int, item: Prepared) -> dict:
    return {"district": district, "year": year, "unit": item.unit, "digest": item.digest}


def _update(ledger: Ledger, key: dict, item: Prepared) -> str | None:
    """The changes line when this unit was sent other content for the same year before."""
    previous = ledger.previous(key)
    if previous is None:
        return None
    return changes_line(previous.get("statuses") or {}, item.statuses,
                        previous.get("at") or previous.get("accepted_at") or "")


def _unrecorded(unit: str, message_id: str, exc: LedgerWriteFailed) -> str:
    said = f"{unit}的邮件已被服务器接收（Message-ID {message_id}），但发送记录 {exc.path} 无法写入（{exc.reason}）："
    if exc.noted:
        said += f"已另记在 {exc.noted.name}，重新运行不会重发{unit}。"
    else:
        said += f"{unit}可能已收到；记录中仍为“待确认”，重新运行时将以相同的 Message-ID 重发（收件人的邮箱可识别为同一封）。"
    return said + "已停止发送其余单位：请先解决该问题（磁盘空间、文件大小限制、写入权限）再重新运行"


def _reset(server: smtplib.SMTP) -> None:
    try:
        server.rset()
    except (smtplib.SMTPException, OSError):
        pass  # the next unit reconnects if the connection is gone


def _close(server):
    if server is not None:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            pass  # the messages it accepted are in the ledger already
    return None
