"""Send each unit its message over SMTP, recording every accepted message in a ledger first, so
that a re-run never sends it twice; one unit's failure does not stop the others."""

from __future__ import annotations

import datetime as dt
import json
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from pathlib import Path

from excel_balance.atomic import atomic_path
from excel_balance.delivery.message import Prepared, build_message
from excel_balance.delivery.settings import PASSWORD_ENV, MailSettings
from excel_balance.evaluate.model import Evaluation
from excel_balance.evaluate.units import unit_workbook_name

LEDGER = ".excel-balance-mail-ledger.json"


class DeliveryRefused(Exception):
    """Nothing was sent; the message says why (sample data, missing password, …)."""


@dataclass
class DeliveryReport:
    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # unit, reason
    no_recipients: list[str] = field(default_factory=list)
    folder_only: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)  # .eml files of a dry run

    @property
    def ok(self) -> bool:
        return not self.failed

    def lines(self) -> list[str]:
        lines = []
        if self.written:
            lines.append(f"试发送（未发出）：已生成 {len(self.written)} 封邮件文件")
            lines += [f"  {p}" for p in self.written]
        else:
            lines.append(f"已发送 {len(self.sent)} 个单位，此前已发送 {len(self.already)} 个，失败 {len(self.failed)} 个")
            lines += [f"  已发送：{u}" for u in self.sent]
            lines += [f"  此前已发送（未重复发送，需要重发请加 --resend）：{u}" for u in self.already]
            lines += [f"  失败：{u}：{reason}" for u, reason in self.failed]
        lines += [f"  未设置收件人：{u}（请在设置文件的 units 中填写，或写 folder_only: true）" for u in self.no_recipients]
        lines += [f"  不发邮件（folder_only）：{u}，请使用 outputs/责任单位/ 中的文件" for u in self.folder_only]
        return lines


class Ledger:
    """Which messages a server accepted: (district, year, unit, content digest) → when."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = []

    @staticmethod
    def key(district: str, year: int, prepared: Prepared) -> dict:
        return {"district": district, "year": year, "unit": prepared.unit, "digest": prepared.digest}

    def sent(self, key: dict) -> bool:
        return any(all(entry.get(k) == v for k, v in key.items()) for entry in self.entries)

    def record(self, key: dict, prepared: Prepared) -> None:
        self.entries.append({**key, "to": list(prepared.recipients), "message_id": prepared.message["Message-ID"],
                             "accepted_at": dt.datetime.now().isoformat(timespec="seconds")})
        with atomic_path(self.path) as tmp:
            tmp.write_text(json.dumps(self.entries, ensure_ascii=False, indent=1), encoding="utf-8")


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


def explain(exc: BaseException, settings: MailSettings) -> str:
    """A Chinese reason for an SMTP or network error, saying what to check."""
    where = f"{settings.host}:{settings.port}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"登录被拒绝（{exc.smtp_code}）：请检查用户名和环境变量 {PASSWORD_ENV} 中的密码（QQ、163 等邮箱须用授权码）"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "、".join(f"{a}（{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}）"
                           for a, (code, msg) in exc.recipients.items())
        return f"收件人被服务器拒绝：{refused}，请核对地址"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"与邮件服务器 {where} 的连接中断，请稍后重试（已发送的不会重发）"
    if isinstance(exc, ssl.SSLError):
        return (f"与 {where} 建立加密连接失败（{exc.reason or exc}）：465 端口用 security: ssl，"
                "587 端口用 security: starttls，两者不能混用")
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return f"连接 {where} 超时：请检查网络、服务器地址和端口"
    if isinstance(exc, ConnectionRefusedError):
        return f"{where} 拒绝连接：请检查服务器地址和端口"
    if isinstance(exc, socket.gaierror):
        return f"找不到邮件服务器 {settings.host}：请检查 smtp.host"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"邮件服务器拒绝（{exc.smtp_code} {exc.smtp_error.decode(errors='replace')}）"
    return f"发送失败（{exc}）"


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
) -> DeliveryReport:
    """Send (or, with `dry_run`, write as .eml) each unit's message with its workbook from `folder`."""
    plan = evaluation.plan
    year = evaluation.latest.year
    sample = any(result.census.sample for result in evaluation.years.values())
    if sample and not allow_sample and dry_run is None:
        raise DeliveryRefused("统计报表标有“示例数据（虚构）”，不予发送：正式数据请去掉该标记；确需发送示例请加 --allow-sample")
    chosen = units or list(plan.units)
    unknown = [u for u in chosen if u not in plan.units]
    if unknown:
        raise DeliveryRefused(f"规划中没有这些责任单位：{'、'.join(unknown)}（可选：{'、'.join(plan.units)}）")
    if dry_run is None and settings.user and not password:
        raise DeliveryRefused(f"请先在环境变量 {PASSWORD_ENV} 中设置邮箱密码（授权码）")

    report = DeliveryReport()
    prepared: list[Prepared] = []
    for unit in chosen:
        recipients = settings.recipients(unit)
        if recipients.folder_only:
            report.folder_only.append(unit)
        elif not recipients.to and not recipients.cc:
            report.no_recipients.append(unit)
        else:
            prepared.append(build_message(settings, evaluation, unit, recipients, folder / unit_workbook_name(unit, year)))
    if dry_run is not None:
        dry_run.mkdir(parents=True, exist_ok=True)
        for item in prepared:
            path = dry_run / f"{item.unit}_{year}.eml"
            with atomic_path(path) as tmp:
                tmp.write_bytes(bytes(item.message))
            report.written.append(path)
        return report

    ledger = Ledger(ledger_path)
    server = None
    try:
        for item in prepared:
            key = Ledger.key(plan.district, year, item)
            if ledger.sent(key) and not resend:
                report.already.append(item.unit)
                continue
            try:
                if server is None:
                    server = connect(settings, password, cafile)
                refused = server.send_message(item.message, from_addr=settings.sender, to_addrs=list(item.recipients))
            except smtplib.SMTPAuthenticationError as exc:
                report.failed += [(p.unit, explain(exc, settings)) for p in prepared[prepared.index(item):]
                                  if not (ledger.sent(Ledger.key(plan.district, year, p)) and not resend)]
                return report
            except (smtplib.SMTPException, OSError) as exc:
                report.failed.append((item.unit, explain(exc, settings)))
                if isinstance(exc, (smtplib.SMTPServerDisconnected, OSError)):
                    server = _close(server)  # reconnect for the next unit
                continue
            # Accepted by the server: recorded before anything else can go wrong (QUIT, say).
            ledger.record(key, item)
            report.sent.append(item.unit)
            if refused:
                report.failed.append((item.unit, "部分收件人被拒绝：" + "、".join(refused)))
    finally:
        _close(server)
    return report


def _close(server):
    if server is not None:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            pass  # the messages it accepted are in the ledger already
    return None
