"""`学校变动`: schools that appeared, disappeared or changed type between census years (footnote 3:
why the totals the targets are judged against moved)."""

from __future__ import annotations

from excel_balance.evaluate.model import Evaluation, YearResult
from excel_balance.xlsx.formats import Formats

SHEET_NAME = "学校变动"


def school_changes(before: YearResult, after: YearResult) -> list[tuple[str, str, str, str, str]]:
    """(school ID, name, change, type before, type after), by school ID."""
    old = {s.school_id: s for s in before.schools}
    new = {s.school_id: s for s in after.schools}
    changes = []
    for school_id in sorted(old.keys() | new.keys()):
        a, b = old.get(school_id), new.get(school_id)
        if a is None:
            changes.append((school_id, b.name, "新增", "", b.school_type.label))
        elif b is None:
            changes.append((school_id, a.name, "撤并或减少", a.school_type.label, ""))
        elif a.school_type is not b.school_type:
            changes.append((school_id, b.name, "办学类型变更", a.school_type.label, b.school_type.label))
    return changes


def write_changes_sheet(workbook, evaluation: Evaluation, formats: Formats) -> None:
    sheet = workbook.add_worksheet(SHEET_NAME)
    headers = ["年度", "学校标识码", "学校名称", "变动", "原办学类型", "现办学类型"]
    for col, text in enumerate(headers):
        sheet.write_string(0, col, text, formats.header)
    years = sorted(evaluation.years)
    row = 0
    for earlier, later in zip(years, years[1:]):
        before, after = evaluation.years[earlier], evaluation.years[later]
        counts = "，".join(
            f"{level}学段 {before.resource_count(level)[1]}→{after.resource_count(level)[1]}" for level in ("小学", "初中"))
        row += 1
        sheet.merge_range(row, 0, row, 5, f"{earlier}年→{later}年：{counts}", formats.label_cell)
        changes = school_changes(before, after)
        for school_id, name, change, old_type, new_type in changes:
            row += 1
            sheet.write_string(row, 0, f"{earlier}→{later}", formats.centre)
            sheet.write_string(row, 1, school_id, formats.centre)
            sheet.write_string(row, 2, name, formats.text)
            sheet.write_string(row, 3, change, formats.centre)
            for col, text in ((4, old_type), (5, new_type)):
                if text:
                    sheet.write_string(row, col, text, formats.centre)
                else:
                    sheet.write_blank(row, col, None, formats.centre)
        if not changes:
            row += 1
            sheet.merge_range(row, 0, row, 5, "学校无变动", formats.text)
    if len(years) < 2:
        sheet.merge_range(1, 0, 1, 5, "只有一个年度的统计报表，无法比较学校变动", formats.text)
    for col, width in enumerate([12, 13, 30, 14, 16, 16]):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    sheet.repeat_rows(0)
