"""A plan document's tables as grids of cell texts, merges resolved, from Word or Excel.

Each cell of a merged range appears at every grid position it covers with the same `key`, so
the reader of the table can tell a cell merged over 小学 and 初中 from two equal cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

# The custom document property `plan --form` sets: the workbook is the plan form, whose blank cells
# are cells not yet filled in, not the blank (不适用) cells of a printed plan table.
FORM_PROPERTY = "excel-balance-plan-form"

UNSUPPORTED = {
    ".doc": "旧版 Word 文档（.doc）",
    ".wps": "WPS 文档（.wps）",
    ".pdf": "PDF 文件",
    ".et": "WPS 表格（.et）",
    ".xls": "旧版 Excel 工作簿（.xls）",
}


class DocumentError(ValueError):
    """The file cannot be read as a plan document; the message says what to do."""


@dataclass(frozen=True)
class Cell:
    text: str
    key: object  # equal for every position of one merged cell
    where: str  # 表格2 第3行 第5列, or 推进规划!E7


@dataclass
class Document:
    """The paragraphs before the first table, the tables in order, the paragraphs after."""

    before: list[str] = field(default_factory=list)
    tables: list[list[list[Cell]]] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    form: bool = False  # the plan form (FORM_PROPERTY)


def read_document(path: Path) -> Document:
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED:
        raise DocumentError(f"{path.name} 是{UNSUPPORTED[suffix]}，无法直接读取：请在 Word 或 WPS 中打开，"
                            f"“另存为” .docx（Excel 表格另存为 .xlsx）后再导入")
    if not path.is_file():
        raise DocumentError(f"找不到文件 {path}")
    if suffix == ".docx":
        return _read_docx(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise DocumentError(f"{path.name} 不是 Word（.docx）或 Excel（.xlsx）文件")


def _read_docx(path: Path) -> Document:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a damaged or foreign file
        raise DocumentError(f"{path.name} 无法作为 Word 文档打开（{exc}）") from exc
    out = Document()
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            out.tables.append(_docx_grid(block, len(out.tables) + 1))
            out.after = []  # only the paragraphs after the last table are footnotes
        elif block.text.strip():
            (out.after if out.tables else out.before).append(block.text.strip())
    if not out.tables:
        raise DocumentError(f"{path.name} 中没有表格：规划表应是 Word 表格")
    return out


def _docx_grid(table, number: int) -> list[list[Cell]]:
    # python-docx resolves gridSpan and vMerge: a merged cell is the same <w:tc> at every
    # position it covers, so the element's identity is the merge key.
    rows = []
    for r, row in enumerate(table.rows):
        rows.append([Cell(_clean(cell.text), id(cell._tc), f"表格{number} 第{r + 1}行 第{c + 1}列")
                     for c, cell in enumerate(row.cells)])
    return rows


def _read_xlsx(path: Path) -> Document:
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a damaged or foreign file
        raise DocumentError(f"{path.name} 无法作为 Excel 工作簿打开（{exc}）") from exc
    # A report holds several sheets: its 推进规划 sheet is the plan table.
    sheets = sorted(book.worksheets, key=lambda ws: ws.title != "推进规划")
    sheet = next((ws for ws in sheets if _header_row(ws) is not None), None)
    if sheet is None:
        raise DocumentError(f"{path.name} 中没有规划表：找不到表头“内容与标准”")
    origin = {}
    for merged in sheet.merged_cells.ranges:
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                origin[row, col] = (merged.min_row, merged.min_col)
    header = _header_row(sheet)
    out = Document(form=any(p.name == FORM_PROPERTY for p in book.custom_doc_props))
    _refuse_formulas(path, sheet.title, header)
    table: list[list[Cell]] = []
    for r in range(1, sheet.max_row + 1):
        cells = []
        for c in range(1, sheet.max_column + 1):
            top = origin.get((r, c), (r, c))
            cells.append(Cell(_clean(_xlsx_text(sheet.cell(*top))), top,
                              f"工作表“{sheet.title}” {get_column_letter(c)}{r}"))
        texts = [cell.text for cell in cells if cell.text]
        if r < header:
            out.before += texts[:1]
        elif not out.after and (table and not texts):
            out.after.append("")  # the blank row that ends the table
        elif out.after:
            out.after += texts[:1]
        elif texts:
            table.append(cells)
    out.tables.append(table)
    out.after = [text for text in out.after if text]
    return out


def _refuse_formulas(path: Path, title: str, header: int) -> None:
    """A plan's cells are texts as printed. A formula reads as its cached value (=43/71 as
    0.6056), or as blank when the file was never opened in Excel: neither is what was meant."""
    import openpyxl

    sheet = openpyxl.load_workbook(path)[title]
    found = [c.coordinate for row in sheet.iter_rows(min_row=header) for c in row if c.data_type == "f"]
    if found:
        shown = "、".join(found[:10]) + (f" 等 {len(found)} 格" if len(found) > 10 else "")
        raise DocumentError(f"{path.name} 工作表“{title}” {shown} 是公式：规划表的目标、现状请直接填写文字（例如 43/71、95%、达标），不要用公式")


def _xlsx_text(cell) -> str:
    """A cell's text as shown: a number formatted as a percentage (Excel turns a typed 95% into
    0.95 unless the cell is text) reads as the percentage."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in cell.number_format:
        decimals = len(cell.number_format.partition(".")[2].partition("%")[0])
        return f"{(Decimal(str(value)) * 100).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)}%"
    return str(value)


def _header_row(sheet) -> int | None:
    for row in sheet.iter_rows(max_row=min(sheet.max_row, 30)):
        if any(isinstance(cell.value, str) and cell.value.strip() == "内容与标准" for cell in row):
            return row[0].row
    return None


def _clean(text: str) -> str:
    # Word's non-breaking and full-width spaces fill cells meant to be blank.
    return "\n".join(line.strip() for line in text.replace("\xa0", " ").strip().splitlines()).strip()
