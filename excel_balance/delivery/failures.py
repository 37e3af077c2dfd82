"""SMTP and network failures in Chinese, each saying what staff should check. smtplib words its
own errors in English and folds a timeout into 'connection closed'; both are undone here."""

from __future__ import annotations

import smtplib
import socket
import ssl

from excel_balance.delivery.settings import PASSWORD_ENV, MailSettings

MAILBOX_FULL = (452, 552)


class OutcomeUnknown(Exception):
    """The message went out after DATA but the server's reply never came: it may have been delivered."""


def timed_out(exc: BaseException) -> bool:
    """A timeout, also when smtplib reported it as a closed connection."""
    return isinstance(exc, (socket.timeout, TimeoutError)) or isinstance(exc.__context__, (socket.timeout, TimeoutError))


def explain(exc: BaseException, settings: MailSettings) -> str:
    """A Chinese reason for an SMTP or network error, saying what to check."""
    where = f"{settings.host}:{settings.port}"
    if isinstance(exc, OutcomeUnknown):
        cause = exc.__cause__
        lost = f"等待超过 {settings.timeout:g} 秒（smtp.timeout）" if cause and timed_out(cause) else "连接中断"
        return (f"邮件已发出，但未收到服务器的答复（{lost}）：可能已送达，已记为“待确认”；"
                "重新运行时将以相同的 Message-ID 重发，收件人的邮箱可识别为同一封")
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"登录被拒绝（{exc.smtp_code}）：请检查 smtp.user 和环境变量 {PASSWORD_ENV} 中的密码（QQ、163 等邮箱须用授权码）"
    if isinstance(exc, smtplib.SMTPNotSupportedError) and "STARTTLS" in str(exc):
        return (f"{where} 不支持 STARTTLS 加密：465 端口请用 security: ssl；"
                "不加密的单位内部中继用 security: none")
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return (f"{where} 不提供登录（AUTH）：587 端口请用 security: starttls 先加密再登录；"
                "无需登录的单位内部中继请删除 smtp.user")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "；".join(f"收件人 {a} 被拒绝：{_by_code(code, _text(msg))}" for a, (code, msg) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return (f"发件人 {exc.sender} 被服务器拒绝（{exc.smtp_code} {_text(exc.smtp_error)}）："
                "请检查 smtp.sender 是否就是登录的邮箱（多数服务器只允许用本人地址发信）")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (f"{where} 的证书未通过验证（{exc.verify_message}）：请检查 smtp.host 是否与证书上的名称一致；"
                "单位自建服务器请在 smtp.cafile 中填写其证书（CA）文件")
    if isinstance(exc, ssl.SSLError):
        if "WRONG_VERSION_NUMBER" in str(exc) or "UNEXPECTED_EOF" in str(exc):
            return (f"与 {where} 建立加密连接失败：465 端口用 security: ssl，587 端口用 security: starttls，"
                    "两者不能混用")
        return f"与 {where} 建立加密连接失败（{exc.reason or exc}）：请检查 smtp.port 和 smtp.security"
    if timed_out(exc):
        if settings.security != "ssl" and settings.port == 465:  # a plain greeting awaited from an implicit-TLS port
            return f"连接 {where} 超时：465 端口须用 security: ssl（587 端口用 security: starttls）"
        return f"连接 {where} 超时（超过 {settings.timeout:g} 秒）：请检查网络、smtp.host 和 smtp.port，或加大 smtp.timeout"
    if isinstance(exc, (smtplib.SMTPServerDisconnected, ConnectionResetError, BrokenPipeError)):
        return f"与邮件服务器 {where} 的连接中断：请稍后重试（已发送的不会重发）"
    if isinstance(exc, ConnectionRefusedError):
        return f"{where} 拒绝连接：请检查 smtp.host 和 smtp.port"
    if isinstance(exc, socket.gaierror):
        return f"找不到邮件服务器 {settings.host}：请检查 smtp.host"
    if isinstance(exc, smtplib.SMTPResponseException):
        return _by_code(exc.smtp_code, _text(exc.smtp_error))
    if isinstance(exc, OSError):
        return f"无法连接 {where}（{exc.strerror or exc}）：请检查网络、smtp.host 和 smtp.port"
    return f"发送失败（{exc}）：请检查邮件设置"


def _by_code(code: int, text: str) -> str:
    said = f"（{code} {text}）" if text else f"（{code}）"
    if code in MAILBOX_FULL:
        return f"对方邮箱已满或邮件过大{said}：请联系收件人清理邮箱，或改用其他地址"
    if "relay" in text.lower() or "5.7.1" in text:
        return (f"服务器拒绝转发{said}：请检查是否已填写 smtp.user 登录，"
                "以及 smtp.sender 是否为该服务器的邮箱")
    if code in (550, 551, 553):
        return f"地址不存在或不可用{said}：请核对设置文件中的地址"
    if 400 <= code < 500:
        return f"服务器暂时无法处理{said}：请稍后重试"
    return f"邮件服务器拒绝{said}：请检查邮件设置，或把这段信息交给邮件管理员"


def _text(message) -> str:
    return message.decode(errors="replace") if isinstance(message, bytes) else str(message)
