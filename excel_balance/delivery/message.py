"""The message for one unit: subject, plain text and HTML from templates/email/ (staff may edit
them), and its workbook attached under a Chinese name that old and new mail clients all show."""

from __future__ import annotations

import base64
import email.policy
import hashlib
from dataclasses import dataclass
from email import encoders
from email.message import EmailMessage
from email.mime.base import MIMEBase
from email.utils import formataddr, format_datetime, make_msgid
from pathlib import Path

import jinja2

from excel_balance.delivery.settings import MailSettings, Recipients
from excel_balance.delivery.unit_workbook import unit_rows, unit_summary
from excel_balance.evaluate.measured import REPORTED
from excel_balance.evaluate.model import Evaluation
from excel_balance.report.formats import STATUS_COLOURS
from excel_balance.resources import template_path

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
POLICY = email.policy.SMTP.clone(refold_source="none")


@dataclass(frozen=True)
class Prepared:
    unit: str
    message: EmailMessage
    recipients: tuple[str, ...]
    digest: str  # what was sent: the attachment and the texts, not the date


def environment() -> jinja2.Environment:
    """Templates from templates/email/; an undefined variable is an error, not an empty string."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_path("email"))),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default=False),
        keep_trailing_newline=False,
    )


def context(evaluation: Evaluation, unit: str, attachment: str, sender_name: str) -> dict:
    rows = []
    for row in unit_rows(evaluation, unit):
        cells = []
        for cell in row.cells:
            fill, font = STATUS_COLOURS[cell.status]
            cells.append({"level": cell.level, "target": cell.target_text, "actual": cell.actual_text + (f"（{REPORTED}）" if cell.basis == REPORTED else ""),
                          "status": cell.status.value, "symbol": cell.status.symbol, "fill": fill, "font": font})
        rows.append({"id": row.indicator.id, "text": row.indicator.text, "role": row.role, "cells": cells})
    return {"district": evaluation.plan.district, "year": evaluation.latest.year, "unit": unit, "rows": rows,
            "summary": unit_summary(evaluation, unit), "attachment": attachment, "sender_name": sender_name}


def build_message(settings: MailSettings, evaluation: Evaluation, unit: str, recipients: Recipients,
                  attachment: Path) -> Prepared:
    env = environment()
    values = context(evaluation, unit, attachment.name, settings.sender_name or f"{evaluation.plan.district}教委")
    subject = env.get_template("subject.txt.j2").render(values).strip()
    text = env.get_template("body.txt.j2").render(values)
    html = env.get_template("body.html.j2").render(values)
    data = attachment.read_bytes()

    message = EmailMessage(policy=POLICY)
    message["Subject"] = subject
    message["From"] = formataddr((settings.sender_name, settings.sender)) if settings.sender_name else settings.sender
    message["To"] = ", ".join(recipients.to)
    if recipients.cc:
        message["Cc"] = ", ".join(recipients.cc)
    message["Date"] = format_datetime(_now())
    message["Message-ID"] = make_msgid(domain=settings.sender.split("@")[-1] or None)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message.make_mixed()
    message.attach(attachment_part(attachment.name, data))
    digest = hashlib.sha256(data + subject.encode() + text.encode() + html.encode()).hexdigest()
    return Prepared(unit, message, recipients.to + recipients.cc, digest)


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
