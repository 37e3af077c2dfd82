from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from excel_balance.cli import cli
from excel_balance.plan import (
    DISTRICT,
    CountTarget,
    NumberTarget,
    PairedCountTarget,
    PercentTarget,
    QualitativeTarget,
    TargetSyntaxError,
    check_plan,
    parse_target,
)
from excel_balance.resources import default_plan_path
from tests.seed import norm, seed_footnotes, seed_rows

RAW = yaml.safe_load(default_plan_path().read_text(encoding="utf-8"))


def write_plan(tmp_path: Path, doc: dict, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, doc: dict) -> list[str]:
    plan, problems = check_plan(write_plan(tmp_path, doc))
    assert plan is None
    return [str(p) for p in problems]


def indicator(doc: dict, ident: str) -> dict:
    return next(i for i in doc["indicators"] if i["id"] == ident)


def test_qianjiang_plan_matches_seed(qianjiang):
    assert qianjiang.district == "黔江区"
    assert qianjiang.plan_years == (2020, 2021, 2022, 2023, 2024)
    assert qianjiang.baseline_year == 2019
    ids = [i.id for i in qianjiang.indicators]
    assert ids == [f"R{n}" for n in range(1, 8)] + [f"G{n}" for n in range(1, 16)] + [
        f"Q{n}" for n in range(1, 10)
    ] + ["S1"]
    assert [sum(1 for i in qianjiang.indicators if i.area == a.name) for a in qianjiang.areas] == [7, 15, 9, 1]
    for ind, row in zip(qianjiang.indicators, seed_rows()):
        assert norm(ind.text) == row.text
        assert list(ind.units) == row.units
    assert [norm(f) for f in qianjiang.footnotes] == seed_footnotes()
    assert len(qianjiang.vetoes) == 6


def test_targets_are_parsed_by_kind(qianjiang):
    assert qianjiang.indicator("R2").targets[2022]["小学"].target == CountTarget(43, 71)
    assert qianjiang.indicator("G3").targets[2020]["初中"].target == PairedCountTarget(
        CountTarget(12, 23), CountTarget(12, 23)
    )
    assert qianjiang.indicator("Q1").targets[2020]["初中"].target == PercentTarget(Decimal("96"), 0)
    assert qianjiang.indicator("Q1").targets[2021]["初中"].target == PercentTarget(Decimal("96.50"), 2)
    assert qianjiang.indicator("G13").targets[2024]["初中"].target == PercentTarget(Decimal("95"), 0)
    assert qianjiang.indicator("G9").targets[2020]["小学"].target == NumberTarget(Decimal("90"), "年均", "学时")
    assert qianjiang.indicator("Q8").targets[2020]["小学"].target == QualitativeTarget("无")
    g1 = qianjiang.indicator("G1")
    assert g1.merged and g1.levels == (DISTRICT,)
    assert g1.targets[2020][DISTRICT].target == QualitativeTarget("达标")
    # Blank cells of the plan are not applicable.
    assert qianjiang.indicator("Q1").targets[2020]["小学"].target is None
    assert qianjiang.indicator("G6").targets[2024]["初中"].text is None


def test_settings_defaults(qianjiang):
    s = qianjiang.settings
    assert (s.teaching_point_threshold, s.teaching_point_comparator, s.compare_decimals) == (50, "<", 2)
    assert (s.junior_weight, s.senior_weight, s.complete_school_senior_weight) == (
        Decimal("1.1"), Decimal("1.32"), Decimal("1.2"))
    assert (s.resource_min_met, s.resource_floor_share) == (6, Decimal("0.85"))
    assert s.cv_threshold == {"小学": Decimal("0.50"), "初中": Decimal("0.45")}
    assert (s.near_count_margin, s.near_percent_margin) == (1, Decimal("2"))
    assert not any(vars(s.refinements).values())


@pytest.mark.parametrize(
    "kind, text",
    [("school_count", "达标"), ("school_count", "72/71"), ("paired_count", "音乐30/71"),
     ("percent", "九成"), ("number", "很多"), ("qualitative", " ")],
)
def test_unparseable_targets(kind, text):
    with pytest.raises(TargetSyntaxError):
        parse_target(kind, text)


def test_every_problem_is_reported_at_once_with_its_place(tmp_path):
    doc = copy.deepcopy(RAW)
    doc["colour"] = "red"                                   # unknown key (top level)
    indicator(doc, "R1")["weight"] = 3                      # unknown key (indicator)
    del indicator(doc, "R2")["text"]                        # missing field
    indicator(doc, "R3")["targets"][2021]["初中"] = "十八所"  # target that doesn't parse
    del indicator(doc, "R4")["targets"][2023]               # year without targets
    indicator(doc, "G2")["id"] = "G1"                       # duplicate id
    indicator(doc, "G7")["units"] = []                      # empty unit list
    del indicator(doc, "G5")["targets"][2022]["初中"]        # level missing from a split row
    found = problems_of(tmp_path, doc)
    expected = [
        "plan.yaml：未知的字段“colour”",
        "plan.yaml 指标 R1：未知的字段“weight”",
        "plan.yaml 指标 R2：缺少字段“text”",
        "plan.yaml 指标 R3 字段 targets.2021.初中：目标无法识别：“十八所”不是“达标学校数/学校总数”的形式",
        "plan.yaml 指标 R4 字段 targets.2023：缺少2023年的目标",
        "plan.yaml 指标 G1 字段 id：编号重复（第8个与第9个指标）",
        "plan.yaml 指标 G7 字段 units：责任单位不能为空",
        "plan.yaml 指标 G5 字段 targets.2022.初中：缺少初中的目标",
    ]
    for message in expected:
        assert any(p.startswith(message) for p in found), (message, found)
    assert len(found) == len(expected)


def test_a_bad_setting_names_the_setting(tmp_path):
    doc = copy.deepcopy(RAW)
    doc["settings"]["teaching_point_comparator"] = "≤"
    doc["settings"]["refinements"]["rooftop_fields"] = True
    found = problems_of(tmp_path, doc)
    assert found == [
        "plan.yaml settings.teaching_point_comparator：应为 \"<\"（不足）或 \"<=\"（及以下）",
        "plan.yaml settings.refinements.rooftop_fields：未知的细则（可用：net_indoor_sports、relaxed_room_areas、relaxed_size_limits）",
    ]


def test_a_broken_yaml_file_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("district: 黔江区\nindicators: [\n", encoding="utf-8")
    plan, problems = check_plan(path)
    assert plan is None and len(problems) == 1
    assert str(problems[0]).startswith("broken.yaml 第3行")


def test_cli_check_exit_codes(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["plan", "--check"])
    assert result.exit_code == 0, result.output
    assert result.output == "规划文件无问题：黔江区，32 项指标，规划年度 2020—2024。\n"

    doc = copy.deepcopy(RAW)
    indicator(doc, "Q2")["units"] = []
    result = runner.invoke(cli, ["plan", "--check", "--plan", str(write_plan(tmp_path, doc))])
    assert result.exit_code == 1
    assert "plan.yaml 指标 Q2 字段 units：责任单位不能为空" in result.output


def test_a_templates_folder_in_the_working_folder_overrides_the_shipped_plan(tmp_path, monkeypatch):
    doc = copy.deepcopy(RAW)
    doc["district"] = "本地修改区"
    (tmp_path / "templates" / "plans").mkdir(parents=True)
    write_plan(tmp_path / "templates" / "plans", doc, "qianjiang.yaml")
    monkeypatch.chdir(tmp_path)
    assert default_plan_path() == tmp_path / "templates" / "plans" / "qianjiang.yaml"
    result = CliRunner().invoke(cli, ["plan", "--check"])
    assert result.output.startswith("规划文件无问题：本地修改区")
