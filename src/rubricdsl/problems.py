"""Problems: one located, structured record for whatever is wrong with a rubric or a data file.

Every stage collects problems instead of raising at the first one, so an author or an
office sees all of a file's mistakes at once. A problem renders as text
(``path:line:col: error[CODE]: message``, the line, a caret, a hint) or as a JSON record
with the same fields whatever stage found it.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable, Sequence
from fractions import Fraction

from attrs import frozen

from .source import Source, Span, display_width, start


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


# Stable codes: E = error, W = warning. Documented in docs/diagnostics.rst; never reuse a retired code.
CODES: dict[str, str] = {
    # The rubric's text
    "E001": "unexpected character",
    "E002": "unexpected token",
    "E003": "unexpected end of file",
    "E004": "unterminated string",
    "E005": "file cannot be read",
    "E006": "number too long",
    "E007": "rubric nested too deeply",
    # The rubric's meaning
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
    "E118": "a name that is a word of the language",
    "E119": "a category used as a number",
    # What the rubric proves
    "E201": "a value no band takes (gap)",
    "E202": "a value two bands take (overlap)",
    "E203": "a worse value scores more than a better one",
    "E204": "a total no grade takes",
    "E205": "a formula that can score outside the item's points",
    "E206": "a case no row of a decision table takes",
    "W101": "declared points differ from what the children add up to",
    "W102": "declared bonus differs from what the children allow",
    "W103": "a deduction or cap larger than its item",
    "W104": "a grade no total reaches",
    "W105": "an input or measure nothing uses",
    "W106": "vetoes forcing different grades",
    "W107": "a measure that may divide by zero",
    "W108": "a text nothing uses",
    "W201": "a band no value reaches",
    "W203": "two rows of a decision table take one case",
    "W204": "a decision table check cannot prove",
    # The data file
    "E301": "data file cannot be read",
    "E302": "data file is not UTF-8 text",
    "E303": "data file is not valid JSON",
    "E304": "data nested too deeply",
    "E305": "data of the wrong shape",
    "E306": "unknown key",
    "E307": "an entry given twice",
    "E308": "two units with one id",
    "E309": "a unit without a usable id",
    "E310": "unknown item or veto",
    "E311": "an entry the rubric does not take there",
    "E312": "a missing value",
    "E313": "not a number",
    "E314": "a number too large or too long",
    "E315": "a value outside what its input takes",
    # Scoring a unit
    "E401": "a value no band takes",
    "E402": "an assessor's score missing, out of range or not taken",
    "E403": "a measure or formula without a value",
    "E404": "an assessor's deduction more than the item has left",
    "E405": "a total no grade takes",
    "E406": "a formula that scores outside the item's points",
    "E407": "values that break a requirement of the rubric",
}


@frozen
class Problem:
    """One finding: a stable code, a message, where, and a hint when one is known.

    A rubric's problems are located by ``span`` in its text; a data file's by ``path``,
    ``span`` (where its line is known), and the ``unit`` and ``field`` it is about.

    >>> Problem("E103", "unknown name 'x'", Span(2, 3, 2, 4)).severity
    <Severity.ERROR: 'error'>
    """

    code: str
    message: str
    span: Span | None = None
    help: str | None = None
    witnesses: tuple[Fraction, ...] = ()  # the values that show the problem, for a program to try
    path: str | None = None  # the file it is about, when the finder knew it
    unit: str | None = None  # a data problem's unit: its id, or its place in the file
    field: str | None = None  # a data problem's entry, by its path in the data: values.rate

    @property
    def severity(self) -> Severity:
        return Severity.WARNING if self.code.startswith("W") else Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def headline(self) -> str:
        """Severity, code, the entry it is about and the message, without the place.

        >>> Problem("E313", "true is not a number", field="values.rate").headline
        'error[E313]: values.rate: true is not a number'
        """
        entry = f"{self.field}: " if self.field else ""
        return f"{self.severity.value}[{self.code}]: {entry}{self.message}"

    def render(self, source: Source | None = None) -> str:
        """Render as ``path:line:col: severity[CODE]: message``, then the line, a caret and help.

        The line is shown when ``source`` holds the text the problem is in.

        >>> p = Problem("E103", "unknown name 'x'", Span(1, 5, 1, 6))
        >>> print(p.render(Source("a.rub", "foo x bar")))
        a.rub:1:5: error[E103]: unknown name 'x'
          1 | foo x bar
            |     ^
        """
        path = self.path or (source.path if source else None)
        where = ":".join(w for w in (path, self.span.position if self.span else None) if w)
        lines = [f"{where}: {self.headline}" if where else self.headline]
        if self.span is not None and source is not None:
            lines.extend(_excerpt(source, self.span))
        if self.help:
            lines.append(f"help: {self.help}")
        return "\n".join(lines)

    def to_record(self, path: str | None = None) -> dict[str, object]:
        """The problem as a JSON-ready record; every problem has the same fields.

        >>> record = error("E003", "end", None).to_record("a.rub")
        >>> record["path"], record["line"], record["unit"]
        ('a.rub', None, None)
        """
        span = self.span
        return {
            "path": self.path or path,
            "line": span.line if span else None,
            "column": span.column if span else None,
            "end_line": span.end_line if span else None,
            "end_column": span.end_column if span else None,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "help": self.help,
            "witnesses": [str(w) for w in self.witnesses],
            "unit": self.unit,
            "field": self.field,
        }


EXCERPT_WIDTH = 120  # characters of a line shown around a problem; a longer line is cut to fit


def _excerpt(source: Source, span: Span) -> list[str]:
    line = source.line_text(span.line)
    number = str(span.line)
    end = span.end_column if span.end_line == span.line and span.end_column > span.column else len(line) + 1
    if len(line) > EXCERPT_WIDTH:  # one line of a minified file can be megabytes: show its part
        first = max(0, span.column - 1 - EXCERPT_WIDTH // 2)
        kept = line[first : first + EXCERPT_WIDTH]
        lead = "…" if first else ""
        line = lead + kept + ("…" if first + EXCERPT_WIDTH < len(line) else "")
        shift = first - len(lead)
        span = Span(span.line, span.column - shift, span.line, min(end - shift, len(line) + 1))
        end = span.end_column
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
) -> Problem:
    """Make an error about a rubric.

    >>> error("E101", "duplicate id 'a'", None).is_error
    True
    """
    return Problem(code, message, span, help, witnesses)


def warning(
    code: str, message: str, span: Span | None, help: str | None = None, witnesses: tuple[Fraction, ...] = ()
) -> Problem:
    """Make a warning about a rubric.

    >>> warning("W101", "points do not add up", None).is_error
    False
    """
    return Problem(code, message, span, help, witnesses)


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """Problems sorted by where they are, those without a place first; the sort keeps ties in order.

    >>> [p.code for p in in_order([error("E2", "", Span(3, 1, 3, 2)), error("E1", "", None)])]
    ['E1', 'E2']
    """
    return sorted(problems, key=lambda p: start(p.span))


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """A hint naming the closest known name, if one is close enough.

    >>> did_you_mean("shortfal", ["shortfall", "completion"])
    "did you mean 'shortfall'?"
    """
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


class RubricError(Exception):
    """A rubric that cannot be compiled, with every problem found in it."""

    def __init__(self, source: Source, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__(self.render())

    @property
    def diagnostics(self) -> list[Problem]:
        """The problems, under the name 0.1 gave them."""
        return self.problems

    def render(self) -> str:
        return "\n".join(p.render(self.source) for p in self.problems)


class DataError(Exception):
    """A data file that cannot be scored at all: unreadable, malformed, or with bad targets.

    ``source`` holds the file's text when it was read, so a located problem shows its line.
    """

    def __init__(self, path: str, problems: Sequence[Problem], source: Source | None = None) -> None:
        self.path = path
        self.problems = list(problems)
        self.source = source
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(p.render(self.source) for p in self.problems)


class EvaluationError(Exception):
    """An item that cannot be scored for a unit; its problem becomes one of the unit's."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem
