"""The typed census: what the reader returns and the evaluation takes."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from excel_balance.census.schema import SchoolType
from excel_balance.problems import Problem


@dataclass(frozen=True, slots=True)
class SchoolRow:
    """One row of the 学校 sheet: a school, or a campus folded into its parent (counted=False)."""

    school_id: str
    name: str
    school_type: SchoolType
    values: dict[str, float]
    sponsor: str = ""
    urban_rural: str = ""
    counted: bool = True
    parent_id: str = ""
    row: int = field(default=0, compare=False)  # sheet row (1-based), for messages
    district: str = ""  # from a 区县 / 统计三级 column, in files covering several districts

    def value(self, key: str) -> float:
        return self.values.get(key, 0.0)


@dataclass(frozen=True)
class RecordedValue:
    """A district-level value staff recorded: a word (达标, 无, …) or a number (% or a unit)."""

    code: str
    level: str
    text: str
    number: Decimal | None = None
    note: str = ""
    cell: str = field(default="", compare=False)
    item: str = ""  # the input (填报项目) of a measured indicator; "" for a one-value row of the old form
    unit: str = ""  # the unit the value was given in (typed suffix, % format, else the row's 单位)
    file: str = field(default="", compare=False)  # the workbook it was read from


@dataclass(frozen=True)
class Census:
    file: str
    sha256: str
    district: str
    year: int
    schools: tuple[SchoolRow, ...]
    recorded: dict[tuple[str, str], RecordedValue]  # one value per indicator and level (old form), vetoes
    warnings: tuple[Problem, ...] = ()
    sample: bool = False
    columns: frozenset[str] = frozenset()  # the optional columns the file has
    missing: frozenset[str] = frozenset()  # figures no input gave (exports without a supplement)
    sources: tuple[tuple[str, str], ...] = ()  # (figure, where it came from), for the data notes
    region: str = ""  # the city or province of a file covering several districts (统计二级)
    inputs: dict[tuple[str, str, str], RecordedValue] = field(default_factory=dict)  # (code, level, item)
    stamps: tuple[tuple[str, float], ...] = ()  # (file name, modification time) of each input used
