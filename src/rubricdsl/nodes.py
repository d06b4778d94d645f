"""The syntax tree: what the author wrote, with a span on every node.

Nodes hold text as written and numbers as exact fractions; they judge nothing.
``check.py`` judges them, ``compiler.py`` turns checked nodes into ``model.py``.
"""

from __future__ import annotations

from fractions import Fraction

from attrs import frozen

from .source import Span


@frozen
class Number:
    value: Fraction
    text: str
    span: Span


@frozen
class Text:
    value: str
    span: Span


@frozen
class Identifier:
    name: str
    span: Span


# Expressions -----------------------------------------------------------------


@frozen
class Constant:
    value: Fraction
    text: str
    span: Span


@frozen
class NameRef:
    name: str
    span: Span


@frozen
class BinaryOp:
    op: str  # one of + - * /
    left: Expr
    right: Expr
    span: Span


@frozen
class Negate:
    operand: Expr
    span: Span


@frozen
class Call:
    function: Identifier
    args: tuple[Expr, ...]
    span: Span


Expr = Constant | NameRef | BinaryOp | Negate | Call


# Conditions ----------------------------------------------------------------------


@frozen
class Comparison:
    op: str  # one of = != < <= > >=
    left: Expr
    right: Expr
    span: Span


@frozen
class Logical:
    op: str  # and | or
    left: Condition
    right: Condition
    span: Span


@frozen
class Inverse:
    operand: Condition
    span: Span


Condition = Comparison | Logical | Inverse


# Item contents ----------------------------------------------------------------


@frozen
class Interval:
    lower: Number | None
    upper: Number | None
    lower_closed: bool
    upper_closed: bool
    span: Span


@frozen
class Outcome:
    """``full``, ``zero``, ``deduct N``, ``score N`` or ``deduct A..B linear|assessed``."""

    kind: str  # full | zero | deduct | score | range
    amount: Number | None
    upper: Number | None  # the B of a range
    mode: str | None  # linear | assessed, for a range
    span: Span


@frozen
class Band:
    interval: Interval
    outcome: Outcome
    span: Span


@frozen
class BandTable:
    measure: Identifier
    worse: str  # higher | lower
    bands: tuple[Band, ...]
    span: Span


@frozen
class Input:
    name: Identifier
    kind: str | None  # percent | count | number
    domain: Interval | None
    source: str  # values | targets
    span: Span


@frozen
class Measure:
    name: Identifier
    expr: Expr
    within: Interval | None
    span: Span


@frozen
class Judged:
    span: Span


@frozen
class Adjustment:
    """``deduct N per EXPR``, ``deduct N when COND`` and the ``bonus`` forms, with ``at most N``."""

    kind: str  # deduct | bonus
    amount: Number
    per: Expr | None
    when: Condition | None
    limit: Number | None
    span: Span


@frozen
class AssessedAdjustment:
    """``deduct assessed NAME [at most N]``: an assessor enters the amount as the item's value NAME."""

    kind: str  # deduct | bonus
    name: Identifier
    limit: Number | None
    span: Span


@frozen
class Applies:
    """``applies when COND [else OUTCOME]``."""

    condition: Condition
    otherwise: Outcome | None
    span: Span


@frozen
class Departments:
    names: tuple[Text, ...]
    span: Span


@frozen
class TextList:
    """``criteria { ... }`` or ``circumstances { ... }``."""

    keyword: str
    entries: tuple[Text, ...]
    span: Span


@frozen
class TextSetting:
    """``standard``, ``note``, ``definition`` or ``evidence`` followed by a text."""

    keyword: str
    text: Text
    span: Span


# Headers and structure -----------------------------------------------------------


@frozen
class NumberSetting:
    """``year``, ``total``, ``bonus``, ``points``: a keyword and a number."""

    keyword: str
    value: Number
    span: Span


@frozen
class Label:
    """``no 4`` or ``no "四"``: the number the document prints beside a group or item."""

    value: Number | Text
    span: Span


@frozen
class Rounding:
    places: Number
    mode: str | None
    span: Span


@frozen
class Meta:
    key: Identifier
    value: Text
    span: Span


@frozen
class Grade:
    name: Identifier
    threshold: Number | None
    label: Text | None
    span: Span


@frozen
class Grades:
    grades: tuple[Grade, ...]
    span: Span


@frozen
class GradeRule:
    """``grade D`` (forces) or ``grade at most B`` (caps) inside a veto."""

    caps: bool
    grade: Identifier
    span: Span


Attribute = NumberSetting | Label
ItemStatement = (
    Departments
    | TextList
    | TextSetting
    | Input
    | Measure
    | BandTable
    | Judged
    | Adjustment
    | AssessedAdjustment
    | Applies
)


@frozen
class Item:
    id: Identifier
    title: Text
    attributes: tuple[Attribute, ...]
    body: tuple[ItemStatement, ...]
    span: Span


@frozen
class Group:
    kind: str  # part | group
    id: Identifier | None
    title: Text
    attributes: tuple[Attribute, ...]
    body: tuple[Group | Item | TextSetting | Departments, ...]
    span: Span


@frozen
class Veto:
    id: Identifier
    title: Text
    attributes: tuple[Attribute, ...]
    body: tuple[GradeRule | Departments | TextList | TextSetting, ...]
    span: Span


@frozen
class Rubric:
    title: Text
    body: tuple[NumberSetting | Rounding | Grades | Meta | TextSetting | Group | Item | Veto, ...]
    span: Span
