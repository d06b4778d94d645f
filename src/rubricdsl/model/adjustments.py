"""Deductions and bonuses on top of an item's rule: per occurrence, under a condition, or assessed.

Each kind knows the amount it comes to for a unit, the most it can ever come to, the
names it reads, the inputs it needs, what it checks of its own numbers, and how the
language writes it.

To add a kind: a rule in ``grammar.lark`` listed under ``_adjustment``, a class here
(its fields after ``kind`` are the rule's parts in order), its entries in
``ADJUSTMENTS``, and its entry in the language reference.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING

from attrs import field, frozen, validators

from ..numbers import format_number, to_fraction, to_fraction_or_none
from ..problems import Problem, error
from .expressions import Condition, Expr, is_condition, is_expression, names
from .inputs import Input
from .intervals import Interval
from .located import Construct, Located, part

if TYPE_CHECKING:
    from .rubric import Item


class AdjustmentKind(enum.Enum):
    DEDUCT = "deduct"
    BONUS = "bonus"


class Adjustment(Located):
    """A deduction or a bonus, with its own cap (``at most``)."""

    __slots__ = ()
    kind: AdjustmentKind
    limit: Fraction | None

    def amount(self, env: Mapping[str, Fraction]) -> Fraction:
        """What it comes to for a unit's values, before its cap."""
        raise NotImplementedError

    def applied(self, env: Mapping[str, Fraction]) -> tuple[Fraction, bool]:
        """What it comes to within its cap, and whether the cap cut it."""
        amount = self.amount(env)
        if self.limit is not None and amount > self.limit:
            return self.limit, True
        return amount, False

    def most(self, declared: Fraction | None) -> Fraction | None:
        """The most it can come to (None: no bound), on an item that declares ``declared`` bonus."""
        return self.limit

    def reads(self) -> Iterator[str]:
        """The names it reads."""
        for written in self.expressions():
            yield from names(written)

    def inputs(self, item: Item) -> tuple[Input, ...]:
        """Inputs it adds to the item's."""
        return ()

    @property
    def takes_what_is_left(self) -> bool:
        """Whether it may take only what the item's other deductions leave (an uncapped assessed one)."""
        return False

    def sizes(self) -> Iterator[tuple[str, Fraction]]:
        """Its numbers that no item should exceed: ``cap`` and, for one taken once, ``deduction``."""
        if self.limit is not None:
            yield "cap", self.limit

    def problems(self, item: Item) -> Iterator[Problem]:
        yield from self.must_be_positive("limit", "'at most'")

    def _limit_text(self) -> str:
        return f" at most {format_number(self.limit)}" if self.limit is not None else ""


class _Counted(Adjustment):
    """An amount written in the rubric, taken per occurrence or under a condition."""

    __slots__ = ()
    amount_each: Fraction

    def problems(self, item: Item) -> Iterator[Problem]:
        yield from self.must_be_positive("amount_each", f"a {self.kind.value} amount")
        yield from super().problems(item)


@frozen
class PerOccurrence(_Counted):
    """``deduct 0.5 per violations``: the amount for each unit of ``per`` (never below zero), 每…扣…分.

    >>> from rubricdsl.model import Name
    >>> str(PerOccurrence(AdjustmentKind.DEDUCT, "0.5", Name("violations"), 2))
    'deduct 0.5 per violations at most 2'
    """

    kind: AdjustmentKind = field(validator=validators.instance_of(AdjustmentKind))
    amount_each: Fraction = field(converter=to_fraction)
    per: Expr = part("expression", validator=is_expression)
    limit: Fraction | None = field(default=None, converter=to_fraction_or_none)

    def amount(self, env: Mapping[str, Fraction]) -> Fraction:
        # A count below zero ("6 - reported" when more were reported) takes nothing off.
        return self.amount_each * max(Fraction(0), self.per.evaluate(env))

    def __str__(self) -> str:
        return f"{self.kind.value} {format_number(self.amount_each)} per {self.per}{self._limit_text()}"


@frozen
class WhenCondition(_Counted):
    """``deduct 2 when late > 0``: the amount, once, when the condition holds."""

    kind: AdjustmentKind = field(validator=validators.instance_of(AdjustmentKind))
    amount_each: Fraction = field(converter=to_fraction)
    when: Condition = part("condition", validator=is_condition)
    limit: Fraction | None = field(default=None, converter=to_fraction_or_none)

    def amount(self, env: Mapping[str, Fraction]) -> Fraction:
        return self.amount_each if self.when.holds(env) else Fraction(0)

    def most(self, declared: Fraction | None) -> Fraction | None:
        return self.limit if self.limit is not None else self.amount_each

    def sizes(self) -> Iterator[tuple[str, Fraction]]:
        yield "deduction", self.amount_each
        yield from super().sizes()

    def __str__(self) -> str:
        return f"{self.kind.value} {format_number(self.amount_each)} when {self.when}{self._limit_text()}"


@frozen
class Assessed(Adjustment):
    """``deduct assessed NAME``: an amount an assessor enters as the item's value NAME (酌情扣分).

    Without a limit, a deduction may take what remains of the item's points and a bonus
    what the item's bonus allows. Left out of the data, it is 0: nothing was taken.
    """

    kind: AdjustmentKind = field(validator=validators.instance_of(AdjustmentKind))
    name: str = field(validator=validators.instance_of(str))
    limit: Fraction | None = field(default=None, converter=to_fraction_or_none)

    def amount(self, env: Mapping[str, Fraction]) -> Fraction:
        return env[self.name]

    def most(self, declared: Fraction | None) -> Fraction | None:
        return self.limit if self.limit is not None else declared

    def reads(self) -> Iterator[str]:
        yield self.name

    def inputs(self, item: Item) -> tuple[Input, ...]:
        """The amount, read like any value of the item: from 0 to its cap, or to what the item has."""
        if self.limit is not None:
            domain = Interval(0, self.limit)
        else:
            ceiling = item.max_points if self.kind is AdjustmentKind.DEDUCT else item.bonus
            domain = Interval(0, ceiling, True, ceiling is not None)
        written = self.where("name")
        spans = {"name": written} if written is not None else {}
        return (Input(self.name, "points", domain, default=0, span=self.span, spans=spans),)

    @property
    def takes_what_is_left(self) -> bool:
        return self.kind is AdjustmentKind.DEDUCT and self.limit is None

    def problems(self, item: Item) -> Iterator[Problem]:
        yield from super().problems(item)
        if self.limit is None and self.kind is AdjustmentKind.BONUS and item.bonus is None:
            yield error(
                "E105",
                f"the assessed bonus '{self.name}' has no bound",
                self.span,
                help=f"write 'at most N', or declare the item's bonus: item {item.id} ... bonus N",
            )

    def __str__(self) -> str:
        return f"{self.kind.value} assessed {self.name}{self._limit_text()}"


_DEDUCT, _BONUS = {"kind": AdjustmentKind.DEDUCT}, {"kind": AdjustmentKind.BONUS}
ADJUSTMENTS: dict[str, Construct] = {
    "deduct_per": Construct(PerOccurrence, _DEDUCT),
    "bonus_per": Construct(PerOccurrence, _BONUS),
    "deduct_when": Construct(WhenCondition, _DEDUCT),
    "bonus_when": Construct(WhenCondition, _BONUS),
    "assessed_deduction": Construct(Assessed, _DEDUCT),
    "assessed_bonus": Construct(Assessed, _BONUS),
}
