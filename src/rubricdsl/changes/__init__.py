"""What next year's rubric changes (``rubricdsl diff OLD NEW``), and what that does to the units.

``compare.py`` lists the changes, each at both places; ``impact.py`` scores a round under both
versions; ``report.py`` writes them as text and JSON.
"""

from .compare import Change, Impact, Moved, changes
from .impact import impact
from .report import change_records, change_report, impact_records, impact_report

__all__ = [
    "Change",
    "Impact",
    "Moved",
    "change_records",
    "change_report",
    "changes",
    "impact",
    "impact_records",
    "impact_report",
]
