"""The plan form's 填报说明 sheet: what to write in each kind of cell, with examples, and which
indicators take which kind of target (from the plan the form was made from)."""

from __future__ import annotations

from excel_balance.plan import LEVELS, Plan, expects_nothing
from excel_balance.xlsx.fit import line_count, row_height
from excel_balance.xlsx.formats import Formats

INFO_SHEET = "填报说明"
TEXT_WIDTH = 100
ROW_SPACING = 6.0  # points between two instructions
# Each kind of target: (the evaluation whose indicators it lists, label, how to fill it, with examples).
KINDS = (
    ("qualitative", "目标：达标", "定性指标填“达标”，表示当年达到该项标准（下拉列表可选）；也可按规划原文写一句话，"
                                  "例如“学校规划布局合理，符合国家规定要求”，按“达标”判断。"),
    ("nothing", "目标：无", "要求“没有”某种情形的指标填“无”，例如“无过重课业负担”各年度填“无”。"),
    ("school_count", "目标：学校数", "按校评估的指标填“达标学校数/学校总数”，例如 43/71 表示71所小学中43所达到标准；"
                                    "学校总数为规划时的学校数，最后一年一般为全部达标（71/71）。"),
    ("paired_count", "目标：音乐、美术", "音乐、美术专用教室分别按学校数填写，例如 音乐30/71，美术26/71。"),
    ("percent", "目标：百分比", "填写百分比，例如 95%、95.50%、保持95%以上（均表示不低于该比例）。"),
    (None, "目标：数值", "规划按数值考核的（例如培训按学时）填写数值和单位，例如 年均90学时以上。"),
)


def own_note_example(plan: Plan) -> str:
    return f"现状为{plan.baseline_year}—{plan.baseline_year + 1}学年度数据。"


def info_rows(plan: Plan) -> list[tuple[str, str]]:
    """(label, text) rows of the instructions."""
    kinds: dict[str, list[str]] = {}
    for indicator in plan.indicators:  # 无过重课业负担: its targets are 无, not 达标
        nothing = indicator.evaluation == "qualitative" and expects_nothing(indicator.text)
        kinds.setdefault("nothing" if nothing else indicator.evaluation, []).append(indicator.id)
    one_level = [f"{i.id}只有{next(lv for lv in LEVELS if i.baseline.get(lv) != '不适用')}"
                 for i in plan.indicators if not i.merged and "不适用" in i.baseline.values()]
    merged = [i.id for i in plan.indicators if i.merged]
    years = f"{plan.plan_years[0]}—{plan.plan_years[-1]}"
    kind = plan.district[-1]  # 县, 区, 市 or 旗, as the units are named
    rows = [
        ("区县", plan.district),
        ("年度", f"现状为{plan.baseline_year}年，规划年度{years}年（表头“{plan.baseline_label}”和各年度列）。"),
        ("用途", "没有现成规划表（或规划只有PDF、扫描件）的区县填写本表。填好后运行\n"
                 "  excel-balance plan --import 本文件.xlsx\n"
                 "生成本区县的规划文件（templates/plans/ 下），之后的测算按本规划的年度目标判断。"),
        ("“推进规划”表", "32项国家指标的领域和内容与标准已预填（《县域义务教育优质均衡发展督导评估办法》）。"
                       "请不要增删行、改动表头或合并单元格；本区县规划的标准写法不同（例如60%）时可按原文修改内容与标准，"
                       "导入时列为“与国家标准不同”。"),
        ("现状", "每格按实际情况填写，原样显示在报告中，例如“全区3.07间，达标67/71”“92%”“达标”。"),
    ]
    for evaluation, label, text in KINDS:
        ids = kinds.get(evaluation, [])
        rows.append((label, text + (f"\n本表中：{'、'.join(ids)}。" if ids else "")))
    rows += [
        ("不适用", f"只涉及一个学段的指标（{'，'.join(one_level)}），另一学段已填“不适用”（灰色），不用填写。"
                   f"两学段合并为一格的指标（{'、'.join(merged)}）每年只填一个全区目标。"
                   "除此以外，现状和各年度目标都要填写：空格在导入时会按单元格逐一列出，补填后再导入。"),
        ("责任单位", f"每行一个单位（单元格内按 Alt+Enter 换行），牵头单位写在第一行，例如\n  {kind}教委\n  {kind}财政局"),
        ("说明", "表格下方“说明：”已列出不予认定的情形；本区县的说明写在其下的空行中，每条一行，"
                 f"例如“{len(plan.footnotes) + 1}.{own_note_example(plan)}”"),
        ("填写单元格", "选中要填写的单元格时会显示填法提示；格式为文本，43/71 不会变成日期，95% 按原样保存。"),
    ]
    return rows


def write_form_info(workbook, formats: Formats, plan: Plan) -> None:
    sheet = workbook.add_worksheet(INFO_SHEET)
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 1, TEXT_WIDTH)
    for r, (label, text) in enumerate(info_rows(plan)):
        sheet.write_string(r, 0, label, formats.note_title)
        sheet.write_string(r, 1, text, formats.note)
        sheet.set_row(r, row_height(line_count(text, TEXT_WIDTH)) + ROW_SPACING)
