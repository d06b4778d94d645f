"""What scoring a unit produces: exact scores, the rule behind each, and the unit's errors."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from attrs import field, frozen

from ..io.round import Override
from ..model import Adjustment, Band, Grade, Group, Item, Tag, Veto
from ..problems import Problem
from ..source import Span


@frozen
class AppliedAdjustment:
    """A deduction or bonus that took effect, and its amount after its own cap."""

    adjustment: Adjustment
    amount: Fraction
    capped: bool = False

    @property
    def span(self) -> Span | None:
        return self.adjustment.span


@frozen
class ItemScore:
    """An item's exact score and how it came about.

    ``score`` is the base score, after deductions; ``bonus`` comes on top of it.
    ``band`` is the band that fired (None for other rules); ``measures`` are the
    values the item read and derived, in order; ``assessed`` is the assessor's
    score when one was used; ``adjustments`` are the deductions and bonuses that
    took effect; ``override`` is an assessor's correction on appeal, which replaced
    ``original``, the score the rules gave. ``applies`` is False when the item's
    condition did not hold,
    ``evidence_missing`` True when it scored zero for want of written evidence, and
    ``floored`` True when its deductions added up to more than it had.
    """

    item: Item
    score: Fraction
    rule: str
    span: Span | None = field(default=None, eq=False)
    band: Band | None = None
    measures: tuple[tuple[str, Fraction], ...] = ()
    assessed: Fraction | str | None = None  # an assessor's points, or the level chosen
    adjustments: tuple[AppliedAdjustment, ...] = ()
    bonus: Fraction = Fraction(0)
    applies: bool = True
    evidence_missing: bool = False
    floored: bool = False  # the deductions added up to more than the item had (扣完为止)
    override: Override | None = None  # a correction on appeal, which gave ``score``
    original: Fraction | None = None  # the score the rules gave, when an override replaced it

    @property
    def deduction(self) -> Fraction:
        return self.item.max_points - self.score


@frozen
class GroupScore:
    """A part's or group's score: the sum of its children, capped at its declared points.

    Bonus points are summed apart, capped at the group's declared bonus, and never
    cut by the cap on its points.
    """

    group: Group
    score: Fraction
    raw: Fraction
    max: Fraction
    bonus: Fraction = Fraction(0)
    raw_bonus: Fraction = Fraction(0)
    vetoed: bool = False  # a veto capped its score (score PART at most N)

    @property
    def capped(self) -> bool:
        """Whether its declared points or bonus cut what its children add up to (not a veto)."""
        points = self.raw if self.group.points is None else min(self.raw, self.group.points)
        bonus = self.raw_bonus if self.group.bonus is None else min(self.raw_bonus, self.group.bonus)
        return points < self.raw or bonus < self.raw_bonus


@frozen
class TagScore:
    """A tag's items on one scorecard: their scores added up, their points, and which were at full points."""

    tag: Tag
    score: Fraction
    max: Fraction
    items: tuple[str, ...]
    full: tuple[str, ...]


@frozen
class Scorecard:
    """A unit's result. ``total`` and ``grade`` are None when the unit has errors.

    ``label`` names the unit in reports: its id, or its place in the file when it has none.
    ``total`` is ``base`` plus ``bonus``.
    """

    unit_id: str | None
    label: str
    items: Mapping[str, ItemScore]
    groups: tuple[GroupScore, ...]
    total: Fraction | None
    reported_total: Decimal | None
    max: Fraction
    grade: Grade | None
    vetoes: tuple[Veto, ...] = ()
    errors: tuple[Problem, ...] = ()
    base: Fraction | None = None
    bonus: Fraction | None = None
    tags: tuple[TagScore, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)

    def group(self, group_id: str) -> GroupScore:
        """The score of the group with this id; ``KeyError`` if it has none."""
        for score in self.groups:
            if score.group.id == group_id:
                return score
        raise KeyError(group_id)
