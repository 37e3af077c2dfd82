"""A plan table (grids from tables.py) → a plan document (the dict a plan YAML file holds).

Columns are found from the header (指标名称, 内容与标准, 现状 or its label, one pair of 小学/初中
columns per year, 责任单位); each body row is matched to one of the 32 national indicators of
templates/plans/national.yaml, whose evaluation, measure and standard it takes, except where the
district's text states another standard. Everything recognised and every problem is recorded.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher

from excel_balance import yamltext
from excel_balance.plan import LEVELS, TargetSyntaxError, expects_nothing, parse_target
from excel_balance.plan_import.tables import Cell, Document
from excel_balance.resources import template_path

NOT_APPLICABLE = "不适用"  # what the plan form prints in a cell the national plan leaves blank
# A target of each kind of evaluation, as the plan form's messages and instructions show them.
TARGET_EXAMPLES = {"school_count": "43/71", "paired_count": "音乐30/71，美术26/71", "percent": "95%",
                   "number": "年均90学时以上", "qualitative": "达标"}
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_COLUMN = re.compile(r"\s*((?:19|20)\d{2})\s*年?(?:度)?\s*")
_NUMBER = re.compile(r"^\s*(\d+)\s*[.．、]\s*")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(%|％|学时|人|元|平方米|间)")
_UNIT_SPLIT = re.compile(r"[\s、，,；;]+")
_STUDY_YEAR = re.compile(r"((?:19|20)\d{2})\s*[—－–-]+\s*(?:19|20)\d{2}\s*学年")
# Evaluations tried, in order, when a row's targets do not read as the national one.
_FALLBACKS = ("percent", "number", "qualitative")
MATCH_THRESHOLD = 0.6


@dataclass
class Imported:
    """What the import made of the document: the plan (None when unusable) and what it saw."""

    doc: dict | None = None
    recognised: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, message)
    notes: dict[str, list[str]] = field(default_factory=dict)  # indicator id → comment lines

    def problem(self, where: str, message: str) -> None:
        self.problems.append((where, message))


@dataclass(frozen=True)
class Columns:
    area: int
    text: int
    units: int
    baseline: tuple[int, int]
    years: dict[int, tuple[int, int]]
    baseline_label: str


def target_example(text: str, evaluation: str) -> str:
    """What a target of this indicator looks like, for prompts and messages (无过重课业负担: 无)."""
    return "无" if evaluation == "qualitative" and expects_nothing(text) else TARGET_EXAMPLES[evaluation]


def _national() -> dict:
    path = template_path("plans", "national.yaml")
    return yamltext.load(path.read_text(encoding="utf-8-sig"))


def build_plan(document: Document, baseline_year: int | None = None) -> Imported:
    result = Imported()
    national = _national()
    header, body = _split_header(document.tables, result)
    columns = _columns(header, result) if header else None
    if columns is None:
        if header:
            result.problem(header[0][0].where, "表头中找不到“指标名称”“内容与标准”“责任单位”和各年度的小学、初中列")
        return result
    label, title = _title(document.before)
    district = _district(title)
    if not district:
        result.problem("表格之前的标题", "找不到区县名称：标题应以区县开头，例如“某某县创建全国义务教育优质均衡发展县推进规划”")
    footnote_title, footnotes = _footnotes(document.after)
    year = baseline_year or _baseline_year(columns.baseline_label, footnotes)
    years = sorted(columns.years)
    _check_years(year, years, header, result)
    rows = _body_rows(body, columns)
    indicators, areas, measures = _indicators(rows, columns, national, result, document.form)
    result.recognised[:0] = [f"区县：{district or '（未找到）'}；标题：{title or '（未找到）'}",
                             f"现状年度：{year or '（未找到）'}；规划年度：{'、'.join(map(str, years))}",
                             f"识别指标 {len(indicators)} 项（共 {len(national['indicators'])} 项国家指标），各项责任单位："]
    missing = [i["id"] for i in national["indicators"] if i["id"] not in {x["id"] for x in indicators}]
    if missing:
        result.problem("规划表", f"缺少国家指标 {'、'.join(missing)} 的行")
    order = {i["id"]: n for n, i in enumerate(national["indicators"])}
    indicators.sort(key=lambda i: order[i["id"]])
    result.doc = {
        "district": district or "",
        "title": title or "",
        **({"label": label} if label else {}),
        "baseline_year": year,
        "plan_years": years,
        "baseline_label": columns.baseline_label,
        "settings": national["settings"],
        "census_aliases": {},
        **({"measures": measures} if measures else {}),
        "areas": [{"name": a["name"], "text": areas[a["name"]]} for a in national["areas"] if a["name"] in areas],
        "footnote_title": footnote_title,
        "footnotes": footnotes,
        "vetoes": _vetoes(footnotes) or national["vetoes"],
        "indicators": indicators,
    }
    return result


def _check_years(year: int | None, years: list[int], header, result: Imported) -> None:
    if year is None:
        result.problem("表头“现状”", "表头和说明中都没有写明现状年度：请用 --baseline-year 指定（例如 --baseline-year 2021）")
    elif years and year >= years[0]:
        result.problem("表头“现状”", f"现状年度 {year} 应早于第一个规划年度 {years[0]}")
    gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years)) if years else []
    if gaps or not years:
        missing = f"缺少{'、'.join(map(str, gaps))}年的小学、初中列" if gaps else "没有年度目标列（例如“2022年”下分小学、初中）"
        result.problem(header[1][0].where if len(header) > 1 else "表头", f"表头{missing}")


def _split_header(tables: list[list[list[Cell]]], result: Imported):
    """The header rows of the first table, and every body row of every table (a continued table
    may repeat the header)."""
    header, body = [], []
    for number, table in enumerate(tables, 1):
        end = _header_end(table)
        if end is None and number == 1:
            where = table[0][0].where if table and table[0] else f"表格{number}"
            result.problem(where, "找不到表头：规划表第一行应有“指标名称”“内容与标准”等，第三行为小学、初中")
            return [], []
        if end is not None:
            header = header or table[:end]
        body += table[end or 0:]
    return header, body


def _header_end(table) -> int | None:
    if not any(cell.text == "内容与标准" for cell in (table[0] if table else [])):
        return None
    for r, row in enumerate(table):
        if sum(cell.text in LEVELS for cell in row) >= 2:
            return r + 1
    return None


def _columns(header: list[list[Cell]], result: Imported) -> Columns | None:
    width = len(header[0])
    roles: dict[str, int] = {}
    levels: dict[tuple[str, str], int] = {}  # (group, level) → column
    baseline_label = "现状"
    for c in range(width):
        texts = list(dict.fromkeys(row[c].text for row in header if c < len(row) and row[c].text))
        joined = " ".join(texts)
        if "指标名称" in joined:
            roles["area"] = c
        elif "内容与标准" in joined:
            roles["text"] = c
        elif "责任单位" in joined:
            roles["units"] = c
        elif texts and texts[-1] in LEVELS:
            year = next((m[1] for t in texts if (m := _YEAR_COLUMN.fullmatch(t))), None)
            group = year or "baseline"
            if group == "baseline" and (group, texts[-1]) in levels:  # a second column without a year
                result.problem(header[max(len(header) - 2, 0)][c].where, f"表头“{'／'.join(texts[:-1])}”不是年度（应为“2022年”这样的年份）")
                continue
            if group == "baseline":
                baseline_label = texts[0] if texts[0] not in LEVELS else baseline_label
            levels[group, texts[-1]] = c
    if len(roles) < 3 or ("baseline", LEVELS[0]) not in levels:
        return None
    pairs = {}
    for (group, level), c in levels.items():
        pairs.setdefault(group, {})[level] = c
    for group, found in pairs.items():
        if len(found) < 2:
            result.problem(header[-1][next(iter(found.values()))].where, f"{group}年缺少小学或初中列")
    years = {int(g): (p[LEVELS[0]], p[LEVELS[1]]) for g, p in pairs.items() if g != "baseline" and len(p) == 2}
    base = pairs["baseline"]
    return Columns(roles["area"], roles["text"], roles["units"],
                   (base.get(LEVELS[0]), base.get(LEVELS[1], base.get(LEVELS[0]))), years, baseline_label)


# Lines a report's 推进规划 sheet prints above the plan's own title (progress_sheet.py): banners for
# sample data and vetoes, notes on section counts, the verdict and the legend.
_REPORT_LINES = ("注意：", "否决情形：", "注：", "总体判断", "图例")


def _title(before: list[str]) -> tuple[str, str]:
    label = next((p for p in before if re.fullmatch(r"附\s*件\s*\d*", p)), "")
    lines = [p for p in before if p != label and not p.startswith(_REPORT_LINES)]
    title = next((p for p in lines if "规划" in p), next(iter(lines), ""))
    return label, title


_AFTER_DISTRICT = "(?:创建|义务教育|推进|关于|人民政府)"
_DISTRICT = re.compile(rf"(?:.*?[省市](?!{_AFTER_DISTRICT}))?(.+?(?:自治县|自治旗|区|县|市|旗))(?={_AFTER_DISTRICT})")


def _district(title: str) -> str:
    """The district the title begins with, without its province or city (重庆市黔江区 → 黔江区),
    as census files name it."""
    match = _DISTRICT.match(title) or re.match(r"(.+?(?:自治县|自治旗|区|县|市|旗))", title)
    return match[1] if match else ""


def _footnotes(after: list[str]) -> tuple[str, list[str]]:
    if after and re.fullmatch(r"(说明|注)\s*[：:]?", after[0]):
        return after[0], after[1:]
    return "说明：", after


def _baseline_year(label: str, footnotes: list[str]) -> int | None:
    if match := _YEAR.search(label) or re.search(r"(?:19|20)\d{2}", label):
        return int(match[1] if match.lastindex else match[0])
    for note in footnotes:
        if match := _STUDY_YEAR.search(note):
            return int(match[1])
    return None


def _vetoes(footnotes: list[str]) -> list[dict]:
    for note in footnotes:
        if "不予认定" in note and "：" in note:
            items = [s.strip(" 。.") for s in note.split("：", 1)[1].split("；")]
            return [{"id": f"V{n}", "text": s} for n, s in enumerate((s for s in items if s), 1)]
    return []


def _body_rows(body: list[list[Cell]], columns: Columns) -> list[list[Cell]]:
    """Indicator rows: a text in 内容与标准, not a report's 实际 row, not a repeated header."""
    return [row for row in body if len(row) > columns.units and row[columns.text].text
            and row[columns.text].text not in ("实际", "内容与标准")]


def _normal(text: str) -> str:
    # 县/区 and 县级/区级 are interchangeable: the national text says 县, a district's 区.
    text = _NUMBER.sub("", text).replace("区", "县")
    return re.sub(r"[\s，。、；：,.;:（）()]", "", text)


def _score(row_text: str, row_area: str, indicator: dict, position: int) -> float:
    ratio = SequenceMatcher(None, _normal(row_text), _normal(indicator["text"]), autojunk=False).ratio()
    number = _NUMBER.match(row_text)
    bonus = 0.1 if number and int(number[1]) == position else 0.0
    return ratio + bonus + (0.15 if row_area.startswith(indicator["area"]) else 0.0)


def _indicators(rows, columns: Columns, national: dict, result: Imported, form: bool = False):
    positions, counts = {}, {}  # each indicator's number within its area, as printed (G9 → 9)
    for ind in national["indicators"]:
        counts[ind["area"]] = positions[ind["id"]] = counts.get(ind["area"], 0) + 1
    scores = sorted(((_score(row[columns.text].text, row[columns.area].text, ind, positions[ind["id"]]), r, ind["id"])
                     for r, row in enumerate(rows) for ind in national["indicators"]), reverse=True)
    chosen: dict[int, str] = {}
    for score, r, ident in scores:
        if score >= MATCH_THRESHOLD and r not in chosen and ident not in chosen.values():
            chosen[r] = ident
    by_id = {i["id"]: i for i in national["indicators"]}
    indicators, areas = [], {}
    measures = {}
    for r, row in enumerate(rows):
        if r not in chosen:
            result.problem(row[columns.text].where, f"“{row[columns.text].text[:30]}”不能对应到32项国家指标中的任何一项")
            continue
        base = by_id[chosen[r]]
        areas.setdefault(base["area"], row[columns.area].text or base["area"])
        indicator, measure = _indicator(row, columns, base, result, form)
        indicators.append(indicator)
        if measure:
            measures[base["id"]] = measure
    return indicators, areas, measures


def _pair(row: list[Cell], cols: tuple[int, int]) -> tuple[bool, dict[str, str | None]]:
    first, second = row[cols[0]], row[cols[1]]
    merged = first.key == second.key
    return merged, {LEVELS[0]: first.text or None, LEVELS[1]: None if merged else second.text or None}


def _indicator(row: list[Cell], columns: Columns, base: dict, result: Imported,
               form: bool = False) -> tuple[dict, dict | None]:
    ident = base["id"]
    text = row[columns.text].text
    pairs = {year: _pair(row, cols) for year, cols in [(None, columns.baseline), *columns.years.items()]}
    if form:
        _form_cells(row, columns, base, pairs, result)
    merged = all(m for m, _ in pairs.values())
    if not merged and any(m for m, _ in pairs.values()):
        result.problem(row[columns.text].where, f"{ident} 有的年度两学段合并、有的分开：请统一")
    indicator = {k: copy.deepcopy(v) for k, v in base.items() if k not in ("targets", "units", "baseline", "text")}
    indicator["text"] = text
    indicator["levels"] = "merged" if merged else "split"

    def cells(texts):
        return texts[LEVELS[0]] if merged else texts

    indicator["baseline"] = cells(pairs[None][1])
    indicator["targets"] = {year: cells(pairs[year][1]) for year in sorted(columns.years)}
    units = [u for u in _UNIT_SPLIT.split(row[columns.units].text) if u]
    if not units:
        result.problem(row[columns.units].where, f"{ident} 没有责任单位")
    indicator["units"] = units
    result.recognised.append(f"{ident}：{'、'.join(units)}")
    measure = _standard_from_text(indicator, base, result)
    measure = _evaluation_from_targets(indicator, row, columns, result) or measure
    return _ordered(indicator), measure


def _form_cells(row: list[Cell], columns: Columns, base: dict, pairs, result: Imported) -> None:
    """The plan form's cells are all to be filled, but for the level the national plan leaves blank
    (G6 初中, Q1 小学), printed 不适用, and the 初中 half of a merged row: those are None."""
    national = base["baseline"] if isinstance(base["baseline"], dict) else {}
    for year, cols in [(None, columns.baseline), *columns.years.items()]:
        merged, texts = pairs[year]
        what = f"{year}年目标" if year else "现状"
        for level, col in zip(LEVELS[:1] if merged else LEVELS, cols):
            text, where = texts[level], row[col].where
            name = f"{base['id']} {what}{'' if merged else level}"
            if level in national and national[level] is None:
                if text not in (None, NOT_APPLICABLE):
                    result.problem(where, f"{name}应为“{NOT_APPLICABLE}”：该项不涉及{level}")
                texts[level] = None
            elif text is None:
                how = f"例如 {target_example(base['text'], base['evaluation'])}" if year else "按实际情况"
                result.problem(where, f"{name}未填写：请填写（{how}，见“填报说明”）")
            elif text == NOT_APPLICABLE:
                result.problem(where, f"{name}不能填“{NOT_APPLICABLE}”：该项小学、初中都要填写")


def _ordered(indicator: dict) -> dict:
    keys = ("id", "area", "text", "evaluation", "measure", "unit", "display_decimals", "standard", "levels",
            "baseline", "targets", "units")
    return {k: indicator[k] for k in keys if k in indicator}


def _standard_from_text(indicator: dict, base: dict, result: Imported) -> dict | None:
    """A standard the district states differently (60% where the nation says 50%) replaces the
    national one; returns the district's measure when the national measure carries that value."""
    own = _AMOUNT.findall(indicator["text"])
    national = _AMOUNT.findall(base["text"])
    if len(own) != len(national) or own == national:
        return None
    changes = {Decimal(n[0]): Decimal(o[0]) for o, n in zip(own, national) if o != n and o[1] == n[1]}
    for (o_value, o_unit), (n_value, n_unit) in zip(own, national):
        if (o_value, o_unit) != (n_value, n_unit):
            line = f"{base['id']}：本规划“{o_value}{o_unit}”，国家标准“{n_value}{n_unit}”"
            result.differences.append(line)
            result.notes.setdefault(base["id"], []).append(f"与国家标准不同：{line.split('：', 1)[1]}")
    standard = indicator.get("standard")
    if isinstance(standard, dict):
        indicator["standard"] = {k: _replace(v, changes) for k, v in standard.items()}
    elif standard is not None:
        indicator["standard"] = _replace(standard, changes)
    measures = yamltext.load(template_path("measures", "national.yaml").read_text(encoding="utf-8-sig"))
    measure = measures.get(base["id"])
    if not measure:
        return None
    changed = copy.deepcopy(measure)
    for part in changed.get("parts", []):
        if "at_least" in part:
            part["at_least"] = _replace(part["at_least"], changes)
    return changed if changed != measure else None


def _replace(value, changes: dict[Decimal, Decimal]):
    if isinstance(value, dict):
        return {k: _replace(v, changes) for k, v in value.items()}
    new = changes.get(Decimal(str(value))) if isinstance(value, (int, float)) else None
    return value if new is None else (int(new) if new == new.to_integral() else float(new))


def _evaluation_from_targets(indicator: dict, row, columns: Columns, result: Imported) -> dict | None:
    """Targets that do not read as the national evaluation (年均90学时以上 for a completion rate)
    make the row a number or percent row judged on the final target; returns its measure."""
    texts = [(year, level, t) for year, cells in indicator["targets"].items()
             for level, t in (cells.items() if isinstance(cells, dict) else [(None, cells)]) if t]
    if _reads(indicator["evaluation"], texts):
        return None
    kind = next((k for k in _FALLBACKS if _reads(k, texts)), None)
    if kind is None or kind == "qualitative" and indicator["evaluation"] != "qualitative" and indicator.get("measure"):
        for year, level, text in texts:
            try:
                parse_target(indicator["evaluation"], text)
            except TargetSyntaxError as exc:
                col = columns.years[year][LEVELS.index(level) if level else 0]
                result.problem(row[col].where, f"{indicator['id']} {year}年{level or ''}目标无法识别：{exc}")
                break
        return None
    indicator["evaluation"] = kind
    if kind == "qualitative":
        return None
    final = parse_target(kind, texts[-1][2])
    value = int(final.value) if final.value == final.value.to_integral() else float(final.value)
    indicator["standard"] = value
    unit = "%" if kind == "percent" else final.unit
    name = f"{indicator['id']}（{final.prefix or ''}{unit}）" if kind == "number" else indicator["id"]
    result.notes.setdefault(indicator["id"], []).append(
        f"目标以“{unit}”计，按最后一年目标 {value}{unit} 判断达标；测算方法见 measures（可改写填报项目名称）")
    result.differences.append(f"{indicator['id']}：目标以“{unit}”计（国家测算方法另有计算），标准取 {value}{unit}")
    return {"inputs": [{"name": name, "unit": unit}], "parts": [{"kind": "value", "input": name, "at_least": value}]}


def _reads(kind: str, texts) -> bool:
    try:
        for _, _, text in texts:
            parse_target(kind, text)
    except TargetSyntaxError:
        return False
    return True
