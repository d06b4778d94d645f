"""The front end: read a rubric's text, parse it, compile it, validate and prove it.

This is the one place that sequences the stages; each stage knows nothing of the others'
order.
"""

from __future__ import annotations

import os

from .analysis import judge
from .compile import compile_tree
from .language import TOO_DEEP, format_text, parse
from .model import Rubric
from .problems import Problem, RubricError, error, in_order
from .source import Source


def analyse(source: Source) -> tuple[Rubric | None, list[Problem]]:
    """Parse, compile, validate and prove; the rubric is None when any error was found.

    >>> rubric, found = analyse(Source("a.rub", 'rubric "考核" { item a "甲" points 2 { judged } }'))
    >>> rubric.item("a").points, found
    (Fraction(2, 1), [])
    """
    tree, found = parse(source)
    if tree is None:
        return None, found
    try:
        compiled = compile_tree(tree, source.path)
        rubric = compiled.rubric
        found = in_order([*compiled.problems, *judge(rubric, compiled.problems, compiled.repeats)])
    except RecursionError:  # deep enough for the parser, too deep for the later passes
        return None, [TOO_DEEP]
    return (None if any(p.is_error for p in found) else rubric), found


def loads(text: str, path: str = "<string>") -> Rubric:
    """Compile rubric text; raise ``RubricError`` with every problem if it has errors.

    >>> loads('rubric "考核" { total 10 item a "甲" points 10 { judged } }').total
    Fraction(10, 1)
    """
    source = Source(path, text)
    rubric, found = analyse(source)
    if rubric is None:
        raise RubricError(source, found)
    return rubric


def read_source(path: str | os.PathLike[str]) -> Source:
    """Read a rubric file (UTF-8, with or without a byte-order mark).

    Raises ``RubricError`` (code E005) for a file that cannot be read.

    >>> read_source("rubrics/ezhou2013.rub").line_text(6)
    'rubric "2013年度鄂州市质量工作考核评分细则" {'
    """
    shown = os.fspath(path)
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return Source(shown, handle.read())
    except OSError as exc:
        unreadable = error("E005", f"cannot read the rubric: {exc.strerror or exc}", None)
        raise RubricError(Source(shown, ""), [unreadable]) from None
    except UnicodeDecodeError as exc:
        unreadable = error(
            "E005",
            f"cannot read the rubric: not UTF-8 text (byte {exc.start})",
            None,
            help="save it as UTF-8",
        )
        raise RubricError(Source(shown, ""), [unreadable]) from None


def load(path: str | os.PathLike[str]) -> Rubric:
    """Read and compile a rubric file (UTF-8).

    Raises ``RubricError`` for a file that cannot be read or compiled.

    >>> load("rubrics/ezhou2013.rub").item("manufacturing_pass_rate").points
    Fraction(10, 1)
    """
    source = read_source(path)
    return loads(source.text, source.path)


def check_file(path: str | os.PathLike[str]) -> tuple[Source, list[Problem]]:
    """Every problem of a rubric file, errors and warnings, as ``rubricdsl check`` shows them.

    A file that cannot be read gives one E005 problem.

    >>> source, problems = check_file("rubrics/ezhou2013.rub")
    >>> [(p.code, p.span.line) for p in problems]
    [('W101', 128)]
    """
    try:
        source = read_source(path)
    except RubricError as exc:
        return exc.source, exc.problems
    return source, analyse(source)[1]


def format_file(path: str | os.PathLike[str]) -> tuple[Source, str]:
    """A rubric file's text and its canonical layout (``rubricdsl fmt``).

    Raises ``RubricError`` for a file that cannot be read or parsed; its meaning is not
    needed, so a file with other errors is laid out all the same.

    >>> source, formatted = format_file("rubrics/ezhou2013.rub")
    >>> formatted == source.text
    True
    """
    source = read_source(path)
    return source, format_text(source.text, source.path)
