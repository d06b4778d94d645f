"""Exact sets of numbers: intervals, their set algebra and arithmetic, and witness values.

The prover works with these: the values a measure can take (computed from its inputs'
domains by the arithmetic below), the values no band takes, the values two bands both
take, and a plain number inside each such set to show the author.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from fractions import Fraction

from attrs import field, frozen, validators

from ..numbers import format_number, to_fraction_or_none
from ..problems import Problem, error
from ..source import Span


@frozen
class Interval:
    """A set of exact numbers between two edges, each open, closed or absent (unbounded).

    >>> band = Interval(10, 20, lower_closed=False, upper_closed=True)
    >>> str(band), Fraction(10) in band, Fraction(20) in band
    ('(10..20]', False, True)
    """

    lower: Fraction | None = field(converter=to_fraction_or_none)
    upper: Fraction | None = field(converter=to_fraction_or_none)
    lower_closed: bool = field(default=True, validator=validators.instance_of(bool))
    upper_closed: bool = field(default=True, validator=validators.instance_of(bool))
    span: Span | None = field(default=None, eq=False, repr=False)

    def __contains__(self, value: Fraction) -> bool:
        above_lower = self.lower is None or value > self.lower or (value == self.lower and self.lower_closed)
        below_upper = self.upper is None or value < self.upper or (value == self.upper and self.upper_closed)
        return above_lower and below_upper

    def __str__(self) -> str:
        low = format_number(self.lower) if self.lower is not None else ""
        high = format_number(self.upper) if self.upper is not None else ""
        return f"{'[' if self.lower_closed else '('}{low}..{high}{']' if self.upper_closed else ')'}"

    @property
    def bounded(self) -> bool:
        """Whether both edges are numbers."""
        return self.lower is not None and self.upper is not None

    @classmethod
    def everything(cls) -> Interval:
        return cls(None, None, False, False)


# Ordering keys for edges. A lower edge at x is (0, x, 0) when closed and (0, x, 1) when
# open ("just above x"); an upper edge is (0, x, 0) closed, (0, x, -1) open ("just below").
# An interval is empty exactly when its lower key is above its upper key.
_Key = tuple[int, Fraction, int]
_BELOW_ALL: _Key = (-1, Fraction(0), 0)
_ABOVE_ALL: _Key = (1, Fraction(0), 0)


def lower_key(interval: Interval) -> _Key:
    """A key that orders intervals by where they start (open edges just after their number)."""
    if interval.lower is None:
        return _BELOW_ALL
    return (0, interval.lower, 0 if interval.lower_closed else 1)


def upper_key(interval: Interval) -> _Key:
    """A key that orders intervals by where they end (open edges just before their number)."""
    if interval.upper is None:
        return _ABOVE_ALL
    return (0, interval.upper, 0 if interval.upper_closed else -1)


def _from_keys(lower: _Key, upper: _Key) -> Interval | None:
    if lower > upper:
        return None
    return Interval(
        None if lower[0] else lower[1],
        None if upper[0] else upper[1],
        lower[0] == 0 and lower[2] == 0,
        upper[0] == 0 and upper[2] == 0,
    )


def intersect(a: Interval, b: Interval) -> Interval | None:
    """The values both intervals take, or None.

    >>> str(intersect(Interval(Fraction(0), Fraction(3)), Interval(Fraction(3), None, False, False)))
    'None'
    >>> str(intersect(Interval(Fraction(0), Fraction(3)), Interval(Fraction(3), None, True, False)))
    '[3..3]'
    """
    return _from_keys(max(lower_key(a), lower_key(b)), min(upper_key(a), upper_key(b)))


def subtract(pieces: Iterable[Interval], taken: Interval) -> list[Interval]:
    """What is left of ``pieces`` once ``taken`` is removed.

    >>> ten, middle = Interval(Fraction(0), Fraction(10)), Interval(Fraction(3), Fraction(5), False, True)
    >>> [str(i) for i in subtract([ten], middle)]
    ['[0..3]', '(5..10]']
    """
    left: list[Interval] = []
    low, high = lower_key(taken), upper_key(taken)
    for piece in pieces:
        if low[0] == 0:  # the part below ``taken``: up to just before its lower edge
            below = _from_keys(lower_key(piece), min(upper_key(piece), (0, low[1], low[2] - 1)))
            if below is not None:
                left.append(below)
        if high[0] == 0:  # the part above: from just after its upper edge
            above = _from_keys(max(lower_key(piece), (0, high[1], high[2] + 1)), upper_key(piece))
            if above is not None:
                left.append(above)
    return left


def is_before(a: Interval, b: Interval) -> bool:
    """Whether every value of ``a`` is below every value of ``b``."""
    return upper_key(a) < lower_key(b)


def witness(interval: Interval, integral: bool = False) -> Fraction | None:
    """A plain number inside the interval (a whole one if ``integral``), or None if there is none.

    >>> witness(Interval(Fraction(3), Fraction(4), False, False))
    Fraction(31, 10)
    >>> witness(Interval(Fraction(1), Fraction(2), False, False), integral=True) is None
    True
    """
    for edge, closed in ((interval.lower, interval.lower_closed), (interval.upper, interval.upper_closed)):
        if edge is not None and closed and (not integral or edge.denominator == 1):
            return edge  # a closed edge is the value an author most likely overlooked
    places = range(1) if integral else range(7)
    for digits in places:
        scale = 10**digits
        candidates = []
        if interval.lower is not None:
            first = math.ceil(interval.lower * scale)
            candidates.append(
                Fraction(first + (first == interval.lower * scale and not interval.lower_closed), scale)
            )
        if interval.upper is not None:
            last = math.floor(interval.upper * scale)
            candidates.append(
                Fraction(last - (last == interval.upper * scale and not interval.upper_closed), scale)
            )
        if interval.lower is None and interval.upper is None:
            candidates.append(Fraction(0))
        for candidate in candidates:
            if candidate in interval:
                return candidate
    if integral or interval.lower is None or interval.upper is None:
        return None
    return (interval.lower + interval.upper) / 2


# Interval arithmetic ------------------------------------------------------------------------


@frozen
class Domain:
    """The values an input or measure can take, and whether they are whole numbers."""

    interval: Interval
    integral: bool = False


class _Infinity:
    def __init__(self, sign: int) -> None:
        self.sign = sign


_PLUS, _MINUS = _Infinity(1), _Infinity(-1)
_Value = Fraction | _Infinity


def _ends(interval: Interval) -> tuple[tuple[_Value, bool], tuple[_Value, bool]]:
    low = (interval.lower, interval.lower_closed) if interval.lower is not None else (_MINUS, False)
    high = (interval.upper, interval.upper_closed) if interval.upper is not None else (_PLUS, False)
    return low, high


def _product(a: tuple[_Value, bool], b: tuple[_Value, bool]) -> tuple[_Value, bool]:
    (x, x_closed), (y, y_closed) = a, b
    # Zero times anything is zero: reached wherever a factor reaches zero.
    if (x == 0 and x_closed) or (y == 0 and y_closed):
        return Fraction(0), True
    if isinstance(x, Fraction) and isinstance(y, Fraction):
        return x * y, x_closed and y_closed
    if x == 0 or y == 0:
        return Fraction(0), False  # an open zero edge times an unbounded side: zero is approached
    signs = [v.sign if isinstance(v, _Infinity) else (1 if v > 0 else -1) for v in (x, y)]
    return (_PLUS if signs[0] * signs[1] > 0 else _MINUS), False


def _order(value: _Value) -> tuple[int, Fraction]:
    if isinstance(value, _Infinity):
        return value.sign, Fraction(0)
    return 0, value


def _hull(candidates: list[tuple[_Value, bool]]) -> Interval:
    low_value = min((c[0] for c in candidates), key=_order)
    high_value = max((c[0] for c in candidates), key=_order)
    low_closed = any(c[1] for c in candidates if _order(c[0]) == _order(low_value))
    high_closed = any(c[1] for c in candidates if _order(c[0]) == _order(high_value))
    return Interval(
        low_value if isinstance(low_value, Fraction) else None,
        high_value if isinstance(high_value, Fraction) else None,
        low_closed and isinstance(low_value, Fraction),
        high_closed and isinstance(high_value, Fraction),
    )


def add(a: Interval, b: Interval) -> Interval:
    """``a + b`` for every pair of values.

    >>> str(add(Interval(Fraction(0), Fraction(100), False, True), Interval(Fraction(-100), Fraction(0))))
    '(-100..100]'
    """
    (al, ah), (bl, bh) = _ends(a), _ends(b)

    def plus(x: tuple[_Value, bool], y: tuple[_Value, bool]) -> tuple[_Value, bool]:
        if isinstance(x[0], _Infinity):
            return x[0], False
        if isinstance(y[0], _Infinity):
            return y[0], False
        return x[0] + y[0], x[1] and y[1]

    return _hull([plus(al, bl), plus(ah, bh)])


def negate(a: Interval) -> Interval:
    """``-a`` for every value of ``a``.

    >>> str(negate(Interval(Fraction(1), None, False, False)))
    '(..-1)'
    """
    return Interval(
        -a.upper if a.upper is not None else None,
        -a.lower if a.lower is not None else None,
        a.upper_closed,
        a.lower_closed,
    )


def multiply(a: Interval, b: Interval) -> Interval:
    """``a * b`` for every pair of values.

    >>> str(multiply(Interval(Fraction(100), Fraction(100)), Interval(Fraction(0), Fraction(100))))
    '[0..10000]'
    """
    (al, ah), (bl, bh) = _ends(a), _ends(b)
    return _hull([_product(x, y) for x in (al, ah) for y in (bl, bh)])


def reciprocal(a: Interval) -> Interval | None:
    """``1 / a`` for every value of ``a`` but zero, or None when ``a`` is zero alone.

    Dividing by zero gives no value at all (the unit gets an error instead), so zero
    is left out of the divisor.

    >>> str(reciprocal(Interval(Fraction(0), Fraction(100))))
    '[0.01..)'
    >>> str(reciprocal(Interval(Fraction(-2), Fraction(4))))
    '(..)'
    >>> str(reciprocal(Interval(Fraction(100), Fraction(200))))
    '[0.005..0.01]'
    """
    below_zero = _from_keys(lower_key(a), min(upper_key(a), (0, Fraction(0), -1)))
    above_zero = _from_keys(max(lower_key(a), (0, Fraction(0), 1)), upper_key(a))
    sides = [part for part in (below_zero, above_zero) if part is not None]
    if not sides:
        return None

    def flip(value: Fraction | None, closed: bool) -> tuple[Fraction | None, bool]:
        if value is None:
            return Fraction(0), False  # far out, the reciprocal nears zero without reaching it
        if value == 0:
            return None, False  # near zero, it grows without bound
        return 1 / value, closed

    flipped = []
    for side in sides:  # each lies on one side of zero, touching it at most with an open edge
        low, low_closed = flip(side.upper, side.upper_closed)
        high, high_closed = flip(side.lower, side.lower_closed)
        flipped.append(Interval(low, high, low_closed, high_closed))
    return hull(flipped)


def hull(intervals: list[Interval]) -> Interval:
    """The smallest interval holding every one of ``intervals``."""
    result = _from_keys(min(lower_key(i) for i in intervals), max(upper_key(i) for i in intervals))
    assert result is not None
    return result


def min_max(function: str, intervals: list[Interval]) -> Interval:
    """The values ``min`` or ``max`` of one value from each interval can take."""
    pick = max if function == "max" else min
    lows = [(lower_key(i), i) for i in intervals]
    highs = [(upper_key(i), i) for i in intervals]
    low_key = pick(k for k, _ in lows)
    high_key = pick(k for k, _ in highs)
    result = _from_keys(low_key, high_key)
    assert result is not None
    return result


def rounded(interval: Interval, up: bool) -> Interval:
    """ceil (``up``) or floor of every value: whole numbers, edges closed where reached."""
    rounder = math.ceil if up else math.floor
    low = Fraction(rounder(interval.lower)) if interval.lower is not None else None
    high = Fraction(rounder(interval.upper)) if interval.upper is not None else None
    # An open edge on a whole number is not reached, nor is what it rounds to towards the inside.
    if up and low is not None and not interval.lower_closed and low == interval.lower:
        low += 1
    if not up and high is not None and not interval.upper_closed and high == interval.upper:
        high -= 1
    return Interval(low, high, low is not None, high is not None)


def whole_numbers(interval: Interval) -> Interval | None:
    """The smallest interval holding the whole numbers of ``interval``; None if it holds none.

    >>> str(whole_numbers(Interval(Fraction(1, 2), Fraction(11, 2))))
    '[1..5]'
    >>> whole_numbers(Interval(1, 2, False, False)) is None
    True
    """
    low = None if interval.lower is None else math.ceil(interval.lower)
    high = None if interval.upper is None else math.floor(interval.upper)
    if low is not None and low == interval.lower and not interval.lower_closed:
        low += 1
    if high is not None and high == interval.upper and not interval.upper_closed:
        high -= 1
    if low is not None and high is not None and low > high:
        return None
    return Interval(low, high, low is not None, high is not None)


def interval_problems(interval: Interval) -> Iterator[Problem]:
    """What is wrong with an interval as written: a closed unbounded edge, or no value inside.

    >>> [p.message for p in interval_problems(Interval(5, 1))]
    ['the interval [5..1] holds no value']
    """
    for bound, closed, side in (
        (interval.lower, interval.lower_closed, "lower"),
        (interval.upper, interval.upper_closed, "upper"),
    ):
        if bound is None and closed:
            yield error(
                "E108",
                f"an unbounded {side} edge cannot be closed",
                interval.span,
                help="write '(' or ')' on the side without a number",
            )
    low, high = interval.lower, interval.upper
    if low is None or high is None:
        return
    if low > high or (low == high and not (interval.lower_closed and interval.upper_closed)):
        yield error(
            "E108",
            f"the interval {interval} holds no value",
            interval.span,
            help="write the lower edge first",
        )
