"""One unit's scorecard in full (``score --explain --unit ID``): what an assessor hands to a
district that asks why it lost points.

Part by part and item by item, in the rubric's order: the points, what the item read and
derived, the band or rule that fired and its line, each deduction and bonus, the scoring
standard as the document words it; caps, vetoes, the total and the grade at the end.
"""

from __future__ import annotations

import textwrap
from fractions import Fraction

from ..model import Group, Item, Rubric
from ..numbers import format_number
from ..scoring import GroupScore, ItemScore, Scorecard
from ..source import display_width
from .layout import lost, override_text, printable, shown_value, veto_effects

_STEP = "  "


def unit_report(rubric: Rubric, card: Scorecard) -> str:
    """The whole scorecard of one unit, as text.

    >>> from rubricdsl import loads, score
    >>> rubric = loads('rubric "考核" { item a "甲" points 5 { judged standard "酌情给分" } }')
    >>> (card,) = score(rubric, {"units": [{"id": "东区", "scores": {"a": 4.5}}]})
    >>> print(unit_report(rubric, card), end="")
    东区 — 考核
    <BLANKLINE>
    甲 (a)  4.50 / 5  失 0.50
      judged  line 1
      评分标准: 酌情给分
    <BLANKLINE>
    总分 4.50 / 5
    """
    lines = [f"{printable(card.label)} — {rubric.title}", ""]
    groups = {id(g.group): g for g in card.groups}
    _children(rubric, card, rubric.children, groups, 0, lines)
    number = rubric.rounding.apply
    for veto in card.vetoes:
        lines.append(f"否决 {veto.id}「{veto.title}」: {veto_effects(veto)}")
    if card.errors:
        lines += ["未评分:"] + [f"{_STEP}{problem.headline}" for problem in card.errors]
    else:
        total = f"总分 {card.reported_total} / {format_number(card.max)}"
        if card.bonus:
            base = card.base if card.base is not None else Fraction(0)
            total += f"（基础分 {number(base)}，奖励分 {number(card.bonus)}）"
        lines.append(total + (f"，等级 {_grade(card)}" if card.grade else ""))
    return "\n".join(lines) + "\n"


def _grade(card: Scorecard) -> str:
    """The grade, its label, and the condition it met beyond its threshold."""
    assert card.grade is not None
    grade = card.grade
    text = grade.name + (f" {grade.label}" if grade.label else "")
    return text + (f"（{grade.condition}）" if grade.condition is not None else "")


def _children(
    rubric: Rubric,
    card: Scorecard,
    children: tuple[Group | Item, ...],
    groups: dict[int, GroupScore],
    depth: int,
    lines: list[str],
) -> None:
    number = rubric.rounding.apply
    indent = _STEP * depth
    for child in children:
        if isinstance(child, Group):
            score = groups.get(id(child))
            name = f"{printable(child.title)}" + (f" ({child.id})" if child.id else "")
            if score is None:
                lines.append(f"{indent}{name}  未评分")
            else:
                line = f"{indent}{name}  {number(score.score)} / {format_number(score.max)}"
                if score.capped:
                    line += f"（各项合计 {number(score.raw)}，按本组分值 {format_number(score.max)} 计）"
                if score.vetoed:
                    line += "（否决）"
                lines.append(line)
            lines.append("")
            _children(rubric, card, child.children, groups, depth + 1, lines)
        else:
            lines.extend(_item(rubric, child, card.items.get(child.id), indent))
            lines.append("")


def _item(rubric: Rubric, item: Item, score: ItemScore | None, indent: str) -> list[str]:
    number = rubric.rounding.apply
    name = f"{indent}{printable(item.title)} ({item.id})"
    if score is None:
        return [f"{name}  未评分"]
    shown = number(score.score)
    head = f"{name}  {shown} / {format_number(item.max_points)}"
    if score.deduction:
        head += f"  失 {lost(rubric, score)}"
    if score.bonus:
        head += f"  奖励 {number(score.bonus)}"
    inner = indent + _STEP
    lines = [head]
    own = {i.name for i in item.all_inputs}
    read = [(n, v) for n, v in score.measures if n in own or rubric.has("fact", n)]
    derived = [(n, v) for n, v in score.measures if n not in own and not rubric.has("fact", n)]
    if read:
        lines.append(f"{inner}读入: " + ", ".join(f"{n} = {shown_value(rubric, n, v)}" for n, v in read))
    if derived:
        lines.append(f"{inner}计算: " + ", ".join(f"{n} = {number(v)}" for n, v in derived))
    where = f"  line {score.span.line}" if score.span else ""
    lines.append(f"{inner}{score.rule}{where}")
    for applied in score.adjustments:
        capped = "（已达上限）" if applied.capped else ""
        at = f"  line {applied.span.line}" if applied.span else ""
        lines.append(f"{inner}{applied.adjustment}: {number(applied.amount)}{capped}{at}")
    if score.floored:
        lines.append(f"{inner}扣完为止: no lower than 0")
    if score.override is not None:
        lines.append(inner + override_text(rubric, score))
    heading = "考核要点: "
    for position, criterion in enumerate(item.criteria, 1):
        lead = heading if position == 1 else " " * display_width(heading)
        lines.append(f"{inner}{lead}{position}. {criterion}")
    if item.standard:
        standard = textwrap.indent(item.standard, inner + _STEP).strip()
        lines.append(f"{inner}评分标准: {standard}")
    return lines
