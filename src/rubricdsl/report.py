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
from .scorecard import GroupScore, ItemScore, Scorecard
from .source import Span, display_width

# JSON ------------------------------------------------------------------------------------


def to_json(rubric: Rubric, cards: Sequence[Scorecard]) -> str:
    """The output contract of ``score --format json``: UTF-8 text, numbers rounded to the declared places."""
    bonus = rubric.has_bonus  # walks the whole rubric: once per report, not once per item
    document = {"rubric": rubric.title, "units": [_card_record(rubric, card, bonus) for card in cards]}
    return dumps(document) + "\n"


def _card_record(rubric: Rubric, card: Scorecard, bonus: bool) -> dict[str, Any]:
    number = rubric.rounding.apply
    record: dict[str, Any] = {"id": card.unit_id, "total": card.reported_total, "max": number(card.max)}
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
        groups={g.group.id: _group_record(rubric, g, bonus) for g in card.groups if g.group.id is not None},
        errors=[error.to_record() for error in card.errors],
    )
    return record


def _maybe(number: Any, value: Fraction | None) -> Decimal | None:
    return number(value) if value is not None else None


def _group_record(rubric: Rubric, score: GroupScore, bonus: bool) -> dict[str, Any]:
    number = rubric.rounding.apply
    record: dict[str, Any] = {"score": number(score.score), "max": number(score.max)}
    if bonus:
        record["bonus"] = number(score.bonus)
        record["bonus_max"] = _maybe(number, score.group.bonus_allowed)  # what can be earned
        record["total"] = number(score.score + score.bonus)
    record["capped"] = score.capped
    return record


def _item_record(rubric: Rubric, score: ItemScore, bonus: bool) -> dict[str, Any]:
    number = rubric.rounding.apply
    record: dict[str, Any] = {
        "score": number(score.score),
        "max": number(score.item.points),
        "deduction": number(score.deduction),
    }
    if bonus:
        record["bonus"] = number(score.bonus)
    record["rule"] = score.rule
    record["line"] = score.span.line if score.span else None
    if score.adjustments:
        record["adjustments"] = [
            {"rule": str(a.adjustment), "amount": number(a.amount), "capped": a.capped, "line": _line(a.span)}
            for a in score.adjustments
        ]
    if score.measures:
        record["measures"] = {name: number(value) for name, value in score.measures}
    if score.assessed is not None:
        record["assessed"] = number(score.assessed)
    if not score.applies:
        record["applies"] = False
    if score.evidence_missing:
        record["evidence_missing"] = True
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


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# Table -------------------------------------------------------------------------------------


def to_table(rubric: Rubric, cards: Sequence[Scorecard], explain: bool = False) -> str:
    """A table a person can read: a row per unit, a column per section, then notes and errors.

    With bonus points, a section's cell reads base+bonus, and the base, the bonus and
    the total get a column each.
    """
    columns = _sections(rubric.children)
    number = rubric.rounding.apply
    bonus = rubric.has_bonus
    # A column where some score was capped gets a mark ("*" or " ") after each number, to keep digits aligned.
    with_caps = {id(s.group) for card in cards for s in card.groups if s.capped}

    def cell(column: Group | Item, text: str, capped: bool = False) -> str:
        return text + ("*" if capped else " ") if id(column) in with_caps else text

    def points(base: Fraction | None, extra: Fraction | None = None) -> str:
        if base is None:
            return "—"
        return f"{number(base)}+{number(extra)}" if extra else str(number(base))

    totals = ["基础分", "奖励分", "总分"] if bonus else ["总分"]
    heading = ["单位", *(cell(c, _label(c)) for c in columns), *totals]
    maxima = ["满分", *(cell(c, _max_text(c)) for c in columns)]
    if bonus:
        maxima += [format_number(rubric.max_points), _declared_text(rubric.bonus, rubric.bonus_allowed), ""]
    else:
        maxima.append(format_number(rubric.max_points))
    rows = [heading, maxima]
    for card in cards:
        groups = {id(g.group): g for g in card.groups}
        row = [_printable(card.label)]
        for column in columns:
            if isinstance(column, Item):
                item = card.items.get(column.id)
                row.append(points(item.score, item.bonus) if item else "—")
            else:
                group = groups.get(id(column))
                text = points(group.score, group.bonus) if group else "—"
                row.append(cell(column, text, group is not None and group.capped))
        if bonus:
            row += [points(card.base), points(card.bonus)]
        row.append(str(card.reported_total) if card.reported_total is not None else "—")
        rows.append(row)
    if rubric.grades is not None:
        rows[0].append("等级")
        rows[1].append("")
        for row, card in zip(rows[2:], cards, strict=True):
            row.append(_grade_text(card))
    elif any(card.errors for card in cards):
        rows[0].append("")
        rows[1].append("")
        for row, card in zip(rows[2:], cards, strict=True):
            row.append("未评分" if card.errors else "")
    legend = [f"  {_label(c)}  {c.title}" for c in columns if _label(c) != c.title]
    if with_caps:
        legend.append("  * 超出分组分值，已按分组分值计")
    numbers = range(1, len(columns) + len(totals) + 1)  # after the unit, before any grade
    blocks = [[rubric.title], _aligned(rows, numbers), legend, _notes(cards)]
    if explain:
        blocks.extend(_explanation(rubric, card, bonus) for card in cards)
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


def _max_text(column: Group | Item) -> str:
    points = column.points if isinstance(column, Item) else column.max_points
    extra = column.bonus if column.bonus is not None else column.bonus_allowed
    return format_number(points) + (f"+{format_number(extra)}" if extra else "")


def _declared_text(declared: Fraction | None, allowed: Fraction | None) -> str:
    value = declared if declared is not None else allowed
    return format_number(value) if value is not None else ""


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


def _aligned(rows: list[list[str]], numbers: range | set[int]) -> list[str]:
    """Rows as aligned text columns: the ``numbers`` columns to the right, the others to the left."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - display_width(cell))
            cells.append(pad + cell if i in numbers else cell + pad)
        lines.append("  ".join(cells).rstrip())
    return lines


def _notes(cards: Sequence[Scorecard]) -> list[str]:
    lines: list[str] = []
    for card in cards:
        name = _printable(card.label)
        for veto in card.vetoes:
            action = f"等级至多为 {veto.grade}" if veto.caps else f"等级为 {veto.grade}"
            lines.append(f"{name}: 否决 {veto.id}「{veto.title}」，{action}")
        for score in card.items.values():
            if score.evidence_missing:  # 注2: "…否则该项不得分，并在考核结果中注明"
                lines.append(
                    f"{name}: {_shortened(score.item.title)} ({score.item.id}) 未提供书面材料，该项不得分"
                )
        for error in card.errors:
            lines.append(f"{name}: error: {error.field + ': ' if error.field else ''}{error.message}")
    return lines


def _explanation(rubric: Rubric, card: Scorecard, bonus: bool) -> list[str]:
    heading = f"{_printable(card.label)}: {'失分与奖励' if bonus else '失分'}"
    if card.errors:
        return [heading, "  未评分 (see the errors above)"]
    rows = [_explain_row(rubric, s) for s in card.items.values() if s.deduction or s.bonus or not s.applies]
    if not bonus:  # no bonus column where nothing earns one
        rows = [row[:2] + row[3:] for row in rows]
    return [heading, *(_aligned(rows, {1, 2} if bonus else {1}) if rows else ["  无"])]


def _explain_row(rubric: Rubric, score: ItemScore) -> list[str]:
    """Title, score of points, bonus, and why: the rule that fired, then each deduction and bonus."""
    number = rubric.rounding.apply
    item = score.item
    why = [score.rule]
    if score.band is not None:
        measured = ", ".join(f"{name} = {number(value)}" for name, value in score.measures)
        why = [f"{measured} → {score.rule}"]
    why += [f"{a.adjustment}: {number(a.amount)}{' (capped)' if a.capped else ''}" for a in score.adjustments]
    if score.floored:
        why.append("扣完为止: no lower than 0")
    line = f"line {score.span.line}" if score.span else ""
    return [
        f"  {_shortened(_printable(item.title))} ({item.id})",
        f"{number(score.score)}/{format_number(item.points)}",
        f"+{number(score.bonus)}" if score.bonus else "",
        f"{'; '.join(why)}  {line}",
    ]


def _shortened(title: str, width: int = 32) -> str:
    """Long titles (a whole 工作要求 sentence) cut to fit a line; the id beside them is exact."""
    if display_width(title) <= width:
        return title
    while display_width(title) > width - 1:
        title = title[:-1]
    return title + "…"
