"""What the mail settings say, checked before anything is sent: every address parses, no value
could smuggle a header in (CR/LF), the placeholders of `email --init` were replaced, and what is
possible but unusual (an intranet domain, a password over an unencrypted connection) is said."""

from __future__ import annotations

from email.errors import HeaderParseError
from email.headerregistry import Address

from excel_balance.delivery.settings import MailSettings
from excel_balance.problems import Problem, Severity

# What `email --init` writes (settings.example_settings) for staff to replace.
PLACEHOLDER_HOST = "smtp.example.com"
PLACEHOLDER_DOMAIN = "example.com"


def review(settings: MailSettings, *, sending: bool, password: str | None) -> list[Problem]:
    """Errors refuse the run; warnings are shown. A placeholder is an error only when sending."""
    problems: list[Problem] = []

    def say(key: str, message: str, severity: Severity = Severity.ERROR) -> None:
        problems.append(Problem(settings.source, key, message, severity))

    placeholder = Severity.ERROR if sending else Severity.WARNING
    for key, value in (("smtp.host", settings.host), ("smtp.user", settings.user), ("smtp.cafile", settings.cafile),
                       ("smtp.sender_name", settings.sender_name)):
        if _breaks_line(value):
            say(key, "含有换行符：请写在一行内")
    if sending and not settings.host:
        say("smtp.host", "未填写邮件服务器，例如 smtp.qq.com")
    elif settings.host.lower() == PLACEHOLDER_HOST:
        say("smtp.host", f"仍是示例“{settings.host}”：请改为实际的邮件服务器，例如 smtp.qq.com", placeholder)
    addresses = [("smtp.sender", settings.sender)] + [
        (f"units.{unit}.{kind}", address) for unit, recipients in settings.units.items()
        for kind, group in (("to", recipients.to), ("cc", recipients.cc)) for address in group]
    if not settings.sender:
        say("smtp.sender", "未填写发件人邮箱地址")
    for key, address in addresses:
        if not address:
            continue
        domain, reason = _parse(address)
        if reason:
            say(key, f"“{_visible(address)}”不是邮箱地址（{reason}）")
        elif domain.lower() == PLACEHOLDER_DOMAIN:
            say(key, f"“{address}”仍是 --init 生成的示例地址：请改为实际的邮箱地址", placeholder)
        elif "." not in domain and not domain.startswith("["):
            say(key, f"“{address}”的域名没有“.”，只在单位内部邮件服务器上有效：请确认", Severity.WARNING)
    if settings.security == "none" and settings.user and password:
        say("smtp.security", "security: none 时密码（授权码）以明文传送，同一网络中的他人可能截获："
                             "服务器支持时请改用 ssl（465 端口）或 starttls（587 端口）", Severity.WARNING)
    return problems


def _parse(address: str) -> tuple[str, str]:
    """The domain, or why the address is not one (Python's own parser of RFC 5322 addresses)."""
    if _breaks_line(address):
        return "", "含有换行符"
    if not address.isascii():  # smtplib sends addresses as ASCII
        return "", "含有中文或全角字符：请填写邮件服务器给出的英文地址"
    if any(mark in address for mark in ",;<> "):
        return "", "一个地址一项，不要带空格、逗号或尖括号"
    try:
        parsed = Address(addr_spec=address)
    except (ValueError, IndexError, HeaderParseError):
        parsed = None
    if parsed is None or not parsed.username or not parsed.domain:
        return "", "应形如 name@example.org"
    return parsed.domain, ""


def _breaks_line(value: str) -> bool:
    return "\r" in value or "\n" in value


def _visible(value: str) -> str:
    return value.replace("\r", "\\r").replace("\n", "\\n")
