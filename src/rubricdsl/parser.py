"""Parse rubric text into ``nodes``; turn Lark's syntax errors into diagnostics.

This is the only module that imports Lark.
"""

from __future__ import annotations

import textwrap
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

from attrs import frozen
from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from . import nodes
from .diagnostics import Diagnostic, did_you_mean, error
from .source import Source, Span


@cache
def _lark(lexer: str = "contextual") -> Lark:
    grammar = resources.files(__package__).joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer=lexer, propagate_positions=True, maybe_placeholders=False)


MAX_SYNTAX_ERRORS = 20
TOO_DEEP = error("E007", "the rubric is nested too deeply to read", None)
MAX_NUMBER_DIGITS = 30


def parse(source: Source) -> tuple[nodes.Rubric | None, list[Diagnostic]]:
    """Parse a rubric's text into its syntax tree, or the syntax errors found in it.

    After a syntax error the parser skips ahead and goes on, so one run reports the
    mistakes of the whole file (one per line); the tree is then not built.

    >>> tree, problems = parse(Source("a.rub", 'rubric "考核" { total 100 }'))
    >>> tree.title.value, problems
    ('考核', [])
    """
    found: list[Diagnostic] = []

    def recover(exc: UnexpectedInput) -> bool:
        # Skipping a bad token leaves the parser out of step until the next line, and the blocks
        # it then misreads end in a '}' it does not expect: report neither.
        cascade = found and (found[-1].span.line == exc.line or _closes_block(exc))
        if not cascade:
            found.append(_syntax_diagnostic(exc, source))
        return len(found) < MAX_SYNTAX_ERRORS

    try:
        tree = _lark().parse(source.text, on_error=recover)
    except UnexpectedInput as exc:
        if not found:
            found.append(_syntax_diagnostic(exc, source))
    if found:
        return None, found
    try:
        return _Builder().transform(tree), []
    except VisitError as exc:
        if isinstance(exc.orig_exc, _NumberTooLong):
            return None, [exc.orig_exc.diagnostic]
        if isinstance(exc.orig_exc, RecursionError):
            return None, [TOO_DEEP]
        raise
    except RecursionError:
        return None, [TOO_DEEP]


def _closes_block(exc: UnexpectedInput) -> bool:
    return isinstance(exc, UnexpectedToken) and (exc.token == "}" or exc.token.type.startswith("$"))


# Error messages ------------------------------------------------------------------------

_TERMINAL_NAMES = {
    "NAME": "a name",
    "DECIMAL": "a number",
    "MINUS": "'-'",
    "STRING": 'a "text"',
    "TEXT_BLOCK": 'a """text"""',
    "LOWER_EDGE": "'[' or '('",
    "UPPER_EDGE": "']' or ')'",
    "DOTS": "'..'",
}

# Characters typed outside a text, often by a Chinese input method, and what to write instead.
_LOOKALIKES = {
    "“": "write '\"' to start or end a text",
    "”": "write '\"' to start or end a text",
    "（": "write '('",
    "）": "write ')'",
    "【": "write '['",
    "】": "write ']'",
    "［": "write '['",
    "］": "write ']'",
    "，": "write ','",
    "．": "write '.'",
    "－": "write '-'",
    "—": "a range of deductions is written 'deduct 6..9'",
    "～": "a range of deductions is written 'deduct 6..9'",
    "≥": "write '>='",
    "；": "statements need no ';'; just remove it",
    ";": "statements need no ';'; just remove it",
    "：": "the language has no ':'; write a space",
    ":": "the language has no ':'; write a space",
}


def _describe(terminal: str) -> str:
    if terminal in _TERMINAL_NAMES:
        return _TERMINAL_NAMES[terminal]
    return f"'{_lark().get_terminal(terminal).pattern.value}'"


def _grammar_terminals(names: set[str]) -> set[str]:
    """Drop Lark's end-of-input markers, which name no character the author could type."""
    return {n for n in names if not n.startswith(("$", "<"))}


def _expected(names: set[str]) -> str:
    names = _grammar_terminals(names)
    if "DECIMAL" in names:
        names = names - {"MINUS"}  # "a number" covers the sign
    described = sorted({_describe(n) for n in names})
    if "'}'" in described:  # the likeliest fix goes first
        described.insert(0, described.pop(described.index("'}'")))
    if len(described) > 8:
        described = [*described[:8], "…"]
    return "expected " + (", ".join(described) if described else "the end of the file")


def _keywords(names: set[str]) -> list[str]:
    values = (_lark().get_terminal(n).pattern.value for n in _grammar_terminals(names) - set(_TERMINAL_NAMES))
    return [v for v in values if v.isidentifier()]


def _syntax_diagnostic(exc: UnexpectedInput, source: Source) -> Diagnostic:
    if isinstance(exc, UnexpectedCharacters):
        span = Span(exc.line, exc.column, exc.line, exc.column + 1)
        char = source.text[exc.pos_in_stream]
        if source.text[exc.pos_in_stream - 2 : exc.pos_in_stream + 1] == '"""':  # lexed as "" then "
            span = Span(exc.line, exc.column - 2, exc.line, exc.column + 1)
            return error("E004", "unterminated text block", span, help='close it with """')
        if char == '"':
            return error(
                "E004",
                "unterminated string",
                span,
                help='a "text" ends on its own line and knows the escapes \\" \\\\ \\n \\t; '
                'use """text""" for text over several lines',
            )
        if char in _LOOKALIKES:
            return error(
                "E001", f"unexpected character {char!r}", span, help=f"outside a text, {_LOOKALIKES[char]}"
            )
        return error("E001", f"unexpected character {char!r}", span, help=_expected(set(exc.allowed or ())))
    if isinstance(exc, UnexpectedToken) and not exc.token.type.startswith("$"):
        token = exc.token
        span = Span(token.line, token.column, token.end_line, token.end_column)
        expected = set(exc.expected)
        hint = did_you_mean(str(token), _keywords(expected)) if token.type == "NAME" else None
        return error("E002", f"unexpected {_token_text(token)}", span, help=hint or _expected(expected))
    lines = source.text.rstrip().split("\n")  # just after the last thing written
    end = Span(len(lines), len(lines[-1]) + 1, len(lines), len(lines[-1]) + 2)
    unclosed = _unclosed_brace(source.text)
    if unclosed is not None:
        return error(
            "E003",
            f"unexpected end of file: the '{{' on line {unclosed.line} is never closed",
            end,
            help="add '}' where that block ends",
        )
    expected = set(exc.expected) if isinstance(exc, (UnexpectedToken, UnexpectedEOF)) else set()
    return error("E003", "unexpected end of file", end, help=_expected(expected))


def _unclosed_brace(text: str) -> Span | None:
    """The innermost '{' left open at the end of ``text``."""
    opened: list[Span] = []
    try:
        for token in _lark("basic").lex(text):
            if token == "{":
                opened.append(_token_span(token))
            elif token == "}" and opened:
                opened.pop()
    except UnexpectedInput:
        return None
    return opened[-1] if opened else None


def _token_text(token: Token) -> str:
    if token.type in ("STRING", "TEXT_BLOCK"):
        return "text"
    if token.type == "DECIMAL":
        return f"number {token}"
    return f"{token.value!r}"


# Tree to nodes ------------------------------------------------------------------------


def _span(meta: Any) -> Span:
    return Span(meta.line, meta.column, meta.end_line, meta.end_column)


def _token_span(token: Token) -> Span:
    return Span(token.line, token.column, token.end_line, token.end_column)


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


class _NumberTooLong(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


def _exact(written: str, span: Span) -> Fraction:
    if len(written.replace("-", "").replace(".", "")) > MAX_NUMBER_DIGITS:
        message = f"a number of more than {MAX_NUMBER_DIGITS} digits"
        raise _NumberTooLong(error("E006", message, span, help="no rubric needs one; check the number"))
    return Fraction(written)


def _identifier(token: Token) -> nodes.Identifier:
    return nodes.Identifier(str(token), _token_span(token))


@frozen
class _Per:
    expr: nodes.Expr


@frozen
class _When:
    condition: nodes.Condition


class _InputKind(str):
    """Marks ``percent``/``count``/``number`` among an input's optional parts."""


@frozen
class _InputSource:
    source: str


@v_args(meta=True)
class _Builder(Transformer):
    """Build nodes from the parse tree; no judgement here."""

    def start(self, meta: Any, children: list) -> nodes.Rubric:
        return children[0]

    def rubric(self, meta: Any, children: list) -> nodes.Rubric:
        return nodes.Rubric(children[0], tuple(children[1:]), _span(meta))

    def text(self, meta: Any, children: list) -> nodes.Text:
        (token,) = children
        if token.type == "TEXT_BLOCK":
            body = textwrap.dedent(token[3:-3].removeprefix("\n")).strip("\n")
        else:
            body = token[1:-1]
        return nodes.Text(_unescape(body), _span(meta))

    def number(self, meta: Any, children: list) -> nodes.Number:
        written = "".join(children)
        return nodes.Number(_exact(written, _span(meta)), written, _span(meta))

    def _number_setting(self, keyword: str, meta: Any, children: list) -> nodes.NumberSetting:
        return nodes.NumberSetting(keyword, children[0], _span(meta))

    def year(self, meta: Any, children: list) -> nodes.NumberSetting:
        return self._number_setting("year", meta, children)

    def total(self, meta: Any, children: list) -> nodes.NumberSetting:
        return self._number_setting("total", meta, children)

    def points(self, meta: Any, children: list) -> nodes.NumberSetting:
        return self._number_setting("points", meta, children)

    def bonus(self, meta: Any, children: list) -> nodes.NumberSetting:
        return self._number_setting("bonus", meta, children)

    def rounding(self, meta: Any, children: list) -> nodes.Rounding:
        mode = children[1] if len(children) > 1 else None
        return nodes.Rounding(children[0], mode, _span(meta))

    def _keyword(self, meta: Any, children: list) -> str:
        return str(children[0])

    round_mode = group_kind = input_source = direction = range_mode = _keyword

    def meta(self, meta: Any, children: list) -> nodes.Meta:
        return nodes.Meta(_identifier(children[0]), children[1], _span(meta))

    def _text_setting(self, keyword: str, meta: Any, children: list) -> nodes.TextSetting:
        return nodes.TextSetting(keyword, children[0], _span(meta))

    def note(self, meta: Any, children: list) -> nodes.TextSetting:
        return self._text_setting("note", meta, children)

    def standard(self, meta: Any, children: list) -> nodes.TextSetting:
        return self._text_setting("standard", meta, children)

    def definition(self, meta: Any, children: list) -> nodes.TextSetting:
        return self._text_setting("definition", meta, children)

    def method(self, meta: Any, children: list) -> nodes.TextSetting:
        return self._text_setting("method", meta, children)

    def evidence(self, meta: Any, children: list) -> nodes.TextSetting:
        return self._text_setting("evidence", meta, children)

    def departments(self, meta: Any, children: list) -> nodes.Departments:
        return nodes.Departments(tuple(children), _span(meta))

    def criteria(self, meta: Any, children: list) -> nodes.TextList:
        return nodes.TextList("criteria", tuple(children), _span(meta))

    def circumstances(self, meta: Any, children: list) -> nodes.TextList:
        return nodes.TextList("circumstances", tuple(children), _span(meta))

    def grades(self, meta: Any, children: list) -> nodes.Grades:
        return nodes.Grades(tuple(children), _span(meta))

    def grade(self, meta: Any, children: list) -> nodes.Grade:
        name, rest = _identifier(children[0]), children[1:]
        threshold = next((c for c in rest if isinstance(c, nodes.Number)), None)
        label = next((c for c in rest if isinstance(c, nodes.Text)), None)
        return nodes.Grade(name, threshold, label, _span(meta))

    def threshold(self, meta: Any, children: list) -> nodes.Number:
        return children[0]

    def number_label(self, meta: Any, children: list) -> nodes.Label:
        return nodes.Label(children[0], _span(meta))

    def group(self, meta: Any, children: list) -> nodes.Group:
        kind, *rest = children
        group_id = _identifier(rest.pop(0)) if isinstance(rest[0], Token) else None
        title = rest.pop(0)
        attributes, body = _split_attributes(rest)
        return nodes.Group(kind, group_id, title, attributes, body, _span(meta))

    def item(self, meta: Any, children: list) -> nodes.Item:
        attributes, body = _split_attributes(children[2:])
        return nodes.Item(_identifier(children[0]), children[1], attributes, body, _span(meta))

    def veto(self, meta: Any, children: list) -> nodes.Veto:
        attributes, body = _split_attributes(children[2:])
        return nodes.Veto(_identifier(children[0]), children[1], attributes, body, _span(meta))

    def forces_grade(self, meta: Any, children: list) -> nodes.GradeRule:
        return nodes.GradeRule(False, _identifier(children[0]), _span(meta))

    def caps_grade(self, meta: Any, children: list) -> nodes.GradeRule:
        return nodes.GradeRule(True, _identifier(children[0]), _span(meta))

    def input(self, meta: Any, children: list) -> nodes.Input:
        name, *rest = children
        kind = next((c for c in rest if isinstance(c, _InputKind)), None)
        domain = next((c for c in rest if isinstance(c, nodes.Interval)), None)
        source = next((c.source for c in rest if isinstance(c, _InputSource)), "values")
        return nodes.Input(_identifier(name), kind, domain, source, _span(meta))

    def input_kind(self, meta: Any, children: list) -> str:
        return _InputKind(children[0])

    def source(self, meta: Any, children: list) -> _InputSource:
        return _InputSource(children[0])

    def measure(self, meta: Any, children: list) -> nodes.Measure:
        name, expr, *within = children
        return nodes.Measure(_identifier(name), expr, within[0] if within else None, _span(meta))

    def within(self, meta: Any, children: list) -> nodes.Interval:
        return children[0]

    def judged(self, meta: Any, children: list) -> nodes.Judged:
        return nodes.Judged(_span(meta))

    def _adjustment(self, kind: str, meta: Any, children: list) -> nodes.Adjustment:
        amount, basis, *limit = children
        per = basis.expr if isinstance(basis, _Per) else None
        when = basis.condition if isinstance(basis, _When) else None
        return nodes.Adjustment(kind, amount, per, when, limit[0] if limit else None, _span(meta))

    def deduction(self, meta: Any, children: list) -> nodes.Adjustment:
        return self._adjustment("deduct", meta, children)

    def bonus_rule(self, meta: Any, children: list) -> nodes.Adjustment:
        return self._adjustment("bonus", meta, children)

    def per(self, meta: Any, children: list) -> _Per:
        return _Per(children[0])

    def when(self, meta: Any, children: list) -> _When:
        return _When(children[0])

    def limit(self, meta: Any, children: list) -> nodes.Number:
        return children[0]

    def _assessed(self, kind: str, meta: Any, children: list) -> nodes.AssessedAdjustment:
        name, *limit = children
        return nodes.AssessedAdjustment(kind, _identifier(name), limit[0] if limit else None, _span(meta))

    def assessed_deduction(self, meta: Any, children: list) -> nodes.AssessedAdjustment:
        return self._assessed("deduct", meta, children)

    def assessed_bonus(self, meta: Any, children: list) -> nodes.AssessedAdjustment:
        return self._assessed("bonus", meta, children)

    def applies(self, meta: Any, children: list) -> nodes.Applies:
        condition, *otherwise = children
        return nodes.Applies(condition, otherwise[0] if otherwise else None, _span(meta))

    def otherwise(self, meta: Any, children: list) -> nodes.Outcome:
        return children[0]

    def comparison(self, meta: Any, children: list) -> nodes.Comparison:
        left, op, right = children
        return nodes.Comparison(op, left, right, _span(meta))

    def comparator(self, meta: Any, children: list) -> str:
        return str(children[0])

    def either(self, meta: Any, children: list) -> nodes.Logical:
        return nodes.Logical("or", children[0], children[1], _span(meta))

    def both(self, meta: Any, children: list) -> nodes.Logical:
        return nodes.Logical("and", children[0], children[1], _span(meta))

    def inverse(self, meta: Any, children: list) -> nodes.Inverse:
        return nodes.Inverse(children[0], _span(meta))

    def bands(self, meta: Any, children: list) -> nodes.BandTable:
        measure, direction, *bands = children
        return nodes.BandTable(_identifier(measure), str(direction), tuple(bands), _span(meta))

    def band(self, meta: Any, children: list) -> nodes.Band:
        return nodes.Band(children[0], children[1], _span(meta))

    def interval(self, meta: Any, children: list) -> nodes.Interval:
        opening, *inside, closing = children
        dots = next(i for i, c in enumerate(inside) if isinstance(c, Token))
        lower = inside[0] if dots == 1 else None
        upper = inside[dots + 1] if dots + 1 < len(inside) else None
        return nodes.Interval(lower, upper, opening == "[", closing == "]", _span(meta))

    def full(self, meta: Any, children: list) -> nodes.Outcome:
        return nodes.Outcome("full", None, None, None, _span(meta))

    def zero(self, meta: Any, children: list) -> nodes.Outcome:
        return nodes.Outcome("zero", None, None, None, _span(meta))

    def deduct(self, meta: Any, children: list) -> nodes.Outcome:
        return nodes.Outcome("deduct", children[0], None, None, _span(meta))

    def fixed_score(self, meta: Any, children: list) -> nodes.Outcome:
        return nodes.Outcome("score", children[0], None, None, _span(meta))

    def deduct_range(self, meta: Any, children: list) -> nodes.Outcome:
        low, _dots, high, mode = children
        return nodes.Outcome("range", low, high, mode, _span(meta))

    # Expressions

    def constant(self, meta: Any, children: list) -> nodes.Constant:
        (token,) = children
        return nodes.Constant(_exact(str(token), _span(meta)), str(token), _span(meta))

    def name(self, meta: Any, children: list) -> nodes.NameRef:
        (token,) = children
        return nodes.NameRef(str(token), _token_span(token))

    def call(self, meta: Any, children: list) -> nodes.Call:
        function, *args = children
        return nodes.Call(_identifier(function), tuple(args), _span(meta))

    def _binary(self, op: str, meta: Any, children: list) -> nodes.BinaryOp:
        left, right = children
        return nodes.BinaryOp(op, left, right, _span(meta))

    def add(self, meta: Any, children: list) -> nodes.BinaryOp:
        return self._binary("+", meta, children)

    def subtract(self, meta: Any, children: list) -> nodes.BinaryOp:
        return self._binary("-", meta, children)

    def multiply(self, meta: Any, children: list) -> nodes.BinaryOp:
        return self._binary("*", meta, children)

    def divide(self, meta: Any, children: list) -> nodes.BinaryOp:
        return self._binary("/", meta, children)

    def negate(self, meta: Any, children: list) -> nodes.Negate:
        return nodes.Negate(children[0], _span(meta))


def _split_attributes(children: list) -> tuple[tuple, tuple]:
    attributes = tuple(c for c in children if isinstance(c, (nodes.Label, nodes.NumberSetting)))
    body = tuple(c for c in children if not isinstance(c, (nodes.Label, nodes.NumberSetting)))
    return attributes, body
