"""Build syntax nodes from Lark's parse tree, keeping every character of the source.

The builder only builds: it records each node's span and the text between its children
(its gaps), and judges nothing.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from fractions import Fraction
from typing import Any, TypeVar, cast

from lark import Token, Transformer, v_args

from ..problems import Problem, error
from ..source import Span
from . import syntax as s

MAX_NUMBER_DIGITS = 30

# Grammar rules that are a keyword and one number or text, and the keyword each is written with.
SETTINGS = {
    **{
        k: k
        for k in ("year", "total", "bonus", "points", "note", "evidence", "standard", "method", "definition")
    },
    "numbering": "no",
    "tagged": "tag",
}
# The settings that come before an item's, group's or veto's block.
ATTRIBUTE_KEYWORDS = ("points", "bonus", "no", "tag")
TEXT_LISTS = ("departments", "criteria", "circumstances")
OPERATORS = {"add": "+", "subtract": "-", "multiply": "*", "divide": "/"}

N = TypeVar("N", bound=s.Node)


class NumberTooLong(Exception):
    """A number no rubric needs; raised out of the builder to become one E006."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _exact(written: str, span: Span) -> Fraction:
    if len(written.replace("-", "").replace(".", "")) > MAX_NUMBER_DIGITS:
        message = f"a number of more than {MAX_NUMBER_DIGITS} digits"
        raise NumberTooLong(error("E006", message, span, help="no rubric needs one; check the number"))
    return Fraction(written)


def _unescape(body: str) -> str:
    escapes = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}
    out, i = [], 0
    while i < len(body):
        if body[i] == "\\":  # the grammar admits only the four escapes above
            out.append(escapes[body[i + 1]])
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def token_span(token: Token) -> Span:
    """Where the lexer found a token (it places every token it makes)."""
    places = (token.line, token.column, token.end_line, token.end_column, token.start_pos, token.end_pos)
    return Span(*cast(tuple[int, int, int, int, int, int], places))


def _nodes(values: tuple[Any, ...]) -> Iterator[s.Node]:
    for value in values:
        if isinstance(value, s.Node):
            yield value
        elif isinstance(value, tuple):
            yield from _nodes(value)


@v_args(meta=True)
class Builder(Transformer[Token, s.Rubric]):
    """Turn the parse tree of ``text`` into syntax nodes."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.source_text = text

    def _make(self, cls: type[N], meta: Any, *values: Any) -> N:
        span = Span(meta.line, meta.column, meta.end_line, meta.end_column, meta.start_pos, meta.end_pos)
        return self._spanning(cls, span, *values)

    def _spanning(self, cls: type[N], span: Span, *values: Any) -> N:
        """A node over ``span``; its gaps are the text around its children, which lie inside it in order."""
        gaps, at = [], span.offset
        for child in _nodes(values):
            assert at <= child.span.offset <= child.span.end_offset <= span.end_offset, (cls, child)
            gaps.append(self.source_text[at : child.span.offset])
            at = child.span.end_offset
        gaps.append(self.source_text[at : span.end_offset])
        return cls(*values, span=span, gaps=tuple(gaps))

    # Leaves

    def number(self, meta: Any, children: list[Token | None]) -> s.Number:
        span = Span(meta.line, meta.column, meta.end_line, meta.end_column, meta.start_pos, meta.end_pos)
        value = _exact("".join(str(c) for c in children if c is not None), span)
        return s.Number(value, self.source_text[meta.start_pos : meta.end_pos], span=span)

    def constant(self, meta: Any, children: list[Token]) -> s.Number:
        (token,) = children
        span = token_span(token)
        return s.Number(_exact(str(token), span), str(token), span=span)

    def text(self, meta: Any, children: list[Token]) -> s.Text:
        (token,) = children
        if token.type == "TEXT_BLOCK":
            body = textwrap.dedent(token[3:-3].removeprefix("\n")).strip("\n")
        else:
            body = token[1:-1]
        return s.Text(_unescape(body), str(token), span=token_span(token))

    def _identifier(self, token: Token | None) -> s.Identifier | None:
        return None if token is None else s.Identifier(str(token), span=token_span(token))

    def _named(self, child: Any) -> Any:
        """A text's name, where the grammar takes a text or the name of one, as an ``Identifier``."""
        return self._identifier(child) if isinstance(child, Token) else child

    def name(self, meta: Any, children: list[Token]) -> s.Identifier:
        identifier = self._identifier(children[0])
        assert identifier is not None
        return identifier

    def _word(self, meta: Any, children: list[Token]) -> str:
        return str(children[0])

    round_mode = group_kind = input_kind = input_source = direction = comparator = _word

    def _only(self, meta: Any, children: list[Any]) -> Any:
        return children[0]

    # Parts that only wrap one node: their keywords fall in the parent's gaps.
    threshold = limit = within = otherwise = source = _only

    def when(self, meta: Any, children: list[Any]) -> s.When:
        return self._make(s.When, meta, children[0])

    # Structure

    def start(self, meta: Any, children: list[s.Rubric]) -> s.Rubric:
        """The rubric, spanning the whole file: comments before it and lines after it are its gaps."""
        (rubric,) = children
        lines = self.source_text.split("\n")
        whole = Span(1, 1, len(lines), len(lines[-1]) + 1, 0, len(self.source_text))
        return self._spanning(s.Rubric, whole, rubric.title, rubric.body)

    def rubric(self, meta: Any, children: list[Any]) -> s.Rubric:
        return self._make(s.Rubric, meta, children[0], tuple(children[1:]))

    def rounding(self, meta: Any, children: list[Any]) -> s.Rounding:
        return self._make(s.Rounding, meta, children[0], children[1])

    def meta(self, meta: Any, children: list[Any]) -> s.Meta:
        return self._make(s.Meta, meta, self._identifier(children[0]), children[1])

    def wording(self, meta: Any, children: list[Any]) -> s.Wording:
        return self._make(s.Wording, meta, self._identifier(children[0]), children[1])

    def grades(self, meta: Any, children: list[Any]) -> s.Grades:
        return self._make(s.Grades, meta, tuple(children))

    def grade(self, meta: Any, children: list[Any]) -> s.Grade:
        name, threshold, label, condition = children
        return self._make(s.Grade, meta, self._identifier(name), threshold, label, condition)

    def fact(self, meta: Any, children: list[Any]) -> s.Fact:
        name, title, *kind = children
        if len(kind) == 1:  # category { … }
            return self._make(s.Fact, meta, self._identifier(name), title, None, None, kind[0])
        return self._make(s.Fact, meta, self._identifier(name), title, kind[0], kind[1], ())

    def categories(self, meta: Any, children: list[Token]) -> tuple[s.Identifier, ...]:
        return tuple(s.Identifier(str(t), span=token_span(t)) for t in children)

    def tag(self, meta: Any, children: list[Any]) -> s.TagDeclaration:
        return self._make(s.TagDeclaration, meta, self._identifier(children[0]), children[1])

    def group(self, meta: Any, children: list[Any]) -> s.Group:
        kind, name, title, *rest = children
        attributes, body = _split(rest)
        return self._make(s.Group, meta, kind, self._identifier(name), title, attributes, body)

    def item(self, meta: Any, children: list[Any]) -> s.Item:
        name, title, *rest = children
        attributes, body = _split(rest)
        return self._make(s.Item, meta, self._identifier(name), title, attributes, body)

    def veto(self, meta: Any, children: list[Any]) -> s.Veto:
        name, title, *rest = children
        attributes, body = _split(rest)
        return self._make(s.Veto, meta, self._identifier(name), title, attributes, body)

    def forces_grade(self, meta: Any, children: list[Token]) -> s.GradeRule:
        return self._make(s.GradeRule, meta, False, self._identifier(children[0]))

    def caps_grade(self, meta: Any, children: list[Token]) -> s.GradeRule:
        return self._make(s.GradeRule, meta, True, self._identifier(children[0]))

    def caps_part(self, meta: Any, children: list[Any]) -> s.PartCap:
        return self._make(s.PartCap, meta, self._identifier(children[0]), children[1])

    # Item contents

    def input(self, meta: Any, children: list[Any]) -> s.Input:
        name, kind, domain, source = children
        return self._make(s.Input, meta, self._identifier(name), kind, domain, source)

    def measure(self, meta: Any, children: list[Any]) -> s.Measure:
        name, expr, within = children
        return self._make(s.Measure, meta, self._identifier(name), expr, within)

    def applies(self, meta: Any, children: list[Any]) -> s.Applies:
        return self._make(s.Applies, meta, children[0], children[1])

    def bands(self, meta: Any, children: list[Any]) -> s.BandTable:
        measure, direction, *bands = children
        if bands and isinstance(bands[0], Token):  # by FACT { CATEGORY { … } … }
            by, *categories = bands
            return self._make(
                s.BandTable,
                meta,
                self._identifier(measure),
                direction,
                (),
                self._identifier(by),
                tuple(categories),
            )
        return self._make(s.BandTable, meta, self._identifier(measure), direction, tuple(bands))

    def category_bands(self, meta: Any, children: list[Any]) -> s.CategoryBands:
        category, *bands = children
        return self._make(s.CategoryBands, meta, self._identifier(category), tuple(bands))

    def levels(self, meta: Any, children: list[Any]) -> s.Levels:
        return self._make(s.Levels, meta, tuple(children))

    def level(self, meta: Any, children: list[Any]) -> s.Level:
        return self._make(s.Level, meta, self._named(children[0]), children[1])

    def cases(self, meta: Any, children: list[Any]) -> s.Cases:
        return self._make(s.Cases, meta, tuple(children))

    def case(self, meta: Any, children: list[Any]) -> s.Case:
        return self._make(s.Case, meta, children[0], children[1] if len(children) > 1 else None)

    def band(self, meta: Any, children: list[Any]) -> s.Band:
        return self._make(s.Band, meta, children[0], children[1])

    def interval(self, meta: Any, children: list[Any]) -> s.Interval:
        opening, lower, _dots, upper, closing = children
        return self._make(s.Interval, meta, lower, upper, opening == "[", closing == "]")

    def __default__(self, data: Any, children: list[Any], meta: Any) -> s.Node:
        """Settings, text lists and arithmetic by the tables above; every other rule is a clause:
        an outcome, a deduction or bonus, a scoring rule."""
        rule = str(data)
        if rule in SETTINGS:
            return self._make(s.Setting, meta, SETTINGS[rule], self._named(children[0]))
        if rule in TEXT_LISTS:
            return self._make(s.TextList, meta, rule, tuple(self._named(c) for c in children))
        if rule in OPERATORS:
            return self._make(s.Binary, meta, OPERATORS[rule], children[0], children[1])
        parts = tuple(
            (self._identifier(c) if c.type == "NAME" else _DROP) if isinstance(c, Token) else c
            for c in children
        )
        return self._make(s.Clause, meta, rule, tuple(p for p in parts if p is not _DROP))

    # Conditions and expressions

    def comparison(self, meta: Any, children: list[Any]) -> s.Comparison:
        left, op, right = children
        return self._make(s.Comparison, meta, op, left, right)

    def either(self, meta: Any, children: list[Any]) -> s.Logical:
        return self._make(s.Logical, meta, "or", children[0], children[1])

    def both(self, meta: Any, children: list[Any]) -> s.Logical:
        return self._make(s.Logical, meta, "and", children[0], children[1])

    def inverse(self, meta: Any, children: list[Any]) -> s.Not:
        return self._make(s.Not, meta, children[0])

    def truth(self, meta: Any, children: list[Token]) -> s.Truth:
        return self._make(s.Truth, meta, self._identifier(children[0]))

    def call(self, meta: Any, children: list[Any]) -> s.Call:
        function, *args = children
        return self._make(s.Call, meta, self._identifier(function), tuple(args))

    def negate(self, meta: Any, children: list[Any]) -> s.Negation:
        return self._make(s.Negation, meta, children[0])


_DROP = object()  # a fixed token inside a clause (its ".."): it stays in the clause's gaps


def _split(rest: list[Any]) -> tuple[tuple[s.Setting, ...], tuple[Any, ...]]:
    """The settings written before a block (points, bonus, no) and the statements inside it."""
    count = 0
    while count < len(rest) and _is_attribute(rest[count]):
        count += 1
    return tuple(rest[:count]), tuple(rest[count:])


def _is_attribute(statement: Any) -> bool:
    return isinstance(statement, s.Setting) and statement.keyword in ATTRIBUTE_KEYWORDS
