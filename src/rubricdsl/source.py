"""Source text and positions inside it, shared by every pipeline stage."""

from __future__ import annotations

import unicodedata

from attrs import frozen


@frozen
class Span:
    """A stretch of source text: 1-based lines and columns, end exclusive, and the same as offsets.

    Offsets count characters from the start of the text; a span made without them
    (a problem located only by line and column) leaves them at 0.

    >>> Span(3, 5, 3, 9).position
    '3:5'
    """

    line: int
    column: int
    end_line: int
    end_column: int
    offset: int = 0
    end_offset: int = 0

    @property
    def position(self) -> str:
        return f"{self.line}:{self.column}"

    def contains(self, other: Span) -> bool:
        """Whether ``other`` lies inside this span.

        >>> Span(1, 1, 3, 2).contains(Span(2, 4, 2, 7)), Span(2, 4, 2, 7).contains(Span(1, 1, 3, 2))
        (True, False)
        """
        return (self.line, self.column) <= (other.line, other.column) and (
            other.end_line,
            other.end_column,
        ) <= (self.end_line, self.end_column)


def start(span: Span | None) -> tuple[int, int]:
    """Where a span starts, to sort by; what has no place sorts first.

    >>> sorted([Span(3, 1, 3, 2), None, Span(1, 9, 1, 10)], key=start)[0] is None
    True
    """
    return (span.line, span.column) if span is not None else (0, 0)


@frozen
class Source:
    """The text of one file and the name it is shown under.

    >>> Source("a.rub", "one\\ntwo\\n").line_text(2)
    'two'
    """

    path: str
    text: str

    def line_text(self, line: int) -> str:
        # Only "\n" ends a line, as for the parser; str.splitlines() would also split on \f or U+2028.
        lines = self.text.split("\n")
        return lines[line - 1].rstrip("\r") if 1 <= line <= len(lines) else ""


def display_width(text: str) -> int:
    """Columns a terminal gives ``text``: wide (Chinese) characters take two.

    >>> display_width("鄂州 A")
    6
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
