"""Writing results: a layout step from scorecards to rows and sections (``layout.py``), then
writers: plain text (``text.py``) and the JSON contract (``records.py``)."""

from .records import dumps, to_json
from .text import to_table

__all__ = ["dumps", "to_json", "to_table"]
