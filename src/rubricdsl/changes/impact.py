"""What a new version of a rubric does to a round: every unit scored under both, and the units whose
total or grade moves, with the items that moved them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..io import bind_round
from ..model import Rubric
from ..scoring import Scorecard, score_round
from .compare import Impact, Moved


def impact(old: Rubric, new: Rubric, document: Any, path: str = "<data>") -> list[Impact]:
    """The units of a round whose total or grade differs between the two versions, in input order.

    Raises ``DataError`` when the round cannot be read under either version.
    """
    before = {card.label: card for card in score_round(old, bind_round(old, document, path))}
    after = score_round(new, bind_round(new, document, path))
    found = []
    for card in after:
        earlier = before.get(card.label)
        if earlier is None:
            continue
        moved = _moved(old, new, earlier, card)
        problems = tuple(p.headline for p in (*earlier.errors, *card.errors))
        grade_before = earlier.grade.name if earlier.grade else None
        grade_after = card.grade.name if card.grade else None
        if earlier.reported_total != card.reported_total or grade_before != grade_after or problems:
            found.append(
                Impact(
                    card.label,
                    earlier.reported_total,
                    card.reported_total,
                    grade_before,
                    grade_after,
                    tuple(moved),
                    problems,
                )
            )
    return found


def _moved(old: Rubric, new: Rubric, before: Scorecard, after: Scorecard) -> Iterator[Moved]:
    for item_id in dict.fromkeys([*before.items, *after.items]):
        was, now = before.items.get(item_id), after.items.get(item_id)
        old_score = old.rounding.apply(was.score + was.bonus) if was else None
        new_score = new.rounding.apply(now.score + now.bonus) if now else None
        if old_score != new_score:
            yield Moved(item_id, old_score, new_score, was.rule if was else "", now.rule if now else "")
