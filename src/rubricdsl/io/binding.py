"""Binding a round's document to a rubric: every entry checked, every number made exact.

The document is the data contract as plain Python values, whatever file it came from.
A problem with the document or its targets stops the round (``DataError``); a problem
with one unit is recorded on that unit and never stops the others.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime
from fractions import Fraction
from typing import Any

import attrs

from ..model import Fact, Input, InputSource, Item, Levels, Rubric
from ..numbers import Unusable, approximate, describe, exact
from ..problems import DataError, Problem, did_you_mean
from .json_file import JsonObject, Unreadable, read_json
from .round import Override, RoundData, UnitData
from .tables import PercentDecimal
from .unit_ids import place, refuse_clashing_ids

UNIT_KEYS = ("id", "facts", "values", "scores", "vetoes", "missing_evidence", "overrides")
OVERRIDE_KEYS = ("score", "reason", "by", "at")
ROUND_KEYS = ("targets", "units")


def _problem(code: str, field: str, message: str) -> Problem:
    return Problem(code, message, field=field or None)


def read_round(rubric: Rubric, path: str | os.PathLike[str]) -> RoundData:
    """Read a data file (JSON) and bind it to ``rubric``.

    Raises ``DataError`` when nothing can be scored: the file is unreadable or
    malformed, a target is missing or bad, or two units share an id.

    >>> from rubricdsl import load
    >>> round_data = read_round(load("rubrics/ezhou2013.rub"), "examples/ezhou2013-districts.json")
    >>> round_data.targets["manufacturing_pass_rate"], len(round_data.units)
    ({'target': Fraction(468, 5)}, 6)
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
        message = f"the file holds {describe(document)}, not an object with 'units'"
        raise DataError(path, [Problem("E305", message, path=path)])
    problems = _unknown_keys(document, ROUND_KEYS, "")
    problems += [p for p in _duplicate_keys(document, "") if not (p.field or "").startswith("units[")]
    units = document.get("units")
    if not isinstance(units, list):
        found = "is missing" if "units" not in document else f"is {describe(units)}"
        problems.append(_problem("E305", "units", f"'units' {found}; it must be a list of units"))
    targets, target_problems = _bind_sources(rubric, document.get("targets", {}), InputSource.TARGETS)
    problems.extend(target_problems)
    if problems:
        raise DataError(path, [attrs.evolve(p, path=path) for p in problems])
    assert isinstance(units, list)
    bound = tuple(bind_unit(rubric, unit, index, path) for index, unit in enumerate(units))
    return RoundData(targets, refuse_clashing_ids(bound, units, path), path)


def bind_unit(rubric: Rubric, raw: Any, position: int = 0, path: str | None = None) -> UnitData:
    """Bind one unit's entry; every problem becomes one of its ``problems``.

    >>> from rubricdsl import loads
    >>> rubric = loads('rubric "t" { item a "甲" points 5 { judged } }')
    >>> [(p.code, p.unit, p.field) for p in bind_unit(rubric, {"id": "东区", "scores": {"b": 1}}).problems]
    [('E310', '东区', 'scores.b')]
    """
    label = f"units[{position}]"
    if isinstance(raw, Unreadable):
        located = tuple(attrs.evolve(p, path=path, unit=label, field=label) for p in raw.problems)
        return UnitData(None, {}, {}, problems=located, position=position, readable=False)
    if not isinstance(raw, dict):
        problem = Problem(
            "E305", f"a unit must be an object, not {describe(raw)}", path=path, unit=label, field=label
        )
        return UnitData(None, {}, {}, problems=(problem,), position=position, readable=False)
    problems = [*getattr(raw, "problems", ()), *_unknown_keys(raw, UNIT_KEYS, ""), *_duplicate_keys(raw, "")]
    unit_id = raw.get("id")
    if not isinstance(unit_id, str) or not unit_id.strip():
        shown = "is missing" if "id" not in raw else f"is {describe(unit_id)}"
        problems.append(_problem("E309", "id", f"the id of {label} {shown}; it must be a non-empty text"))
        unit_id = None
    missing, evidence_problems = _bind_missing_evidence(rubric, raw.get("missing_evidence", []))
    # An item without its evidence scores zero whatever its values, so it needs none; one that
    # may not apply needs them only if it does, which scoring finds out.
    excused = set(missing) | {i.id for i in rubric.items() if i.applies or rubric.conditions_above(i)}
    values, value_problems = _bind_sources(rubric, raw.get("values", {}), InputSource.VALUES, excused)
    facts, fact_problems = _bind_facts(rubric, raw.get("facts", {}))
    scores, score_problems = _bind_scores(rubric, raw.get("scores", {}))
    vetoes, veto_problems = _bind_vetoes(rubric, raw.get("vetoes", []))
    overrides, override_problems = _bind_overrides(rubric, raw.get("overrides", {}))
    problems.extend(fact_problems + value_problems + score_problems + veto_problems + evidence_problems)
    problems.extend(override_problems)
    unreadable = tuple(getattr(raw, "cell_problems", ()))  # a workbook's cells, each at its place
    if unreadable:  # the value left out is that problem, not a missing value as well
        fields = {p.field for p in unreadable}
        problems = [p for p in problems if not (p.code == "E312" and p.field in fields)] + list(unreadable)
    located = tuple(
        attrs.evolve(
            p, path=path, unit=unit_id if unit_id is not None else label, span=p.span or place(raw, p.field)
        )
        for p in problems
    )
    return UnitData(
        unit_id, values, scores, vetoes, located, missing, position, facts=facts, overrides=overrides
    )


def _duplicate_keys(entry: Any, path: str) -> list[Problem]:
    """Every key given twice in ``entry`` or anything inside it: one value would be silently lost."""
    found: list[Problem] = []
    if isinstance(entry, JsonObject):
        for key in entry.duplicates:
            found.append(_problem("E307", _join(path, key), f"'{key}' is given twice; keep one"))
    if isinstance(entry, dict):
        for key, value in entry.items():
            found.extend(_duplicate_keys(value, _join(path, key)))
    elif isinstance(entry, list):
        for index, value in enumerate(entry):
            found.extend(_duplicate_keys(value, f"{path}[{index}]"))
    return found


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _unknown_keys(entry: dict[str, Any], known: tuple[str, ...], prefix: str) -> list[Problem]:
    problems = []
    for key in entry:
        if key not in known:
            hint = did_you_mean(key, known)
            message = f"unknown key '{key}'" + (f"; {hint}" if hint else f"; expected {', '.join(known)}")
            problems.append(_problem("E306", prefix + key, message))
    return problems


def _unknown_item(section: str, item_id: str, items: Mapping[str, Item]) -> Problem:
    hint = did_you_mean(item_id, items)
    return _problem(
        "E310", f"{section}.{item_id}", f"unknown item '{item_id}'" + (f"; {hint}" if hint else "")
    )


def _bind_sources(
    rubric: Rubric, raw: Any, source: InputSource, excused: set[str] | frozenset[str] = frozenset()
) -> tuple[dict[str, dict[str, Fraction]], list[Problem]]:
    """Bind ``values`` or ``targets``: each item's inputs from that source, checked against their domains."""
    section = source.value
    if not isinstance(raw, dict):
        message = f"'{section}' must be an object keyed by item id, not {describe(raw)}"
        return {}, [_problem("E305", section, message)]
    items = {item.id: item for item in rubric.items()}
    problems: list[Problem] = []
    bound: dict[str, dict[str, Fraction]] = {}
    for item_id, entry in raw.items():
        field = f"{section}.{item_id}"
        item = items.get(item_id)
        if item is None:
            problems.append(_unknown_item(section, item_id, items))
        elif not item.inputs_from(source):
            problems.append(_problem("E311", field, _takes_none_message(item, source)))
        else:
            inputs, item_problems = _bind_item(
                item, item.inputs_from(source), entry, field, item_id in excused
            )
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
                _problem("E312", f"{section}.{item_id}", f"missing {what} for {item.title} ({item_id})")
            )
    return bound, problems


def _takes_none_message(item: Item, source: InputSource) -> str:
    message = f"{item.title} ({item.id}) takes no {source.value}"
    if isinstance(item.rule, Levels):
        return message + "; an assessor chooses its level: give the level's name in 'scores'"
    return message + ("; an assessor scores it: give its points in 'scores'" if item.needs_assessor else "")


def _bind_item(
    item: Item, inputs: tuple[Input, ...], entry: Any, field: str, excused: bool = False
) -> tuple[dict[str, Fraction], list[Problem]]:
    required = [spec for spec in inputs if spec.default is None]
    if len(inputs) == 1 or (len(required) == 1 and not isinstance(entry, dict)):
        # One number for the one input the data must give; an assessor's amounts then stay 0.
        single = required[0] if len(required) == 1 else inputs[0]
        defaults = {
            spec.name: spec.default for spec in inputs if spec is not single and spec.default is not None
        }
        value, problem = _bind_number(item, single, entry, field)
        if problem is not None and isinstance(entry, dict):
            problem = _problem(
                "E311", field, f"{item.title} ({item.id}) takes one number here, not an object"
            )
        return ({single.name: value, **defaults} if problem is None else {}), ([problem] if problem else [])
    if not isinstance(entry, dict):
        names = ", ".join(i.name for i in inputs)
        message = f"{item.title} ({item.id}) takes several inputs: give an object of {names}"
        return {}, [_problem("E311", field, message)]
    problems = _unknown_keys(entry, tuple(i.name for i in inputs), field + ".")
    bound: dict[str, Fraction] = {}
    for spec in inputs:
        name_field = f"{field}.{spec.name}"
        if spec.name not in entry and spec.default is not None:
            bound[spec.name] = spec.default  # an assessor's amount left out: nothing entered
            continue
        if spec.name not in entry:
            if not excused:
                message = f"missing input '{spec.name}' of {item.title} ({item.id})"
                problems.append(_problem("E312", name_field, message))
            continue
        value, problem = _bind_number(item, spec, entry[spec.name], name_field)
        if problem is None:
            bound[spec.name] = value
        else:
            problems.append(problem)
    return bound, problems


def _unusable(field: str, reason: Unusable) -> Problem:
    return _problem("E314" if reason.too_large else "E313", field, reason.message)


def _percent_sign(raw: Any, kind: str, what: str) -> Unusable | None:
    """A table's ``95%`` is a number only for a percent; elsewhere the sign says the column is mistaken."""
    if isinstance(raw, PercentDecimal) and kind != "percent":
        return Unusable(f"'{raw}%' has a percent sign, but {what} is not a percent")
    return None


def _bind_number(item: Item, spec: Input, raw: Any, field: str) -> tuple[Fraction, Problem | None]:
    value = _percent_sign(raw, spec.kind, f"'{spec.name}' of {item.title} ({spec.kind})") or exact(raw)
    if isinstance(value, Unusable):
        return Fraction(0), _unusable(field, value)
    if value not in spec.domain:
        message = (
            f"{approximate(value)} is outside {spec.domain}, the domain of '{spec.name}' of {item.title}"
        )
        return value, _problem("E315", field, message)
    if spec.integral and value.denominator != 1:
        return value, _problem(
            "E315", field, f"{approximate(value)} is not a whole number; '{spec.name}' is a count"
        )
    return value, None


def _bind_facts(rubric: Rubric, raw: Any) -> tuple[dict[str, Fraction], list[Problem]]:
    """The unit's facts: a number, true/false for a yes/no, or a category's name.

    Every fact something in the rubric reads must be given: each one left out is an E312
    (whether an ``or`` would have read it depends on the unit's scores, so it is not asked).
    """
    if not isinstance(raw, dict):
        return {}, [
            _problem("E305", "facts", f"'facts' must be an object keyed by fact, not {describe(raw)}")
        ]
    known = [f.name for f in rubric.facts]
    problems: list[Problem] = []
    facts: dict[str, Fraction] = {}
    for name, entry in raw.items():
        field = f"facts.{name}"
        if not rubric.has("fact", name):
            hint = did_you_mean(name, known) or (
                "facts: " + ", ".join(known) if known else "the rubric has no facts"
            )
            problems.append(_problem("E310", field, f"unknown fact '{name}'; {hint}"))
            continue
        fact = rubric.fact(name)
        value = _fact_value(fact, entry)
        if isinstance(value, str):
            problems.append(_problem("E313" if not fact.categories else "E315", field, value))
        else:
            facts[name] = value
    for name in sorted(rubric.facts_read() - set(raw), key=[f.name for f in rubric.facts].index):
        title = rubric.fact(name).title
        shown = f" ({title})" if title else ""
        problems.append(_problem("E312", f"facts.{name}", f"missing fact '{name}'{shown}"))
    return facts, problems


def _fact_value(fact: Fact, entry: Any) -> Fraction | str:
    """The fact's value as it is held, or why the entry cannot be one."""
    what = fact.title or fact.name
    if fact.categories:
        if isinstance(entry, str) and entry in fact.categories:
            return Fraction(fact.index(entry))
        hint = did_you_mean(str(entry), fact.categories) if isinstance(entry, str) else None
        return f"{describe(entry)} is not a category of {what}: " + (
            hint or "one of " + ", ".join(fact.categories)
        )
    if fact.is_flag and isinstance(entry, bool):
        return Fraction(int(entry))
    value = _percent_sign(entry, fact.kind, f"the fact {what}") or exact(entry)
    if isinstance(value, Unusable):
        return value.message
    if value not in fact.domain or (fact.integral and value.denominator != 1):
        shown = (
            "true or false" if fact.is_flag else f"{fact.domain}{' whole numbers' if fact.integral else ''}"
        )
        return f"{approximate(value)} is not a value of {what}: {shown}"
    return value


def _bind_scores(rubric: Rubric, raw: Any) -> tuple[dict[str, Fraction | str], list[Problem]]:
    if not isinstance(raw, dict):
        return {}, [
            _problem("E305", "scores", f"'scores' must be an object keyed by item id, not {describe(raw)}")
        ]
    items = {item.id: item for item in rubric.items()}
    problems: list[Problem] = []
    scores: dict[str, Fraction | str] = {}
    for item_id, entry in raw.items():
        field = f"scores.{item_id}"
        item = items.get(item_id)
        if item is None:
            problems.append(_unknown_item("scores", item_id, items))
            continue
        if not item.needs_assessor:
            problems.append(_problem("E311", field, f"{item.title} ({item_id}) takes no assessor's score"))
            continue
        if isinstance(item.rule, Levels):
            if isinstance(entry, str) and item.rule.level(entry) is not None:
                scores[item_id] = entry
            else:
                hint = did_you_mean(entry, item.rule.names()) if isinstance(entry, str) else None
                shown = "one of " + ", ".join(item.rule.names()) + (f"; {hint}" if hint else "")
                message = f"{describe(entry)} is not a level of {item.title}: {shown}"
                problems.append(_problem("E315", field, message))
            continue
        value = _percent_sign(entry, "points", f"the score of {item.title}") or exact(entry)
        if isinstance(value, Unusable):
            problems.append(_unusable(field, value))
        elif not 0 <= value <= item.max_points:
            limit = f"0 and {approximate(item.max_points)}, the points of {item.title}"
            problems.append(_problem("E315", field, f"{approximate(value)} is not between {limit}"))
        else:
            scores[item_id] = value
    return scores, problems


def _bind_missing_evidence(rubric: Rubric, raw: Any) -> tuple[tuple[str, ...], list[Problem]]:
    if raw == []:
        return (), []
    if rubric.evidence is None:
        message = "this rubric has no evidence rule, so no item needs evidence"
        return (), [_problem("E311", "missing_evidence", message)]
    return _bind_ids(raw, "missing_evidence", "item", [item.id for item in rubric.items()])


def _bind_vetoes(rubric: Rubric, raw: Any) -> tuple[tuple[str, ...], list[Problem]]:
    return _bind_ids(raw, "vetoes", "veto", [veto.id for veto in rubric.vetoes])


def _bind_ids(raw: Any, section: str, kind: str, known: list[str]) -> tuple[tuple[str, ...], list[Problem]]:
    """A list of ids, each known and listed once."""
    if not isinstance(raw, list):
        return (), [
            _problem("E305", section, f"'{section}' must be a list of {kind} ids, not {describe(raw)}")
        ]
    problems: list[Problem] = []
    ids: list[str] = []
    for index, entry in enumerate(raw):
        field = f"{section}[{index}]"
        if not isinstance(entry, str):
            problems.append(_problem("E305", field, f"{kind} ids are texts, not {describe(entry)}"))
        elif entry not in known:
            hint = did_you_mean(entry, known)
            problems.append(
                _problem("E310", field, f"unknown {kind} '{entry}'" + (f"; {hint}" if hint else ""))
            )
        elif entry in ids:
            problems.append(_problem("E307", field, f"{kind} '{entry}' is listed twice"))
        else:
            ids.append(entry)
    return tuple(ids), problems


def _bind_overrides(rubric: Rubric, raw: Any) -> tuple[dict[str, Override], list[Problem]]:
    """Corrections on appeal, keyed by item: a score within the item's points, a reason, who and when."""
    if not isinstance(raw, dict):
        message = f"'overrides' must be an object keyed by item id, not {describe(raw)}"
        return {}, [_problem("E305", "overrides", message)]
    items = {item.id: item for item in rubric.items()}
    problems: list[Problem] = []
    bound: dict[str, Override] = {}
    for item_id, entry in raw.items():
        field = f"overrides.{item_id}"
        item = items.get(item_id)
        if item is None:
            problems.append(_unknown_item("overrides", item_id, items))
            continue
        if not isinstance(entry, dict):
            message = f"an override is an object of {', '.join(OVERRIDE_KEYS)}, not {describe(entry)}"
            problems.append(_problem("E305", field, message))
            continue
        found = _unknown_keys(entry, OVERRIDE_KEYS, field + ".")
        for key in OVERRIDE_KEYS:
            if key not in entry:
                found.append(_problem("E312", f"{field}.{key}", f"the override of {item_id} has no '{key}'"))
            elif key != "score" and not (isinstance(entry[key], str) and entry[key].strip()):
                message = f"'{key}' must be a non-empty text, not {describe(entry[key])}"
                found.append(_problem("E305", f"{field}.{key}", message))
        if isinstance(entry.get("at"), str) and entry["at"].strip() and not _is_date(entry["at"]):
            message = f"'{entry['at']}' is not a date (2014-02-10) or a date and time (2014-02-10T09:30)"
            found.append(_problem("E313", f"{field}.at", message))
        value = exact(entry["score"]) if "score" in entry else Fraction(0)
        if isinstance(value, Unusable):
            found.append(_unusable(f"{field}.score", value))
        elif not 0 <= value <= item.max_points:
            limit = f"0 and {approximate(item.max_points)}, the points of {item.title}"
            found.append(_problem("E315", f"{field}.score", f"{approximate(value)} is not between {limit}"))
        if found:
            problems.extend(found)
        else:
            assert isinstance(value, Fraction)
            bound[item_id] = Override(
                value, entry["reason"].strip(), entry["by"].strip(), entry["at"].strip()
            )
    return bound, problems


def _is_date(text: str) -> bool:
    for reader in (date.fromisoformat, datetime.fromisoformat):
        try:
            reader(text.strip())
        except ValueError:
            continue
        return True
    return False
