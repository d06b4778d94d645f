"""Sphinx configuration for rubricdsl's documentation."""

project = "rubricdsl"
author = "rubricdsl developers"
copyright = "2026, rubricdsl developers"
extensions = ["sphinx.ext.autodoc"]
autodoc_member_order = "bysource"
autodoc_typehints = "none"
exclude_patterns = ["_build"]
html_theme = "alabaster"
language = "en"
