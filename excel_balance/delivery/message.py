"""The message for one unit: subject, plain text and HTML from templates/email/ (staff may edit
them), and its workbook attached under a Chinese name that old and new mail clients all show."""

from __future__ import annotations

import base64
import email.policy
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from email import encoders
from email.message import EmailMessage
from email.mime.base import MIMEBase
from email.utils import formataddr, format_datetime, make_msgid
from pathlib import Path

import jinja2

from excel_balance.delivery.settings import MailSettings, Recipients
from excel_balance.evaluate.measured import REPORTED
from excel_balance.evaluate.model import Evaluation
from excel_balance.evaluate.units import unit_rows, unit_summary
from excel_balance.resources import template_path

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
POLICY = email.policy.SMTP.clone(refold_source="none")


@dataclass(frozen=True)
class Prepared:
    """One unit's message before it is composed: whether it was sent already is known only
    under the ledger's lock, and decides its Message-ID and whether it is an update."""

    unit: str
    recipients: tuple[str, ...]
    to: tuple[str, ...]
    cc: tuple[str, ...]
    values: dict  # the templates' variables
    attachment: str
    data: bytes
    statuses: dict[str, str]  # "R6 小学" → status, for the next update's "what changed"
    digest: str  # what is sent: the workbook and the figures; not the wording, the date nor the ID


def environment() -> jinja2.Environment:
    """Templates from templates/email/; an undefined variable is an error, not an empty string."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_path("email"))),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        keep_trailing_newline=False,
    )


def actual(cell) -> str:
    """The actual as the report shows it, with 填报判断 where one recorded value was judged as given."""
    return cell.actual_text + (f"（{REPORTED}）" if cell.basis == REPORTED else "")


def context(evaluation: Evaluation, unit: str, attachment: str, sender_name: str) -> dict:
    rows = []
    for row in unit_rows(evaluation, unit):
        cells = [_status(cell.status) | {"level": cell.level, "target": cell.target_text, "actual": actual(cell)}
                 for cell in row.cells]
        rows.append({"id": row.indicator.id, "text": row.indicator.text, "role": row.role, "cells": cells}
                    | {f"overall_{k}": v for k, v in _status(row.status).items()})
    return {"district": evaluation.plan.district, "year": evaluation.latest.year, "unit": unit, "rows": rows,
            "summary": unit_summary(evaluation, unit), "attachment": attachment, "sender_name": sender_name}


def _status(status) -> dict:
    fill, font = status.colours
    return {"status": status.value, "symbol": status.symbol, "fill": fill, "font": font}


def prepare(settings: MailSettings, evaluation: Evaluation, unit: str, recipients: Recipients,
            attachment: Path) -> Prepared:
    """Raises FileNotFoundError when the unit's workbook is missing."""
    data = attachment.read_bytes()
    values = context(evaluation, unit, attachment.name, settings.sender_name or f"{evaluation.plan.district}教委")
    statuses = {f"{row['id']} {cell['level']}": f"{cell['symbol']} {cell['status']}"
                for row in values["rows"] for cell in row["cells"]}
    # The workbook and the figures, not the wording: a template edited later resends nothing
    # (--resend does), while changed data is sent again, as an update.
    figures = json.dumps([values["rows"], values["summary"]], ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256(workbook_content(data) + figures.encode()).hexdigest()
    return Prepared(unit, recipients.to + recipients.cc, recipients.to, recipients.cc, values, attachment.name, data,
                    statuses, digest)


def workbook_content(data: bytes) -> bytes:
    """The workbook's parts but its properties, whose creation time changes whenever the same
    figures are written again (a run with --force, an earlier --year)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return b"".join(archive.read(name) for name in sorted(archive.namelist()) if name != "docProps/core.xml")
    except zipfile.BadZipFile:
        return data


def changes_line(before: dict[str, str], after: dict[str, str], sent_at: str) -> str:
    """One line for an update: which statuses moved since the message sent at `sent_at`."""
    moved = [f"{key} {before[key]}→{status}" for key, status in after.items()
             if key in before and before[key] != status]
    since = f"与{sent_at[:10]}发送的上一版相比"
    if not before:  # recorded before statuses were kept
        return f"{since}，数据有更新。"
    if moved:
        return f"{since}，状态有变化的：{'；'.join(moved)}。"
    return f"{since}，各项状态未变，部分数据有更新。"


def compose(settings: MailSettings, prepared: Prepared, *, update: str | None = None,
            message_id: str | None = None, date: str | None = None) -> EmailMessage:
    """The message; `update` is the changes line of a resend after changed data; a retry of a
    message whose fate is unknown passes its Message-ID and Date, so that it is the same message."""
    env = environment()
    values = prepared.values | {"update": update}
    message = EmailMessage(policy=POLICY)
    message["Subject"] = env.get_template("subject.txt.j2").render(values).strip()
    message["From"] = formataddr((settings.sender_name, settings.sender)) if settings.sender_name else settings.sender
    message["To"] = ", ".join(prepared.to)
    if prepared.cc:
        message["Cc"] = ", ".join(prepared.cc)
    message["Date"] = date or format_datetime(_now())
    message["Message-ID"] = message_id or make_msgid(domain=settings.sender.split("@")[-1] or None)
    message.set_content(env.get_template("body.txt.j2").render(values))
    message.add_alternative(env.get_template("body.html.j2").render(values), subtype="html")
    message.make_mixed()
    message.attach(attachment_part(prepared.attachment, prepared.data))
    return message


def attachment_part(name: str, data: bytes) -> MIMEBase:
    """The workbook under its Chinese name, both ways: filename*= (RFC 2231) on
    Content-Disposition, which current clients read, and an RFC 2047 encoded name= on
    Content-Type, the only one old Outlook, Foxmail and some webmail read. Written as raw headers
    (and sent with refold_source='none') so that the email package does not re-encode them."""
    encoded = "=?utf-8?b?" + base64.b64encode(name.encode("utf-8")).decode("ascii") + "?="
    part = MIMEBase(*XLSX_TYPE, name=encoded)
    del part["MIME-Version"]
    part.set_payload(data)
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
    return part


def _now():
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc).astimezone()
