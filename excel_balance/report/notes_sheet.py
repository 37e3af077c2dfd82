"""`数据说明`: inputs with their sha256, the plan and its rule settings, every warning, the
corrections applied and refused, the tool version and when the file was made. A unit's workbook
gets a short one: its sources by file name, the corrections and the exclusions, no hashes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from excel_balance import __version__
from excel_balance.census.schema import COLUMNS_BY_KEY
from excel_balance.evaluate import REFINEMENT_NAMES
from excel_balance.evaluate.measured import REPORTED
from excel_balance.evaluate.model import Evaluation
from excel_balance.evaluate.school_conditions import campus_folds
from excel_balance.plan import Settings
from excel_balance.xlsx.fit import line_count, row_height
from excel_balance.xlsx.formats import Formats

SHEET_NAME = "数据说明"

SETTING_NAMES = {
    "teaching_point_threshold": "教学点人数门槛",
    "teaching_point_comparator": "教学点门槛比较方式",
    "compare_decimals": "指标值与差异系数比较前取整",
    "junior_weight": "初中生折算系数",
    "senior_weight": "高中生折算系数（十二年一贯制）",
    "complete_school_senior_weight": "完全中学高中生折算系数",
    "resource_min_met": "资源配置每校至少达标项数",
    "resource_floor_share": "余项不低于标准的比例",
    "cv_threshold": "差异系数阈值",
    "near_count_margin": "接近目标：学校数差距不超过",
    "near_percent_margin": "接近目标：百分点差距不超过",
    "refinements": "省级细则",
}

INDOOR_SPORTS = {
    True: f"教学及辅助用房扣除室内体育用房，体育运动场馆面积计入室内体育用房（省级细则“{REFINEMENT_NAMES['net_indoor_sports']}”启用；数据中没有室内体育用房面积时按原数，见警告）",
    False: f"教学及辅助用房、体育运动场馆面积按统计数据原数，不扣除也不计入室内体育用房（省级细则“{REFINEMENT_NAMES['net_indoor_sports']}”未启用）",
}


def setting_rows(settings: Settings) -> list[tuple[str, str]]:
    """Each rule setting by its Chinese name, its value in words (never a YAML key)."""
    values = {
        "teaching_point_threshold": f"{settings.teaching_point_threshold}人",
        "teaching_point_comparator": {"<": "不足门槛人数的为教学点（<）", "<=": "门槛人数及以下的为教学点（<=）"}.get(
            settings.teaching_point_comparator, settings.teaching_point_comparator),
        "compare_decimals": "不取整" if settings.compare_decimals is None else f"保留{settings.compare_decimals}位小数",
        "resource_min_met": f"{settings.resource_min_met}项",
        "resource_floor_share": f"{(Decimal(settings.resource_floor_share) * 100).normalize():f}%",
        "cv_threshold": "，".join(f"{level} {Decimal(value):.2f}" for level, value in settings.cv_threshold.items()),
        "near_count_margin": f"{settings.near_count_margin}所",
        "near_percent_margin": f"{settings.near_percent_margin}个百分点",
        "refinements": "；".join(f"{REFINEMENT_NAMES.get(k, k)}：{'启用' if on else '未启用'}"
                                 for k, on in dataclasses.asdict(settings.refinements).items()),
    }
    rows = []
    for field in dataclasses.fields(settings):
        value = getattr(settings, field.name)
        rows.append((SETTING_NAMES.get(field.name, field.name),
                     values.get(field.name, f"{value:g}" if isinstance(value, Decimal) else str(value))))
    return rows


@dataclass(frozen=True)
class CorrectionNotes:
    """The 修正 rows of a report: applied as (where, school and field, old → new, reason), refused
    as the Problems that say why."""

    applied: tuple = ()
    refused: tuple = ()


def write_notes_sheet(workbook, evaluation: Evaluation, formats: Formats, corrections: CorrectionNotes = CorrectionNotes(),
                      generated: str = "", short: bool = False) -> None:
    """The report's notes; `short`: a unit's (no hashes, settings nor warnings)."""
    plan = evaluation.plan
    sheet = workbook.add_worksheet(SHEET_NAME)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 40)
    sheet.set_column(2, 2, 12)
    sheet.set_column(3, 3, 70)
    row = 0

    def section(title: str) -> None:
        nonlocal row
        row += 1 if row else 0
        sheet.merge_range(row, 0, row, 3, title, formats.note_title)
        row += 1

    def line(*values) -> None:
        nonlocal row
        height = 1
        for col, value in enumerate(values):
            text = str(value)
            sheet.write_string(row, col, text, formats.text)
            height = max(height, line_count(text, (22, 40, 12, 70)[col]))
        sheet.set_row(row, row_height(height))
        row += 1

    section("生成信息")
    line("工具", f"excel-balance {__version__}")
    if not short:  # a unit's file is mailed: its content must not change with the hour it was rewritten
        line("生成时间", generated)
    line("规划文件", plan.source or "（内置）")
    section("输入文件")
    if short:  # the file name in the wide column, where it does not wrap
        line("统计年度", "区县", "", "文件名")
    else:
        line("文件名", "区县", "统计年度", "SHA-256")
    for year, result in evaluation.years.items():
        census = result.census
        if short:
            line(f"{year}", census.district or "—", "", census.file)
        else:
            line(census.file, census.district or "—", f"{year}", census.sha256)
    sources = [(year, r.census) for year, r in evaluation.years.items() if r.census.sources or r.census.missing]
    if sources:
        section("数据来源（统计系统导出）")
        for year, census in sources:
            for key, where in census.sources:
                line(f"{year}年 {COLUMNS_BY_KEY[key].header}", where)
            for key in sorted(census.missing):
                line(f"{year}年 {COLUMNS_BY_KEY[key].header}", "无数据：导出中没有，也没有补充表", "",
                     "相关指标显示为“无数据”；用 excel-balance supplement 生成补充表填写")
    if not short:
        section("规则设置（规划文件 settings）")
        for name, value in setting_rows(plan.settings):
            line(name, value)
        line("R4、R5与室内体育用房", INDOOR_SPORTS[plan.settings.refinements.net_indoor_sports])
    excluded = sorted(((year, e) for year, r in evaluation.years.items() for e in r.excluded),
                      key=lambda e: (e[0], e[1].school_id))
    if excluded:
        # Here, not under 学校明细: a second table there would print under that sheet's header.
        section("未参加资源配置及G3—G5测算的学校（学段）")
        line("年度、学段", "学校（学校标识码）", "", "原因")
        for year, item in excluded:
            line(f"{year}年 {item.level}", f"{item.name}（{item.school_id}）", "", item.reason)
    folds = [(year, f) for year, r in evaluation.years.items()
             for f in campus_folds(r.schools, r.census.schools, plan.settings)]
    if folds:
        section("分校区并入所属学校")
        line("年度", "学校与分校区", "", "并入的影响")
        for year, fold in folds:
            line(f"{year}年", f"{fold.name}（{fold.school_id}）：{'、'.join(fold.campuses)}",
                 "G4变化" if fold.breaks_size else "", fold.describe())
    if not short:
        section("区级指标")
        line("测算方法", "国家标准见 templates/measures/national.yaml，本规划不同的见规划文件 measures；算式见“区级指标测算”表")
        for year, result in evaluation.years.items():
            reported = [f"{c.indicator_id}{'' if c.level == '全区' else c.level}" for c in result.cells.values()
                        if c.basis == REPORTED]
            if reported:
                line(f"{year}年 {REPORTED}", "、".join(reported), "",
                     "旧版“区级指标”表只填了一个值，按该值判断；请按“区级指标测算”表的提示填写各项数据")
        section("读取与测算中的警告")
        warnings = [w for result in evaluation.years.values() for w in result.warnings]
        for warning in warnings:
            line(warning.file, warning.where, "警告", warning.message)
        if not warnings:
            line("无")
    section("人工修正（已应用）")
    for correction in corrections.applied:
        line(*correction)
    if not corrections.applied:
        line("无")
    if corrections.refused:
        section("未应用的修正（修正表中有误或与统计报表不符的行）")
        for problem in corrections.refused:
            line(problem.file, problem.where, "未应用", problem.message)
    # No repeated print rows: row 1 is a section title, not the header of what follows it.
    sheet.freeze_panes(1, 0)
