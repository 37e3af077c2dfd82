"""Boundaries, vetoes and verdicts: the cases where a wrong rule would certify a district wrongly.

Every expected figure and text below is worked out by hand in the comment beside it.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from excel_balance.census.model import RecordedValue
from excel_balance.census.schema import TYPE_ALIASES
from excel_balance.evaluate import evaluate, evaluate_year
from excel_balance.evaluate.judge import (
    judge_count,
    judge_number,
    judge_paired,
    judge_percent,
    judge_qualitative,
    veto_present,
)
from excel_balance.evaluate.resources import MEASURES, LevelIndicator, coefficient_of_variation, gap
from excel_balance.evaluate.rules import (
    Status,
    decimals_of,
    percent_decimals,
    percent_text,
    round_half_up,
    to_decimal,
    worse,
)
from excel_balance.evaluate.school_conditions import LevelConditions
from excel_balance.evaluate.sections import School, split_weights
from excel_balance.plan import PercentTarget, PlanCell, load_plan
from excel_balance.problems import Problem, ProblemsError, Severity
from excel_balance.resources import template_path
from tests.census_data import school
from tests.test_evaluate import census_of


def recorded(*values: tuple[str, str, str, str | None]) -> dict:
    """(code, level, text, number) → what the reader gives for a 区级指标 row."""
    return {(code, level): RecordedValue(code, level, text, Decimal(number) if number else None)
            for code, level, text, number in values}


def with_recorded(census, values: dict):
    return replace(census, recorded={**census.recorded, **values})


# --- a district that meets everything in 2024 ------------------------------------------------------

# Two primary schools with the same figures per student (so every CV is 0) and one junior school.
# Primary standards: R1 4.2, R2 1, R3 0.9 per 100; R4 4.5, R5 7.5 ㎡; R6 2000 元; R7 2.3 per 100.
# 500 students: 25 qualified = 5.0, 5 key = 1.0, 5 PE = 1.0, 2500 ㎡ = 5.0, 4000 ㎡ = 8.0,
# 125 万元 = 2500 元, 15 rooms = 3.0 — all met; 10 classes need 1 music and 1 art room.
PRIMARY_500 = dict(students_primary=500, classes_primary=10, qualified_primary=25, key_primary=5, pe_primary=5,
                   teaching_area=2500, sports_area=4000, equipment_value=125, multimedia_rooms=15,
                   music_rooms=1, art_rooms=1)
PRIMARY_1000 = {**{k: v * 2 for k, v in PRIMARY_500.items()}}  # 20 classes need 2 rooms of each
# Junior standards: R1 5.3, R4 5.8, R5 10.2, R6 2500, R7 2.4. 800 students: 48 qualified = 6.0,
# 8 key = 1.0, 8 PE = 1.0, 4800 ㎡ = 6.0, 8800 ㎡ = 11.0, 240 万元 = 3000 元, 24 rooms = 3.0.
JUNIOR_800 = dict(students_junior=800, classes_junior=16, qualified_junior=48, key_junior=8, pe_junior=8,
                  teaching_area=4800, sports_area=8800, equipment_value=240, multimedia_rooms=24,
                  music_rooms=2, art_rooms=2)


def model_rows(a: dict | None = None, b: dict | None = None) -> list[dict]:
    return [school("0500100101", "甲小学", "小学", **{**PRIMARY_500, **(a or {})}),
            school("0500100102", "乙小学", "小学", **{**PRIMARY_1000, **(b or {})}),
            school("0500100103", "丙中学", "初级中学", **JUNIOR_800)]


def final_values(plan) -> dict:
    """Every district-level indicator at its final standard, every veto absent."""
    words = {"G1": "达标", "G2": "达标", "G7": "达标", "G8": "达标", "G10": "达标", "G11": "达标", "S1": "达标"}
    values = [(code, "全区", word, None) for code, word in words.items()]
    values += [("G6", "小学", "达标", None)]
    for level in ("小学", "初中"):
        values += [("G9", level, "90学时", "90"), ("G12", level, "100%", "100"), ("Q3", level, "100%", "100"),
                   ("Q4", level, "100%", "100"), ("Q8", level, "无", None)]
        values += [(code, level, "达标", None) for code in ("Q5", "Q6", "Q7", "Q9")]
    values += [("G13", "小学", "100%", "100"), ("G13", "初中", "95%", "95"),
               ("Q1", "初中", "98%", "98"), ("Q2", "全区", "96.5%", "96.5")]
    values += [(veto.id, "全区", "不存在", None) for veto in plan.vetoes]
    return recorded(*values)


def final_inputs() -> dict:
    """G14 and G15 have two conditions each (issue 19): one value cannot show both, so the model
    district records their inputs (templates/measures/national.yaml): 60% of places ≥ 50% and 是;
    是 and 100% of migrant children ≥ 85%."""
    items = [("G14", "优质高中招生名额分配比例", "60%", "60"), ("G14", "分配名额向农村初中倾斜", "是", None),
             ("G15", "留守儿童关爱体系健全", "是", None),
             ("G15", "符合条件的随迁子女在公办学校和政府购买服务的民办学校就读比例", "100%", "100")]
    return {(code, "全区", item): RecordedValue(code, "全区", text, Decimal(number) if number else None, item=item,
                                                unit="%" if number else "")
            for code, item, text, number in items}


def verdict_of(plan, rows, values=None, drop=()):
    census = with_recorded(census_of(rows, 2024), final_values(plan) | (values or {}))
    census = replace(census, recorded={k: v for k, v in census.recorded.items() if k[0] not in drop},
                     inputs=final_inputs())
    return evaluate(plan, [census]).verdict


def test_a_district_meeting_every_standard_is_certified(qianjiang):
    verdict = verdict_of(qianjiang, model_rows())
    assert (verdict.year, verdict.certified, verdict.obstacles) == (2024, True, ())


def test_one_section_short_of_resources_is_not_certified(qianjiang):
    # 甲小学 with 3 key and 3 PE teachers: 0.6 per 100 against 1 and 0.9 — five of seven met.
    verdict = verdict_of(qianjiang, model_rows(a={"key_primary": 3, "pe_primary": 3}))
    assert (verdict.certified, verdict.obstacles) == (
        False, ("资源配置：小学1/2所学校达标（要求每所学校至少6项达标、其余不低于85%）",))


def test_one_indicator_below_the_85_percent_floor_is_not_certified(qianjiang):
    # 甲小学 with 84 万元 of equipment: 1680 元 per student = 84% of 2000 — six met, the seventh
    # below 85% of its standard.
    verdict = verdict_of(qianjiang, model_rows(a={"equipment_value": 84}))
    assert verdict.obstacles == ("资源配置：小学1/2所学校达标（要求每所学校至少6项达标、其余不低于85%）",)


def test_a_cv_over_the_threshold_is_not_certified(qianjiang):
    # 乙小学 with 30 ㎡ per student against 甲's 5: weights 1/3, 2/3, X̄ = (5 + 2·30)/3 = 21.667,
    # σ = √(1/3·2/3)·25 = 11.785, CV = 0.5439 → 0.54 > 0.50.
    verdict = verdict_of(qianjiang, model_rows(b={"teaching_area": 30000}))
    assert (verdict.certified, verdict.obstacles) == (False, ("资源配置R4：小学差异系数0.54，超过0.50",))


@pytest.mark.parametrize("word, obstacle", [
    ("存在", "否决情形：有弄虚作假行为"), ("有", "否决情形：有弄虚作假行为"), ("未达标", "否决情形：有弄虚作假行为"),
    (None, "否决情形未填报：有弄虚作假行为"),
])
def test_a_veto_stops_certification(qianjiang, word, obstacle):
    if word is None:
        verdict = verdict_of(qianjiang, model_rows(), drop=("V6",))
    else:
        verdict = verdict_of(qianjiang, model_rows(), recorded(("V6", "全区", word, None)))
    assert (verdict.certified, verdict.obstacles) == (False, (obstacle,))


@pytest.mark.parametrize("word, present", [
    ("存在", True), ("有", True), ("未达标", True), ("不存在", False), ("无", False), ("达标", False),
])
def test_veto_words(word, present):
    assert veto_present(RecordedValue("V1", "全区", word)) is present


def test_an_unrecorded_veto_is_unknown_not_absent():
    assert veto_present(None) is None


def test_a_district_indicator_short_of_its_standard_is_named(qianjiang):
    # G9 at 80 学时 against 90, S1 at a survey's 84.9% against 85%.
    values = recorded(("G9", "初中", "80学时", "80"), ("S1", "全区", "84.9%", "84.9"))
    verdict = verdict_of(qianjiang, model_rows(), values)
    assert verdict.obstacles == (
        "G9（9.教师5年450学时培训完成率达到100%）：初中未达到标准（现为80学时）",
        "S1（区级人民政府及有关职能部门落实教育公平政策、推动…）：未达到标准（现为84.9%）",
    )


# --- CVs at the thresholds, after rounding to 2 decimals ---------------------------------------------

def two_sections(level: str, area_a: float, area_b: float) -> list[dict]:
    """Two sections of 100 students each: per-student areas x, y give CV = |x − y| / (x + y)."""
    kind, key = ("小学", "students_primary") if level == "小学" else ("初级中学", "students_junior")
    return [school("0500100201", "甲", kind, **{key: 100, "teaching_area": area_a}),
            school("0500100202", "乙", kind, **{key: 100, "teaching_area": area_b})]


@pytest.mark.parametrize("level, a, b, shown, ok", [
    ("小学", 1500, 500, "0.50", True),  # |15 − 5| / 20 = 0.50
    ("小学", 1504, 496, "0.50", True),  # 10.08 / 20 = 0.504, shown and judged as 0.50
    ("小学", 1506, 494, "0.51", False),  # 10.12 / 20 = 0.506 → 0.51
    ("小学", 1510, 490, "0.51", False),  # 10.2 / 20 = 0.51
    ("初中", 2900, 1100, "0.45", True),  # 18 / 40 = 0.45
    ("初中", 2904, 1096, "0.45", True),  # 18.08 / 40 = 0.452
    ("初中", 2920, 1080, "0.46", False),  # 18.4 / 40 = 0.46
])
def test_cv_at_the_threshold(qianjiang, level, a, b, shown, ok):
    result = evaluate_year(qianjiang, census_of(two_sections(level, a, b), 2024))
    r4 = result.resources[(level, "R4")]
    assert (r4.cv_shown, r4.cv_ok) == (Decimal(shown), ok)
    verdict = evaluate(qianjiang, [census_of(two_sections(level, a, b), 2024)]).verdict
    threshold = "0.50" if level == "小学" else "0.45"
    assert (f"资源配置R4：{level}差异系数{shown}，超过{threshold}" in verdict.obstacles) is not ok


# --- numbers and percentages staff record -----------------------------------------------------------

@pytest.mark.parametrize("year, text, number, status, met", [
    (2022, "90学时", "90", Status.MET, True),  # 年均90学时以上: exactly 90 meets target and standard
    (2022, "89.99学时", "89.99", Status.BEHIND, False),
    (2022, "80学时", "80", Status.BEHIND, False),
    (2019, "90学时", "90", Status.MET, True),  # the baseline column: the standard only
    (2019, "89.99学时", "89.99", Status.NOT_MET, False),
])
def test_g9_training_hours(qianjiang, year, text, number, status, met):
    census = census_of([], year, columns=())
    cells = evaluate_year(qianjiang, with_recorded(census, recorded(("G9", "小学", text, number)))).cells
    cell = cells[("G9", "小学")]
    assert (cell.actual_text, cell.status, cell.standard_met) == (text, status, met)


def test_g9_recorded_as_a_word_or_with_a_note(qianjiang):
    values = recorded(("G9", "小学", "达标", None), ("G9", "初中", "未达标", None))
    values[("S1", "全区")] = RecordedValue("S1", "全区", "88%", Decimal("88"), "第三方问卷")
    values[("Q2", "全区")] = RecordedValue("Q2", "全区", "96%", Decimal("96"), "残联数据")  # 2022 target 95.70%
    cells = evaluate_year(qianjiang, with_recorded(census_of([], 2022), values)).cells
    # Issue 19: G9 (年均学时) and Q2 (two head counts) cannot take one word or one rate as their inputs:
    # the word / rate is judged as recorded, labelled 填报判断, and the note names the inputs wanted
    # (it replaces the recorded note). S1's one input is a percentage: 88% ≥ 85% is measured (测算).
    g9_inputs = "按测算方法请在“区级指标”表填写：专任教师年均培训学时（学时）（或在“学校”表填写各校数据）"
    q2_inputs = "按测算方法请在“区级指标”表填写：适龄残疾儿童少年数（人）、已入学的适龄残疾儿童少年数（人）"
    assert {key: (cells[key].actual_text, cells[key].status, cells[key].basis, cells[key].note) for key in values} == {
        ("G9", "小学"): ("达标", Status.MET, "填报判断", g9_inputs),
        ("G9", "初中"): ("未达标", Status.BEHIND, "填报判断", g9_inputs),
        ("S1", "全区"): ("88%", Status.MET, "测算", ""),
        ("Q2", "全区"): ("96%", Status.MET, "填报判断", q2_inputs)}  # 96% ≥ the 2022 target 95.70%
    for year in (2019, 2022):  # 92 学时 is G9's one input: measured, 92 ≥ 90
        noted = {("G9", "小学"): RecordedValue("G9", "小学", "92学时", Decimal("92"), "抽查统计")}
        g9 = evaluate_year(qianjiang, with_recorded(census_of([], year), noted)).cells[("G9", "小学")]
        assert (g9.actual_text, g9.status, g9.standard_met, g9.basis) == ("92学时", Status.MET, True, "测算")


def test_a_number_target_above_the_standard(qianjiang):
    # If the plan asked for 年均100学时 in 2022, 95 学时 meets the 90 standard but not the target.
    g9 = qianjiang.indicator("G9")
    raised = {level: replace(cell, text="年均100学时以上", target=replace(cell.target, value=Decimal(100)))
              for level, cell in g9.targets[2022].items()}
    plan = with_indicator(qianjiang, "G9", targets={**g9.targets, 2022: raised})
    census = with_recorded(census_of([], 2022), recorded(("G9", "小学", "95学时", "95")))
    cell = evaluate_year(plan, census).cells[("G9", "小学")]
    assert (cell.target_text, cell.status, cell.standard_met) == ("年均100学时以上", Status.BEHIND, True)


# S1 at its standard: 社会认可度达到85%以上, so 85% exactly is enough and 84.9% is not (2022 has a target,
# 2019 is the baseline judged on the standard alone).
S1_AT_85 = [
    (2022, "85%", "85", Status.MET, True),
    (2022, "84.9%", "84.9", Status.BEHIND, False),
    (2019, "85%", "85", Status.MET, True),
    (2019, "84.9%", "84.9", Status.NOT_MET, False),
]


@pytest.mark.parametrize("year, text, number, status, met", S1_AT_85)
def test_s1_with_a_survey_percentage(qianjiang, year, text, number, status, met):
    census = with_recorded(census_of([], year), recorded(("S1", "全区", text, number)))
    cell = evaluate_year(qianjiang, census).cells[("S1", "全区")]
    assert (cell.actual_text, cell.status, cell.standard_met) == (text, status, met)


def test_recorded_words_are_shown_as_recorded(qianjiang):
    values = recorded(("G1", "全区", "达标", None), ("G2", "全区", "未达标", None), ("Q8", "小学", "无", None))
    values[("Q8", "初中")] = RecordedValue("Q8", "初中", "有", None, "部分学校作业量偏大")
    values[("G7", "全区")] = RecordedValue("G7", "全区", "不存在", None, cell="区级指标!E12")
    cells = evaluate_year(qianjiang, with_recorded(census_of([], 2022), values)).cells
    shown = {key: (cells[key].actual_text, cells[key].status, cells[key].standard_met, cells[key].basis)
             for key in values}
    # Issue 19: G1, G2 and Q8 each have one 是/否 input, so the recorded word is that input (测算).
    assert shown == {
        ("G1", "全区"): ("达标", Status.MET, True, "测算"),
        ("G2", "全区"): ("未达标", Status.BEHIND, False, "测算"),
        ("Q8", "小学"): ("无", Status.MET, True, "测算"),  # 无过重课业负担: 无 is the goal
        ("Q8", "初中"): ("有", Status.BEHIND, False, "测算"),
        # G7 is 特殊教育学校生均公用经费 ≥ 6000 元: the word 不存在 cannot be read as a figure in 元.
        ("G7", "全区"): ("", Status.NO_DATA, None, ""),
    }
    assert cells[("G7", "全区")].note == ("“不存在”（区级指标!E12）无法按本指标的测算方法判断；"
                                         "按测算方法请在“区级指标”表填写：特殊教育学校生均公用经费（元）")


@pytest.fixture(scope="module")
def national():
    return load_plan(template_path("plans", "national.yaml"))


def test_q8_under_the_national_plan(national):
    # The national plan has no yearly targets: its standard text 无 says 无 is the goal.
    values = recorded(("Q8", "小学", "无", None), ("Q8", "初中", "有", None), ("G1", "全区", "达标", None))
    cells = evaluate_year(national, with_recorded(census_of([], 2022), values)).cells
    shown = {key: (cells[key].actual_text, cells[key].status, cells[key].standard_met) for key in values}
    assert shown == {("Q8", "小学"): ("无", Status.MET, True), ("Q8", "初中"): ("有", Status.NOT_MET, False),
                     ("G1", "全区"): ("达标", Status.MET, True)}


# --- counts: one section, G3's pair ---------------------------------------------------------------------

def test_a_level_of_one_section_is_judged(qianjiang):
    # The junior level of the model district has one section: 1/1 meets 23/23 (1·23 ≥ 23·1).
    cells = evaluate_year(qianjiang, census_of(model_rows(), 2024)).cells
    shown = {key: (cells[key].actual_text, cells[key].status) for key in (("R1", "初中"), ("G3", "初中"))}
    assert shown == {("R1", "初中"): ("1/1", Status.MET), ("G3", "初中"): ("音乐1/1，美术1/1", Status.MET)}


@pytest.mark.parametrize("year, art, text, status, met", [
    (2019, 0, "音乐1/1，美术0/1", Status.NOT_MET, False),
    (2024, 0, "音乐1/1，美术0/1", Status.NEAR, False),
    (2019, 1, "音乐1/1，美术1/1", Status.MET, True),
])
def test_g3_needs_both_music_and_art(qianjiang, year, art, text, status, met):
    # One primary school of 10 classes with its music room. 2024's target is 71/71 for both:
    # music 1/1 meets it; art 0/1 is one school short of ⌈71·1/71⌉ = 1 → 接近目标.
    rows = [school("0500100301", "甲", "小学", students_primary=300, classes_primary=10, music_rooms=1, art_rooms=art)]
    cell = evaluate_year(qianjiang, census_of(rows, year)).cells[("G3", "小学")]
    assert (cell.actual_text, cell.status, cell.standard_met) == (text, status, met)


def test_g3_of_a_level_without_sections_has_no_data(qianjiang):
    cell = judge_paired(qianjiang, qianjiang.indicator("G3"), "小学", 2022, LevelConditions(0, 0, 0, 0, 0, 0))
    assert (cell.actual_text, cell.status, cell.standard_met) == ("", Status.NO_DATA, None)


# --- shares rounded to the target's printed decimals ---------------------------------------------------

@pytest.mark.parametrize("share, text, status", [
    ("90.99", "91%", Status.NEAR),  # printed 91%: 93 − 91 = 2 points, within the margin (unrounded: 2.01)
    ("90.49", "90%", Status.BEHIND),  # 90%: 3 points short
    ("92.5", "93%", Status.TARGET_MET),  # 93% meets 93%, the 100% standard is not met
    ("92.49", "92%", Status.NEAR),
])
def test_a_share_is_judged_as_printed(qianjiang, share, text, status):
    cell = judge_percent(qianjiang, qianjiang.indicator("G4"), "小学", 2020, Decimal(share))
    assert (cell.target_text, cell.actual_text, cell.status) == ("93%", text, status)


# --- schools at the size and teaching-point limits -------------------------------------------------------

@pytest.mark.parametrize("students, counted", [(49, False), (50, True), (51, True)])
def test_teaching_points_at_50_students(qianjiang, students, counted):
    rows = [school("0500100401", "教学点", "小学教学点", students_primary=students, classes_primary=3)]
    result = evaluate_year(qianjiang, census_of(rows))
    assert [(s.section.name, s.section.level, s.section.students) for s in result.sections_of("小学")] == (
        [("教学点", "小学", students)] if counted else [])
    reasons = [e.reason for e in result.excluded]
    assert reasons == ([] if counted else ["教学点在校生49人（不足50人），不参加资源配置指标测算"])


@pytest.mark.parametrize("kind, primary, junior, within", [
    ("小学", 2000, 0, True), ("小学", 2001, 0, False),
    ("初级中学", 0, 2000, True), ("初级中学", 0, 2001, False),
    ("九年一贯制学校", 1500, 1000, True), ("九年一贯制学校", 1500, 1001, False),
])
def test_schools_at_the_size_limits(qianjiang, kind, primary, junior, within):
    rows = [school("0500100501", "学校", kind, students_primary=primary, students_junior=junior,
                   classes_primary=primary // 40, classes_junior=junior // 40)]
    result = evaluate_year(qianjiang, census_of(rows, 2022))
    levels = [level for level, n in (("小学", primary), ("初中", junior)) if n]
    share = "100%" if within else "0%"
    assert {level: result.cells[("G4", level)].actual_text for level in levels} == dict.fromkeys(levels, share)


# --- the indoor-sports refinement --------------------------------------------------------------------------

@pytest.mark.parametrize("netting, r4, r5", [(False, 5.0, 6.0), (True, 4.0, 7.0)])
def test_indoor_sports_netted_only_when_switched_on(qianjiang, netting, r4, r5):
    # 100 students, 500 ㎡ teaching rooms of which 100 ㎡ indoor sports, 600 ㎡ sports grounds;
    # a second school leaves the indoor figure blank: nothing to move (5.0 and 6.0 either way).
    refinements = replace(qianjiang.settings.refinements, net_indoor_sports=netting)
    plan = replace(qianjiang, settings=replace(qianjiang.settings, refinements=refinements))
    rows = [school("0500100601", "甲", "小学", students_primary=100, teaching_area=500, sports_area=600,
                   indoor_sports_area=100),
            school("0500100602", "乙", "小学", students_primary=100, teaching_area=500, sports_area=600)]
    sections = evaluate(plan, [census_of(rows, columns={"indoor_sports_area"})]).latest.sections
    assert [(s.values["R4"].indicator_id, s.values["R4"].value, s.values["R5"].value) for s in sections] == [
        ("R4", r4, r5), ("R4", 5.0, 6.0)]


# --- what else the verdict names ------------------------------------------------------------------------

def with_indicator(plan, indicator_id: str, **changes):
    return replace(plan, indicators=tuple(replace(i, **changes) if i.id == indicator_id else i for i in plan.indicators))


def test_figures_an_export_lacks_are_named(qianjiang):
    # Without 小学骨干教师数 R2 cannot be judged per school; without the room counts G3 has no data.
    census = with_recorded(census_of(model_rows(), 2024), final_values(qianjiang))
    census = replace(census, missing=frozenset({"key_primary", "music_rooms", "art_rooms"}), inputs=final_inputs())
    evaluation = evaluate(qianjiang, [census])
    cells = evaluation.latest.cells
    assert {key: (cells[key].status, cells[key].note) for key in (("R2", "小学"), ("R2", "初中"), ("G3", "初中"))} == {
        ("R2", "小学"): (Status.NO_DATA, "缺少数据：小学骨干教师数（统计导出中没有，请用补充表填写）"),
        ("R2", "初中"): (Status.MET, ""),  # junior key teachers are there: 1/1
        ("G3", "初中"): (Status.NO_DATA, "缺少数据：达标美术专用教室数、达标音乐专用教室数（统计导出中没有，请用补充表填写）"),
    }
    assert evaluation.verdict.obstacles == (
        "资源配置R2：缺少数据，无法判断各校是否达到资源配置要求（请用补充表填写）",
        "G3（3.所有小学、初中每12个班级配备音乐、美术专用…）：小学无数据",
        "G3（3.所有小学、初中每12个班级配备音乐、美术专用…）：初中无数据",
    )


def test_a_cv_that_cannot_be_computed_is_named(qianjiang):
    # No key teachers anywhere in primary: R2 is 0 in both sections (below 85% of 1), the CV undefined.
    verdict = verdict_of(qianjiang, model_rows(a={"key_primary": 0}, b={"key_primary": 0}))
    assert verdict.obstacles == ("资源配置：小学0/2所学校达标（要求每所学校至少6项达标、其余不低于85%）",
                                 "资源配置R2：小学差异系数无法计算（无数据）")


def test_a_junior_cv_is_judged_beside_the_primary_ones(qianjiang):
    # A second junior school of 800 with 20 ㎡ each against 丙's 6: CV = 14 / 26 = 0.538 → 0.54 > 0.45.
    rows = model_rows() + [school("0500100104", "丁中学", "初级中学", **{**JUNIOR_800, "teaching_area": 16000})]
    verdict = verdict_of(qianjiang, rows)
    assert verdict.obstacles == ("资源配置R4：初中差异系数0.54，超过0.45",)


def test_each_level_of_an_indicator_is_judged(qianjiang):
    # Q1 is blank for 小学 (不适用), so its 初中 cell must still be judged: 94% < 95%.
    verdict = verdict_of(qianjiang, model_rows(), recorded(("Q1", "初中", "94%", "94")))
    assert verdict.obstacles == ("Q1（1.全区初中三年巩固率达到95%以上）：初中未达到标准（现为94%）",)


@pytest.mark.parametrize("length, name", [
    (25, "Q6（6.所有学校德育工作、校园文化建设水平达到良好以…）"),  # the plan's own 25 characters
    (24, "Q6（6.所有学校德育工作、校园文化建设水平达到良好以）"),  # 24 are shown whole
])
def test_long_indicator_texts_are_cut_at_24_characters(qianjiang, length, name):
    plan = with_indicator(qianjiang, "Q6", text=qianjiang.indicator("Q6").text[:length])
    verdict = verdict_of(plan, model_rows(), recorded(("Q6", "小学", "未达标", None)))
    assert verdict.obstacles == (f"{name}：小学未达到标准（现为未达标）",)


def test_the_plans_goal_word_wins_over_its_baseline(qianjiang):
    # A district whose 现状 was 有 (heavy burdens) and whose targets are 无: 无 meets the goal.
    plan = with_indicator(qianjiang, "Q8", baseline={"小学": "有", "初中": "有"})
    values = recorded(("Q8", "小学", "无", None), ("Q8", "初中", "有", None))
    for year, met_status, short_status in ((2022, Status.MET, Status.BEHIND), (2019, Status.MET, Status.NOT_MET)):
        cells = evaluate_year(plan, with_recorded(census_of([], year), values)).cells
        assert (cells[("Q8", "小学")].status, cells[("Q8", "初中")].status) == (met_status, short_status)


def test_the_year_keeps_its_schools_and_warnings(qianjiang):
    warning = Problem("测试.xlsx", "学校!C5", "学校名称重复", Severity.WARNING)
    census = replace(census_of(model_rows(), 2022), warnings=(warning,))
    result = evaluate_year(qianjiang, census)
    assert ([s.name for s in result.schools], result.warnings) == (["甲小学", "乙小学", "丙中学"], (warning,))


def test_no_census_no_verdict(qianjiang):
    evaluation = evaluate(qianjiang, [])
    assert (evaluation.plan, evaluation.years, evaluation.verdict) == (qianjiang, {}, None)


def test_two_censuses_of_one_year_name_the_file(qianjiang):
    with pytest.raises(ProblemsError) as caught:
        evaluate(qianjiang, [census_of([]), census_of([])])
    problem = caught.value.problems[0]
    assert (problem.file, problem.where, problem.message) == ("测试.xlsx", "", "与 测试.xlsx 是同一统计年度（2022），请只保留一个")


def test_a_refinement_lists_every_missing_column(qianjiang):
    refinements = replace(qianjiang.settings.refinements, relaxed_room_areas=True)
    plan = replace(qianjiang, settings=replace(qianjiang.settings, refinements=refinements))
    with pytest.raises(ProblemsError) as caught:
        evaluate(plan, [census_of([], columns={"built_year"})])
    assert [str(p) for p in caught.value.problems] == [
        "测试.xlsx 学校：规划启用了“音乐、美术专用教室面积放宽”细则（relaxed_room_areas），"
        "统计报表缺少列：最大班额(人)、放宽面积音乐专用教室数(间)、放宽面积美术专用教室数(间)"]


# --- district values, gaps and the shared rules ------------------------------------------------------

def test_district_values_in_the_baseline_column(qianjiang):
    # 2019: the standard only. Primary 75 qualified of 1,500 = 5.00 per 100; 375 万元 / 1,500 = 2500 元;
    # junior 4800 ㎡ / 800 = 6.00 ㎡.
    cells = evaluate_year(qianjiang, census_of(model_rows(a={"multimedia_rooms": 10}), 2019)).cells
    keys = (("R1", "小学"), ("R6", "小学"), ("R4", "初中"), ("R7", "小学"))
    assert {key: (cells[key].actual_text, cells[key].status, cells[key].standard_met) for key in keys} == {
        ("R1", "小学"): ("全区5.00人，达标2/2", Status.MET, True),
        ("R6", "小学"): ("全区2500元，达标2/2", Status.MET, True),
        ("R4", "初中"): ("全区6.00㎡，达标1/1", Status.MET, True),
        # 甲 with 10 rooms: 2.0 per 100 < 2.3; (10 + 30) / 1,500 = 2.67 per 100 for the district.
        ("R7", "小学"): ("全区2.67间，达标1/2", Status.NOT_MET, False),
    }


def test_gaps_below_one_unit(qianjiang):
    # R1 for 800 pupils needs 4.2 × 8 = 33.6 teachers: 33 lack 0.6 → one whole teacher; 34 lack none.
    qualified = MEASURES["qualified_teachers"]
    assert (gap(qualified, Decimal("4.2"), 800, 33), gap(qualified, Decimal("4.2"), 800, 34)) == (1.0, 0.0)
    # R4 for 100 pupils needs 450 ㎡: 449.4 ㎡ (4.494, shown 4.49) lacks 0.6 ㎡; 400 ㎡ lacks 50.
    rows = [school("0500100701", "甲", "小学", students_primary=100, teaching_area=449.4),
            school("0500100702", "乙", "小学", students_primary=100, teaching_area=400)]
    r4 = evaluate_year(qianjiang, census_of(rows)).resources[("小学", "R4")]
    assert (r4.indicator_id, r4.met, r4.total, r4.gap_total) == ("R4", 0, 2, pytest.approx(50.6))


def test_worse_of_two_statuses_skips_not_applicable():
    assert worse(Status.NOT_APPLICABLE, Status.NEAR) is Status.NEAR
    assert worse(Status.MET, Status.NOT_APPLICABLE) is Status.MET
    assert worse(Status.NEAR, Status.BEHIND) is Status.BEHIND and worse(Status.NO_DATA, Status.MET) is Status.NO_DATA


@pytest.mark.parametrize("number, decimals", [("95", 0), ("95.50", 2), ("0.5", 1), ("100", 0)])
def test_printed_decimals_of_a_plan_number(number, decimals):
    assert decimals_of(Decimal(number)) == decimals


@pytest.mark.parametrize("resources, students, cv", [
    ([15, 5], [100, 100], Decimal("0.50")),  # |0.15 − 0.05| / (0.15 + 0.05)
    ([3, 1], [1, 1], Decimal("0.50")),  # one student each: still weighted
    ([10, 0], [100, 0], Decimal("0.00")),  # a section without students is left out
    ([5.0], [0], None),  # no students: undefined
    ([0, 0], [10, 10], None),  # no resource: undefined
])
def test_cv_of_small_districts(resources, students, cv):
    result = coefficient_of_variation(resources, students)
    assert (None if result is None else round_half_up(result, 2)) == cv


@pytest.mark.parametrize("value, decimals, rounded", [
    (0.123456785, 8, "0.12345679"),  # beyond the float fast path's scales
    (Decimal("1.00000000005"), 10, "1.0000000001"),
    (2.675, 2, "2.68"),
])
def test_rounding_to_many_decimals(value, decimals, rounded):
    assert str(round_half_up(value, decimals)) == rounded


def test_integers_become_exact_decimals():
    # Through a float, 2⁵³ + 1 would lose its last unit; an integer stays as it is printed.
    assert (to_decimal(2**53 + 1), str(to_decimal(5))) == (Decimal(9007199254740993), "5")


def test_levels_without_sections_have_no_data(qianjiang):
    empty = LevelIndicator("R1", None, 0, 0, None, None, Decimal("0.50"), False, 0.0)
    cell = judge_count(qianjiang, qianjiang.indicator("R1"), "小学", 2022, empty)
    assert (cell.actual_text, cell.status, cell.standard_met) == ("", Status.NO_DATA, None)


def test_cells_say_where_they_belong(qianjiang):
    cells = evaluate_year(qianjiang, census_of(model_rows(), 2024)).cells
    r1, g4 = cells[("R1", "初中")], cells[("G4", "小学")]
    assert (r1.indicator_id, r1.level, r1.year, r1.target_year, r1.standard_met, r1.note) == (
        "R1", "初中", 2024, 2024, True, "")
    assert (g4.indicator_id, g4.level, g4.actual_text, g4.status, g4.standard_met, g4.note) == (
        "G4", "小学", "100%", Status.MET, True, "")


def test_baseline_shares_and_recorded_percentages(qianjiang):
    # 2019: one of two primary schools within 2,000 pupils → 50%, short of the 100% standard;
    # Q1 at a recorded 96.5% meets 95% (its one input: 测算); G12 recorded as the word 达标 and Q2 as one
    # rate, where issue 19 wants head counts: judged as recorded, 填报判断, the note naming the inputs.
    rows = [school("0500100801", "甲", "小学", students_primary=2000, classes_primary=40),
            school("0500100802", "乙", "小学", students_primary=2001, classes_primary=40)]
    values = recorded(("Q1", "初中", "96.5%", "96.5"), ("G12", "小学", "达标", None), ("Q1", "小学", "达标", None))
    values[("Q2", "全区")] = RecordedValue("Q2", "全区", "94.6%", Decimal("94.6"), "残联数据")
    cells = evaluate_year(qianjiang, with_recorded(census_of(rows, 2019), values)).cells
    keys = [("G4", "小学"), *values]
    assert {key: (cells[key].actual_text, cells[key].status, cells[key].standard_met, cells[key].basis)
            for key in keys} == {
        ("G4", "小学"): ("50%", Status.NOT_MET, False, ""),
        ("Q1", "初中"): ("96.5%", Status.MET, True, "测算"),
        ("G12", "小学"): ("达标", Status.MET, True, "填报判断"),
        ("Q1", "小学"): ("", Status.NOT_APPLICABLE, None, ""),  # the plan leaves it blank, whatever was recorded
        ("Q2", "全区"): ("94.6%", Status.NOT_MET, False, "填报判断"),  # recorded: compared as is, not as 95%
    }
    assert (cells[("G12", "小学")].note, cells[("Q2", "全区")].note) == (
        "按测算方法请在“区级指标”表填写：专任教师数（人）、持有教师资格证的专任教师数（人）（或在“学校”表填写各校数据）",
        "按测算方法请在“区级指标”表填写：适龄残疾儿童少年数（人）、已入学的适龄残疾儿童少年数（人）")


def test_a_computed_share_meets_a_standard_as_printed(qianjiang):
    # A plan whose class-size standard were 95% (not 所有): 19 of 20 classes = 95%, 94.6% prints as 95%.
    plan = with_indicator(qianjiang, "G5", standard={"小学": Decimal(95), "初中": Decimal(95)})
    cell = judge_percent(plan, plan.indicator("G5"), "小学", 2019, Decimal("94.6"))
    assert (cell.actual_text, cell.status, cell.standard_met) == ("95%", Status.MET, True)
    below = judge_percent(plan, plan.indicator("G5"), "小学", 2019, Decimal("94.4"))
    assert (below.actual_text, below.status, below.standard_met) == ("94%", Status.NOT_MET, False)


def test_a_share_is_printed_at_the_targets_decimals(qianjiang):
    # A 2022 target printed 90.5%: 90.32% (56 of 62 classes) prints as 90.3%, 0.2 short → 接近目标.
    g5 = qianjiang.indicator("G5")
    cells = {**g5.targets[2022], "小学": PlanCell("90.5%", PercentTarget(Decimal("90.5"), 1))}
    plan = with_indicator(qianjiang, "G5", targets={**g5.targets, 2022: cells})
    cell = judge_percent(plan, plan.indicator("G5"), "小学", 2022, Decimal(5600) / Decimal(62))
    assert (cell.actual_text, cell.status) == ("90.3%", Status.NEAR)


def test_status_colours_and_symbols():
    # Excel's Good / Neutral / Bad palette; symbols that exist in GBK fonts (domain.md §9).
    assert {s: (s.colours, s.symbol) for s in (Status.MET, Status.NEAR, Status.NOT_MET, Status.NO_DATA)} == {
        Status.MET: (("#A9D08E", "#1E4D2B"), "√"), Status.NEAR: (("#FFEB9C", "#9C5700"), "△"),
        Status.NOT_MET: (("#FFC7CE", "#9C0006"), "×"), Status.NO_DATA: (("#D9D9D9", "#404040"), "—")}


# --- the §8 refinements at their limits, and sections -------------------------------------------------

def refined(plan, **switches):
    return replace(plan, settings=replace(plan.settings, refinements=replace(plan.settings.refinements, **switches)))


ROOM_COLUMNS = {"built_year", "max_class_size", "music_rooms_relaxed", "art_rooms_relaxed"}


@pytest.mark.parametrize("where, built, largest, counted", [
    ("镇区", 2016, 45, True), ("镇区", 2017, 45, False), ("镇区", 0, 45, False),  # 2016 or earlier; 0 is unknown
    ("乡村", 0, 29, True), ("乡村", 0, 30, False), ("乡村", 0, 1, True), ("乡村", 0, 0, False),  # rural, under 30
    ("城区", 0, 29, False),
])
def test_relaxed_music_and_art_rooms(qianjiang, where, built, largest, counted):
    # 13 classes need 2 rooms of each; 1 full-size room + 1 of the relaxed area.
    rows = [school("0500100901", "甲", "小学", urban_rural=where, students_primary=400, classes_primary=13,
                   music_rooms=1, art_rooms=1, music_rooms_relaxed=1, art_rooms_relaxed=1, built_year=built,
                   max_class_size=largest)]
    plan = refined(qianjiang, relaxed_room_areas=True)
    conditions = evaluate(plan, [census_of(rows, columns=ROOM_COLUMNS)]).latest.conditions["小学"]
    assert (conditions.music_met, conditions.art_met) == ((1, 1) if counted else (0, 0))


SIZE_COLUMNS = {"built_year", "migrant_students"}


@pytest.mark.parametrize("kind, primary, junior, built, migrant, within", [
    ("九年一贯制学校", 1500, 1500, 2015, 0, True), ("九年一贯制学校", 1500, 1501, 2015, 0, False),  # 3,000
    ("小学", 2400, 0, 2010, 0, True), ("小学", 2401, 0, 2010, 0, False),  # built 2010 or earlier: 2,400
    ("小学", 2001, 0, 2011, 0, False), ("小学", 2001, 0, 0, 0, False),  # later or unknown: 2,000
    ("小学", 2400, 0, 2015, 1224, True),  # 1,224 of 2,400 = 51% migrant children: 2,400
    ("小学", 2400, 0, 2015, 1200, False),  # exactly half is not over half
])
def test_relaxed_size_limits(qianjiang, kind, primary, junior, built, migrant, within):
    rows = [school("0500101001", "甲", kind, students_primary=primary, students_junior=junior, classes_primary=40,
                   classes_junior=40 if junior else 0, built_year=built, migrant_students=migrant)]
    plan = refined(qianjiang, relaxed_size_limits=True)
    conditions = evaluate(plan, [census_of(rows, columns=SIZE_COLUMNS)]).latest.conditions["小学"]
    assert conditions.within_size == int(within)


def test_a_school_without_a_building_year_keeps_the_strict_limit(qianjiang):
    rows = [{k: v for k, v in school("0500101101", "甲", "小学", students_primary=2001, classes_primary=40,
                                     migrant_students=0, built_year=0).items() if k != "built_year"}]
    plan = refined(qianjiang, relaxed_size_limits=True)
    assert evaluate(plan, [census_of(rows, columns=SIZE_COLUMNS)]).latest.conditions["小学"].within_size == 0


def test_teaching_points_under_a_50_or_fewer_rule(qianjiang):
    plan = replace(qianjiang, settings=replace(qianjiang.settings, teaching_point_comparator="<="))
    rows = [school("0500101201", "教学点", "小学教学点", students_primary=50, classes_primary=3),
            school("0500101202", "大教学点", "小学教学点", students_primary=51, classes_primary=3)]
    result = evaluate_year(plan, census_of(rows))
    assert [(e.school_id, e.reason) for e in result.excluded] == [
        ("0500101201", "教学点在校生50人（50人及以下），不参加资源配置指标测算")]
    assert [s.section.name for s in result.sections] == ["大教学点"]


def test_sections_left_out_name_their_school(qianjiang):
    # A nine-year school without primary pupils still has its junior section.
    rows = [school("0500101301", "九年制", "九年一贯制学校", students_junior=100, classes_junior=3),
            school("0500101302", "特教", "特殊教育学校", teaching_area=100)]
    result = evaluate_year(qianjiang, census_of(rows))
    assert [(e.school_id, e.level) for e in result.excluded] == [("0500101301", "小学"), ("0500101302", "特殊教育")]
    assert [(s.section.name, s.section.level) for s in result.sections] == [("九年制", "初中")]


def test_campuses_fold_into_their_parent(qianjiang):
    # The campus reports indoor sports rooms its parent does not; an orphan campus is left alone.
    rows = [school("0500101401", "本部", "小学", urban_rural="城区", students_primary=300, classes_primary=6),
            school("0500101402", "分校", "小学", counted="否", parent_id="0500101401", students_primary=40,
                   indoor_sports_area=50),
            school("0500101403", "无主校区", "小学", counted="否", parent_id="0500109999", students_primary=20)]
    schools = evaluate_year(qianjiang, census_of(rows)).schools
    assert [(s.name, s.urban_rural, s.value("students_primary"), s.value("indoor_sports_area"), s.value("built_year"))
            for s in schools] == [("本部", "城区", 340, 50, 0)]


def test_split_weights_of_senior_sections_and_empty_schools(qianjiang):
    # Twelve-year: 600 + 1.1·450 + 1.32·300 = 1491, seniors 396/1491; 完全中学: 1000 + 1.2·500, seniors 600/1600.
    twelve = School("1", "十二年", TYPE_ALIASES["十二年一贯制学校"],
                    {"students_primary": 600, "students_junior": 450, "students_senior": 300})
    complete = School("2", "完中", TYPE_ALIASES["完全中学"], {"students_junior": 1000, "students_senior": 500})
    empty = School("3", "九年", TYPE_ALIASES["九年一贯制学校"], {})
    settings = qianjiang.settings
    assert round_half_up(split_weights(twelve, settings)["高中"], 4) == Decimal("0.2656")
    assert split_weights(complete, settings)["高中"] == Decimal("0.375")
    assert split_weights(empty, settings) == {"小学": Decimal(0), "初中": Decimal(0)}


def test_indoor_sports_rooms_split_like_the_other_facilities(qianjiang):
    # 397 ㎡ of a nine-year school of 166 primary and 210 junior pupils: 166 ㎡ and 231 ㎡.
    rows = [school("0500101501", "九年制", "九年一贯制学校", students_primary=166, students_junior=210,
                   indoor_sports_area=397)]
    sections = evaluate_year(refined(qianjiang, net_indoor_sports=True),
                             census_of(rows, columns={"indoor_sports_area"})).sections
    assert [round_half_up(s.section.facilities["indoor_sports_area"], 6) for s in sections] == [
        Decimal("166.000000"), Decimal("231.000000")]


# --- judge.py's one-value judges, called directly -----------------------------------------------------
# Since issue 19 the Qianjiang and national measures take G9's 学时, S1's percentage and Q8's word as
# their one input (measured.py), so evaluate() no longer reaches these judges for them; a plan without
# a measure for an indicator still does. The same boundaries, worked by hand, on the judges themselves.

@pytest.mark.parametrize("year, text, number, status, met", [
    (2022, "90学时", "90", Status.MET, True),  # 年均90学时以上: exactly 90 meets target and standard
    (2022, "89.99学时", "89.99", Status.BEHIND, False),
    (2022, "80学时", "80", Status.BEHIND, False),  # below the 90 standard, not only the target
    (2019, "90学时", "90", Status.MET, True),  # the baseline column: the standard only
    (2019, "89.99学时", "89.99", Status.NOT_MET, False),
])
def test_judge_number_at_90_hours(qianjiang, year, text, number, status, met):
    value = RecordedValue("G9", "小学", text, Decimal(number), "抽查统计")
    cell = judge_number(qianjiang, qianjiang.indicator("G9"), "小学", year, value)
    assert (cell.actual_text, cell.status, cell.standard_met, cell.note) == (text, status, met, "抽查统计")


@pytest.mark.parametrize("year, text, number, status, met", S1_AT_85)
def test_judge_qualitative_with_a_survey_percentage(qianjiang, year, text, number, status, met):
    value = RecordedValue("S1", "全区", text, Decimal(number), "第三方问卷")
    cell = judge_qualitative(qianjiang, qianjiang.indicator("S1"), "全区", year, value)
    assert (cell.actual_text, cell.status, cell.standard_met, cell.note) == (text, status, met, "第三方问卷")


def test_judge_qualitative_words(qianjiang, national):
    def judged(plan, code, level, year, text, note=""):
        cell = judge_qualitative(plan, plan.indicator(code), level, year, RecordedValue(code, level, text, None, note))
        return cell.actual_text, cell.status, cell.standard_met, cell.note
    assert judged(qianjiang, "Q8", "小学", 2022, "无") == ("无", Status.MET, True, "")  # 无过重课业负担
    assert judged(qianjiang, "Q8", "初中", 2022, "有", "部分学校作业量偏大") == (
        "有（部分学校作业量偏大）", Status.BEHIND, False, "部分学校作业量偏大")
    assert judged(qianjiang, "G1", "全区", 2022, "达标") == ("达标", Status.MET, True, "")
    assert judged(qianjiang, "G1", "全区", 2022, "不存在") == ("不存在", Status.MET, True, "")
    assert judged(qianjiang, "G2", "全区", 2019, "未达标") == ("未达标", Status.NOT_MET, False, "")
    # The national plan has no yearly targets: its standard text 无 says 无 is the goal.
    assert judged(national, "Q8", "小学", 2022, "无") == ("无", Status.MET, True, "")
    assert judged(national, "Q8", "初中", 2022, "有") == ("有", Status.NOT_MET, False, "")
    assert judged(national, "G1", "全区", 2022, "达标") == ("达标", Status.MET, True, "")


def test_percent_text_never_prints_one_short_of_all_as_100():
    # All is 100% at any decimals; 1,283/1,288 = 99.612…% prints 100% at 0 decimals, so one more: 99.6%;
    # 99.9996% needs four decimals; 99.9999996% would need seven, past the cap of six: 100.000000%.
    assert percent_text(Decimal(100), 1) == "100%"
    assert percent_text(Decimal(128300) / Decimal(1288), 0) == "99.6%"
    assert percent_text(Decimal("99.9996"), 0) == "99.9996%"
    assert percent_text(Decimal("99.9999996"), 0) == "100.000000%"
    assert percent_text(Decimal("91.55"), 0) == "92%"  # half-up (65/71 prints as the plan's 92%)
    assert percent_text(Decimal("90.32"), 1) == "90.3%"


def test_a_100_percent_target_is_compared_exactly():
    # 100% means all (numerator = denominator): no rounding; any other target at its printed decimals.
    assert (percent_decimals(Decimal(100), 0), percent_decimals(Decimal(95), 0), percent_decimals(Decimal("97.5"), 1)) == (
        None, 0, 1)
