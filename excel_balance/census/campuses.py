"""The campus table (`校点归属.xlsx`, read by exports.read_campus_table): which school each
campus of an export (是否计校数 = 0) belongs to, when the export does not say. `template
--campuses` pre-fills it with the campuses the last run could not place, each with a dropdown of
the schools it may belong to."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from xlsxwriter.utility import xl_col_to_name

from excel_balance.atomic import atomic_path
from excel_balance.problems import Problem

CAMPUS_SHEET = "校点归属"
CAMPUS_HEADERS = ("校点名称", "校点标识码", "所属学校标识码", "来源")
CANDIDATE_SHEET = "候选学校"  # hidden: one column of candidate schools per campus, for the dropdowns


@dataclass(frozen=True)
class UnplacedCampus(Problem):
    """A campus no school takes: the problem said on the console, and what the form needs."""

    campus_id: str = ""
    campus_name: str = ""
    district: str = ""
    year: int = 0
    candidates: tuple[tuple[str, str], ...] = ()  # (学校标识码, 学校名称), likeliest first


def candidates(name: str, schools: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The counted schools (ID → name) a campus may belong to, the most similar names first:
    石会小学（村小校点） lists 石会小学 before the others."""
    def likeness(item):
        return -difflib.SequenceMatcher(None, name, item[1]).ratio(), item[0]
    return tuple(sorted(schools.items(), key=likeness))


def write_campus_template(target: Path, campuses: list[UnplacedCampus] = ()) -> Path:
    from excel_balance.xlsx.book import document_time, new_workbook
    from excel_balance.xlsx.formats import Formats

    with atomic_path(target) as tmp:
        workbook = new_workbook(tmp, "校点归属表", document_time())
        formats = Formats(workbook)
        sheet = workbook.add_worksheet(CAMPUS_SHEET)
        for col, title in enumerate(CAMPUS_HEADERS):
            sheet.write_string(0, col, title, formats.header)
            sheet.set_column(col, col, (26, 16, 34, 40)[col])
        sheet.write_comment(0, 2, "导出中“是否计校数”为0的校点，所属学校的10位标识码（可从下拉列表选择）")
        sheet.repeat_rows(0)
        if campuses:
            listing = workbook.add_worksheet(CANDIDATE_SHEET)
            for row, campus in enumerate(campuses, start=1):
                sheet.write_string(row, 0, campus.campus_name, formats.text)
                sheet.write_string(row, 1, campus.campus_id, formats.centre)
                sheet.write_blank(row, 2, None, formats.text)
                sheet.write_string(row, 3, f"{campus.district}{campus.year}年 {campus.file} {campus.where}", formats.text)
                for n, (school_id, name) in enumerate(campus.candidates):
                    listing.write_string(n, row - 1, f"{school_id} {name}")
                if campus.candidates:
                    column = xl_col_to_name(row - 1)
                    sheet.data_validation(row, 2, row, 2, {
                        "validate": "list", "source": f"={CANDIDATE_SHEET}!${column}$1:${column}${len(campus.candidates)}",
                        "error_type": "warning", "error_title": "所属学校",
                        "error_message": "不在该校点所在区县、年度的学校中：请核对学校标识码"})
            listing.hide()
        workbook.close()
    return target

