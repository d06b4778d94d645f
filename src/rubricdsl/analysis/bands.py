"""Proofs about one band table, exact and without sampling.

The values of its measure that no band takes (gaps), that two bands take (overlaps),
bands no value reaches, and any worse value that scores more than a better one
(monotonicity). Each finding names a value that shows it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from fractions import Fraction

from attrs import frozen

from ..model import (
    Band,
    BandTable,
    Call,
    Comparison,
    Condition,
    Constant,
    Direction,
    Expr,
    Interval,
    Item,
    Logical,
    Name,
)
from ..model.expressions import walk
from ..model.intervals import Domain, intersect, is_before, lower_key, subtract, upper_key, witness
from ..numbers import approximate, format_number
from ..problems import Problem, error, warning
from .corners import corners, shown


def _scores(item: Item, table: BandTable, band: Band, value: Fraction) -> tuple[Fraction, Fraction]:
    """The lowest and highest score ``band`` gives at ``value``."""
    return band.outcome.scores(
        item.max_points, band.interval, table.direction_of(band, item.max_points), value
    )


def band_table(
    item: Item, table: BandTable, domain: Domain, category: str | None = None
) -> Iterator[Problem]:
    """Gaps, overlaps, unreachable bands and monotonicity breaks of one table, over ``domain``
    (``category``: the category of a table written ``by`` a fact, named in the findings).

    >>> from rubricdsl.model import Band, Direction, Full, Input, Zero
    >>> bands = [Band(Interval(90, 100), Full()), Band(Interval(0, 80, True, False), Zero())]
    >>> table = BandTable("v", Direction.LOWER_IS_WORSE, bands)
    >>> item = Item("a", "甲", 5, table, inputs=[Input("v", "percent")])
    >>> [p.message for p in band_table(item, table, Domain(Interval(0, 100)))]
    ['no band of 甲 (a) takes v = 80 (between band [0..80) and band [90..100])']
    """
    name = table.measure
    # What each band really takes: its values within the domain, less those an earlier band
    # takes first (the evaluator uses the first band that takes a value).
    effective: list[list[Interval]] = []
    for index, band in enumerate(table.bands):
        pieces = _pieces([band.interval], domain)
        for earlier in table.bands[:index]:
            pieces = subtract(pieces, earlier.interval)
        effective.append([p for p in pieces if witness(p, domain.integral) is not None])
    for index, band in enumerate(table.bands):
        if not _pieces([band.interval], domain):
            yield warning(
                "W201",
                f"no value of {name} reaches band {band.interval} ({name} takes {_values(domain)})",
                band.span,
                help="remove the band, or widen the domain of the inputs",
            )
        elif not effective[index]:
            yield warning(
                "W201",
                f"band {band.interval} is never used: the bands listed before it take all its values",
                band.span,
                help="remove the band, or narrow the bands listed before it",
            )
    called = _of(item) + (f", {category}" if category else "")
    yield from _gaps(item, table, domain, called)
    for later, band in enumerate(table.bands):
        for earlier in table.bands[:later]:
            both = intersect(earlier.interval, band.interval)
            shared = _pieces([both], domain) if both is not None else []
            if shared:
                value = witness(shared[0], domain.integral)
                assert value is not None
                yield error(
                    "E202",
                    f"{name} = {format_number(value)} falls in two bands of {called}: "
                    f"{earlier.place} and {band.place}",
                    band.span,
                    help="the band listed first takes it; let bands meet at one edge: (a..b] and (b..c]",
                    witnesses=(value,),
                )
                break
    yield from _monotonicity(item, table, effective, domain.integral, called)


def _pieces(intervals: list[Interval], domain: Domain) -> list[Interval]:
    """The parts of ``intervals`` inside the domain that hold a value of it."""
    parts = [intersect(i, domain.interval) for i in intervals]
    return [p for p in parts if p is not None and witness(p, domain.integral) is not None]


def _gaps(item: Item, table: BandTable, domain: Domain, called: str) -> Iterator[Problem]:
    left = [domain.interval]
    for band in table.bands:
        left = subtract(left, band.interval)
    for piece in left:
        value = witness(piece, domain.integral)
        if value is None:
            continue
        # The bands on either side of the gap, by value: the nearest below and above it.
        below = [b for b in table.bands if is_before(b.interval, piece)]
        above = [b for b in table.bands if is_before(piece, b.interval)]
        nearest_below = max(below, key=lambda b: upper_key(b.interval), default=None)
        nearest_above = min(above, key=lambda b: lower_key(b.interval), default=None)
        if nearest_below and nearest_above:
            where = f" (between {_called(nearest_below, nearest_above)})"
        elif nearest_below:
            where = f" (above {_called(nearest_below)})"
        elif nearest_above:
            where = f" (below {_called(nearest_above)})"
        else:
            where = ""
        yield error(
            "E201",
            f"no band of {called} takes {table.measure} = {format_number(value)}{where}",
            (nearest_above or nearest_below or table).span,
            help=f"a band must take every value of {piece}"
            + ("" if nearest_below and nearest_above else _within_hint(table, item, value)),
            witnesses=(value,),
        )


def _monotonicity(
    item: Item, table: BandTable, effective: list[list[Interval]], integral: bool, called: str
) -> Iterator[Problem]:
    """Every score a worse value can get must be no higher than every score a better value can get.

    Bands are compared on the values each really takes. A range left to an assessor
    counts with its whole range; a linear range is exact at its edges, open or closed.
    Two values of one band are not compared: inside a band, a linear range slopes the
    right way by construction (validation refuses a backward range, E109) and an assessor's
    range is the assessor's to use.
    """
    pieces = [(band, piece) for band, parts in zip(table.bands, effective, strict=True) for piece in parts]
    if table.worse is not Direction.FARTHER_IS_WORSE:
        yield from _one_way(item, table, pieces, table.worse, integral, called)
        return
    # Judged outward from the best range: below it lower is worse, above it higher is.
    points = item.max_points
    top = max(b.outcome.best(points) for b in table.bands)
    peak = {id(b) for b in table.bands if b.outcome.best(points) == top}
    for direction in (Direction.LOWER_IS_WORSE, Direction.HIGHER_IS_WORSE):
        side = [
            (b, piece) for b, piece in pieces if table.direction_of(b, points) is direction or id(b) in peak
        ]
        yield from _one_way(item, table, side, direction, integral, called, peak)


def _one_way(
    item: Item,
    table: BandTable,
    pieces: list[tuple[Band, Interval]],
    worse: Direction,
    integral: bool,
    called: str,
    peak: set[int] | frozenset[int] = frozenset(),
) -> Iterator[Problem]:
    """Monotonicity along one direction; two bands of the best range (``peak``) are not compared."""
    name = table.measure
    up = worse is Direction.HIGHER_IS_WORSE  # worse values lie above better ones
    broken: set[int] = set()
    for better, better_part in pieces:
        for worse_band, worse_part in pieces:
            first, second = (better_part, worse_part) if up else (worse_part, better_part)
            if worse_band is better or id(worse_band) in broken or not is_before(first, second):
                continue
            if id(better) in peak and id(worse_band) in peak:
                continue
            # Each band's extreme score, on the side facing the other band where scores tie.
            low = _score_bound(item, table, better, better_part, integral, lowest=True, near_upper=up)
            high = _score_bound(
                item, table, worse_band, worse_part, integral, lowest=False, near_upper=not up
            )
            if high.score <= low.score:
                continue
            broken.add(id(worse_band))
            middle = (high.score + low.score) / 2
            better_value = _showing(item, table, better, better_part, integral, low, middle)
            worse_value = _showing(item, table, worse_band, worse_part, integral, high, middle)
            low_score = _scores(item, table, better, better_value)[0]
            high_score = _scores(item, table, worse_band, worse_value)[1]
            yield error(
                "E203",
                f"in {called}, {name} = {format_number(worse_value)} "
                f"{_can(worse_band, 'up to ')}{approximate(high_score)}, "
                f"more than the better {name} = {format_number(better_value)}, which "
                f"{_can(better, 'as little as ')}{approximate(low_score)} ({better.place})",
                worse_band.span,
                help=f"a worse {name} must never score more; check the order of the outcomes",
                witnesses=(better_value, worse_value),
            )


def _of(item: Item) -> str:
    """The item a finding is about, for its message: 床位使用率 (occupancy)."""
    return f"{item.title} ({item.id})"


def _called(*bands: Band) -> str:
    """The bands by their lines ("the bands on line 6 and line 7"), or by their intervals when
    they were built in Python."""
    if any(b.span is None for b in bands):
        return " and ".join(f"band {b.interval}" for b in bands)
    lines = sorted({b.span.line for b in bands if b.span is not None})
    return f"the band{'s' if len(bands) > 1 else ''} on line {' and line '.join(map(str, lines))}"


def _within_hint(table: BandTable, item: Item, value: Fraction) -> str:
    """For a derived measure, how to say which values it really takes, when arithmetic cannot see it;
    nothing where the inputs can give the value, so that ``within`` would hide a real gap."""
    measure = next((m for m in item.measures if m.name == table.measure), None)
    if measure is None or measure.within is not None:
        return ""
    example = _reached(item, measure.expr, value)
    if example is not None:
        return f"; {measure.name} = {format_number(value)} happens ({example}): give it a band"
    return (
        f"; if {measure.name} never takes them, say which it takes: measure {measure.name} = … within [a..b]"
    )


def _reached(item: Item, expr: Expr, value: Fraction) -> str | None:
    """Inputs that give the measure ``value``, or lie either side of it, when it is continuous (no
    rounding, no divisor that can be 0) over inputs with closed bounded domains: an example, or None."""
    if any(isinstance(e, Call) and e.function not in ("min", "max") for e in walk(expr)):
        return None
    found = corners(item, expr)
    if not found:
        return None
    domains = {i.name: Domain(i.domain, i.integral) for i in item.all_inputs}
    if expr.bounds(domains, frozenset())[1]:
        return None  # a divisor that can be zero: not continuous
    at = next((env for env, v in found if v == value), None)
    if at is not None:
        return f"at {shown(at)}"
    if min(v for _, v in found) < value < max(v for _, v in found):
        return f"between {shown(min(found, key=lambda pair: pair[1])[0])} and other inputs"
    return None


def _can(band: Band, words: str) -> str:
    return f"can score {words}" if band.outcome.assessed else "scores "


@frozen
class _Bound:
    """A band's lowest or highest score over some of its values: at ``value``, or, when not
    ``reached``, approached towards the open edge ``value``."""

    score: Fraction
    value: Fraction
    reached: bool


def _score_bound(
    item: Item, table: BandTable, band: Band, part: Interval, integral: bool, lowest: bool, near_upper: bool
) -> _Bound:
    """The lowest (or highest) score of ``band`` over ``part``; between equal scores, the one
    nearest its upper (or lower) end."""
    ends = [(v, reached) for v, reached in _ends(part, integral) if v is not None]
    if not near_upper:
        ends.reverse()  # the preferred end last
    pick = 0 if lowest else 1
    if not band.outcome.linear:
        # The score does not depend on the value: show the value nearest the other band.
        value = _just_inside(part, *ends[-1], integral) if ends else witness(part, integral)
        assert value is not None
        return _Bound(_scores(item, table, band, value)[pick], value, True)
    # A linear score is a straight line: its lowest and highest are at the band's ends.
    bounds = [_Bound(_scores(item, table, band, v)[0], v, reached) for v, reached in ends]
    if lowest:
        return min(reversed(bounds), key=lambda b: b.score)
    return max(reversed(bounds), key=lambda b: b.score)


def _ends(part: Interval, integral: bool) -> list[tuple[Fraction | None, bool]]:
    """The lower and upper ends of ``part`` and whether each is a value of it; for whole
    numbers, the first and the last whole number in it."""
    if not integral:
        return [(part.lower, part.lower_closed), (part.upper, part.upper_closed)]
    first = math.ceil(part.lower) if part.lower is not None else None
    if first is not None and first == part.lower and not part.lower_closed:
        first += 1
    last = math.floor(part.upper) if part.upper is not None else None
    if last is not None and last == part.upper and not part.upper_closed:
        last -= 1
    return [
        (Fraction(first), True) if first is not None else (None, False),
        (Fraction(last), True) if last is not None else (None, False),
    ]


def _just_inside(part: Interval, edge: Fraction, reached: bool, integral: bool) -> Fraction:
    """``edge`` if it is a value of ``part``, else a plain value of it just inside."""
    if reached:
        return edge
    inward = 1 if part.lower == edge else -1
    for digits in range(1, 7):
        value = edge + inward * Fraction(1, 10**digits)
        if value in part and (not integral or value.denominator == 1):
            return value
    inside = witness(part, integral)
    assert inside is not None
    return inside


def _showing(
    item: Item, table: BandTable, band: Band, part: Interval, integral: bool, bound: _Bound, middle: Fraction
) -> Fraction:
    """A value of ``part`` whose score lies beyond ``middle`` on the bound's side."""
    if bound.reached:
        return bound.value
    # Approached at an open edge of a linear range: a value before its score crosses ``middle``.
    other = next(v for v, _ in _ends(part, integral) if v is not None and v != bound.value)
    at_other = _scores(item, table, band, other)[0]
    if at_other == bound.score:  # a flat range: every value of it scores the same
        return _just_inside(part, bound.value, False, integral)
    crossing = bound.value + (other - bound.value) * (middle - bound.score) / (at_other - bound.score)
    low, high = sorted([bound.value, crossing])
    between = intersect(Interval(low, high, False, False), part)  # the crossing may lie beyond the band
    value = witness(between, integral) if between is not None else None
    assert value is not None
    return value


def _values(domain: Domain) -> str:
    return f"{domain.interval}{' whole numbers' if domain.integral else ''}"


def narrowed(domain: Domain, name: str, conditions: Sequence[Condition]) -> Domain:
    """The values of ``name`` the conditions leave, where each is a comparison of it with a number or
    such comparisons joined by ``and``: an item that does not apply, or a unit a requirement
    refuses, needs no band.

    >>> from rubricdsl.model import Comparison, Constant, Name
    >>> str(narrowed(Domain(Interval(0, 100)), "r", [Comparison(">", Name("r"), Constant(50))]).interval)
    '(50..100]'
    """
    interval: Interval | None = domain.interval
    for condition in conditions:
        for bound in _bounds_on(name, condition):
            interval = intersect(interval, bound) if interval is not None else None
    return Domain(interval, domain.integral) if interval is not None else domain


def _bounds_on(name: str, condition: Condition) -> Iterator[Interval]:
    """What each comparison of ``name`` with a number, in an ``and`` chain, allows of it."""
    if isinstance(condition, Logical) and condition.op == "and":
        yield from _bounds_on(name, condition.left)
        yield from _bounds_on(name, condition.right)
        return
    if not isinstance(condition, Comparison):
        return
    op, left, right = condition.op, condition.left, condition.right
    if isinstance(right, Name) and isinstance(left, Constant):
        op, left, right = _FLIPPED[op], right, left
    if not (isinstance(left, Name) and left.name == name and isinstance(right, Constant)):
        return
    value = right.value
    allowed = {
        ">": Interval(value, None, False, False),
        ">=": Interval(value, None, True, False),
        "<": Interval(None, value, False, False),
        "<=": Interval(None, value, False, True),
        "=": Interval(value, value),
    }
    if op in allowed:
        yield allowed[op]


_FLIPPED = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "=": "=", "!=": "!="}
