"""Unit ids: which ids are one (the same but for full-width characters, blanks or invisible marks),
and where a unit read from a table or JSON lines gives a field, to locate its problems."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

import attrs

from ..problems import Problem
from ..source import Span
from .json_file import JsonObject
from .round import UnitData


def same_id_key(unit_id: str) -> str:
    """What an id is compared by: NFKC (full-width as half-width), without blanks or invisible marks.

    >>> same_id_key("鄂城区 ") == same_id_key("鄂城区") == same_id_key("\ufeff鄂城区") != same_id_key("鄂州")
    True
    >>> same_id_key("Ａ区") == same_id_key("A 区")
    True
    """
    plain = unicodedata.normalize("NFKC", unit_id)
    return "".join(ch for ch in plain if not ch.isspace() and unicodedata.category(ch) != "Cf")


def refuse_clashing_ids(bound: tuple[UnitData, ...], raw: Sequence[Any], path: str) -> tuple[UnitData, ...]:
    """Units whose ids are the same, or differ only by full-width characters, blanks or invisible
    marks, are each refused (E308, naming the others); which one was meant cannot be told. Every
    other unit is scored."""
    clashes: dict[str, list[UnitData]] = {}
    for unit in bound:
        if unit.id is not None:
            clashes.setdefault(same_id_key(unit.id), []).append(unit)
    refused: dict[int, UnitData] = {}
    for group in clashes.values():
        for unit in group if len(group) > 1 else ():
            others = [other for other in group if other is not unit]
            shown = ", ".join(f"'{other.id}' ({_where(raw, other.position)})" for other in others)
            if all(other.id == unit.id for other in others):
                message = f"the id '{unit.id}' is also the id of {shown}; which unit is meant cannot be told"
            else:
                message = (
                    f"the id '{unit.id}' differs from {shown} only by full-width characters, blanks or "
                    "invisible marks; which unit is meant cannot be told"
                )
            span = place(raw[unit.position], "id")
            problem = Problem("E308", message, span, path=path, unit=unit.label, field="id")
            refused[unit.position] = attrs.evolve(unit, problems=(*unit.problems, problem))
    return tuple(refused.get(unit.position, unit) for unit in bound)


def _where(raw: Sequence[Any], position: int) -> str:
    """A unit's place for a message: its line in a table or JSON lines file, else its index."""
    span = place(raw[position], "id")
    return f"line {span.line}" if span is not None else f"units[{position}]"


def place(raw: Any, field: str | None) -> Span | None:
    """Where a unit read from a table or a JSON lines file gives ``field``: its cell, else its row."""
    if not isinstance(raw, JsonObject):
        return None
    names = sorted(raw.places, key=len, reverse=True)
    for name in names if field else ():
        assert field is not None
        if field == name or field.startswith((name + ".", name + "[")) or name.startswith(field + "."):
            return raw.places[name]
    return raw.whole
