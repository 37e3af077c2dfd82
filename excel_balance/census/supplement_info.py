"""The supplement's own 填报说明: what its 补充数据 sheet holds, column by column, and its
区级指标 sheet — not the census template's (which speaks of a 学校 sheet and building columns
a supplement does not have). Takes the columns write_supplement chose, so a change of the export
mapping changes the instructions with them."""

from __future__ import annotations

from excel_balance.census.exports import SUPPLEMENT_SHEET as SHEET
from excel_balance.census.schema import COLUMNS_BY_KEY, INFO_SHEET, Applies, Kind
from excel_balance.xlsx.fit import fit_width, line_count, row_height
from excel_balance.xlsx.formats import Formats

OPTIONAL_LEVEL_NOTE = {Applies.PRIMARY: "有小学部的学校填写", Applies.JUNIOR: "有初中部的学校填写"}
OPTIONAL_NOTE = ("按各校数据测算G9、G12、G13、Q3、Q4，并在报告中列出未达标的学校。某项指标用到的列都填写后，"
                 "该指标按各校合计测算，涉及的每所学校都要填；不填则按“区级指标”表的全区数值测算")
LEVEL_NOTE = {Applies.PRIMARY: "只有小学部的学校填写，其他学校已预填0", Applies.JUNIOR: "只有初中部的学校填写，其他学校已预填0"}


def supplement_rows(district: str, year: int, columns: list[str]) -> list[tuple[str, str]]:
    """(label, text) rows of the instructions; `columns` are the figures' keys, in sheet order."""
    rows = [
        ("区县", district),
        ("统计年度", str(year)),
        ("用途", f"补充统计系统导出（基层表）中没有的数据。填好后与{year}年的导出一起放进 inputs/，"
                 "运行 excel-balance run 时按学校标识码合并。"),
        (f"“{SHEET}”表", "每所计校数的学校一行，学校标识码和学校名称已按导出预填，请勿修改，也不要增删学校"
                        "（导出中没有的学校标识码会被拒绝）。"),
    ]
    if not columns:
        rows.append(("需填写的列", "导出已含全部学校数据，只需填写“区级指标”表。"))
    for key in columns:
        column = COLUMNS_BY_KEY[key]
        if column.required:
            kind = "整数" if column.kind is Kind.INT else "数值"
            parts = [column.note, LEVEL_NOTE.get(column.applies, ""), f"{kind}，单位{column.unit}；没有请填0（空白会被拒绝）"]
        else:
            kind = {Kind.INT: f"整数，单位{column.unit}", Kind.NUMBER: f"数值，单位{column.unit}"}.get(
                column.kind, "从下拉列表选择")
            parts = ["选填", column.note.split("：")[-1] if column.kind is Kind.CHOICE else column.note,
                     OPTIONAL_LEVEL_NOTE.get(column.applies, ""), kind]
            if key == next(k for k in columns if not COLUMNS_BY_KEY[k].required):
                rows.append(("灰色列（选填）", OPTIONAL_NOTE + "。"))
        rows.append((column.title, "；".join(p for p in parts if p) + "。"))
    rows.append(("“区级指标”表", "逐项填写全区情况：百分比填 96 或 96%，定性指标从下拉列表选择。"))
    return rows


def write_supplement_info(workbook, formats: Formats, district: str, year: int, columns: list[str]) -> None:
    sheet = workbook.add_worksheet(INFO_SHEET)
    rows = supplement_rows(district, year, columns)
    sheet.set_column(0, 0, fit_width([label for label, _ in rows], minimum=26, maximum=40))  # the longest title
    sheet.set_column(1, 1, 90)
    for r, (label, text) in enumerate(rows):
        sheet.write_string(r, 0, label, formats.label)
        sheet.write_string(r, 1, text, formats.note)
        sheet.set_row(r, row_height(line_count(text, 90)))
