"""The language's constructs, compiled and scored: texts, intervals, outcomes, grades and vetoes."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rubricdsl
from rubricdsl import EvaluationError, score_item
from rubricdsl.model import Direction, InputSource, Interval, Rounding, WhenCondition

from .helpers import codes, findings
from .strategies import conditions, decimals

F = Fraction

RANGE_RUBRIC = """
rubric "区间" {
  total 10
  grades { 优 >= 9 "优秀" 良 >= 6 "良好" 差 "较差" }
  item rate "合格率" points 10 {
    input value percent [0..100]
    input target percent (0..100] from targets
    measure shortfall = target - value
    bands shortfall, higher is worse {
      (..0]     full
      (0..10]   deduct 6..9 assessed   # 扣6—9分, left to the assessor
      (10..20]  score 0.5
      (20..)    zero
    }
  }
  veto late "逾期上报" { grade at most 良 }
  veto fraud "弄虚作假" { grade 差 }
}
"""


@pytest.fixture(scope="module")
def ranged():
    return rubricdsl.loads(RANGE_RUBRIC)


def unit(value, score=None, vetoes=()):
    entry = {"id": "甲", "values": {"rate": Decimal(value)}, "vetoes": list(vetoes)}
    if score is not None:
        entry["scores"] = {"rate": Decimal(score)}
    return entry


def score(rubric, *units, target="90"):
    return rubricdsl.score(rubric, {"targets": {"rate": Decimal(target)}, "units": list(units)})


def test_the_compiled_model(ranged):
    """The model keeps the inputs, their domains and sources, the measure, and the band table."""
    item = ranged.item("rate")
    assert [(i.name, str(i.domain), i.source) for i in item.inputs] == [
        ("value", "[0..100]", InputSource.VALUES),
        ("target", "(0..100]", InputSource.TARGETS),
    ]
    assert [str(b) for b in item.rule.bands] == [
        "(..0] full",
        "(0..10] deduct 6..9 assessed",
        "(10..20] score 0.5",
        "(20..) zero",
    ]
    assert item.rule.worse is Direction.HIGHER_IS_WORSE
    assert item.needs_assessor


@pytest.mark.parametrize(("given", "expected"), [("1", F(1)), ("4", F(4)), ("2.5", F(5, 2))])
def test_assessed_range_accepts_scores_inside_it(ranged, given, expected):
    """扣6—9分 on a 10-point item leaves the assessor a score from 1 to 4, both ends included."""
    (card,) = score(ranged, unit("85", score=given))
    assert card.items["rate"].score == expected
    assert card.items["rate"].assessed == expected


@pytest.mark.parametrize("given", ["0.99", "4.01", "10"])
def test_assessed_range_refuses_scores_outside_it(ranged, given):
    """A score outside the range the band allows is an error on the unit, naming the range."""
    (card,) = score(ranged, unit("85", score=given))
    assert card.total is None
    (problem,) = card.errors
    assert problem.field == "scores.rate"
    assert problem.message.startswith(
        f"{given} is outside 1..4, the scores band (0..10] deduct 6..9 assessed"
    )


def test_assessed_range_needs_a_score(ranged):
    """When the assessed band fires and no score was given, the unit is told which range is expected."""
    (card,) = score(ranged, unit("85"))
    assert [e.message for e in card.errors] == [
        "合格率 needs the assessor's score between 1 and 4 (shortfall = 5 falls in band (0..10] deduct 6..9 assessed)"
    ]


def test_score_for_a_band_that_takes_none_is_an_error(ranged):
    """A score given where the band fixes the outcome would be silently ignored, so it is refused."""
    (card,) = score(ranged, unit("95", score="3"))
    assert card.errors[0].field == "scores.rate"
    assert "takes no assessor's score here" in card.errors[0].message


def test_fixed_score_and_zero(ranged):
    """``score 0.5`` gives 0.5 whatever the item's points; ``zero`` gives nothing."""
    assert score(ranged, unit("75"))[0].items["rate"].score == F(1, 2)
    assert score(ranged, unit("69.99"))[0].items["rate"].score == 0


def test_grade_cap_lowers_only_a_better_grade(ranged):
    """``grade at most 良`` turns 优 into 良 and leaves 差 alone."""
    (capped,) = score(ranged, unit("95", vetoes=["late"]))
    assert (capped.total, capped.grade.name, capped.vetoed) == (10, "良", True)
    (low,) = score(ranged, unit("75", vetoes=["late"]))
    assert low.grade.name == "差"


def test_forcing_veto_wins_over_a_cap(ranged):
    """A veto that forces 差 beats one that caps at 良."""
    (card,) = score(ranged, unit("95", vetoes=["late", "fraud"]))
    assert card.grade.name == "差"
    assert [v.id for v in card.vetoes] == ["late", "fraud"]


def test_units_are_scored_in_input_order(ranged):
    """Scorecards come back in the order the units were given."""
    cards = score(ranged, {**unit("95"), "id": "乙"}, {**unit("75"), "id": "甲"})
    assert [c.unit_id for c in cards] == ["乙", "甲"]


def test_texts_comments_and_chinese_names():
    """Triple-quoted texts are dedented, escapes work, comments vanish, and ids may be Chinese."""
    rubric = rubricdsl.loads('''
    # a comment
    rubric "文本" {   # another
      meta 来源 "某\\"文件\\""
      item 制度 "制度建设" points 2 no "一" {
        standard """
          1.建立制度。
            2.缩进保留。
        """
        note "第一行\\n第二行"
        criteria { "建立制度。" "公开信息。" }
        departments "市质监局" "市工商局"
        judged
      }
    }''')
    item = rubricdsl.Rubric.item(rubric, "制度")
    assert item.standard == "1.建立制度。\n  2.缩进保留。"
    assert item.notes == ("第一行\n第二行",)
    assert item.criteria == ("建立制度。", "公开信息。")
    assert item.departments == ("市质监局", "市工商局")
    assert item.numbering == "一"
    assert rubric.meta == (("来源", '某"文件"'),)


def test_keywords_may_be_used_as_names():
    """Names like ``value``, ``target`` or ``full`` are fine where a name is expected."""
    rubric = rubricdsl.loads("""rubric "t" { item full "甲" points 4 {
        input zero number
        measure score = zero * 2
        bands score, lower is worse { [4..) full (..4) deduct 4 } } }""")
    assert score_item(rubric.item("full"), {"zero": F(2)}).score == 4
    assert score_item(rubric.item("full"), {"zero": F(1)}).score == 0


def test_expression_arithmetic_is_exact():
    """Measures use exact rationals and the functions min, max, floor and ceil."""
    rubric = rubricdsl.loads("""rubric "t" { item a "甲" points 10 {
        input x number
        measure y = max(0, min(10, floor(x / 3) - ceil(-x / 3) + -(1 - 1)))
        bands y, lower is worse { [10..) full [0..10) deduct 5 } } }""")
    # floor(10/3) = 3 and ceil(-10/3) = -3, so y = 3 - (-3) = 6
    assert dict(score_item(rubric.item("a"), {"x": F(10)}).measures)["y"] == 6
    assert dict(score_item(rubric.item("a"), {"x": F(100)}).measures)["y"] == 10


def test_division_by_zero_is_a_unit_error():
    """A measure dividing by zero is reported on the unit, not raised."""
    rubric = rubricdsl.loads("""rubric "t" { item a "甲" points 10 {
        input v number input t number from targets
        measure c = v / t
        bands c, lower is worse { [1..) full (..1) zero } } }""")
    with pytest.raises(EvaluationError, match="measure 'c' of 甲 divides by zero"):
        score_item(rubric.item("a"), {"v": F(1), "t": F(0)})


@pytest.mark.parametrize(
    ("mode", "exact", "reported"),
    [("half_up", "2.345", "2.35"), ("half_even", "2.345", "2.34"), ("down", "2.349", "2.34")],
)
def test_rounding_modes(mode, exact, reported):
    """The rubric's rounding applies once, to the reported total."""
    rubric = rubricdsl.loads(f'rubric "t" {{ round 2 {mode} item a "甲" points 5 {{ judged }} }}')
    (card,) = rubricdsl.score(rubric, {"units": [{"id": "x", "scores": {"a": Decimal(exact)}}]})
    assert str(card.reported_total) == reported


def test_rounding_places():
    """``round 1`` reports one decimal place."""
    rubric = rubricdsl.loads('rubric "t" { round 1 item a "甲" points 5 { judged } }')
    (card,) = rubricdsl.score(rubric, {"units": [{"id": "x", "scores": {"a": Decimal("3.25")}}]})
    assert str(card.reported_total) == "3.3"


def test_nested_groups_cap_at_every_level():
    """Groups nest to any depth, and each level is capped at its own points."""
    rubric = rubricdsl.loads("""rubric "t" {
      part p "部分" points 5 {
        group g "组" points 4 { item a "甲" points 3 { judged } item b "乙" points 3 { judged } }
        item c "丙" points 2 { judged }
      } }""")
    (card,) = rubricdsl.score(rubric, {"units": [{"id": "x", "scores": {"a": 3, "b": 3, "c": 2}}]})
    assert [(g.group.id, g.raw, g.score) for g in card.groups] == [("p", 6, 5), ("g", 6, 4)]
    assert card.total == 5


def test_python_floats_are_read_as_the_decimal_they_print():
    """A Python caller's 89.1 is read as exactly 89.1, not its binary neighbour."""
    rubric = rubricdsl.loads("""rubric "t" { item a "甲" points 5 {
        input value percent input target percent (0..100] from targets
        measure completion = 100 * value / target
        bands completion, lower is worse { [90..) full (..90) zero } } }""")
    (card,) = rubricdsl.score(rubric, {"targets": {"a": 99.0}, "units": [{"id": "x", "values": {"a": 89.1}}]})
    assert card.items["a"].score == 5


def test_interval_membership_at_open_and_closed_edges():
    """Open edges exclude their number, closed edges include it, absent edges are unbounded."""
    closed_open = Interval(F(90), F(100), True, False)
    assert F(90) in closed_open and F(100) not in closed_open
    assert F(-(10**9)) in Interval(None, F(0), False, True)
    assert str(Interval.everything()) == "(..)"


def test_rounding_keeps_every_digit():
    """Rounding is exact at any size: no 28-digit decimal context rounds digits away."""
    assert (
        str(Rounding(2).apply(F("12345678901234567890123456789.125"))) == "12345678901234567890123456789.13"
    )
    assert str(Rounding(2).apply(F("-2.345"))) == "-2.35"  # half up: ties away from zero


FORMULA = 'rubric "t" { item a "甲" points 7 { input rate percent score = max(0, 70 * rate / 100 - 63) } }'


@pytest.mark.parametrize(("rate", "score"), [("100", F(7)), ("95.5", F(77, 20)), ("90", F(0)), ("0", F(0))])
def test_a_formula_scores_exactly(rate, score):
    """得分=70×实际达标率−63, floored at 0: 95.5% gives exactly 3.85."""
    (card,) = rubricdsl.score(
        rubricdsl.loads(FORMULA), {"units": [{"id": "甲", "values": {"a": Decimal(rate)}}]}
    )
    assert card.items["a"].score == score
    assert card.items["a"].rule == "score = max(0, 70 * rate / 100 - 63)"


def test_a_formula_takes_no_assessors_score():
    """A formula item is scored from its values: a score given for it is refused, naming the item."""
    document = {"units": [{"id": "甲", "values": {"a": 95}, "scores": {"a": 3}}]}
    (card,) = rubricdsl.score(rubricdsl.loads(FORMULA), document)
    assert [(e.code, e.field) for e in card.errors] == [("E311", "scores.a")]


REQUIRE = """rubric "t" { item a "甲" points 10 {
  input passed count
  input inspected count
  require passed <= inspected
  measure rate = 100 * passed / inspected within [0..100]
  applies when inspected > 0
  bands rate, lower is worse { [90..100] full [0..90) zero } } }"""


@given(st.integers(0, 20), st.integers(0, 20))
def test_a_unit_is_refused_exactly_when_it_breaks_a_requirement(passed, inspected):
    """``require passed <= inspected``: refused when and only when more passed than were inspected."""
    (card,) = rubricdsl.score(
        rubricdsl.loads(REQUIRE),
        {"units": [{"id": "甲", "values": {"a": {"passed": passed, "inspected": inspected}}}]},
    )
    assert [e.code for e in card.errors] == ([] if passed <= inspected else ["E407"])


def test_a_requirement_reads_names_like_any_condition():
    """An unknown name in a requirement is an E103; an input read only by a requirement is used."""
    assert codes(REQUIRE.replace("require passed <= inspected", "require pased <= inspected")) == ["E103"]
    assert codes(REQUIRE.replace("measure rate = 100 * passed", "measure rate = 100 * inspected")) == []


PARENTHESES = 'rubric "t" {{ item a "甲" points 5 {{ input x number input y number deduct 1 when {} }} }}'


@pytest.mark.parametrize(
    ("condition", "x", "y", "holds"),
    [
        ("(x > 1 or y > 1) and x < 3", 5, 0, False),  # without the parentheses: True
        ("x > 1 or y > 1 and x < 3", 5, 0, True),  # "and" binds tighter than "or"
        ("not (x > 1 and y > 1)", 2, 0, True),
        ("not x > 1 and y > 1", 2, 2, False),  # "not" binds tighter than "and"
        ("((x + 1) * 2 > 5)", 2, 0, True),
    ],
)
def test_conditions_group_with_parentheses(condition, x, y, holds):
    """发生迟报或瞒报且…: parentheses group conditions; otherwise not, then and, then or."""
    rubric = rubricdsl.loads(PARENTHESES.format(condition))
    (card,) = rubricdsl.score(rubric, {"units": [{"id": "甲", "values": {"a": {"x": x, "y": y}}}]})
    assert card.items["a"].score == (4 if holds else 5)


@given(
    conditions(("x", "y")),
    st.lists(st.tuples(decimals("-5", "5", 1), decimals("-5", "5", 1)), min_size=1, max_size=6),
)
def test_a_condition_printed_and_read_back_means_the_same(condition, points):
    """The model prints a condition with only the parentheses it needs, and reading that back means the same."""
    rubric = rubricdsl.loads(PARENTHESES.format(condition))
    (read,) = rubric.item("a").adjustments
    assert isinstance(read, WhenCondition)
    for x, y in points:
        env = {"x": Fraction(x), "y": Fraction(y)}
        try:
            expected = condition.holds(env)
        except ZeroDivisionError:
            continue
        assert read.when.holds(env) == expected, (str(condition), env)


TEXTS = """rubric "t" {
  text ledgers "核查报表和相关台帐。"
  text qsb "市质监局"
  note ledgers
  item a "甲" points 5 { departments qsb "市统计局" method ledgers criteria { ledgers "乙" } standard ledgers judged }
  veto v "否决" { grade D definition ledgers circumstances { ledgers } }
  grades { A >= 5 D }
}"""


def test_a_text_written_once_is_shown_in_full_wherever_it_is_used():
    """A named text stands for the whole text in every place a text goes."""
    rubric = rubricdsl.loads(TEXTS)
    item, veto = rubric.item("a"), rubric.veto("v")
    whole = "核查报表和相关台帐。"
    assert (item.method, item.standard, item.criteria, item.departments) == (
        whole,
        whole,
        (whole, "乙"),
        ("市质监局", "市统计局"),
    )
    assert (veto.definition, veto.circumstances, rubric.notes) == (whole, (whole,), (whole,))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("method ledgers", "method ledger"), [("E103", "unknown text 'ledger'")]),
        (
            ('text qsb "市质监局"', 'text qsb "市质监局" text qsb "市统计局"'),
            [("E105", "'text qsb' is set twice")],
        ),
        (
            ('text qsb "市质监局"', 'text qsb "市质监局" text spare "备用"'),
            [("W108", "text 'spare' is written but nothing uses it")],
        ),
    ],
)
def test_names_of_texts_are_checked(change, expected):
    """An unknown name, a name written twice, and a text nothing uses are each reported."""
    assert findings(TEXTS.replace(*change)) == expected


def test_a_requirement_that_reads_a_value_the_unit_lacks():
    """A requirement whose measure has no value (a division by zero) names only the values it read."""
    text = 'rubric "t" { item a "甲" points 5 { input x count input y count measure r = x / y require x > 0 and r <= 1 deduct 1 per x } }'
    (card,) = rubricdsl.score(
        rubricdsl.loads(text), {"units": [{"id": "甲", "values": {"a": {"x": 0, "y": 0}}}]}
    )
    assert [(e.code, e.message) for e in card.errors] == [("E407", "甲 requires x > 0 and r <= 1, but x = 0")]


def test_a_requirement_does_not_stop_an_item_that_does_not_apply():
    """Where the item does not apply, a requirement its missing measure cannot check is let be."""
    text = """rubric "t" { item a "甲" points 10 { input x count input y count measure r = 100 * x / y
      require r <= 100 applies when y > 0 bands r, lower is worse { [50..) full (..50) zero } } }"""
    none, over = rubricdsl.score(
        rubricdsl.loads(text),
        {
            "units": [
                {"id": "甲", "values": {"a": {"x": 0, "y": 0}}},
                {"id": "乙", "values": {"a": {"x": 3, "y": 2}}},
            ]
        },
    )
    assert (none.total, none.items["a"].applies) == (10, False)
    assert [(e.code, e.message) for e in over.errors] == [("E407", "甲 requires r <= 100, but r = 150")]
