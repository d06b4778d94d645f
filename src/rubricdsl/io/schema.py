"""The JSON Schema (draft 2020-12) of a rubric's data file, as ``binding.py`` accepts it.

Systems that collect a round can validate it before it arrives. The schema follows the
binder rule by rule: what the binder accepts validates, and what it refuses fails, as far as
JSON Schema can say it. It cannot say that unit ids differ from one another, that a key is
given once, or that a number has at most 40 digits; the binder still checks those.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..model import Fact, Input, InputSource, Interval, Item, Levels, Rubric
from ..numbers import MAX_MAGNITUDE, format_number
from .binding import OVERRIDE_KEYS, ROUND_KEYS, UNIT_KEYS

DRAFT = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]

# The binder refuses a number whose decimal exponent is above MAX_MAGNITUDE: 10^31 and beyond.
_LIMIT = 10 ** (MAX_MAGNITUDE + 1)


def data_schema(rubric: Rubric) -> Schema:
    """The JSON Schema of ``rubric``'s data file: targets, and units with their values, facts,
    scores, vetoes and missing evidence, each known by name and kept within its domain.

    >>> from rubricdsl import loads
    >>> rubric = loads('rubric "考核" { item a "甲" points 5 { judged } }')
    >>> schema = data_schema(rubric)
    >>> schema["title"], schema["required"]
    ('考核', ['units'])
    >>> schema["properties"]["units"]["items"]["properties"]["scores"]["properties"]["a"]
    {'title': '甲', 'type': 'number', 'minimum': Decimal('0'), 'maximum': Decimal('5')}
    """
    targets = _sources(rubric, InputSource.TARGETS, frozenset())
    schema: Schema = {
        "$schema": DRAFT,
        "title": rubric.title,
        "description": f"A round's data file for {rubric.title}: its targets and units.",
        "type": "object",
        "properties": {"targets": targets, "units": _units(rubric)},
        "required": (["targets"] if targets.get("required") else []) + ["units"],
        "additionalProperties": False,
    }
    assert set(schema["properties"]) == set(ROUND_KEYS)
    return schema


def _units(rubric: Rubric) -> Schema:
    """The list of units: each an object with a non-empty id."""
    # Items that need no values while they may not apply: scoring finds out whether they do.
    excused = frozenset(i.id for i in rubric.items() if i.applies or rubric.conditions_above(i))
    values = _sources(rubric, InputSource.VALUES, excused)
    facts = _facts(rubric)
    unit: Schema = {
        "type": "object",
        "properties": {
            "id": {
                "description": "the unit's id: a text with something besides spaces",
                "type": "string",
                "pattern": r"\S",
            },
            "facts": facts,
            "values": values,
            "scores": _scores(rubric),
            "vetoes": _ids("veto", [(v.id, v.title) for v in rubric.vetoes]),
            "missing_evidence": _ids(
                "item", [(i.id, i.title) for i in rubric.items()] if rubric.evidence else []
            ),
            "overrides": _overrides(rubric),
        },
        "required": ["id"],
        "additionalProperties": False,
    }
    if facts.get("required"):
        unit["required"].append("facts")
    if rubric.evidence is not None and values.get("required"):
        # An item whose written evidence is missing scores zero whatever its values: it needs none.
        unit["allOf"] = [_unless_evidence_missing(rubric, item_id) for item_id in values.pop("required")]
    elif values.get("required"):
        unit["required"].append("values")
    assert set(unit["properties"]) == set(UNIT_KEYS)
    return {"description": "the units of the round, each scored on its own", "type": "array", "items": unit}


def _unless_evidence_missing(rubric: Rubric, item_id: str) -> Schema:
    """The item's values are required unless the unit lists it in ``missing_evidence``."""
    item = rubric.item(item_id)
    wanted = [i.name for i in item.inputs_from(InputSource.VALUES) if i.default is None]
    return {
        "if": {
            "properties": {"missing_evidence": {"contains": {"const": item_id}}},
            "required": ["missing_evidence"],
        },
        "else": {
            "properties": {"values": {"properties": {item_id: {"required": wanted}}, "required": [item_id]}},
            "required": ["values"],
        },
    }


def _sources(rubric: Rubric, source: InputSource, excused: frozenset[str]) -> Schema:
    """``targets`` or ``values``: an object keyed by the ids of the items that read that source."""
    properties: dict[str, Schema] = {}
    required: list[str] = []
    evidence = source is InputSource.VALUES and rubric.evidence is not None
    for item in rubric.items():
        inputs = item.inputs_from(source)
        if not inputs:
            continue
        needed = item.id not in excused and any(i.default is None for i in inputs)
        # With an evidence rule, whether the inputs are needed depends on missing_evidence.
        properties[item.id] = _entry(item, inputs, needed and not evidence)
        if needed:
            required.append(item.id)
    described = "per-round targets" if source is InputSource.TARGETS else "the unit's measured values"
    schema: Schema = {
        "description": f"{described}, keyed by item id",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    return schema


def _entry(item: Item, inputs: tuple[Input, ...], needed: bool) -> Schema:
    """One item's entry: a number for its one input, or an object of its inputs by name."""
    required = [i for i in inputs if i.default is None]
    if len(inputs) == 1:
        return {"title": item.title, **_number(inputs[0])}
    shape: Schema = {
        "type": "object",
        "properties": {i.name: _number(i) for i in inputs},
        "additionalProperties": False,
    }
    if needed and required:
        shape["required"] = [i.name for i in required]
    if len(required) != 1:
        return {"title": item.title, **shape}
    # One input the data must give: a plain number for it will do, the others taking their defaults.
    return {"title": item.title, "anyOf": [_number(required[0]), shape]}


def _number(spec: Input) -> Schema:
    """A number within the input's domain, whole for a count or a flag."""
    schema: Schema = {"description": f"{spec.name}: {spec.kind} in {spec.domain}"}
    return schema | _within(spec.domain, spec.integral)


def _within(domain: Interval, integral: bool) -> Schema:
    """The numbers of ``domain``, as minimum and maximum, inclusive or exclusive."""
    schema: Schema = {"type": "integer" if integral else "number"}
    for edge, closed, inclusive, exclusive, beyond in (
        (domain.lower, domain.lower_closed, "minimum", "exclusiveMinimum", -_LIMIT),
        (domain.upper, domain.upper_closed, "maximum", "exclusiveMaximum", _LIMIT),
    ):
        if edge is None:
            schema[exclusive] = beyond
        elif (written := _decimal(edge)) is not None:
            schema[inclusive if closed else exclusive] = written
    return schema


def _decimal(value: Fraction) -> Decimal | None:
    """The edge as a decimal; None for one like 1/3 that has none (the binder still checks it)."""
    text = format_number(value)
    return None if "/" in text else Decimal(text)


def _facts(rubric: Rubric) -> Schema:
    """The unit's facts, by name; those something in the rubric reads are required."""
    schema: Schema = {
        "description": "what is true of the unit as a whole, keyed by fact name",
        "type": "object",
        "properties": {fact.name: _fact(fact) for fact in rubric.facts},
        "additionalProperties": False,
    }
    read = [f.name for f in rubric.facts if f.name in rubric.facts_read()]
    if read:
        schema["required"] = read
    return schema


def _fact(fact: Fact) -> Schema:
    titled: Schema = {"title": fact.title} if fact.title else {}
    if fact.categories:
        return titled | {"description": "one of its categories, by name", "enum": list(fact.categories)}
    if fact.is_flag:
        flag = _within(fact.domain, integral=True) | {"type": ["boolean", "integer"]}
        return titled | {"description": "yes or no: true or false (or 1 or 0)"} | flag
    return titled | {"description": f"{fact.kind} in {fact.domain}"} | _within(fact.domain, fact.integral)


def _scores(rubric: Rubric) -> Schema:
    """An assessor's scores: points within the item's, or the name of a level."""
    properties: dict[str, Schema] = {}
    for item in rubric.items():
        if not item.needs_assessor:
            continue
        if isinstance(item.rule, Levels):
            properties[item.id] = {
                "title": item.title,
                "description": "the name of the level chosen",
                "enum": list(item.rule.names()),
            }
        else:
            points = Interval(0, item.max_points)
            properties[item.id] = {"title": item.title} | _within(points, integral=False)
    return {
        "description": "points an assessor awards (never points deducted), or a level's name, by item id",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def _overrides(rubric: Rubric) -> Schema:
    """Corrections on appeal by item id: the new points within the item's, why, by whom and when."""
    text: Schema = {"type": "string", "pattern": r"\S"}
    properties: dict[str, Schema] = {
        item.id: {
            "title": item.title,
            "type": "object",
            "properties": {
                "score": _within(Interval(0, item.max_points), integral=False),
                "reason": text,
                "by": text,
                "at": text | {"description": "an ISO 8601 date (2014-02-20) or date and time"},
            },
            "required": list(OVERRIDE_KEYS),
            "additionalProperties": False,
        }
        for item in rubric.items()
    }
    return {
        "description": "corrections on appeal (复核), by item id",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def _ids(kind: str, known: list[tuple[str, str]]) -> Schema:
    """A list of known ids, each listed once; no ids at all when there are none to list."""
    if not known:
        return {
            "description": f"no {kind} ids: the rubric has none to list here",
            "type": "array",
            "maxItems": 0,
        }
    return {
        "description": f"{kind} ids: " + "; ".join(f"{name} ({title})" for name, title in known),
        "type": "array",
        "items": {"type": "string", "enum": [name for name, _ in known]},
        "uniqueItems": True,
    }
