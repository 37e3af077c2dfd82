"""Messy variants of a clean census table, as staff and other tools produce them."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
import xlwt

from excel_balance.census.schema import SCHOOL_COLUMNS, SchoolType

LEVELS = ("小学", "初中", "高中")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def split_level(header: str) -> tuple[str, str]:
    for level in LEVELS:
        if header.startswith(level) and not header.startswith(level + "部"):
            return level, header[len(level):]
    return "", header


def cell_value(column, value, messy: bool):
    if value is None or value == "":
        return ""
    if isinstance(value, SchoolType):
        value = value.label
    if not messy or not column.numeric:
        return value
    if column.key == "teaching_area":
        return f"{value:,}"  # thousands separator, as text
    if column.key.startswith("students_"):
        return str(value).translate(FULL_WIDTH)  # full-width digits
    if column.key.startswith("classes_"):
        return f" {value} "  # surrounding spaces
    return value


def messy_grid(schools: list[dict], *, two_rows: str = "", aliases: bool = True, messy_numbers: bool = True,
               title: bool = True, totals: bool = True, blank_rows: bool = True):
    """(rows, merges) of a messy 学校 sheet; two_rows is '', 'group_on_top' or 'level_on_top'."""
    columns = [c for c in SCHOOL_COLUMNS if any(c.key in s for s in schools)]
    rows, merges = [], []
    if title:
        rows += [["2022—2023学年教育事业统计（学校基本情况）"], ["单位：人、个、平方米、万元"]]
        merges.append((0, 0, 0, len(columns) - 1))

    def header_text(column):
        text = column.title
        if aliases:
            text = (text.replace("学校标识码", "学校代码").replace("学校名称", "学校名").replace("在校生数", "在校学生数")
                    .replace("(㎡)", "（平方米）").replace("(万元)", "（万元）").replace("教学及辅助", "教学及辅助\n"))
        return text

    texts = [header_text(c) for c in columns]
    if not two_rows:
        rows.append(texts)
    else:
        top, bottom, r = [], [], len(rows)
        parts = [split_level(t) for t in texts]
        col = 0
        while col < len(parts):
            level, rest = parts[col]
            if not level:
                top.append(rest), bottom.append("")
                merges.append((r, col, r + 1, col))
                col += 1
                continue
            span = col
            while span + 1 < len(parts) and parts[span + 1][0] and parts[span + 1][1] == rest:
                span += 1
            for c in range(col, span + 1):
                if two_rows == "group_on_top":
                    top.append(rest if c == col else ""), bottom.append(parts[c][0])
                else:
                    top.append(parts[c][0]), bottom.append(rest)
            if two_rows == "group_on_top" and span > col:
                merges.append((r, col, r, span))
            col = span + 1
        rows += [top, bottom]
    for index, school in enumerate(schools):
        if blank_rows and index == 3:
            rows.append([""] * len(columns))
        rows.append([cell_value(c, school.get(c.key), messy_numbers) for c in columns])
    if totals:
        total = ["合计", "", ""] + [""] * (len(columns) - 3)
        for i, c in enumerate(columns):
            if c.numeric:
                total[i] = sum(s.get(c.key) or 0 for s in schools)
        total[columns.index(next(c for c in columns if c.key == "name"))] = "合计"
        total[0] = ""
        rows.append(total)
    return rows, merges


def write_xlsx(path: Path, rows, merges, sheet: str = "学校") -> Path:
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = workbook.add_worksheet(sheet)
    merged_cells = set()
    for r0, c0, r1, c1 in merges:
        ws.merge_range(r0, c0, r1, c1, rows[r0][c0] if c0 < len(rows[r0]) else "")
        merged_cells |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value == "" or (r, c) in merged_cells:
                continue
            if isinstance(value, (int, float)):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    workbook.close()
    return path


def write_xls(path: Path, rows, merges, sheet: str = "学校") -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    merged_cells = set()
    for r0, c0, r1, c1 in merges:
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        ws.write_merge(r0, r1, c0, c1, value)
        merged_cells |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value == "" or (r, c) in merged_cells:
                continue
            ws.write(r, c, value)
    book.save(str(path))
    return path
