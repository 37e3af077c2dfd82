"""How each district-level indicator is measured from its inputs (part of the plan file).

The national defaults live in `templates/measures/national.yaml`; a plan's own `measures:`
section replaces an indicator's measure where the district differs (Qianjiang's G9). A measure
lists the inputs staff fill in the census's `区级指标` sheet, one row each, and the conditions
(parts) that must all hold. The first numeric part is the figure a yearly target is compared with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

PART_KINDS = ("ratio", "value", "compare", "yes_no")
_INPUT_KEYS = {"name", "unit", "type", "met", "not_met", "schools"}
# What an input may be added up from in the 学校 sheet (census/school_inputs.py computes each).
SCHOOL_SOURCES = ("teachers", "certified", "trained", "training_hours", "catchment_students", "catchment_local",
                  "schools", "schools_charter_it", "schools_training_funds")
_PART_KEYS = {"kind", "label", "of", "input", "at_least", "below", "decimals", "more", "less"}
_MEASURE_KEYS = {"inputs", "parts"}
LEVEL_KEYS = ("小学", "初中")


@dataclass(frozen=True)
class Input:
    """One row of the `区级指标` sheet: a number with its unit, or a yes/no answer."""

    name: str
    unit: str = ""
    integer: bool = False
    yes: tuple[str, ...] = ()  # words meaning the condition holds
    no: tuple[str, ...] = ()
    schools: str = ""  # a SCHOOL_SOURCES name: the figure as the 学校 sheet's columns give it

    @property
    def is_choice(self) -> bool:
        return bool(self.yes)

    @property
    def choices(self) -> tuple[str, str]:
        """The dropdown: the first word of each side (是/否, 无/有)."""
        return self.yes[0], self.no[0]

    def answer(self, word: str) -> bool | None:
        """True / False for a word of this input, None for a word it does not take."""
        if word in self.yes:
            return True
        if word in self.no:
            return False
        return None


@dataclass(frozen=True)
class Part:
    """One condition: `ratio` (of = numerator, denominator; a percentage), `value`, `compare`
    (of = a, b: a ≥ b) or `yes_no`."""

    kind: str
    label: str
    inputs: tuple[str, ...]
    at_least: dict[str, Decimal] = field(default_factory=dict)  # per level (小学, 初中, 全区)
    below: Decimal | None = None
    decimals: int = 1
    more: str = ""  # compare: how a ≥ b reads (教师高于公务员)
    less: str = ""

    @property
    def numeric(self) -> bool:
        return self.kind != "yes_no"

    def standard(self, level: str) -> Decimal | None:
        return self.at_least.get(level)

    def requires_all(self, level: str) -> bool:
        """A ratio whose standard at this level is 100%: met only when numerator = denominator
        (domain.md §4; G13's 小学 at 100% as well as a single 100%)."""
        return self.kind == "ratio" and self.standard(level) == 100


@dataclass(frozen=True)
class Measure:
    indicator_id: str
    inputs: tuple[Input, ...]
    parts: tuple[Part, ...]

    def input(self, name: str) -> Input:
        return next(i for i in self.inputs if i.name == name)

    @property
    def headline(self) -> Part | None:
        """The part a percentage or number target is compared with: the first numeric one."""
        return next((p for p in self.parts if p.numeric), None)

    @property
    def headline_unit(self) -> str:
        part = self.headline
        if part is None:
            return ""
        return "%" if part.kind == "ratio" else self.input(part.inputs[0]).unit

    @property
    def single_input(self) -> Input | None:
        """The one input of a one-part value or yes/no measure: an old one-value row is that input."""
        if len(self.parts) == 1 and self.parts[0].kind in ("value", "yes_no"):
            return self.input(self.parts[0].inputs[0])
        return None


def number_or_none(value: Any) -> Decimal | None:
    """A YAML number as a Decimal (its printed digits); None for anything else, true/false included."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def read_measures(raw: Any, where: str, add: Callable[[str, str], None]) -> dict[str, Measure]:
    """Measures by indicator id from a `measures:` mapping; every problem goes to `add(where, message)`."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        add(where, "应为“指标编号: 测算方法”的字段表")
        return {}
    measures = {}
    for ident, body in raw.items():
        measure = _read_measure(str(ident), body, f"{where}.{ident}", add)
        if measure is not None:
            measures[str(ident)] = measure
    return measures


def _words(value: Any) -> tuple[str, ...]:
    return tuple(str(v).strip() for v in value) if isinstance(value, list) else ()


def _read_measure(ident: str, body: Any, where: str, add) -> Measure | None:
    if not isinstance(body, dict) or not isinstance(body.get("inputs"), list) or not isinstance(body.get("parts"), list):
        add(where, "测算方法需要 inputs（填报项目列表）与 parts（判断条件列表）")
        return None
    for key in body:
        if key not in _MEASURE_KEYS:
            add(where, f"未知的字段“{key}”（可用字段：inputs、parts）")
    inputs: dict[str, Input] = {}
    for n, item in enumerate(body["inputs"], start=1):
        here = f"{where}.inputs 第{n}项"
        if not isinstance(item, dict) or not str(item.get("name") or "").strip():
            add(here, "填报项目需要 name")
            continue
        for key in item:
            if key not in _INPUT_KEYS:
                add(here, f"未知的字段“{key}”（可用字段：{'、'.join(sorted(_INPUT_KEYS))}）")
        kind = item.get("type", "decimal")
        if kind not in ("integer", "decimal"):
            add(here, f"type 应为 integer 或 decimal，现为“{kind}”")
        yes, no = _words(item.get("met")), _words(item.get("not_met"))
        if bool(yes) != bool(no) or set(yes) & set(no):
            add(here, "是/否项目的 met 与 not_met 都要列出可填的词，且不能重复")
        name = str(item["name"]).strip()
        if name in inputs:
            add(here, f"填报项目“{name}”重复")
        schools = str(item.get("schools") or "")
        if schools and (schools not in SCHOOL_SOURCES or yes):
            add(here, f"schools 应为数值项目的学校表来源（{'、'.join(SCHOOL_SOURCES)} 之一），现为“{schools}”")
            schools = ""
        inputs[name] = Input(name, str(item.get("unit") or ""), kind == "integer", yes, no, schools)
    parts = []
    for n, item in enumerate(body["parts"], start=1):
        part = _read_part(item, inputs, f"{where}.parts 第{n}项", add)
        if part is not None:
            parts.append(part)
    if not parts:
        add(where, "至少需要一个判断条件")
        return None
    return Measure(ident, tuple(inputs.values()), tuple(parts))


def _read_part(item: Any, inputs: dict[str, Input], where: str, add) -> Part | None:
    if not isinstance(item, dict) or item.get("kind") not in PART_KINDS:
        add(where, f"判断条件需要 kind（{'、'.join(PART_KINDS)} 之一）")
        return None
    for key in item:
        if key not in _PART_KEYS:
            add(where, f"未知的字段“{key}”（可用字段：{'、'.join(sorted(_PART_KEYS))}）")
    kind = item["kind"]
    names = tuple(item.get("of") or ()) if kind in ("ratio", "compare") else (item.get("input"),)
    if kind in ("ratio", "compare") and len(names) != 2:
        add(where, "of 应列出两个填报项目（分子、分母 / 甲、乙）")
        return None
    for name in names:
        if name not in inputs:
            add(where, f"“{name}”不在 inputs 中")
            return None
        wants_choice = kind == "yes_no"
        if inputs[name].is_choice != wants_choice:
            add(where, f"“{name}”{'应' if wants_choice else '不应'}是 是/否 项目")
            return None
    at_least = _standard(item.get("at_least"), where, add)
    below = number_or_none(item.get("below")) if "below" in item else None
    if "below" in item and below is None:
        add(where, f"below 应为数字，现为“{item.get('below')}”")
    if kind == "ratio" and not at_least:
        add(where, "比例条件需要 at_least（百分比）")
    if kind == "value" and not at_least and below is None:
        add(where, "数值条件需要 at_least 或 below")
    decimals = item.get("decimals", 1)
    if not isinstance(decimals, int) or isinstance(decimals, bool) or decimals < 0:
        add(where, "decimals 应为非负整数")
        decimals = 1
    label = str(item.get("label") or names[0])
    return Part(kind, label, names, at_least, below, decimals, str(item.get("more") or ""), str(item.get("less") or ""))


def _standard(raw: Any, where: str, add) -> dict[str, Decimal]:
    if raw is None:
        return {}
    if isinstance(raw, dict):
        found = {level: number_or_none(raw.get(level)) for level in LEVEL_KEYS}
        if any(v is None for v in found.values()) or set(raw) - set(LEVEL_KEYS):
            add(where, "分学段的 at_least 应写成 {小学: 数字, 初中: 数字}")
            return {}
        return found
    value = number_or_none(raw)
    if value is None:
        add(where, f"at_least 应为数字，现为“{raw}”")
        return {}
    return {"小学": value, "初中": value, "全区": value}
