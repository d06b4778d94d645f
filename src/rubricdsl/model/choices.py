"""Scoring rules that choose among rows: levels an assessor names, and decision tables.

``levels { 好 full 较好 score 8 一般 score 5 差 zero }``: the unit's ``scores`` name the level.
``cases { full when a >= 90 and b >= 80  score 5 when a >= 90  zero otherwise }``: the first
row whose condition holds scores the item (the prover checks that some row always does,
and which rows overlap: ``analysis/cases.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from attrs import field, frozen, validators

from ..numbers import approximate
from ..problems import EvaluationError, Problem, error
from .expressions import Condition, names
from .located import Located, one_of, tuple_field
from .outcomes import FixedOutcome, Outcome
from .rules import Rule, RuleScore, rule

if TYPE_CHECKING:
    from .rubric import Item


def _fixed_only(outcome: Outcome, where: str) -> Iterator[Problem]:
    if not outcome.fixed:
        yield error(
            "E110",
            f"{where} gives one score: full, zero, deduct N or score N, not '{outcome}'",
            outcome.span,
            help="write the level's or row's points as one number",
        )


@frozen
class Level(Located):
    """A level an assessor may choose (较好), and what it scores."""

    name: str = field(validator=validators.instance_of(str))
    outcome: Outcome = field(validator=one_of(Outcome))

    def __str__(self) -> str:
        return f"{self.name} {self.outcome}"


@rule
@frozen
class Levels(Rule):
    """An assessor chooses one of named levels (好/较好/一般/差); each level has its points.

    >>> from rubricdsl.model import Full, FixedScore, Item
    >>> rated = Levels([Level("好", Full()), Level("较好", FixedScore(8))])
    >>> rated.chosen(Item("a", "服务", 10, rated), "较好").score
    Fraction(8, 1)
    """

    clause = "levels"
    levels: tuple[Level, ...] = tuple_field(Level)

    def level(self, name: str) -> Level | None:
        return next((level for level in self.levels if level.name == name), None)

    def names(self) -> tuple[str, ...]:
        return tuple(level.name for level in self.levels)

    def score(self, item: Item, env: Mapping[str, Fraction], assessed: Fraction | None) -> RuleScore:
        wanted = "the level an assessor chose" if assessed is None else "a level's name, not a number"
        message = f"{item.title} needs {wanted}: one of {', '.join(self.names())}"
        raise EvaluationError(Problem("E402", message, field=f"scores.{item.id}"))

    def chosen(self, item: Item, name: str) -> RuleScore:
        level = self.level(name)
        if level is None or not isinstance(level.outcome, FixedOutcome):
            message = f"'{name}' is not a level of {item.title}: one of {', '.join(self.names())}"
            raise EvaluationError(Problem("E402", message, field=f"scores.{item.id}"))
        return RuleScore(level.outcome.fixed_score(item.max_points), str(level), level.span)

    @property
    def needs_assessor(self) -> bool:
        return True

    def problems(self, item: Item) -> Iterator[Problem]:
        seen: set[str] = set()
        for level in self.levels:
            if level.name in seen:
                yield error("E102", f"level '{level.name}' is named twice", level.span)
            seen.add(level.name)
            yield from _fixed_only(level.outcome, "a level")
            yield from level.outcome.problems(item.outcome_ceiling)
        if not self.levels:
            yield error("E110", "levels { } names no level", self.span, help="好 full  较好 score 8 …")

    def __str__(self) -> str:
        return "levels { " + "  ".join(map(str, self.levels)) + " }"


@frozen
class Case(Located):
    """One row of a decision table: what it scores, and when (None: otherwise, every case left)."""

    outcome: Outcome = field(validator=one_of(Outcome))
    condition: Condition | None = field(default=None)

    def holds(self, env: Mapping[str, Fraction]) -> bool:
        return self.condition is None or self.condition.holds(env)

    def __str__(self) -> str:
        return f"{self.outcome} " + (f"when {self.condition}" if self.condition is not None else "otherwise")


@rule
@frozen
class Cases(Rule):
    """A decision table over the item's names: the first row whose condition holds scores it.

    >>> from rubricdsl.model import Comparison, Constant, Full, Item, Name, Zero
    >>> table = Cases([Case(Full(), Comparison(">=", Name("a"), Constant(90))), Case(Zero())])
    >>> table.score(Item("x", "甲", 5, table), {"a": Fraction(89)}, None).rule
    'zero otherwise'
    """

    clause = "cases"
    cases: tuple[Case, ...] = tuple_field(Case)

    def score(self, item: Item, env: Mapping[str, Fraction], assessed: Fraction | None) -> RuleScore:
        if assessed is not None:
            message = f"{item.title} takes no assessor's score"
            raise EvaluationError(Problem("E402", message, field=f"scores.{item.id}"))
        for case in self.cases:
            if case.holds(env):
                assert isinstance(case.outcome, FixedOutcome), "validation allows fixed outcomes only"
                return RuleScore(case.outcome.fixed_score(item.max_points), str(case), case.span)
        read = ", ".join(f"{name} = {approximate(env[name])}" for name in dict.fromkeys(self.reads()))
        message = f"no row of the table of {item.title} ({item.id}) takes {read}"
        raise EvaluationError(Problem("E401", message, field=f"values.{item.id}"))

    def expressions(self) -> Iterator[Any]:
        return (case.condition for case in self.cases if case.condition is not None)

    def reads(self) -> Iterator[str]:
        for condition in self.expressions():
            yield from names(condition)

    def problems(self, item: Item) -> Iterator[Problem]:
        for position, case in enumerate(self.cases):
            yield from _fixed_only(case.outcome, "a row")
            yield from case.outcome.problems(item.outcome_ceiling)
            if case.condition is None and position < len(self.cases) - 1:
                yield error(
                    "E110",
                    "'otherwise' takes every case left, so the rows after it are never used",
                    case.span,
                    help="make it the last row",
                )
        if not self.cases:
            yield error("E110", "cases { } has no row", self.span, help="full when …  zero otherwise")

    def __str__(self) -> str:
        return "cases { " + "  ".join(map(str, self.cases)) + " }"
