"""`学校明细`: one row per school section and year, with live formulas an assessor can trace.

The raw figures (students, teachers, facility shares) are values; the seven indicator values,
the √/× marks, the 6-of-7 result and the G3–G5 checks are Excel formulas over them, written
with the value this tool computed, so Excel, WPS or LibreOffice show the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from excel_balance.evaluate.measured import measured_by_schools
from excel_balance.evaluate.model import Evaluation
from excel_balance.evaluate.resources import MEASURES
from excel_balance.evaluate.rules import Status
from excel_balance.evaluate.school_conditions import counted_rooms, size_limit, special_rooms
from excel_balance.evaluate.sections import SECTION_KEY
from excel_balance.plan import LEVELS
from excel_balance.xlsx.fit import fit_width, line_count, row_height
from excel_balance.xlsx.formats import ClassicFormulaSheet, Formats
from excel_balance.xlsx.page import page_setup

SHEET_NAME = "学校明细"
LEVEL_ORDER = {level: n for n, level in enumerate(LEVELS)}
IDENTITY = ["年度", "学段", "学校标识码", "学校名称", "办学类型", "在校生数（人）"]
YEAR_COL, LEVEL_COL, STUDENTS_COL = 0, 1, 5
FIRST_NUMERATOR = 6
OWN_WIDTH = 24  # a school's own G9–Q4 figure and what it lacks


@dataclass(frozen=True)
class SchoolSheetLayout:
    """Where things are, for the 差异系数 formulas: the table's rows, the numerator columns."""

    last_row: int  # 0-based last row of the school table
    groups: frozenset[tuple[int, str]]  # the (year, level) pairs that have rows
    numerator_cols: dict[str, int]  # indicator id → column
    result_col: int  # 资源配置: √ when the section meets it as a whole
    students_col: int = STUDENTS_COL

    def column(self, col: int) -> str:
        """The column's cells over the table's rows, absolute."""
        first, last = xl_rowcol_to_cell(1, col, True, True), xl_rowcol_to_cell(self.last_row, col, True, True)
        return f"'{SHEET_NAME}'!{first}:{last}"

    def rows_of(self, year: int, level: str) -> str:
        """An array that is 1 on the rows of `year` and `level`, 0 elsewhere, for SUMPRODUCT.

        Rows are picked by their 年度 and 学段 cells, not their position, so sorting or filtering
        学校明细 (it has an AutoFilter) leaves every formula built on it right.
        """
        return f'({self.column(YEAR_COL)}={year})*({self.column(LEVEL_COL)}="{level}")'


def decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _rounded(expression: str, decimals: int | None) -> str:
    return expression if decimals is None else f"ROUND({expression},{decimals})"


def mark(ok: bool) -> str:
    return "√" if ok else "×"


def write_school_sheet(workbook, evaluation: Evaluation, formats: Formats) -> SchoolSheetLayout:
    plan = evaluation.plan
    sheet = workbook.add_worksheet(SHEET_NAME, worksheet_class=ClassicFormulaSheet)
    indicators = [i for i in plan.indicators if i.evaluation == "school_count"]
    n = len(indicators)
    value_col = FIRST_NUMERATOR + n
    mark_col = value_col + n
    count_col, floor_col, result_col = mark_col + n, mark_col + n + 1, mark_col + n + 2
    g3 = result_col + 1
    headers = IDENTITY + [
        f"{i.id} {MEASURES[i.measure].label}" + ("（按学生数折算）" if MEASURES[i.measure].per == 1 or i.measure == "multimedia_rooms" else "")
        for i in indicators
    ] + [f"{i.id} 值" for i in indicators] + [f"{i.id} 达标" for i in indicators] + [
        "达标项数", "余项不低于85%", "资源配置",
        "义务教育班数（全校）", "音乐专用教室（间）", "美术专用教室（间）", "需配音乐、美术教室（间）", "G3 音乐", "G3 美术",
        "义务教育在校生（全校）", "规模上限（人）", "G4 规模",
        "本学段班数", "本学段大班额班数", "G5 班额达标率",
    ]
    # G9, G12, G13, Q3, Q4 where the 学校 sheet decides them: √, or the school's figure and what it lacks.
    by_schools = {(year, level, i.id): measured for year, result in evaluation.years.items()
                  for i, level, measured in measured_by_schools(plan, result.cells)}
    school_ids = list(dict.fromkeys(key[2] for key in by_schools))
    below = {(year, level, code, s.school_id): s for (year, level, code), m in by_schools.items() for s in m.below}
    own_col = len(headers)
    headers += [f"{code} {plan.measures[code].headline.label}（本校）" for code in school_ids]
    header_fmt = formats.header
    for col, text in enumerate(headers):
        sheet.write_string(0, col, text, header_fmt)
    sheet.set_row(0, row_height(max(line_count(h, 10) for h in headers)))

    entries = sorted(
        ((year, r) for year, result in evaluation.years.items() for r in result.sections),
        key=lambda e: (e[0], LEVEL_ORDER[e[1].section.level], e[1].section.school_id),
    )
    decimals = plan.settings.compare_decimals
    floor = plan.settings.resource_floor_share
    ok_fmt, bad_fmt = formats.status(Status.TARGET_MET), formats.status(Status.BEHIND)
    percent = formats.percent
    letters = [xl_col_to_name(c) for c in range(len(headers))]
    # What every row of a level shares: each indicator's format, factor, standard and floor as text.
    per_level = {
        level: [
            (i, formats.integer if MEASURES[i.measure].gap_unit == "人" else formats.number,
             MEASURES[i.measure].scale * MEASURES[i.measure].per, decimal_text(i.standard[level]),
             decimal_text(i.standard[level] * floor))
            for i in indicators
        ]
        for level in LEVELS
    }
    for offset, (year, result) in enumerate(entries, start=1):
        section = result.section
        school = section.school
        r = offset
        number = str(r + 1)

        def cell(c: int) -> str:
            return letters[c] + number
        sheet.write_number(r, 0, year, formats.integer)
        sheet.write_string(r, 1, section.level, formats.centre)
        sheet.write_string(r, 2, school.school_id, formats.centre)
        sheet.write_string(r, 3, school.name, formats.text)
        sheet.write_string(r, 4, school.school_type.label, formats.centre)
        sheet.write_number(r, STUDENTS_COL, section.students, formats.integer)
        marks = []
        for k, (indicator, numerator_format, factor, standard, floor_text) in enumerate(per_level[section.level]):
            value = result.values[indicator.id]
            num_col, val_col, mk_col = FIRST_NUMERATOR + k, value_col + k, mark_col + k
            sheet.write_number(r, num_col, value.numerator, numerator_format)
            numerator = cell(num_col) if factor == 1 else f"{cell(num_col)}*{factor}"
            formula = "=" + _rounded(f"{numerator}/{cell(STUDENTS_COL)}", decimals)
            sheet.write_formula(r, val_col, formula, formats.number, float(value.shown))
            sheet.write_formula(r, mk_col, f'=IF({cell(val_col)}>={standard},"√","×")',
                                ok_fmt if value.met else bad_fmt, mark(value.met))
            marks.append(f"{cell(val_col)}>={floor_text}")
        span = f"{cell(mark_col)}:{cell(mark_col + n - 1)}"
        sheet.write_formula(r, count_col, f'=COUNTIF({span},"√")', formats.integer, result.met_count)
        sheet.write_formula(r, floor_col, f'=IF(AND({",".join(marks)}),"√","×")',
                            ok_fmt if result.floor_ok else bad_fmt, mark(result.floor_ok))
        sheet.write_formula(r, result_col, f'=IF(AND({cell(count_col)}>={plan.settings.resource_min_met},'
                            f'{cell(floor_col)}="√"),"√","×")', ok_fmt if result.met else bad_fmt, mark(result.met))

        music_ok, art_ok, needed = special_rooms(school, plan.settings)
        music_rooms, art_rooms = counted_rooms(school, plan.settings)
        sheet.write_number(r, g3, school.compulsory_classes, formats.integer)
        sheet.write_number(r, g3 + 1, music_rooms, formats.integer)
        sheet.write_number(r, g3 + 2, art_rooms, formats.integer)
        sheet.write_formula(r, g3 + 3, f"=MAX(1,ROUNDUP({cell(g3)}/12,0))", formats.integer, needed)
        sheet.write_formula(r, g3 + 4, f'=IF({cell(g3 + 1)}>={cell(g3 + 3)},"√","×")', ok_fmt if music_ok else bad_fmt, mark(music_ok))
        sheet.write_formula(r, g3 + 5, f'=IF({cell(g3 + 2)}>={cell(g3 + 3)},"√","×")', ok_fmt if art_ok else bad_fmt, mark(art_ok))
        limit = size_limit(school, plan.settings)
        within = school.compulsory_students <= limit
        sheet.write_number(r, g3 + 6, school.compulsory_students, formats.integer)
        sheet.write_number(r, g3 + 7, limit, formats.integer)
        sheet.write_formula(r, g3 + 8, f'=IF({cell(g3 + 6)}<={cell(g3 + 7)},"√","×")', ok_fmt if within else bad_fmt, mark(within))
        classes = school.value(f"classes_{SECTION_KEY[section.level]}")
        oversize = school.value(f"oversize_{SECTION_KEY[section.level]}")
        sheet.write_number(r, g3 + 9, classes, formats.integer)
        sheet.write_number(r, g3 + 10, oversize, formats.integer)
        if classes:
            sheet.write_formula(r, g3 + 11, f"=({cell(g3 + 9)}-{cell(g3 + 10)})/{cell(g3 + 9)}", percent,
                                (classes - oversize) / classes)
        else:
            sheet.write_string(r, g3 + 11, "无班级", formats.centre)
        lines = 1
        for k, code in enumerate(school_ids):
            short = below.get((year, section.level, code, school.school_id))
            if short is not None:
                text = f"×{short.text}：{short.lacks}"
                sheet.write_string(r, own_col + k, text, bad_fmt)
                lines = max(lines, line_count(text, OWN_WIDTH))
            elif (year, section.level, code) in by_schools:
                sheet.write_string(r, own_col + k, "√", ok_fmt)
        if lines > 1:
            sheet.set_row(r, row_height(lines))

    last_row = len(entries)
    last_col = len(headers) - 1
    sheet.autofilter(0, 0, max(last_row, 1), last_col)
    sheet.freeze_panes(1, 4)
    widths = [6, 8, 12, fit_width([e[1].section.name for e in entries] + ["学校名称"], 12, 30),
              fit_width([e[1].section.school.school_type.label for e in entries] + ["办学类型"], 10, 20), 9]
    for col in range(len(headers)):
        sheet.set_column(col, col, widths[col] if col < len(widths) else 10 if col < own_col else OWN_WIDTH)
    _print_setup(sheet)
    groups = frozenset((year, e.section.level) for year, e in entries)
    return SchoolSheetLayout(last_row, groups, {i.id: FIRST_NUMERATOR + k for k, i in enumerate(indicators)}, result_col)


def _print_setup(sheet) -> None:
    # Too wide for one legible page: two pages across, the school columns repeated on each.
    page_setup(sheet, pages_wide=2)
    sheet.repeat_rows(0)
    sheet.repeat_columns(0, 3)

