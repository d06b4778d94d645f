"""Judging a compiled rubric: its structure (``structure.py``) and what can be proved of it
(``prove.py``, ``bands.py``). Nothing here reads data or scores a unit."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Rubric
from ..problems import Problem, in_order
from .prove import prove, prove_items
from .structure import check_structure


def validate(rubric: Rubric) -> list[Problem]:
    """Every problem of a rubric, errors and warnings, in source order, as ``check`` reports them.

    A rubric with errors has only its sound items proved: the band tables of items
    without errors, beside the errors.

    >>> from rubricdsl.model import Item, Judged, Rubric
    >>> [p.code for p in validate(Rubric("t", [Item("a", "甲", 10, Judged()), Item("a", "乙", 5, Judged())]))]
    ['E101']
    """
    return judge(rubric, [])


def judge(rubric: Rubric, earlier: Sequence[Problem]) -> list[Problem]:
    """``validate``, for a rubric in whose text ``earlier`` problems were already found: an item
    they fall inside counts as having errors. The front end's way in."""
    found, broken = check_structure(rubric)
    if not any(p.is_error for p in [*earlier, *found]):
        return in_order([*found, *prove(rubric)])
    errors = [p.span for p in earlier if p.is_error and p.span is not None]
    sound = [
        item
        for item in rubric.items()
        if item not in broken and not any(item.span is not None and item.span.contains(e) for e in errors)
    ]
    return in_order([*found, *prove_items(sound)])


__all__ = ["check_structure", "judge", "prove", "prove_items", "validate"]
