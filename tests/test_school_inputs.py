"""G9, G12, G13, Q3 and Q4 from the 学校 sheet's school-level columns (issue 20), figures worked by hand.

G12 小学: (40 + 28 + 10) / (40 + 30 + 10) = 78 / 80 = 97.5%; 初中 20 / 20 = 100%.
G9 (黔江 450学时 = 年均90): 小学 (40×95 + 30×84 + 10×90) / 80 = 7,220 / 80 = 90.25 → 90.3学时.
G9 (national 360学时): 小学 (40 + 25 + 10) / 80 = 93.75 → 93.8%; 初中 18 / 20 = 90%; 全区 93 / 100 = 93%.
G13: 小学 (800 + 196) / (800 + 200) = 99.6% (the boarding, rural and private schools left out);
     初中 280 / 300 = 93.33% → 93.3%, under 95%.
Q4: 18 of 19 schools put ≥ 5% of 公用经费 into training; one 4.9% (4.9 of 100 万元, 0.1 万元 short):
    18 / 19 = 94.74% → 95% at the target's printed decimals (§9): the yearly 95% is reached, the
    final standard (all schools) is not.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from excel_balance.cli import cli
from excel_balance.census.exports import combine, load_mapping, read_export, read_supplement, write_supplement
from excel_balance.census.inputs import check_inputs
from excel_balance.census.model import Census, RecordedValue, SchoolRow
from excel_balance.census.reader import read_census
from excel_balance.census.school_inputs import district_inputs
from excel_balance.census.template import write_template
from excel_balance.evaluate import evaluate, evaluate_year
from excel_balance.evaluate.measured import MEASURED, SchoolShort
from excel_balance.evaluate.rules import Status
from excel_balance.census.schema import SchoolType
from excel_balance.plan import load_plan
from excel_balance.problems import ProblemsError, Severity
from excel_balance.report.workbook import write_report
from tests.census_data import clean_recorded, clean_schools
from tests.export_data import JUNIOR_TYPES, PRIMARY_TYPES, export_schools, fill_supplement, write_export

ROOT = Path(__file__).parent.parent
P, NINE, J = SchoolType.PRIMARY, SchoolType.NINE_YEAR, SchoolType.JUNIOR


def row(n: int, name: str, kind: SchoolType, urban: str = "城区", sponsor: str = "公办", **values) -> SchoolRow:
    return SchoolRow(f"05001140{n:02d}", name, kind, {k: float(v) for k, v in values.items()}, sponsor, urban,
                     row=n + 1)


def census(rows, inputs: dict | None = None) -> Census:
    typed = {key: RecordedValue(key[0], key[1], f"{v}", Decimal(v), cell="区级指标!F7", item=key[2], unit="人")
             for key, v in (inputs or {}).items()}
    return Census("2022.xlsx", "0" * 64, "黔江区", 2022, tuple(rows), {}, inputs=typed)


@pytest.fixture(scope="module")
def national():
    return load_plan(ROOT / "templates" / "plans" / "national.yaml")


TEACHERS = [
    row(1, "城南小学", P, teachers_primary=40, certified_primary=40, trained_primary=40, hours_primary=95),
    row(2, "石会小学", P, teachers_primary=30, certified_primary=28, trained_primary=25, hours_primary=84),
    row(3, "正阳九年制学校", NINE, teachers_primary=10, certified_primary=10, trained_primary=10, hours_primary=90,
        teachers_junior=20, certified_junior=20, trained_junior=18, hours_junior=92),
]


def test_g12_from_three_schools_lists_the_one_below_and_the_district_is_not_met(qianjiang):
    result = evaluate_year(qianjiang, census(TEACHERS))
    primary, junior = result.cells[("G12", "小学")], result.cells[("G12", "初中")]
    assert (primary.actual_text, primary.status, primary.standard_met, primary.basis) == (
        "97.5%", Status.BEHIND, False, MEASURED)
    assert [(v.item, v.text, v.cell) for _, v in primary.measured.inputs] == [
        ("专任教师数", "80", "学校表各校合计"), ("持有教师资格证的专任教师数", "78", "学校表各校合计")]
    assert primary.measured.below == (SchoolShort("0500114002", "石会小学", 3, "93.3%", "2名教师待取得教师资格证", 2, "人"),)
    assert (junior.actual_text, junior.status, junior.measured.below) == ("100%", Status.MET, ())


def test_g9_at_qianjiangs_450_hours_is_a_mean_weighted_by_teachers(qianjiang):
    cells = evaluate_year(qianjiang, census(TEACHERS)).cells
    primary, junior = cells[("G9", "小学")], cells[("G9", "初中")]
    assert (primary.actual_text, primary.status) == ("90.3学时", Status.MET)
    assert primary.measured.below == (SchoolShort("0500114002", "石会小学", 3, "84学时", "6学时（年均培训）待补", 6, "学时"),)
    assert (junior.actual_text, junior.status) == ("92学时", Status.MET)


def test_g9_at_the_national_360_hours_pools_teachers_per_level_and_across_levels(national):
    cells = evaluate_year(national, census(TEACHERS)).cells
    primary, junior = cells[("G9", "小学")], cells[("G9", "初中")]
    assert (primary.actual_text, primary.standard_met) == ("93.8%", False)
    assert [(s.name, s.text, s.lacks) for s in primary.measured.below] == [
        ("石会小学", "83.3%", "5名教师待完成培训学时")]
    assert (junior.actual_text, junior.standard_met) == ("90.0%", False)
    assert [(s.name, s.lacks) for s in junior.measured.below] == [("正阳九年制学校", "2名教师待完成培训学时")]
    whole = district_inputs(national.measures["G9"], "全区", census(TEACHERS))
    assert {k: v.number for k, v in whole.items()} == {"专任教师数": 100, "5年内完成360学时培训的专任教师数": 93}


CATCHMENT = [
    row(1, "城南小学", P, boarding=0, students_primary=800, local_primary=800),
    row(2, "正阳九年制学校", NINE, urban="镇区", boarding=0, students_primary=200, local_primary=196,
        students_junior=300, local_junior=280),
    row(3, "民族寄宿初中", J, boarding=1, students_junior=500, local_junior=100),
    row(4, "水田小学", P, urban="乡村", boarding=0, students_primary=100),
    row(5, "育英学校", P, sponsor="民办", boarding=0, students_primary=600),
]


def test_g13_leaves_out_boarding_rural_and_private_schools(qianjiang):
    cells = evaluate_year(qianjiang, census(CATCHMENT)).cells
    primary, junior = cells[("G13", "小学")], cells[("G13", "初中")]
    assert [v.text for _, v in primary.measured.inputs] == ["1000", "996"]
    # 0.4 points under 100%: within the plan's near margin, yet not all pupils.
    assert (primary.actual_text, primary.status, primary.standard_met) == ("99.6%", Status.NEAR, False)
    assert [(s.name, s.text, s.lacks) for s in primary.measured.below] == [
        ("正阳九年制学校", "98.0%", "4名学生未就近划片入学")]
    assert [v.text for _, v in junior.measured.inputs] == ["300", "280"]
    assert (junior.actual_text, junior.status, junior.standard_met) == ("93.3%", Status.NEAR, False)
    # 95% of 300 is 285: 5 more pupils from the catchment.
    assert [(s.name, s.lacks) for s in junior.measured.below] == [("正阳九年制学校", "5名学生未就近划片入学")]


def funds_schools(short_one: bool = True) -> list[SchoolRow]:
    rows = [row(n, f"第{n}小学", P, public_funds=100, training_funds=5, charter=1, informatized=1) for n in range(1, 20)]
    if short_one:
        rows[6] = row(7, "第7小学", P, public_funds=100, training_funds=4.9, charter=1, informatized=0)
    return rows


def plan_with_q4_target(tmp_path: Path, target: str):
    text = (ROOT / "templates" / "plans" / "qianjiang.yaml").read_text(encoding="utf-8")
    head, q4 = text.split("  - id: Q4\n", 1)
    block, rest = q4.split("  - id: Q5\n", 1)
    block = re.sub(r"2022: \{小学: 100%, 初中: 100%\}", f"2022: {{小学: {target}, 初中: 100%}}", block)
    path = tmp_path / "plan.yaml"
    path.write_text(head + "  - id: Q4\n" + block + "  - id: Q5\n" + rest, encoding="utf-8")
    return load_plan(path)


def test_q4_one_school_at_4_9_percent_is_listed_and_a_95_percent_target_is_compared_as_printed(tmp_path):
    plan = plan_with_q4_target(tmp_path, "95%")
    cells = evaluate_year(plan, census(funds_schools())).cells
    q4 = cells[("Q4", "小学")]
    assert [v.text for _, v in q4.measured.inputs] == ["19", "18"]
    assert (q4.actual_text, q4.status, q4.standard_met) == ("94.7%", Status.TARGET_MET, False)
    assert q4.measured.below == (SchoolShort(
        "0500114007", "第7小学", 8, "4.9%", "教师培训经费4.9万元，应不低于5万元（公用经费预算100万元的5%）", Decimal("0.1"), "万元"),)
    q3 = cells[("Q3", "小学")]
    assert (q3.actual_text, q3.status) == ("94.7%", Status.BEHIND)  # Q3's target stays 100%: all
    assert [(s.name, s.text, s.lacks, s.need, s.unit) for s in q3.measured.below] == [
        ("第7小学", "章程：是／信息化：否", "未实现管理与教学信息化", 1, "所")]
    assert q3.measured.school_count == 19


def test_q4_all_schools_at_5_percent_meet_the_final_standard(qianjiang):
    q4 = evaluate_year(qianjiang, census(funds_schools(short_one=False))).cells[("Q4", "小学")]
    assert (q4.actual_text, q4.status, q4.measured.below) == ("100%", Status.MET, ())


def test_a_typed_district_value_the_schools_contradict_is_a_warning_and_the_schools_decide(qianjiang):
    typed = census(TEACHERS, {("G12", "小学", "专任教师数"): 80, ("G12", "小学", "持有教师资格证的专任教师数"): 80})
    problems = check_inputs(qianjiang, typed)
    assert [(p.severity, p.where, p.message) for p in problems] == [
        (Severity.WARNING, "区级指标!F7",
         "G12小学“持有教师资格证的专任教师数”填报为80人，“学校”表各校合计为78人，按“学校”表测算")]
    assert evaluate_year(qianjiang, typed).cells[("G12", "小学")].actual_text == "97.5%"


def test_without_the_school_columns_the_typed_district_value_is_used(qianjiang):
    bare = [replace(r, values={}) for r in TEACHERS]
    typed = census(bare, {("G12", "小学", "专任教师数"): 80, ("G12", "小学", "持有教师资格证的专任教师数"): 80})
    assert check_inputs(qianjiang, typed) == []
    cell = evaluate_year(qianjiang, typed).cells[("G12", "小学")]
    assert (cell.actual_text, cell.status, cell.measured.below) == ("100%", Status.MET, ())


def test_a_school_leaving_a_needed_cell_blank_is_refused_with_its_row(qianjiang):
    rows = list(TEACHERS)
    rows[1] = row(2, "石会小学", P, teachers_primary=30)
    problems = [p for p in check_inputs(qianjiang, census(rows)) if p.severity is Severity.ERROR]
    assert [(p.where, p.message) for p in problems] == [
        ("学校 第3行", "石会小学未填写“小学专任教师年均培训学时(学时)”（G9按各校数据测算，其他学校已填写）"),
        ("学校 第3行", "石会小学未填写“小学持有教师资格证的专任教师数(人)”（G12按各校数据测算，其他学校已填写）"),
    ]


def test_g13_asks_each_public_town_school_by_its_boarding_answer(qianjiang):
    """Schools are checked by kind (type, public, town, boarding answer): unanswered, 否 and 是
    must stay three kinds, though 否 is stored as 0.0 and 0.0 == False."""
    rows = CATCHMENT + [row(6, "河滨小学", P, students_primary=300),  # not answered: asked for the answer
                        row(7, "新华小学", P, boarding=0, students_primary=400),  # 否: asked for its local pupils
                        row(8, "寄宿小学", P, boarding=1, students_primary=90)]  # 是: out of G13
    problems = [p for p in check_inputs(qianjiang, census(rows)) if p.severity is Severity.ERROR]
    assert [(p.where, p.message) for p in problems] == [
        ("学校 第7行", "河滨小学未填写“是否寄宿制学校”（G13按各校数据测算，其他学校已填写）"),
        ("学校 第8行", "新华小学未填写“小学就近划片入学在校生数(人)”（G13按各校数据测算，其他学校已填写）"),
    ]


# --- through the template, the reader and the report ---------------------------------------------

def template_schools() -> list[dict]:
    """clean_schools with the new columns: G12 小学 (40 + 28 + 10) / (40 + 30 + 10) = 78 / 80 = 97.5%
    (石会 short of 2, its 1 campus teacher counted with 正阳: 9 + 1 = 10); Q4 石会 4.9 of 100 万元;
    Q3 水田教学点 (30 pupils: too small for a section, yet a school) without a 章程: 5 of 6 小学."""
    filled = {
        "城南小学": dict(teachers_primary=40, certified_primary=40, charter="是", informatized="是",
                     public_funds=100, training_funds=6),
        "石会小学": dict(teachers_primary=30, certified_primary=28, charter="是", informatized="是",
                     public_funds=100, training_funds=4.9),
        "水田教学点": dict(teachers_primary=0, certified_primary=0, charter="否", informatized="是",
                      public_funds=2, training_funds=0.1),
        "白土教学点": dict(teachers_primary=0, certified_primary=0, charter="是", informatized="是",
                      public_funds=3, training_funds=0.2),
        "民族初级中学": dict(teachers_junior=50, certified_junior=50, charter="是", informatized="是",
                       public_funds=150, training_funds=8),
        "正阳九年制学校": dict(teachers_primary=9, certified_primary=9, teachers_junior=12, certified_junior=12,
                        charter="是", informatized="是", public_funds=80, training_funds=4),
        "育英学校": dict(teachers_primary=0, certified_primary=0, teachers_junior=30, certified_junior=30,
                     charter="是", informatized="是", public_funds=200, training_funds=10),
        "正阳九年制学校（东校区）": dict(teachers_primary=1, certified_primary=1),
        "特殊教育学校": dict(charter="是", informatized="是", public_funds=40, training_funds=2),
    }
    return [{**s, **filled[s["name"]]} for s in clean_schools()]


@pytest.fixture(scope="module")
def school_report(tmp_path_factory, qianjiang):
    folder = tmp_path_factory.mktemp("schools")
    path = write_template(folder / "2022.xlsx", qianjiang, year=2022, schools=template_schools(),
                          recorded=clean_recorded())
    return openpyxl.load_workbook(write_report(evaluate(qianjiang, [read_census(path)]), folder / "report.xlsx")), path


def test_the_template_carries_the_new_columns_with_units_notes_and_validation(qianjiang, tmp_path):
    sheet = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx", qianjiang, year=2022))["学校"]
    headers = {c.value: c for c in sheet[1]}
    for title in ("小学专任教师数(人)", "初中持有教师资格证的专任教师数(人)", "小学近5年完成培训学时达标的专任教师数(人)",
                  "初中专任教师年均培训学时(学时)", "小学就近划片入学在校生数(人)", "是否寄宿制学校", "是否制定章程",
                  "管理与教学信息化", "上年度公用经费预算(万元)", "教师培训经费(万元)"):
        assert headers[title].comment is not None and headers[title].comment.text.endswith("（选填）")
    lists = {str(v.sqref).split(":")[0][:-1]: v.formula1 for v in sheet.data_validations.dataValidation
             if v.type == "list"}
    assert lists[headers["是否寄宿制学校"].column_letter] == '"是,否"'


def test_the_report_lists_the_schools_below_in_school_sheet_gaps_and_todo(school_report):
    book, _ = school_report
    detail = book["学校明细"]
    headers = [c.value for c in detail[1]]
    g12 = headers.index("G12 持证上岗率（本校）")
    rows = {(r[1], r[2]): r for r in detail.iter_rows(min_row=2, values_only=True)}
    assert rows[("小学", "0500114002")][g12] == "×93.3%：2名教师待取得教师资格证"
    assert rows[("小学", "0500114001")][g12] == "√"
    q4 = headers.index("Q4 按5%安排教师培训经费的学校比例（本校）")
    assert rows[("小学", "0500114002")][q4].startswith("×4.9%：教师培训经费4.9万元，应不低于5万元")
    gaps = {(r[0], r[1]): r[2:5] for r in book["缺口测算"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert gaps[("小学", "G12 持证上岗率（各校）")] == (1, 2, "人")
    # Q4 小学: 石会 0.1 万元 short; 小学 schools are 城南, 石会, 水田, 白土, 正阳 and 育英 (6).
    assert gaps[("小学", "Q4 按5%安排教师培训经费的学校比例（各校）")][:3] == (1, pytest.approx(0.1), "万元")
    todo = [r for r in book["攻坚清单"].iter_rows(min_row=2, values_only=True) if r[0] in ("G12", "Q4")]
    assert [r[:10] for r in todo if r[1] == "小学"] == [
        ("G12", "小学", 2023, "100%", "5/6", 1, "0500114002", "石会小学", 2, "人"),
        ("Q4", "小学", 2023, "100%", "5/6", 1, "0500114002", "石会小学", pytest.approx(0.1), "万元"),
    ]


def test_a_small_teaching_point_below_a_school_level_standard_is_listed_without_a_section(school_report):
    """水田教学点 has no 学校明细 row (no section: 30 pupils), so 各校缺口 and 攻坚清单 name what it lacks."""
    book, _ = school_report
    assert not [r for r in book["学校明细"].iter_rows(min_row=2, values_only=True) if r[3] == "水田教学点"]
    gaps = list(book["各校缺口"].iter_rows(min_row=2, values_only=True))
    headers = gaps[0]
    assert headers[:4] == ("学段", "学校标识码", "学校名称", "R1缺口（人）") and headers[10:] == (
        "G12 持证上岗率", "Q3 制定章程并实现信息化的学校比例", "Q4 按5%安排教师培训经费的学校比例")
    rows = {(r[0], r[2]): r for r in gaps[1:]}
    assert rows[("小学", "水田教学点")][3:] == (None,) * 7 + (None, "未制定章程", None)
    assert rows[("小学", "石会小学")][10:] == (
        "2名教师待取得教师资格证", None, "教师培训经费4.9万元，应不低于5万元（公用经费预算100万元的5%）")
    todo = [r[:10] for r in book["攻坚清单"].iter_rows(min_row=2, values_only=True) if r[0] == "Q3" and r[2]]
    assert todo == [("Q3", "小学", 2023, "100%", "5/6", 1, "0500114003", "水田教学点", 1, "所")]


def test_the_progress_shows_the_pooled_figure(school_report):
    book, _ = school_report
    texts = {c.value for row in book["推进规划"].iter_rows() for c in row if isinstance(c.value, str)}
    assert "× 97.5%" in texts


def test_g13_without_a_town_public_school_uses_the_typed_value(qianjiang):
    rural = [replace(r, urban_rural="乡村") for r in CATCHMENT]
    typed = census(rural, {("G13", "小学", "城区和镇区公办学校（不含寄宿制）在校生数"): 500,
                           ("G13", "小学", "其中就近划片入学学生数"): 500})
    cell = evaluate_year(qianjiang, typed).cells[("G13", "小学")]
    assert (cell.actual_text, cell.status, cell.measured.school_count) == ("100%", Status.MET, 0)


def test_no_data_names_both_ways_of_giving_a_school_level_figure(qianjiang):
    cell = evaluate_year(qianjiang, census([replace(r, values={}) for r in TEACHERS])).cells[("G12", "小学")]
    assert (cell.status, cell.note) == (Status.NO_DATA, "按测算方法请在“区级指标”表填写：专任教师数（人）、"
                                        "持有教师资格证的专任教师数（人）（或在“学校”表填写各校数据）")


# --- through the census system's exports and a filled supplement ---------------------------------

SCHOOL_LEVEL = {  # each school's columns; 专任教师数 is what the export's 学历 columns add up to (below)
    "城南小学": dict(certified_primary=42, hours_primary=95, local_primary=800, boarding="否", charter="是",
                 informatized="是", public_funds=100, training_funds=6),
    "石会小学": dict(certified_primary=12, hours_primary=84, local_primary=290, boarding="否", charter="是",
                 informatized="否", public_funds=100, training_funds=4.9),
    "水田教学点": dict(certified_primary=5, hours_primary=90, charter="是", informatized="是", public_funds=2,
                  training_funds=0.1),
    "白土教学点": dict(certified_primary=6, hours_primary=90, charter="是", informatized="是", public_funds=3,
                  training_funds=0.2),
    "民族初级中学": dict(certified_junior=55, hours_junior=91, boarding="是", charter="是", informatized="是",
                   public_funds=150, training_funds=8),
    # its campus's 4 teachers and 40 pupils are on the school's own row, as a supplement has it
    "正阳九年制学校": dict(certified_primary=15, hours_primary=90, local_primary=200, certified_junior=17,
                    hours_junior=92, local_junior=200, boarding="否", charter="是", informatized="是",
                    public_funds=80, training_funds=4),
    "育英学校": dict(certified_primary=32, hours_primary=92, certified_junior=33, hours_junior=92, charter="是",
                 informatized="是", public_funds=200, training_funds=10),
    "正阳九年制学校（东校区）": {},
    "实验中学": dict(certified_junior=75, hours_junior=88, local_junior=1150, boarding="否", charter="是",
                 informatized="是", public_funds=300, training_funds=15),
}


def school_level_rows() -> list[dict]:
    """export_schools with the school-level columns. The test export has 2 teachers 高中阶段及以下 per
    school and, in the 中学 export, 3 more with 专科: 专任教师数 = 高于规定学历 + 2 (小学) or + 5 (初中)."""
    rows = []
    for source in export_schools():
        row = {**source, **SCHOOL_LEVEL[source["name"]]}
        for key, more, types in (("primary", 2, PRIMARY_TYPES), ("junior", 5, JUNIOR_TYPES)):
            if row["school_type"] in types:
                row[f"teachers_{key}"] = row[f"qualified_{key}"] + more
        rows.append(row)
    return rows


SCHOOL_CELLS = [(code, level) for code in ("G9", "G12", "G13", "Q3", "Q4") for level in ("小学", "初中")]


def school_level_view(result) -> dict:
    """Each school-level cell as a user sees it: figure, status, inputs, and the schools listed with
    their gaps (the row aside: the 学校 sheet's and the export's differ)."""
    return {key: (c.actual_text, c.status, c.standard_met, [(i.name, v.text) for i, v in c.measured.inputs],
                  [(s.school_id, s.name, s.text, s.lacks, s.need, s.unit) for s in c.measured.below])
            for key in SCHOOL_CELLS for c in [result.cells[key]]}


def test_exports_and_a_filled_supplement_give_the_school_level_figures_of_the_template(tmp_path, qianjiang):
    """G12 小学 (42 + 12 + 5 + 6 + 15 + 32) / (42 + 14 + 5 + 6 + 15 + 32) = 112 / 114 = 98.2%;
    G9 小学 (42×95 + 14×84 + 5×90 + 6×90 + 15×90 + 32×92) / 114 = 10,450 / 114 = 91.7学时, 初中
    (55×91 + 17×92 + 33×92 + 75×88) / 180 = 16,205 / 180 = 90.0 → 90学时; G13 (民族 boarding, 育英
    private, the teaching points rural) 小学 (800 + 290 + 200) / (800 + 300 + 206) = 1,290 / 1,306 = 98.8%,
    初中 (200 + 1,150) / (210 + 1,200) = 95.7%; Q3 and Q4 小学 5 of 6 schools = 83.3% (石会)."""
    rows = school_level_rows()
    template = read_census(write_template(tmp_path / "2022.xlsx", qianjiang, year=2022, schools=rows,
                                          recorded=clean_recorded()))
    exports = [write_export(tmp_path / "2022小学基层表.xlsx", "小学", rows),
               write_export(tmp_path / "2022中学基层表.xlsx", "初中", rows)]
    sheets = [s for p in exports for s in read_export(p)]
    supplement = fill_supplement(write_supplement(tmp_path / "补充数据.xlsx", sheets, qianjiang), rows, clean_recorded())
    [census], problems = combine(sheets, [read_supplement(supplement)], [], load_mapping())
    assert problems == []
    from_exports, from_template = evaluate_year(qianjiang, census), evaluate_year(qianjiang, template)
    assert school_level_view(from_exports) == school_level_view(from_template)
    cells = from_exports.cells
    assert {key: cells[key].actual_text for key in SCHOOL_CELLS} == {
        ("G9", "小学"): "91.7学时", ("G9", "初中"): "90学时", ("G12", "小学"): "98.2%", ("G12", "初中"): "100%",
        ("G13", "小学"): "98.8%", ("G13", "初中"): "95.7%", ("Q3", "小学"): "83.3%", ("Q3", "初中"): "100%",
        ("Q4", "小学"): "83.3%", ("Q4", "初中"): "100%"}
    assert [(s.name, s.lacks) for s in cells[("G12", "小学")].measured.below] == [("石会小学", "2名教师待取得教师资格证")]
    assert [(s.name, s.lacks) for s in cells[("G9", "初中")].measured.below] == [("实验中学", "2学时（年均培训）待补")]
    assert [(s.name, s.lacks) for s in cells[("G13", "小学")].measured.below] == [
        ("石会小学", "10名学生未就近划片入学"), ("正阳九年制学校", "6名学生未就近划片入学")]
    assert [(s.name, s.need, s.unit) for s in cells[("Q4", "小学")].measured.below] == [("石会小学", Decimal("0.1"), "万元")]
    # The typed 区级指标 value both carry (120 / 120) differs from the schools' 114 / 112: the same warnings.
    warned = [[p.message for p in check_inputs(qianjiang, c) if p.severity is Severity.WARNING] for c in (census, template)]
    assert warned[0] == warned[1] == [  # and G9 初中's typed 92学时 against the schools' 90
        "G9初中“专任教师年均培训学时”填报为92学时，“学校”表各校合计为90学时，按“学校”表测算",
        "G12小学“专任教师数”填报为120人，“学校”表各校合计为114人，按“学校”表测算",
        "G12小学“持有教师资格证的专任教师数”填报为120人，“学校”表各校合计为112人，按“学校”表测算"]


def test_an_export_carrying_the_school_level_columns_needs_no_supplement_for_them(tmp_path, qianjiang):
    """举办者 and 城乡分类 as the census system writes them (a code, a 民办 body), flags as 1/0 or 是/否."""
    rows = school_level_rows()
    for row in rows:
        row["urban_rural_code"] = {"城区": "111", "镇区": "121", "乡村": "220"}[row["urban_rural"]]
        row["sponsor_body"] = "民办" if row["sponsor"] == "民办" else "县级教育部门"
    extra = {("举办者",): "sponsor_body", ("城乡分类",): "urban_rural_code", ("是否寄宿制学校",): "boarding",
             ("是否制定章程",): "charter", ("管理与教学信息化",): "informatized",
             ("上年度公用经费预算（万元）",): "public_funds", ("教师培训经费（万元）",): "training_funds",
             ("专任教师", "#其中", "持有教师资格证"): "certified", ("专任教师", "年均培训学时"): "hours",
             ("在校生数", "#其中", "就近划片入学"): "local"}
    exports = [write_export(tmp_path / "2022小学基层表.xlsx", "小学", rows, extra=extra),
               write_export(tmp_path / "2022中学基层表.xlsx", "初中", rows, extra=extra)]
    sheets = [s for p in exports for s in read_export(p)]
    assert sheets[0].found["urban_rural"] == "城乡分类" and sheets[0].found["charter"] == "是否制定章程"
    header = [c.value for c in openpyxl.load_workbook(write_supplement(tmp_path / "s.xlsx", sheets, qianjiang))["补充数据"][1]]
    assert "举办者" not in header and "是否制定章程" not in header and "小学专任教师年均培训学时(学时)" not in header
    [census], problems = combine(sheets, [], [], load_mapping())
    assert problems == []
    yuying = next(s for s in census.schools if s.name == "育英学校")
    assert (yuying.sponsor, yuying.urban_rural, yuying.values["charter"]) == ("民办", "城区", 1.0)
    assert "boarding" not in yuying.values  # a blank cell is not given (not 否)
    template = read_census(write_template(tmp_path / "2022.xlsx", qianjiang, year=2022, schools=rows))
    assert school_level_view(evaluate_year(qianjiang, census)) == school_level_view(evaluate_year(qianjiang, template))


def test_an_unreadable_school_level_cell_in_an_export_is_named(tmp_path):
    rows = school_level_rows()
    rows[1]["charter"] = "已制定"
    rows[1]["urban_rural_code"] = "城中村"
    for row in rows[2:]:
        row["urban_rural_code"] = "111"
    extra = {("城乡分类",): "urban_rural_code", ("是否制定章程",): "charter"}
    with pytest.raises(ProblemsError) as caught:
        read_export(write_export(tmp_path / "2022小学基层表.xlsx", "小学", rows, extra=extra))
    assert [str(p) for p in caught.value.problems] == [  # 石会, the second school, on row 7; W, X: the extra columns
        "2022小学基层表.xlsx 基层表!W7：“城乡分类”的值“城中村”无法识别（可填城区/镇区/乡村，或统计用城乡划分代码如111、121、220）",
        "2022小学基层表.xlsx 基层表!X7：“是否制定章程”的值“已制定”应为是或否"]


def test_run_with_exports_and_a_supplement_lists_the_schools_below(tmp_path, monkeypatch):
    """`supplement` then `run`, as staff do: the school columns filled in the supplement decide G12
    and the report names 石会小学 (see the figures above) and warns of the typed 120 / 120."""
    monkeypatch.chdir(tmp_path)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    rows = school_level_rows()
    for level, name in (("小学", "2022小学基层表.xlsx"), ("初中", "2022中学基层表.xlsx")):
        write_export(inputs / name, level, rows)
    runner = CliRunner()
    made = runner.invoke(cli, ["supplement", *(str(p) for p in sorted(inputs.iterdir()))])
    assert made.exit_code == 0, made.output
    fill_supplement(inputs / "补充数据_黔江区2022.xlsx", rows, clean_recorded())
    result = runner.invoke(cli, ["run"])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "outputs" / "黔江区义务教育优质均衡推进情况_2022.xlsx")
    gaps = {r[2]: r for r in book["各校缺口"].iter_rows(min_row=3, values_only=True) if r[0] == "小学"}
    headers = [c.value for c in book["各校缺口"][2]]
    assert gaps["石会小学"][headers.index("G12 持证上岗率")] == "2名教师待取得教师资格证"
    notes = {r[3] for r in book["数据说明"].iter_rows(values_only=True) if r[2] == "警告"}
    assert "G12小学“持有教师资格证的专任教师数”填报为120人，“学校”表各校合计为112人，按“学校”表测算" in notes


def test_a_supplement_answer_outside_its_dropdown_is_refused_with_its_cell(tmp_path, qianjiang):
    rows = school_level_rows()
    exports = [write_export(tmp_path / "2022小学基层表.xlsx", "小学", rows),
               write_export(tmp_path / "2022中学基层表.xlsx", "初中", rows)]
    sheets = [s for p in exports for s in read_export(p)]
    rows[0]["charter"] = "已制定"
    path = fill_supplement(write_supplement(tmp_path / "补充数据_黔江区2022.xlsx", sheets, qianjiang), rows, {})
    column = [c.value for c in openpyxl.load_workbook(path)["补充数据"][1]].index("是否制定章程")
    with pytest.raises(ProblemsError) as caught:
        read_supplement(path)
    letter = openpyxl.utils.get_column_letter(column + 1)
    assert [str(p) for p in caught.value.problems] == [
        f"补充数据_黔江区2022.xlsx 补充数据!{letter}2：是否制定章程“已制定”不是可选值（是/否）"]
