"""A round bound to a rubric: every number exact, every id known, every problem recorded."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from attrs import frozen

from ..problems import Problem


@frozen
class Override:
    """An assessor's correction on appeal (复核): the item's new score, why, by whom and when.

    It replaces the score the rules gave; the original stays on the scorecard beside it.
    """

    score: Fraction
    reason: str
    by: str
    at: str  # an ISO 8601 date or date and time, as written


@frozen
class UnitData:
    """One unit's inputs, bound to the rubric.

    ``problems`` are what was wrong with the unit's entry; the items they concern are not
    scored. ``readable`` is False when the entry was not even an object.
    """

    id: str | None
    values: Mapping[str, Mapping[str, Fraction]]  # item id -> input name -> value
    scores: Mapping[str, Fraction | str]  # item id -> points an assessor awards, or the level chosen
    vetoes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    missing_evidence: tuple[str, ...] = ()  # items whose written evidence is missing: they score zero
    position: int = 0  # index in the file's units, to name a unit without a usable id
    readable: bool = True
    facts: Mapping[str, Fraction] = {}  # fact -> its value (a category by its place in the list)
    overrides: Mapping[str, Override] = {}  # item id -> the correction on appeal

    @property
    def label(self) -> str:
        return self.id if self.id is not None else f"units[{self.position}]"

    def has_problem(self, field: str) -> bool:
        """Whether a problem was recorded for ``field``, an entry inside it, or the section holding it."""
        section = field.split(".", 1)[0]
        return any(
            p.field is not None and (p.field in (field, section) or p.field.startswith(field + "."))
            for p in self.problems
        )


@frozen
class RoundData:
    """A round: per-round targets and the units to score, and the file it came from."""

    targets: Mapping[str, Mapping[str, Fraction]]
    units: tuple[UnitData, ...]
    path: str | None = None
