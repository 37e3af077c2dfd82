"""`区级指标测算`: how every district-level figure was obtained.

Per year (latest first), indicator and level: the inputs copied from the census with the file and
cell they came from, each condition as a formula in words and as a live Excel formula over those
copies, the standard, and the result with the yearly target and status.
"""

from __future__ import annotations

from excel_balance.evaluate.measured import REPORTED, Measured, PartResult
from excel_balance.evaluate.model import Cell, Evaluation
from excel_balance.evaluate.rules import Status, decimals_of
from excel_balance.measures import Measure
from excel_balance.xlsx.fit import line_count, row_height
from excel_balance.xlsx.formats import FONT, ClassicFormulaSheet, Formats
from excel_balance.xlsx.page import PRINTABLE_HEIGHT, page_breaks

SHEET_NAME = "区级指标测算"
HEADERS = ["年度", "编号", "学段", "项目", "数值", "单位", "来源 / 算式", "标准", "结果"]
WIDTHS = [7, 6, 6, 34, 12, 6, 48, 24, 14]
TEXT_SPAN = (3, 8)  # the indicator's text spans 项目 … 结果
HEADER_HEIGHT = 15.0  # points: Excel's default row height, the header row's


def write_measures_sheet(workbook, evaluation: Evaluation, formats: Formats) -> None:
    plan = evaluation.plan
    sheet = workbook.add_worksheet(SHEET_NAME, worksheet_class=ClassicFormulaSheet)
    for col, (text, width) in enumerate(zip(HEADERS, WIDTHS)):
        sheet.write_string(0, col, text, formats.header)
        sheet.set_column(col, col, width)
    row, blocks = 1, []
    for year in sorted(evaluation.years, reverse=True):
        result = evaluation.years[year]
        for indicator in plan.indicators:
            if indicator.id not in plan.measures:
                continue
            for level in indicator.levels:
                cell = result.cells[(indicator.id, level)]
                if cell.status is Status.NOT_APPLICABLE:
                    continue
                first = row
                row, height = _block(sheet, row, cell, indicator.text, plan.measures[indicator.id], formats)
                blocks.append((first, height))
    if row == 1:
        sheet.merge_range(1, 0, 1, len(HEADERS) - 1, "本规划没有区级测算的指标", formats.text)
    # A block never split between pages (the header row repeats on each page).
    sheet.set_h_pagebreaks(page_breaks(blocks, PRINTABLE_HEIGHT - 2 * HEADER_HEIGHT))
    sheet.freeze_panes(1, 0)
    sheet.repeat_rows(0)


def _keys(sheet, row: int, cell: Cell, fmt) -> None:
    """Year, code and level on every row, so that a filter keeps whole blocks."""
    sheet.write_number(row, 0, cell.year, fmt)
    sheet.write_string(row, 1, cell.indicator_id, fmt)
    sheet.write_string(row, 2, cell.level, fmt)


def _block(sheet, row: int, cell: Cell, text: str, measure: Measure, formats: Formats) -> tuple[int, float]:
    """One indicator × level × year; returns the next free row and the block's height."""
    _keys(sheet, row, cell, formats.label_cell)
    sheet.merge_range(row, TEXT_SPAN[0], row, TEXT_SPAN[1], text, formats.make(**{**_CELL, "align": "left", "text_wrap": True}, bg_color="#F2F2F2"))
    width = sum(WIDTHS[TEXT_SPAN[0]:TEXT_SPAN[1] + 1])
    height = row_height(line_count(text, width))
    sheet.set_row(row, height)
    row += 1
    measured: Measured | None = cell.measured
    places: dict[str, int] = {}
    if measured is not None:
        for item, value in measured.inputs:
            _keys(sheet, row, cell, formats.centre)
            sheet.write_string(row, 3, item.name, formats.text)
            if value.number is None:
                sheet.write_string(row, 4, value.text, formats.centre)
            else:
                sheet.write_number(row, 4, float(value.number), formats.make(**_CELL, num_format="#,##0.####"))
            sheet.write_string(row, 5, "" if item.is_choice else item.unit, formats.centre)
            source = f"{value.file}\n{value.cell}".strip()
            sheet.write_string(row, 6, source, formats.text)
            sheet.write_blank(row, 7, None, formats.centre)
            sheet.write_blank(row, 8, None, formats.centre)
            height += _fit(sheet, row, {3: item.name, 6: source})
            places[item.name] = row
            row += 1
        for part in measured.parts:
            _keys(sheet, row, cell, formats.centre)
            height += _fit(sheet, row, _part_row(sheet, row, part, measure, cell.level, places, formats))
            row += 1
    _keys(sheet, row, cell, formats.centre)
    sheet.write_string(row, 3, "结果（各项条件均满足才达标）" if measured and len(measured.parts) > 1 else "结果",
                       formats.text)
    sheet.write_string(row, 4, cell.actual_text or "—", formats.centre)
    sheet.write_blank(row, 5, None, formats.centre)
    note = cell.note
    if cell.basis == REPORTED:
        note = f"填报判断（按填报的一个值判断，未按测算方法计算）。{note}"
    sheet.write_string(row, 6, note, formats.text)
    target = f"{cell.target_year}年目标：{cell.target_text}" if cell.target_year else f"标准：{cell.target_text or ''}"
    sheet.write_string(row, 7, target, formats.text)
    sheet.write_string(row, 8, f"{cell.status.symbol} {cell.status.value}", formats.status(cell.status))
    height += _fit(sheet, row, {4: cell.actual_text, 6: note, 7: target})
    return row + 1, height


def _fit(sheet, row: int, texts: dict[int, str]) -> float:
    """The row as high as its longest wrapped text (Excel does not grow rows by itself); its height."""
    height = row_height(max(line_count(text, WIDTHS[col]) for col, text in texts.items()))
    sheet.set_row(row, height)
    return height


def _part_row(sheet, row: int, result: PartResult, measure: Measure, level: str, places: dict[str, int],
              formats: Formats) -> dict[int, str]:
    """A condition: its value as a live formula over the inputs above, the formula in words, the
    standard, and √/× as a live formula; returns the texts written (for the row height)."""
    part = result.part
    ref = {name: f"E{places[name] + 1}" for name in part.inputs}
    here = f"E{row + 1}"
    standard = part.standard(level)
    first = measure.input(part.inputs[0])
    value_format, cached = formats.centre, float(result.value) if part.numeric else str(result.text)
    if part.kind == "ratio":
        numerator, denominator = (ref[n] for n in part.inputs)
        formula, unit = f"={numerator}/{denominator}*100", "%"
        value_format = formats.make(**_CELL, num_format="0." + "0" * part.decimals if part.decimals else "0")
        words = f"{part.inputs[0]} ÷ {part.inputs[1]} × 100"
        if part.requires_all(level):
            standard_text, check = "100%（全部：分子等于分母）", f"{numerator}={denominator}"
        else:
            standard_text, check = f"≥{standard}%", f"ROUND({here},{decimals_of(standard)})>={standard}"
    elif part.kind == "compare":
        a, b = (ref[n] for n in part.inputs)
        formula, unit = f"={a}-{b}", first.unit
        value_format = formats.make(**_CELL, num_format="#,##0.####")
        words, standard_text, check = f"{part.inputs[0]} − {part.inputs[1]}", "≥0（不低于）", f"{here}>=0"
    elif part.kind == "value":
        formula, unit, words = f"={ref[first.name]}", first.unit, first.name
        conditions, texts = [], []
        if standard is not None:
            conditions.append(f"{here}>={standard}")
            texts.append(f"≥{standard}{first.unit}")
        if part.below is not None:
            conditions.append(f"{here}<{part.below}")
            texts.append(f"<{part.below}{first.unit}")
        standard_text, check = "且".join(texts), f"AND({','.join(conditions)})"
    else:
        formula, unit = f"={ref[first.name]}", ""
        words = f"{first.name}（填“{'”“'.join(first.yes)}”为符合）"
        standard_text = first.yes[0]
        check = "OR(" + ",".join(f'{here}="{w}"' for w in first.yes) + ")"
    sheet.write_string(row, 3, part.label, formats.text)
    sheet.write_formula(row, 4, formula, value_format, cached)
    sheet.write_string(row, 5, unit, formats.centre)
    sheet.write_string(row, 6, words, formats.text)
    sheet.write_string(row, 7, standard_text, formats.centre)
    mark_format = formats.status(Status.TARGET_MET if result.met else Status.BEHIND)
    sheet.write_formula(row, 8, f'=IF({check},"√","×")', mark_format, "√" if result.met else "×")
    return {3: part.label, 6: words, 7: standard_text}


_CELL = {**FONT, "border": 1, "valign": "vcenter", "align": "center"}
