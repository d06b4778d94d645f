"""Ezhou 2013 scored item by item: every band edge, exactness, the cap, the veto, the grades."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given

import rubricdsl
from rubricdsl.scoring import score_item

from .helpers import EZHOU
from .strategies import percentages, targets

F = Fraction

# Manufacturing: shortfall d = target - value; (d, score) on, just above and just below every edge.
MANUFACTURING_EDGES = [
    ("-0.01", "10"), ("0", "10"), ("0.01", "9"),
    ("0.99", "9"), ("1", "9"), ("1.01", "8"),
    ("2.99", "8"), ("3", "8"), ("3.01", "5"),
    ("9.99", "5"), ("10", "5"), ("10.01", "3.997"),  # (10..20]: 10 - (6 + 3 * 0.01 / 10)
    ("19.99", "1.003"), ("20", "1"), ("20.01", "0"),
]  # fmt: skip

# Completion c = 100 * value / target with target 80: value 72 is exactly 90%, 71.99 just below.
COMPLETION_EDGES = [
    # (value, band index: 0 full, 1 first deduction, 2 second, 3 third, 4 zero)
    ("80.01", 0), ("80", 0), ("79.99", 1),
    ("72.01", 1), ("72", 1), ("71.99", 2),
    ("64.01", 2), ("64", 2), ("63.99", 3),
    ("56.01", 3), ("56", 3), ("55.99", 4),
]  # fmt: skip
COMPLETION_SCORES = {
    "food_drug_pass_rate": ["5", "3", "2", "1", "0"],
    "agri_product_pass_rate": ["5", "3", "2", "1", "0"],
    "construction_acceptance_rate": ["10", "7.5", "5", "2.5", "0"],
    "service_satisfaction": ["10", "7.5", "5", "2.5", "0"],
}


def _inputs(value: str, target: str) -> dict[str, Fraction]:
    return {"value": F(value), "target": F(target)}


@pytest.mark.parametrize(("shortfall", "expected"), MANUFACTURING_EDGES)
def test_manufacturing_band_edges(ezhou, shortfall, expected):
    """Each shortfall edge belongs to the band below it (含1个百分点，下同), and the linear band interpolates."""
    value = str(F("95.2") - F(shortfall))
    card = score_item(ezhou.item("manufacturing_pass_rate"), _inputs(str(F(value)), "95.2"))
    assert card.score == F(expected)


@pytest.mark.parametrize("item_id", sorted(COMPLETION_SCORES))
@pytest.mark.parametrize(("value", "band"), COMPLETION_EDGES)
def test_completion_band_edges(ezhou, item_id, value, band):
    """Each completion edge belongs to the band above it (含90%，下同)."""
    card = score_item(ezhou.item(item_id), _inputs(value, "80"))
    assert card.score == F(COMPLETION_SCORES[item_id][band])


@pytest.mark.parametrize("item_id", sorted(COMPLETION_SCORES))
def test_89_1_of_99_is_exactly_90_percent(ezhou, item_id):
    """89.1 / 99 is exactly 90% completion and lands in the 90-100 band, not below it."""
    card = score_item(ezhou.item(item_id), _inputs("89.1", "99"))
    assert dict(card.measures)["completion"] == 90
    assert card.score == F(COMPLETION_SCORES[item_id][1])
    assert str(card.band.interval) == "[90..100)"


def test_the_linear_band_cites_its_line(ezhou):
    """A score says which band produced it and where that band is written."""
    card = score_item(ezhou.item("manufacturing_pass_rate"), _inputs("80", "95.2"))
    assert card.score == F("2.44")
    assert card.rule == "(10..20] deduct 6..9 linear"
    source_line = EZHOU.read_text(encoding="utf-8").splitlines()[card.span.line - 1]
    assert "(10..20]" in source_line


def _reference_manufacturing(value: Fraction, target: Fraction) -> Fraction:
    """The reading of ezhou2013.md, written independently of the rubric file."""
    d = target - value
    if d <= 0:
        return F(10)
    for edge, deduction in ((1, 1), (3, 2), (10, 5)):
        if d <= edge:
            return 10 - F(deduction)
    if d <= 20:
        return 10 - (6 + 3 * (d - 10) / 10)
    return F(0)


def _reference_completion(value: Fraction, target: Fraction, scores: list[str]) -> Fraction:
    c = 100 * value / target
    for position, edge in enumerate((100, 90, 80, 70)):
        if c >= edge:
            return F(scores[position])
    return F(scores[4])


@given(value=percentages, target=targets)
def test_manufacturing_agrees_with_the_reading(ezhou, value: Decimal, target: Decimal):
    """For any exact value and target, manufacturing scores as the reading computes it."""
    card = score_item(ezhou.item("manufacturing_pass_rate"), {"value": F(value), "target": F(target)})
    assert card.score == _reference_manufacturing(F(value), F(target))


@given(value=percentages, target=targets)
def test_completion_items_agree_with_the_reading(ezhou, value: Decimal, target: Decimal):
    """For any exact value and target, every completion item scores as the reading computes it."""
    for item_id, scores in COMPLETION_SCORES.items():
        card = score_item(ezhou.item(item_id), {"value": F(value), "target": F(target)})
        assert card.score == _reference_completion(F(value), F(target), scores), item_id


def test_group_4_is_capped_at_its_declared_16(score_one):
    """Group 4's items can add up to 18; the group never scores more than 16."""
    card = score_one()
    macro = card.group("macro")
    assert (macro.raw, macro.score, macro.max, macro.capped) == (18, 16, 16, True)
    assert card.total == 100


def test_group_4_below_its_cap_is_not_cut(score_one):
    """At 15.5 of 18 the cap does not bite."""
    card = score_one(scores={"development_planning": 0.5})
    assert (card.group("macro").score, card.group("macro").capped) == (F("15.5"), False)


def test_a_cap_can_absorb_lost_points(score_one):
    """Losing 2 points inside group 4 leaves it at 16, and the total at 100."""
    card = score_one(scores={"industry_access": 1})
    assert card.group("macro").score == 16
    assert card.total == 100


def test_veto_forces_grade_d_and_keeps_the_score(score_one):
    """A unit with a systemic incident is graded D, yet its full score is still computed and reported."""
    card = score_one(vetoes=["systemic_incident"])
    assert card.total == 100
    assert card.grade.name == "D"
    assert card.vetoed
    assert [v.id for v in card.vetoes] == ["systemic_incident"]


def test_no_veto_no_d(score_one):
    """Without the veto the same unit is graded A."""
    card = score_one()
    assert (card.grade.name, card.vetoed) == ("A", False)


# With every target met but manufacturing short by 10 + k/100, manufacturing scores 4 - 0.003k, so
# the total is 94 - 0.003k less whatever the judged scores below take off.
MINUS_4 = {"standards_metrology": 2}
MINUS_14 = {"standards_metrology": 0, "product_supervision": 0, "testing_capacity": 1}
SUPERVISION = (
    "supervision_capacity",
    "anti_counterfeit",
    "quality_integrity",
    "risk_management",
    "consumer_rights",
    "product_supervision",
    "engineering_supervision",
    "service_supervision",
)
MINUS_34 = {**dict.fromkeys(SUPERVISION, 0), "standards_metrology": 2}


@pytest.mark.parametrize(
    ("shortfall", "judged", "total", "reported", "grade"),
    [
        ("10", {**MINUS_4, "quality_talent": 1}, "90", "90.00", "A"),  # 10 short is in (3..10]: 5 points
        ("10.01", MINUS_4, "89.997", "90.00", "A"),  # published as 90.00, so graded A
        ("10.02", MINUS_4, "89.994", "89.99", "B"),
        ("10", {**MINUS_14, "quality_talent": 1}, "80", "80.00", "B"),
        ("10.01", MINUS_14, "79.997", "80.00", "B"),
        ("10.02", MINUS_14, "79.994", "79.99", "C"),
        ("10", {**MINUS_34, "quality_talent": 1}, "60", "60.00", "C"),
        ("10.01", MINUS_34, "59.997", "60.00", "C"),
        ("10.02", MINUS_34, "59.994", "59.99", "D"),
    ],
)
def test_grade_follows_the_reported_total(score_one, shortfall, judged, total, reported, grade):
    """The grade is decided on the rounded total: an exact 89.997 is published as 90.00 and is grade A."""
    value = Decimal(90) - Decimal(shortfall)
    card = score_one(values={"manufacturing_pass_rate": value}, scores=judged)
    assert card.total == F(total)
    assert str(card.reported_total) == reported
    assert card.grade.name == grade


def test_worked_example_of_the_scoring_semantics(ezhou):
    """The worked example of scoring-semantics.md: 鄂城区 scores exactly 3947/50, grade C."""
    judged = {item.id: item.points for item in ezhou.items() if item.id not in COMPLETION_SCORES}
    del judged["manufacturing_pass_rate"]
    judged.update(
        anti_counterfeit=3,
        product_supervision=5,
        engineering_supervision=Decimal("5.5"),
        testing_capacity=2,
        port_inspection=Decimal("2.5"),
    )
    document = {
        "targets": {
            "manufacturing_pass_rate": Decimal("95.2"),
            "food_drug_pass_rate": Decimal("96.5"),
            "agri_product_pass_rate": Decimal("97.0"),
            "construction_acceptance_rate": Decimal("98.0"),
            "service_satisfaction": Decimal("92.0"),
        },
        "units": [
            {
                "id": "鄂城区",
                "values": {
                    "manufacturing_pass_rate": Decimal("80.0"),
                    "food_drug_pass_rate": Decimal("88.0"),
                    "agri_product_pass_rate": Decimal("97.0"),
                    "construction_acceptance_rate": Decimal("75.0"),
                    "service_satisfaction": Decimal("96.0"),
                },
                "scores": judged,
                "vetoes": [],
            }
        ],
    }
    (card,) = rubricdsl.score(ezhou, document)
    items = {k: card.items[k].score for k in ("manufacturing_pass_rate", *COMPLETION_SCORES)}
    assert items == {
        "manufacturing_pass_rate": F("2.44"),
        "food_drug_pass_rate": 3,
        "agri_product_pass_rate": 5,
        "construction_acceptance_rate": F("2.5"),
        "service_satisfaction": 10,
    }
    groups = {g.group.id: g.score for g in card.groups}
    assert groups == {
        "goals": F("22.94"),
        "product": F("10.44"),
        "engineering": F("2.5"),
        "service": 10,
        "measures": 56,
        "macro": 16,
        "supervision": F("27.5"),
        "infrastructure": F("12.5"),
    }
    assert card.total == F(3947, 50)
    assert (str(card.reported_total), card.grade.name) == ("78.94", "C")
