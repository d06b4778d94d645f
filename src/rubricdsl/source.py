"""Source text and positions inside it, shared by every pipeline stage."""

from __future__ import annotations

import unicodedata

from attrs import frozen


@frozen
class Span:
    """A stretch of rubric source: 1-based lines and columns, end exclusive.

    >>> Span(3, 5, 3, 9).start
    '3:5'
    """

    line: int
    column: int
    end_line: int
    end_column: int

    @property
    def start(self) -> str:
        return f"{self.line}:{self.column}"


@frozen
class Source:
    """The text of one rubric file and the name it is shown under.

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
