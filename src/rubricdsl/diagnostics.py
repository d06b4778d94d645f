"""Diagnostics: structured, located messages about a rubric, rendered as text or JSON.

Every stage collects diagnostics instead of raising at the first problem, so an
author sees all of a file's mistakes at once.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable
from fractions import Fraction

from attrs import frozen

from .source import Source, Span, display_width


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


# Stable codes. Documented in docs/diagnostics.rst; never reuse a retired code.
CODES: dict[str, str] = {
    "E001": "unexpected character",
    "E002": "unexpected token",
    "E003": "unexpected end of file",
    "E004": "unterminated string",
    "E005": "file cannot be read",
    "E006": "number too long",
    "E007": "rubric nested too deeply",
    "E101": "duplicate id",
    "E102": "duplicate name inside an item",
    "E103": "unknown name",
    "E104": "unknown function or wrong number of arguments",
    "E105": "missing or repeated setting",
    "E106": "value out of range for its setting",
    "E107": "item has more than one scoring rule",
    "E108": "empty or malformed interval",
    "E109": "outcome out of the item's points",
    "E110": "linear range over an unbounded band",
    "E111": "unknown grade",
    "E112": "malformed grade scale",
    "E113": "veto without a grade rule",
    "E114": "name used before it is defined",
    "E115": "setting not allowed here",
    "E116": "item without a scoring rule",
    "E117": "rubric without items",
    "E201": "a value no band takes (gap)",
    "E202": "a value two bands take (overlap)",
    "E203": "a worse value scores more than a better one",
    "E204": "a total no grade takes",
    "W101": "declared points differ from what the children add up to",
    "W102": "declared bonus differs from what the children allow",
    "W103": "a deduction or cap larger than its item",
    "W104": "a grade no total reaches",
    "W105": "an input or measure nothing uses",
    "W106": "vetoes forcing different grades",
    "W107": "a measure that may divide by zero",
    "W201": "a band no value reaches",
}


@frozen
class Diagnostic:
    """One finding about a rubric: a stable code, a message, where, and a fix if known.

    >>> Diagnostic("E103", Severity.ERROR, "unknown name 'x'", Span(2, 3, 2, 4)).code
    'E103'
    """

    code: str
    severity: Severity
    message: str
    span: Span | None
    help: str | None = None
    witnesses: tuple[Fraction, ...] = ()  # the values that show the problem, for a program to try

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def render(self, source: Source) -> str:
        """Render as ``path:line:col: severity[CODE]: message``, the line, a caret and help.

        >>> d = Diagnostic("E103", Severity.ERROR, "unknown name 'x'", Span(1, 5, 1, 6))
        >>> print(d.render(Source("a.rub", "foo x bar")))
        a.rub:1:5: error[E103]: unknown name 'x'
          1 | foo x bar
            |     ^
        """
        where = f"{source.path}:{self.span.start}" if self.span else source.path
        lines = [f"{where}: {self.severity.value}[{self.code}]: {self.message}"]
        if self.span is not None:
            lines.extend(_excerpt(source, self.span))
        if self.help:
            lines.append(f"help: {self.help}")
        return "\n".join(lines)

    def to_record(self, path: str) -> dict[str, object]:
        """The diagnostic as a JSON-ready record.

        >>> Diagnostic("E003", Severity.ERROR, "end", None).to_record("a.rub")["line"] is None
        True
        """
        span = self.span
        return {
            "path": path,
            "line": span.line if span else None,
            "column": span.column if span else None,
            "end_line": span.end_line if span else None,
            "end_column": span.end_column if span else None,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "help": self.help,
            "witnesses": [str(w) for w in self.witnesses],
        }


def _excerpt(source: Source, span: Span) -> list[str]:
    line = source.line_text(span.line)
    number = str(span.line)
    end = span.end_column if span.end_line == span.line and span.end_column > span.column else len(line) + 1
    # Columns count characters; the caret must count what a terminal shows (tabs, wide characters).
    before = line[: span.column - 1].expandtabs(4)
    through = line[: end - 1].expandtabs(4)
    width = display_width(through) - display_width(before)
    return [
        f"  {number} | {line.expandtabs(4)}".rstrip(),
        f"  {' ' * len(number)} | {' ' * display_width(before)}{'^' * max(1, width)}",
    ]


def error(
    code: str, message: str, span: Span | None, help: str | None = None, witnesses: tuple[Fraction, ...] = ()
) -> Diagnostic:
    """Make an error diagnostic.

    >>> error("E101", "duplicate id 'a'", None).severity
    <Severity.ERROR: 'error'>
    """
    return Diagnostic(code, Severity.ERROR, message, span, help, witnesses)


def warning(code: str, message: str, span: Span | None, help: str | None = None) -> Diagnostic:
    """Make a warning diagnostic.

    >>> warning("W101", "points do not add up", None).is_error
    False
    """
    return Diagnostic(code, Severity.WARNING, message, span, help)


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """A hint naming the closest known name, if one is close enough.

    >>> did_you_mean("shortfal", ["shortfall", "completion"])
    "did you mean 'shortfall'?"
    """
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


class RubricError(Exception):
    """A rubric that cannot be compiled, with every diagnostic found in it."""

    def __init__(self, source: Source, diagnostics: list[Diagnostic]) -> None:
        self.source = source
        self.diagnostics = diagnostics
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(d.render(self.source) for d in self.diagnostics)
