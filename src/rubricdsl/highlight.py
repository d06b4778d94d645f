"""Syntax highlighting of rubric files for Pygments (and so for Sphinx).

Only the documentation imports this module; rubricdsl itself does not need Pygments.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pygments.lexer import RegexLexer, words
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String, Whitespace

# Every keyword of grammar.lark; tests/test_highlight.py keeps the two in step.
KEYWORDS = (
    "rubric", "year", "total", "bonus", "round", "meta", "note", "evidence", "grades",
    "part", "group", "item", "points", "no", "departments", "criteria", "standard", "method",
    "input", "from", "values", "targets", "percent", "count", "flag", "number", "measure", "within",
    "judged", "bands", "higher", "lower", "is", "worse", "deduct", "per", "when", "at", "most",
    "assessed", "linear", "applies", "else", "veto", "grade", "definition", "circumstances",
    "and", "or", "not", "half_up", "half_even", "down",
)  # fmt: skip
OUTCOMES = ("full", "zero", "score")
FUNCTIONS = ("min", "max", "floor", "ceil")


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
