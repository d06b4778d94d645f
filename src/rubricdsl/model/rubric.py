"""The rubric: items in groups and parts, grades and vetoes.

Frozen, slotted value classes that check the type of what they are given; ``validate``
(in ``rubricdsl.analysis``) says what else is wrong with a rubric, as the text front end
would. Positions take no part in equality, nor does the file a rubric was read from.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

from attrs import Attribute, field, frozen, validators

from ..numbers import Rounding, sum_known, to_fraction_or_none
from .adjustments import Adjustment, AdjustmentKind
from .expressions import Condition, Expr, is_condition, names
from .facts import Fact, Tag
from .inputs import Input, InputSource, Measure, Requirement
from .located import Located, one_of, to_tuple, tuple_field, tuple_of
from .outcomes import FixedOutcome, Full
from .rules import Rule


def _texts() -> Any:
    return tuple_field(str, default=())


def _optional_text() -> Any:
    return field(default=None, validator=validators.optional(validators.instance_of(str)))


@frozen
class Applicability(Located):
    """The item applies only when ``condition`` holds; otherwise it scores ``otherwise`` and no bonus."""

    condition: Condition = field(validator=is_condition)
    otherwise: FixedOutcome = field(factory=Full, validator=one_of(FixedOutcome))


@frozen
class Item(Located):
    """A scored line of the rubric.

    ``points`` is None for an item that declares none: one worth only its ``bonus``.
    ``inputs`` are those it declares; ``all_inputs`` adds what its adjustments read
    (an assessor's amounts).

    >>> from rubricdsl.model import Judged
    >>> Item("planning", "规划", 3, Judged()).max_points
    Fraction(3, 1)
    """

    id: str = field(validator=validators.instance_of(str))
    title: str = field(validator=validators.instance_of(str))
    points: Fraction | None = field(default=None, converter=to_fraction_or_none)
    rule: Rule | None = field(default=None, validator=one_of(Rule, None))
    inputs: tuple[Input, ...] = tuple_field(Input, default=())
    measures: tuple[Measure, ...] = tuple_field(Measure, default=())
    adjustments: tuple[Adjustment, ...] = tuple_field(Adjustment, default=())
    applies: Applicability | None = field(default=None, validator=one_of(Applicability, None))
    requires: tuple[Requirement, ...] = tuple_field(Requirement, default=())
    bonus: Fraction | None = field(default=None, converter=to_fraction_or_none)  # caps the item's bonuses
    numbering: str | None = _optional_text()  # the number the document prints beside it (序号)
    departments: tuple[str, ...] = _texts()
    criteria: tuple[str, ...] = _texts()
    standard: str | None = _optional_text()  # 评分标准, verbatim
    method: str | None = _optional_text()  # 考核方法: how the assessors check it
    notes: tuple[str, ...] = _texts()
    tags: tuple[str, ...] = _texts()  # ★ 核心指标: tag core
    all_inputs: tuple[Input, ...] = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        implied = tuple(i for a in self.adjustments for i in a.inputs(self))
        object.__setattr__(self, "all_inputs", self.inputs + implied)

    @property
    def max_points(self) -> Fraction:
        """The points the item can score before bonus: 0 for a bonus-only item."""
        return self.points if self.points is not None else Fraction(0)

    @property
    def outcome_ceiling(self) -> Fraction | None:
        """The most an outcome may give: the points, 0 for a bonus-only item, None if it declares neither."""
        return self.points if self.points is not None or self.bonus is None else Fraction(0)

    def written(self) -> Iterator[Expr | Condition]:
        """Every expression and condition written in the item: its rule's, measures', adjustments',
        requirements' and its condition."""
        if self.rule is not None:
            yield from self.rule.expressions()
        yield from (m.expr for m in self.measures)
        for adjustment in self.adjustments:
            yield from adjustment.expressions()
        yield from (r.condition for r in self.requires)
        if self.applies is not None:
            yield self.applies.condition

    def reads(self) -> set[str]:
        """Every name the item's scoring reads: in what it writes, and its rule's measure or fact."""
        read = {name for written in self.written() for name in names(written)}
        if self.rule is not None:
            read.update(self.rule.reads())
        return read

    def names(self) -> tuple[str, ...]:
        """Every name the item defines: its inputs (an assessor's amounts too), then its measures."""
        return tuple(i.name for i in self.all_inputs) + tuple(m.name for m in self.measures)

    def inputs_from(self, source: InputSource) -> tuple[Input, ...]:
        return tuple(i for i in self.all_inputs if i.source is source)

    def adjustments_of(self, kind: AdjustmentKind) -> tuple[Adjustment, ...]:
        return tuple(a for a in self.adjustments if a.kind is kind)

    @property
    def bonus_rules_allow(self) -> Fraction | None:
        """The most bonus the item's rules can give, before its declared bonus; None if unbounded."""
        return sum_known(a.most(self.bonus) for a in self.adjustments_of(AdjustmentKind.BONUS))

    @property
    def bonus_allowed(self) -> Fraction | None:
        """The most bonus the item can earn, within its declared bonus; None if unbounded."""
        return _at_most(self.bonus_rules_allow, self.bonus)

    @property
    def needs_assessor(self) -> bool:
        """Whether some outcome of the item may need a score from an assessor."""
        return self.rule is not None and self.rule.needs_assessor


def _children(instance: object, attribute: Attribute[Any], value: tuple[Any, ...]) -> None:
    tuple_of(Group, Item)(instance, attribute, value)


class Parent:
    """What a rubric and its groups share: items and groups below them, and their points."""

    __slots__ = ()
    children: tuple[Group | Item, ...]
    bonus: Fraction | None

    @property
    def declared_points(self) -> Fraction | None:
        raise NotImplementedError

    def items(self) -> Iterator[Item]:
        """Every item below, in document order."""
        for child in self.children:
            if isinstance(child, Item):
                yield child
            else:
                yield from child.items()

    def groups(self) -> Iterator[Group]:
        """Every part and group below, in document order, parents first."""
        for child in self.children:
            if isinstance(child, Group):
                yield child
                yield from child.groups()

    @property
    def max_points(self) -> Fraction:
        """The declared points (a rubric's total), or what the children add up to."""
        declared = self.declared_points
        return declared if declared is not None else sum((c.max_points for c in self.children), Fraction(0))

    @property
    def bonus_allowed(self) -> Fraction | None:
        """The most bonus the children can bring, within the declared bonus; None if unbounded."""
        return _at_most(sum_known(child.bonus_allowed for child in self.children), self.bonus)


@frozen
class Group(Located, Parent):
    """A part or group of the rubric, capped at its declared points."""

    id: str | None = field(validator=validators.optional(validators.instance_of(str)))
    title: str = field(validator=validators.instance_of(str))
    children: tuple[Group | Item, ...] = field(converter=to_tuple, validator=_children)
    kind: str = field(default="group", validator=validators.in_(("part", "group")))
    points: Fraction | None = field(default=None, converter=to_fraction_or_none)
    bonus: Fraction | None = field(default=None, converter=to_fraction_or_none)  # caps its children's bonus
    numbering: str | None = _optional_text()
    departments: tuple[str, ...] = _texts()
    notes: tuple[str, ...] = _texts()
    # 无学员的，以下各项不得分: each item below applies only when this holds, as if it said so itself.
    applies: Applicability | None = field(default=None, validator=one_of(Applicability, None))

    @property
    def declared_points(self) -> Fraction | None:
        return self.points


def _at_most(allowed: Fraction | None, declared: Fraction | None) -> Fraction | None:
    if allowed is None:
        return declared
    return allowed if declared is None else min(allowed, declared)


# Grades and vetoes ---------------------------------------------------------------------------


@frozen
class Grade(Located):
    """A grade: its name, the reported total it needs (None: every total left), its label, and
    what else it needs of the scorecard (优秀: every core indicator at full points)."""

    name: str = field(validator=validators.instance_of(str))
    threshold: Fraction | None = field(default=None, converter=to_fraction_or_none)
    label: str | None = _optional_text()
    condition: Condition | None = field(default=None, validator=validators.optional(is_condition))


@frozen
class GradeScale(Located):
    """Grades from best to worst; a total earns the first grade whose threshold it reaches.

    >>> scale = GradeScale((Grade("A", 90), Grade("B")))
    >>> scale.grade_for(Fraction(90)).name, scale.grade_for(Fraction(8999, 100)).name
    ('A', 'B')
    """

    grades: tuple[Grade, ...] = tuple_field(Grade)

    def grade_for(self, total: Fraction, env: Mapping[str, Fraction] | None = None) -> Grade | None:
        """The first grade whose threshold ``total`` reaches and whose condition holds over
        ``env`` (the scorecard's names: see ``rubricdsl.scoring``)."""
        return next(
            (
                g
                for g in self.grades
                if (g.threshold is None or total >= g.threshold)
                and (g.condition is None or g.condition.holds(env or {}))
            ),
            None,
        )

    def rank(self, name: str) -> int:
        """Position from the best grade (0); a larger rank is a worse grade."""
        return [g.name for g in self.grades].index(name)

    def named(self, name: str) -> Grade:
        return self.grades[self.rank(name)]


@frozen
class PartCap(Located):
    """``score PART at most N`` in a veto: the part or group scores at most N (该部分不得分: 0)."""

    part: str = field(validator=validators.instance_of(str))
    limit: Fraction = field(converter=to_fraction_or_none)


@frozen
class Veto(Located):
    """A rule that forces a grade (``grade D``), caps it (``grade at most B``), or caps the score
    of a part (``score safety at most 0``).

    A veto with a ``condition`` fires by itself when the condition holds over the scorecard;
    one without fires when the unit's data lists it. ``grade`` is None for a veto that names
    none; ``validate`` reports a veto that does nothing.
    """

    id: str = field(validator=validators.instance_of(str))
    title: str = field(validator=validators.instance_of(str))
    grade: str | None = _optional_text()
    caps: bool = field(default=False, validator=validators.instance_of(bool))
    numbering: str | None = _optional_text()
    departments: tuple[str, ...] = _texts()
    definition: str | None = _optional_text()
    circumstances: tuple[str, ...] = _texts()
    standard: str | None = _optional_text()
    notes: tuple[str, ...] = _texts()
    condition: Condition | None = field(default=None, validator=validators.optional(is_condition))
    part_caps: tuple[PartCap, ...] = tuple_field(PartCap, default=())


@frozen
class Rubric(Located, Parent):
    """A rubric: header, the tree of groups and items, grades and vetoes.

    Look items, groups and vetoes up by id with ``item``, ``group`` and ``veto``.
    """

    title: str = field(validator=validators.instance_of(str))
    children: tuple[Group | Item, ...] = field(converter=to_tuple, validator=_children)
    total: Fraction | None = field(default=None, converter=to_fraction_or_none)
    bonus: Fraction | None = field(
        default=None, converter=to_fraction_or_none
    )  # on top of the total (奖励分)
    evidence: str | None = _optional_text()  # an item without its written evidence scores zero
    year: int | None = field(default=None, validator=validators.optional(validators.instance_of(int)))
    rounding: Rounding = field(factory=Rounding, validator=validators.instance_of(Rounding))
    grades: GradeScale | None = field(default=None, validator=one_of(GradeScale, None))
    vetoes: tuple[Veto, ...] = tuple_field(Veto, default=())
    meta: tuple[tuple[str, str], ...] = field(default=(), converter=to_tuple)
    notes: tuple[str, ...] = _texts()
    facts: tuple[Fact, ...] = tuple_field(Fact, default=())
    tags: tuple[Tag, ...] = tuple_field(Tag, default=())
    requires: tuple[Requirement, ...] = tuple_field(Requirement, default=())  # over the facts
    path: str | None = field(default=None, eq=False)  # the file it was read from
    _index: Mapping[tuple[str, str], Item | Group | Veto | Fact | Tag] = field(
        init=False, eq=False, repr=False
    )
    _outer: Mapping[int, tuple[Applicability, ...]] = field(init=False, eq=False, repr=False)
    _facts_read: frozenset[str] = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        index: dict[tuple[str, str], Item | Group | Veto | Fact | Tag] = {}
        for kind, found in (("item", self.items()), ("group", self.groups()), ("veto", iter(self.vetoes))):
            for entry in found:
                if entry.id is not None:
                    index.setdefault((kind, entry.id), entry)  # the first, as validate's E101 keeps
        for fact in self.facts:
            index.setdefault(("fact", fact.name), fact)
        for tag in self.tags:
            index.setdefault(("tag", tag.name), tag)
        object.__setattr__(self, "_index", index)
        outer: dict[int, tuple[Applicability, ...]] = {}
        _conditions_above(self.children, (), outer)
        object.__setattr__(self, "_outer", outer)
        # Binding asks it of every unit: worked out once, as the model never changes.
        read = {name for condition in self.written() for name in names(condition)}
        for item in self.items():
            read.update(item.reads())
        object.__setattr__(self, "_facts_read", frozenset(f.name for f in self.facts if f.name in read))

    @property
    def declared_points(self) -> Fraction | None:
        return self.total

    @property
    def has_bonus(self) -> bool:
        """Whether bonus points appear anywhere: reports then show base, bonus and total apart."""
        return (
            self.bonus is not None
            or any(g.bonus is not None for g in self.groups())
            or any(i.bonus is not None or i.adjustments_of(AdjustmentKind.BONUS) for i in self.items())
        )

    def item(self, item_id: str) -> Item:
        """The item with this id; ``KeyError`` for an unknown id."""
        found = self._index[("item", item_id)]
        assert isinstance(found, Item)
        return found

    def group(self, group_id: str) -> Group:
        """The part or group with this id; ``KeyError`` for an unknown id."""
        found = self._index[("group", group_id)]
        assert isinstance(found, Group)
        return found

    def veto(self, veto_id: str) -> Veto:
        """The veto with this id; ``KeyError`` for an unknown id."""
        found = self._index[("veto", veto_id)]
        assert isinstance(found, Veto)
        return found

    def fact(self, name: str) -> Fact:
        """The fact with this name; ``KeyError`` for an unknown name."""
        found = self._index[("fact", name)]
        assert isinstance(found, Fact)
        return found

    def has(self, kind: str, name: str) -> bool:
        """Whether an ``item``, ``group``, ``veto``, ``fact`` or ``tag`` has this id or name."""
        return (kind, name) in self._index

    def tagged(self, tag: str) -> tuple[Item, ...]:
        """The items carrying a tag, in document order."""
        return tuple(item for item in self.items() if tag in item.tags)

    def written(self) -> Iterator[Condition]:
        """The conditions written over the unit as a whole: requirements, parts', grades' and vetoes'."""
        yield from (r.condition for r in self.requires)
        yield from (g.applies.condition for g in self.groups() if g.applies is not None)
        if self.grades is not None:
            yield from (g.condition for g in self.grades.grades if g.condition is not None)
        yield from (v.condition for v in self.vetoes if v.condition is not None)

    def facts_read(self) -> frozenset[str]:
        """The facts something reads: each unit must give them."""
        return self._facts_read

    def conditions_above(self, item: Item) -> tuple[Applicability, ...]:
        """The ``applies when`` of the parts and groups around an item, outermost first."""
        return self._outer.get(id(item), ())


def _conditions_above(
    children: tuple[Group | Item, ...],
    above: tuple[Applicability, ...],
    found: dict[int, tuple[Applicability, ...]],
) -> None:
    for child in children:
        if isinstance(child, Item):
            if above:
                found[id(child)] = above
        else:
            inner = above + ((child.applies,) if child.applies is not None else ())
            _conditions_above(child.children, inner, found)
