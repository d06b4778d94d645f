"""Scoring rules: what an item scores before its deductions, from its values or an assessor.

Each rule knows how it scores a unit (raising ``EvaluationError`` when it cannot), the
names it reads, whether it needs an assessor's score, what it checks of itself, and how
it describes what fired. An item without a rule starts from its full points.

To add a kind: a rule in ``grammar.lark`` listed under ``_rule``, a class here registered
with ``@rule`` whose ``clause`` is the rule's name and whose fields are the rule's parts in
order, and its entry in the language reference.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, ClassVar, TypeVar

from attrs import field, frozen, validators

from ..numbers import approximate, format_number
from ..problems import EvaluationError, Problem, did_you_mean, error
from ..source import Span
from .expressions import Bounds, Expr, Label, is_expression, names
from .intervals import Domain, Interval, interval_problems, is_before
from .located import Construct, Located, one_of, part, tuple_field
from .outcomes import Direction, Outcome

if TYPE_CHECKING:
    from .rubric import Item


@frozen
class RuleScore:
    """What a rule gave: the score, the words for what fired, its place, and the band if one fired."""

    score: Fraction
    rule: str
    span: Span | None
    band: Band | None = None


class Rule(Located):
    """What an item scores before its deductions."""

    __slots__ = ()
    clause: ClassVar[str]

    def score(self, item: Item, env: Mapping[str, Fraction], assessed: Fraction | None) -> RuleScore:
        """Score a unit from the item's named values and the assessor's score, if given."""
        raise NotImplementedError

    def chosen(self, item: Item, level: str) -> RuleScore:
        """Score a unit from the level an assessor chose by name (``levels`` only)."""
        message = f"{item.title} takes a number of points, not the level '{level}'"
        raise EvaluationError(Problem("E402", message, field=f"scores.{item.id}"))

    @property
    def needs_assessor(self) -> bool:
        """Whether some unit may need an assessor's score for it."""
        return False

    def reads(self) -> Iterator[str]:
        """The names it reads."""
        for written in self.expressions():
            yield from names(written)

    def problems(self, item: Item) -> Iterator[Problem]:
        """What is wrong with it on ``item``, beyond the names its expressions read."""
        return iter(())

    def bounds(self, domains: Mapping[str, Domain], nonzero: frozenset[str]) -> Bounds | None:
        """The scores it can give when the item's names range over ``domains``, for the prover to
        hold within the item's points; None for a rule whose scores are bounded as it is written."""
        return None


RULES: dict[str, Construct] = {}  # grammar rule -> the class it builds

RuleKind = TypeVar("RuleKind", bound=type[Rule])


def rule(kind: RuleKind) -> RuleKind:
    """Register a rule class under the grammar rule that writes it."""
    RULES[kind.clause] = Construct(kind)
    return kind


def _assessor_problem(item: Item, message: str) -> EvaluationError:
    return EvaluationError(Problem("E402", message, field=f"scores.{item.id}"))


@rule
@frozen
class Judged(Rule):
    """An assessor awards between 0 and the item's points, in the unit's ``scores``."""

    clause = "judged"

    def score(self, item: Item, env: Mapping[str, Fraction], assessed: Fraction | None) -> RuleScore:
        if assessed is None:
            raise _assessor_problem(item, f"missing the assessor's score for {item.title}")
        return RuleScore(assessed, "judged", self.span)

    @property
    def needs_assessor(self) -> bool:
        return True

    def __str__(self) -> str:
        return "judged"


@frozen
class Band(Located):
    """One row of a band table: the values it takes and what they score."""

    interval: Interval = field(validator=validators.instance_of(Interval))
    outcome: Outcome = field(validator=one_of(Outcome))

    def __str__(self) -> str:
        return f"{self.interval} {self.outcome}"

    @property
    def place(self) -> str:
        """Where the band is, for messages: its line, or its interval for a band built in Python."""
        return f"line {self.span.line}" if self.span else f"band {self.interval}"


@frozen
class BandTable(Rule):
    """Bands over one measure, and the direction in which the measure gets worse.

    The first band that takes a value scores it.
    """

    clause = "bands"
    measure: str = field(validator=validators.instance_of(str))
    worse: Direction = field(validator=validators.instance_of(Direction))
    bands: tuple[Band, ...] = tuple_field(Band)

    def direction_of(self, band: Band, points: Fraction) -> Direction:
        """The way values get worse across ``band``: the table's, or, where farther is worse,
        down below the best range and up above it (the bands that can give the most)."""
        if self.worse is not Direction.FARTHER_IS_WORSE:
            return self.worse
        top = max(b.outcome.best(points) for b in self.bands)
        peak = [b.interval for b in self.bands if b.outcome.best(points) == top]
        if all(band.interval is not p and is_before(band.interval, p) for p in peak):
            return Direction.LOWER_IS_WORSE
        return Direction.HIGHER_IS_WORSE

    def band_for(self, value: Fraction) -> Band | None:
        """The first band that takes ``value``, if any.

        >>> from rubricdsl.model import Full
        >>> table = BandTable("d", Direction.HIGHER_IS_WORSE, [Band(Interval(None, 0, False), Full())])
        >>> str(table.band_for(Fraction(0))), table.band_for(Fraction(1))
        ('(..0] full', None)
        """
        return next((band for band in self.bands if value in band.interval), None)

    def score(self, item: Item, env: Mapping[str, Fraction], assessed: Fraction | None) -> RuleScore:
        value = env[self.measure]
        band = self.band_for(value)
        if band is None:
            read = ", ".join(f"{n} = {approximate(v)}" for n, v in env.items() if n != self.measure)
            raise EvaluationError(
                Problem(
                    "E401",
                    f"{self.measure} = {approximate(value)}{f' ({read})' if read else ''} falls in no band "
                    f"of {item.title} ({item.id})",
                    field=f"values.{item.id}",
                )
            )
        outcome = band.outcome
        if assessed is not None and not outcome.assessed:
            raise _assessor_problem(
                item,
                f"{item.title} takes no assessor's score here: {self.measure} = {approximate(value)} "
                f"falls in band {band} ({band.place})",
            )
        low, high = outcome.scores(
            item.max_points, band.interval, self.direction_of(band, item.max_points), value
        )
        if not outcome.assessed:
            return RuleScore(low, str(band), band.span, band)
        if assessed is None:
            raise _assessor_problem(
                item,
                f"{item.title} needs the assessor's score between {format_number(low)} and "
                f"{format_number(high)} ({self.measure} = {approximate(value)} falls in band {band})",
            )
        if not low <= assessed <= high:
            raise _assessor_problem(
                item,
                f"{format_number(assessed)} is outside {format_number(low)}..{format_number(high)}, "
                f"the scores band {band} allows for {item.title}",
            )
        return RuleScore(assessed, str(band), band.span, band)

    @property
    def needs_assessor(self) -> bool:
        return any(band.outcome.assessed for band in self.bands)

    def reads(self) -> Iterator[str]:
        yield self.measure

    def problems(self, item: Item) -> Iterator[Problem]:
        known = item.names()
        if self.measure not in known:
            yield error(
                "E103",
                f"bands over unknown measure '{self.measure}'",
                self.where("measure"),
                help=did_you_mean(self.measure, known) or "name an input or a measure of this item",
            )
        for band in self.bands:
            yield from interval_problems(band.interval)
            yield from band.outcome.problems(item.outcome_ceiling)
            bounded = band.interval.bounded and band.interval.lower != band.interval.upper
            if band.outcome.linear and not bounded:
                yield error(
                    "E110",
                    "a linear range needs a band with two different edges",
                    band.span,
                    help="interpolation runs from one edge of the band to the other; "
                    "bound the band or use a fixed outcome",
                )


@rule
@frozen
class Formula(Rule):
    """``score = EXPR``: the item scores what the expression gives (得分=70×实际达标率−63).

    The prover holds the expression within the item's points (E205), so a formula that
    could leave them is written with ``max`` and ``min``: ``score = max(0, min(10, …))``.
    """

    clause = "formula"
    expr: Expr = part("expression", validator=is_expression)

    def score(self, item: Item, env: Mapping[str, Fraction], assessed: Fraction | None) -> RuleScore:
        if assessed is not None:
            raise _assessor_problem(item, f"{item.title} takes no assessor's score")
        try:
            value = self.expr.evaluate(env)
        except ZeroDivisionError:
            message = f"{self} of {item.title} divides by zero"
            raise EvaluationError(Problem("E403", message, field=f"values.{item.id}")) from None
        if not 0 <= value <= item.max_points:
            points = format_number(item.max_points)
            message = f"{self} gives {approximate(value)}, outside the 0 to {points} points of {item.title}"
            raise EvaluationError(Problem("E406", message, field=f"values.{item.id}"))
        return RuleScore(value, str(self), self.span)

    def bounds(self, domains: Mapping[str, Domain], nonzero: frozenset[str]) -> Bounds | None:
        return self.expr.bounds(domains, nonzero)

    def __str__(self) -> str:
        return f"score = {self.expr}"


@frozen
class CategoryTable(Located):
    """The bands of one category (三级医院) in a table written ``by`` a category fact."""

    category: Label = field(validator=validators.instance_of(Label))
    table: BandTable = field(validator=validators.instance_of(BandTable))


@frozen
class CategoryBands(Rule):
    """Bands whose edges depend on a category fact: one table per category (三级/二级医院).

    >>> from rubricdsl.model import Full, Item, Zero
    >>> def table(edge):
    ...     above, below = Interval(edge, None, True, False), Interval(None, edge, False, False)
    ...     return BandTable("rate", Direction.LOWER_IS_WORSE, [Band(above, Full()), Band(below, Zero())])
    >>> tables = [CategoryTable(Label(name, "level", i), table(edge)) for i, (name, edge) in enumerate(
    ...     [("三级", 95), ("二级", 90)])]
    >>> rule = CategoryBands("rate", Direction.LOWER_IS_WORSE, "level", tables)
    >>> rule.score(Item("a", "甲", 5, rule), {"rate": Fraction(92), "level": Fraction(1)}, None).rule
    '二级: [90..) full'
    """

    clause = "category_bands"
    measure: str = field(validator=validators.instance_of(str))
    worse: Direction = field(validator=validators.instance_of(Direction))
    fact: str = field(validator=validators.instance_of(str))
    tables: tuple[CategoryTable, ...] = tuple_field(CategoryTable)

    def table_for(self, value: Fraction) -> CategoryTable | None:
        return next((t for t in self.tables if t.category.index == value), None)

    def score(self, item: Item, env: Mapping[str, Fraction], assessed: Fraction | None) -> RuleScore:
        found = self.table_for(env[self.fact])
        if found is None:
            message = f"{item.title} ({item.id}) has no bands for this {self.fact}"
            raise EvaluationError(Problem("E401", message, field=f"facts.{self.fact}"))
        scored = found.table.score(item, env, assessed)
        return RuleScore(scored.score, f"{found.category}: {scored.rule}", scored.span, scored.band)

    @property
    def needs_assessor(self) -> bool:
        return any(t.table.needs_assessor for t in self.tables)

    def reads(self) -> Iterator[str]:
        yield self.measure
        yield self.fact

    def problems(self, item: Item) -> Iterator[Problem]:
        seen: set[str] = set()
        for index, found in enumerate(self.tables):
            if found.category.name in seen:
                yield error("E102", f"category '{found.category}' has bands twice", found.category.span)
            seen.add(found.category.name)
            problems = found.table.problems(item)
            yield from (problems if index == 0 else (p for p in problems if p.code != "E103"))

    def __str__(self) -> str:
        return f"bands {self.measure}, {self.worse.value} is worse by {self.fact}"
