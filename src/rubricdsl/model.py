"""The compiled rubric: frozen value classes, the library's public object model.

Nothing here knows about Lark or about how the text was written; spans are kept
only so that a score can cite the line of the rule that produced it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

from attrs import field, frozen

from .source import Span


def format_number(value: Fraction | Decimal) -> str:
    """Write an exact number as a plain decimal, without trailing zeros.

    >>> format_number(Fraction(15, 2)), format_number(Decimal("16.00")), format_number(Fraction(1, 3))
    ('7.5', '16', '1/3')
    """
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        decimal = _terminating_decimal(value)
        return format_number(decimal) if decimal is not None else str(value)
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def approximate(value: Fraction, places: int = 4) -> str:
    """A number for a message: exact when short, else rounded with a "≈".

    >>> approximate(Fraction(3375, 34)), approximate(Fraction(89, 10)), approximate(Fraction(10**40))
    ('≈99.2647', '8.9', '1E+40')
    """
    if abs(value) >= 10**15:
        return f"{Decimal(value.numerator) / Decimal(value.denominator):.0E}"
    text = format_number(value)
    if "/" not in text and len(text.split(".")[-1]) <= places + 2:
        return text
    return "≈" + format_number(Rounding(places).apply(value))


def _terminating_decimal(value: Fraction) -> Decimal | None:
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    if denominator != 1:
        return None
    places = max(twos, fives)
    return Decimal(value.numerator * 10**places // value.denominator).scaleb(-places)


# Numbers and intervals -----------------------------------------------------------------


@frozen
class Interval:
    """A set of exact numbers between two edges, each open, closed or absent (unbounded).

    >>> band = Interval(Fraction(10), Fraction(20), lower_closed=False, upper_closed=True)
    >>> str(band), Fraction(10) in band, Fraction(20) in band
    ('(10..20]', False, True)
    """

    lower: Fraction | None
    upper: Fraction | None
    lower_closed: bool = True
    upper_closed: bool = True

    def __contains__(self, value: Fraction) -> bool:
        above_lower = self.lower is None or value > self.lower or (value == self.lower and self.lower_closed)
        below_upper = self.upper is None or value < self.upper or (value == self.upper and self.upper_closed)
        return above_lower and below_upper

    def __str__(self) -> str:
        low = format_number(self.lower) if self.lower is not None else ""
        high = format_number(self.upper) if self.upper is not None else ""
        return f"{'[' if self.lower_closed else '('}{low}..{high}{']' if self.upper_closed else ')'}"

    @classmethod
    def everything(cls) -> Interval:
        return cls(None, None, False, False)


class RoundingMode(enum.Enum):
    HALF_UP = "half_up"  # ties away from zero, as offices round by hand
    HALF_EVEN = "half_even"
    DOWN = "down"  # truncate toward zero


@frozen
class Rounding:
    """How reported numbers are rounded: once, at output.

    >>> Rounding(2, RoundingMode.HALF_UP).apply(Fraction(89997, 1000))
    Decimal('90.00')
    """

    places: int = 2
    mode: RoundingMode = RoundingMode.HALF_UP

    def apply(self, value: Fraction) -> Decimal:
        scaled = value * 10**self.places
        whole, remainder = divmod(abs(scaled.numerator), scaled.denominator)
        twice = 2 * remainder
        if self.mode is RoundingMode.HALF_UP:
            up = twice >= scaled.denominator
        elif self.mode is RoundingMode.HALF_EVEN:
            up = twice > scaled.denominator or (twice == scaled.denominator and whole % 2 == 1)
        else:
            up = False
        magnitude = whole + (1 if up else 0)
        # Built from text, so no decimal context can round away digits.
        return Decimal(f"{'-' if scaled < 0 and magnitude else ''}{magnitude}E-{self.places}")


# Expressions -------------------------------------------------------------------------------


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


@frozen
class Const:
    value: Fraction

    def __str__(self) -> str:
        return format_number(self.value)


@frozen
class Ref:
    name: str

    def __str__(self) -> str:
        return self.name


@frozen
class BinOp:
    """``left op right``; printed with only the parentheses the meaning needs.

    >>> str(BinOp("/", BinOp("-", Const(Fraction(98)), Ref("rate")), Const(Fraction(5))))
    '(98 - rate) / 5'
    """

    op: str
    left: Expr
    right: Expr
    span: Span | None = field(default=None, eq=False)

    def __str__(self) -> str:
        precedence = _PRECEDENCE[self.op]
        left = _operand(self.left, precedence)
        # a - (b - c) and a / (b / c) keep their parentheses on the right
        right = _operand(self.right, precedence + (self.op in "-/"))
        return f"{left} {self.op} {right}"


def _operand(expr: Expr, precedence: int) -> str:
    if isinstance(expr, BinOp) and _PRECEDENCE[expr.op] < precedence:
        return f"({expr})"
    return str(expr)


@frozen
class Neg:
    operand: Expr

    def __str__(self) -> str:
        return f"-{_operand(self.operand, 3)}"


@frozen
class Call:
    function: str
    args: tuple[Expr, ...]

    def __str__(self) -> str:
        return f"{self.function}({', '.join(map(str, self.args))})"


Expr = Const | Ref | BinOp | Neg | Call


@frozen
class Compare:
    op: str  # one of = != < <= > >=
    left: Expr
    right: Expr

    def __str__(self) -> str:
        return f"{self.left} {self.op} {self.right}"


@frozen
class Logic:
    op: str  # and | or
    left: Condition
    right: Condition

    def __str__(self) -> str:
        return f"{self.left} {self.op} {self.right}"


@frozen
class Not:
    operand: Condition

    def __str__(self) -> str:
        return f"not {self.operand}"


Condition = Compare | Logic | Not


# Items ---------------------------------------------------------------------------------------


class Direction(enum.Enum):
    """Which way a measure gets worse."""

    HIGHER_IS_WORSE = "higher"
    LOWER_IS_WORSE = "lower"


class InputSource(enum.Enum):
    """Where an input's value comes from in a data file."""

    VALUES = "values"
    TARGETS = "targets"


@frozen
class Input:
    """A number an item reads from the data: a measured value or a per-round target."""

    name: str
    kind: str  # percent | count | flag | number | points
    domain: Interval
    source: InputSource = InputSource.VALUES
    span: Span | None = field(default=None, eq=False)
    default: Fraction | None = None  # taken when the data leaves the input out; None: required

    @property
    def integral(self) -> bool:
        return self.kind in ("count", "flag")


@frozen
class Measure:
    """A number derived from inputs and earlier measures by exact arithmetic."""

    name: str
    expr: Expr
    span: Span | None = field(default=None, eq=False)
    within: Interval | None = None  # the values the rubric declares it takes, checked when scoring


@frozen
class Full:
    """The item's full points."""

    span: Span | None = field(default=None, eq=False)

    def __str__(self) -> str:
        return "full"


@frozen
class Zero:
    """No points."""

    span: Span | None = field(default=None, eq=False)

    def __str__(self) -> str:
        return "zero"


@frozen
class Deduct:
    """A fixed deduction from the item's points."""

    amount: Fraction
    span: Span | None = field(default=None, eq=False)

    def __str__(self) -> str:
        return f"deduct {format_number(self.amount)}"


@frozen
class FixedScore:
    """A fixed score, whatever the item's points."""

    score: Fraction
    span: Span | None = field(default=None, eq=False)

    def __str__(self) -> str:
        return f"score {format_number(self.score)}"


class RangeMode(enum.Enum):
    LINEAR = "linear"  # interpolated across the band
    ASSESSED = "assessed"  # an assessor chooses, checked against the range


@frozen
class RangeDeduction:
    """A deduction between ``low`` and ``high``: interpolated (linear) or chosen by an assessor."""

    low: Fraction
    high: Fraction
    mode: RangeMode
    span: Span | None = field(default=None, eq=False)

    def __str__(self) -> str:
        return f"deduct {format_number(self.low)}..{format_number(self.high)} {self.mode.value}"


Outcome = Full | Zero | Deduct | FixedScore | RangeDeduction


@frozen
class Band:
    """One row of a band table: the values it takes and what they score."""

    interval: Interval
    outcome: Outcome
    span: Span | None = field(default=None, eq=False)

    def __str__(self) -> str:
        return f"{self.interval} {self.outcome}"


@frozen
class BandTable:
    """Bands over one measure, and the direction in which the measure gets worse."""

    measure: str
    worse: Direction
    bands: tuple[Band, ...]
    span: Span | None = field(default=None, eq=False)

    def band_for(self, value: Fraction) -> Band | None:
        """The first band that takes ``value``, if any.

        >>> at_most_zero = Band(Interval(None, Fraction(0), False), Full())
        >>> table = BandTable("d", Direction.HIGHER_IS_WORSE, (at_most_zero,))
        >>> str(table.band_for(Fraction(0))), table.band_for(Fraction(1))
        ('(..0] full', None)
        """
        return next((band for band in self.bands if value in band.interval), None)


@frozen
class Judged:
    """An assessor awards between 0 and the item's points."""

    span: Span | None = field(default=None, eq=False)


class AdjustmentKind(enum.Enum):
    DEDUCT = "deduct"
    BONUS = "bonus"


@frozen
class Adjustment:
    """``amount`` per unit of ``per`` (never below zero), or once ``when`` holds; at most ``limit``.

    >>> str(Adjustment(AdjustmentKind.DEDUCT, Fraction(1, 2), per=Ref("violations"), limit=Fraction(2)))
    'deduct 0.5 per violations at most 2'
    """

    kind: AdjustmentKind
    amount: Fraction
    per: Expr | None = None
    when: Condition | None = None
    limit: Fraction | None = None
    span: Span | None = field(default=None, eq=False)

    def __str__(self) -> str:
        basis = f"per {self.per}" if self.per is not None else f"when {self.when}"
        limit = f" at most {format_number(self.limit)}" if self.limit is not None else ""
        return f"{self.kind.value} {format_number(self.amount)} {basis}{limit}"


@frozen
class AssessedAdjustment:
    """An amount an assessor enters as the item's value ``name``, at most ``limit``.

    Without a limit, a deduction may take what remains of the item's points and a
    bonus what the item's bonus allows.
    """

    kind: AdjustmentKind
    name: str
    limit: Fraction | None = None
    span: Span | None = field(default=None, eq=False)

    def __str__(self) -> str:
        limit = f" at most {format_number(self.limit)}" if self.limit is not None else ""
        return f"{self.kind.value} assessed {self.name}{limit}"


@frozen
class Applicability:
    """The item applies only when ``condition`` holds; otherwise it scores ``otherwise`` and no bonus."""

    condition: Condition
    otherwise: Full | Zero | FixedScore
    span: Span | None = field(default=None, eq=False)


Rule = BandTable | Judged


@frozen
class Item:
    """A scored line of the rubric."""

    id: str
    title: str
    points: Fraction
    rule: Rule | None = None
    inputs: tuple[Input, ...] = ()
    measures: tuple[Measure, ...] = ()
    adjustments: tuple[Adjustment | AssessedAdjustment, ...] = ()
    applies: Applicability | None = None
    bonus: Fraction | None = None  # the bonus points the item declares, capping its bonuses
    number: str | None = None
    departments: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
    standard: str | None = None
    method: str | None = None  # 考核方法: how the assessors check it
    notes: tuple[str, ...] = ()
    span: Span | None = field(default=None, eq=False)

    def inputs_from(self, source: InputSource) -> tuple[Input, ...]:
        return tuple(i for i in self.inputs if i.source is source)

    def adjustments_of(self, kind: AdjustmentKind) -> tuple[Adjustment | AssessedAdjustment, ...]:
        return tuple(a for a in self.adjustments if a.kind is kind)

    @property
    def bonus_rules_allow(self) -> Fraction | None:
        """The most bonus the item's rules can give, before its declared bonus; None if unbounded."""
        bounds = [_bonus_bound(a, self.bonus) for a in self.adjustments_of(AdjustmentKind.BONUS)]
        return None if None in bounds else sum((b for b in bounds if b is not None), Fraction(0))

    @property
    def bonus_allowed(self) -> Fraction | None:
        """The most bonus the item can earn, within its declared bonus; None if unbounded."""
        return _at_most(self.bonus_rules_allow, self.bonus)

    @property
    def needs_assessor(self) -> bool:
        """Whether some outcome of the item may need a score from an assessor."""
        if isinstance(self.rule, Judged):
            return True
        if isinstance(self.rule, BandTable):
            return any(
                isinstance(b.outcome, RangeDeduction) and b.outcome.mode is RangeMode.ASSESSED
                for b in self.rule.bands
            )
        return False


@frozen
class Group:
    """A part or group of the rubric, capped at its declared points."""

    id: str | None
    title: str
    kind: str  # part | group
    points: Fraction | None
    children: tuple[Group | Item, ...]
    bonus: Fraction | None = None  # the bonus points the group declares, capping its children's bonuses
    number: str | None = None
    departments: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    span: Span | None = field(default=None, eq=False)

    def items(self) -> Iterator[Item]:
        """Every item below this group, in document order."""
        return _items(self.children)

    def groups(self) -> Iterator[Group]:
        """Every group below this one, in document order, parents first."""
        return _groups(self.children)

    @property
    def max_points(self) -> Fraction:
        """The declared points, or the children's if none are declared."""
        return self.points if self.points is not None else _max_points(self.children)

    @property
    def bonus_allowed(self) -> Fraction | None:
        """The most bonus the children can bring, within the declared bonus; None if unbounded."""
        return _at_most(_bonus_allowed(self.children), self.bonus)


def _items(children: tuple[Group | Item, ...]) -> Iterator[Item]:
    for child in children:
        if isinstance(child, Item):
            yield child
        else:
            yield from _items(child.children)


def _groups(children: tuple[Group | Item, ...]) -> Iterator[Group]:
    for child in children:
        if isinstance(child, Group):
            yield child
            yield from _groups(child.children)


def _bonus_bound(adjustment: Adjustment | AssessedAdjustment, declared: Fraction | None) -> Fraction | None:
    if adjustment.limit is not None:
        return adjustment.limit
    if isinstance(adjustment, Adjustment) and adjustment.when is not None:
        return adjustment.amount
    return declared if isinstance(adjustment, AssessedAdjustment) else None


def _bonus_allowed(children: tuple[Group | Item, ...]) -> Fraction | None:
    allowed = [child.bonus_allowed for child in children]
    return None if None in allowed else sum((a for a in allowed if a is not None), Fraction(0))


def _at_most(allowed: Fraction | None, declared: Fraction | None) -> Fraction | None:
    if allowed is None:
        return declared
    return allowed if declared is None else min(allowed, declared)


def _max_points(children: tuple[Group | Item, ...]) -> Fraction:
    return sum((c.points if isinstance(c, Item) else c.max_points for c in children), Fraction(0))


# Grades and vetoes ---------------------------------------------------------------------------


@frozen
class Grade:
    name: str
    threshold: Fraction | None
    label: str | None = None
    span: Span | None = field(default=None, eq=False)


@frozen
class GradeScale:
    """Grades from best to worst; a total earns the first grade whose threshold it reaches.

    >>> scale = GradeScale((Grade("A", Fraction(90)), Grade("B", None)))
    >>> scale.grade_for(Fraction(90)).name, scale.grade_for(Fraction(8999, 100)).name
    ('A', 'B')
    """

    grades: tuple[Grade, ...]

    def grade_for(self, total: Fraction) -> Grade | None:
        return next((g for g in self.grades if g.threshold is None or total >= g.threshold), None)

    def rank(self, name: str) -> int:
        """Position from the best grade (0); a larger rank is a worse grade."""
        return [g.name for g in self.grades].index(name)

    def named(self, name: str) -> Grade:
        return self.grades[self.rank(name)]


@frozen
class Veto:
    """A rule that forces a grade (``grade D``) or caps it (``grade at most B``)."""

    id: str
    title: str
    grade: str
    caps: bool = False
    number: str | None = None
    departments: tuple[str, ...] = ()
    definition: str | None = None
    circumstances: tuple[str, ...] = ()
    standard: str | None = None
    notes: tuple[str, ...] = ()
    span: Span | None = field(default=None, eq=False)


@frozen
class Rubric:
    """A compiled rubric: header, the tree of groups and items, grades and vetoes."""

    title: str
    children: tuple[Group | Item, ...]
    total: Fraction | None = None
    bonus: Fraction | None = None  # bonus points on top of the total (奖励分)
    evidence: str | None = None  # the rule that an item without its written evidence scores zero
    year: int | None = None
    rounding: Rounding = Rounding()
    grades: GradeScale | None = None
    vetoes: tuple[Veto, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    path: str | None = None
    span: Span | None = field(default=None, eq=False)

    def items(self) -> Iterator[Item]:
        """Every item, in document order."""
        return _items(self.children)

    def groups(self) -> Iterator[Group]:
        """Every part and group, in document order, parents first."""
        return _groups(self.children)

    @property
    def max_points(self) -> Fraction:
        """The declared total, or what the top-level parts, groups and items add up to."""
        return self.total if self.total is not None else _max_points(self.children)

    @property
    def bonus_allowed(self) -> Fraction | None:
        """The most bonus a unit can earn, within the declared bonus; None if unbounded."""
        return _at_most(_bonus_allowed(self.children), self.bonus)

    @property
    def has_bonus(self) -> bool:
        """Whether bonus points appear anywhere: reports then show base, bonus and total apart."""
        return (
            self.bonus is not None
            or any(g.bonus is not None for g in self.groups())
            or any(i.bonus is not None or i.adjustments_of(AdjustmentKind.BONUS) for i in self.items())
        )

    def item(self, item_id: str) -> Item:
        """The item with this id.

        Raises ``KeyError`` for an unknown id.
        """
        for item in self.items():
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def group(self, group_id: str) -> Group:
        """The part or group with this id.

        Raises ``KeyError`` for an unknown id.
        """
        for group in self.groups():
            if group.id == group_id:
                return group
        raise KeyError(group_id)

    def veto(self, veto_id: str) -> Veto:
        for veto in self.vetoes:
            if veto.id == veto_id:
                return veto
        raise KeyError(veto_id)
