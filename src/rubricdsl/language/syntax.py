"""The syntax tree: what the author wrote, losslessly.

Every node has a ``span`` and its ``gaps``: the text between its children (keywords,
punctuation, spaces and comments), so printing a tree gives back its source byte for
byte (``printer.py``). Leaves keep their raw spelling: ``10.0`` stays ``10.0`` and a
text keeps its quotes and escapes. Spans and gaps take no part in equality: two
trees are equal when they say the same thing in the same words.

Nodes judge nothing: ``compile.py`` turns a tree into the model, and ``analysis/``
judges the model. Outcomes, deductions, bonuses and scoring rules are all one node,
``Clause``, named by its grammar rule, so a new kind needs no new node.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from attrs import field, fields, frozen

from ..source import Span

NOWHERE = Span(0, 0, 0, 0)  # the span of a node made by a program rather than read from a file


@frozen
class Node:
    """A node of the syntax tree: where it was written, and the text around its children."""

    span: Span = field(default=NOWHERE, eq=False, kw_only=True, repr=False)
    gaps: tuple[str, ...] = field(default=(), eq=False, kw_only=True, repr=False)

    def children(self) -> Iterator[Node]:
        """The nodes directly below this one, in source order."""
        for attribute in fields(type(self)):
            if attribute.name in ("span", "gaps"):
                continue
            value = getattr(self, attribute.name)
            if isinstance(value, Node):
                yield value
            elif isinstance(value, tuple):
                yield from (v for v in value if isinstance(v, Node))

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, in source order.

        >>> tree = Logical("and", Identifier("a"), Identifier("b"))
        >>> [type(n).__name__ for n in tree.walk()]
        ['Logical', 'Identifier', 'Identifier']
        """
        yield self
        for child in self.children():
            yield from child.walk()


# Leaves: a word of the source, printed as it was written --------------------------------


@frozen
class Leaf(Node):
    """A node printed as one piece of source text."""

    @property
    def written(self) -> str:
        raise NotImplementedError


@frozen
class Number(Leaf):
    """A number as written (``-5``, ``89.10``) and its exact value."""

    value: Fraction
    text: str

    @property
    def written(self) -> str:
        return self.text


@frozen
class Text(Leaf):
    """A text: its value, and ``raw`` as written, quotes, escapes and all."""

    value: str
    raw: str

    @property
    def written(self) -> str:
        return self.raw


@frozen
class Identifier(Leaf):
    """A name: an id, an input or measure, a grade, a function, or one read in an expression."""

    name: str

    @property
    def written(self) -> str:
        return self.name


# Expressions and conditions -----------------------------------------------------------------


@frozen
class Binary(Node):
    op: str  # one of + - * /
    left: Expr
    right: Expr


@frozen
class Negation(Node):
    operand: Expr


@frozen
class Call(Node):
    function: Identifier
    args: tuple[Expr, ...]


Expr = Number | Identifier | Binary | Negation | Call


@frozen
class Comparison(Node):
    op: str  # one of = != < <= > >=
    left: Expr
    right: Expr


@frozen
class Logical(Node):
    op: str  # and | or
    left: Condition
    right: Condition


@frozen
class Not(Node):
    operand: Condition


@frozen
class Truth(Node):
    """A yes/no name alone as a condition: ``applies when not no_trainees``."""

    name: Identifier


Condition = Comparison | Logical | Not | Truth


# Statements ---------------------------------------------------------------------------------


@frozen
class Interval(Node):
    """``(a..b]``, ``[a..)``: an absent edge is unbounded on that side."""

    lower: Number | None
    upper: Number | None
    lower_closed: bool
    upper_closed: bool


@frozen
class Clause(Node):
    """An outcome, a deduction or bonus, or a scoring rule, named by its grammar ``rule``.

    ``parts`` are its numbers, names, expressions, conditions and nested clauses in the
    order the grammar gives them, with None for an optional part left out.
    """

    rule: str
    parts: tuple[Node | None, ...]


@frozen
class Band(Node):
    interval: Interval
    outcome: Clause


@frozen
class CategoryBands(Node):
    """``三级 { bands… }``: the bands for one category of the fact a table is written ``by``."""

    category: Identifier
    bands: tuple[Band, ...]


@frozen
class BandTable(Node):
    """``bands M, lower is worse { … }``, or ``… by FACT { CATEGORY { … } … }`` with edges per category."""

    measure: Identifier
    worse: str  # higher | lower | farther
    bands: tuple[Band, ...]
    by: Identifier | None = None
    categories: tuple[CategoryBands, ...] = ()


@frozen
class Level(Node):
    """``较好 score 8``: a level an assessor chooses by name, and what it scores."""

    label: Identifier | Text
    outcome: Clause


@frozen
class Levels(Node):
    levels: tuple[Level, ...]


@frozen
class Case(Node):
    """``score 8 when COND``, or ``zero otherwise`` (``condition`` None): one row of a decision table."""

    outcome: Clause
    condition: Condition | None


@frozen
class Cases(Node):
    cases: tuple[Case, ...]


@frozen
class Input(Node):
    name: Identifier
    kind: str | None  # percent | count | flag | number
    domain: Interval | None
    source: str | None  # values | targets


@frozen
class Measure(Node):
    name: Identifier
    expr: Expr
    within: Interval | None


@frozen
class Applies(Node):
    """``applies when COND [else OUTCOME]``."""

    condition: Condition
    otherwise: Clause | None


@frozen
class When(Node):
    """``when COND`` on a grade or a veto."""

    condition: Condition


@frozen
class Fact(Node):
    """``fact NAME ["…"] KIND [DOMAIN]`` or ``fact NAME ["…"] category { A B }``."""

    name: Identifier
    title: Text | None
    kind: str | None  # percent | count | flag | number; None for a category
    domain: Interval | None
    categories: tuple[Identifier, ...]


@frozen
class TagDeclaration(Node):
    """``tag NAME ["…"]``: a tag items may carry (``tag NAME`` after an item's title)."""

    name: Identifier
    title: Text | None


@frozen
class Setting(Node):
    """A keyword and its value: ``year 2013``, ``points 10``, ``no "四"``, ``standard "…"``, ``note "…"``.

    Where a text goes, the name of a ``text`` written once may stand instead (an ``Identifier``).
    """

    keyword: str
    value: Value


Value = Number | Text | Identifier  # what a setting holds: a number, a text, or a text's name


@frozen
class TextList(Node):
    """``departments "…" "…"``, ``criteria { … }`` or ``circumstances { … }``: texts, or names of texts."""

    keyword: str
    entries: tuple[Text | Identifier, ...]


@frozen
class Wording(Node):
    """``text NAME "…"``: a text written once, used by its name."""

    name: Identifier
    text: Text


@frozen
class Rounding(Node):
    places: Number
    mode: str | None  # half_up | half_even | down


@frozen
class Meta(Node):
    key: Identifier
    value: Text


@frozen
class Grade(Node):
    name: Identifier
    threshold: Number | None
    label: Text | None
    condition: When | None = None


@frozen
class Grades(Node):
    grades: tuple[Grade, ...]


@frozen
class GradeRule(Node):
    """``grade D`` (forces D) or ``grade at most B`` (caps the grade at B) inside a veto."""

    caps: bool
    grade: Identifier


@frozen
class PartCap(Node):
    """``score PART at most N`` inside a veto: the part or group scores at most N."""

    part: Identifier
    limit: Number


ItemStatement = Setting | TextList | Input | Measure | BandTable | Levels | Cases | Clause | Applies


@frozen
class Item(Node):
    id: Identifier
    title: Text
    attributes: tuple[Setting, ...]  # points, bonus, no, tag
    body: tuple[ItemStatement, ...]


@frozen
class Group(Node):
    kind: str  # part | group
    id: Identifier | None
    title: Text
    attributes: tuple[Setting, ...]
    body: tuple[Group | Item | Setting | TextList | Applies, ...]


@frozen
class Veto(Node):
    id: Identifier
    title: Text
    attributes: tuple[Setting, ...]
    body: tuple[GradeRule | PartCap | When | Setting | TextList, ...]


RubricStatement = Setting | Rounding | Grades | Meta | Wording | Fact | TagDeclaration | Group | Item | Veto


@frozen
class Rubric(Node):
    """The whole file: its gaps hold what comes before ``rubric`` and after its last ``}``."""

    title: Text
    body: tuple[RubricStatement, ...]
