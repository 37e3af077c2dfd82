"""`数据说明`: inputs with their sha256, the plan and its rule settings, every warning and
correction, the tool version."""

from __future__ import annotations

import dataclasses

from excel_balance import __version__
from excel_balance.census.schema import COLUMNS_BY_KEY
from excel_balance.evaluate.model import Evaluation
from excel_balance.xlsx.fit import line_count, row_height
from excel_balance.xlsx.formats import Formats

SHEET_NAME = "数据说明"

SETTING_NAMES = {
    "teaching_point_threshold": "教学点人数门槛",
    "teaching_point_comparator": "教学点门槛比较方式（< 不足；<= 及以下）",
    "compare_decimals": "指标值与差异系数比较前保留小数位（空 = 不取整）",
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


def write_notes_sheet(workbook, evaluation: Evaluation, formats: Formats, corrections=(), generated: str = "") -> None:
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
    line("生成时间（文档属性）", generated)
    line("规划文件", plan.source or "（内置）")
    section("输入文件")
    line("文件名", "区县", "统计年度", "SHA-256")
    for year, result in evaluation.years.items():
        census = result.census
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
    section("规则设置（规划文件 settings）")
    for field in dataclasses.fields(plan.settings):
        value = getattr(plan.settings, field.name)
        if dataclasses.is_dataclass(value):
            value = "，".join(f"{k}={'启用' if v else '未启用'}" for k, v in dataclasses.asdict(value).items())
        elif isinstance(value, dict):
            value = "，".join(f"{k} {v}" for k, v in value.items())
        line(SETTING_NAMES.get(field.name, field.name), str(value))
    excluded = sorted(((year, e) for year, r in evaluation.years.items() for e in r.excluded),
                      key=lambda e: (e[0], e[1].school_id))
    if excluded:
        # Here, not under 学校明细: a second table there would print under that sheet's header.
        section("未参加资源配置及G3—G5测算的学校（学段）")
        line("年度、学段", "学校（学校标识码）", "", "原因")
        for year, item in excluded:
            line(f"{year}年 {item.level}", f"{item.name}（{item.school_id}）", "", item.reason)
    section("读取与测算中的警告")
    warnings = [w for result in evaluation.years.values() for w in result.warnings]
    for warning in warnings:
        line(warning.file, warning.where, "警告", warning.message)
    if not warnings:
        line("无")
    section("人工修正")
    for correction in corrections:
        line(*correction)
    if not corrections:
        line("无")
    # No repeated print rows: row 1 is a section title, not the header of what follows it.
    sheet.freeze_panes(1, 0)
