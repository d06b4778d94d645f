"""What check proves at the edges review found: ratios, zero divisors, open linear edges, counts, sums."""

from __future__ import annotations

import pytest

import rubricdsl
from rubricdsl.frontend import analyse
from rubricdsl.source import Source

from .helpers import findings


def item(body: str, points: str = "10", header: str = "") -> str:
    return f'rubric "t" {{ {header} item a "甲" points {points} {{ {body} }} }}'


RATIO = """
    input passed count
    input failed count
    measure rate = 100 * passed / (passed + failed){within}
    applies when passed + failed > 0
    bands rate, lower is worse {{ [95..100] full [90..95) deduct 2 [0..90) zero }}"""


def test_a_ratio_arithmetic_cannot_bound_can_be_declared():
    """100 * passed / (passed + failed) never passes 100; ``within`` says so, and the gap above goes."""
    without = findings(item(RATIO.format(within="")))
    assert ("E201", "no band of 甲 (a) takes rate = 101 (above the band on line 6)") in without
    assert findings(item(RATIO.format(within=" within [0..100]"))) == []


def test_a_declared_range_is_checked_when_scoring():
    """A value outside the range a measure declares is an error of that unit."""
    rubric = rubricdsl.loads(
        item("input v number measure m = v within [0..100] bands m, lower is worse { [0..100] full }")
    )
    ok, bad = rubricdsl.score(
        rubric, {"units": [{"id": "甲", "values": {"a": 50}}, {"id": "乙", "values": {"a": 120}}]}
    )
    assert ok.total == 10
    assert [e.message for e in bad.errors] == [
        "measure 'm' of 甲 is 120, outside [0..100], the values the rubric declares for it"
    ]


RATE = ("input passed count input sampled count measure rate = 100 * passed / sampled {applies} "
        "bands rate, lower is worse {{ [95..) full [90..95) deduct 2 [0..90) zero }}")  # fmt: skip


def test_dividing_by_a_count_that_may_be_zero_leaves_zero_out():
    """100 * passed / sampled with counts: a zero divisor gives no value, so no value below 0 is feared."""
    assert [c for c, _ in findings(item(RATE.format(applies="")))] == ["W107"]


def test_an_applies_condition_rules_out_a_zero_divisor():
    """``applies when sampled > 0`` keeps the division from zero: no warning."""
    assert findings(item(RATE.format(applies="applies when sampled > 0"))) == []
    assert findings(item(RATE.format(applies="applies when sampled != 0 and passed >= 0"))) == []


def test_an_item_that_does_not_apply_never_divides():
    """未发生…的不扣分: with no events the item applies not, so its rate is never computed."""
    rubric = rubricdsl.loads(
        item(
            "input events count input on_time count measure timely = 100 * on_time / events "
            "applies when events > 0 bands timely, lower is worse { [100..) full [80..100) deduct 2 (..80) zero }"
        )
    )
    (card,) = rubricdsl.score(rubric, {"units": [{"id": "甲", "values": {"a": {"events": 0, "on_time": 0}}}]})
    assert (card.total, card.items["a"].applies) == (10, False)


def test_zero_times_anything_is_zero():
    """A completion of exactly 0 (value 0) is a value the bands must take, whatever the target."""
    text = item("input value percent input target percent (80..100) from targets "
                "measure completion = 100 * value / target "
                "bands completion, lower is worse { [100..) full [90..100) deduct 2 (0..90) deduct 5 }")  # fmt: skip
    assert findings(text) == [("E201", "no band of 甲 (a) takes completion = 0 (below the band on line 1)")]


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ("(..0] full (0..10) deduct 0..5 linear [10..20] deduct 4.99 (20..) zero",
         "in 甲 (a), shortfall = 10 scores 5.01, more than the better shortfall = 9.991, which scores 5.0045 (line 1)"),
        ("(..0] full (0..10] deduct 5.01 (10..20] deduct 5..8 linear (20..) zero",
         "in 甲 (a), shortfall = 10.01 scores 4.997, more than the better shortfall = 10, which scores 4.99 (line 1)"),
    ],
)  # fmt: skip
def test_a_linear_range_is_judged_at_its_open_edge(bands, message):
    """Just inside an open edge a linear score comes as close to its edge value as one likes."""
    text = item(f"input shortfall number bands shortfall, higher is worse {{ {bands} }}")
    assert findings(text) == [("E203", message)]


def test_counts_are_judged_on_whole_numbers():
    """For a count, the first whole number of a band is its edge: 0 scores 8.5, the worse 1 scores 8.6."""
    broken = item(
        "input missed count bands missed, higher is worse { [0..0.5] deduct 1.5 (0.5..3] deduct 1..3 linear (3..) zero }"
    )
    assert findings(broken) == [
        (
            "E203",
            "in 甲 (a), missed = 1 scores 8.6, more than the better missed = 0, which scores 8.5 (line 1)",
        )
    ]
    sound = item(
        "input missed count bands missed, higher is worse { [0..0] deduct 1.3 [0.5..3] deduct 1..3 linear (3..) zero }"
    )
    assert findings(sound) == []  # 0.5 is no count; 0 scores 8.7, 1 scores 8.6


def test_one_assessed_band_is_not_compared_with_itself():
    """An earlier band that takes nothing does not split a later assessed band into rivals."""
    text = item(
        "input late count bands late, higher is worse { (..0] full (2..3) deduct 5 (0..10] deduct 1..4 assessed (10..) zero }"
    )
    assert [c for c, _ in findings(text)] == ["W201"]


def test_a_bonus_only_item_has_no_points_to_give():
    """An item with bonus points only scores 0 base points, so an outcome above 0 is an error."""
    text = 'rubric "t" { item d "丁" bonus 2 { input rate percent bands rate, lower is worse { [90..) score 2 (..90) zero } } }'
    assert findings(text) == [("E109", "2 is not between 0 and the item's 0 points")]


def test_an_uncapped_bonus_can_reach_any_grade():
    """With a bonus no cap bounds, a grade above the points is not unreachable."""
    text = 'rubric "t" { total 100 grades { S >= 105 A >= 90 D } item a "甲" points 100 { input valuable count bonus 0.5 per valuable } }'
    assert findings(text) == []


def test_groups_without_points_count_what_their_items_have():
    """A group that declares no points counts its items' points towards its parent's total."""
    text = 'rubric "t" { total 100 group g1 "一" { item a "甲" points 40 { judged } } group g2 "二" { item b "乙" points 50 { judged } } }'
    assert findings(text) == [("W101", "the rubric declares 100 points but its groups add up to 90")]


def test_an_item_declaring_more_bonus_than_its_rules_give():
    """An item's declared bonus is compared with what its bonus rules can give."""
    text = item("input reported count input valuable count deduct 2 per 6 - reported at most 12 "
                "bonus 0.2 per reported - 6 at most 2 bonus 0.5 per valuable at most 5", points="12 bonus 10")  # fmt: skip
    assert findings(text) == [("W102", "item 'a' declares 10 bonus points but its rules allow 7")]


def test_assessed_caps_larger_than_the_item():
    """An assessor's cap above the item's points is flagged like any other cap."""
    text = item("input n count deduct 1 per n deduct assessed discretion at most 10", points="2")
    assert findings(text) == [("W103", "a cap of 10 is more than the 2 points of 甲")]


def test_unused_measures_are_found_through_other_measures():
    """A measure read only by a measure nothing uses is itself unused."""
    text = item("input v number measure m1 = v measure m2 = m1 bands v, lower is worse { (..) full }")
    assert [c for c, _ in findings(text)] == ["W105", "W105"]


def test_band_tables_are_proved_even_when_another_item_has_errors():
    """An error in one item does not hide a gap in another."""
    text = 'rubric "t" { item a "甲" points 3 { input v percent bands vv, lower is worse { (..) full } } item b "乙" points 3 { input v percent bands v, lower is worse { [60..) full [0..50) zero } } }'
    assert [c for c, _ in findings(text)] == ["E103", "E201"]


def test_dividing_by_a_constant_keeps_the_bounds():
    """``v / 100`` over a percent takes [0..1], no more: a table over [0..1] has no gap above it."""
    text = item("input v percent measure m = v / 100 bands m, lower is worse { [0.9..1] full [0..0.9) zero }")
    assert findings(text) == []


def test_a_formula_that_can_leave_the_points_is_refused():
    """得分=70×达标率−63 goes below 0 under 90% and is refused, naming what it can give, until bounded."""
    text = item("input rate percent score = 70 * rate / 100 - 63", points="7")
    assert findings(text) == [
        (
            "E205",
            "score = 70 * rate / 100 - 63 can give [-63..7], beyond the 0 to 7 points of 甲 (at rate = 0)",
        )
    ]
    assert findings(text.replace("70 * rate / 100 - 63", "max(0, 70 * rate / 100 - 63)")) == []
    assert [c for c, _ in findings(text.replace("- 63", "- 62"))] == ["E205"]  # 8 at 100%: above the points


def test_a_formula_that_may_divide_by_zero_is_warned_about():
    """A formula divides like a measure: a divisor that may be zero is a warning, unless ruled out."""
    text = item("input done count input planned count score = min(10, 10 * done / planned)")
    assert [c for c, _ in findings(text)] == ["W107"]
    assert findings(text.replace("score =", "applies when planned > 0 score =")) == []


def test_a_formula_over_a_count_is_held_to_whole_numbers():
    """``score = n`` with n a count up to 5.5 never gives more than 5: no E205 on a 5-point item."""
    assert findings(item("input n count [0..5.5] score = n", points="5")) == []


def test_a_division_guarded_by_the_items_condition_inside_a_formula():
    """``applies when y > 0`` keeps ``x / y`` from zero wherever the formula nests it: no W107."""
    assert findings(item("input x count input y count applies when y > 0 score = min(10, 1 + x / y)")) == []


def test_a_gap_the_inputs_reach_is_not_hidden_behind_within():
    """A value the inputs really give (target 0, value 100: shortfall -100) gets no 'within' hint."""
    text = item(
        "input value percent input target percent from targets measure shortfall = target - value "
        "bands shortfall, higher is worse { [0..1] full (1..) zero }"
    )
    (gap,) = [p for p in analyse(Source("t.rub", text))[1] if p.code == "E201"]
    assert "within" not in gap.help
    assert "shortfall = -100 happens (at target = 0, value = 100)" in gap.help
