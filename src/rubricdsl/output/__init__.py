"""Writing results: a layout step from scorecards to rows and sections (``layout.py``), then
writers: plain text (``text.py``), one unit in full (``unit.py``) and the JSON contract
(``records.py``)."""

from .publish import render, to_html, to_markdown
from .records import dumps, to_json
from .text import to_table
from .unit import unit_report

__all__ = ["dumps", "render", "to_html", "to_json", "to_markdown", "to_table", "unit_report"]
