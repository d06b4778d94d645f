"""Writing results: a layout step from scorecards to rows and sections (``layout.py``), then
writers: plain text (``text.py``), one unit in full (``unit.py``) and the JSON contract
(``records.py``)."""

from .flat import flat_table, to_csv, to_jsonl, to_markdown_table, to_xlsx
from .publish import render, to_html, to_markdown
from .ranking import ranks
from .records import dumps, json_lines, to_json
from .text import to_table
from .unit import unit_report

__all__ = [
    "dumps",
    "flat_table",
    "json_lines",
    "ranks",
    "render",
    "to_csv",
    "to_html",
    "to_json",
    "to_jsonl",
    "to_markdown",
    "to_markdown_table",
    "to_table",
    "to_xlsx",
    "unit_report",
]
