"""Property tests: what check proves about band tables, the evaluator confirms, and the other way round."""

from __future__ import annotations

import itertools
import math
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rubricdsl
from rubricdsl import EvaluationError, score_item
from rubricdsl.analysis.bands import band_table
from rubricdsl.analysis.prove import measure_domains, prove_item
from rubricdsl.model import BandTable, Call, Constant, Direction, Domain, Item, Name

from .helpers import ROOT
from .strategies import band_items, case_items, decimals, domains, expressions, percentages, targets


def scores_at(item: Item, value: Fraction) -> list[Fraction] | None:
    """Every score the evaluator can give at ``value`` (both ends of an assessor's range), or None in a gap."""
    table = item.rule
    assert isinstance(table, BandTable)
    band = table.band_for(value)
    if band is None:
        with pytest.raises(EvaluationError, match="falls in no band"):
            score_item(item, {"v": value})
        return None
    outcome = band.outcome
    if outcome.assessed:
        allowed = (item.points - outcome.high, item.points - outcome.low)
        return [score_item(item, {"v": value}, assessed).score for assessed in allowed]
    return [score_item(item, {"v": value}).score]


def direction_at(item: Item, value: Fraction) -> Direction:
    """The way values get worse at ``value``: the table's, or, where farther is worse, the side
    of the best range it lies on."""
    table = item.rule
    assert isinstance(table, BandTable)
    band = table.band_for(value)
    return table.direction_of(band, item.points) if band is not None else table.worse


def best_range(item: Item, value: Fraction) -> bool:
    """Whether ``value`` lies in a band that gives the most the table can give."""
    table = item.rule
    assert isinstance(table, BandTable)
    band = table.band_for(value)
    top = max(b.outcome.best(item.points) for b in table.bands)
    return band is not None and band.outcome.best(item.points) == top


def worse(item: Item, a: Fraction, b: Fraction) -> bool:
    """Whether ``b`` is a worse value than ``a`` for this table (for farther is worse: on the
    same side of the best range, and farther out)."""
    assert isinstance(item.rule, BandTable)
    if item.rule.worse is Direction.FARTHER_IS_WORSE:
        if best_range(item, a) and best_range(item, b):
            return False  # the best range has no order inside it
        side = direction_at(item, b)
        if not (direction_at(item, a) is side or best_range(item, a)):
            return False
        return b > a if side is Direction.HIGHER_IS_WORSE else b < a
    return b > a if item.rule.worse is Direction.HIGHER_IS_WORSE else b < a


def chains(item: Item, values: list[Fraction]) -> list[list[Fraction]]:
    """The values in order from better to worse: one chain, or for farther is worse, one down
    from the best range and one up from it."""
    assert isinstance(item.rule, BandTable)
    if item.rule.worse is Direction.HIGHER_IS_WORSE:
        return [values]
    if item.rule.worse is Direction.LOWER_IS_WORSE:
        return [values[::-1]]
    up = [v for v in values if direction_at(item, v) is Direction.HIGHER_IS_WORSE or best_range(item, v)]
    down = [v for v in values if direction_at(item, v) is Direction.LOWER_IS_WORSE or best_range(item, v)]
    return [up, down[::-1]]


def findings(item: Item):
    assert isinstance(item.rule, BandTable)
    (spec,) = item.inputs
    return list(band_table(item, item.rule, Domain(spec.domain, spec.integral)))


@given(band_items())
def test_every_reported_problem_has_a_witness_the_evaluator_confirms(item):
    """A gap's value scores nowhere; an overlap's lies in two bands; a break's worse value scores more."""
    (spec,) = item.inputs
    for found in findings(item):
        assert not spec.integral or all(w.denominator == 1 for w in found.witnesses), found.message
        if found.code == "E201":
            (value,) = found.witnesses
            assert value in spec.domain and scores_at(item, value) is None
        elif found.code == "E202":
            (value,) = found.witnesses
            assert value in spec.domain and sum(value in b.interval for b in item.rule.bands) >= 2
        elif found.code == "E203":
            better, poorer = found.witnesses
            assert worse(item, better, poorer)
            assert max(scores_at(item, poorer)) > min(scores_at(item, better))


def samples(item: Item, extra: list[Fraction]) -> list[Fraction]:
    """Every edge, values just either side of every edge, and the extra values, inside the domain;
    for a count, the whole numbers at and around every edge."""
    (spec,) = item.inputs
    near = Fraction(1) if spec.integral else Fraction(1, 10**6)
    values = {Fraction(round(v)) for v in extra} if spec.integral else set(extra)
    for band in item.rule.bands:
        for edge in (band.interval.lower, band.interval.upper):
            if edge is not None:
                whole = [Fraction(math.floor(edge)), Fraction(math.ceil(edge))] if spec.integral else [edge]
                values |= {v + shift for v in whole for shift in (-near, 0, near)}
    return sorted(v for v in values if v in spec.domain)


@given(band_items(), st.lists(decimals("-30", "30", 3).map(Fraction), max_size=10))
def test_a_table_check_passes_has_no_gap_overlap_or_break(item, extra):
    """If check finds no gap, overlap or break, none shows at the edges, beside them, or at random values.

    Consecutive values are compared, except two inside one range left to an assessor.
    """
    if any(f.code in ("E201", "E202", "E203") for f in findings(item)):
        return
    values = samples(item, extra)
    for value in values:
        assert sum(value in b.interval for b in item.rule.bands) == 1, value
    for better, poorer in (pair for chain in chains(item, values) for pair in itertools.pairwise(chain)):
        band = item.rule.band_for(better)
        if band is item.rule.band_for(poorer) and band.outcome.assessed:
            continue  # inside one band an assessor's range is the assessor's to use
        if not worse(item, better, poorer) and item.rule.worse is Direction.FARTHER_IS_WORSE:
            continue  # two values of the best range
        assert max(scores_at(item, poorer)) <= min(scores_at(item, better)), (better, poorer)


@pytest.mark.parametrize("path", sorted((ROOT / "rubrics").glob("*.rub")), ids=lambda p: p.name)
def test_shipped_rubrics_have_covering_monotone_tables(path):
    """Every band table of every shipped rubric covers its measure's values and is monotone."""
    rubric = rubricdsl.load(path)
    for item in rubric.items():
        if isinstance(item.rule, BandTable):
            domains, _ = measure_domains(item, rubric.facts)
            table_findings = list(band_table(item, item.rule, domains[item.rule.measure]))
            assert [f.code for f in table_findings] == [], item.id


QUANTITATIVE = ["manufacturing_pass_rate", "food_drug_pass_rate", "agri_product_pass_rate",
                "construction_acceptance_rate", "service_satisfaction"]  # fmt: skip


@given(st.sampled_from(QUANTITATIVE), targets, percentages, percentages)
def test_ezhou_scores_never_fall_as_the_value_rises(ezhou, item_id, target, first, second):
    """For any target, a higher pass rate or satisfaction never scores less, over exact decimals."""
    low, high = sorted([Fraction(first), Fraction(second)])
    item = ezhou.item(item_id)
    lower = score_item(item, {"value": low, "target": Fraction(target)}).score
    higher = score_item(item, {"value": high, "target": Fraction(target)}).score
    assert lower <= higher


@given(expressions(("x", "y")), domains(), domains(), st.data())
def test_a_measures_computed_values_hold_every_value_it_takes(expr, x_domain, y_domain, data):
    """The values check computes for a measure contain every value it really takes (no gap hidden)."""
    spaces = {"x": x_domain, "y": y_domain}
    computed, _ = expr.bounds(
        {n: Domain(interval, whole) for n, (interval, whole) in spaces.items()}, frozenset()
    )
    for _ in range(5):
        env = {}
        for name, (interval, whole) in spaces.items():
            inside = [
                v
                for v in data.draw(st.lists(decimals("-25", "25", 2).map(Fraction), min_size=1, max_size=8))
                if v in interval and (not whole or v.denominator == 1)
            ]
            bound = interval.lower if interval.lower is not None and interval.lower_closed else None
            pick = inside[0] if inside else bound
            if pick is None or (whole and pick.denominator != 1):
                return
            env[name] = pick
        try:
            value = expr.evaluate(env)
        except ZeroDivisionError:
            continue
        assert value in computed.interval, (str(expr), env, str(computed.interval))
        assert not computed.integral or value.denominator == 1


def table_at(item: Item, a: int, b: int) -> list[int]:
    """The rows of the item's decision table that hold at a, b, in order."""
    env = {"a": Fraction(a), "b": Fraction(b)}
    return [i for i, case in enumerate(item.rule.cases) if case.holds(env)]


@given(case_items())
def test_a_decision_table_check_passes_covers_every_case_and_its_findings_are_real(item):
    """No E206: every (a, b) falls in some row; each E206 and W203 witness is a case the evaluator
    confirms; no W203: no case is taken by two rows that have conditions."""
    found = list(prove_item(item))
    gaps = [f for f in found if f.code == "E206"]
    overlaps = [f for f in found if f.code == "W203"]
    read = sorted(set(item.rule.reads()))  # the witnesses' names, in order; a name not read may be anything

    def at(finding):
        values = dict(zip(read, finding.witnesses, strict=True))
        return values.get("a", Fraction(0)), values.get("b", Fraction(0))

    for gap in gaps:
        a, b = at(gap)
        assert table_at(item, a, b) == []
        with pytest.raises(EvaluationError, match="no row"):
            score_item(item, {"a": a, "b": b})
    for overlap in overlaps:
        a, b = at(overlap)
        assert len([i for i in table_at(item, a, b) if item.rule.cases[i].condition is not None]) >= 2
    for a, b in itertools.product(range(11), repeat=2):
        rows = table_at(item, a, b)
        if not gaps:
            assert rows, (a, b)
            first = item.rule.cases[rows[0]]
            assert score_item(item, {"a": Fraction(a), "b": Fraction(b)}).score == first.outcome.fixed_score(
                item.points
            )
        if not overlaps:
            assert len([i for i in rows if item.rule.cases[i].condition is not None]) <= 1, (a, b)


@given(decimals("-1000", "1000", 6), st.integers(0, 4))
def test_round_in_a_formula_rounds_as_decimal_does(value, places):
    """round(x, p) is half up and round_even(x, p) half even, exactly as Decimal quantizes."""
    env = {"x": Fraction(value)}
    quantum = Decimal(1).scaleb(-places)
    up = Call("round", (Name("x"), Constant(places))).evaluate(env)
    even = Call("round_even", (Name("x"), Constant(places))).evaluate(env)
    assert up == Fraction(value.quantize(quantum, rounding=ROUND_HALF_UP))
    assert even == Fraction(value.quantize(quantum, rounding=ROUND_HALF_EVEN))
