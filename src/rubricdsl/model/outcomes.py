"""Outcomes: what a band (or an item that does not apply) scores.

Each kind knows the scores it gives at a value of its band (one score, or the range an
assessor chooses in), what it checks of its own numbers, and how the language writes it.
The evaluator and the prover ask these classes; neither knows the kinds. The prover
relies on one promise: an outcome gives the same scores at every value of its band,
unless it is ``linear``, when its score moves in a straight line across the band.

To add a kind: a rule in ``grammar.lark`` listed under ``_outcome`` (and under
``otherwise`` if an item that does not apply may score it), a class here registered
with ``@outcome`` whose ``clause`` is the rule's name and whose fields are the rule's
parts in order, and its entry in the language reference.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from fractions import Fraction
from typing import ClassVar, TypeVar

from attrs import field, frozen

from ..numbers import format_number, to_fraction
from ..problems import Problem, error
from .intervals import Interval
from .located import Construct, Located


class Direction(enum.Enum):
    """Which way a measure gets worse."""

    HIGHER_IS_WORSE = "higher"
    LOWER_IS_WORSE = "lower"
    FARTHER_IS_WORSE = "farther"  # from the best range, on either side (平均住院日5—10天)


class Outcome(Located):
    """What a band scores."""

    __slots__ = ()
    clause: ClassVar[str]  # the grammar rule that writes it
    assessed: ClassVar[bool] = False  # an assessor chooses the score, within ``scores``
    linear: ClassVar[bool] = False  # the score moves with the value across its band, which needs two edges
    fixed: ClassVar[bool] = False  # one score whatever the value: an item that does not apply may take it

    def scores(
        self, points: Fraction, band: Interval, worse: Direction, value: Fraction
    ) -> tuple[Fraction, Fraction]:
        """The lowest and highest score at ``value``, a value of ``band``, on an item worth ``points``."""
        raise NotImplementedError

    def amounts(self) -> Iterator[tuple[str, Fraction]]:
        """The numbers written in the outcome, by field, each between 0 and the item's points."""
        return iter(())

    def best(self, points: Fraction) -> Fraction:
        """The most it can give on an item worth ``points``, at any value of its band."""
        raise NotImplementedError

    def problems(self, points: Fraction | None) -> Iterator[Problem]:
        """What is wrong with the outcome's own numbers, on an item worth ``points`` (None: unknown)."""
        limit = f"the item's {format_number(points)} points" if points is not None else "the item's points"
        for name, amount in self.amounts():
            if amount < 0 or (points is not None and amount > points):
                yield error("E109", f"{format_number(amount)} is not between 0 and {limit}", self.where(name))


OUTCOMES: dict[str, Construct] = {}  # grammar rule -> the class it builds

OutcomeKind = TypeVar("OutcomeKind", bound=type[Outcome])


def outcome(kind: OutcomeKind) -> OutcomeKind:
    """Register an outcome class under the grammar rule that writes it."""
    OUTCOMES[kind.clause] = Construct(kind)
    return kind


class FixedOutcome(Outcome):
    """An outcome that gives one score, whatever the value."""

    __slots__ = ()
    fixed = True

    def fixed_score(self, points: Fraction) -> Fraction:
        """The score on an item worth ``points``."""
        raise NotImplementedError

    def best(self, points: Fraction) -> Fraction:
        return self.fixed_score(points)

    def scores(
        self, points: Fraction, band: Interval, worse: Direction, value: Fraction
    ) -> tuple[Fraction, Fraction]:
        score = self.fixed_score(points)
        return score, score


@outcome
@frozen
class Full(FixedOutcome):
    """The item's full points."""

    clause = "full"

    def fixed_score(self, points: Fraction) -> Fraction:
        return points

    def __str__(self) -> str:
        return "full"


@outcome
@frozen
class Zero(FixedOutcome):
    """No points."""

    clause = "zero"

    def fixed_score(self, points: Fraction) -> Fraction:
        return Fraction(0)

    def __str__(self) -> str:
        return "zero"


@outcome
@frozen
class Deduct(FixedOutcome):
    """A fixed deduction from the item's points (扣N分), never below zero."""

    clause = "deduct"
    amount: Fraction = field(converter=to_fraction)

    def fixed_score(self, points: Fraction) -> Fraction:
        return max(Fraction(0), points - self.amount)

    def amounts(self) -> Iterator[tuple[str, Fraction]]:
        yield "amount", self.amount

    def __str__(self) -> str:
        return f"deduct {format_number(self.amount)}"


@outcome
@frozen
class FixedScore(FixedOutcome):
    """A fixed score (得N分), whatever the item's points."""

    clause = "fixed_score"
    score: Fraction = field(converter=to_fraction)

    def fixed_score(self, points: Fraction) -> Fraction:
        return self.score

    def amounts(self) -> Iterator[tuple[str, Fraction]]:
        yield "score", self.score

    def __str__(self) -> str:
        return f"score {format_number(self.score)}"


class _Range(Outcome):
    """A deduction between ``low`` and ``high``."""

    __slots__ = ()
    low: Fraction
    high: Fraction
    mode: ClassVar[str]

    def amounts(self) -> Iterator[tuple[str, Fraction]]:
        yield "low", self.low
        yield "high", self.high

    def best(self, points: Fraction) -> Fraction:
        return max(Fraction(0), points - self.low)

    def problems(self, points: Fraction | None) -> Iterator[Problem]:
        yield from super().problems(points)
        if self.low > self.high:
            yield error(
                "E109",
                f"the range {format_number(self.low)}..{format_number(self.high)} runs backwards",
                self.span,
                help="write the smaller deduction first",
            )

    def __str__(self) -> str:
        return f"deduct {format_number(self.low)}..{format_number(self.high)} {self.mode}"


@outcome
@frozen
class LinearDeduction(_Range):
    """A deduction interpolated across the band (扣6—9分, linear): ``low`` at its better edge,
    ``high`` at its worse edge.

    >>> band = Interval(10, 20, False, True)
    >>> LinearDeduction(6, 9).scores(Fraction(10), band, Direction.HIGHER_IS_WORSE, Fraction(15))
    (Fraction(5, 2), Fraction(5, 2))
    """

    clause = "deduct_range_linear"
    mode = "linear"
    linear = True
    low: Fraction = field(converter=to_fraction)
    high: Fraction = field(converter=to_fraction)

    def scores(
        self, points: Fraction, band: Interval, worse: Direction, value: Fraction
    ) -> tuple[Fraction, Fraction]:
        lower, upper = band.lower, band.upper
        assert lower is not None and upper is not None, "a linear range needs a band with two edges (E110)"
        better, worst = (lower, upper) if worse is Direction.HIGHER_IS_WORSE else (upper, lower)
        share = (value - better) / (worst - better)
        score = max(Fraction(0), points - (self.low + (self.high - self.low) * share))
        return score, score


@outcome
@frozen
class AssessedRange(_Range):
    """A deduction an assessor chooses between ``low`` and ``high`` (扣6—9分, assessed): the unit's
    ``scores`` give the points left, from ``points - high`` to ``points - low``."""

    clause = "deduct_range_assessed"
    mode = "assessed"
    assessed = True
    low: Fraction = field(converter=to_fraction)
    high: Fraction = field(converter=to_fraction)

    def scores(
        self, points: Fraction, band: Interval, worse: Direction, value: Fraction
    ) -> tuple[Fraction, Fraction]:
        return points - self.high, points - self.low
