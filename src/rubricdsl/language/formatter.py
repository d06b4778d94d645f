"""The canonical layout of a rubric file (``rubricdsl fmt``): the author's lines, laid out alike.

fmt keeps every line break, comment and spelling the author wrote, so the line numbers
that reports cite stay put; it normalises what lies between the words:

* indentation: two spaces a block, four more for a statement's continuation lines;
* one space between words, none inside an interval (``(0..1]``) or a range
  (``6..9``), before a comma or a closing parenthesis, after an opening one or a unary
  minus, or between a function and its arguments; two between the bands, levels, rows or
  grades of a table written on one line;
* the outcomes of a band table, the conditions of a decision table and the labels of a
  grade scale in one column, when each band, row or grade has a line of its own;
* two spaces before a trailing comment;
* no trailing spaces, at most one blank line in a row, one newline at the end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from attrs import frozen

from ..source import Span, display_width
from . import syntax as s

INDENT = "  "
CONTINUATION = "    "  # beyond the statement's own indentation
# The fields whose nodes are statements, each beginning a line of its own when written so.
_STATEMENT_FIELDS = ("body", "grades", "entries", "bands", "categories", "levels", "cases")

_TOKEN = re.compile(
    r'(?P<text>"""(?:[^"\\]|\\["\\nt]|"(?!""))*"""|"(?:[^"\\\n]|\\["\\nt])*")'
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<newline>\n)"
    r"|(?P<space>[ \t\r\f\u00a0\u2000-\u200b\u202f\u3000\ufeff]+)"
    r"|(?P<word>\.\.|>=|<=|!=|[0-9]+(?:\.[0-9]+)?|[^\W\d]\w*|[=<>(),\[\]{}+\-*/])"
)


@frozen
class _Word:
    text: str
    offset: int

    @property
    def end(self) -> int:
        return self.offset + len(self.text)


@frozen
class _Line:
    """One line of the source: its words, its trailing comment, and the depth of braces it starts at."""

    words: tuple[_Word, ...]
    comment: str | None
    depth: int


@frozen
class _Rendered:
    """A line laid out: its code up to a column (``head``), and what follows the column."""

    head: str
    rest: str | None  # with its comment
    group: int | None  # the table whose column it shares

    @property
    def code(self) -> str:
        return self.head if self.rest is None else f"{self.head} {self.rest}"


def format_tree(tree: s.Rubric, text: str) -> str:
    """The canonical layout of ``text``, which parsed to ``tree``.

    >>> from rubricdsl.language import parse_text
    >>> source = 'rubric "t" {\\n    item a "甲"  points 5 {judged}   # 一项\\n}'
    >>> print(format_tree(parse_text(source), source), end="")
    rubric "t" {
      item a "甲" points 5 { judged }  # 一项
    }
    """
    layout = _Layout(tree)
    rendered = [None if line is None else layout.render(line) for line in _lines(text)]
    codes = layout.columns(rendered)
    return _tidy(codes)


def _lines(text: str) -> Iterator[_Line | None]:
    """The source's lines as words and comments; None for a blank line."""
    depth = start = 0
    words: list[_Word] = []
    comment: str | None = None
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "newline":
            yield _Line(tuple(words), comment, start) if words or comment else None
            words, comment, start = [], None, depth
        elif kind == "comment":
            comment = match.group().rstrip()
        elif kind != "space":
            words.append(_Word(match.group(), match.start()))
            depth += {"{": 1, "}": -1}.get(match.group(), 0)
    if words or comment:
        yield _Line(tuple(words), comment, start)


class _Layout:
    """What the tree says about the words: which begin a statement, which stand together,
    and which rows share a column."""

    def __init__(self, tree: s.Rubric) -> None:
        self.starts: set[int] = set()
        self.glued: list[tuple[int, int]] = []  # intervals: their words join without spaces
        self.tight: set[int] = set()  # words written right after the word before them
        self.calls: set[int] = set()  # functions' names: their "(" follows them
        self.split: dict[int, tuple[int, int]] = {}  # row's offset -> (where its column starts, group)
        self.gaps: list[int] = []  # each group's spaces before its column
        self.rows: set[int] = set()  # where a band, level, row or grade begins
        for node in tree.walk():
            self._note(node)

    def _note(self, node: s.Node) -> None:
        for name in _STATEMENT_FIELDS:
            value = getattr(node, name, None)
            if isinstance(value, tuple):
                self.starts.update(child.span.offset for child in value if isinstance(child, s.Node))
        if isinstance(node, s.Interval):
            self.glued.append((node.span.offset, node.span.end_offset))
        elif isinstance(node, s.Call):
            self.calls.add(node.function.span.offset)  # f(
        elif isinstance(node, s.Negation):
            self.tight.add(node.operand.span.offset)  # -x
        elif isinstance(node, s.Number) and node.text.startswith("-"):
            self.tight.add(node.span.end_offset - len(node.text.lstrip("- \t")))  # -5
        if isinstance(node, (s.Band, s.Level, s.Case, s.Grade)):
            self.rows.add(node.span.offset)
        if isinstance(node, (s.BandTable, s.CategoryBands)):
            self._rows([(b.span, b.interval.span.end_offset) for b in node.bands], gap=2)
        elif isinstance(node, s.Cases):
            self._rows([(c.span, c.outcome.span.end_offset) for c in node.cases], gap=1)
        elif isinstance(node, s.Grades):
            self._rows([(g.span, (g.threshold or g.name).span.end_offset) for g in node.grades], gap=1)

    def _rows(self, rows: Sequence[tuple[Span, int]], gap: int) -> None:
        """Rows each on a line of their own share a column after their first part."""
        lines = [span.line for span, _ in rows]
        if len(rows) > 1 and len(set(lines)) == len(lines):
            self.split.update({span.offset: (end, len(self.gaps)) for span, end in rows})
            self.gaps.append(gap)

    def render(self, line: _Line) -> _Rendered:
        if not line.words:
            return _Rendered(INDENT * line.depth + str(line.comment), None, None)
        first = line.words[0]
        depth = max(0, line.depth - (1 if first.text == "}" else 0))
        continued = depth > 0 and first.offset not in self.starts and first.text != "}"
        indent = INDENT * depth + (CONTINUATION if continued else "")
        comment = f"  {line.comment}" if line.comment is not None else ""
        split = self.split.get(first.offset)
        if split is None:
            return _Rendered(indent + self._join(line.words) + comment, None, None)
        end, group = split
        head = [w for w in line.words if w.offset < end]
        rest = self._join(line.words[len(head) :])
        return _Rendered(indent + self._join(head), rest + comment if rest else None, group)

    def _join(self, words: Sequence[_Word]) -> str:
        pieces: list[str] = []
        for index, word in enumerate(words):
            if index and not self._tight(words[index - 1], word):
                row = word.offset in self.rows and words[index - 1].text != "{"
                pieces.append("  " if row else " ")
            pieces.append(word.text)
        return "".join(pieces)

    def _tight(self, before: _Word, word: _Word) -> bool:
        if any(start <= before.offset and word.end <= end for start, end in self.glued):
            return True  # inside one interval
        if ".." in (before.text, word.text):
            return True  # a range: deduct 6..9
        if before.offset in self.calls and word.text == "(":
            return True
        return word.offset in self.tight or before.text == "(" or word.text in (")", ",")

    def columns(self, rendered: list[_Rendered | None]) -> list[str | None]:
        """Each line's code, the rows of one table padded so that what follows their first part lines up."""
        widest: dict[int, int] = {}
        for line in rendered:
            if line is not None and line.group is not None and line.rest is not None:
                widest[line.group] = max(widest.get(line.group, 0), display_width(line.head))
        codes: list[str | None] = []
        for line in rendered:
            if line is None:
                codes.append(None)
            elif line.group is None or line.rest is None:
                codes.append(line.code)
            else:
                padding = " " * (widest[line.group] - display_width(line.head) + self.gaps[line.group])
                codes.append(line.head + padding + line.rest)
        return codes


def _tidy(codes: list[str | None]) -> str:
    """Blank lines: at most one in a row, none at the start or the end."""
    out: list[str] = []
    for code in codes:
        if code is None:
            if out and out[-1] != "":
                out.append("")
        else:
            out.append(code.rstrip())
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
