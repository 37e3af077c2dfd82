"""`excel-balance plan --import`: a district's plan table (Word or Excel) → a plan YAML file.

tables.py reads the document into grids, build.py makes the plan from them, this module writes
it with Chinese comments and checks it with the plan loader.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import textwrap

import yaml

from excel_balance.atomic import atomic_path
from excel_balance.plan import check_plan
from excel_balance.plan_import.build import Imported, build_plan
from excel_balance.plan_import.tables import DocumentError, read_document
from excel_balance.problems import ProblemsError

__all__ = ["DocumentError", "Imported", "import_plan", "plan_yaml", "write_plan"]


def import_plan(path: str | Path, baseline_year: int | None = None) -> Imported:
    """Read the plan table of `path`; raises DocumentError when the file cannot be read at all."""
    return build_plan(read_document(Path(path)), baseline_year)


HEADER = """\
# {title}
#
# 由 excel-balance plan --import 从“{source}”导入。可以直接修改本文件，改完后运行
#   excel-balance plan --check --plan 本文件
# 查看全部问题。各项含义：
#   text        内容与标准（按规划原文）
#   evaluation  目标的读法：school_count 达标学校数/学校总数；paired_count 音乐a/b，美术c/d；
#               percent 百分比；number 数值+单位；qualitative 达标 / 无 / 文字
#   measure     从学校数据计算的项目；standard 标准值；unit、display_decimals 全区数值的单位和小数位
#   levels      split 小学、初中分列；merged 两学段合并为一格
#   baseline    现状（原样显示）；targets 各年度目标，null 表示规划中该格空白（不适用）
#   units       责任单位，牵头单位在前
"""


class _Dumper(yaml.SafeDumper):
    # The plan loader refuses aliases: a value used twice is written out twice.
    def ignore_aliases(self, data) -> bool:
        return True


def _dump(value, flow=None) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=flow, width=4096)


def _fields(mapping: dict, flow=None) -> str:
    """Top-level fields in block style, each value as compact as it reads well."""
    out = []
    for key, value in mapping.items():
        text = _dump(value, flow)
        if text.endswith("\n...\n"):  # a plain scalar document
            text = text[: -len("...\n")]
        # One line on the key's own line, but never a block list or mapping: "footnotes: - 1.…"
        # (a plan with one footnote) is not YAML.
        block = isinstance(value, (list, dict)) and not text.startswith(("[", "{"))
        if text.count("\n") == 1 and not block:
            out.append(f"{key}: {text}")
        else:
            out.append(f"{key}:\n" + (text if isinstance(value, list) else textwrap.indent(text, "  ")))
    return "".join(out)


def plan_yaml(result: Imported, source: str) -> str:
    """The plan file's text: the plan in the order of qianjiang.yaml, each part with a comment."""
    doc = result.doc
    parts = [HEADER.format(title=doc["title"], source=source)]
    head = {k: doc[k] for k in ("district", "title", "label", "baseline_year", "plan_years", "baseline_label")
            if k in doc}
    parts.append(_fields(head))
    parts.append("\n# 测算规则：国家办法（教督〔2017〕6号）的默认值。\n" + _fields({"settings": doc["settings"]}))
    parts.append("\n# 统计报表中另外的列名写法，例如  学校代号: 学校标识码\n" + _fields({"census_aliases": {}}))
    if doc.get("measures"):
        parts.append("\n# 本规划与国家测算方法不同的区级指标（替换 templates/measures/national.yaml 中的同名项）。\n"
                     + _fields({"measures": doc["measures"]}))
    parts.append("\n# 领域（规划表“指标名称”列）。\n" + _fields({"areas": doc["areas"]}, flow=False))
    parts.append("\n# 表格下方的说明。\n" + _fields({k: doc[k] for k in ("footnote_title", "footnotes")}, flow=False))
    parts.append("\n# 不予认定的情形（说明第1条），每年记录存在/不存在。\n" + _fields({"vetoes": doc["vetoes"]}))
    parts.append("\nindicators:\n")
    for indicator in doc["indicators"]:
        notes = result.notes.get(indicator["id"], [])
        parts.append("".join(f"# {indicator['id']} {note}\n" for note in notes) + _dump([indicator]))
    return "".join(parts)


def write_plan(result: Imported, source: str, target: Path) -> None:
    """Write the plan to `target` only if the plan loader accepts it; else raise ProblemsError
    with the loader's problems (the target untouched)."""
    text = plan_yaml(result, source)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
        plan, problems = check_plan(tmp)
        if plan is None:
            raise ProblemsError([replace(p, file=target.name) for p in problems])
