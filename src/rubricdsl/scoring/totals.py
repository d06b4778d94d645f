"""Scoring units: items, then groups with their caps, the total, the grade and the vetoes.

Rounding happens once, on the total that decides the grade, and otherwise only when
a report is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

import attrs
from attrs import frozen

from ..io.round import RoundData, UnitData
from ..model import Grade, Group, Item, Rubric, Veto
from ..problems import EvaluationError, Problem
from .evaluate import score_item
from .scorecard import GroupScore, ItemScore, Scorecard


def score_round(rubric: Rubric, round_data: RoundData) -> list[Scorecard]:
    """Score every unit of a round, in input order.

    >>> from rubricdsl import loads
    >>> from rubricdsl.io import bind_round
    >>> rubric = loads('rubric "t" { total 5 item a "甲" points 5 { judged } }')
    >>> round_data = bind_round(rubric, {"units": [{"id": "x", "scores": {"a": 4}}]})
    >>> [card.total for card in score_round(rubric, round_data)]
    [Fraction(4, 1)]
    """
    return [score_unit(rubric, unit, round_data.targets, round_data.path) for unit in round_data.units]


def score_unit(
    rubric: Rubric, unit: UnitData, targets: Mapping[str, Mapping[str, Fraction]], path: str | None = None
) -> Scorecard:
    """Score one bound unit against the round's targets; ``path`` names its data file in problems.

    >>> from rubricdsl import loads
    >>> from rubricdsl.io import bind_unit
    >>> rubric = loads('rubric "t" { item a "甲" points 5 { judged } }')
    >>> score_unit(rubric, bind_unit(rubric, {"id": "东区", "scores": {"a": 4.5}}), {}).total
    Fraction(9, 2)
    """
    problems = list(unit.problems)
    items: dict[str, ItemScore] = {}
    for item in rubric.items() if unit.readable else ():
        if unit.has_problem(f"values.{item.id}") or unit.has_problem(f"scores.{item.id}"):
            continue  # already reported while reading the unit
        inputs = {**targets.get(item.id, {}), **unit.values.get(item.id, {})}
        try:
            items[item.id] = score_item(
                item, inputs, unit.scores.get(item.id), evidence_missing=item.id in unit.missing_evidence
            )
        except EvaluationError as exc:
            problems.append(attrs.evolve(exc.problem, path=path, unit=unit.label))
    groups: list[GroupScore] = []
    sums = _sum_children(rubric.children, items, groups)
    vetoes = tuple(rubric.veto(v) for v in unit.vetoes)
    base = bonus = total = reported = grade = None
    if not problems and sums is not None:
        base = _capped(sums.base, rubric.total)
        bonus = _capped(sums.bonus, rubric.bonus)
        total = base + bonus
        reported = rubric.rounding.apply(total)
        if rubric.grades is not None:
            # The grade follows the total as published, not the exact one.
            grade = _apply_vetoes(rubric, rubric.grades.grade_for(Fraction(reported)), vetoes)
            if grade is None:
                message = f"the total {reported} reaches no grade of the rubric"
                problems.append(Problem("E405", message, path=path, unit=unit.label))
                base = bonus = total = reported = None
    return Scorecard(
        unit_id=unit.id,
        label=unit.label,
        items=items,
        groups=tuple(groups),
        total=total,
        reported_total=reported,
        max=rubric.max_points,
        grade=grade,
        vetoes=vetoes,
        errors=tuple(problems),
        base=base,
        bonus=bonus,
    )


@frozen
class _Sums:
    base: Fraction
    bonus: Fraction


def _capped(value: Fraction, cap: Fraction | None) -> Fraction:
    return value if cap is None else min(value, cap)


def _sum_children(
    children: Iterable[Group | Item], items: Mapping[str, ItemScore], groups: list[GroupScore]
) -> _Sums | None:
    """Sum base and bonus scores, recording each group's; None if some item was not scored."""
    base = bonus = Fraction(0)
    complete = True
    for child in children:
        if isinstance(child, Item):
            score = items.get(child.id)
            sums = _Sums(score.score, score.bonus) if score else None
        else:
            sums = _score_group(child, items, groups)
        if sums is None:
            complete = False  # keep going: the other groups are still worth reporting
        else:
            base, bonus = base + sums.base, bonus + sums.bonus
    return _Sums(base, bonus) if complete else None


def _score_group(group: Group, items: Mapping[str, ItemScore], groups: list[GroupScore]) -> _Sums | None:
    position = len(groups)  # parents before their children, as in the document
    raw = _sum_children(group.children, items, groups)
    if raw is None:
        return None
    capped = _Sums(_capped(raw.base, group.points), _capped(raw.bonus, group.bonus))
    groups.insert(
        position, GroupScore(group, capped.base, raw.base, group.max_points, capped.bonus, raw.bonus)
    )
    return capped


def _apply_vetoes(rubric: Rubric, earned: Grade | None, vetoes: tuple[Veto, ...]) -> Grade | None:
    scale = rubric.grades
    assert scale is not None
    grade = earned.name if earned else None
    forced = [v.grade for v in vetoes if not v.caps and v.grade is not None]
    if forced:
        grade = max(forced, key=scale.rank)  # the worst forced grade wins
    for veto in vetoes:
        if (
            veto.caps
            and veto.grade is not None
            and grade is not None
            and scale.rank(grade) < scale.rank(veto.grade)
        ):
            grade = veto.grade
    return scale.named(grade) if grade is not None else None
