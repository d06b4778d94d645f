"""Scoring: one item at a time (``evaluate.py``), then each unit's groups, total, grade and
vetoes (``totals.py``), into scorecards (``scorecard.py``)."""

from .evaluate import score_item
from .scorecard import AppliedAdjustment, GroupScore, ItemScore, Scorecard, TagScore
from .totals import score_round, score_unit

__all__ = [
    "AppliedAdjustment",
    "GroupScore",
    "ItemScore",
    "Scorecard",
    "TagScore",
    "score_item",
    "score_round",
    "score_unit",
]
