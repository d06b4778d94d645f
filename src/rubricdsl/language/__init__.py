"""The rubric language: its grammar, parser, lossless syntax tree and printer.

This package is the only place that imports Lark.
"""

from __future__ import annotations

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
    'rubric "t" { total 100 }\n'
    """
    tree = parse_text(text, path)
    formatted = format_tree(tree, text)
    if parse_text(formatted, path) != tree:
        raise AssertionError(f"fmt would change what {path} says; the file is left as it is")
    return formatted


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
    "syntax",
    "unparse",
]
