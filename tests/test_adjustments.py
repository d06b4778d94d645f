"""Deductions, bonus points, items that do not apply, assessor-entered amounts and the evidence rule."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

import rubricdsl
from rubricdsl.output import to_table

from .helpers import codes

F = Fraction

RUBRIC = """
rubric "调整" {
  total 10
  bonus 3
  evidence "均必须提供书面文字材料，否则该项不得分。"
  group g "组" points 6 bonus 2 {
    item fines "违规" points 2 {
      input violations count
      deduct 0.5 per violations                 # 扣完为止
    }
    item visits "督导" points 4 bonus 4 {
      input done count
      input late flag
      input events count
      deduct 1 per 4 - done at most 3           # 每少一次扣1分，最高扣3分
      deduct 0.5 when late = 1 and not events >= 2
      deduct assessed discretion                # 酌情扣分: at most what remains
      bonus 0.5 per done - 4 at most 1.5
      bonus assessed extra at most 2
    }
  }
  item reports "报告" points 4 bonus 3 {
    input events count
    input late count
    applies when events > 0                     # 未发生…的不扣分
    deduct 2 per late
    bonus 1 when late = 0 or events >= 3
    bonus assessed award                         # bounded by the item's bonus, 3
  }
}
"""


@pytest.fixture(scope="module")
def rubric():
    return rubricdsl.loads(RUBRIC)


FULL = {"fines": 0, "visits": {"done": 4, "late": 0, "events": 0}, "reports": {"events": 1, "late": 0}}


def score(rubric, values=None, **unit):
    merged = {**FULL, **(values or {})}
    (card,) = rubricdsl.score(rubric, {"units": [{"id": "甲", "values": merged, **unit}]})
    return card


@pytest.mark.parametrize(("violations", "expected"), [(0, "2"), (1, "1.5"), (4, "0"), (9, "0")])
def test_per_occurrence_deduction_stops_at_zero(rubric, violations, expected):
    """每发现1次扣0.5分，扣完为止: 0.5 a time, never below zero."""
    assert score(rubric, {"fines": violations}).items["fines"].score == F(expected)


@pytest.mark.parametrize(("done", "expected"), [(4, 4), (3, 3), (1, 1), (0, 1), (9, 4)])
def test_a_deduction_within_its_own_cap(rubric, done, expected):
    """每少一次扣1分，最高扣3分: 0 visits takes 3, not 4; more visits than needed take nothing."""
    assert score(rubric, {"visits": {"done": done, "late": 0, "events": 0}}).items["visits"].score == expected


@pytest.mark.parametrize(
    ("late", "events", "expected"), [(1, 0, "3.5"), (1, 2, "4"), (0, 0, "4"), (0, 5, "4")]
)
def test_a_deduction_under_a_condition(rubric, late, events, expected):
    """``when late = 1 and not events >= 2`` takes 0.5 only when both parts hold."""
    card = score(rubric, {"visits": {"done": 4, "late": late, "events": events}})
    assert card.items["visits"].score == F(expected)


@pytest.mark.parametrize(("entered", "expected"), [("0", "3"), ("1.5", "1.5"), ("3", "0")])
def test_assessor_deduction_up_to_what_remains(rubric, entered, expected):
    """酌情扣分 without a bound may take what the other deductions leave: here 4 - 1 = 3."""
    card = score(rubric, {"visits": {"done": 3, "late": 0, "events": 0, "discretion": Decimal(entered)}})
    assert card.items["visits"].score == F(expected)


def test_assessor_deduction_beyond_what_remains_is_an_error(rubric):
    """Entering more than remains is an error naming the entry, not a silent zero."""
    card = score(rubric, {"visits": {"done": 3, "late": 0, "events": 0, "discretion": Decimal("3.01")}})
    assert card.total is None
    assert [(e.field, e.message) for e in card.errors] == [
        (
            "values.visits.discretion",
            "the assessor's deduction 3.01 is more than 3, what the other deductions leave of 督导",
        )
    ]


def test_assessor_amounts_left_out_count_as_nothing(rubric):
    """An assessor's amount that the data leaves out takes nothing off and gives nothing."""
    card = score(rubric)
    assert (card.items["visits"].score, card.items["visits"].bonus) == (4, 0)


@pytest.mark.parametrize(
    ("done", "extra", "bonus"),
    [(5, "0", "0.5"), (7, "0", "1.5"), (20, "0", "1.5"), (7, "2", "3.5"), (4, "2", "2")],
)
def test_bonus_caps(rubric, done, extra, bonus):
    """Each bonus within its own cap (最高奖励1.5分), the assessor's within its bound."""
    card = score(rubric, {"visits": {"done": done, "late": 0, "events": 0, "extra": Decimal(extra)}})
    assert card.items["visits"].bonus == F(bonus)


def test_group_and_rubric_bonus_caps_are_never_cut_by_base_caps(rubric):
    """Bonus points are capped by the declared bonus of the group (2) and rubric (3), apart from points."""
    card = score(
        rubric,
        {
            "visits": {"done": 9, "late": 0, "events": 0, "extra": 2},
            "reports": {"events": 3, "late": 0, "award": 2},
        },
    )
    assert (card.items["visits"].bonus, card.group("g").bonus, card.group("g").raw_bonus) == (
        F("3.5"),
        2,
        F("3.5"),
    )
    assert card.group("g").score == 6  # the base is full, and the bonus did not eat into it
    assert card.items["reports"].bonus == 3  # 1 + 2
    assert (card.base, card.bonus, card.total) == (10, 3, 13)  # 2 + 3 = 5 bonus, capped at 3
    assert str(card.reported_total) == "13.00"


def test_assessed_bonus_is_bounded_by_the_item_bonus(rubric):
    """``bonus assessed award`` with no bound of its own may give the item's declared bonus, and no more."""
    ok = score(rubric, {"reports": {"events": 1, "late": 1, "award": 3}})
    assert ok.items["reports"].bonus == 3
    too_much = score(rubric, {"reports": {"events": 1, "late": 1, "award": Decimal("3.5")}})
    assert [e.field for e in too_much.errors] == ["values.reports.award"]


@pytest.mark.parametrize("late", [0, 2])
def test_an_item_that_does_not_apply_scores_full_and_earns_no_bonus(rubric, late):
    """未发生…的不扣分: with no events the item scores its points whatever the late count, and no bonus."""
    card = score(rubric, {"reports": {"events": 0, "late": late, "award": 2}})
    item = card.items["reports"]
    assert (item.score, item.bonus, item.applies) == (4, 0, False)
    assert item.rule == "does not apply (events > 0 fails): full"


@pytest.mark.parametrize(("otherwise", "expected"), [("", 5), ("else zero", 0), ("else score 2.5", F("2.5"))])
def test_what_an_item_scores_when_it_does_not_apply(otherwise, expected):
    """``applies when … else …`` decides what the item scores when it does not apply; full by default."""
    rubric = rubricdsl.loads(
        f'rubric "t" {{ item a "甲" points 5 {{ input n count applies when n > 0 {otherwise} deduct 1 per n }} }}'
    )
    (card,) = rubricdsl.score(rubric, {"units": [{"id": "x", "values": {"a": 0}}]})
    assert card.items["a"].score == expected


def test_missing_evidence_scores_zero_and_no_bonus(rubric):
    """An item whose written evidence is missing scores zero, bonus included, and says why."""
    card = score(rubric, {"visits": {"done": 9, "late": 0, "events": 0}}, missing_evidence=["visits"])
    item = card.items["visits"]
    assert (item.score, item.bonus, item.evidence_missing, item.rule) == (0, 0, True, "missing evidence")
    assert card.group("g").score == 2


def test_missing_evidence_needs_an_evidence_rule():
    """A rubric without an evidence rule refuses a unit's missing_evidence list."""
    rubric = rubricdsl.loads('rubric "t" { item a "甲" points 5 { judged } }')
    (card,) = rubricdsl.score(rubric, {"units": [{"id": "x", "scores": {"a": 5}, "missing_evidence": ["a"]}]})
    assert [e.field for e in card.errors] == ["missing_evidence"]


def test_unknown_item_in_missing_evidence(rubric):
    """An unknown item id in missing_evidence is named, with the nearest id suggested."""
    card = score(rubric, missing_evidence=["visit"])
    assert [(e.field, e.message) for e in card.errors] == [
        ("missing_evidence[0]", "unknown item 'visit'; did you mean 'visits'?")
    ]


def test_a_bonus_only_item_needs_no_points():
    """``item … bonus 2`` (2分，为奖励分) has no base points, only a bonus."""
    rubric = rubricdsl.loads('rubric "t" { item a "甲" bonus 2 { bonus assessed awarded } }')
    (card,) = rubricdsl.score(rubric, {"units": [{"id": "x", "values": {"a": Decimal("1.5")}}]})
    assert (card.items["a"].score, card.items["a"].bonus, card.total) == (0, F("1.5"), F("1.5"))


def test_bonus_allowed_is_computed_from_the_rules(rubric):
    """The model knows the most bonus each level can give, within what it declares."""
    assert rubric.item("visits").bonus_allowed == F("3.5")
    assert rubric.group("g").bonus_allowed == 2
    assert rubric.bonus_allowed == 3


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('rubric "t" { item a "甲" points 2 { bonus assessed x } }', "E105"),
        ('rubric "t" { item a "甲" points 2 { input n count deduct 1 when m > 0 } }', "E103"),
        (
            'rubric "t" { item a "甲" points 2 { input n count applies when n > 0 applies when n > 1 deduct 1 per n } }',
            "E105",
        ),
        ('rubric "t" { item a "甲" points 2 { input n count deduct 0 per n } }', "E106"),
        ('rubric "t" { item a "甲" points 2 { input n count deduct 1 per n at most 0 } }', "E106"),
        ('rubric "t" { item a "甲" points 2 { input n count input x number deduct assessed x } }', "E102"),
    ],
)
def test_adjustment_diagnostics(text, code):
    """Unbounded assessed bonuses, unknown names, repeated conditions, zero amounts and name clashes."""
    assert codes(text) == [code]


ASSESSED = 'rubric "t" { item a "甲" points 8 { input marked flag deduct 5 when marked = 0 deduct assessed discretion deduct assessed more at most 1 } }'


@pytest.mark.parametrize(
    "text",
    [
        ASSESSED,
        ASSESSED.replace(
            "deduct assessed discretion deduct assessed more at most 1",
            "deduct assessed more at most 1 deduct assessed discretion",
        ),
    ],
)
def test_an_uncapped_assessed_deduction_is_bounded_whatever_the_order(text):
    """酌情扣分 without a cap may take what all the other deductions leave: 8 - 5 - 1 = 2, in any order."""
    rubric = rubricdsl.loads(text)
    values = {"marked": 0, "discretion": 3, "more": 1}
    (card,) = rubricdsl.score(rubric, {"units": [{"id": "甲", "values": {"a": values}}]})
    assert [e.message for e in card.errors] == [
        "the assessor's deduction 3 is more than 2, what the other deductions leave of 甲"
    ]


def test_missing_evidence_needs_no_values():
    """An item listed as missing its evidence scores 0 and needs none of its values."""
    rubric = rubricdsl.loads(
        'rubric "t" { evidence "须提供书面材料" item a "甲" points 5 { input n count deduct 1 per n } }'
    )
    (card,) = rubricdsl.score(rubric, {"units": [{"id": "甲", "values": {}, "missing_evidence": ["a"]}]})
    assert (card.errors, card.total) == ((), 0)


def test_an_assessors_amount_is_checked_even_where_the_item_does_not_apply():
    """An assessor's bonus of 50 on a 2-point bonus is refused, whether or not the item applies."""
    rubric = rubricdsl.loads(
        'rubric "t" { item a "甲" points 2 bonus 2 { input tasks flag applies when tasks = 1 deduct 2 when tasks = 0 bonus assessed awarded } }'
    )
    (card,) = rubricdsl.score(rubric, {"units": [{"id": "甲", "values": {"a": {"tasks": 0, "awarded": 50}}}]})
    assert [e.field for e in card.errors] == ["values.a.awarded"]


def test_one_number_for_an_item_whose_other_inputs_are_the_assessors():
    """Adding 酌情扣分 to a one-value item keeps its data a plain number."""
    rubric = rubricdsl.loads(
        'rubric "t" { item a "甲" points 2 { input violations count deduct 0.5 per violations deduct assessed discretion } }'
    )
    (card,) = rubricdsl.score(rubric, {"units": [{"id": "甲", "values": {"a": 1}}]})
    assert card.items["a"].score == Fraction(3, 2)


def test_the_table_notes_missing_evidence():
    """注2: an item scored zero for want of evidence is noted in the result."""
    rubric = rubricdsl.loads(
        'rubric "t" { evidence "须提供书面材料" item a "甲" points 5 { input n count deduct 1 per n } }'
    )
    cards = rubricdsl.score(rubric, {"units": [{"id": "城东", "missing_evidence": ["a"]}]})
    assert "城东: 甲 (a) 未提供书面材料，该项不得分" in to_table(rubric, cards)
