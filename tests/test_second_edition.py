"""The language's second edition: facts, levels, decision tables, tags, grade and veto
conditions, targets as ranges, thresholds by category, rounding in formulas."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rubricdsl
from rubricdsl.frontend import analyse
from rubricdsl.source import Source

from .helpers import run

HOSPITAL = """rubric "医院考核" {
  fact level "医院级别" category { 三级 二级 }
  fact no_beds "未开设病床" flag
  tag core "★核心指标"
  grades { A >= 18 "优秀" when count_full(core) = count(core)  B >= 10 "合格"  C "不合格" }
  part wards "病房管理" points 10 {
    applies when not no_beds else zero
    item occupancy "床位使用率" points 5 tag core {
      input rate percent
      bands rate, lower is worse by level {
        三级 { [93..) full [85..93) deduct 2 (..85) zero }
        二级 { [85..) full [75..85) deduct 2 (..75) zero }
      }
    }
    item stay "平均住院日" points 5 {
      input days number [0..)
      bands days, farther is worse { [5..10] full [3..5) deduct 2 (10..12] deduct 2 [0..3) zero (12..) zero }
    }
  }
  item service "服务态度" points 5 tag core { levels { 好 full 较好 score 4 一般 score 2 差 zero } }
  item staffing "人员配备" points 5 {
    input doctors count
    input nurses count
    cases {
      full when doctors >= 2 and nurses >= 4
      score 2 when doctors >= 1 and nurses < 4
      score 3 when doctors = 1 and nurses >= 4
      zero when doctors = 0
    }
  }
  veto incident "发生重大医疗事故" { grade C }
  veto core_low "核心指标半数以下得分" { grade at most B  when count_below(core, 0.5) >= 2 }
  veto ward_fire "病房火灾" { score wards at most 0 }
}
"""


def problems(text: str) -> list[tuple[str, int]]:
    """The codes and lines ``check`` reports for a rubric's text."""
    _, found = analyse(Source("t.rub", text))
    return [(p.code, p.span.line if p.span else 0) for p in found]


def unit(**entries: object) -> dict[str, object]:
    """A unit of the hospital rubric, full marks unless told otherwise."""
    base: dict[str, object] = {
        "id": "甲",
        "facts": {"level": "三级", "no_beds": False},
        "values": {"occupancy": 95, "stay": 7, "staffing": {"doctors": 3, "nurses": 5}},
        "scores": {"service": "好"},
    }
    base.update(entries)
    return base


def scored(*units: dict[str, object]) -> list[rubricdsl.Scorecard]:
    return rubricdsl.score(rubricdsl.loads(HOSPITAL), {"units": list(units)})


def test_the_example_checks_clean():
    """Every construct of the second edition together gives no finding."""
    assert problems(HOSPITAL) == []


def test_full_marks_earn_the_top_grade_when_every_core_item_is_full():
    """20 points and both core items at full: grade A."""
    (card,) = scored(unit())
    assert (card.total, card.grade.name) == (20, "A")


def test_a_grade_condition_keeps_a_high_total_out():
    """18 points with a core item short of full is not A, though the total reaches 18."""
    (card,) = scored(
        unit(
            scores={"service": "较好"},
            values={"occupancy": 95, "stay": 7, "staffing": {"doctors": 3, "nurses": 5}},
        )
    )
    assert (card.total, card.grade.name) == (19, "B")


def test_category_thresholds_differ_by_the_fact():
    """88% is 2 points short at a 三级 hospital and full marks at a 二级 one."""
    values = {"occupancy": 88, "stay": 7, "staffing": {"doctors": 3, "nurses": 5}}
    third, second = scored(
        unit(values=values),
        unit(id="乙", values=values, facts={"level": "二级", "no_beds": False}),
    )
    assert (third.items["occupancy"].score, second.items["occupancy"].score) == (3, 5)
    assert third.items["occupancy"].rule == "三级: [85..93) deduct 2"


@pytest.mark.parametrize(("days", "points"), [(2, 0), (3, 3), (5, 5), (10, 5), (11, 3), (12, 3), (13, 0)])
def test_a_target_range_is_worse_on_both_sides(days, points):
    """A stay of 5 to 10 days is best; nearer the range scores more on either side."""
    values = {"occupancy": 95, "stay": days, "staffing": {"doctors": 3, "nurses": 5}}
    (card,) = scored(unit(values=values))
    assert card.items["stay"].score == points


def test_a_level_is_chosen_by_name():
    """The unit's scores give the level's name; the item scores its points."""
    (card,) = scored(unit(scores={"service": "一般"}))
    assert (card.items["service"].score, card.items["service"].rule) == (2, "一般 score 2")


def test_a_level_that_is_not_one_is_refused_with_the_levels():
    """A level's name misspelt, or points instead of a name, is the unit's problem; others are scored."""
    wrong, number, fine = scored(
        unit(scores={"service": "很好"}), unit(id="乙", scores={"service": 4}), unit(id="丙")
    )
    assert [p.code for p in wrong.errors] == ["E315"]
    assert "好, 较好, 一般, 差" in wrong.errors[0].message
    assert [p.code for p in number.errors] == ["E315"]
    assert fine.ok


@pytest.mark.parametrize(
    ("doctors", "nurses", "points"), [(2, 4, 5), (1, 3, 2), (1, 4, 3), (0, 9, 0), (5, 0, 2)]
)
def test_the_first_row_of_a_decision_table_that_holds_scores(doctors, nurses, points):
    """Each row of the staffing table, and the first that holds wins."""
    values = {"occupancy": 95, "stay": 7, "staffing": {"doctors": doctors, "nurses": nurses}}
    (card,) = scored(unit(values=values))
    assert card.items["staffing"].score == points


def test_a_part_that_does_not_apply_needs_no_values():
    """No beds: the ward items score zero without their inputs, and the rest is scored."""
    (card,) = scored(
        unit(facts={"level": "三级", "no_beds": True}, values={"staffing": {"doctors": 3, "nurses": 5}})
    )
    assert card.ok
    assert (card.items["occupancy"].score, card.items["stay"].score, card.total) == (0, 0, 10)
    assert not card.items["stay"].applies


def test_a_missing_fact_is_said_once_and_stops_only_its_unit():
    """A unit without the fact its items read gets one E312; its neighbour is scored."""
    missing, fine = scored(unit(facts={"no_beds": False}), unit(id="乙"))
    assert [(p.code, p.field) for p in missing.errors] == [("E312", "facts.level")]
    assert fine.total == 20


def test_bad_facts_are_refused_where_they_are():
    """A category that is not one, a yes/no given as 2, an unknown fact: each located."""
    (card,) = scored(unit(facts={"level": "四级", "no_beds": 2, "beds": 3}))
    assert sorted((p.code, p.field) for p in card.errors) == [
        ("E310", "facts.beds"),
        ("E313", "facts.no_beds"),
        ("E315", "facts.level"),
    ]


def test_a_veto_with_a_condition_fires_by_itself():
    """Both core items below half their points: the grade is capped at B, the veto listed."""
    values = {"occupancy": 80, "stay": 7, "staffing": {"doctors": 3, "nurses": 5}}
    (card,) = scored(unit(values=values, scores={"service": "差"}))
    assert [v.id for v in card.vetoes] == ["core_low"]
    assert card.grade.name == "B"


def test_a_veto_caps_the_score_of_a_part():
    """病房火灾: the ward part scores 0, the rest stands."""
    (card,) = scored(unit(vetoes=["ward_fire"]))
    assert (card.group("wards").score, card.total) == (0, 10)


def test_tag_totals_and_counts_are_in_the_json_output(tmp_path):
    """Each tag's score, points, count and full count in every unit's JSON record."""
    rubric, data = tmp_path / "h.rub", tmp_path / "h.json"
    rubric.write_text(HOSPITAL, encoding="utf-8")
    data.write_text(
        json.dumps({"units": [unit(scores={"service": "较好"})]}, ensure_ascii=False), encoding="utf-8"
    )
    status, out, _ = run("score", rubric, data, "--format", "json")
    record = json.loads(out)["units"][0]
    assert status == 0
    assert record["tags"]["core"] == {
        "score": 9,
        "max": 10,
        "count": 2,
        "full": 1,
        "items": ["occupancy", "service"],
    }
    assert record["items"]["service"]["level"] == "较好"
    assert record["items"]["occupancy"]["measures"]["level"] == "三级"


def test_explain_shows_a_category_by_its_name_and_skips_items_that_lost_nothing(tmp_path):
    """A fact reads as 三级, not 0.00; an item that does not apply but lost nothing is not listed."""
    rubric, data = tmp_path / "h.rub", tmp_path / "h.json"
    rubric.write_text(HOSPITAL.replace("else zero", "else full"), encoding="utf-8")
    units = [
        unit(values={"occupancy": 88, "stay": 7, "staffing": {"doctors": 3, "nurses": 5}}),
        unit(
            id="乙",
            facts={"level": "二级", "no_beds": True},
            values={"staffing": {"doctors": 3, "nurses": 5}},
        ),
    ]
    data.write_text(json.dumps({"units": units}, ensure_ascii=False), encoding="utf-8")
    status, out, _ = run("score", rubric, data, "--explain")
    assert status == 0
    assert "level = 三级, no_beds = 否, rate = 88.00 → 三级: [85..93) deduct 2" in out
    assert "乙: 失分\n  无" in out


# What check finds ------------------------------------------------------------------------------


def test_a_range_that_scores_better_farther_away_is_a_break():
    """Outside 5..10 the score must fall as the stay moves away; rising again is E203."""
    broken = HOSPITAL.replace("(12..) zero", "(12..) deduct 1")
    assert ("E203", 17) in problems(broken)


def test_a_category_without_bands_is_a_gap():
    """Edges for 三级 only: 二级 hospitals fall in no band (E201)."""
    broken = HOSPITAL.replace("        二级 { [85..) full [75..85) deduct 2 (..75) zero }\n", "")
    assert ("E201", 10) in problems(broken)


def test_an_unknown_category_or_tag_is_named():
    """一级 is not a category of level; a tag nobody declared is unknown."""
    broken = HOSPITAL.replace("二级 { [85", "一级 { [85").replace("tag core {", "tag kernel {")
    found = problems(broken)
    assert [f for f in found if f[0] == "E103"] == [("E103", 8), ("E103", 12), ("E103", 20)]


def test_a_category_compared_as_a_number_is_refused():
    """level > 二级 means nothing: categories are equal or not."""
    broken = HOSPITAL.replace("applies when not no_beds", "applies when level > 二级")
    assert ("E119", 7) in problems(broken)


def test_a_part_condition_reads_only_facts():
    """A part's condition naming an item's input is an unknown name there."""
    broken = HOSPITAL.replace("applies when not no_beds", "applies when rate > 0")
    assert ("E103", 7) in problems(broken)


def test_tallies_belong_to_grades_and_vetoes():
    """count(core) inside an item's measure is refused."""
    broken = HOSPITAL.replace(
        "input days number [0..)", "input days number [0..)\n      measure n = count(core)"
    )
    assert ("E104", 17) in problems(broken)


def test_the_lowest_grade_may_not_have_a_condition():
    """A unit failing the lowest grade's condition would have no grade at all."""
    broken = HOSPITAL.replace('C "不合格" }', 'C "不合格" when total > 0 }')
    assert ("E112", 5) in problems(broken)


def test_a_fact_an_item_defines_again_is_refused():
    """An input named like a fact would hide it: E102."""
    broken = HOSPITAL.replace("input days number [0..)", "input days number [0..)\n      input level number")
    assert any(code == "E102" for code, _ in problems(broken))


# Formulas ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "expected"), [("95.125", "2.56"), ("95.13", "2.57"), ("80", "0"), ("100", "5")]
)
def test_formula_rounding_is_exact_and_half_up(rate, expected):
    """得分=(实际达标率−90)÷2, rounded to 2 places half up (2.565 → 2.57) and kept within 0..10."""
    rubric = rubricdsl.loads(
        'rubric "t" { item a "甲" points 10 { input rate percent '
        "score = clamp(round((rate - 90) / 2, 2), 0, 10) } }"
    )
    (card,) = rubricdsl.score(rubric, {"units": [{"id": "x", "values": {"a": Decimal(rate)}}]})
    assert card.items["a"].score == Fraction(expected)


def test_round_half_even_and_its_places_are_checked():
    """round_even ties go to the even digit; places that are not a whole number are refused."""
    rubric = rubricdsl.loads(
        'rubric "t" { item a "甲" points 10 { input v number [0..10] score = round_even(v, 0) } }'
    )
    cards = rubricdsl.score(
        rubric, {"units": [{"id": "x", "values": {"a": 2.5}}, {"id": "y", "values": {"a": 3.5}}]}
    )
    assert [c.total for c in cards] == [2, 4]
    broken = 'rubric "t" { item a "甲" points 10 { input v number [0..10] score = round(v, 1.5) } }'
    assert ("E104", 1) in problems(broken)


def test_a_rounded_formula_is_bounded_by_the_prover():
    """round(rate / 10, 0) over 0..100 may give 10, beyond a 5-point item: E205."""
    broken = 'rubric "t" { item a "甲" points 5 { input rate percent score = round(rate / 10, 0) } }'
    assert ("E205", 1) in problems(broken)
    fine = 'rubric "t" { item a "甲" points 10 { input rate percent score = round(rate / 10, 0) } }'
    assert problems(fine) == []


def test_a_rubric_requirement_over_facts_refuses_only_the_unit_that_breaks_it():
    """Shares that must sum to 100: the unit whose shares do not is refused, naming both; the other is scored."""
    rubric = rubricdsl.loads(
        'rubric "t" { fact own "自有资金占比" percent fact loan "贷款占比" percent '
        'require own + loan = 100 "资金来源合计为100%" item a "甲" points 5 { judged } }'
    )
    fine, broken = rubricdsl.score(
        rubric,
        {
            "units": [
                {"id": "甲", "facts": {"own": 60, "loan": 40}, "scores": {"a": 5}},
                {"id": "乙", "facts": {"own": 60, "loan": 30}, "scores": {"a": 5}},
            ]
        },
    )
    assert fine.total == 5
    assert [(p.code, p.field) for p in broken.errors] == [("E407", "facts")]
    assert "own = 60 and loan = 30" in broken.errors[0].message
    assert broken.total is None


def test_a_rubric_requirement_reads_only_facts():
    """An item's input in the rubric's requirement is an unknown name there."""
    text = 'rubric "t" { require x > 0 item a "甲" points 5 { input x number deduct 1 per x } }'
    assert ("E103", 1) in problems(text)


def test_an_item_that_applies_without_values_takes_its_assessors_amounts_as_nothing_entered():
    """A part applies, its item has only an assessor's deduction, the data gives nothing: full points."""
    rubric = rubricdsl.loads(
        'rubric "t" { fact open "开放" flag part p "甲部" { applies when open '
        'item a "甲" points 5 { deduct assessed lapses at most 5 } } }'
    )
    (card,) = rubricdsl.score(rubric, {"units": [{"id": "x", "facts": {"open": True}}]})
    assert (card.ok, card.total) == (True, 5)


@pytest.mark.parametrize(
    "statement",
    [
        "deduct 1 per beds at most 5",
        "require beds >= 0",
        "bonus 1 when beds > 10 at most 1",
        "measure per_bed = 100 / (beds + 1)\n deduct 1 when per_bed < 1",
    ],
)
def test_a_missing_fact_read_anywhere_in_an_item_is_the_units_e312(statement):
    """A deduction, requirement, bonus or measure reading a fact the unit lacks: E312 on facts.beds."""
    rubric = rubricdsl.loads(
        f'rubric "t" {{ fact beds "床位" count item a "甲" points 5 bonus 1 {{ judged {statement} }} }}'
    )
    (card,) = rubricdsl.score(rubric, {"units": [{"id": "x", "scores": {"a": 5}}]})
    assert [(p.code, p.field) for p in card.errors] == [("E312", "facts.beds")]


@given(
    st.sets(st.sampled_from(["level", "no_beds"])),
    st.sets(st.sampled_from(["occupancy", "stay", "staffing"])),
    st.booleans(),
)
def test_whatever_a_unit_leaves_out_it_gets_problems_not_a_crash(facts_left_out, values_left_out, no_level):
    """Facts, values and the level left out in any combination: the unit is scored or refused with
    problems, and its neighbour with everything is scored."""
    partial = unit()
    partial["facts"] = {k: v for k, v in partial["facts"].items() if k not in facts_left_out}
    partial["values"] = {k: v for k, v in partial["values"].items() if k not in values_left_out}
    if no_level:
        partial["scores"] = {}
    card, whole = scored(partial, unit(id="乙"))
    assert card.ok or all(p.code in ("E312", "E402") for p in card.errors)
    assert card.ok == (not facts_left_out and not values_left_out and not no_level)
    assert whole.total == 20


# Found in review ----------------------------------------------------------------------------------


def test_a_division_by_zero_in_a_grade_condition_is_the_units_e403_and_a_w107():
    """No traceback: check warns, and the unit whose divisor is zero gets E403; the others are scored."""
    text = (
        'rubric "t" { tag core "核" grades { A when core / count_full(core) >= 5  B } '
        'item a "甲" points 10 tag core { judged } }'
    )
    assert ("W107", 1) in problems(text)
    zero, full = rubricdsl.score(
        rubricdsl.loads(text), {"units": [{"id": "x", "scores": {"a": 5}}, {"id": "y", "scores": {"a": 10}}]}
    )
    assert [p.code for p in zero.errors] == ["E403"]
    assert full.grade.name == "A"  # 10 / 1


def test_two_facts_may_share_category_names():
    """是/否 of two facts: each comparison reads the category of the fact it compares."""
    rubric = rubricdsl.loads(
        'rubric "t" { fact a "甲" category { 是 否 } fact b "乙" category { 否 是 } '
        'grades { A when a = 是 and b = 是  B } item x "项" points 1 { judged } }'
    )
    both, one = rubricdsl.score(
        rubric,
        {
            "units": [
                {"id": "u", "facts": {"a": "是", "b": "是"}, "scores": {"x": 1}},
                {"id": "v", "facts": {"a": "是", "b": "否"}, "scores": {"x": 1}},
            ]
        },
    )
    assert (both.grade.name, one.grade.name) == ("A", "B")


@pytest.mark.parametrize(
    "compared", ["level > 1", "level = 1", "level = beds", "level < 三级", "level = 一级"]
)
def test_a_category_fact_compared_with_anything_but_its_categories_is_e119(compared):
    """Only level = 三级 and level != 二级 mean something; a number, another fact, an order, an unknown name do not."""
    broken = HOSPITAL.replace("applies when not no_beds", f"applies when {compared}").replace(
        'fact no_beds "未开设病床" flag', 'fact no_beds "未开设病床" flag\n  fact beds "床位" count'
    )
    assert any(code == "E119" for code, _ in problems(broken))


def test_a_parts_else_may_not_give_an_item_more_than_its_points():
    """else score 6 around a 5-point item is E109, as on the item itself."""
    broken = HOSPITAL.replace("applies when not no_beds else zero", "applies when not no_beds else score 6")
    assert ("E109", 7) in problems(broken)


def test_a_veto_cannot_cap_a_part_below_zero():
    """score wards at most -1 is E106."""
    broken = HOSPITAL.replace("score wards at most 0", "score wards at most -1")
    assert ("E106", 33) in problems(broken)


def test_values_a_condition_excludes_need_no_band_or_row():
    """applies when rate > 50 leaves out the rates below: no E201; x = 0 refused by require: no E206."""
    text = (
        'rubric "t" { item d "甲" points 5 { input rate percent applies when rate > 50 '
        "bands rate, lower is worse { (50..100] full } } "
        'item c "乙" points 5 { input x count require x >= 1 cases { full when x >= 1 } } }'
    )
    assert problems(text) == []


def test_every_missing_fact_is_reported_whatever_the_scores():
    """A unit that leaves out two facts gets an E312 for each, even where an 'or' would not read them."""
    rubric = rubricdsl.loads(
        'rubric "t" { fact big "大" flag fact old "老" flag grades { A when total >= 5 or big or old  B } '
        'item x "项" points 10 { judged } }'
    )
    (card,) = rubricdsl.score(rubric, {"units": [{"id": "u", "scores": {"x": 10}}]})
    assert [(p.code, p.field) for p in card.errors] == [("E312", "facts.big"), ("E312", "facts.old")]


def test_a_grade_condition_reads_scores_as_published():
    """A part of 19.996 shows as 20.00 and counts as 20 for the grade, as the total does."""
    rubric = rubricdsl.loads(
        'rubric "t" { grades { A >= 40 when p >= 20  B } part p "甲" { item a "甲" points 20 '
        '{ input x number [0..20] score = x } } part q "乙" { item b "乙" points 20 { judged } } }'
    )
    (card,) = rubricdsl.score(
        rubric, {"units": [{"id": "u", "values": {"a": Decimal("19.996")}, "scores": {"b": 20}}]}
    )
    assert (str(card.reported_total), card.grade.name) == ("40.00", "A")
