"""Mail settings in the working folder (`excel-balance.yaml`); the password only from the environment."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from excel_balance import yamltext
from excel_balance.plan import Plan
from excel_balance.problems import Problem, ProblemsError

SETTINGS_FILE = "excel-balance.yaml"
PASSWORD_ENV = "EXCEL_BALANCE_SMTP_PASSWORD"
SECURITY = ("ssl", "starttls", "none")
PASSWORD_KEYS = ("password", "passwd", "pass", "密码", "授权码")


@dataclass(frozen=True)
class Recipients:
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    folder_only: bool = False


@dataclass(frozen=True)
class MailSettings:
    host: str = ""
    port: int = 465
    security: str = "ssl"
    user: str = ""
    sender: str = ""
    sender_name: str = ""
    timeout: float = 30.0
    cafile: str = ""  # a CA bundle for a server with its own certificate
    units: dict[str, Recipients] = field(default_factory=dict)
    source: str = SETTINGS_FILE  # the file name problems are reported against

    def recipients(self, unit: str) -> Recipients:
        return self.units.get(unit, Recipients())


def load_settings(path: Path) -> MailSettings:
    """Read the settings and check their shape and numbers; ProblemsError lists every problem
    with its key. What the values say (addresses, placeholders) is checked by `review`."""
    name = path.name
    doc = _read_yaml(path)
    smtp = doc.get("smtp") or {}
    problems = []
    if not isinstance(smtp, dict):
        problems.append(Problem(name, "smtp", "应写成 host: …、port: … 等若干行（见 email --init 生成的示例）"))
        smtp = {}
    for key in list(smtp) + list(doc):
        if str(key).lower() in PASSWORD_KEYS:
            problems.append(Problem(name, f"smtp.{key}" if key in smtp else str(key),
                                    f"密码（授权码）不能写在设置文件中：请删除该项，改为在环境变量 {PASSWORD_ENV} 中设置"))
    security = str(smtp.get("security", "ssl")).lower()
    if security not in SECURITY:
        problems.append(Problem(name, "smtp.security", "应为 ssl（465端口）、starttls（587端口）或 none（本地中继）"))
    port = smtp.get("port", 465 if security == "ssl" else 587 if security == "starttls" else 25)
    if not _number(port, int) or not 0 < port < 65536:
        problems.append(Problem(name, "smtp.port", f"端口应为 1—65535 的整数，例如 465，现为“{port}”"))
    timeout = smtp.get("timeout", 30)
    if not _number(timeout, (int, float)) or timeout <= 0:
        problems.append(Problem(name, "smtp.timeout", f"超时应为正的秒数，例如 30，现为“{timeout}”"))
    units: dict[str, Recipients] = {}
    raw_units = doc.get("units") or {}
    if not isinstance(raw_units, dict):
        problems.append(Problem(name, "units", "应逐个单位写成 单位名: 后接 to: [...]（见 email --init 生成的示例）"))
        raw_units = {}
    for unit, raw in raw_units.items():
        raw = raw or {}
        if not isinstance(raw, dict):
            problems.append(Problem(name, f"units.{unit}", "应写成 to: [...]、cc: [...] 或 folder_only: true"))
            continue
        units[str(unit)] = Recipients(_addresses(raw.get("to")), _addresses(raw.get("cc")), bool(raw.get("folder_only")))
    if problems:
        raise ProblemsError(problems)
    return MailSettings(
        host=str(smtp.get("host", "") or ""), port=port, security=security, user=str(smtp.get("user", "") or ""),
        sender=str(smtp.get("sender", smtp.get("user", "")) or ""), sender_name=str(smtp.get("sender_name", "") or ""),
        timeout=float(timeout), cafile=str(smtp.get("cafile", "") or ""), units=units, source=name,
    )


def _read_yaml(path: Path) -> dict:
    name = path.name
    try:
        doc = yamltext.load(path.read_text(encoding="utf-8-sig")) or {}
    except yamltext.AliasRefused as exc:
        raise ProblemsError([Problem(name, yamltext.place(exc), f"使用了 YAML 别名（*{exc.anchor}），邮件设置中不允许："
                                                                 "请直接写出内容")]) from None
    except FileNotFoundError:
        raise ProblemsError([Problem(name, "", "找不到邮件设置文件：请先运行 excel-balance email --init 生成示例，再填写")]) from None
    except UnicodeDecodeError:
        raise ProblemsError([Problem(name, "", "不是 UTF-8 编码：请用记事本“另存为”UTF-8 编码后再运行")]) from None
    except OSError as exc:
        raise ProblemsError([Problem(name, "", f"无法读取（{exc.strerror or exc}）")]) from None
    except yaml.YAMLError as exc:
        raise ProblemsError([Problem(name, yamltext.place(exc), "格式有误：请检查这一行和上一行的缩进（用空格，不用 Tab）、"
                                                  "冒号后是否有空格、列表的“-”和方括号是否成对")]) from None
    if not isinstance(doc, dict):
        raise ProblemsError([Problem(name, "", "应包含 smtp: 和 units: 两部分（见 excel-balance email --init 生成的示例）")])
    return doc


def _number(value, kinds) -> bool:
    return isinstance(value, kinds) and not isinstance(value, bool)


def _addresses(raw) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [part for part in raw.replace("，", ",").replace(";", ",").split(",")]
    return tuple(str(a).strip() for a in raw if str(a).strip())


NOT_MAILBOXES = ("各乡镇街道", "各相关单位")


def example_settings(plan: Plan) -> str:
    """A commented example listing every responsible unit of the plan with a placeholder address."""
    lines = [
        "# excel-balance 邮件设置。填写后运行 excel-balance email --dry-run 预览，再去掉 --dry-run 发送。",
        f"# 密码（QQ、163 等邮箱为“授权码”）不要写在这里：请设置环境变量 {PASSWORD_ENV}。",
        "smtp:",
        "  host: smtp.example.com     # 例如 smtp.qq.com、smtp.163.com、单位邮件服务器",
        "  port: 465                  # 465 = ssl（隐式加密）；587 = starttls；25 = none（本地中继）",
        "  security: ssl              # ssl / starttls / none",
        "  user: jiaowei@example.com  # 登录用户名",
        "  sender: jiaowei@example.com",
        f"  sender_name: {plan.district}教委",
        "",
        "# 每个责任单位的收件人（to）和抄送（cc）；不用邮件、通过OA分发的单位写 folder_only: true。",
        "units:",
    ]
    for n, unit in enumerate(plan.units, start=1):
        if unit in NOT_MAILBOXES:
            lines.append(f"  {unit}:\n    folder_only: true       # 不是邮箱：使用 outputs/责任单位/ 中的文件")
        else:
            lines.append(f"  {unit}:\n    to: [unit{n:02d}@example.com]\n    cc: []")
    return "\n".join(lines) + "\n"
