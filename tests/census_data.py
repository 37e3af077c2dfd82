"""A small clean census table built in code, and helpers to write it in the template form."""

from __future__ import annotations

from pathlib import Path

from excel_balance.census.template import write_template

ZERO = dict.fromkeys(
    [
        "students_primary", "students_junior", "students_senior", "classes_primary", "classes_junior",
        "oversize_primary", "oversize_junior", "qualified_primary", "qualified_junior", "key_primary",
        "key_junior", "pe_primary", "music_primary", "art_primary", "pe_junior", "music_junior", "art_junior",
        "teaching_area", "sports_area", "equipment_value", "multimedia_rooms", "music_rooms", "art_rooms",
    ],
    0,
)


def school(school_id: str, name: str, school_type: str, **values) -> dict:
    row = {"school_id": school_id, "name": name, "school_type": school_type, "sponsor": "公办", "urban_rural": "镇区",
           "counted": "是", **ZERO}
    row.update(values)
    return row


def clean_schools() -> list[dict]:
    """Eight rows: every school type, a small teaching point, a branch campus, leading-zero IDs."""
    return [
        school("0500114001", "城南小学", "小学", urban_rural="城区", students_primary=800, classes_primary=18,
               oversize_primary=2, qualified_primary=40, key_primary=9, pe_primary=3, music_primary=2,
               art_primary=2, teaching_area=4000, sports_area=6500, equipment_value=180.5,
               multimedia_rooms=20, music_rooms=2, art_rooms=1),
        school("0500114002", "石会小学", "小学", students_primary=300, classes_primary=7, qualified_primary=12,
               key_primary=2, pe_primary=1, music_primary=1, art_primary=1, teaching_area=1400,
               sports_area=2400, equipment_value=55, multimedia_rooms=7, music_rooms=1, art_rooms=1),
        school("0500114003", "水田教学点", "小学教学点", urban_rural="乡村", students_primary=30, classes_primary=3,
               qualified_primary=3, teaching_area=200, sports_area=400, equipment_value=4, multimedia_rooms=1),
        school("0500114004", "白土教学点", "小学教学点", urban_rural="乡村", students_primary=60, classes_primary=4,
               qualified_primary=4, teaching_area=300, sports_area=500, equipment_value=10, multimedia_rooms=2),
        school("0500114005", "民族初级中学", "初级中学", students_junior=900, classes_junior=18, oversize_junior=1,
               qualified_junior=50, key_junior=10, pe_junior=4, music_junior=2, art_junior=2, teaching_area=5500,
               sports_area=9000, equipment_value=240, multimedia_rooms=22, music_rooms=2, art_rooms=2),
        school("0500114006", "正阳九年制学校", "九年一贯制学校", students_primary=166, students_junior=210,
               classes_primary=6, classes_junior=6, qualified_primary=9, qualified_junior=12, key_primary=2,
               key_junior=2, pe_primary=1, music_primary=1, art_primary=1, pe_junior=1, music_junior=1,
               art_junior=1, teaching_area=2300, sports_area=3600, equipment_value=80, multimedia_rooms=9,
               music_rooms=1, art_rooms=1),
        school("0500114007", "育英学校", "十二年一贯制学校", sponsor="民办", urban_rural="城区", students_primary=600,
               students_junior=450, students_senior=300, classes_primary=12, classes_junior=9,
               qualified_primary=30, qualified_junior=28, key_primary=6, key_junior=5, pe_primary=2,
               music_primary=2, art_primary=1, pe_junior=2, music_junior=1, art_junior=1, teaching_area=9000,
               sports_area=14000, equipment_value=420, multimedia_rooms=30, music_rooms=2, art_rooms=2),
        school("0500114006", "正阳九年制学校（东校区）", "小学", counted="否", parent_id="0500114006",
               students_primary=40, classes_primary=2, qualified_primary=2, teaching_area=260, sports_area=300,
               equipment_value=6, multimedia_rooms=1),
        school("0500114009", "特殊教育学校", "特殊教育学校", urban_rural="城区", teaching_area=1500, sports_area=1200,
               equipment_value=60, multimedia_rooms=4),
    ]


def clean_recorded() -> dict:
    """A few district inputs (by code, level, item) and one veto (by code, level)."""
    return {("G1", "全区", "学校规划布局合理、符合国家规定要求"): "是", ("G12", "小学", "专任教师数"): 120,
            ("G12", "小学", "持有教师资格证的专任教师数"): 120, ("Q1", "初中", "初中三年巩固率"): 96.5,
            ("Q8", "小学", "过重课业负担"): "无", ("G9", "初中", "专任教师年均培训学时"): 92, ("V1", "全区"): "不存在"}


def legacy_recorded() -> dict:
    """The same in the old one-value form of the 区级指标 sheet."""
    return {("G1", "全区"): "达标", ("G12", "小学"): 100, ("Q1", "初中"): 96.5, ("Q8", "小学"): "无",
            ("G9", "初中"): 92, ("V1", "全区"): "不存在"}


def write_clean(path: Path, plan, year: int = 2022, **kwargs) -> Path:
    return write_template(path, plan, year=year, schools=clean_schools(), recorded=clean_recorded(), **kwargs)
