"""Problems found in user files, each with the place staff must look at."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    ERROR = "错误"
    WARNING = "警告"
    NOTE = "说明"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: `where` is a sheet cell (学校!AA14) or a plan field."""

    file: str
    where: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        place = f"{self.file} {self.where}" if self.where else self.file
        return f"{place}：{self.message}"


class ProblemsError(Exception):
    """A file could not be used; `problems` lists every reason found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]
