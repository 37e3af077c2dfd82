"""The summary across districts (`<地区>义务教育优质均衡监测汇总_<年度>.xlsx`), for the city or
province supervision office: one row per district and level, colour-coded, with a chart and a
link to each district's own report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from excel_balance.atomic import atomic_path
from excel_balance.evaluate import lacking
from excel_balance.evaluate.figures import gaps_count, gaps_text, off_plan_cells
from excel_balance.evaluate.model import Evaluation
from excel_balance.evaluate.rules import Status
from excel_balance.names import child, file_name
from excel_balance.plan import LEVELS
from excel_balance.xlsx.book import document_time, new_workbook
from excel_balance.xlsx.formats import Formats

SHEET_NAME = "各区县汇总"


@dataclass(frozen=True)
class LevelSummary:
    level: str
    values: tuple[float | None, ...]  # district value of each resource indicator
    cvs: tuple[Decimal | None, ...]
    cv_ok: tuple[bool, ...]
    met: int  # sections meeting 资源配置
    total: int


@dataclass(frozen=True)
class DistrictSummary:
    """What the summary needs of one district, small enough to send back from a worker."""

    district: str
    year: int
    report: str
    counts: Counter
    certified: bool
    obstacles: int  # figures.gaps_count
    off_plan: int  # figures.off_plan_cells, counted
    indicator_ids: tuple[str, ...]
    levels: tuple[LevelSummary, ...]
    other_met: int  # G/Q/S indicator × level cells meeting the standard
    other_total: int  # … of those the plan fills


def summarise_district(evaluation: Evaluation, report: str) -> DistrictSummary:
    latest = evaluation.latest
    resource_ids = tuple(i.id for i in evaluation.plan.indicators if i.evaluation == "school_count")
    levels = []
    for level in LEVELS:
        met, total = latest.resource_count(level)
        if not total:
            continue
        items = [latest.resources[(level, i)] for i in resource_ids]
        # A figure the census lacks (an export without its supplement) is no data, not 0.
        known = [not lacking(evaluation.plan.indicator(i), level, latest.census) for i in resource_ids]
        levels.append(LevelSummary(level, tuple(v.district_value if k else None for v, k in zip(items, known)),
                                   tuple(v.cv_shown if k else None for v, k in zip(items, known)),
                                   tuple(v.cv_ok and k for v, k in zip(items, known)), met, total))
    others = [c for (ident, _), c in latest.cells.items() if ident not in resource_ids
              and c.status is not Status.NOT_APPLICABLE]
    return DistrictSummary(
        evaluation.plan.district, latest.year, report, Counter(c.status for c in latest.cells.values()),
        evaluation.verdict.certified, gaps_count(evaluation), len(off_plan_cells(evaluation)), resource_ids, tuple(levels),
        sum(bool(c.standard_met) for c in others), len(others))


def summary_name(region: str, year: int) -> str:
    return file_name(region, f"义务教育优质均衡监测汇总_{year}.xlsx")


def write_summary_workbook(outcomes, outputs: Path, region: str) -> Path:
    """outcomes: the districts' DistrictOutcome (each with its summary and output path)."""
    summaries = [(o, o.summary) for o in outcomes]
    year = max(s.year for _, s in summaries)
    target = child(outputs, summary_name(region, year))
    ids = summaries[0][1].indicator_ids
    with atomic_path(target) as tmp:
        workbook = new_workbook(tmp, f"{region}义务教育优质均衡监测汇总", document_time())
        formats = Formats(workbook)
        sheet = workbook.add_worksheet(SHEET_NAME)
        headers = ["区县", "统计年度", "学段", *[f"{i} 全区值" for i in ids], *[f"{i} 差异系数" for i in ids],
                   "资源配置达标校数", "学校（学段）数", "资源配置达标率", "政府保障、教育质量、社会认可度达标项",
                   "总体判断", "报告"]
        for col, text in enumerate(headers):
            sheet.write_string(0, col, text, formats.header)
        sheet.set_row(0, 48)
        ok, bad = formats.status(Status.TARGET_MET), formats.status(Status.BEHIND)
        percent = formats.make(font_name="宋体", font_charset=134, border=1, align="center", num_format="0.0%")
        row = 0
        n = len(ids)
        for outcome, summary in sorted(summaries, key=lambda item: item[1].district):
            for level in summary.levels:
                row += 1
                sheet.write_string(row, 0, summary.district, formats.centre)
                sheet.write_number(row, 1, summary.year, formats.integer)
                sheet.write_string(row, 2, level.level, formats.centre)
                for k, value in enumerate(level.values):
                    if value is None:
                        sheet.write_string(row, 3 + k, "—", formats.status(Status.NO_DATA))
                    else:
                        sheet.write_number(row, 3 + k, value, formats.number)
                for k, (cv, cv_ok) in enumerate(zip(level.cvs, level.cv_ok)):
                    if cv is None:
                        sheet.write_string(row, 3 + n + k, "—", formats.status(Status.NO_DATA))
                    else:
                        sheet.write_number(row, 3 + n + k, float(cv), ok if cv_ok else bad)
                col = 3 + 2 * n
                sheet.write_number(row, col, level.met, formats.integer)
                sheet.write_number(row, col + 1, level.total, formats.integer)
                sheet.write_number(row, col + 2, level.met / level.total, percent)
                sheet.write_string(row, col + 3, f"{summary.other_met}/{summary.other_total}",
                                   ok if summary.other_met == summary.other_total else bad)
                verdict = "已达到标准" if summary.certified else gaps_text(summary.obstacles)
                sheet.write_string(row, col + 4, verdict, ok if summary.certified else bad)
                link = Path(outcome.output).relative_to(outputs).as_posix() if outcome.output else summary.report
                sheet.write_url(row, col + 5, f"external:{link}", formats.centre, string="打开报告")
        last_col = len(headers) - 1
        sheet.autofilter(0, 0, max(row, 1), last_col)
        sheet.freeze_panes(1, 3)
        sheet.set_column(0, 0, 14)
        sheet.set_column(1, 2, 8)
        sheet.set_column(3, 2 + 2 * n, 9)
        sheet.set_column(3 + 2 * n, last_col - 2, 12)
        sheet.set_column(last_col - 1, last_col - 1, 24)
        sheet.set_column(last_col, last_col, 14)
        _chart(workbook, sheet, row, 3 + 2 * n + 2, last_col)
        sheet.repeat_rows(0)
        workbook.close()
    return target


def _chart(workbook, sheet, rows: int, share_col: int, last_col: int) -> None:
    """A bar chart of the share of sections meeting 资源配置, per district and level."""
    chart = workbook.add_chart({"type": "bar"})
    chart.add_series({
        "name": "资源配置达标率",
        "categories": [SHEET_NAME, 1, 0, rows, 2],
        "values": [SHEET_NAME, 1, share_col, rows, share_col],
        "data_labels": {"value": True, "num_format": "0%"},
    })
    chart.set_title({"name": "各区县资源配置达标学校占比", "name_font": {"name": "宋体", "size": 11}})
    chart.set_x_axis({"num_format": "0%", "min": 0, "max": 1})
    chart.set_legend({"none": True})
    chart.set_size({"width": 720, "height": max(300, 22 * rows + 80)})
    sheet.insert_chart(rows + 3, 0, chart)
