"""Laying scorecards out for people: a table of cells, notes, and each unit's lost points.

This is where exact scores are rounded, to the places the rubric declares, and turned
into the words a report shows. Writers (``text.py``; Markdown and HTML later) only
arrange what the layout gives them.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from attrs import frozen

from ..model import Group, Item, Rubric, Veto
from ..numbers import format_number
from ..scoring import ItemScore, Scorecard
from ..source import display_width


@frozen
class Table:
    """Rows of text cells, the first two the heading and the maxima; ``numeric`` columns align right."""

    title: str
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int]
    legend: tuple[str, ...]  # what each column's short label stands for, and what a mark means
    notes: tuple[str, ...]  # vetoes, missing evidence and problems, unit by unit


@frozen
class Explanation:
    """One unit's lost points and bonus, item by item; ``rows`` is empty when there are none."""

    heading: str
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int]
    scored: bool


def score_table(rubric: Rubric, cards: Sequence[Scorecard]) -> Table:
    """A row per unit, a column per section, then the totals and the grade.

    >>> from rubricdsl import loads, score
    >>> rubric = loads('rubric "考核" { item a "甲" points 5 { judged } }')
    >>> score_table(rubric, score(rubric, {"units": [{"id": "东区", "scores": {"a": 4.5}}]})).rows
    (('单位', 'a', '总分'), ('满分', '5', '5'), ('东区', '4.50', '4.50'))


    With bonus points, a section's cell reads base+bonus, and the base, the bonus and
    the total get a column each. A column where some score was capped at its group's
    points marks each number with "*" or " ", so digits stay aligned.
    """
    columns = sections(rubric.children)
    number = rubric.rounding.apply
    bonus = rubric.has_bonus
    shown = {id(c) for c in columns}
    with_caps = {id(s.group) for card in cards for s in card.groups if s.capped and id(s.group) in shown}

    def cell(column: Group | Item, text: str, capped: bool = False) -> str:
        return text + ("*" if capped else " ") if id(column) in with_caps else text

    def points(base: Fraction | None, extra: Fraction | None = None) -> str:
        if base is None:
            return "—"
        return f"{number(base)}+{number(extra)}" if extra else str(number(base))

    totals = ["基础分", "奖励分", "总分"] if bonus else ["总分"]
    heading = ["单位", *(cell(c, label(c)) for c in columns), *totals]
    maxima = ["满分", *(cell(c, _max_text(c)) for c in columns)]
    if bonus:
        maxima += [format_number(rubric.max_points), _declared_text(rubric.bonus, rubric.bonus_allowed), ""]
    else:
        maxima.append(format_number(rubric.max_points))
    rows = [heading, maxima]
    for card in cards:
        groups = {id(g.group): g for g in card.groups}
        row = [printable(card.label)]
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
        _add_column(rows, "等级", [_grade_text(card) for card in cards])
    elif any(card.errors for card in cards):
        _add_column(rows, "", ["未评分" if card.errors else "" for card in cards])
    legend = [f"  {label(c)}  {c.title}" for c in columns if label(c) != c.title]
    if with_caps:
        legend.append("  * 超出分组分值，已按分组分值计")
    numbers = frozenset(range(1, len(columns) + len(totals) + 1))  # after the unit, before any grade
    return Table(rubric.title, tuple(map(tuple, rows)), numbers, tuple(legend), tuple(_notes(rubric, cards)))


def _add_column(rows: list[list[str]], heading: str, cells: list[str]) -> None:
    rows[0].append(heading)
    rows[1].append("")
    for row, text in zip(rows[2:], cells, strict=True):
        row.append(text)


def sections(children: tuple[Group | Item, ...]) -> list[Group | Item]:
    """The table's columns: groups that hold items, and items; groups of groups are looked into.

    >>> from rubricdsl import load
    >>> [label(c) for c in sections(load("rubrics/ezhou2013.rub").children)]
    ['1', '2', '3', '4', '5', '6']
    """
    columns: list[Group | Item] = []
    for child in children:
        if isinstance(child, Group) and child.children and all(isinstance(c, Group) for c in child.children):
            columns.extend(sections(child.children))
        else:
            columns.append(child)
    return columns


def label(column: Group | Item) -> str:
    """A column's short heading: the number the document prints, else its id, else its title.

    >>> from rubricdsl.model import Item, Judged
    >>> label(Item("a", "甲", 1, Judged(), numbering="四")), label(Item("a", "甲", 1, Judged()))
    ('四', 'a')
    """
    return printable(column.numbering or column.id or column.title)


def _max_text(column: Group | Item) -> str:
    extra = column.bonus if column.bonus is not None else column.bonus_allowed
    return format_number(column.max_points) + (f"+{format_number(extra)}" if extra else "")


def _declared_text(declared: Fraction | None, allowed: Fraction | None) -> str:
    value = declared if declared is not None else allowed
    return format_number(value) if value is not None else ""


def printable(text: str) -> str:
    """Text for one cell: control characters (a newline in an id) shown escaped.

    >>> print(printable("东\\n区"))
    东\\n区
    """
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def _grade_text(card: Scorecard) -> str:
    if card.errors:
        return "未评分"
    if card.grade is None:
        return ""
    text = card.grade.name + (f" {card.grade.label}" if card.grade.label else "")
    return text + (" (否决)" if any(v.grade is not None for v in card.vetoes) else "")


def veto_effects(veto: Veto) -> str:
    """What a veto does, in words: the grade it forces or caps, the parts it caps.

    >>> veto_effects(Veto("v", "事故", "B", caps=True))
    '等级至多为 B'
    """
    effects = [f"等级至多为 {veto.grade}" if veto.caps else f"等级为 {veto.grade}"] if veto.grade else []
    effects += [f"{cap.part} 得分至多 {format_number(cap.limit)}" for cap in veto.part_caps]
    return "，".join(effects)


def _notes(rubric: Rubric, cards: Sequence[Scorecard]) -> list[str]:
    lines: list[str] = []
    for card in cards:
        name = printable(card.label)
        for veto in card.vetoes:
            lines.append(f"{name}: 否决 {veto.id}「{veto.title}」，{veto_effects(veto)}")
        for score in card.items.values():
            if score.evidence_missing:  # 注2: "…否则该项不得分，并在考核结果中注明"
                lines.append(
                    f"{name}: {shortened(score.item.title)} ({score.item.id}) 未提供书面材料，该项不得分"
                )
        for score in card.items.values():
            if score.override is not None:
                lines.append(
                    f"{name}: {shortened(score.item.title)} ({score.item.id}) {override_text(rubric, score)}"
                )
        for problem in card.errors:
            lines.append(f"{name}: {problem.headline}")
    return lines


def override_text(rubric: Rubric, score: ItemScore) -> str:
    """An appeal's correction in words: the rules' score, the new one, why, by whom and when.

    >>> from rubricdsl import loads, score
    >>> rubric = loads('rubric "考核" { item a "甲" points 5 { judged } }')
    >>> appeal = {"score": 4, "reason": "补交材料", "by": "复核组", "at": "2014-02-10"}
    >>> (card,) = score(rubric, {"units": [{"id": "东区", "scores": {"a": 2}, "overrides": {"a": appeal}}]})
    >>> override_text(rubric, card.items["a"])
    '复核改分 2.00 → 4.00：补交材料（复核组，2014-02-10）'
    """
    override = score.override
    if override is None or score.original is None:
        return ""
    number = rubric.rounding.apply
    return (
        f"复核改分 {number(score.original)} → {number(override.score)}："
        f"{override.reason}（{override.by}，{override.at}）"
    )


# Explanations ----------------------------------------------------------------------------------


def explanations(rubric: Rubric, cards: Sequence[Scorecard]) -> list[Explanation]:
    """For each unit, every item that lost points, earned a bonus or did not apply, and why.

    >>> from rubricdsl import loads, score
    >>> rubric = loads('rubric "考核" { item a "甲" points 5 { judged } }')
    >>> (unit,) = explanations(rubric, score(rubric, {"units": [{"id": "东区", "scores": {"a": 4.5}}]}))
    >>> unit.heading, unit.rows
    ('东区: 失分', (('  甲 (a)', '4.50/5', 'judged  line 1'),))
    """
    bonus = rubric.has_bonus
    found = []
    for card in cards:
        heading = f"{printable(card.label)}: {'失分与奖励' if bonus else '失分'}"
        # An item that does not apply but lost nothing (未发生…的不扣分) has nothing to explain.
        rows = [_explain_row(rubric, s) for s in card.items.values() if s.deduction or s.bonus or s.override]
        if not bonus:  # no bonus column where nothing earns one
            rows = [row[:2] + row[3:] for row in rows]
        numeric = frozenset({1, 2} if bonus else {1})
        found.append(Explanation(heading, tuple(map(tuple, rows)), numeric, not card.errors))
    return found


def _explain_row(rubric: Rubric, score: ItemScore) -> list[str]:
    """Title, score of points, bonus, and why."""
    number = rubric.rounding.apply
    item = score.item
    return [
        f"  {shortened(printable(item.title))} ({item.id})",
        f"{number(score.score)}/{format_number(item.max_points)}",
        f"+{number(score.bonus)}" if score.bonus else "",
        reason(rubric, score),
    ]


def reason(rubric: Rubric, score: ItemScore) -> str:
    """Why an item scored what it did, as ``score --explain`` says it: the values it read and the rule
    that fired, then each deduction and bonus, then the rule's line.

    >>> from rubricdsl import loads, score
    >>> rubric = loads('rubric "考核" { item a "甲" points 5 { judged } }')
    >>> (card,) = score(rubric, {"units": [{"id": "东区", "scores": {"a": 4.5}}]})
    >>> reason(rubric, card.items["a"])
    'judged  line 1'
    """
    line = f"line {score.span.line}" if score.span else ""
    return f"{'; '.join(reasons(rubric, score))}  {line}"


def reasons(rubric: Rubric, score: ItemScore) -> list[str]:
    """Why an item scored what it did: the rule that fired (with the values it read), then each
    deduction and bonus.

    >>> from rubricdsl import loads, score
    >>> rubric = loads('rubric "考核" { item a "甲" points 5 { judged } }')
    >>> (card,) = score(rubric, {"units": [{"id": "东区", "scores": {"a": 4.5}}]})
    >>> reasons(rubric, card.items["a"])
    ['judged']
    """
    number = rubric.rounding.apply
    item = score.item
    why = [score.rule]
    if score.applies and score.measures and item.rule is not None and any(item.rule.reads()):
        # A rule that reads values (bands, a formula): the values, then what they gave.
        measured = ", ".join(f"{name} = {shown_value(rubric, name, value)}" for name, value in score.measures)
        why = [f"{measured} → {score.rule}"]
    why += [f"{a.adjustment}: {number(a.amount)}{' (capped)' if a.capped else ''}" for a in score.adjustments]
    if score.floored:
        why.append("扣完为止: no lower than 0")
    if score.override is not None:
        why.append(override_text(rubric, score))
    return why


def lost(rubric: Rubric, score: ItemScore) -> Decimal:
    """What an item lost, as the reader subtracts it: its points less the score shown.

    >>> from rubricdsl import loads, score
    >>> rubric = loads('rubric "考核" { item a "甲" points 5 { judged } }')
    >>> (card,) = score(rubric, {"units": [{"id": "东区", "scores": {"a": 4.5}}]})
    >>> lost(rubric, card.items["a"])
    Decimal('0.50')
    """
    number = rubric.rounding.apply
    return number(score.item.max_points) - number(score.score)


def shown_value(rubric: Rubric, name: str, value: Fraction) -> str:
    """A value in an explanation: a fact as a person reads it (三级, 是/否), a number rounded."""
    if rubric.has("fact", name) and (rubric.fact(name).categories or rubric.fact(name).is_flag):
        return rubric.fact(name).shown(value)
    return str(rubric.rounding.apply(value))


def shortened(title: str, width: int = 32) -> str:
    """Long titles (a whole 工作要求 sentence) cut to fit a line; the id beside them is exact.

    >>> shortened("报告的线索中有价值的线索", width=10)
    '报告的线…'
    """
    if display_width(title) <= width:
        return title
    while display_width(title) > width - 1:
        title = title[:-1]
    return title + "…"
