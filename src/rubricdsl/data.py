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
from .model import Input, InputSource, Item, Rubric, approximate

UNIT_KEYS = ("id", "values", "scores", "vetoes", "missing_evidence")
ROUND_KEYS = ("targets", "units")

# Far beyond any score or count, and small enough that exact arithmetic stays quick.
MAX_DIGITS = 40
MAX_MAGNITUDE = 30  # decimal exponent of the largest accepted number


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
    ) -> None:
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
    missing_evidence: tuple[str, ...] = ()  # items whose written evidence is missing: they score zero
    position: int = 0  # index in the file's units, to name a unit without a usable id
    readable: bool = True  # False when the entry was not even an object: nothing of it can be scored

    @property
    def label(self) -> str:
        return self.id if self.id is not None else f"units[{self.position}]"

    def has_error(self, field: str) -> bool:
        """Whether an error was recorded for ``field``, an entry inside it, or the section holding it."""
        section = field.split(".", 1)[0]
        return any(e.field in (field, section) or e.field.startswith(field + ".") for e in self.errors)


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


class _JsonObject(dict):
    """A JSON object that remembers the keys it was given twice (the last value is kept)."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> _JsonObject:
    result = _JsonObject(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        result.duplicates = tuple(k for k, _ in pairs if k in seen or seen.add(k))
    return result


def read_json(path: str | os.PathLike[str]) -> Any:
    """Read a JSON file with every number as the exact ``Decimal`` it spells.

    Raises ``DataError`` for a file that cannot be read or is not JSON.
    """
    shown = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise DataError(shown, [FieldError("", f"cannot read the file: {exc.strerror or exc}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(
            shown, [FieldError("", "not UTF-8 text (save the file as UTF-8)")], line, column
        ) from None
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
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as exc:
        raise DataError(path, [FieldError("", f"not valid JSON: {exc.msg}")], exc.lineno, exc.colno) from None
    except RecursionError:
        raise DataError(path, [FieldError("", "JSON nested too deeply")]) from None


def exact(value: Any) -> Fraction | str:
    """The exact number a data entry spells, or why it is not a usable number.

    Floats (from Python callers) are read as the shortest decimal that prints them.

    >>> exact(Decimal("89.1")), exact(True), exact("5")
    (Fraction(891, 10), 'true is not a number', 'the text "5" is not a number')
    """
    if isinstance(value, bool):
        return f"{str(value).lower()} is not a number"
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return f"{value} is not a number"
        _, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)
        if value and value.adjusted() > MAX_MAGNITUDE:
            return f"{_short(value)} is too large to be a score, a count or a rate"
        if len(digits) > MAX_DIGITS or exponent < -MAX_DIGITS:
            return f"{_short(value)} has more than {MAX_DIGITS} digits"
        return Fraction(value)
    if isinstance(value, Fraction):
        if value.denominator > 10**MAX_DIGITS or abs(value) > 10**MAX_MAGNITUDE:
            return "the fraction is too large or too fine"
        return value
    if isinstance(value, _NotANumber):
        return f"{value.text} is not a number"
    return f"{_describe(value)} is not a number"


def _short(value: Decimal) -> str:
    """A number shown in a message without spelling out thousands of digits."""
    text = str(value)
    return text if len(text) <= 24 else f"{text[:12]}…{text[-8:]}"


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (Decimal, int, float, Fraction)):
        return "a number"
    if isinstance(value, str):
        return f'the text "{value}"' if len(value) <= 40 else "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _duplicate_keys(entry: Any, path: str) -> list[FieldError]:
    """Every key given twice in ``entry`` or anything inside it: one value would be silently lost."""
    found: list[FieldError] = []
    if isinstance(entry, _JsonObject):
        for key in entry.duplicates:
            found.append(FieldError(_join(path, key), f"'{key}' is given twice; keep one"))
        for key, value in entry.items():
            found.extend(_duplicate_keys(value, _join(path, key)))
    elif isinstance(entry, list):
        for index, value in enumerate(entry):
            found.extend(_duplicate_keys(value, f"{path}[{index}]"))
    return found


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


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
    problems += [p for p in _duplicate_keys(document, "") if not p.field.startswith("units[")]
    units = document.get("units")
    if not isinstance(units, list):
        found = "is missing" if "units" not in document else f"is {_describe(units)}"
        problems.append(FieldError("units", f"'units' {found}; it must be a list of units"))
    targets, target_problems = _bind_sources(rubric, document.get("targets", {}), InputSource.TARGETS)
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


def bind_unit(rubric: Rubric, raw: Any, position: int = 0) -> UnitData:
    """Bind one unit's entry; every problem becomes one of its ``errors``."""
    if not isinstance(raw, dict):
        problem = FieldError(f"units[{position}]", f"a unit must be an object, not {_describe(raw)}")
        return UnitData(None, {}, {}, errors=(problem,), position=position, readable=False)
    problems = _unknown_keys(raw, UNIT_KEYS, "") + _duplicate_keys(raw, "")
    unit_id = raw.get("id")
    if not isinstance(unit_id, str) or not unit_id.strip():
        shown = "is missing" if "id" not in raw else f"is {_describe(unit_id)}"
        problems.append(FieldError("id", f"the id of units[{position}] {shown}; it must be a non-empty text"))
        unit_id = None
    missing, evidence_problems = _bind_missing_evidence(rubric, raw.get("missing_evidence", []))
    # An item without its evidence scores zero whatever its values, so it needs none.
    values, value_problems = _bind_sources(rubric, raw.get("values", {}), InputSource.VALUES, set(missing))
    scores, score_problems = _bind_scores(rubric, raw.get("scores", {}))
    vetoes, veto_problems = _bind_vetoes(rubric, raw.get("vetoes", []))
    problems.extend(value_problems + score_problems + veto_problems + evidence_problems)
    return UnitData(unit_id, values, scores, vetoes, tuple(problems), missing, position)


def _unknown_keys(entry: dict, known: tuple[str, ...], prefix: str) -> list[FieldError]:
    problems = []
    for key in entry:
        if key not in known:
            hint = did_you_mean(key, known)
            message = f"unknown key '{key}'" + (f"; {hint}" if hint else f"; expected {', '.join(known)}")
            problems.append(FieldError(prefix + key, message))
    return problems


def _unknown_item(section: str, item_id: str, items: Mapping[str, Item]) -> FieldError:
    hint = did_you_mean(item_id, items)
    return FieldError(f"{section}.{item_id}", f"unknown item '{item_id}'" + (f"; {hint}" if hint else ""))


def _bind_sources(
    rubric: Rubric, raw: Any, source: InputSource, excused: set[str] | frozenset[str] = frozenset()
) -> tuple[dict[str, dict[str, Fraction]], list[FieldError]]:
    """Bind ``values`` or ``targets``: each item's inputs from that source, checked against their domains."""
    section = source.value
    if not isinstance(raw, dict):
        return {}, [
            FieldError(section, f"'{section}' must be an object keyed by item id, not {_describe(raw)}")
        ]
    items = {item.id: item for item in rubric.items()}
    problems: list[FieldError] = []
    bound: dict[str, dict[str, Fraction]] = {}
    for item_id, entry in raw.items():
        field = f"{section}.{item_id}"
        item = items.get(item_id)
        if item is None:
            problems.append(_unknown_item(section, item_id, items))
        elif not item.inputs_from(source):
            problems.append(FieldError(field, _takes_none_message(item, source)))
        else:
            inputs, item_problems = _bind_item(item, item.inputs_from(source), entry, field)
            problems.extend(item_problems)
            if not item_problems:
                bound[item_id] = inputs
    for item_id, item in items.items():
        wanted = item.inputs_from(source)
        if item_id in raw or not wanted or item_id in excused:
            continue
        if all(spec.default is not None for spec in wanted):
            bound[item_id] = {spec.name: spec.default for spec in wanted if spec.default is not None}
        else:
            what = "the target" if source is InputSource.TARGETS else "the value"
            problems.append(
                FieldError(f"{section}.{item_id}", f"missing {what} for {item.title} ({item_id})")
            )
    return bound, problems


def _takes_none_message(item: Item, source: InputSource) -> str:
    message = f"{item.title} ({item.id}) takes no {source.value}"
    return message + ("; an assessor scores it: give its points in 'scores'" if item.needs_assessor else "")


def _bind_item(
    item: Item, inputs: tuple[Input, ...], entry: Any, field: str
) -> tuple[dict[str, Fraction], list[FieldError]]:
    required = [spec for spec in inputs if spec.default is None]
    if len(inputs) == 1 or (len(required) == 1 and not isinstance(entry, dict)):
        # One number for the one input the data must give; an assessor's amounts then stay 0.
        single = required[0] if len(required) == 1 else inputs[0]
        defaults = {
            spec.name: spec.default for spec in inputs if spec is not single and spec.default is not None
        }
        value, problem = _bind_number(item, single, entry, field)
        if problem is not None and isinstance(entry, dict):
            problem = FieldError(field, f"{item.title} ({item.id}) takes one number here, not an object")
        return ({single.name: value, **defaults} if problem is None else {}), ([problem] if problem else [])
    if not isinstance(entry, dict):
        names = ", ".join(i.name for i in inputs)
        message = f"{item.title} ({item.id}) takes several inputs: give an object of {names}"
        return {}, [FieldError(field, message)]
    problems = _unknown_keys(entry, tuple(i.name for i in inputs), field + ".")
    bound: dict[str, Fraction] = {}
    for spec in inputs:
        name_field = f"{field}.{spec.name}"
        if spec.name not in entry and spec.default is not None:
            bound[spec.name] = spec.default  # an assessor's amount left out: nothing entered
            continue
        if spec.name not in entry:
            problems.append(
                FieldError(name_field, f"missing input '{spec.name}' of {item.title} ({item.id})")
            )
            continue
        value, problem = _bind_number(item, spec, entry[spec.name], name_field)
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
        message = (
            f"{approximate(value)} is outside {spec.domain}, the domain of '{spec.name}' of {item.title}"
        )
        return value, FieldError(field, message)
    if spec.integral and value.denominator != 1:
        return value, FieldError(
            field, f"{approximate(value)} is not a whole number; '{spec.name}' is a count"
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
            problems.append(_unknown_item("scores", item_id, items))
            continue
        if not item.needs_assessor:
            problems.append(FieldError(field, f"{item.title} ({item_id}) takes no assessor's score"))
            continue
        value = exact(entry)
        if isinstance(value, str):
            problems.append(FieldError(field, value))
        elif not 0 <= value <= item.points:
            limit = f"0 and {approximate(item.points)}, the points of {item.title}"
            problems.append(FieldError(field, f"{approximate(value)} is not between {limit}"))
        else:
            scores[item_id] = value
    return scores, problems


def _bind_missing_evidence(rubric: Rubric, raw: Any) -> tuple[tuple[str, ...], list[FieldError]]:
    if raw == []:
        return (), []
    if rubric.evidence is None:
        return (), [
            FieldError("missing_evidence", "this rubric has no evidence rule, so no item needs evidence")
        ]
    return _bind_ids(raw, "missing_evidence", "item", [item.id for item in rubric.items()])


def _bind_vetoes(rubric: Rubric, raw: Any) -> tuple[tuple[str, ...], list[FieldError]]:
    return _bind_ids(raw, "vetoes", "veto", [veto.id for veto in rubric.vetoes])


def _bind_ids(
    raw: Any, section: str, kind: str, known: list[str]
) -> tuple[tuple[str, ...], list[FieldError]]:
    """A list of ids, each known and listed once."""
    if not isinstance(raw, list):
        return (), [FieldError(section, f"'{section}' must be a list of {kind} ids, not {_describe(raw)}")]
    problems: list[FieldError] = []
    ids: list[str] = []
    for index, entry in enumerate(raw):
        field = f"{section}[{index}]"
        if not isinstance(entry, str):
            problems.append(FieldError(field, f"{kind} ids are texts, not {_describe(entry)}"))
        elif entry not in known:
            hint = did_you_mean(entry, known)
            problems.append(FieldError(field, f"unknown {kind} '{entry}'" + (f"; {hint}" if hint else "")))
        elif entry in ids:
            problems.append(FieldError(field, f"{kind} '{entry}' is listed twice"))
        else:
            ids.append(entry)
    return tuple(ids), problems
