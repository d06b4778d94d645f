"""The plain-text report: the score table with aligned columns, then notes and explanations."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Rubric
from ..scoring import Scorecard
from ..source import display_width
from .layout import explanations, score_table


def to_table(rubric: Rubric, cards: Sequence[Scorecard], explain: bool = False) -> str:
    """A table a person can read: a row per unit, a column per section, then notes and errors.

    With ``explain``, each unit's lost points and bonus follow, item by item.

    >>> from rubricdsl import loads, score
    >>> rubric = loads('rubric "考核" { item a "甲" points 5 { judged } }')
    >>> print(to_table(rubric, score(rubric, {"units": [{"id": "东区", "scores": {"a": 4.5}}]})))
    考核
    <BLANKLINE>
    单位     a  总分
    满分     5     5
    东区  4.50  4.50
    <BLANKLINE>
      a  甲
    <BLANKLINE>
    """
    table = score_table(rubric, cards)
    blocks = [[table.title], aligned(table.rows, table.numeric), list(table.legend), list(table.notes)]
    if explain:
        for unit in explanations(rubric, cards):
            if not unit.scored:
                body = ["  未评分 (see the errors above)"]
            else:
                body = aligned(unit.rows, unit.numeric) if unit.rows else ["  无"]
            blocks.append([unit.heading, *body])
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"


def aligned(rows: Sequence[Sequence[str]], numeric: frozenset[int]) -> list[str]:
    """Rows as text columns, wide characters counted as two: ``numeric`` ones to the right.

    >>> aligned([["单位", "总分"], ["华容区", "9.5"]], frozenset({1}))
    ['单位    总分', '华容区   9.5']
    """
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - display_width(cell))
            cells.append(pad + cell if i in numeric else cell + pad)
        lines.append("  ".join(cells).rstrip())
    return lines
