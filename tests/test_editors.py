"""Editor support: the TextMate grammar knows the language's words, and the VS Code extension is whole."""

from __future__ import annotations

import json
import re

from rubricdsl.highlight import FUNCTIONS, KEYWORDS, OUTCOMES

from .helpers import ROOT

VSCODE = ROOT / "editors" / "vscode"
GRAMMAR = json.loads((VSCODE / "syntaxes" / "rubric.tmLanguage.json").read_text(encoding="utf-8"))


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(GRAMMAR["repository"][name]["match"])


def test_the_textmate_grammar_knows_every_word_of_the_language():
    """Each keyword of grammar.lark is a keyword, each outcome an outcome, each function a function
    (before its parenthesis), and none of them is taken for another."""
    keyword, outcome, function = _pattern("keyword"), _pattern("outcome"), _pattern("function")
    for word in KEYWORDS:
        assert keyword.fullmatch(word) and not outcome.fullmatch(word), word
    for word in OUTCOMES:
        assert outcome.fullmatch(word), word
    for name in FUNCTIONS:
        assert function.match(f"{name}(x)") and function.match(f"{name}(x)").group() == name, name


def test_the_textmate_patterns_read_the_shapes_of_the_language():
    """Comments, intervals with their numbers, negative numbers, and a name in Chinese."""
    assert _pattern("comment").search('item a "甲" points 5  # 注').group() == "# 注"
    interval = _pattern("interval").fullmatch("(10..20]")
    assert interval and interval.group(2, 3, 4) == ("10", "..", "20")
    assert _pattern("interval").fullmatch("[-5..)")
    assert _pattern("number").search("points -2.5").group() == "-2.5"
    assert _pattern("name").fullmatch("床位使用率")


def test_the_vscode_extension_declares_the_language_its_grammar_and_its_server():
    """.rub files are 'rubric', highlighted by the grammar, with '#' comments, and the server is started."""
    package = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    (language,) = package["contributes"]["languages"]
    (grammar,) = package["contributes"]["grammars"]
    assert (language["id"], language["extensions"]) == ("rubric", [".rub"])
    assert (grammar["language"], grammar["scopeName"]) == ("rubric", GRAMMAR["scopeName"])
    assert (VSCODE / grammar["path"]).is_file() and (VSCODE / language["configuration"]).is_file()
    configuration = json.loads((VSCODE / language["configuration"]).read_text(encoding="utf-8"))
    assert configuration["comments"] == {"lineComment": "#"}
    assert package["contributes"]["configuration"]["properties"]["rubricdsl.command"]["default"] == [
        "rubricdsl",
        "lsp",
    ]
    assert '"vscode-languageclient/node"' in (VSCODE / package["main"]).read_text(encoding="utf-8")
