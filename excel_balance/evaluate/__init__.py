"""Evaluation: sections, indicators, 差异系数, gaps, targets and status — pure, no I/O.

`evaluate(plan, censuses)` takes the typed censuses of one district (one per year) and returns
every figure of the plan table judged against that year's target, and the overall verdict.
"""

from __future__ import annotations

from dataclasses import replace

from excel_balance.census.inputs import check_inputs
from excel_balance.census.model import Census
from excel_balance.census.schema import COLUMNS_BY_KEY
from excel_balance.evaluate.judge import (
    judge_count,
    judge_paired,
    judge_percent,
    judge_recorded,
    veto_present,
)
from excel_balance.evaluate.measured import judge_measured
from excel_balance.evaluate.model import Cell, Evaluation, Verdict, YearResult
from excel_balance.evaluate.resources import level_indicator, section_resources
from excel_balance.evaluate.rules import Status
from excel_balance.evaluate.school_conditions import level_conditions
from excel_balance.evaluate.sections import build_sections
from excel_balance.plan import LEVELS, Plan
from excel_balance.problems import Problem, ProblemsError, Severity, errors

__all__ = ["evaluate", "evaluate_year", "Evaluation", "YearResult", "Cell", "Status", "Verdict"]

# The columns a refinement cannot do without. Not net_indoor_sports: the national plan, that every
# district without its own is judged by, switches it on, so data without 室内体育用房面积 is computed
# as it stands and the data notes say so (refinement_warnings).
REFINEMENT_COLUMNS = {
    "relaxed_room_areas": ("built_year", "max_class_size", "music_rooms_relaxed", "art_rooms_relaxed"),
    "relaxed_size_limits": ("built_year", "migrant_students"),
}
REFINEMENT_NAMES = {
    "net_indoor_sports": "教学及辅助用房扣除室内体育用房",
    "relaxed_room_areas": "音乐、美术专用教室面积放宽",
    "relaxed_size_limits": "学校规模上限放宽",
}


def check_refinements(plan: Plan, census: Census) -> list[Problem]:
    """A refinement switched on needs its optional census columns."""
    problems = []
    for name, columns in REFINEMENT_COLUMNS.items():
        if getattr(plan.settings.refinements, name):
            missing = [COLUMNS_BY_KEY[c].title for c in columns if c not in census.columns]
            if missing:
                problems.append(Problem(census.file, "学校", f"规划启用了“{REFINEMENT_NAMES[name]}”细则（{name}），"
                                        f"统计报表缺少列：{'、'.join(missing)}"))
    return problems


def refinement_warnings(plan: Plan, census: Census) -> tuple[Problem, ...]:
    """What a refinement could not apply for want of data (a template's column may be there, blank)."""
    if plan.settings.refinements.net_indoor_sports and not any("indoor_sports_area" in s.values for s in census.schools):
        return (Problem(census.file, "", "规划启用了“教学及辅助用房扣除室内体育用房”细则，统计数据中没有室内体育用房面积："
                        "R4、R5按教学及辅助用房、体育运动场馆面积原数测算，未扣除或计入室内体育用房", Severity.WARNING),)
    return ()


def evaluate_year(plan: Plan, census: Census) -> YearResult:
    settings = plan.settings
    sections, excluded, schools = build_sections(census.schools, settings)
    resource_indicators = [i for i in plan.indicators if i.evaluation == "school_count"]
    results = tuple(section_resources(resource_indicators, s, settings) for s in sections)
    by_level = {level: [r for r in results if r.section.level == level] for level in LEVELS}
    resources = {
        (level, i.id): level_indicator(i, by_level[level], level, settings)
        for level in LEVELS
        for i in resource_indicators
        if by_level[level]
    }
    conditions = {
        level: level_conditions([r.section for r in by_level[level]], settings) for level in LEVELS if by_level[level]
    }
    cells = {}
    for indicator in plan.indicators:
        for level in indicator.levels:
            cells[(indicator.id, level)] = _judge(plan, indicator, level, census, resources, conditions)
    vetoes = {v.id: veto_present(census.recorded.get((v.id, "全区"))) for v in plan.vetoes}
    return YearResult(census.year, census, tuple(schools), results, tuple(excluded), resources, conditions, cells,
                      vetoes, census.warnings + refinement_warnings(plan, census))


# Figures an indicator needs that an export may lack (until a supplement gives them).
NEEDS = {
    "key_teachers": {"小学": {"key_primary"}, "初中": {"key_junior"}},
    "special_rooms": {"小学": {"music_rooms", "art_rooms"}, "初中": {"music_rooms", "art_rooms"}},
    "class_size": {"小学": {"oversize_primary"}, "初中": {"oversize_junior"}},
}


def lacking(indicator, level: str, census: Census) -> set[str]:
    """The figures this indicator × level needs that the census does not have."""
    return NEEDS.get(indicator.measure, {}).get(level, set()) & census.missing


def _judge(plan, indicator, level, census, resources, conditions) -> Cell:
    year = census.year
    missing = lacking(indicator, level, census)
    if missing:
        cell = judge_recorded(plan, indicator, level, year, {})  # the plan's cell, with no value: 无数据
        names = "、".join(sorted(COLUMNS_BY_KEY[k].header for k in missing))
        return replace(cell, note=f"缺少数据：{names}（统计导出中没有，请用补充表填写）")
    if indicator.evaluation == "school_count":
        return judge_count(plan, indicator, level, year, resources.get((level, indicator.id)))
    if indicator.evaluation == "paired_count":
        return judge_paired(plan, indicator, level, year, conditions.get(level))
    if indicator.measure in ("school_size", "class_size"):
        level_result = conditions.get(level)
        share = None
        if level_result is not None:
            share = level_result.size_share if indicator.measure == "school_size" else level_result.class_share
        return judge_percent(plan, indicator, level, year, share)
    if indicator.id in plan.measures:
        return judge_measured(plan, indicator, level, year, census)
    return judge_recorded(plan, indicator, level, year, census.recorded)


def evaluate(plan: Plan, censuses: list[Census]) -> Evaluation:
    """Evaluate one district's censuses (at most one per year) against its plan."""
    problems = [p for c in censuses for p in check_refinements(plan, c)]
    years: dict[int, Census] = {}
    for census in censuses:
        checked = check_inputs(plan, census)
        problems += errors(checked)
        census = replace(census, warnings=census.warnings + tuple(p for p in checked if p not in errors(checked)))
        if census.year in years:
            problems.append(Problem(census.file, "", f"与 {years[census.year].file} 是同一统计年度（{census.year}），请只保留一个"))
        years[census.year] = census
    if problems:
        raise ProblemsError(problems)
    results = {year: evaluate_year(plan, years[year]) for year in sorted(years)}
    verdict = overall_verdict(plan, results[max(results)]) if results else None
    return Evaluation(plan, results, verdict)


def overall_verdict(plan: Plan, result: YearResult) -> Verdict:
    """Against the final standards (not the yearly targets): every obstacle in plain Chinese."""
    obstacles: list[str] = []
    census = result.census
    for indicator in plan.indicators:
        if indicator.evaluation == "school_count" and any(lacking(indicator, lvl, census) for lvl in LEVELS):
            obstacles.append(f"资源配置{indicator.id}：缺少数据，无法判断各校是否达到资源配置要求（请用补充表填写）")
    for level in LEVELS:
        met, total = result.resource_count(level)
        if total and met < total:
            obstacles.append(f"资源配置：{level}{met}/{total}所学校达标（要求每所学校至少6项达标、其余不低于85%）")
        for (lvl, indicator_id), value in result.resources.items():
            if lvl != level:
                continue
            if value.cv_shown is None:
                obstacles.append(f"资源配置{indicator_id}：{level}差异系数无法计算（无数据）")
            elif not value.cv_ok:
                obstacles.append(f"资源配置{indicator_id}：{level}差异系数{value.cv_shown}，超过{value.cv_threshold:.2f}")
    for indicator in plan.indicators:
        if indicator.evaluation == "school_count":
            continue
        for level in indicator.levels:
            cell = result.cells[(indicator.id, level)]
            name = f"{indicator.id}（{indicator.text[:24]}{'…' if len(indicator.text) > 24 else ''}）"
            where = "" if level == "全区" else level
            if cell.status is Status.NOT_APPLICABLE:
                continue
            if cell.status is Status.NO_DATA:
                obstacles.append(f"{name}：{where}无数据")
            elif not cell.standard_met:
                obstacles.append(f"{name}：{where}未达到标准（现为{cell.actual_text}）")
    for veto in plan.vetoes:
        present = result.vetoes.get(veto.id)
        if present:
            obstacles.append(f"否决情形：{veto.text}")
        elif present is None:
            obstacles.append(f"否决情形未填报：{veto.text}")
    return Verdict(result.year, not obstacles, tuple(obstacles))

