"""Plan tables built as a district's Word or Excel document, for the import tests.

A table is a list of rows of grid cells: a text starts a cell, "<" continues the cell on its left
(gridSpan / a merged range), "^" the cell above (vMerge).
"""

from __future__ import annotations

from pathlib import Path

LEVELS = ("小学", "初中")


def header(years, baseline_label="现状"):
    width = 2 + 2 * len(years)
    return [
        ["指标名称", "内容与标准", baseline_label, "<", "达标规划（达标学校数/学校总数）", *["<"] * (width - 3), "责任单位"],
        ["^", "^", "^", "^", *[x for y in years for x in (f"{y}年", "<")], "^"],
        ["^", "^", *LEVELS * (1 + len(years)), "^"],
    ]


def _origins(table):
    """(row, col, last row, last col, text) of every cell that starts a merged range."""
    for r, row in enumerate(table):
        for c, text in enumerate(row):
            if text in ("<", "^"):
                continue
            c1 = c
            while c1 + 1 < len(row) and row[c1 + 1] == "<":
                c1 += 1
            r1 = r
            while r1 + 1 < len(table) and table[r1 + 1][c] == "^":
                r1 += 1
            yield r, c, r1, c1, text


def write_docx(path: Path, before: list[str], tables: list[list[list[str]]], after: list[str]) -> Path:
    import docx

    document = docx.Document()
    for text in before:
        document.add_paragraph(text)
    for grid in tables:
        table = document.add_table(rows=len(grid), cols=len(grid[0]))
        for r, c, r1, c1, text in list(_origins(grid)):
            cell = table.cell(r, c)
            if (r1, c1) != (r, c):
                cell = cell.merge(table.cell(r1, c1))
            cell.text = text  # "\n" becomes a line break
        document.add_paragraph("")  # Word keeps a paragraph between tables split over pages
    for text in after:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def write_xlsx(path: Path, before: list[str], tables: list[list[list[str]]], after: list[str]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "规划表"
    row = 1
    for text in before:
        sheet.cell(row, 1, text)
        row += 1
    for grid in tables:
        for r, c, r1, c1, text in list(_origins(grid)):
            sheet.cell(row + r, c + 1, text)
            if (r1, c1) != (r, c):
                sheet.merge_cells(start_row=row + r, start_column=c + 1, end_row=row + r1, end_column=c1 + 1)
        row += len(grid)
    row += 1
    for text in after:
        sheet.cell(row, 1, text)
        row += 1
    book.save(path)
    return path


def seed_document(seed_text: str):
    """The seed's plan table: (paragraphs before, four tables split at G6, G13, Q6, paragraphs after)."""
    blocks = [b for b in seed_text.split("\n\n")]
    before, rows, after = [], [], []
    for block in blocks:
        lines = block.split("\n")
        if lines[0].startswith("\t"):
            rows.append([line[1:] for line in lines])
        elif block.strip():
            (after if rows else before).append(block.strip())
    years = [int(c[:4]) for c in rows[1] if c.endswith("年")]
    tables, grid = [], header(years)
    body = rows[3:]
    for cells in body:
        area, text, *values, units = cells
        if area and any(g[0] == area for g in grid):
            tables.append(grid)  # the label repeated: the table continues on the next page
            grid = []
        first = area or "^"
        if len(values) == 1 + len(years):  # one cell for both levels
            values = [x for v in values for x in (v, "<")]
        grid.append([first, text, *values, units])
    tables.append(grid)
    return before, tables, after
