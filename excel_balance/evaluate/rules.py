"""The comparison, rounding and status rules every part of the tool shares (domain.md §9)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from excel_balance.plan import CountTarget


class Status(Enum):
    """One evaluated cell's standing; `symbol` survives black-and-white printing (GBK glyphs)."""

    MET = "已达标"
    TARGET_MET = "达到年度目标"
    NEAR = "接近目标"
    BEHIND = "未达年度目标"
    NOT_MET = "未达标"
    NO_DATA = "无数据"
    NOT_APPLICABLE = "不适用"

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]

    @property
    def is_met(self) -> bool:
        return self in (Status.MET, Status.TARGET_MET)

    @property
    def colours(self) -> tuple[str, str]:
        """(fill, font) for workbooks and e-mails alike."""
        return _COLOURS[self]


_SYMBOLS = {
    Status.MET: "√",
    Status.TARGET_MET: "√",
    Status.NEAR: "△",
    Status.BEHIND: "×",
    Status.NOT_MET: "×",
    Status.NO_DATA: "—",
    Status.NOT_APPLICABLE: "—",
}
# Excel's own Good / Neutral / Bad palette, a darker green for 已达标, grey for no data.
_COLOURS = {
    Status.MET: ("#A9D08E", "#1E4D2B"),
    Status.TARGET_MET: ("#C6EFCE", "#006100"),
    Status.NEAR: ("#FFEB9C", "#9C5700"),
    Status.BEHIND: ("#FFC7CE", "#9C0006"),
    Status.NOT_MET: ("#FFC7CE", "#9C0006"),
    Status.NO_DATA: ("#D9D9D9", "#404040"),
    Status.NOT_APPLICABLE: ("#D9D9D9", "#404040"),
}
_SEVERITY = [Status.MET, Status.TARGET_MET, Status.NEAR, Status.BEHIND, Status.NOT_MET, Status.NO_DATA]


def worse(a: Status, b: Status) -> Status:
    """The worse of two statuses (G3: music and art, the worse one counts)."""
    if Status.NOT_APPLICABLE in (a, b):
        return b if a is Status.NOT_APPLICABLE else a
    return max(a, b, key=_SEVERITY.index)


def to_decimal(value: float | int | Decimal) -> Decimal:
    """A float as the decimal it is shown as (repr), so 5.295 stays 5.295, not 5.29499…"""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)


_QUANTA = {d: Decimal(1).scaleb(-d) for d in range(10)}
_SCALES = {d: 10.0 ** d for d in range(7)}


def round_half_up(value: float | int | Decimal, decimals: int) -> Decimal:
    """Excel's and LibreOffice's ROUND: half away from zero on the decimal value."""
    if type(value) is float and decimals in _SCALES:
        # Fast path: away from a tie, the nearest integer of the scaled float is the answer.
        # Near one (5.795 is 579.4999… scaled) the exact decimal route below decides. Below 1e12
        # the scaled float is off by under 0.001, far inside the 0.01 kept from a tie; above it
        # (134229835.1227705 to 6 decimals) only the decimal route is right.
        scaled = value * _SCALES[decimals]
        nearest = round(scaled) if abs(scaled) < 1e12 else None
        if nearest is not None and abs(scaled - nearest) < 0.49:
            return Decimal(nearest).scaleb(-decimals)
    quantum = _QUANTA.get(decimals) or Decimal(1).scaleb(-decimals)
    return to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def compared(value: float | Decimal, decimals: int | None) -> Decimal:
    """The value as compared with a standard: rounded to `decimals`, or exact when None."""
    return to_decimal(value) if decimals is None else round_half_up(value, decimals)


def count_met(met: int, total: int, target: CountTarget) -> bool:
    """x/y against a/b: x·b ≥ a·y, in integers (footnote 3: judged against today's total)."""
    return met * target.total >= target.met * total


def count_needed(total: int, target: CountTarget) -> int:
    """Sections that must meet the standard out of `total` to reach the target share."""
    return math.ceil(Decimal(target.met * total) / Decimal(target.total))


def count_near(met: int, total: int, target: CountTarget, margin: int) -> bool:
    return met >= count_needed(total, target) - margin


def percent_met(actual: Decimal, target: Decimal, decimals: int | None) -> bool:
    """The actual, rounded half-up to the target's printed decimals (None: as it is), at least the target."""
    return compared(actual, decimals) >= target


def percent_decimals(target: Decimal, decimals: int | None) -> int | None:
    """The decimals a share is compared at: none (exact) for a target of 100%, which means all
    (numerator = denominator; domain.md §4), else the target's printed decimals (§9)."""
    return None if target == 100 else decimals


def percent_text(share: Decimal, decimals: int) -> str:
    """A share as printed; all is 100%, and one short of all never prints as 100% (1,283/1,288 is 99.6%)."""
    if share == 100:
        return "100%"
    shown = round_half_up(share, decimals)
    while shown == 100 and share < 100 and decimals < 6:
        decimals += 1
        shown = round_half_up(share, decimals)
    return f"{shown}%"


def percent_near(actual: Decimal, target: Decimal, decimals: int | None, margin: Decimal) -> bool:
    return target - compared(actual, decimals) <= margin


def decimals_of(value: Decimal) -> int:
    """Printed decimals of a plan number: 95.50 → 2, 95 → 0."""
    return max(0, -value.as_tuple().exponent)


def yearly_status(target_met: bool, standard_met: bool, near: bool) -> Status:
    if target_met:
        return Status.MET if standard_met else Status.TARGET_MET
    return Status.NEAR if near else Status.BEHIND


def standard_status(standard_met: bool) -> Status:
    """Where there is no yearly target (the baseline column, a standards-only plan)."""
    return Status.MET if standard_met else Status.NOT_MET
