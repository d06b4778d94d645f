"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
from hypothesis import strategies as st

from rubricdsl.model import (
    AssessedRange,
    Band,
    BandTable,
    Binary,
    Call,
    Case,
    Cases,
    Comparison,
    Condition,
    Constant,
    Deduct,
    Direction,
    Expr,
    FixedScore,
    Full,
    Input,
    InputSource,
    Interval,
    Item,
    Levels,
    LinearDeduction,
    Logical,
    Name,
    Negation,
    Not,
    Outcome,
    Rubric,
    Zero,
)


def decimals(low: str, high: str, places: int = 2) -> st.SearchStrategy[Decimal]:
    """Exact decimals from ``low`` to ``high`` with at most ``places`` places, as a data file spells them."""
    scale = 10**places
    return st.integers(int(Decimal(low) * scale), int(Decimal(high) * scale)).map(
        lambda n: Decimal(n).scaleb(-places)
    )


percentages = decimals("0", "100")
targets = decimals("0.01", "100")


# Band tables -------------------------------------------------------------------------------

edges = decimals("-20", "20", 1).map(Fraction)


@st.composite
def outcomes(draw: st.DrawFn, points: Fraction, bounded: bool) -> Outcome:
    """Any outcome the language allows on a band of an item worth ``points``."""
    amount = st.integers(0, int(points * 4)).map(lambda n: Fraction(n, 4))
    kinds = ["full", "zero", "deduct", "score", "assessed"] + (["linear"] if bounded else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "full":
        return Full()
    if kind == "zero":
        return Zero()
    if kind == "deduct":
        return Deduct(draw(amount))
    if kind == "score":
        return FixedScore(draw(amount))
    low, high = sorted([draw(amount), draw(amount)])
    return LinearDeduction(low, high) if kind == "linear" else AssessedRange(low, high)


@st.composite
def band_items(draw: st.DrawFn) -> Item:
    """An item scored by a band table over its one input: edges at random, open or closed,
    some bands dropped (gaps) or stretched (overlaps); outcomes in any order, or half the
    time falling as the measure worsens, as a sound rubric's do."""
    points = Fraction(draw(st.integers(1, 20)))
    worse = draw(st.sampled_from(list(Direction)))
    cuts = sorted(set(draw(st.lists(edges, min_size=1, max_size=5))))
    # Who takes each cut: the band below it, the one above, both (an overlap) or neither (a gap).
    owners = [draw(st.sampled_from(["below"] * 9 + ["above"] * 9 + ["both", "neither"])) for _ in cuts]
    spans = []
    for index, (low, high) in enumerate(itertools.pairwise([None, *cuts, None])):
        if draw(st.integers(0, 14)) == 0:
            continue  # leave out a whole band now and then
        lower_closed = low is not None and owners[index - 1] in ("above", "both")
        upper_closed = high is not None and owners[index] in ("below", "both")
        spans.append(Interval(low, high, lower_closed, upper_closed))
    if not spans:
        spans.append(Interval.everything())
    if worse is Direction.LOWER_IS_WORSE:
        spans.reverse()  # from the best values to the worst
    if draw(st.booleans()):
        amount = st.integers(0, int(points * 4)).map(lambda n: Fraction(n, 4))
        cuts_of_points = sorted(draw(st.lists(amount, min_size=len(spans) + 1, max_size=len(spans) + 1)))
        if worse is Direction.FARTHER_IS_WORSE:
            # A best range somewhere inside, deductions growing with the distance from it on both sides.
            peak = draw(st.integers(0, len(spans) - 1))
            rank = sorted(range(len(spans)), key=lambda i: (abs(i - peak), i))
            chosen = [Deduct(cuts_of_points[rank.index(i)]) for i in range(len(spans))]
        else:
            chosen = []
        for span, (low, high) in zip(spans, itertools.pairwise(cuts_of_points), strict=False):
            if worse is Direction.FARTHER_IS_WORSE:
                break
            bounded = span.lower is not None and span.upper is not None
            kind = draw(st.sampled_from([Deduct, AssessedRange] + ([LinearDeduction] if bounded else [])))
            chosen.append(Deduct(low) if kind is Deduct else kind(low, high))
    else:
        chosen = [draw(outcomes(points, s.lower is not None and s.upper is not None)) for s in spans]
    bands = [Band(span, outcome) for span, outcome in zip(spans, chosen, strict=True)]
    if draw(st.booleans()):
        bands = draw(st.permutations(bands))
    kind, domain = draw(
        st.sampled_from(
            [
                ("number", Interval.everything()),
                ("number", Interval(Fraction(-10), Fraction(10))),
                ("number", Interval(Fraction(0), None, False, False)),
                ("count", Interval(Fraction(0), None, True, False)),  # whole numbers: no gap between them
            ]
        )
    )
    table = BandTable("v", worse, tuple(bands))
    return Item("m", "测量", points, table, inputs=(Input("v", kind, domain),))


# Expressions ---------------------------------------------------------------------------------


def expressions(names: tuple[str, ...]) -> st.SearchStrategy[Expr]:
    """Measures as an author writes them: + - * /, unary minus, min, max, floor and ceil."""
    leaves = st.one_of(
        st.sampled_from(names).map(Name),
        decimals("-5", "5", 1).map(lambda d: Constant(Fraction(d))),
    )

    def extend(inner: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
        return st.one_of(
            st.tuples(st.sampled_from("+-*/"), inner, inner).map(lambda t: Binary(*t)),
            inner.map(Negation),
            st.tuples(st.sampled_from(["min", "max"]), st.lists(inner, min_size=2, max_size=3)).map(
                lambda t: Call(t[0], tuple(t[1]))
            ),
            st.tuples(st.sampled_from(["floor", "ceil"]), inner).map(lambda t: Call(t[0], (t[1],))),
        )

    return st.recursive(leaves, extend, max_leaves=6)


@st.composite
def domains(draw: st.DrawFn) -> tuple[Interval, bool]:
    """An input's domain: edges open, closed or absent; whole numbers or not."""
    low, high = sorted([draw(edges), draw(edges)])
    lower, upper = draw(st.sampled_from([low, None])), draw(st.sampled_from([high, None]))
    point = lower is not None and lower == upper  # a single value must be closed to hold it (check.py)
    interval = Interval(lower, upper, point or draw(st.booleans()), point or draw(st.booleans()))
    return interval, draw(st.booleans())


def conditions(names: tuple[str, ...]) -> st.SearchStrategy[Condition]:
    """Conditions as an author writes them: comparisons joined by and, or and not, nested at will."""
    comparisons = st.builds(
        Comparison, st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), expressions(names), expressions(names)
    )

    def extend(inner: st.SearchStrategy[Condition]) -> st.SearchStrategy[Condition]:
        return st.one_of(
            st.builds(Logical, st.sampled_from(["and", "or"]), inner, inner),
            inner.map(Not),
        )

    return st.recursive(comparisons, extend, max_leaves=5)


# Decision tables ------------------------------------------------------------------------------


@st.composite
def case_items(draw: st.DrawFn) -> Item:
    """An item scored by a decision table over two counts from 0 to 10: rows that compare one
    count with a number, alone or two together, in any order, sometimes ending in otherwise."""
    points = Fraction(draw(st.integers(1, 10)))
    comparison = st.builds(
        Comparison,
        st.sampled_from(["<", "<=", ">", ">=", "=", "!="]),
        st.sampled_from(["a", "b"]).map(Name),
        st.integers(0, 10).map(lambda n: Constant(Fraction(n))),
    )
    condition = st.one_of(
        comparison,
        st.builds(Logical, st.sampled_from(["and", "or"]), comparison, comparison),
    )
    outcome = st.one_of(st.just(Full()), st.just(Zero()), st.integers(0, int(points)).map(Deduct))
    rows = draw(st.lists(st.builds(Case, outcome, condition), min_size=1, max_size=4))
    if draw(st.booleans()):
        rows.append(Case(draw(outcome)))
    inputs = (Input("a", "count", Interval(0, 10)), Input("b", "count", Interval(0, 10)))
    return Item("t", "表", points, Cases(rows), inputs=inputs)


# Rounds of data ------------------------------------------------------------------------------

# What a careless sheet puts where a number belongs.
not_numbers = st.sampled_from(["5", "94.5%", True, None, [], {}])


@attrs.frozen
class Slips:
    """How often a round goes wrong: never, or about once in ``odds`` entries."""

    draw: st.DrawFn
    odds: int | None

    def now(self) -> bool:
        return self.odds is not None and self.draw(st.integers(0, self.odds - 1)) == 0


def around(slips: Slips, domain: Interval, integral: bool) -> Any:
    """A number in ``domain``, or with a slip just outside it, not whole for a count, or no number."""
    draw = slips.draw
    if slips.now():
        return draw(not_numbers)
    low = domain.lower if domain.lower is not None else (domain.upper or 0) - 100
    high = domain.upper if domain.upper is not None else low + 200
    margin = 1 if slips.now() else 0
    scale = 10 ** (1 if integral and slips.now() else 0 if integral else 2)
    scaled = draw(st.integers(math.ceil((low - margin) * scale), math.floor((high + margin) * scale)))
    value = Decimal(scaled) / scale
    if value not in domain and not margin:  # an open edge: step inside it
        value = Decimal(scaled + (1 if value <= low else -1)) / scale
    return value


def entry(slips: Slips, inputs: tuple[Input, ...]) -> Any:
    """One item's entry: a number for its one input (or its one required), or an object of them."""
    draw = slips.draw
    required = [i for i in inputs if i.default is None]
    if len(inputs) == 1 or (len(required) == 1 and draw(st.booleans())):
        spec = required[0] if len(required) == 1 else inputs[0]
        return around(slips, spec.domain, spec.integral)
    given = {
        i.name: around(slips, i.domain, i.integral)
        for i in inputs
        if (i.default is None and not slips.now()) or draw(st.booleans())
    }
    if slips.now():
        given["amount"] = Decimal(1)
    return given


def sources(slips: Slips, rubric: Rubric, source: InputSource) -> dict[str, Any]:
    """``values`` or ``targets``: with a slip, an item left out or one that takes none."""
    found = {}
    for item in rubric.items():
        inputs = item.inputs_from(source)
        if inputs and not slips.now():
            found[item.id] = entry(slips, inputs)
    if slips.now():
        found[slips.draw(st.sampled_from([i.id for i in rubric.items()] + ["no_such_item"]))] = Decimal(1)
    return found


def ids(slips: Slips, known: list[str]) -> list[str]:
    """Some of the known ids, each once; with a slip an unknown one, or one twice."""
    chosen = slips.draw(st.lists(st.sampled_from(known), unique=True)) if known else []
    if slips.now():
        chosen.append(slips.draw(st.sampled_from([*known, "no_such_id"])))
    return chosen


def unit(slips: Slips, rubric: Rubric, unit_id: str) -> dict[str, Any]:
    """A unit of a round of ``rubric``: as its data contract asks, but for its slips."""
    draw = slips.draw
    entries: dict[str, Any] = {"id": unit_id, "values": sources(slips, rubric, InputSource.VALUES)}
    facts: dict[str, Any] = {}
    for fact in rubric.facts:
        if fact.categories:
            facts[fact.name] = draw(st.sampled_from(fact.categories)) if not slips.now() else "其他"
        elif fact.is_flag and draw(st.booleans()):
            facts[fact.name] = draw(st.booleans())
        else:
            facts[fact.name] = around(slips, fact.domain, fact.integral)
    entries["facts"] = {name: value for name, value in facts.items() if not slips.now()}
    scores: dict[str, Any] = {}
    for item in rubric.items():
        if isinstance(item.rule, Levels):
            scores[item.id] = draw(st.sampled_from(item.rule.names())) if not slips.now() else "优秀"
        elif item.needs_assessor:
            scores[item.id] = around(slips, Interval(0, item.max_points), False)
    entries["scores"] = {key: value for key, value in scores.items() if not slips.now()}
    entries["vetoes"] = ids(slips, [v.id for v in rubric.vetoes])
    if rubric.evidence is not None or slips.now():
        entries["missing_evidence"] = ids(slips, [i.id for i in rubric.items()])
    if slips.now():
        entries["remarks"] = "备注"
    return {key: value for key, value in entries.items() if key == "id" or not slips.now()}


@st.composite
def rounds(draw: st.DrawFn, rubric: Rubric, careless: bool = True) -> dict[str, Any]:
    """A round of ``rubric`` as an office might send it: right, or (``careless``) with slips of the
    kinds the binder refuses (a value outside its domain, an unknown id, a missing entry, no number...)."""
    slips = Slips(draw, draw(st.sampled_from([None, 20, 100])) if careless else None)
    names = ["鄂城区", "华容区", "梁子湖区", "葛店"] + (["", " ", "\u3000"] if slips.odds else [])
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    document: dict[str, Any] = {"units": [unit(slips, rubric, name) for name in chosen]}
    targets = sources(slips, rubric, InputSource.TARGETS)
    if targets or slips.now():
        document["targets"] = targets
    return document
