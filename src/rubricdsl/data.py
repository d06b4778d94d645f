"""Data files: read a round's JSON exactly and bind it to a rubric's items.

A problem with the file or its targets stops the round (``DataError``); a problem
with one unit is recorded on that unit and never stops the others.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from attrs import frozen

from .diagnostics import did_you_mean
from .model import Input, Item, Judged, Rubric, Source, format_number

UNIT_KEYS = ("id", "values", "scores", "vetoes")
ROUND_KEYS = ("targets", "units")


@frozen
class FieldError:
    """A problem with one entry of a data file; ``field`` is its path, like ``values.item``."""

    field: str
    message: str

    def to_record(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class DataError(Exception):
    """A data file that cannot be scored at all: unreadable, malformed, or with bad targets."""

    def __init__(
        self, path: str, problems: list[FieldError], line: int | None = None, column: int | None = None
    ):
        self.path = path
        self.problems = problems
        self.line = line
        self.column = column
        super().__init__(self.render())

    def render(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line is not None else self.path
        return "\n".join(
            f"{where}: error: {p.field + ': ' if p.field else ''}{p.message}" for p in self.problems
        )


@frozen
class UnitData:
    """One unit's inputs, bound to the rubric: every number exact, every id known."""

    id: str | None
    values: Mapping[str, Mapping[str, Fraction]]  # item id -> input name -> value
    scores: Mapping[str, Fraction]  # item id -> points an assessor awards
    vetoes: tuple[str, ...] = ()
    errors: tuple[FieldError, ...] = ()
    readable: bool = True  # False when the entry was not even an object: nothing of it can be scored

    def has_error(self, field: str) -> bool:
        """Whether an error was already recorded for ``field`` or an entry inside it."""
        return any(e.field == field or e.field.startswith(field + ".") for e in self.errors)


@frozen
class RoundData:
    """A round: per-round targets and the units to score."""

    targets: Mapping[str, Mapping[str, Fraction]]
    units: tuple[UnitData, ...]


# Reading JSON --------------------------------------------------------------------------


@frozen
class _NotANumber:
    """What the JSON spelled as NaN or Infinity: kept so the unit can be told, not the file refused."""

    text: str


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def read_json(path: str | os.PathLike[str]) -> Any:
    """Read a JSON file with every number as the exact ``Decimal`` it spells.

    Raises ``DataError`` for a file that cannot be read or is not JSON.
    """
    shown = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        raise DataError(shown, [FieldError("", f"cannot read the file: {exc.strerror or exc}")]) from None
    except UnicodeDecodeError as exc:
        raise DataError(shown, [FieldError("", f"not UTF-8 text (byte {exc.start})")]) from None
    return parse_json(text, shown)


def parse_json(text: str, path: str = "<data>") -> Any:
    """Parse JSON text exactly: numbers become ``Decimal``, NaN and Infinity are kept to be refused.

    >>> parse_json('{"a": 89.1}')["a"]
    Decimal('89.1')
    """
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_int=Decimal,
            parse_constant=_NotANumber,
            object_pairs_hook=_unique_keys,
        )
    except json.JSONDecodeError as exc:
        raise DataError(path, [FieldError("", f"not valid JSON: {exc.msg}")], exc.lineno, exc.colno) from None
    except ValueError as exc:  # duplicate keys
        raise DataError(path, [FieldError("", str(exc))]) from None
    except RecursionError:
        raise DataError(path, [FieldError("", "JSON nested too deeply")]) from None


def exact(value: Any) -> Fraction | str:
    """The exact number a data entry spells, or why it is not a number.

    Floats (from Python callers) are read as the shortest decimal that prints them.

    >>> exact(Decimal("89.1")), exact(True), exact("5")
    (Fraction(891, 10), 'true is not a number', 'the text "5" is not a number')
    """
    if isinstance(value, bool):
        return f"{str(value).lower()} is not a number"
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            return f"{value} is not a number"
        return Fraction(value)
    if isinstance(value, _NotANumber):
        return f"{value.text} is not a number"
    return f"{_describe(value)} is not a number"


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return f'the text "{value}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# Binding to a rubric ------------------------------------------------------------------------


def read_round(rubric: Rubric, path: str | os.PathLike[str]) -> RoundData:
    """Read a data file and bind it to ``rubric``.

    Raises ``DataError`` when nothing can be scored: the file is unreadable or
    malformed, a target is missing or bad, or two units share an id.
    """
    return bind_round(rubric, read_json(path), os.fspath(path))


def bind_round(rubric: Rubric, document: Any, path: str = "<data>") -> RoundData:
    """Bind a parsed data document (the JSON contract, as Python objects) to ``rubric``.

    >>> from rubricdsl import loads
    >>> rubric = loads('rubric "t" { item a "甲" points 5 { judged } }')
    >>> bind_round(rubric, {"units": [{"id": "x", "scores": {"a": 4}}]}).units[0].scores
    {'a': Fraction(4, 1)}
    """
    if not isinstance(document, dict):
        raise DataError(
            path, [FieldError("", f"the file holds {_describe(document)}, not an object with 'units'")]
        )
    problems = _unknown_keys(document, ROUND_KEYS, "")
    units = document.get("units")
    if not isinstance(units, list):
        found = "is missing" if units is None and "units" not in document else f"is {_describe(units)}"
        problems.append(FieldError("units", f"'units' {found}; it must be a list of units"))
    targets, target_problems = _bind_sources(rubric, document.get("targets", {}), Source.TARGETS, "targets")
    problems.extend(target_problems)
    if problems:
        raise DataError(path, problems)
    bound = tuple(bind_unit(rubric, unit, index) for index, unit in enumerate(units))
    seen: set[str] = set()
    for unit in bound:
        if unit.id is not None and unit.id in seen:
            raise DataError(path, [FieldError("units", f"two units have the id '{unit.id}'")])
        if unit.id is not None:
            seen.add(unit.id)
    return RoundData(targets, bound)


def bind_unit(rubric: Rubric, raw: Any, index: int = 0) -> UnitData:
    """Bind one unit's entry; every problem becomes one of its ``errors``."""
    if not isinstance(raw, dict):
        problem = FieldError(f"units[{index}]", f"a unit must be an object, not {_describe(raw)}")
        return UnitData(None, {}, {}, (), (problem,), readable=False)
    problems = _unknown_keys(raw, UNIT_KEYS, "")
    unit_id = raw.get("id")
    if not isinstance(unit_id, str) or not unit_id.strip():
        problems.append(FieldError("id", f"a unit needs an id, a non-empty text (units[{index}])"))
        unit_id = None
    values, value_problems = _bind_sources(rubric, raw.get("values", {}), Source.VALUES, "values")
    scores, score_problems = _bind_scores(rubric, raw.get("scores", {}))
    for item in rubric.items():
        if isinstance(item.rule, Judged) and item.id not in scores and not _mentions(score_problems, item.id):
            score_problems.append(
                FieldError(f"scores.{item.id}", f"missing the assessor's score for {item.title}")
            )
    vetoes, veto_problems = _bind_vetoes(rubric, raw.get("vetoes", []))
    problems.extend(value_problems + score_problems + veto_problems)
    return UnitData(unit_id, values, scores, vetoes, tuple(problems))


def _mentions(problems: list[FieldError], item_id: str) -> bool:
    return any(p.field == f"scores.{item_id}" for p in problems)


def _unknown_keys(entry: dict, known: tuple[str, ...], prefix: str) -> list[FieldError]:
    problems = []
    for key in entry:
        if key not in known:
            hint = did_you_mean(key, known)
            message = f"unknown key '{key}'" + (f"; {hint}" if hint else f"; expected {', '.join(known)}")
            problems.append(FieldError(prefix + key, message))
    return problems


def _bind_sources(
    rubric: Rubric, raw: Any, source: Source, section: str
) -> tuple[dict[str, dict[str, Fraction]], list[FieldError]]:
    """Bind ``values`` or ``targets``: each item's inputs from that source, checked against their domains."""
    if not isinstance(raw, dict):
        return {}, [
            FieldError(section, f"'{section}' must be an object keyed by item id, not {_describe(raw)}")
        ]
    items = {item.id: item for item in rubric.items()}
    wanted = {item_id: item.inputs_from(source) for item_id, item in items.items()}
    problems: list[FieldError] = []
    bound: dict[str, dict[str, Fraction]] = {}
    for item_id, entry in raw.items():
        field = f"{section}.{item_id}"
        if item_id not in items:
            hint = did_you_mean(item_id, items)
            problems.append(FieldError(field, f"unknown item '{item_id}'" + (f"; {hint}" if hint else "")))
        elif not wanted[item_id]:
            problems.append(FieldError(field, _no_inputs_message(items[item_id], source)))
        else:
            inputs, item_problems = _bind_item(items[item_id], wanted[item_id], entry, field)
            problems.extend(item_problems)
            if not item_problems:
                bound[item_id] = inputs
    for item_id, inputs in wanted.items():
        if inputs and item_id not in raw:
            title = items[item_id].title
            problems.append(
                FieldError(f"{section}.{item_id}", f"missing {_source_word(source)} for {title} ({item_id})")
            )
    return bound, problems


def _source_word(source: Source) -> str:
    return "the target" if source is Source.TARGETS else "the value"


def _no_inputs_message(item: Item, source: Source) -> str:
    message = f"item '{item.id}' takes no {source.value}"
    return message + ("; it is judged: give its points in 'scores'" if item.needs_assessor else "")


def _bind_item(
    item: Item, inputs: tuple[Input, ...], entry: Any, field: str
) -> tuple[dict[str, Fraction], list[FieldError]]:
    if len(inputs) == 1:
        (single,) = inputs
        value, problem = _bind_number(item, single, entry, field)
        return ({single.name: value} if problem is None else {}), ([problem] if problem else [])
    if not isinstance(entry, dict):
        names = ", ".join(i.name for i in inputs)
        return {}, [
            FieldError(field, f"{item.title} ({item.id}) takes several inputs ({names}): give an object")
        ]
    problems = _unknown_keys(entry, tuple(i.name for i in inputs), field + ".")
    bound: dict[str, Fraction] = {}
    for spec in inputs:
        if spec.name not in entry:
            problems.append(
                FieldError(f"{field}.{spec.name}", f"missing input '{spec.name}' of {item.title} ({item.id})")
            )
            continue
        value, problem = _bind_number(item, spec, entry[spec.name], f"{field}.{spec.name}")
        if problem is None:
            bound[spec.name] = value
        else:
            problems.append(problem)
    return bound, problems


def _bind_number(item: Item, spec: Input, raw: Any, field: str) -> tuple[Fraction, FieldError | None]:
    value = exact(raw)
    if isinstance(value, str):
        return Fraction(0), FieldError(field, value)
    if value not in spec.domain:
        return value, FieldError(
            field,
            f"{format_number(value)} is outside {spec.domain}, the domain of '{spec.name}' of {item.title}",
        )
    if spec.integral and value.denominator != 1:
        return value, FieldError(
            field, f"{format_number(value)} is not a whole number; '{spec.name}' is a count"
        )
    return value, None


def _bind_scores(rubric: Rubric, raw: Any) -> tuple[dict[str, Fraction], list[FieldError]]:
    if not isinstance(raw, dict):
        return {}, [
            FieldError("scores", f"'scores' must be an object keyed by item id, not {_describe(raw)}")
        ]
    items = {item.id: item for item in rubric.items()}
    problems: list[FieldError] = []
    scores: dict[str, Fraction] = {}
    for item_id, entry in raw.items():
        field = f"scores.{item_id}"
        item = items.get(item_id)
        if item is None:
            hint = did_you_mean(item_id, items)
            problems.append(FieldError(field, f"unknown item '{item_id}'" + (f"; {hint}" if hint else "")))
            continue
        if not item.needs_assessor:
            problems.append(
                FieldError(field, f"{item.title} ({item_id}) is scored from its values, not by an assessor")
            )
            continue
        value = exact(entry)
        if isinstance(value, str):
            problems.append(FieldError(field, value))
        elif not 0 <= value <= item.points:
            problems.append(
                FieldError(
                    field,
                    f"{format_number(value)} is not between 0 and {format_number(item.points)}, "
                    f"the points of {item.title}",
                )
            )
        else:
            scores[item_id] = value
    return scores, problems


def _bind_vetoes(rubric: Rubric, raw: Any) -> tuple[tuple[str, ...], list[FieldError]]:
    if not isinstance(raw, list):
        return (), [FieldError("vetoes", f"'vetoes' must be a list of veto ids, not {_describe(raw)}")]
    known = [veto.id for veto in rubric.vetoes]
    problems: list[FieldError] = []
    vetoes: list[str] = []
    for index, entry in enumerate(raw):
        field = f"vetoes[{index}]"
        if not isinstance(entry, str):
            problems.append(FieldError(field, f"a veto id is a text, not {_describe(entry)}"))
        elif entry not in known:
            hint = did_you_mean(entry, known)
            problems.append(FieldError(field, f"unknown veto '{entry}'" + (f"; {hint}" if hint else "")))
        elif entry in vetoes:
            problems.append(FieldError(field, f"veto '{entry}' is listed twice"))
        else:
            vetoes.append(entry)
    return tuple(vetoes), problems
