"""Census-system exports (基层表) built in code from the clean table: four header rows with
merged groups and `#` breakdowns, a 小学 and a 中学 export — and, with `public=True`, laid out
like the exports a public script reads: 艺术/计 beside 音乐 and 美术, a 教基1102 group with the
骨干教师 of each level."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import xlsxwriter

from excel_balance.census.schema import COLUMNS_BY_KEY
from tests.census_data import clean_schools, school

IDENTITY = [("学校名称",), ("学校标识码",), ("办学类型",), ("统计一级",), ("统计二级",), ("统计三级",), ("是否计校数",)]
TEACHERS = [("专任教师", "#按学历分", d) for d in ("博士研究生", "硕士研究生", "本科", "专科", "高中阶段及以下")] + [
    ("专任教师", "#按授课课程分", "体育与健康"), ("专任教师", "#按授课课程分", "艺术", "音乐"),
    ("专任教师", "#按授课课程分", "艺术", "美术")]
SCHOOL = [("本学年校舍建筑面积", "教学及辅助用房", "计"), ("本学年校舍建筑面积", "教学及辅助用房", "室内体育用房"),
          ("占地面积及其他办学条件", "占地面积（平方米）", "其中", "运动场地面积"),
          ("固定资产总值", "教学仪器设备资产值（万元）"), ("网络多媒体教室",)]
PRIMARY = IDENTITY + [("在校生数", "合计"), ("班数", "合计")] + TEACHERS + SCHOOL
JUNIOR = IDENTITY + [("在校生数", "合计"), ("在校生数", "初中"), ("在校生数", "高中"), ("班数", "合计"), ("班数", "初中")] + \
    TEACHERS + SCHOOL
ARTS_TOTAL = ("专任教师", "#按授课课程分", "艺术", "计")
KEY_TEACHERS = [("教基1102", "县级以上骨干教师(小学)"), ("教基1102", "县级以上骨干教师(初中)")]
DEPTH = 4
SUPPLEMENT_KEYS = ("key_primary", "key_junior", "oversize_primary", "oversize_junior", "music_rooms", "art_rooms")
PRIMARY_TYPES = ("小学", "小学教学点", "九年一贯制学校", "十二年一贯制学校")
JUNIOR_TYPES = ("初级中学", "九年一贯制学校", "完全中学", "十二年一贯制学校")


def export_schools() -> list[dict]:
    """The clean table plus a 完全中学 (its 合计 includes senior students) — special school aside."""
    rows = [r for r in clean_schools() if r["school_type"] != "特殊教育学校"]
    rows.append(school("0500114010", "实验中学", "完全中学", urban_rural="城区", students_junior=1200,
                       students_senior=900, classes_junior=24, oversize_junior=3, qualified_junior=70, key_junior=13,
                       pe_junior=5, music_junior=2, art_junior=3, teaching_area=12500, sports_area=21000,
                       equipment_value=520, multimedia_rooms=46, music_rooms=2, art_rooms=2))
    return rows


def _values(row: dict, level: str) -> dict[tuple, float]:
    key = "primary" if level == "小学" else "junior"
    qualified = row.get(f"qualified_{key}", 0)
    if level == "小学":  # 专科 and above count
        degrees = {"博士研究生": 0, "硕士研究生": 0, "本科": qualified - qualified // 3, "专科": qualified // 3}
    else:  # 本科 and above count; 专科 teachers do not
        degrees = {"博士研究生": 0, "硕士研究生": min(1, qualified), "本科": qualified - min(1, qualified), "专科": 3}
    values = {("专任教师", "#按学历分", d): v for d, v in degrees.items()}
    values[("专任教师", "#按学历分", "高中阶段及以下")] = 2
    values[("专任教师", "#按授课课程分", "体育与健康")] = row.get(f"pe_{key}", 0)
    values[("专任教师", "#按授课课程分", "艺术", "音乐")] = row.get(f"music_{key}", 0)
    values[("专任教师", "#按授课课程分", "艺术", "美术")] = row.get(f"art_{key}", 0)
    # 艺术/计 also counts the integrated 艺术 course's teachers.
    values[ARTS_TOTAL] = row.get(f"music_{key}", 0) + row.get(f"art_{key}", 0) + row.get(f"arts_{key}", 0)
    values[KEY_TEACHERS[0]] = row.get("key_primary", 0)
    values[KEY_TEACHERS[1]] = row.get("key_junior", 0)
    values[SCHOOL[0]] = row.get("teaching_area", 0)
    values[SCHOOL[1]] = row.get("indoor_sports_area", 0)
    values[SCHOOL[2]] = row.get("sports_area", 0)
    values[SCHOOL[3]] = row.get("equipment_value", 0)
    values[SCHOOL[4]] = row.get("multimedia_rooms", 0)
    if level == "小学":
        values[("在校生数", "合计")] = row.get("students_primary", 0)
        values[("班数", "合计")] = row.get("classes_primary", 0)
    else:
        junior, senior = row.get("students_junior", 0), row.get("students_senior", 0)
        values[("在校生数", "合计")] = junior + senior
        values[("在校生数", "初中")] = junior
        values[("在校生数", "高中")] = senior
        values[("班数", "合计")] = row.get("classes_junior", 0) + (12 if senior else 0)
        values[("班数", "初中")] = row.get("classes_junior", 0)
    return values


def public_columns(columns: list[tuple]) -> list[tuple]:
    """艺术/计 before 音乐 and 美术, the 教基1102 group at the end."""
    at = columns.index(("专任教师", "#按授课课程分", "艺术", "音乐"))
    return columns[:at] + [ARTS_TOTAL] + columns[at:] + KEY_TEACHERS


def write_export(path: Path, level: str, rows: list[dict], year: int = 2022, rename: dict | None = None,
                 district: str = "黔江区", constant_memory: bool = False, public: bool = False,
                 region: str = "重庆市", extra: dict[tuple, str] | None = None) -> Path:
    """One level's export: a title row, four merged header rows, a row per school or campus
    (a row's own "district" wins over `district`); `extra` columns at the end, by header path →
    the row's key (or, per level, the key + _primary / _junior), blank where the row has none."""
    columns = PRIMARY if level == "小学" else JUNIOR
    columns = public_columns(columns) if public else columns
    extra = extra or {}
    columns = columns + list(extra)
    types = PRIMARY_TYPES if level == "小学" else JUNIOR_TYPES
    rename = rename or {}
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
    sheet = workbook.add_worksheet("基层表")
    sheet.merge_range(0, 0, 0, len(columns) - 1, f"{year}学年{'小学' if level == '小学' else '中学'}基层表（学校）")
    top = 1
    for depth in range(DEPTH):
        c = 0
        while c < len(columns):
            column = columns[c]
            if depth >= len(column):
                c += 1
                continue
            span = c
            while (span + 1 < len(columns) and len(columns[span + 1]) > depth
                   and columns[span + 1][:depth + 1] == column[:depth + 1]):
                span += 1
            text = rename.get(column[depth], column[depth])
            bottom = top + DEPTH - 1 if depth == len(column) - 1 else top + depth
            if span > c or bottom > top + depth:
                sheet.merge_range(top + depth, c, bottom, span, text)
            else:
                sheet.write_string(top + depth, c, text)
            c = span + 1
    r = top + DEPTH
    for row in rows:
        if row["school_type"] not in types:
            continue
        values = _values(row, level)
        suffix = "_primary" if level == "小学" else "_junior"
        values |= {path: row.get(key, row.get(key + suffix)) for path, key in extra.items()}
        identity = [row["name"], row["school_id"], row["school_type"], "重庆市", region, row.get("district", district),
                    "0" if row.get("counted") == "否" else "1"]
        for c, text in enumerate(identity):
            sheet.write_string(r, c, text)
        for c, column in enumerate(columns[len(IDENTITY):], start=len(IDENTITY)):
            value = values.get(column, 0)
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            elif value is None:
                continue
            else:
                sheet.write_number(r, c, value)
        r += 1
    workbook.close()
    return path


def fill_supplement(path: Path, rows: list[dict], recorded: dict) -> Path:
    """The supplement filled in as staff would: each school's figures from `rows`, the 区级指标
    values from `recorded` (by code, level and item)."""
    book = openpyxl.load_workbook(path)
    sheet = book["补充数据"]
    header = [c.value for c in sheet[1]]
    by_id = {r["school_id"]: r for r in rows if r.get("counted", "是") == "是"}
    for cells in sheet.iter_rows(min_row=2):
        source = by_id[cells[0].value]
        for cell, title in zip(cells[2:], header[2:]):
            column = next(c for c in COLUMNS_BY_KEY.values() if c.title == title)
            # a required figure a school lacks is 0; an optional school column is left blank
            cell.value = source.get(column.key, 0 if column.required else None)
    district = book["区级指标"]
    for cells in district.iter_rows(min_row=2):  # 编号, 指标内容, 学段, 填报项目, 单位, 数值
        item = cells[3].value
        value = recorded.get((cells[0].value, cells[2].value, item) if item else (cells[0].value, cells[2].value))
        if value is not None:
            cells[5].value = value
    book.save(path)
    return path

