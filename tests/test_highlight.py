"""The Pygments lexer used by the docs: every keyword known, every shipped rubric lexed cleanly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pygments import lex
from pygments.token import Error, Keyword, Name

from rubricdsl.highlight import KEYWORDS, OUTCOMES, RubricLexer
from rubricdsl.model import FUNCTIONS

from .helpers import ROOT

GRAMMAR = (ROOT / "src" / "rubricdsl" / "language" / "grammar.lark").read_text(encoding="utf-8")
RUBRICS = sorted([*ROOT.glob("rubrics/*.rub"), *ROOT.glob("docs/examples/**/*.rub")])


def test_the_lexer_knows_every_keyword_of_the_grammar():
    """Each word the grammar spells out is lexed as a keyword (an outcome as a constant); functions as builtins."""
    spelled = set(re.findall(r'"([a-z_]+)"', GRAMMAR))
    assert spelled == set(KEYWORDS) | set(OUTCOMES) and "judged" in KEYWORDS
    for word in spelled:
        ((kind, value), *_) = lex(word, RubricLexer())
        assert (value, kind in Keyword) == (word, True)
    for function in FUNCTIONS:
        assert next(kind for kind, _ in lex(f"{function}(x)", RubricLexer())) is Name.Builtin


@pytest.mark.parametrize("path", RUBRICS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_rubric_lexes_without_errors(path: Path):
    """Shipped and documented rubrics are highlighted with no error tokens."""
    tokens = list(lex(path.read_text(encoding="utf-8"), RubricLexer()))
    assert [value for kind, value in tokens if kind is Error] == []
    assert any(kind in Keyword for kind, _ in tokens)
