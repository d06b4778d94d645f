"""Syntax highlighting of rubric files for Pygments (and so for Sphinx).

Only the documentation imports this module; rubricdsl itself does not need Pygments.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any, ClassVar

from pygments.lexer import RegexLexer, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Whitespace

from .model.expressions import FUNCTIONS as EXPRESSION_FUNCTIONS

# Every word the grammar spells out is highlighted: outcomes apart, the rest as keywords. Read
# from the grammar itself, so a new construct's words are highlighted without a change here.
_GRAMMAR = re.sub(
    r"//[^\n]*", "", resources.files("rubricdsl.language").joinpath("grammar.lark").read_text("utf-8")
)
OUTCOMES = ("full", "zero", "score")
KEYWORDS = tuple(sorted(set(re.findall(r'"([a-z_]+)"', _GRAMMAR)) - set(OUTCOMES)))
FUNCTIONS = tuple(EXPRESSION_FUNCTIONS)


class RubricLexer(RegexLexer):
    """Pygments lexer for rubricdsl's ``.rub`` files.

    >>> from pygments import lex
    >>> [value for _, value in lex("deduct 2 per late", RubricLexer()) if value.strip()]
    ['deduct', '2', 'per', 'late']
    """

    name = "Rubric"
    aliases: ClassVar[list[str]] = ["rubric", "rub"]
    filenames: ClassVar[list[str]] = ["*.rub"]

    tokens: ClassVar[dict[str, list[Any]]] = {
        "root": [
            (r"[ \t\r\n\f\u00a0\u2000-\u200b\u202f\u3000\ufeff]+", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r'"""', String.Doc, "block"),
            (r'"(?:[^"\\\n]|\\["\\nt])*"', String.Double),
            (words(OUTCOMES, suffix=r"\b"), Keyword.Constant),
            (words(FUNCTIONS, suffix=r"(?=\()"), Name.Builtin),
            (words(KEYWORDS, suffix=r"\b"), Keyword),
            (r"[0-9]+(\.[0-9]+)?", Number),
            (r"\.\.|>=|<=|!=|[-+*/=<>]", Operator),
            (r"[\[\](){},]", Punctuation),
            (r"[^\W\d]\w*", Name),
        ],
        "block": [
            (r'"""', String.Doc, "#pop"),
            (r'[^"\\]+|\\.|"', String.Doc),
        ],
    }
