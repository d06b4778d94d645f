"""Writing results: a layout step from scorecards to rows and sections (``layout.py``), then
writers: plain text (``text.py``), one unit in full (``unit.py``), the JSON contract
(``records.py``) and the round's published report (``report.py``, its charts in ``charts.py``)."""

from .flat import flat_table, to_csv, to_jsonl, to_markdown_table, to_xlsx
from .publish import render, to_html, to_markdown
from .ranking import ranks
from .records import dumps, json_lines, to_json
from .report import to_report
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
    "to_report",
    "to_table",
    "to_xlsx",
    "unit_report",
]
