"""The bundled sample: synthetic census workbooks of 黔江区 for 2019–2022, marked 示例数据（虚构）.

Deterministic (same script, same bytes): `python -m excel_balance.sample inputs/`.

The 2019 workbook reproduces the plan's baseline (现状): for every resource indicator the district
value at the printed precision and the count of sections meeting the standard, and G3–G5. Its
sections follow domain.md §2: 66 primary schools, 16 junior schools and 2 完全中学, 4 nine-year
schools and a private twelve-year school (71 primary and 23 junior sections), a special school,
five small teaching points and a branch campus. Later years improve at different paces, so that every
status appears.
"""

from __future__ import annotations

import datetime as dt

import math
import random
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from excel_balance.census.schema import TYPE_ALIASES
from excel_balance.census.template import write_template
from excel_balance.evaluate.rules import compared
from excel_balance.plan import Plan, load_plan
from excel_balance.resources import default_plan_path

YEARS = (2019, 2020, 2021, 2022)
SEED = 20191
TOWNS = ["城东", "城西", "城南", "舟白", "正阳", "冯家", "濯水", "石会", "马喇", "黎水", "金溪", "阿蓬江", "黑溪",
         "两河", "鹅池", "沙坝", "白石", "杉岭", "太极", "水田", "白土", "五里", "蓬东", "新华", "石家", "中塘",
         "邻鄂", "小南海", "金洞", "水市", "官渡", "后坝"]

# The plan's baseline per level: indicator → (district value, sections meeting). R3 primary is
# printed as 0.9: aimed at 0.90.
BASELINE = {
    "小学": {"R1": (5.95, 71), "R2": (0.64, 5), "R3": (0.90, 34), "R4": (4.38, 55), "R5": (4.70, 42),
             "R6": (1407, 20), "R7": (3.07, 67)},
    "初中": {"R1": (7.41, 23), "R2": (0.46, 1), "R3": (0.84, 15), "R4": (5.68, 14), "R5": (6.92, 0),
             "R6": (1864, 4), "R7": (2.97, 19)},
}
ROOMS = {"小学": (29, 25), "初中": (11, 11)}  # sections meeting music, art
CLASS_SHARE = {"小学": 0.71, "初中": 0.85}
STANDARDS = {
    "小学": {"R1": 4.2, "R2": 1, "R3": 0.9, "R4": 4.5, "R5": 7.5, "R6": 2000, "R7": 2.3},
    "初中": {"R1": 5.3, "R2": 1, "R3": 0.9, "R4": 5.8, "R5": 10.2, "R6": 2500, "R7": 2.4},
}
PER_100 = {"R1", "R2", "R3", "R7"}
TEACHERS = {"R1": "qualified", "R2": "key", "R3": "pe_art"}
FACILITY = {"R4": "teaching_area", "R5": "sports_area", "R6": "equipment_value", "R7": "multimedia_rooms"}
# Later years: the share of the way from the baseline to each year's target that is reached.
PACE = {"R1": 1.0, "R2": 0.9, "R3": 1.05, "R4": 1.0, "R5": 0.8, "R6": 1.1, "R7": 0.96}


@dataclass
class SampleSchool:
    school_id: str
    name: str
    school_type: str
    students: dict[str, int]  # primary / junior / senior
    sponsor: str = "公办"
    urban_rural: str = "乡村"
    values: dict[str, float] = field(default_factory=dict)
    counted: str = "是"
    parent_id: str = ""

    @property
    def levels(self) -> list[str]:
        return [lvl for lvl, key in (("小学", "primary"), ("初中", "junior")) if self.students.get(key)]

    def weight(self, level: str) -> float:
        """The section's weighted students in the facility split (domain.md §2)."""
        a, b, c = (self.students.get(k, 0) for k in ("primary", "junior", "senior"))
        if self.school_type == "九年一贯制学校":
            total = a + 1.1 * b
        elif self.school_type == "十二年一贯制学校":
            total = a + 1.1 * b + 1.32 * c
        elif self.school_type == "完全中学":
            total = b + 1.2 * c
        else:
            return 1.0
        own = a if level == "小学" else (1.1 * b if self.school_type != "完全中学" else b)
        return own / total

    def row(self) -> dict:
        row = {"school_id": self.school_id, "name": self.name, "school_type": self.school_type,
               "sponsor": self.sponsor, "urban_rural": self.urban_rural, "counted": self.counted,
               "parent_id": self.parent_id}
        for key in ("primary", "junior", "senior"):
            row[f"students_{key}"] = self.students.get(key, 0)
        row.update(self.values)
        return row


def _key(level: str) -> str:
    return "primary" if level == "小学" else "junior"


def _schools(rng: random.Random) -> tuple[list[SampleSchool], list[SampleSchool]]:
    """(schools with sections, schools left out: teaching points, the special school)."""
    schools: list[SampleSchool] = []
    n = 0

    def new_id() -> str:
        nonlocal n
        n += 1
        return f"50011400{n:02d}" if n < 100 else f"5001140{n:03d}"

    for i in range(66):
        town = TOWNS[i % len(TOWNS)]
        if i < 6:
            students, place = rng.randint(2050, 2350), "城区"
        elif i < 26:
            students, place = rng.randint(600, 1500), "镇区"
        else:
            students, place = rng.randint(80, 420), "乡村"
        suffix = ("", "第二", "第三")[i // len(TOWNS)]
        schools.append(SampleSchool(new_id(), f"{town}{suffix}小学", "小学", {"primary": students}, urban_rural=place))
    for i in range(16):
        students = rng.randint(2050, 2300) if i < 5 else rng.randint(400, 1400)
        schools.append(SampleSchool(new_id(), f"{TOWNS[i]}初级中学", "初级中学", {"junior": students},
                                    urban_rural="城区" if i < 5 else "镇区"))
    schools.append(SampleSchool(new_id(), "黔江中学", "完全中学", {"junior": 2100, "senior": 1800}, urban_rural="城区"))
    schools.append(SampleSchool(new_id(), "民族中学", "完全中学", {"junior": 1300, "senior": 1500}, urban_rural="城区"))
    for i in range(4):
        schools.append(SampleSchool(new_id(), f"{TOWNS[20 + i]}九年制学校", "九年一贯制学校",
                                    {"primary": rng.randint(300, 700), "junior": rng.randint(200, 500)}))
    schools.append(SampleSchool(new_id(), "育才实验学校", "十二年一贯制学校", {"primary": 820, "junior": 600, "senior": 480},
                                sponsor="民办", urban_rural="城区"))
    left_out = [
        SampleSchool(new_id(), f"{TOWNS[25 + i]}教学点", "小学教学点", {"primary": 18 + 9 * i}) for i in range(3)
    ]
    left_out.append(SampleSchool(new_id(), "特殊教育学校", "特殊教育学校", {}, urban_rural="城区"))
    # Two more small points (after the special school: the IDs above stay): Q3 counts every school
    # of a level, small points too, and the seed's 97.4% is 74 of 76 (71 sections and 5 points).
    left_out += [SampleSchool(new_id(), f"{TOWNS[28 + i]}教学点", "小学教学点", {"primary": 24 + 17 * i}) for i in range(2)]
    return schools, left_out


def _sections(schools: list[SampleSchool], level: str) -> list[SampleSchool]:
    return [s for s in schools if level in s.levels]


def _met(value: float, standard: float) -> bool:
    return compared(value, 2) >= Decimal(repr(standard))


def _assign_teachers(rng, sections: list[SampleSchool], level: str, indicator: str) -> None:
    """Integer teacher counts per section: `count` meet the standard, the district value as printed."""
    target, count = BASELINE[level][indicator]
    std = STANDARDS[level][indicator]
    key = f"{TEACHERS[indicator]}_{_key(level)}"
    meeting = _meeting(rng, sections, level, count, target < std)
    for s in sections:
        students = s.students[_key(level)]
        need = math.ceil(std * students / 100 - 1e-9)
        if id(s) in meeting:
            s.values[key] = need + rng.randint(0, max(1, need // 5))
        else:
            s.values[key] = max(0, int(need * rng.uniform(0.45, 0.9)))
            while s.values[key] and _met(s.values[key] * 100 / students, std):
                s.values[key] -= 1
    total_students = sum(s.students[_key(level)] for s in sections)
    wanted = round(target * total_students / 100)
    _shift_integers(rng, sections, key, level, std, meeting, wanted, lambda s, v: v * 100 / s.students[_key(level)])


def _meeting(rng, sections, level: str, count: int, small_first: bool) -> set[int]:
    """Which sections meet a standard: where the district lags the standard, mostly the small
    schools (large town schools lack room); where it leads, mostly the large ones."""
    sign = 1 if small_first else -1
    order = sorted(sections, key=lambda s: sign * s.students[_key(level)] * rng.uniform(0.8, 1.25))
    return set(id(s) for s in order[:count])


def _shift_integers(rng, sections, key, level, std, meeting, wanted, value_of) -> None:
    """Add or remove whole units until their sum is `wanted`, keeping who meets the standard."""
    for _ in range(100000):
        diff = wanted - sum(s.values[key] for s in sections)
        if diff == 0:
            return
        s = rng.choice(sections)
        step = 1 if diff > 0 else -1
        new = s.values[key] + step
        if new < 0:
            continue
        if _met(value_of(s, new), std) == (id(s) in meeting):
            s.values[key] = new
    raise RuntimeError(f"sample: cannot reach {wanted} for {key}")


def _assign_facility(rng, schools: list[SampleSchool], level: str, indicator: str) -> None:
    """Facility totals of the single-level schools of `level` (mixed schools were set before)."""
    target, count = BASELINE[level][indicator]
    std = STANDARDS[level][indicator]
    key = FACILITY[indicator]
    per = 100 if indicator in PER_100 else 1
    scale = 10000 if indicator == "R6" else 1  # 元 per student from 万元
    sections = _sections(schools, level)
    fixed = [s for s in sections if len(s.levels) > 1 or s.school_type == "完全中学"]
    free = [s for s in sections if s not in fixed]

    def value(s: SampleSchool, total: float) -> float:
        return total * s.weight(level) * scale * per / s.students[_key(level)]

    fixed_met = sum(_met(value(s, s.values[key]), std) for s in fixed)
    wanted_met = count - fixed_met
    if not 0 <= wanted_met <= len(free):
        raise RuntimeError(f"sample: mixed schools make {indicator} {level} impossible")
    meeting = _meeting(rng, free, level, wanted_met, target < std)
    step = {"R4": 0.1, "R5": 0.1, "R6": 0.01, "R7": 1.0}[indicator]
    for s in free:
        students = s.students[_key(level)]
        factor = rng.uniform(1.02, 1.3) if id(s) in meeting else rng.uniform(0.55, 0.95)
        s.values[key] = _unit(indicator, std * factor * students / per / scale)
        # Rounding to census precision may cross the standard: step back to the intended side.
        while _met(value(s, s.values[key]), std) != (id(s) in meeting):
            s.values[key] = _unit(indicator, s.values[key] + (step if id(s) in meeting else -step))
    total_students = sum(s.students[_key(level)] for s in sections)
    wanted = target * total_students / per / scale
    if indicator == "R7":
        rooms = round(wanted - sum(s.values[key] * s.weight(level) for s in fixed))
        _shift_integers(rng, free, key, level, std, meeting, rooms, lambda s, v: value(s, v))
        return
    tolerance = 0.4 if indicator == "R6" else 0.004  # well inside the printed precision
    for _ in range(2000):
        current = sum(s.values[key] * s.weight(level) for s in sections)
        diff = wanted - current
        if abs(diff) * scale * per / total_students < tolerance:
            return
        pool = [s for s in free if (id(s) in meeting) == (diff > 0)] or free
        share = diff / len(pool)
        changes = [(s, share) for s in pool] if abs(share) >= 1 else [(rng.choice(pool), diff)]
        for s, amount in changes:
            proposed = _unit(indicator, max(s.values[key] + amount, 0))
            if _met(value(s, proposed), std) == (id(s) in meeting):
                s.values[key] = proposed
    raise RuntimeError(f"sample: cannot reach the district value of {indicator} {level}")


def _unit(indicator: str, amount: float) -> float:
    """Census precision: rooms whole, 万元 to 2 decimals, ㎡ to 1 decimal."""
    if indicator == "R7":
        return float(round(amount))
    return round(amount, 2) if indicator == "R6" else round(amount, 1)


def _mixed_facilities(rng, schools: list[SampleSchool]) -> None:
    """Whole-school facilities of the mixed schools: modest, below most standards."""
    for s in schools:
        if len(s.levels) < 2 and s.school_type != "完全中学":
            continue
        weighted = sum(s.students.get(k, 0) * w for k, w in (("primary", 1), ("junior", 1.1 if s.school_type != "完全中学" else 1),
                                                            ("senior", 1.32 if s.school_type == "十二年一贯制学校" else 1.2)))
        s.values["teaching_area"] = round(weighted * rng.uniform(4.0, 5.4), 1)
        s.values["sports_area"] = round(weighted * rng.uniform(4.0, 6.5), 1)
        s.values["equipment_value"] = round(weighted * rng.uniform(1200, 1900) / 10000, 2)
        s.values["multimedia_rooms"] = float(round(weighted * rng.uniform(2.6, 3.2) / 100))


def _classes(rng, schools: list[SampleSchool]) -> None:
    for level, size in (("小学", 40), ("初中", 46)):
        sections = _sections(schools, level)
        for s in sections:
            s.values[f"classes_{_key(level)}"] = max(1, math.ceil(s.students[_key(level)] / size))
        total = sum(s.values[f"classes_{_key(level)}"] for s in sections)
        over = round(total * (1 - CLASS_SHARE[level]))
        big = sorted(sections, key=lambda s: -s.students[_key(level)])
        for s in sections:
            s.values[f"oversize_{_key(level)}"] = 0
        while over > 0:
            for s in big:
                classes = s.values[f"classes_{_key(level)}"]
                if over and s.values[f"oversize_{_key(level)}"] < classes:
                    s.values[f"oversize_{_key(level)}"] += 1
                    over -= 1


def _rooms(rng, schools: list[SampleSchool]) -> None:
    """Music and art rooms so that 29/25 primary and 11/11 junior sections meet the standard."""
    for s in schools:
        classes = s.values.get("classes_primary", 0) + s.values.get("classes_junior", 0)
        s.values["_needed"] = max(1, math.ceil(classes / 12))
    mixed = [s for s in schools if len(s.levels) > 1]
    for s in mixed:
        s.values["music_rooms"] = s.values["_needed"] if s in mixed[:2] else s.values["_needed"] - 1
        s.values["art_rooms"] = s.values["_needed"] if s in mixed[:1] else s.values["_needed"] - 1
    for level in ("小学", "初中"):
        single = [s for s in _sections(schools, level) if s not in mixed]
        for part, wanted in zip(("music_rooms", "art_rooms"), ROOMS[level]):
            already = sum(s.values[part] >= s.values["_needed"] for s in mixed)
            order = sorted(single, key=lambda s: rng.random())
            for n, s in enumerate(order):
                s.values[part] = s.values["_needed"] if n < wanted - already else s.values["_needed"] - 1
    for s in schools:
        del s.values["_needed"]


def _teacher_split(schools: list[SampleSchool]) -> None:
    """R3 counts PE, music and art teachers together: split the total into the three columns."""
    for s in schools:
        for level in s.levels:
            key = _key(level)
            total = int(s.values.pop(f"pe_art_{key}"))
            s.values[f"pe_{key}"] = total - 2 * (total // 3)
            s.values[f"music_{key}"] = total // 3
            s.values[f"art_{key}"] = total // 3


def baseline_schools() -> tuple[list[SampleSchool], list[SampleSchool]]:
    rng = random.Random(SEED)
    schools, left_out = _schools(rng)
    _classes(rng, schools)
    _rooms(rng, schools)
    _mixed_facilities(rng, schools)
    for level in ("小学", "初中"):
        sections = _sections(schools, level)
        for indicator in TEACHERS:
            _assign_teachers(rng, sections, level, indicator)
    for indicator in FACILITY:
        for level in ("小学", "初中"):
            _assign_facility(rng, schools, level, indicator)
    _teacher_split(schools)
    for s in left_out:
        if s.school_type == "小学教学点":
            s.values.update(classes_primary=2, oversize_primary=0, qualified_primary=3, key_primary=0, pe_primary=1,
                            music_primary=0, art_primary=0, teaching_area=160.0, sports_area=300.0,
                            equipment_value=2.5, multimedia_rooms=1.0, music_rooms=0, art_rooms=0)
        else:
            s.values.update(teaching_area=2400.0, sports_area=1800.0, equipment_value=150.0, multimedia_rooms=8.0,
                            music_rooms=1, art_rooms=1)
    return schools, left_out


def _campus(schools: list[SampleSchool]) -> SampleSchool:
    """A branch campus of the first nine-year school. The census lists it as a row of its own;
    folded into its parent, the two rows add up to the parent's figures set above."""
    parent = next(s for s in schools if s.school_type == "九年一贯制学校")
    moved = {"teaching_area": 120.0, "sports_area": 200.0, "equipment_value": 1.2}
    for key, amount in moved.items():
        parent.values[key] = round(parent.values[key] - amount, 2)
    return SampleSchool(parent.school_id, f"{parent.name}（村小校区）", "小学", {"primary": 0}, counted="否",
                        parent_id=parent.school_id,
                        values={"classes_primary": 0, "oversize_primary": 0, "qualified_primary": 0, "key_primary": 0,
                                "pe_primary": 0, "music_primary": 0, "art_primary": 0, "multimedia_rooms": 0.0,
                                "music_rooms": 0, "art_rooms": 0, **moved})


def _new_school() -> SampleSchool:
    return SampleSchool("5001140099", "新城实验小学", "小学", {"primary": 1200}, urban_rural="城区", values={
        "classes_primary": 27, "oversize_primary": 0, "qualified_primary": 66, "key_primary": 14, "pe_primary": 6,
        "music_primary": 3, "art_primary": 3, "teaching_area": 6000.0, "sports_area": 9600.0,
        "equipment_value": 264.0, "multimedia_rooms": 30.0, "music_rooms": 3, "art_rooms": 3})


def _improve(rng, plan: Plan, schools: list[SampleSchool], year: int) -> None:
    """Bring the sections nearest each standard up to it, at each indicator's own pace."""
    for level in ("小学", "初中"):
        sections = _sections(schools, level)
        for indicator, (_, base) in BASELINE[level].items():
            target = plan.indicator(indicator).targets[year][level].target
            wanted = round(base + (target.met * len(sections) / target.total - base) * PACE[indicator])
            for s in sorted(sections, key=lambda s: _shortfall(s, level, indicator)):
                if _count(sections, level, indicator) >= wanted:
                    break
                if _shortfall(s, level, indicator) > 0:
                    _lift(s, level, indicator)
        for s in sections:  # fewer over-size classes, more rooms, year by year
            over = f"oversize_{_key(level)}"
            s.values[over] = max(0, s.values[over] - rng.randint(0, 2))
    for s in schools:
        if rng.random() < 0.18:
            s.values["music_rooms"] += 1
        if rng.random() < 0.16:
            s.values["art_rooms"] += 1


def _ratio(s: SampleSchool, level: str, indicator: str) -> float:
    students = s.students[_key(level)]
    if indicator in TEACHERS:
        keys = ["pe", "music", "art"] if indicator == "R3" else [TEACHERS[indicator]]
        return sum(s.values[f"{k}_{_key(level)}"] for k in keys) * 100 / students
    per = 100 if indicator in PER_100 else 1
    scale = 10000 if indicator == "R6" else 1
    return s.values[FACILITY[indicator]] * s.weight(level) * scale * per / students


def _shortfall(s: SampleSchool, level: str, indicator: str) -> float:
    std = STANDARDS[level][indicator]
    return 0.0 if _met(_ratio(s, level, indicator), std) else 1 - _ratio(s, level, indicator) / std


def _count(sections, level, indicator) -> int:
    return sum(_shortfall(s, level, indicator) == 0 for s in sections)


def _lift(s: SampleSchool, level: str, indicator: str) -> None:
    std = STANDARDS[level][indicator]
    while not _met(_ratio(s, level, indicator), std):
        if indicator in TEACHERS:
            key = "pe" if indicator == "R3" else TEACHERS[indicator]
            s.values[f"{key}_{_key(level)}"] += 1
        else:
            key = FACILITY[indicator]
            step = {"R4": 10.0, "R5": 20.0, "R6": 0.5, "R7": 1.0}[indicator]
            s.values[key] = round(s.values[key] + step, 2)


def district_values(year: int) -> dict[tuple, object]:
    """The 区级指标 sheet, by (code, level, input): inputs reproducing the plan's baseline in 2019
    (G8 79,440 vs 74,052 元, G11 14.9%／28.5% …), then values near each year's target; vetoes by
    (code, level). G9, G12, G13, Q3 and Q4 come from the 学校 sheet (with_school_inputs)."""
    yes = {
        "G1": "学校规划布局合理、符合国家规定要求", "G2": "建设标准、教师编制标准、生均公用经费基准定额、基本装备配置标准城乡统一",
        "G10": "在核定编制总额和岗位总量内统筹分配各校编制和岗位",
    }
    v: dict[tuple, object] = {(code, "全区", item): "是" for code, item in yes.items()}
    v |= {
        ("G6", "小学", "不足100名学生的村小学和教学点按100名学生核定公用经费"): "是",
        ("G7", "全区", "特殊教育学校生均公用经费"): 6500,
        ("G8", "全区", "教师年平均工资收入"): 79440, ("G8", "全区", "公务员年平均工资收入"): 74052,
        ("G8", "全区", "绩效工资总量足额核定"): "是",
        # 298 / 2,000 = 14.9%; 85 / 298 = 28.5%
        ("G11", "全区", "符合交流条件教师数"): 2000, ("G11", "全区", "交流轮岗教师数"): 298,
        ("G11", "全区", "其中骨干教师数"): 85,
        ("G14", "全区", "优质高中招生名额分配比例"): 60, ("G14", "全区", "分配名额向农村初中倾斜"): "是",
        ("G15", "全区", "留守儿童关爱体系健全"): "是",
        ("G15", "全区", "符合条件的随迁子女在公办学校和政府购买服务的民办学校就读比例"): 100,
        ("Q1", "初中", "初中三年巩固率"): 95.5,
        ("Q2", "全区", "适龄残疾儿童少年数"): 200, ("Q2", "全区", "已入学的适龄残疾儿童少年数"): 190,
        ("S1", "全区", "社会认可度调查满意比例"): 90.2,
    }
    for level in ("小学", "初中"):
        v |= {
            **{(f"Q{n}", level, item): "是" for n, item in (
                (5, "教师熟练运用信息化手段、设施设备利用率较高"), (6, "所有学校德育工作、校园文化建设达到良好以上"),
                (7, "课程开齐开足、教学秩序规范、综合实践活动有效开展"), (9, "相关科目学业水平均达到Ⅲ级以上"))},
            ("Q8", level, "过重课业负担"): "无",
            ("Q9", level, "校际差异率"): 0.12,
        }
    v |= {(f"V{n}", "全区"): "不存在" for n in range(1, 7)}
    if year == 2019:
        v[("Q9", "初中", "相关科目学业水平均达到Ⅲ级以上")] = "否"  # 语文未达标
        return v
    later = {
        2020: {("Q1", "初中", "初中三年巩固率"): 96.2, ("Q2", "全区", "已入学的适龄残疾儿童少年数"): 191},  # 95.5%
        2021: {("Q1", "初中", "初中三年巩固率"): 96.1, ("Q2", "全区", "已入学的适龄残疾儿童少年数"): 192,  # 96.0%
               ("G14", "全区", "优质高中招生名额分配比例"): 62},
        2022: {("Q1", "初中", "初中三年巩固率"): 96.5, ("Q2", "全区", "已入学的适龄残疾儿童少年数"): 188,  # 94.0%
               ("G11", "全区", "其中骨干教师数"): 50,  # 50 / 298 = 16.8%: below 20%
               ("S1", "全区", "社会认可度调查满意比例"): 87.5},
    }[year]
    v.update(later)
    if year == 2022:
        del v[("G7", "全区", "特殊教育学校生均公用经费")]  # not yet recorded for the latest year: shows 无数据
    return v


# 专任教师年均培训学时 by year and level (G9: 年均90学时; 2020's 初中 falls short).
HOURS = {2019: {"小学": 92, "初中": 91}, 2020: {"小学": 92, "初中": 88}, 2021: {"小学": 92, "初中": 91},
         2022: {"小学": 92, "初中": 91}}


# Q3: the schools without a 章程 or without 管理与教学信息化, by year. 2019: 74 of 76 primary-level
# schools (the seed's 97.4%); 2021: 74 of 75 (98.7%, 后坝小学 merged); otherwise all.
Q3_SHORT = {2019: {"金洞教学点": "informatized", "小南海教学点": "charter"}, 2021: {"新华小学": "charter"}}


def with_school_inputs(row: dict, year: int) -> dict:
    """A school's G9, G12, G13, Q3 and Q4 columns: every teacher certified, the year's 学时, no
    boarding school, all primary and at least 95% of junior pupils from the catchment, a 章程 and
    信息化 but for Q3_SHORT, and 6% of 公用经费 for training (rounded up to 0.1 万元)."""
    school_type = TYPE_ALIASES[row["school_type"]]
    for key, level, has in (("primary", "小学", school_type.has_primary), ("junior", "初中", school_type.has_junior)):
        if not has:
            continue
        students = row[f"students_{key}"]
        row[f"teachers_{key}"] = row[f"certified_{key}"] = row[f"qualified_{key}"] + 3
        row[f"hours_{key}"] = HOURS[year][level]
        row[f"local_{key}"] = students if key == "primary" else students - students * 5 // 100
    students = row["students_primary"] + row["students_junior"] + row["students_senior"]
    funds = max(2.0, round(students * 0.012, 1))  # 万元
    row.update(boarding="否", public_funds=funds, training_funds=math.ceil(funds * 0.6) / 10, charter="是",
               informatized="是")
    if row["name"] in Q3_SHORT.get(year, {}):
        row[Q3_SHORT[year][row["name"]]] = "否"
    return row


def sample_name(year: int) -> str:
    return f"黔江区{year}年教育事业统计_示例数据（虚构）.xlsx"


def write_samples(folder: str | Path) -> list[Path]:
    """Write the four sample workbooks into `folder` and return their paths."""
    folder = Path(folder)
    plan = load_plan(default_plan_path())
    schools, left_out = baseline_schools()
    campus = _campus(schools)
    rng = random.Random(SEED + 1)
    paths = []
    for year in YEARS:
        if year > 2019:
            _improve(rng, plan, schools, year)
        current = list(schools)
        if year >= 2021:  # a small rural school merged into its neighbour (footnote 3)
            current = [s for s in current if s.name != "后坝小学"]
        if year >= 2022:  # and a new school opened in the new town
            current.append(_new_school())
        rows = [with_school_inputs(s.row(), year) for s in current + left_out] + [campus.row()]
        paths.append(write_template(folder / sample_name(year), plan, year=year, schools=rows,
                                    recorded=district_values(year), filled_by="示例（程序生成）", sample=True,
                                    created=dt.datetime(year, 1, 1)))  # fixed: the bundled files are these bytes
    return paths


if __name__ == "__main__":
    for written in write_samples(sys.argv[1] if len(sys.argv) > 1 else "inputs"):
        print(written)
