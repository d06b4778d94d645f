"""The rubric language: its grammar, parser, lossless syntax tree and printer.

This package is the only place that imports Lark.
"""

from __future__ import annotations

from ..problems import RubricError
from ..source import Source
from . import syntax
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


__all__ = [
    "TOO_DEEP",
    "Attached",
    "Comment",
    "comments",
    "keywords",
    "parse",
    "parse_text",
    "syntax",
    "unparse",
]
