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


@cache
def keywords() -> frozenset[str]:
    """The words of the language (``item``, ``judged``, ``deduct``, …).

    >>> "judged" in keywords(), "shortfall" in keywords()
    (True, False)
    """
    return frozenset(
        str(t.pattern.value)
        for t in _lark().terminals
        if t.pattern.type == "str" and str(t.pattern.value).isidentifier()
    )


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
    since: list[tuple[object, ...]] = []  # the parser's states when it last recovered

    def recover(exc: UnexpectedInput) -> bool:
        # A bad token on the line of the last error, or a '}' the parser then misreads, is part
        # of the same mistake; so is a statement the parser, stuck since, can begin again at.
        last = found[-1].span if found else None
        block = _enclosing_block(exc) if _starts_line(exc, source) else 0
        stuck = since == [_states(exc)]
        cascade = last is not None and (last.line == exc.line or _closes_block(exc) or (stuck and block > 0))
        if not cascade:
            found.append(_syntax_problem(exc, source))
        if block > 0 and isinstance(exc, UnexpectedToken) and exc.interactive_parser is not None:
            _resume_in_block(exc, block)
        since[:] = [_states(exc)]
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


def _starts_line(exc: UnexpectedInput, source: Source) -> bool:
    """Whether the bad token is the first on its line: where a statement begins, if anywhere."""
    return not source.line_text(exc.line)[: exc.column - 1].strip()


def _states(exc: UnexpectedInput) -> tuple[object, ...]:
    interactive = getattr(exc, "interactive_parser", None)
    return tuple(interactive.parser_state.state_stack) if interactive is not None else ()


def _enclosing_block(exc: UnexpectedInput) -> int:
    """How deep in the parser's stack the innermost block lies (the nearest state that could
    close with '}'), if it could take the bad token as the start of its next statement; else 0.

    Only the innermost: a statement of another level (``year`` in a band table) is a mistake
    of its own, and leaving the block for it would misread every line after it.
    """
    interactive = getattr(exc, "interactive_parser", None)
    if interactive is None or not isinstance(exc, UnexpectedToken) or exc.token.type.startswith("$"):
        return 0
    state = interactive.parser_state
    table = state.parse_conf.states
    for depth in range(len(state.state_stack), 1, -1):
        actions = table[state.state_stack[depth - 1]]
        if "RBRACE" in actions:
            return depth if exc.token.type in actions and depth < len(state.state_stack) else 0
    return 0


def _resume_in_block(exc: UnexpectedToken, depth: int) -> None:
    """Give up the half-written statement and begin the next one at the bad token, which
    starts a line (``recover`` asks only then).

    A statement left half-written (``score 0.2 …`` where ``score =`` was meant) would
    otherwise hold the parser until its block ends, and every line after it would look wrong.
    """
    interactive = exc.interactive_parser
    state = interactive.parser_state
    del state.state_stack[depth:]
    del state.value_stack[depth - 1 :]
    interactive.feed_token(exc.token)


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
    stack = exc.interactive_parser.parser_state.value_stack if exc.interactive_parser else []
    opened: list[Token] = []  # the '(' the parser holds and no ')' has closed yet
    for value in stack:
        if isinstance(value, Token) and value.type == "LPAR":
            opened.append(value)
        elif isinstance(value, Token) and value.type == "RPAR" and opened:
            opened.pop()
    if token == ")":
        if opened:
            return None
        return error(
            "E002", "unexpected ')'", span, help="no '(' is open here: remove it, or add the '(' it closes"
        )
    if not opened or "RPAR" not in exc.expected:
        return None
    return error(
        "E002",
        f"unexpected {_token_text(token)}: the '(' on line {opened[-1].line} is never closed",
        span,
        help=f"add the ')' that closes the '(' at line {opened[-1].line}, column {opened[-1].column}",
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
