"""Print a syntax tree back to its source text, and find the comments in it.

A parsed tree prints back byte for byte: leaves as written, and around each node's
children the gaps it kept. Comments live in the gaps; ``comments`` tells which node
each belongs to, for tools that lay a tree out anew.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from attrs import frozen

from .syntax import Leaf, Node

_COMMENT = re.compile(r"#[^\n]*")  # in a gap a '#' always starts a comment: texts are leaves


def unparse(node: Node) -> str:
    """The source text of a parsed node.

    >>> from rubricdsl.language import parse_text
    >>> text = 'rubric "考核" {  # 2013\\n  total 100.0\\n}\\n'
    >>> unparse(parse_text(text)) == text
    True
    """
    if isinstance(node, Leaf):
        return node.written
    children = list(node.children())
    if len(node.gaps) != len(children) + 1:
        raise ValueError(f"{type(node).__name__} was not read from a file: it has no source text to print")
    pieces = [node.gaps[0]]
    for child, gap in zip(children, node.gaps[1:], strict=True):
        pieces += [unparse(child), gap]
    return "".join(pieces)


Placement = Literal["before", "after", "end"]


@frozen
class Comment:
    """A comment, ``#`` to the end of its line, and where it starts in the source."""

    text: str
    offset: int


@frozen
class Attached:
    """A comment and the node it belongs to: on the lines ``before`` the node, at the end of the
    node's last line (``after``), or on its own line at the ``end`` of the node, before its ``}``."""

    comment: Comment
    node: Node
    placement: Placement


def comments(tree: Node) -> list[Attached]:
    """Every comment of a parsed tree, in source order, with the node it belongs to.

    >>> from rubricdsl.language import parse_text
    >>> tree = parse_text('rubric "t" {\\n  # 总分\\n  total 100  # 满分\\n}')
    >>> [(a.comment.text, type(a.node).__name__, a.node.keyword, a.placement) for a in comments(tree)]
    [('# 总分', 'Setting', 'total', 'before'), ('# 满分', 'Setting', 'total', 'after')]
    """
    return sorted(_attached(tree), key=lambda a: a.comment.offset)


def _attached(tree: Node) -> Iterator[Attached]:
    for node in tree.walk():
        if isinstance(node, Leaf):
            continue
        children = list(node.children())
        for index, gap in enumerate(node.gaps):
            starts = node.span.offset if index == 0 else children[index - 1].span.end_offset
            for found in _COMMENT.finditer(gap):
                comment = Comment(found.group(), starts + found.start())
                own_line = "\n" in gap[: found.start()] or index == 0
                if not own_line:
                    yield Attached(comment, children[index - 1], "after")
                elif index < len(children):
                    yield Attached(comment, children[index], "before")
                else:
                    yield Attached(comment, node, "end")
