"""The ranking of a round's units by total: ties share a rank (1, 2, 2, 4: 并列)."""

from __future__ import annotations

from collections.abc import Sequence

from ..scoring import Scorecard


def ranks(cards: Sequence[Scorecard]) -> list[int | None]:
    """Each unit's rank by total, in input order: ties share one, units with problems get None.

    >>> from rubricdsl import loads, score
    >>> rubric = loads('rubric "t" { item a "甲" points 5 { judged } }')
    >>> ranks(score(rubric, {"units": [{"id": i, "scores": {"a": s}} for i, s in zip("abcd", [4, 5, 4, 3])]}))
    [2, 1, 2, 4]
    """
    totals = [card.reported_total for card in cards if card.ok and card.reported_total is not None]
    return [
        1 + sum(1 for t in totals if t > card.reported_total)
        if card.ok and card.reported_total is not None
        else None
        for card in cards
    ]
