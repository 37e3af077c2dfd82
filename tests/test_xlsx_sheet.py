"""FastSheet and ClassicFormulaSheet write the very bytes XlsxWriter's own worksheet writes.

The same cells — every kind the fast path takes (formatted numbers, shared strings, formulas with
a number, bool, text, error or blank result, XML-special characters) and every kind it hands
back to XlsxWriter (NaN and infinity, unformatted cells, blanks, booleans, dates, rich strings,
array formulas, row formats, comments) — written once through each class; each sheet's XML part
must be equal.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

import pytest
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from excel_balance.xlsx.formats import ClassicFormulaSheet
from excel_balance.xlsx.sheet import FastSheet


def _fill(workbook, sheet) -> None:
    bold, money = workbook.add_format({"bold": True}), workbook.add_format({"num_format": "0.00"})
    row_format = workbook.add_format({"italic": True})
    sheet.write_number(0, 0, 3, bold)
    sheet.write_number(0, 1, 0.1, money)
    sheet.write_number(0, 2, 1e20, money)
    sheet.write_number(0, 3, -2.5e-7, bold)
    sheet.write_number(0, 4, 12345678901234567, bold)
    sheet.write_number(0, 5, 7)  # unformatted
    sheet.write_number(0, 6, float("nan"), bold)
    sheet.write_number(0, 7, float("-inf"), money)
    sheet.write_number(0, 8, Decimal("2.50"), money)
    sheet.write_string(1, 0, "学校 & <名称> \"引号\"", bold)
    sheet.write_string(1, 1, " 前后空格 ", bold)
    sheet.write_string(1, 2, "控制\x07字符_x0041_", money)
    sheet.write_string(1, 3, "未设格式")
    sheet.write_formula(2, 0, "=A1*2", bold, 6)
    sheet.write_formula(2, 1, '=IF(A1>2,"√","×")', bold, "√")
    sheet.write_formula(2, 2, '=IF(A1>2,"a&b<c>","")', bold, "a&b<c>")
    sheet.write_formula(2, 3, "=A1>2", bold, True)
    sheet.write_formula(2, 4, "=A1<2", bold, False)
    sheet.write_formula(2, 5, "=1/0", bold, "#DIV/0!")
    sheet.write_formula(2, 6, "=A1", bold, "")
    sheet.write_formula(2, 7, "=A1", bold, 0.30000000000000004)
    sheet.write_formula(2, 8, "SUM(A1:B1)", bold)  # no "=", default result
    sheet.write_formula(2, 9, "=A1")  # unformatted
    sheet.write_array_formula(3, 0, 3, 1, "{=A1:B1*2}", bold, 6)
    sheet.write_blank(4, 0, None, bold)
    sheet.write_boolean(4, 1, True, bold)
    sheet.write_datetime(4, 2, dt.datetime(2022, 9, 1), workbook.add_format({"num_format": "yyyy-mm-dd"}))
    sheet.write_rich_string(4, 3, "普通", bold, "加粗", money)
    sheet.set_row(5, 30, row_format)
    sheet.write_number(5, 0, 1)  # takes the row's format
    sheet.write_number(5, 40, 2, bold)  # another span
    sheet.set_row(7, 24)  # a row with attributes only
    sheet.write_comment(9, 2, "批注")
    for row in range(20, 60):  # several 16-row span blocks
        sheet.write_number(row, row % 7, row, money)
        sheet.write_formula(row, 8, f"=A{row + 1}+1", bold, row + 1)
    sheet.write_string(30, 3, "学校 & <名称> \"引号\"", bold)  # a repeated shared string


def _sheet_xml(tmp_path, name: str, worksheet_class) -> bytes:
    path = tmp_path / f"{name}.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True, "nan_inf_to_errors": True})
    _fill(workbook, workbook.add_worksheet("表", worksheet_class=worksheet_class))
    workbook.close()
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("fast", [FastSheet, ClassicFormulaSheet])
def test_same_xml_as_xlsxwriter(tmp_path, fast):
    plain = _sheet_xml(tmp_path, "plain", Worksheet)
    assert b'<c r="C3" s="1" t="str"><f>IF(A1&gt;2,"a&amp;b&lt;c&gt;","")</f><v>a&amp;b&lt;c&gt;</v></c>' in plain
    assert b'<c r="D3" s="1" t="b"><f>A1&gt;2</f><v>1</v></c>' in plain
    assert _sheet_xml(tmp_path, "fast", fast) == plain
