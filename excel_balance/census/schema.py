"""The census columns: canonical headers, units, kinds, which school types they apply to, aliases.

The template writes these headers; the reader matches a workbook's headers against them after
normalising spelling (spaces, line breaks, full-width characters, units in brackets) and
replacing aliases.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum


class SchoolType(Enum):
    """办学类型 by national code."""

    PRIMARY = 211
    TEACHING_POINT = 218
    JUNIOR = 311
    NINE_YEAR = 312
    COMPLETE = 341
    TWELVE_YEAR = 345
    SPECIAL = 512

    # Members are singletons compared by identity: hash them so too, in C (Enum hashes the name
    # in Python, and a province file asks a million times).
    __hash__ = object.__hash__

    @property
    def label(self) -> str:
        return TYPE_NAMES[self]

    @property
    def has_primary(self) -> bool:
        return self in _WITH_PRIMARY

    @property
    def has_junior(self) -> bool:
        return self in _WITH_JUNIOR

    @property
    def has_senior(self) -> bool:
        return self in _WITH_SENIOR


# Sets built once: asked for every row of a province file, a tuple of members built per call
# was a noticeable part of reading one.
_WITH_PRIMARY = frozenset({SchoolType.PRIMARY, SchoolType.TEACHING_POINT, SchoolType.NINE_YEAR, SchoolType.TWELVE_YEAR})
_WITH_JUNIOR = frozenset({SchoolType.JUNIOR, SchoolType.NINE_YEAR, SchoolType.COMPLETE, SchoolType.TWELVE_YEAR})
_WITH_SENIOR = frozenset({SchoolType.COMPLETE, SchoolType.TWELVE_YEAR})


TYPE_NAMES = {
    SchoolType.PRIMARY: "小学",
    SchoolType.TEACHING_POINT: "小学教学点",
    SchoolType.JUNIOR: "初级中学",
    SchoolType.NINE_YEAR: "九年一贯制学校",
    SchoolType.COMPLETE: "完全中学",
    SchoolType.TWELVE_YEAR: "十二年一贯制学校",
    SchoolType.SPECIAL: "特殊教育学校",
}
TYPE_ALIASES = {
    **{name: t for t, name in TYPE_NAMES.items()},
    **{str(t.value): t for t in SchoolType},
    "教学点": SchoolType.TEACHING_POINT,
    "初中": SchoolType.JUNIOR,
    "九年制学校": SchoolType.NINE_YEAR,
    "十二年制学校": SchoolType.TWELVE_YEAR,
    "特教学校": SchoolType.SPECIAL,
}

CHOICES = {
    "sponsor": ("公办", "民办"),
    "urban_rural": ("城区", "镇区", "乡村"),
    "counted": ("是", "否"),
    "boarding": ("是", "否"),
    "charter": ("是", "否"),
    "informatized": ("是", "否"),
}
# Yes/no columns the measures read: kept in a school's values as 1 (是) or 0 (否), absent when blank.
FLAG_COLUMNS = ("boarding", "charter", "informatized")


class Kind(Enum):
    ID = "id"
    TEXT = "text"
    TYPE = "type"
    CHOICE = "choice"
    INT = "int"
    NUMBER = "number"


class Applies(Enum):
    """Which schools a figure belongs to; elsewhere an empty cell simply means 0."""

    ALL = "all"
    PRIMARY = "primary"
    JUNIOR = "junior"
    SENIOR = "senior"
    FACILITY = "facility"  # whole-school facilities: every type but special education


# Per unit; counts of people, classes and rooms default to a million.
PLAUSIBLE_MAXIMUM = {"年": 2100, "㎡": 1e7, "万元": 1e8}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: Kind
    unit: str = ""
    required: bool = True
    applies: Applies = Applies.ALL
    note: str = ""
    refinement: str = ""  # the plan refinement that needs this optional column

    @property
    def title(self) -> str:
        """The header as the template writes it, unit in brackets."""
        return f"{self.header}({self.unit})" if self.unit else self.header

    @property
    def numeric(self) -> bool:
        return self.kind in (Kind.INT, Kind.NUMBER)

    @property
    def maximum(self) -> float:
        """The largest figure one school can plausibly have: beyond it a cell is a typo or an attack."""
        return PLAUSIBLE_MAXIMUM.get(self.unit, 1e6)

    def applies_to(self, school_type: SchoolType) -> bool:
        if self.applies is Applies.PRIMARY:
            return school_type.has_primary
        if self.applies is Applies.JUNIOR:
            return school_type.has_junior
        if self.applies is Applies.SENIOR:
            return school_type.has_senior
        if self.applies is Applies.FACILITY:
            return school_type is not SchoolType.SPECIAL
        return True


def _levels(key: str, header: str, kind: Kind, note: str, unit: str = "人") -> list[Column]:
    return [
        Column(f"{key}_primary", f"小学{header}", kind, unit, applies=Applies.PRIMARY, note=note),
        Column(f"{key}_junior", f"初中{header}", kind, unit, applies=Applies.JUNIOR, note=note),
    ]


_P = Applies.PRIMARY
_J = Applies.JUNIOR
_F = Applies.FACILITY

SCHOOL_COLUMNS: tuple[Column, ...] = (
    Column("school_id", "学校标识码", Kind.ID, note="10位数字，按文本填写，保留开头的0"),
    Column("name", "学校名称", Kind.TEXT),
    Column("school_type", "办学类型", Kind.TYPE, note="小学/小学教学点/初级中学/九年一贯制学校/完全中学/十二年一贯制学校/特殊教育学校，或国标代码211/218/311/312/341/345/512"),
    Column("sponsor", "举办者", Kind.CHOICE, required=False, note="公办或民办"),
    Column("urban_rural", "城乡分类", Kind.CHOICE, required=False, note="城区/镇区/乡村"),
    Column("counted", "是否计校数", Kind.CHOICE, required=False, note="分校区、校点填“否”，其数据并入所属学校"),
    Column("parent_id", "所属学校标识码", Kind.ID, required=False, note="是否计校数为“否”时必填：所属学校的标识码"),
    Column("students_primary", "小学在校生数", Kind.INT, "人", applies=_P),
    Column("students_junior", "初中在校生数", Kind.INT, "人", applies=_J),
    Column("students_senior", "高中在校生数", Kind.INT, "人", applies=Applies.SENIOR),
    Column("classes_primary", "小学班数", Kind.INT, "个", applies=_P),
    Column("classes_junior", "初中班数", Kind.INT, "个", applies=_J),
    Column("oversize_primary", "小学超45人班数", Kind.INT, "个", applies=_P, note="学生数超过45人的班数"),
    Column("oversize_junior", "初中超50人班数", Kind.INT, "个", applies=_J, note="学生数超过50人的班数"),
    *_levels("qualified", "高于规定学历教师数", Kind.INT, "小学：专科及以上；初中：本科及以上"),
    *_levels("key", "骨干教师数", Kind.INT, "区级（县级）及以上骨干教师"),
    Column("pe_primary", "小学体育专任教师数", Kind.INT, "人", applies=_P),
    Column("music_primary", "小学音乐专任教师数", Kind.INT, "人", applies=_P),
    Column("art_primary", "小学美术专任教师数", Kind.INT, "人", applies=_P),
    Column("pe_junior", "初中体育专任教师数", Kind.INT, "人", applies=_J),
    Column("music_junior", "初中音乐专任教师数", Kind.INT, "人", applies=_J),
    Column("art_junior", "初中美术专任教师数", Kind.INT, "人", applies=_J),
    Column("teaching_area", "教学及辅助用房面积", Kind.NUMBER, "㎡", applies=_F, note="全校合计"),
    Column("sports_area", "体育运动场馆面积", Kind.NUMBER, "㎡", applies=_F, note="全校合计"),
    Column("equipment_value", "教学仪器设备值", Kind.NUMBER, "万元", applies=_F, note="全校合计，单位万元"),
    Column("multimedia_rooms", "网络多媒体教室数", Kind.INT, "间", applies=_F),
    Column("music_rooms", "达标音乐专用教室数", Kind.INT, "间", applies=_F, note="面积不小于96平方米的音乐专用教室"),
    Column("art_rooms", "达标美术专用教室数", Kind.INT, "间", applies=_F, note="面积不小于90平方米的美术专用教室"),
    # Optional: a mixed school's own per-section facility figures replace the weighted split.
    *[
        Column(f"{key}_{suffix}", f"{level}部{header}", kind, unit, required=False, note="一贯制、完全中学选填：填写后代替按学生数折算")
        for key, header, kind, unit in (
            ("teaching_area", "教学及辅助用房面积", Kind.NUMBER, "㎡"),
            ("sports_area", "体育运动场馆面积", Kind.NUMBER, "㎡"),
            ("equipment_value", "教学仪器设备值", Kind.NUMBER, "万元"),
            ("multimedia_rooms", "网络多媒体教室数", Kind.INT, "间"),
        )
        for suffix, level in (("primary", "小学"), ("junior", "初中"))
    ],
    # Optional: what the provincial refinements of the plan need.
    Column("indoor_sports_area", "室内体育用房面积", Kind.NUMBER, "㎡", required=False,
           note="计入教学及辅助用房的室内体育用房", refinement="net_indoor_sports"),
    Column("built_year", "建成年份", Kind.INT, "年", required=False, refinement="relaxed_room_areas"),
    Column("max_class_size", "最大班额", Kind.INT, "人", required=False, refinement="relaxed_room_areas"),
    Column("music_rooms_relaxed", "放宽面积音乐专用教室数", Kind.INT, "间", required=False,
           note="2016年及以前建成：不小于73㎡；乡村小规模学校：小学54㎡、初中61㎡", refinement="relaxed_room_areas"),
    Column("art_rooms_relaxed", "放宽面积美术专用教室数", Kind.INT, "间", required=False,
           note="2016年及以前建成：不小于67㎡；乡村小规模学校：小学54㎡、初中61㎡", refinement="relaxed_room_areas"),
    Column("migrant_students", "随迁子女在校生数", Kind.INT, "人", required=False, refinement="relaxed_size_limits"),
    # Optional: teachers of the integrated 艺术 course, counted in R3 with 体育, 音乐 and 美术.
    *[
        Column(f"arts_{suffix}", f"{level}艺术（综合）专任教师数", Kind.INT, "人", required=False, applies=applies,
               note="讲授艺术（综合）课程、不计入音乐和美术的专任教师；填写后计入体育艺术专任教师")
        for suffix, level, applies in (("primary", "小学", _P), ("junior", "初中", _J))
    ],
    # Optional: the school-level elements of G9, G12, G13, Q3 and Q4, which the national method
    # counts per teacher or per school (census/school_inputs.py adds them up per level).
    *[
        Column(f"{key}_{suffix}", f"{level}{header}", kind, unit, required=False, applies=applies, note=note)
        for key, header, kind, unit, note in (
            ("teachers", "专任教师数", Kind.INT, "人", "本学段全部专任教师"),
            ("certified", "持有教师资格证的专任教师数", Kind.INT, "人", "持有相应学段及以上教师资格证"),
            ("trained", "近5年完成培训学时达标的专任教师数", Kind.INT, "人",
             "近5年累计完成规划规定培训学时（国家标准360学时，本区规划另有规定的按规划）"),
            ("hours", "专任教师年均培训学时", Kind.NUMBER, "学时", "本学段专任教师近5年人均每年培训学时"),
            ("local", "就近划片入学在校生数", Kind.INT, "人", "按划片范围就近入学的在校生"),
        )
        for suffix, level, applies in (("primary", "小学", _P), ("junior", "初中", _J))
    ],
    Column("boarding", "是否寄宿制学校", Kind.CHOICE, required=False, note="是/否；寄宿制学校不计入就近划片入学比例"),
    Column("charter", "是否制定章程", Kind.CHOICE, required=False, note="是/否"),
    Column("informatized", "管理与教学信息化", Kind.CHOICE, required=False, note="是/否：是否实现学校管理与教学信息化"),
    Column("public_funds", "上年度公用经费预算", Kind.NUMBER, "万元", required=False, note="学校上年度公用经费预算总额"),
    Column("training_funds", "教师培训经费", Kind.NUMBER, "万元", required=False,
           note="安排的教师培训经费，应不低于公用经费预算的5%"),
    Column("district", "区县", Kind.TEXT, required=False, note="全市、全省汇总的报表按区县拆分；只有一个区县时可不填"),
)
# The school-level elements above (and who is in G13's scope): optional wherever they are read.
SCHOOL_INPUT_KEYS = frozenset(
    [f"{key}_{suffix}" for key in ("teachers", "certified", "trained", "hours", "local") for suffix in ("primary", "junior")]
    + ["boarding", "charter", "informatized", "public_funds", "training_funds"])
# Figures only a census-system export gives (never a template column): 体育 and all 艺术 teachers
# as one sum, when the export has 艺术/计 (its 音乐 and 美术 are only part of it).
EXPORT_COLUMNS: tuple[Column, ...] = tuple(
    Column(f"pe_art_{suffix}", f"{level}体育艺术专任教师数", Kind.INT, "人", required=False, applies=applies)
    for suffix, level, applies in (("primary", "小学", _P), ("junior", "初中", _J))
)
COLUMNS_BY_KEY = {c.key: c for c in SCHOOL_COLUMNS + EXPORT_COLUMNS}

TEACHER_KEYS = {
    "primary": ("qualified_primary", "key_primary", "pe_primary", "music_primary", "art_primary", "arts_primary"),
    "junior": ("qualified_junior", "key_junior", "pe_junior", "music_junior", "art_junior", "arts_junior"),
}

# Phrase aliases, applied to normalised headers before matching (longest first).
HEADER_ALIASES = {
    "学校代码": "学校标识码",
    "学校识别码": "学校标识码",
    "学校标识": "学校标识码",
    "学校名": "学校名称",
    "在校学生数": "在校生数",
    "学生数": "在校生数",
    "学校类型": "办学类型",
    "学校办别": "举办者",
    "办别": "举办者",
    "城乡类型": "城乡分类",
    "计校数": "是否计校数",
    "班级数": "班数",
    "网络多媒体教室": "网络多媒体教室数",
    "教学仪器设备资产值": "教学仪器设备值",
    "体育运动场馆": "体育运动场馆面积",
    "教学及辅助用房": "教学及辅助用房面积",
}

# The district-level sheet.
DISTRICT_HEADERS = {"code": "编号", "text": "指标内容", "level": "学段", "item": "填报项目", "unit": "单位", "value": "数值",
                    "note": "备注"}
QUALITATIVE_CHOICES = ("达标", "未达标", "是", "否", "无", "有", "存在", "不存在")

SCHOOL_SHEET = "学校"
DISTRICT_SHEET = "区级指标"
INFO_SHEET = "填报说明"
SAMPLE_MARK = "示例数据（虚构）"

_BRACKETS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_SPACE = re.compile(r"\s+")


def normalise_header(text: object, aliases: dict[str, str] | None = None) -> str:
    """A header as matched: NFKC, no spaces, no bracketed units, aliases replaced."""
    value = unicodedata.normalize("NFKC", str(text or ""))
    value = _SPACE.sub("", _BRACKETS.sub("", value))
    table = {**HEADER_ALIASES, **{normalise_plain(k): normalise_plain(v) for k, v in (aliases or {}).items()}}
    for alias in sorted(table, key=len, reverse=True):
        canonical = table[alias]
        if alias in value and canonical not in value:
            value = value.replace(alias, canonical)
    return value


def normalise_plain(text: object) -> str:
    value = unicodedata.normalize("NFKC", str(text or ""))
    return _SPACE.sub("", _BRACKETS.sub("", value))


CANONICAL = {normalise_plain(c.header): c for c in SCHOOL_COLUMNS}
