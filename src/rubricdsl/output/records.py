"""Scorecards for programs: the JSON output contract of ``score --format json``.

Numbers are rounded to the places the rubric declares and written as the decimals
they are; Chinese stays readable.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..model import Rubric
from ..numbers import format_number
from ..provenance import Provenance
from ..scoring import GroupScore, ItemScore, Scorecard, TagScore
from ..source import Span
from .ranking import ranks

Round = Callable[[Fraction], Decimal]


def to_json(rubric: Rubric, cards: Sequence[Scorecard], made: Provenance | None = None) -> str:
    """The output contract of ``score --format json``: UTF-8 text, numbers rounded to the declared places,
    and, given ``made``, what produced it (``provenance``).

    >>> from rubricdsl import loads, score
    >>> rubric = loads('rubric "t" { item a "甲" points 5 { judged } }')
    >>> cards = score(rubric, {"units": [{"id": "东区", "scores": {"a": 4.5}}]})
    >>> to_json(rubric, cards).splitlines()[4:7]
    ['      "id": "东区",', '      "rank": 1,', '      "total": 4.5,']
    """
    document: dict[str, Any] = {"rubric": rubric.title}
    if made is not None:
        document["provenance"] = made.record()
    document["units"] = unit_records(rubric, cards)
    return dumps(document) + "\n"


def unit_records(rubric: Rubric, cards: Sequence[Scorecard]) -> list[dict[str, Any]]:
    """Each unit's record of the output contract, its rank among the units included."""
    bonus = rubric.has_bonus  # walks the whole rubric: once per report, not once per item
    return [_card_record(rubric, card, bonus, rank) for card, rank in zip(cards, ranks(cards), strict=True)]


def _card_record(rubric: Rubric, card: Scorecard, bonus: bool, rank: int | None) -> dict[str, Any]:
    number = rubric.rounding.apply
    record: dict[str, Any] = {
        "id": card.unit_id,
        "rank": rank,
        "total": card.reported_total,
        "max": number(card.max),
    }
    if bonus:
        record["base"] = _maybe(number, card.base)
        record["bonus"] = _maybe(number, card.bonus)
        record["bonus_max"] = _maybe(number, rubric.bonus_allowed)
    record.update(
        grade=card.grade.name if card.grade else None,
        grade_label=card.grade.label if card.grade else None,
        vetoed=card.vetoed,
        vetoes=[veto.id for veto in card.vetoes],
        items={item_id: _item_record(rubric, score, bonus) for item_id, score in card.items.items()},
        groups={g.group.id: _group_record(number, g, bonus) for g in card.groups if g.group.id is not None},
        **({"tags": {t.tag.name: _tag_record(number, t) for t in card.tags}} if card.tags else {}),
        errors=[problem.to_record() for problem in card.errors],
    )
    return record


def _tag_record(number: Round, score: TagScore) -> dict[str, Any]:
    return {
        "score": number(score.score),
        "max": number(score.max),
        "count": len(score.items),
        "full": len(score.full),
        "items": list(score.items),
    }


def _maybe(number: Round, value: Fraction | None) -> Decimal | None:
    return number(value) if value is not None else None


def _group_record(number: Round, score: GroupScore, bonus: bool) -> dict[str, Any]:
    record: dict[str, Any] = {"score": number(score.score), "max": number(score.max)}
    if bonus:
        record["bonus"] = number(score.bonus)
        record["bonus_max"] = _maybe(number, score.group.bonus_allowed)  # what can be earned
        record["total"] = number(score.score + score.bonus)
    record["capped"] = score.capped
    if score.vetoed:
        record["vetoed"] = True
    return record


def _value(rubric: Rubric, name: str, value: Fraction) -> Any:
    """A value an item read: a category fact by its name, a yes/no fact as true/false."""
    if rubric.has("fact", name):
        fact = rubric.fact(name)
        if fact.categories:
            return fact.shown(value)
        if fact.is_flag:
            return bool(value)
    return rubric.rounding.apply(value)


def _item_record(rubric: Rubric, score: ItemScore, bonus: bool) -> dict[str, Any]:
    number = rubric.rounding.apply
    record: dict[str, Any] = {
        "score": number(score.score),
        "max": number(score.item.max_points),
        "deduction": number(score.deduction),
    }
    if bonus:
        record["bonus"] = number(score.bonus)
    record["rule"] = score.rule
    record["line"] = _line(score.span)
    if score.adjustments:
        record["adjustments"] = [
            {"rule": str(a.adjustment), "amount": number(a.amount), "capped": a.capped, "line": _line(a.span)}
            for a in score.adjustments
        ]
    if score.measures:
        record["measures"] = {name: _value(rubric, name, value) for name, value in score.measures}
    if isinstance(score.assessed, str):
        record["level"] = score.assessed
    elif score.assessed is not None:
        record["assessed"] = number(score.assessed)
    if not score.applies:
        record["applies"] = False
    if score.evidence_missing:
        record["evidence_missing"] = True
    if score.override is not None and score.original is not None:
        record["override"] = {
            "original": number(score.original),
            "score": number(score.override.score),
            "reason": score.override.reason,
            "by": score.override.by,
            "at": score.override.at,
        }
    return record


def _line(span: Span | None) -> int | None:
    return span.line if span else None


def dumps(value: Any, indent: str = "  ", level: int = 0) -> str:
    """JSON text with ``Decimal`` written as the number it is and Chinese left readable.

    >>> print(dumps({"鄂城区": [Decimal("78.90"), None, True]}, indent=""))
    {
    "鄂城区": [
    78.9,
    null,
    true
    ]
    }
    """
    inner, outer = indent * (level + 1), indent * level
    if isinstance(value, dict):
        if not value:
            return "{}"
        entries = [f"{inner}{_string(str(k))}: {dumps(v, indent, level + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(entries) + f"\n{outer}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        entries = [f"{inner}{dumps(v, indent, level + 1)}" for v in value]
        return "[\n" + ",\n".join(entries) + f"\n{outer}]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (Decimal, Fraction, int)):
        return format_number(Fraction(value) if isinstance(value, int) else value)
    return _string(str(value))


def json_lines(records: Iterable[Any]) -> str:
    """One JSON value a line, written as ``dumps`` writes it: decimals as their digits, Chinese readable.

    >>> print(json_lines([{"id": "东区", "total": Decimal("9.50")}]), end="")
    {"id": "东区","total": 9.5}
    """
    return "".join(dumps(record, indent="").replace("\n", "") + "\n" for record in records)


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
