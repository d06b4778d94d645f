"""Parse rubric text into its syntax tree; turn Lark's syntax errors into problems.

Lark is imported only in this package (here and in build.py).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from ..problems import Problem, did_you_mean, error
from ..source import Source, Span
from . import syntax
from .build import Builder, NumberTooLong, token_span


@cache
def _lark(lexer: str = "contextual") -> Lark:
    grammar = resources.files(__package__).joinpath("grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer=lexer, propagate_positions=True, maybe_placeholders=True)


MAX_SYNTAX_ERRORS = 20
TOO_DEEP = error("E007", "the rubric is nested too deeply to read", None)


def parse(source: Source) -> tuple[syntax.Rubric | None, list[Problem]]:
    """Parse a rubric's text into its syntax tree, or the syntax errors found in it.

    After a syntax error the parser skips ahead and goes on, so one run reports the
    mistakes of the whole file (one per line); the tree is then not built.

    >>> tree, problems = parse(Source("a.rub", 'rubric "考核" { total 100 }'))
    >>> tree.title.value, problems
    ('考核', [])
    """
    found: list[Problem] = []
    stuck: list[tuple[int, ...]] = []  # the parser's state at the last error

    def recover(exc: UnexpectedInput) -> bool:
        # Skipping a bad token leaves the parser out of step until the next line, and the blocks
        # it then misreads end in a '}' it does not expect: report neither. Nor an error met in
        # the very state of the last one: nothing was accepted since, so it is the same mistake.
        last = found[-1].span if found else None
        state = _state(exc)
        cascade = last is not None and (last.line == exc.line or _closes_block(exc) or stuck[-1:] == [state])
        if not cascade:
            found.append(_syntax_problem(exc, source))
        stuck[:] = [state]
        return len(found) < MAX_SYNTAX_ERRORS

    try:
        tree = _lark().parse(source.text, on_error=recover)
    except UnexpectedInput as exc:
        if not found:
            found.append(_syntax_problem(exc, source))
    if found:
        return None, found
    try:
        return Builder(source.text).transform(tree), []
    except VisitError as exc:
        if isinstance(exc.orig_exc, NumberTooLong):
            return None, [exc.orig_exc.problem]
        if isinstance(exc.orig_exc, RecursionError):
            return None, [TOO_DEEP]
        raise
    except RecursionError:
        return None, [TOO_DEEP]


def _state(exc: UnexpectedInput) -> tuple[int, ...]:
    """Where the parser stood when it met the error: its stack of states."""
    interactive = getattr(exc, "interactive_parser", None)
    return tuple(interactive.parser_state.state_stack) if interactive is not None else ()


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


def _syntax_problem(exc: UnexpectedInput, source: Source) -> Problem:
    if isinstance(exc, UnexpectedCharacters):
        span = Span(exc.line, exc.column, exc.line, exc.column + 1)
        at = exc.pos_in_stream or 0
        char = source.text[at]
        if source.text[at - 2 : at + 1] == '"""':  # lexed as "" then "
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
        parenthesis = _parenthesis(exc, token, span)
        if parenthesis is not None:
            return parenthesis
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


def _parenthesis(exc: UnexpectedToken, token: Token, span: Span) -> Problem | None:
    """A ')' nothing opened, or a '(' never closed: say which, and where it was opened."""
    closing = "RPAR" in exc.expected
    if token == ")" and not closing:
        return error(
            "E002", "unexpected ')'", span, help="no '(' is open here: remove it, or add the '(' it closes"
        )
    if not closing or token == ")":
        return None
    stack = exc.interactive_parser.parser_state.value_stack if exc.interactive_parser else []
    opened = next((v for v in reversed(stack) if isinstance(v, Token) and v.type == "LPAR"), None)
    if opened is None:
        return None
    return error(
        "E002",
        f"unexpected {_token_text(token)}: the '(' on line {opened.line} is never closed",
        span,
        help=f"add the ')' that closes the '(' at line {opened.line}, column {opened.column}",
    )


def _unclosed_brace(text: str) -> Span | None:
    """The innermost '{' left open at the end of ``text``."""
    opened: list[Span] = []
    try:
        for token in _lark("basic").lex(text):
            if token == "{":
                opened.append(token_span(token))
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
