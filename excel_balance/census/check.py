"""`excel-balance check`: a Chinese summary per file, for staff to read before a run."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Iterator

from excel_balance.census.folder import read_inputs
from excel_balance.census.inputs import check_inputs
from excel_balance.census.model import Census
from excel_balance.census.scope import fold_campuses, judged_sections
from excel_balance.census.sniff import is_ignored
from excel_balance.gcpause import gc_paused
from excel_balance.plan import Plan, Settings
from excel_balance.problems import errors


def section_counts(census: Census, settings: Settings) -> dict[str, int]:
    """The primary and junior sections the resource indicators are judged on."""
    judged, _ = judged_sections(fold_campuses(census.schools), settings)
    counts = Counter(level for _, level, _ in judged)
    return {level: counts[level] for level in ("小学", "初中")}


def summarise(census: Census, settings: Settings) -> list[str]:
    types = Counter(s.school_type.label for s in census.schools if s.counted)
    campuses = sum(1 for s in census.schools if not s.counted)
    sections = section_counts(census, settings)
    lines = [
        f"  区县：{census.district or '（未写明）'}；统计年度：{census.year}（{census.year}—{census.year + 1}学年）"
        + ("；示例数据（虚构）" if census.sample else ""),
        "  学校：" + "，".join(f"{name}{n}所" for name, n in types.items()) + (f"；分校区{campuses}个" if campuses else ""),
        f"  学段：小学{sections['小学']}个，初中{sections['初中']}个；区级指标已填{len(census.recorded) + len(census.inputs)}项",
    ]
    for warning in census.warnings:
        lines.append(f"  警告：{warning}")
    return lines


def describe_export(path: Path, sheets) -> list[str]:
    """What was recognised in a census-system export, what is missing and where to get it."""
    from excel_balance.census.exports import load_mapping
    from excel_balance.census.schema import COLUMNS_BY_KEY, SCHOOL_INPUT_KEYS, Applies

    mapping = load_mapping()
    lines = [f"{path.name}：统计系统导出（按 templates/exports/{mapping.source} 识别，该映射未经真实导出核对）"]
    for sheet in sheets:
        lines.append(f"  {sheet.sheet}：{sheet.level}导出，{sheet.year}年，{len(sheet.rows)}行")
        for key, used in sheet.found.items():
            lines.append(f"    {COLUMNS_BY_KEY[key].header} ← {used}")
        for key in sheet.missing:
            if key not in mapping.supplement and key not in SCHOOL_INPUT_KEYS:  # those are listed below, once
                wanted = mapping.describe(sheet.level, key)
                lines.append(f"    未找到：{COLUMNS_BY_KEY[key].header}（{wanted}）：请核对表头，或修改映射文件中的这一行")
    found = {key for sheet in sheets for key in sheet.found}
    levels = {sheet.level for sheet in sheets}
    other_level = {Applies.PRIMARY: "小学" not in levels, Applies.JUNIOR: "初中" not in levels}  # the other export's
    lacking = [COLUMNS_BY_KEY[k].header for k in mapping.supplement
               if k not in found and not other_level.get(COLUMNS_BY_KEY[k].applies)]
    if lacking:
        lines.append(f"  导出中没有、需用补充表填写：{'、'.join(lacking)}（excel-balance supplement 生成补充表）")
    optional = sorted({k for sheet in sheets for k in sheet.missing if k in SCHOOL_INPUT_KEYS} - found,
                      key=list(COLUMNS_BY_KEY).index)
    if optional:
        lines.append(f"  选填的各校数据导出中没有（可在补充表填写，用于按各校测算G9、G12、G13、Q3、Q4）："
                     f"{'、'.join(COLUMNS_BY_KEY[k].header for k in optional)}")
    return lines


ROLES = {"supplement": "补充表", "campuses": "校点归属表", "corrections": "修正表"}


def check_files(files, plan: Plan, year: int | None) -> Iterator[tuple[str, bool]]:
    """(line, usable) pairs: the files read together exactly as `run` reads them (combined,
    grouped, corrected), and for each its summary, or its problems."""

    given = list(map(Path, files))
    reading = read_inputs([p for p in given if not is_ignored(p)], plan, year)
    used = {id(f) for by_year in reading.groups.values() for f in by_year.values()}
    own = [f for f in reading.files if not f.combined]
    for path in given:  # in the order given, each file's outcome
        if is_ignored(path):
            yield f"{path.name}：临时文件或隐藏文件，已忽略", True
        for outcome in (f for f in own if f.path == path):
            yield from _describe(outcome, plan, used)
    for outcome in reading.files:  # exports combined, files covering several districts split
        if outcome.combined:
            yield from _describe(outcome, plan, used)
    for problem in reading.refused_corrections:
        yield f"修正表无法使用：{problem}", False
    if reading.mixes_sample:
        yield f"警告：{'、'.join(reading.samples)} 是示例数据（虚构），与真实数据一起检查：请把示例文件移出后再运行", True


def _describe(outcome, plan: Plan, used: set[int]) -> Iterator[tuple[str, bool]]:
    name = outcome.path.name
    if outcome.kind == "refused":
        refused = errors(outcome.problems)
        yield f"{name}：无法{'合并' if outcome.combined else '使用'}，共 {len(refused)} 处错误", False
        yield from ((f"  {p.severity.value}：{p}", False) for p in outcome.problems)
    elif outcome.kind == "export":
        yield from ((line, True) for line in describe_export(outcome.path, outcome.exports))
    elif outcome.kind in ROLES:
        yield f"{name}：{ROLES[outcome.kind]}", True
    elif outcome.kind == "skipped":
        yield f"{name}：{outcome.reason}", True
    elif outcome.kind == "duplicate":
        yield f"{name}：未使用（重复）", True
        yield from ((f"  {p.severity.value}：{p}", True) for p in outcome.problems)
    elif outcome.kind == "census" and id(outcome) in used:
        yield from _check_census(outcome, plan)


def _check_census(outcome, plan: Plan) -> Iterator[tuple[str, bool]]:
    census = outcome.census
    title = outcome.path.name
    if outcome.combined:  # exports combined, or one district's part of a file covering several
        title = (f"统计导出合并为 {census.district or '—'}{census.year}年" if census.sources
                 else f"{title}（{census.district or '—'}）")
    with gc_paused():  # a province's schools folded and counted: see gc_paused
        checked = check_inputs(plan, census)
        unusable = errors(checked)
        summary = [] if unusable else summarise(
            dataclasses.replace(census, warnings=census.warnings + tuple(checked)), plan.settings)
    if unusable:
        yield f"{title}：无法使用，共 {len(unusable)} 处错误", False
        yield from ((f"  {p.severity.value}：{p}", False) for p in unusable)
        return
    yield f"{title}：可以使用", True
    for line in summary:
        yield line, True
