"""Judging a compiled rubric: its structure (``structure.py``) and what can be proved of it
(``prove.py``, ``bands.py``). Nothing here reads data or scores a unit."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Group, Item, Rubric, Veto
from ..problems import Problem, in_order
from ..source import Span
from .prove import prove, prove_items
from .scope import check_scope
from .structure import check_group, check_header, check_item, check_structure, check_veto


def validate(rubric: Rubric) -> list[Problem]:
    """Every problem of a rubric, errors and warnings, in source order, as ``check`` reports them.

    A rubric with errors has only its sound items proved: the band tables of items
    without errors, beside the errors.

    >>> from rubricdsl.model import Item, Judged, Rubric
    >>> [p.code for p in validate(Rubric("t", [Item("a", "甲", 10, Judged()), Item("a", "乙", 5, Judged())]))]
    ['E101']
    """
    return judge(rubric)


# A statement the text gave twice: where the repeat is, and the object as it would be with it.
Repeat = tuple[Span, Rubric | Group | Item | Veto]


def judge(rubric: Rubric, earlier: Sequence[Problem] = (), repeats: Sequence[Repeat] = ()) -> list[Problem]:
    """What ``validate`` finds, for a rubric compiled from text: an item the compiler's problems
    (``earlier``) fall inside counts as having errors, and what each repeated statement holds
    is checked too. The front end's way in."""
    found, broken = check_structure(rubric)
    found += check_scope(rubric)
    found += _in_repeats(rubric, repeats, found)
    if not any(p.is_error for p in [*earlier, *found]):
        return in_order([*found, *prove(rubric)])
    errors = [p.span for p in earlier if p.is_error and p.span is not None]
    sound = [
        item
        for item in rubric.items()
        if not any(b is item for b in broken) and not any(item.span and item.span.contains(e) for e in errors)
    ]
    return in_order([*found, *prove_items(rubric, sound)])


def _in_repeats(rubric: Rubric, repeats: Sequence[Repeat], found: Sequence[Problem]) -> list[Problem]:
    """The problems inside each repeated statement, checked on the object as it would be with it."""
    more: list[Problem] = []
    for span, variant in repeats:
        if isinstance(variant, Item):
            problems = check_item(variant, frozenset(f.name for f in rubric.facts))
        elif isinstance(variant, Group):
            problems = check_group(variant)
        elif isinstance(variant, Veto):
            problems = check_veto(rubric, variant)
        else:
            problems = check_header(variant)
        more += [p for p in problems if p.span and span.contains(p.span) and p not in found and p not in more]
    return more


__all__ = ["check_structure", "judge", "prove", "prove_items", "validate"]
