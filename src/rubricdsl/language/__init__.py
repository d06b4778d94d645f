"""The rubric language: its grammar, parser, lossless syntax tree and printer.

This package is the only place that imports Lark.
"""

from __future__ import annotations

import re

import attrs

from ..problems import RubricError
from ..source import Source
from . import syntax
from .formatter import format_tree
from .parser import TOO_DEEP, keywords, parse
from .printer import Attached, Comment, comments, unparse


def parse_text(text: str, path: str = "<string>") -> syntax.Rubric:
    """Parse rubric text into its syntax tree; raise ``RubricError`` on a syntax error.

    >>> parse_text('rubric "考核" { total 100 }').body[0].value.text
    '100'
    """
    tree, problems = parse(Source(path, text))
    if tree is None:
        raise RubricError(Source(path, text), problems)
    return tree


def format_text(text: str, path: str = "<string>") -> str:
    """The canonical layout of rubric text (``rubricdsl fmt``); ``RubricError`` on a syntax error.

    The result is parsed again and must give the same syntax tree (spans, spacing and
    comments' places aside): a layout that would change what the rubric says is never
    returned (``AssertionError``).

    >>> format_text('rubric "t" {  total   100 }')
    'rubric "t" { total 100 }\\n'
    """
    tree = parse_text(text, path)
    formatted = format_tree(tree, text)
    if not same_tree(parse_text(formatted, path), tree):
        raise AssertionError(f"fmt would change what {path} says; the file is left as it is")
    return formatted


_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u3000\ufeff]+")  # what the grammar ignores


def same_tree(a: object, b: object) -> bool:
    """Whether two syntax trees say the same in the same words: spans and gaps aside, and a
    negative number's spelling without the spaces after its minus (``- 5`` is ``-5``).

    >>> same_tree(parse_text('rubric "t" { total - 5 }'), parse_text('rubric "t" {total -5}'))
    True
    """
    if isinstance(a, syntax.Number) and isinstance(b, syntax.Number):
        return a.value == b.value and _SPACES.sub("", a.text) == _SPACES.sub("", b.text)
    if isinstance(a, syntax.Node) and type(a) is type(b):
        names = [f.name for f in attrs.fields(type(a)) if f.name not in ("span", "gaps")]
        return all(same_tree(getattr(a, n), getattr(b, n)) for n in names)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same_tree(x, y) for x, y in zip(a, b, strict=True))
    return a == b


__all__ = [
    "TOO_DEEP",
    "Attached",
    "Comment",
    "comments",
    "format_text",
    "format_tree",
    "keywords",
    "parse",
    "parse_text",
    "same_tree",
    "syntax",
    "unparse",
]
