"""What the workbooks given to a command are, read together: the one entry point `run`, `check`
and `report` all call, so that what `check` passes `run` accepts, and the other way round.

Each workbook is recognised (census, export, supplement, campus table, corrections, blank
template, none of these); exports are combined with their supplements and campus tables; the
censuses are grouped by district and year, two copies of one settled by the one rule of
conflicts.py; the corrections are applied.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from excel_balance.census.conflicts import Copy, decide
from excel_balance.census.corrections import (
    Correction,
    apply_corrections,
    is_corrections,
    read_corrections,
    unmatched,
)
from excel_balance.census.campuses import CAMPUS_SHEET
from excel_balance.census.exports import (
    SUPPLEMENT_SHEET,
    NotAnExport,
    combine,
    load_mapping,
    read_campus_table,
    read_export,
    read_supplement,
    sheet_names,
)
from excel_balance.census.model import Census
from excel_balance.census.reader import BlankTemplate, NotACensus, read_census
from excel_balance.census.schema import SCHOOL_SHEET
from excel_balance.gcpause import gc_paused
from excel_balance.names import district_key
from excel_balance.plan import Plan
from excel_balance.problems import Problem, ProblemsError, Severity

# A bug met while reading one file: the Problem to show for it (the run logs it as an incident).
OnBug = Callable[[Path], Problem]


@dataclass
class FileOutcome:
    path: Path
    kind: str  # census | export | supplement | campuses | corrections | skipped | duplicate | split | refused
    reason: str = ""
    problems: list[Problem] = field(default_factory=list)
    census: Census | None = None
    exports: list = field(default_factory=list)  # ExportSheets of an export workbook
    combined: bool = False  # made by combining exports (or splitting a file), not a file of its own


@dataclass
class Reading:
    """Everything the given workbooks hold, ready to evaluate district by district."""

    files: list[FileOutcome] = field(default_factory=list)
    groups: dict[str, dict[int, FileOutcome]] = field(default_factory=dict)  # district key → year → census
    corrections: list[tuple[Path, Correction]] = field(default_factory=list)
    applied: list[Correction] = field(default_factory=list)
    refused_corrections: list[Problem] = field(default_factory=list)

    @property
    def samples(self) -> list[str]:
        """The fictitious sample files used (the sample's, left beside real data)."""
        return sorted({f.path.name for by_year in self.groups.values() for f in by_year.values() if f.census.sample})

    @property
    def mixes_sample(self) -> bool:
        """Sample files used beside real ones: a mistake to say loudly (only samples: a demo)."""
        censuses = [f.census for by_year in self.groups.values() for f in by_year.values()]
        return any(c.sample for c in censuses) and not all(c.sample for c in censuses)


def read_inputs(paths: Iterable[Path], plan: Plan, year: int | None = None, *, district: str | None = None,
                progress=None, on_bug: OnBug | None = None) -> Reading:
    """Recognise, combine, group and correct `paths` (workbooks found by sniff.workbooks_in or
    given one by one); `district` keeps only that district's censuses."""
    reading = Reading()
    paths = list(paths)
    for path in progress(paths, "读取统计报表") if progress else paths:
        with gc_paused():
            reading.files.append(_guarded(lambda p=path: recognise(p, plan, year), path, on_bug))
    try:
        combine_exports(reading.files)
    except Exception:
        if on_bug is None:
            raise
        for outcome in reading.files:
            if outcome.kind in ("export", "supplement", "campuses"):
                outcome.kind, outcome.problems = "refused", [on_bug(outcome.path)]
    reading.corrections = _read_corrections(reading.files, reading.refused_corrections, on_bug)
    reading.groups = group_by_district(reading.files, plan.district)
    if district:
        reading.groups = {d: g for d, g in reading.groups.items() if d == district_key(district)}
    _apply_corrections(reading)
    return reading


def _guarded(read: Callable[[], FileOutcome], path: Path, on_bug: OnBug | None) -> FileOutcome:
    try:
        return read()
    except Exception:  # a bug met by this file: the others are still processed
        if on_bug is None:
            raise
        return FileOutcome(path, "refused", "", [on_bug(path)])


def recognise(path: Path, plan: Plan, year: int | None) -> FileOutcome:
    """A census, an export of the census system, a supplement, a campus table, a corrections
    table, a blank template or a workbook that is none of these (skipped), or a refused one."""
    names = sheet_names(path)
    if is_corrections(path, names):
        return FileOutcome(path, "corrections")
    if names[:1] == [SUPPLEMENT_SHEET]:
        return FileOutcome(path, "supplement")
    if names[:1] == [CAMPUS_SHEET]:
        return FileOutcome(path, "campuses")
    if SCHOOL_SHEET not in names:  # not our template: first as an export (read once, not twice)
        try:
            return FileOutcome(path, "export", exports=read_export(path, year=year))
        except NotAnExport:
            pass  # a census whose one sheet has another name, or no census at all
        except ProblemsError as export_problems:
            return FileOutcome(path, "refused", "", export_problems.problems)
    try:
        census = read_census(path, year=year, settings=plan.settings, aliases=plan.census_aliases)
    except BlankTemplate as exc:
        return FileOutcome(path, "skipped", exc.problems[0].message, exc.problems)
    except NotACensus as exc:
        return FileOutcome(path, "skipped", f"不是统计报表（{exc.problems[0].message}）")
    except ProblemsError as exc:
        return FileOutcome(path, "refused", "", exc.problems)
    return FileOutcome(path, "census", census=census)


def combine_exports(files: list[FileOutcome]) -> None:
    """Exports, supplements and campus tables → one census per district and year, appended."""
    sheets = [s for f in files if f.kind == "export" for s in f.exports]
    if not sheets:
        return
    supplements, campuses = [], []
    for outcome in files:
        try:
            if outcome.kind == "supplement":
                supplements.append(read_supplement(outcome.path))
            elif outcome.kind == "campuses":
                campuses += read_campus_table(outcome.path)
        except ProblemsError as exc:
            outcome.kind, outcome.problems = "refused", exc.problems
    censuses, problems = combine(sheets, supplements, campuses, load_mapping())
    for census in censuses:
        files.append(FileOutcome(Path(census.file), "census", census=census, combined=True))
    for problem in problems:  # a warning: a supplement of a year no export has, left unused
        kind = "skipped" if problem.severity is Severity.WARNING else "refused"
        files.append(FileOutcome(Path(problem.file), kind, problem.message, [problem], combined=True))


def _read_corrections(files: list[FileOutcome], refused_rows: list[Problem],
                      on_bug: OnBug | None) -> list[tuple[Path, Correction]]:
    corrections = []
    for outcome in files:
        if outcome.kind != "corrections":
            continue
        try:
            readable, refused = read_corrections(outcome.path)
        except ProblemsError as exc:
            outcome.kind, outcome.problems = "refused", exc.problems
            continue
        except Exception:
            if on_bug is None:
                raise
            outcome.kind, outcome.problems = "refused", [on_bug(outcome.path)]
            continue
        corrections += [(outcome.path, c) for c in readable]
        refused_rows += refused  # the other rows still apply
    return corrections


def split_by_district(census: Census) -> list[Census]:
    """A census covering several districts (a 区县 column) as one census per district."""
    named = {key for key in map(district_key, {s.district for s in census.schools}) if key}
    if not named or named == {district_key(census.district)}:
        return [census]
    parts = []
    for district in sorted(named | ({""} if any(not district_key(s.district) for s in census.schools) else set())):
        rows = tuple(s for s in census.schools if district_key(s.district) == district)
        own = district or census.district
        mine = own == census.district  # the district sheet is the file's own district's
        parts.append(dataclasses.replace(census, district=own, schools=rows, recorded=census.recorded if mine else {},
                                         inputs=census.inputs if mine else {}))
    return parts


def group_by_district(files: list[FileOutcome], default_district: str) -> dict[str, dict[int, FileOutcome]]:
    """Censuses by district and year; two of the same district and year are settled by the one
    rule for copies (conflicts.decide): the one not used becomes a `duplicate`, or both `refused`."""
    for outcome in list(files):
        if outcome.kind == "census" and len(parts := split_by_district(outcome.census)) > 1:
            outcome.kind = "split"
            files += [FileOutcome(outcome.path, "census", census=p, combined=True) for p in parts]
    groups: dict[str, dict[int, FileOutcome]] = {}
    for outcome in [f for f in files if f.kind == "census"]:
        census = outcome.census
        district = district_key(census.district) or district_key(default_district)
        by_year = groups.setdefault(district, {})
        held = by_year.get(census.year)
        if held is None:
            by_year[census.year] = outcome
            continue
        decision = decide(f"{census.district or default_district}{census.year}年的统计报表", _copy(held), _copy(outcome),
                          _same_data(held.census, outcome.census))
        if decision.kept is None:
            for both in (held, outcome):
                both.kind, both.problems = "refused", [decision.problem]
            del by_year[census.year]
            continue
        kept, dropped = (held, outcome) if decision.kept == _copy(held) else (outcome, held)
        dropped.kind, dropped.problems = "duplicate", [decision.problem]
        by_year[census.year] = kept
    return {district: by_year for district, by_year in groups.items() if by_year}  # all its copies refused


def _copy(outcome: FileOutcome) -> Copy:
    return Copy(outcome.path.name, "", max((t for _, t in outcome.census.stamps), default=0.0))


def _same_data(one: Census, other: Census) -> bool:
    """The same bytes, or the same schools and district values saved anew."""
    return one.sha256 == other.sha256 or (one.schools, one.recorded, one.inputs) == (other.schools, other.recorded,
                                                                                   other.inputs)


def _apply_corrections(reading: Reading) -> None:
    """Correct the censuses in place; a correction that matched no census is refused too."""
    settled: set[int] = set()  # ids of corrections applied or refused somewhere
    corrections = reading.corrections
    for _, by_year in sorted(reading.groups.items()):
        for census_year in sorted(by_year):
            outcome = by_year[census_year]
            for source in sorted({p for p, _ in corrections}):
                mine = [c for p, c in corrections if p == source]
                outcome.census, applied, refused = apply_corrections(outcome.census, mine, source.name)
                reading.applied += applied
                reading.refused_corrections += [problem for _, problem in refused]
                settled |= {id(c) for c in applied} | {id(c) for c, _ in refused}
    years = {y for by_year in reading.groups.values() for y in by_year}
    reading.refused_corrections += [unmatched(c, p.name, years) for p, c in corrections if id(c) not in settled]
