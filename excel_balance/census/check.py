"""`excel-balance check`: a Chinese summary per file, for staff to read before a run."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from typing import Iterator

from excel_balance.census.inputs import check_inputs
from excel_balance.census.model import Census
from excel_balance.census.reader import read_census
from excel_balance.census.sniff import is_ignored
from excel_balance.evaluate.sections import build_sections
from excel_balance.plan import Plan, Settings
from excel_balance.problems import ProblemsError, errors


def section_counts(census: Census, settings: Settings) -> dict[str, int]:
    """The primary and junior sections the resource indicators are judged on."""
    sections, _, _ = build_sections(census.schools, settings, facilities=False)
    return {level: sum(1 for s in sections if s.level == level) for level in ("小学", "初中")}


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


def describe_export(path: Path, year: int | None) -> list[str] | None:
    """What was recognised in a census-system export, what is missing and where to get it."""
    from excel_balance.census.exports import NotAnExport, load_mapping, read_export
    from excel_balance.census.schema import COLUMNS_BY_KEY, Applies

    try:
        sheets = read_export(path, year=year)
    except (NotAnExport, ProblemsError):
        return None
    mapping = load_mapping()
    lines = [f"{path.name}：统计系统导出（按 templates/exports/{mapping.source} 识别，该映射未经真实导出核对）"]
    for sheet in sheets:
        lines.append(f"  {sheet.sheet}：{sheet.level}导出，{sheet.year}年，{len(sheet.rows)}行")
        for key, used in sheet.found.items():
            lines.append(f"    {COLUMNS_BY_KEY[key].header} ← {used}")
        for key in sheet.missing:
            if key not in mapping.supplement:  # those are listed below, once
                wanted = mapping.describe(sheet.level, key)
                lines.append(f"    未找到：{COLUMNS_BY_KEY[key].header}（{wanted}）：请核对表头，或修改映射文件中的这一行")
    found = {key for sheet in sheets for key in sheet.found}
    levels = {sheet.level for sheet in sheets}
    other_level = {Applies.PRIMARY: "小学" not in levels, Applies.JUNIOR: "初中" not in levels}  # the other export's
    lacking = [COLUMNS_BY_KEY[k].header for k in mapping.supplement
               if k not in found and not other_level.get(COLUMNS_BY_KEY[k].applies)]
    if lacking:
        lines.append(f"  导出中没有、需用补充表填写：{'、'.join(lacking)}（excel-balance supplement 生成补充表）")
    return lines


def check_files(files, plan: Plan, year: int | None) -> Iterator[tuple[str, bool]]:
    """(line, usable) pairs: for each file its summary, or its problems."""
    for path in map(Path, files):
        if is_ignored(path):
            yield f"{path.name}：临时文件或隐藏文件，已忽略", True
            continue
        try:
            census = read_census(path, year=year, settings=plan.settings, aliases=plan.census_aliases)
        except ProblemsError as exc:
            described = describe_export(path, year)
            if described is not None:
                for line in described:
                    yield line, True
                continue
            refused = errors(exc.problems)
            yield f"{path.name}：无法使用，共 {len(refused)} 处错误", False
            for problem in exc.problems:
                yield f"  {problem.severity.value}：{problem}", False
            continue
        checked = check_inputs(plan, census)
        unusable = errors(checked)
        if unusable:
            yield f"{path.name}：无法使用，共 {len(unusable)} 处错误", False
            for problem in unusable:
                yield f"  {problem.severity.value}：{problem}", False
            continue
        yield f"{path.name}：可以使用", True
        census = dataclasses.replace(census, warnings=census.warnings + tuple(checked))
        for line in summarise(census, plan.settings):
            yield line, True
