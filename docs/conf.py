"""Sphinx configuration for rubricdsl's documentation."""

from rubricdsl.highlight import RubricLexer

project = "rubricdsl"
author = "rubricdsl developers"
copyright = "2026, rubricdsl developers"
extensions = ["sphinx.ext.autodoc"]
autodoc_member_order = "bysource"
autodoc_typehints = "none"
exclude_patterns = ["_build", "examples"]
html_theme = "alabaster"
language = "en"
highlight_language = "none"


def setup(app):
    app.add_lexer("rubric", RubricLexer)
