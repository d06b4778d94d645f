"""Write scorecards for people (a table) and for programs (the JSON contract).

This is where exact scores are rounded, to the places the rubric declares.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .model import Group, Rubric, format_number
from .scorecard import ItemScore, Scorecard
from .source import display_width

# JSON ------------------------------------------------------------------------------------


def to_json(rubric: Rubric, cards: Sequence[Scorecard]) -> str:
    """The output contract of ``score --format json``: UTF-8 text, numbers rounded to the declared places."""
    document = {"rubric": rubric.title, "units": [_card_record(rubric, card) for card in cards]}
    return dumps(document) + "\n"


def _card_record(rubric: Rubric, card: Scorecard) -> dict[str, Any]:
    number = rubric.rounding.apply
    return {
        "id": card.unit_id,
        "total": card.reported_total,
        "max": number(card.max),
        "grade": card.grade.name if card.grade else None,
        "grade_label": card.grade.label if card.grade else None,
        "vetoed": card.vetoed,
        "vetoes": [veto.id for veto in card.vetoes],
        "items": {item_id: _item_record(rubric, score) for item_id, score in card.items.items()},
        "groups": {
            g.group.id: {"score": number(g.score), "max": number(g.max), "capped": g.capped}
            for g in card.groups
            if g.group.id is not None
        },
        "errors": [error.to_record() for error in card.errors],
    }


def _item_record(rubric: Rubric, score: ItemScore) -> dict[str, Any]:
    number = rubric.rounding.apply
    record: dict[str, Any] = {
        "score": number(score.score),
        "max": number(score.item.points),
        "deduction": number(score.deduction),
        "rule": score.rule,
        "line": score.span.line if score.span else None,
    }
    if score.measures:
        record["measures"] = {name: number(value) for name, value in score.measures}
    if score.assessed is not None:
        record["assessed"] = number(score.assessed)
    return record


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


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# Table -------------------------------------------------------------------------------------


def to_table(rubric: Rubric, cards: Sequence[Scorecard], explain: bool = False) -> str:
    """A table a person can read: a row per unit, a column per group, then notes and errors."""
    columns = _table_groups(rubric)
    number = rubric.rounding.apply
    # A column where some score was capped gets a mark column ("*" or " ") to keep the digits aligned.
    with_caps = {s.group.id for card in cards for s in card.groups if s.capped}

    def cell(group: Group, text: str, capped: bool = False) -> str:
        return text + ("*" if capped else " ") if group.id in with_caps else text

    headers = ["单位", *(cell(g, _column_label(g)) for g in columns), "总分", "等级"]
    maxima = ["满分", *(cell(g, format_number(g.points) if g.points is not None else "") for g in columns)]
    maxima += [format_number(cards[0].max) if cards else "", ""]
    rows = [headers, maxima]
    for card in cards:
        scores = {g.group.id: g for g in card.groups}
        row = [card.unit_id or "?"]
        for group in columns:
            score = scores.get(group.id)
            row.append(cell(group, str(number(score.score)), score.capped) if score else cell(group, "—"))
        row.append(str(card.reported_total) if card.reported_total is not None else "—")
        row.append(_grade_text(card))
        rows.append(row)
    lines = [rubric.title, ""]
    lines.extend(_aligned(rows))
    lines.append("")
    lines.extend(f"  {_column_label(g)}  {g.title}" for g in columns)
    if with_caps:
        lines.append("  * 超出分组分值，已按分组分值计")
    notes = _notes(rubric, cards, explain)
    if notes:
        lines.append("")
        lines.extend(notes)
    return "\n".join(lines) + "\n"


def _table_groups(rubric: Rubric) -> list[Group]:
    """The groups that hold items directly: the rubric's scored sections."""
    return [g for g in rubric.groups() if g.id is not None and any(g.items()) and not any(g.groups())]


def _column_label(group: Group) -> str:
    return group.number if group.number is not None else (group.id or "")


def _grade_text(card: Scorecard) -> str:
    if card.errors:
        return "未评分"
    if card.grade is None:
        return ""
    text = card.grade.name + (f" {card.grade.label}" if card.grade.label else "")
    return text + (" (否决)" if card.vetoed else "")


def _aligned(rows: list[list[str]]) -> list[str]:
    if not rows:
        return []
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - display_width(cell))
            # Names and grades read from the left, numbers from the right.
            cells.append(cell + pad if i == 0 or i == len(row) - 1 else pad + cell)
        lines.append("  ".join(cells).rstrip())
    return lines


def _notes(rubric: Rubric, cards: Sequence[Scorecard], explain: bool) -> list[str]:
    lines: list[str] = []
    for card in cards:
        name = card.unit_id or "?"
        for veto in card.vetoes:
            action = f"等级至多为 {veto.grade}" if veto.caps else f"等级为 {veto.grade}"
            lines.append(f"{name}: 否决 {veto.id}「{veto.title}」，{action}")
        for error in card.errors:
            lines.append(f"{name}: error: {error.field}: {error.message}")
    if explain:
        for card in cards:
            lines.extend(["", f"{card.unit_id or '?'}: 失分"])
            lines.extend(
                _aligned([_explain_row(rubric, s) for s in card.items.values() if s.deduction]) or ["  无"]
            )
    return lines


def _explain_row(rubric: Rubric, score: ItemScore) -> list[str]:
    number = rubric.rounding.apply
    item = score.item
    if score.band is not None:
        measured = ", ".join(f"{name} = {number(value)}" for name, value in score.measures)
        why = f"{measured} → {score.rule}"
    else:
        why = score.rule
    line = f"line {score.span.line}" if score.span else ""
    return [
        f"  {item.title} ({item.id})",
        f"{number(score.score)}/{format_number(item.points)}",
        f"{why}  {line}",
    ]
