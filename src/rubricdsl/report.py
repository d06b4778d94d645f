"""Write scorecards for people (a table) and for programs (the JSON contract).

This is where exact scores are rounded, to the places the rubric declares.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .model import Group, Item, Rubric, format_number
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
    """A table a person can read: a row per unit, a column per section, then notes and errors."""
    columns = _sections(rubric.children)
    number = rubric.rounding.apply
    # A column where some score was capped gets a mark ("*" or " ") after each number, to keep digits aligned.
    with_caps = {id(s.group) for card in cards for s in card.groups if s.capped}

    def cell(column: Group | Item, text: str, capped: bool = False) -> str:
        return text + ("*" if capped else " ") if id(column) in with_caps else text

    rows = [
        ["单位", *(cell(c, _label(c)) for c in columns), "总分", "等级"],
        ["满分", *(cell(c, format_number(_max(c))) for c in columns), format_number(rubric.max_points), ""],
    ]
    for card in cards:
        groups = {id(g.group): g for g in card.groups}
        row = [_printable(card.label)]
        for column in columns:
            if isinstance(column, Item):
                item = card.items.get(column.id)
                row.append(str(number(item.score)) if item else "—")
            else:
                group = groups.get(id(column))
                row.append(
                    cell(column, str(number(group.score)), group.capped) if group else cell(column, "—")
                )
        row.append(str(card.reported_total) if card.reported_total is not None else "—")
        row.append(_grade_text(card))
        rows.append(row)
    legend = [f"  {_label(c)}  {c.title}" for c in columns if _label(c) != c.title]
    if with_caps:
        legend.append("  * 超出分组分值，已按分组分值计")
    blocks = [[rubric.title], _aligned(rows), legend, _notes(cards)]
    if explain:
        blocks.extend(_explanation(rubric, card) for card in cards)
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"


def _sections(children: tuple[Group | Item, ...]) -> list[Group | Item]:
    """The table's columns: groups that hold items, and items; groups of groups are looked into."""
    columns: list[Group | Item] = []
    for child in children:
        if isinstance(child, Group) and child.children and all(isinstance(c, Group) for c in child.children):
            columns.extend(_sections(child.children))
        else:
            columns.append(child)
    return columns


def _label(column: Group | Item) -> str:
    return _printable(column.number or column.id or column.title)


def _max(column: Group | Item) -> Fraction:
    return column.points if isinstance(column, Item) else column.max_points


def _printable(text: str) -> str:
    """Text for one table cell: control characters (a newline in an id) shown escaped."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def _grade_text(card: Scorecard) -> str:
    if card.errors:
        return "未评分"
    if card.grade is None:
        return ""
    text = card.grade.name + (f" {card.grade.label}" if card.grade.label else "")
    return text + (" (否决)" if card.vetoed else "")


def _aligned(rows: list[list[str]]) -> list[str]:
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


def _notes(cards: Sequence[Scorecard]) -> list[str]:
    lines: list[str] = []
    for card in cards:
        name = _printable(card.label)
        for veto in card.vetoes:
            action = f"等级至多为 {veto.grade}" if veto.caps else f"等级为 {veto.grade}"
            lines.append(f"{name}: 否决 {veto.id}「{veto.title}」，{action}")
        for error in card.errors:
            lines.append(f"{name}: error: {error.field + ': ' if error.field else ''}{error.message}")
    return lines


def _explanation(rubric: Rubric, card: Scorecard) -> list[str]:
    heading = f"{_printable(card.label)}: 失分"
    if card.errors:
        return [heading, "  未评分 (see the errors above)"]
    lost = [_explain_row(rubric, s) for s in card.items.values() if s.deduction]
    return [heading, *(_aligned(lost) if lost else ["  无"])]


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
