"""Every workbook the tool writes, as Excel and WPS users print and audit it: the shared print
setup, repeated header rows that belong to the table under them, 年度趋势's pages and chart
caches, OOXML validity (openxml-audit), and the stages' import boundary.

The sample run is the bundled sample (four years of 黔江区, `make run`), a city file of three
districts (the summary workbook), and the forms: template, corrections, campus table, supplement,
plan form.
"""

from __future__ import annotations

import ast
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from openxml_audit import FileFormat, OpenXmlValidator

import excel_balance
from excel_balance import workflow
from excel_balance.census.corrections import write_corrections_template
from excel_balance.census.campuses import UnplacedCampus, write_campus_template
from excel_balance.census.exports import read_export, write_supplement
from excel_balance.census.template import write_template
from excel_balance.report.plan_form import write_plan_form
from excel_balance.report.plan_workbook import write_plan_workbook
from tests.census_data import clean_recorded
from tests.export_data import export_schools, write_export
from tests.test_districts import DISTRICTS, district_rows

REPO = Path(__file__).resolve().parent.parent
HEADER_FILL = "FFD9E1F2"
FOOTER = ("&A", "第 &P 页，共 &N 页")
# A3 landscape is 297 mm = 841.89 pt tall; the margins are 0.5 in at the top and 0.6 in at the bottom.
PRINTABLE_HEIGHT = 841.89 - (0.5 + 0.6) * 72  # 762.69 pt at 100 %
NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}


@pytest.fixture(scope="module")
def written(tmp_path_factory, qianjiang) -> dict[str, Path]:
    """Every kind of workbook the tool writes, by a short name."""
    root = tmp_path_factory.mktemp("written")
    inputs = root / "inputs"
    inputs.mkdir()
    for sample in (REPO / "inputs").glob("*.xlsx"):
        shutil.copy(sample, inputs)
    report = workflow.run(inputs, root / "outputs")
    books = {"report": report.districts[0].output}
    books.update({f"unit {p.stem}": p for p in sorted(report.districts[0].unit_folder.glob("*.xlsx"))})
    city = root / "city"
    city.mkdir()
    rows = [r for n, d in enumerate(DISTRICTS, start=1) for r in district_rows(d, n)]
    write_template(city / "2022年全市统计.xlsx", qianjiang, year=2022, schools=rows, recorded=clean_recorded())
    books["summary"] = workflow.run(city, root / "city_outputs").summary_workbook
    books["one year"] = root / "city_outputs" / "黔江区义务教育优质均衡推进情况_2022.xlsx"
    books["plan"] = write_plan_workbook(qianjiang, root / "规划表.xlsx")
    books["plan form"] = write_plan_form(root / "规划填写.xlsx", "青山县", [2025, 2026, 2027], 2024)
    books["template"] = write_template(root / "template.xlsx", qianjiang, year=2022)
    books["corrections"] = write_corrections_template(root / "修正.xlsx")
    books["campuses"] = write_campus_template(root / "校点归属.xlsx")
    unplaced = UnplacedCampus("2022小学基层表.xlsx", "基层表!第13行", "", campus_id="0500114088",
                              campus_name="石会小学（村小校点）", district="黔江区", year=2022,
                              candidates=(("0500114002", "石会小学"), ("0500114001", "城南小学")))
    books["campuses filled"] = write_campus_template(root / "校点归属（预填）.xlsx", [unplaced])
    exports = [write_export(root / "2022小学基层表.xlsx", "小学", export_schools()),
               write_export(root / "2022中学基层表.xlsx", "初中", export_schools())]
    sheets = [s for p in exports for s in read_export(p)]
    books["supplement"] = write_supplement(root / "补充数据.xlsx", sheets, qianjiang)
    assert all(p.exists() for p in books.values()), books
    return books


@pytest.fixture(scope="module")
def opened(written) -> dict[str, openpyxl.Workbook]:
    return {name: openpyxl.load_workbook(path) for name, path in written.items()}


def test_every_workbook_passes_openxml_audit(written, tmp_path):
    validator = OpenXmlValidator(file_format=FileFormat.OFFICE_2010)
    for name, path in written.items():
        result = validator.validate(path)
        assert result.is_valid and result.error_count == 0, (name, [str(e) for e in result.errors[:5]])
    # The audit reads the sheets themselves: a page setup Excel would reject is caught.
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(written["campuses"]) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'paperSize="8"', b'paperSize="A3"')
            target.writestr(item, data)
    errors = [str(e) for e in validator.validate(broken).errors]
    assert len(errors) == 1 and "paperSize" in errors[0]


def test_every_sheet_prints_a3_landscape_one_page_wide_with_page_numbers(opened):
    sheets = 0
    for name, book in opened.items():
        for sheet in book.worksheets:
            setup = sheet.page_setup
            where = (name, sheet.title)
            assert (setup.paperSize, setup.orientation) == (8, "landscape"), where
            assert sheet.sheet_properties.pageSetUpPr.fitToPage, where
            # 学校明细 is two pages wide (legible type), 总览 one page; an absent fitToWidth or
            # fitToHeight is OOXML's 1.
            pages = {"学校明细": (2, 0), "总览": (1, 1)}.get(sheet.title, (1, 0))
            assert (setup.fitToWidth or 1, 1 if setup.fitToHeight is None else setup.fitToHeight) == pages, where
            assert (sheet.page_margins.top, sheet.page_margins.bottom) == (0.5, 0.6), where
            assert (sheet.oddFooter.left.text, sheet.oddFooter.center.text) == FOOTER, where
            sheets += 1
    # The report, 11 unit workbooks, the summary, a one-year report (each report and unit workbook
    # with its 总览), the plan, the plan form (推进规划, 填报说明), template, corrections (修正,
    # 填报说明, the hidden 字段 list), campus table, one pre-filled (with its hidden 候选学校) and
    # supplement.
    assert sheets == 12 + 11 * 6 + 1 + 12 + 1 + 2 + 3 + 3 + 1 + 2 + 3


# The rows each sheet repeats on every printed page: the header of its (one) table.
REPEATED = {
    "推进规划": "$5:$7",  # below the title, the verdict and the legend
    "学校明细": "$1:$1", "差异系数": "$1:$1", "区级指标测算": "$1:$1", "缺口测算": "$1:$1", "各校缺口": "$2:$2", "攻坚清单": "$1:$1",
    "学校变动": "$1:$1", "责任单位": "$1:$1", "年度趋势": "$1:$1", "各区县汇总": "$1:$1",
    "学校": "$1:$1", "区级指标": "$1:$1", "修正": "$1:$1", "校点归属": "$1:$1", "补充数据": "$1:$1",
    "数据说明": None, "填报说明": None,  # sections of notes, no table header to repeat
    "总览": None,  # one page
    "字段": None, "候选学校": None,  # the hidden lists of the forms' dropdowns
    ("plan", "推进规划"): "$3:$5",  # the plan alone: below its label and title
    ("plan form", "推进规划"): "$3:$5",  # below the notice and the title
    # a city's district with a few sections: two notes (sections against the plan's 71 and 23) above
    ("one year", "推进规划"): "$7:$9",
}
HEADER_FILLS = {HEADER_FILL, "FFEDEDED"}  # the template's optional columns are grey


def test_repeated_rows_are_the_header_of_the_table_printed_under_them(opened):
    for name, book in opened.items():
        for sheet in book.worksheets:
            where = (name, sheet.title)
            assert sheet.print_title_rows == REPEATED.get((name, sheet.title), REPEATED[sheet.title]), where
            if sheet.print_title_rows is None:
                continue
            first, last = (int(part.strip("$")) for part in sheet.print_title_rows.split(":"))
            fills = [{c.fill.fgColor.rgb for c in sheet[r]} for r in range(1, sheet.max_row + 1)]
            # The repeated rows are header rows, every one of them ...
            assert all(fills[r - 1] & HEADER_FILLS for r in range(first, last + 1)), where
            # ... and no other table's header follows under them (缺口测算 had one: school names printed
            # under 未达标学校数 on its later pages).
            assert not [r for r in range(last + 1, sheet.max_row + 1) if fills[r - 1] & HEADER_FILLS], where
    gaps = opened["report"]
    assert [c.value for c in gaps["缺口测算"][1]][:6] == ["学段", "指标", "未达标学校数", "缺口合计", "单位", "牵头单位"]
    assert [c.value for c in gaps["各校缺口"][2]][:4] == ["学段", "学校标识码", "学校名称", "R1缺口（人）"]


def test_no_stage_imports_a_later_one():
    """census comes before every other stage (what check and evaluation both need sits in census);
    delivery uses the workbook kit, not report; the kit imports no stage."""
    package = Path(excel_balance.__file__).parent
    forbidden = {"census": ("excel_balance.evaluate", "excel_balance.report", "excel_balance.delivery",
                            "excel_balance.workflow"),
                 "delivery": ("excel_balance.report",),
                 "xlsx": ("excel_balance.census", "excel_balance.evaluate", "excel_balance.report",
                          "excel_balance.delivery", "excel_balance.plan", "excel_balance.workflow")}
    checked = 0
    for folder, prefixes in forbidden.items():
        for module in sorted((package / folder).glob("*.py")):
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):  # function-level imports too
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                for imported in names:
                    assert not imported.startswith(prefixes), f"{folder}/{module.name} imports {imported}"
            checked += 1
    assert checked >= 10 + 4 + 4


# --- 年度趋势 ---------------------------------------------------------------------------------------


def _sheet_part(book: zipfile.ZipFile, name: str) -> str:
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    rel_id = next(s.get(f"{{{NS['r']}}}id") for s in workbook.iter(f"{{{NS['main']}}}sheet") if s.get("name") == name)
    return "xl/" + next(r.get("Target") for r in rels if r.get("Id") == rel_id)


def _related(book: zipfile.ZipFile, part: str) -> list[str]:
    folder, file = part.rsplit("/", 1)
    rels = ElementTree.fromstring(book.read(f"{folder}/_rels/{file}.rels"))
    return [_join(folder, r.get("Target")) for r in rels]


def _join(folder: str, target: str) -> str:
    parts = folder.split("/")
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


def chart_anchors(path: Path, sheet: str) -> list[tuple[int, int]]:
    """(first row, last row), 0-based, of each chart drawn on the sheet."""
    with zipfile.ZipFile(path) as book:
        drawing = next(p for p in _related(book, _sheet_part(book, sheet)) if "drawings/" in p)
        root = ElementTree.fromstring(book.read(drawing))
    return [(int(a.find("xdr:from/xdr:row", NS).text), int(a.find("xdr:to/xdr:row", NS).text))
            for a in root.findall("xdr:twoCellAnchor", NS)]


def chart_caches(path: Path) -> list[tuple[str, dict[int, float]]]:
    """(values reference, cached points by index) of every series of every chart."""
    series = []
    with zipfile.ZipFile(path) as book:
        for part in sorted(n for n in book.namelist() if n.startswith("xl/charts/chart")):
            for values in ElementTree.fromstring(book.read(part)).iter(f"{{{NS['c']}}}val"):
                ref = values.find("c:numRef/c:f", NS).text
                points = {int(p.get("idx")): float(p.find("c:v", NS).text)
                          for p in values.findall("c:numRef/c:numCache/c:pt", NS)}
                series.append((ref, points))
    return series


def test_trend_pages_break_between_chart_bands_and_fit_a3_at_full_scale(written, opened):
    path = written["report"]
    sheet = opened["report"]["年度趋势"]
    breaks = [b.id for b in sheet.row_breaks.brk]
    # 68 table rows (34 indicator-levels × actual and target, G3 music and art apart) under the header:
    # page 1 takes the header and 48 rows (49 × 15 pt = 735 pt; two more would be 765); page 2 the other
    # 20 rows, the two blank rows and the first band of charts (16 rows); then three bands (720 pt +
    # the repeated header) per page, 11 bands for 32 charts.
    assert breaks == [49, 87, 135, 183, 231]
    anchors = chart_anchors(path, "年度趋势")
    assert len(anchors) == 32
    crossing = [(first, last, b) for first, last in anchors for b in breaks if first < b <= last]
    assert crossing == []
    default = sheet.sheet_format.defaultRowHeight

    def height(row: int) -> float:  # 0-based
        dimension = sheet.row_dimensions.get(row + 1)
        return dimension.height if dimension is not None and dimension.height is not None else default

    last_row = max(max(last for _, last in anchors), sheet.max_row - 1)
    starts = [0, *breaks]
    ends = [*breaks, last_row + 1]
    for page, (start, end) in enumerate(zip(starts, ends)):
        used = sum(height(r) for r in range(start, end)) + (height(0) if page else 0.0)
        assert used <= PRINTABLE_HEIGHT, (page + 1, used)
    assert sheet.print_title_rows == "$1:$1" and height(0) == 15


def test_trend_charts_cache_no_point_for_a_blank_cell(written):
    path = written["report"]
    cached = openpyxl.load_workbook(path, data_only=True)  # 总览's shares are formulas
    blank = 0
    sheets = []
    for ref, points in chart_caches(path):
        name, cells_ref = ref.split("!")
        sheets.append(name.strip("'"))
        cells = cached[name.strip("'")][cells_ref.replace("$", "")][0]
        for idx, cell in enumerate(cells):
            if cell.value is None:
                assert idx not in points, (ref, cell.coordinate)
                blank += 1
            else:
                assert points[idx] == pytest.approx(cell.value), (ref, cell.coordinate)
    # 34 target series have no 2019 target; 34 actual series no 2023 and 2024 figures yet. 总览's
    # chart (its shares per level, formulas cached with their values) has a point for every year.
    assert blank == 34 + 34 * 2
    assert sheets.count("总览") == 2 and len(sheets) == 68 + 2  # 年度趋势: 68 series (see above)


def test_one_year_trend_note_is_whole(opened):
    sheet = opened["one year"]["年度趋势"]
    note = next(c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("只有"))
    assert note.value == "只有一个年度的统计报表，暂无趋势图；放入往年的报表后会画出各指标的逐年变化。"
    # Merged across the table (指标, 学段, 系列 and one column per year, 2019–2024) so it is not cut.
    assert f"A{note.row}:I{note.row}" in {str(r) for r in sheet.merged_cells.ranges}
    assert not list(sheet._charts)
