"""Scoring units: items, then groups with their caps, the total, the grade and the vetoes.

Rounding happens once, on the total that decides the grade, and otherwise only when
a report is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

import attrs
from attrs import frozen

from ..io.round import Override, RoundData, UnitData
from ..model import Grade, Group, Item, Rubric, Veto
from ..problems import EvaluationError, Problem
from .evaluate import score_item
from .scorecard import GroupScore, ItemScore, Scorecard
from .whole import missing_fact, scorecard_names, tag_scores, unmet


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
    if unit.readable and not problems:
        problems += unmet(rubric, unit, path)
    items: dict[str, ItemScore] = {}
    for item in rubric.items() if unit.readable else ():
        if unit.has_problem(f"values.{item.id}") or unit.has_problem(f"scores.{item.id}"):
            continue  # already reported while reading the unit
        inputs = {**targets.get(item.id, {}), **unit.values.get(item.id, {})}
        try:
            items[item.id] = score_item(
                item,
                inputs,
                unit.scores.get(item.id),
                evidence_missing=item.id in unit.missing_evidence,
                above=rubric.conditions_above(item),
                facts=unit.facts,
            )
            if item.id in unit.overrides:
                items[item.id] = overridden(items[item.id], unit.overrides[item.id])
        except EvaluationError as exc:
            problem = attrs.evolve(exc.problem, path=path, unit=unit.label)
            # A fact that is missing or bad is said once, not once per item that reads it.
            if problem not in problems and (problem.field is None or not unit.has_problem(problem.field)):
                problems.append(problem)
    groups: list[GroupScore] = []
    sums = _sum_children(rubric.children, items, groups, {})
    listed = tuple(rubric.veto(v) for v in unit.vetoes)
    result = _Result(tuple(groups), listed)
    if not problems and sums is not None:
        try:
            result = _conclude(rubric, unit, items, (tuple(groups), sums), listed)
        except KeyError as missing:  # a grade's or veto's condition reads a fact the unit does not give
            if not unit.has_problem(f"facts.{missing.args[0]}"):  # a bad fact is already its problem
                problems.append(missing_fact(missing.args[0], unit, path))
        except ZeroDivisionError:
            message = "a grade's or veto's condition divides by zero on this unit's scorecard"
            problems.append(Problem("E403", message, path=path, unit=unit.label))
        else:
            if rubric.grades is not None and result.grade is None:
                message = f"the total {result.reported} reaches no grade of the rubric"
                problems.append(Problem("E405", message, path=path, unit=unit.label))
                result = _Result(result.groups, result.vetoes)
    return Scorecard(
        unit_id=unit.id,
        label=unit.label,
        items=items,
        groups=result.groups,
        total=result.total,
        reported_total=result.reported,
        max=rubric.max_points,
        grade=result.grade,
        vetoes=result.vetoes,
        errors=tuple(problems),
        base=result.base,
        bonus=result.bonus,
        tags=tag_scores(rubric, items) if rubric.tags else (),
    )


def overridden(score: ItemScore, override: Override) -> ItemScore:
    """The item's score as corrected on appeal, the rules' score kept as ``original``.

    >>> from rubricdsl import loads
    >>> item = loads('rubric "t" { item a "甲" points 5 { judged } }').item("a")
    >>> appeal = Override(Fraction(4), "补交材料", "复核组", "2014-02-10")
    >>> corrected = overridden(ItemScore(item, Fraction(2), "judged"), appeal)
    >>> corrected.score, corrected.original
    (Fraction(4, 1), Fraction(2, 1))
    """
    return attrs.evolve(score, score=override.score, override=override, original=score.score)


@frozen
class _Result:
    """What a unit's item scores add up to: groups, vetoes, totals and grade (None where not reached)."""

    groups: tuple[GroupScore, ...]
    vetoes: tuple[Veto, ...]
    base: Fraction | None = None
    bonus: Fraction | None = None
    total: Fraction | None = None
    reported: Decimal | None = None
    grade: Grade | None = None


def _conclude(
    rubric: Rubric,
    unit: UnitData,
    items: Mapping[str, ItemScore],
    summed: tuple[tuple[GroupScore, ...], _Sums],
    listed: tuple[Veto, ...],
) -> _Result:
    """Totals, vetoes and grade of a unit whose every item was scored.

    A veto with a condition fires on the scorecard as the items made it; a veto that caps a
    part has the parts summed again. Raises ``KeyError`` for a fact a condition reads that
    the unit does not give.
    """
    groups, sums = list(summed[0]), summed[1]
    reads = _reads_scorecard(rubric)  # most rubrics' grades read only the total: no names to gather
    env = scorecard_names(rubric, unit, items, groups, _total(rubric, sums)) if reads else {}
    fired = tuple(v for v in rubric.vetoes if v.condition is not None and v.condition.holds(env))
    vetoes = listed + tuple(v for v in fired if v not in listed)
    caps = _part_caps(vetoes)
    if caps:
        groups = []
        capped = _sum_children(rubric.children, items, groups, caps)
        assert capped is not None, "every item was scored"
        sums = capped
        env = scorecard_names(rubric, unit, items, groups, _total(rubric, sums)) if reads else {}
    base, bonus = _capped(sums.base, rubric.total), _capped(sums.bonus, rubric.bonus)
    reported = rubric.rounding.apply(base + bonus)
    grade = None
    if rubric.grades is not None:
        # The grade follows the total as published, not the exact one.
        grade = _apply_vetoes(rubric, rubric.grades.grade_for(Fraction(reported), env), vetoes)
    return _Result(tuple(groups), vetoes, base, bonus, base + bonus, reported, grade)


@frozen
class _Sums:
    base: Fraction
    bonus: Fraction


def _capped(value: Fraction, cap: Fraction | None) -> Fraction:
    return value if cap is None else min(value, cap)


def _total(rubric: Rubric, sums: _Sums) -> Fraction:
    """The total as published, as an exact number: what thresholds and conditions compare."""
    return Fraction(
        rubric.rounding.apply(_capped(sums.base, rubric.total) + _capped(sums.bonus, rubric.bonus))
    )


def _reads_scorecard(rubric: Rubric) -> bool:
    """Whether a grade's or a veto's condition reads the scorecard."""
    grades = rubric.grades.grades if rubric.grades is not None else ()
    return any(g.condition is not None for g in grades) or any(v.condition is not None for v in rubric.vetoes)


def _part_caps(vetoes: tuple[Veto, ...]) -> dict[str, Fraction]:
    caps: dict[str, Fraction] = {}
    for veto in vetoes:
        for cap in veto.part_caps:
            caps[cap.part] = min(cap.limit, caps.get(cap.part, cap.limit))
    return caps


def _sum_children(
    children: Iterable[Group | Item],
    items: Mapping[str, ItemScore],
    groups: list[GroupScore],
    caps: Mapping[str, Fraction],
) -> _Sums | None:
    """Sum base and bonus scores, recording each group's; None if some item was not scored."""
    base = bonus = Fraction(0)
    complete = True
    for child in children:
        if isinstance(child, Item):
            score = items.get(child.id)
            sums = _Sums(score.score, score.bonus) if score else None
        else:
            sums = _score_group(child, items, groups, caps)
        if sums is None:
            complete = False  # keep going: the other groups are still worth reporting
        else:
            base, bonus = base + sums.base, bonus + sums.bonus
    return _Sums(base, bonus) if complete else None


def _score_group(
    group: Group, items: Mapping[str, ItemScore], groups: list[GroupScore], caps: Mapping[str, Fraction]
) -> _Sums | None:
    position = len(groups)  # parents before their children, as in the document
    raw = _sum_children(group.children, items, groups, caps)
    if raw is None:
        return None
    capped = _Sums(_capped(raw.base, group.points), _capped(raw.bonus, group.bonus))
    vetoed = caps.get(group.id) if group.id is not None else None
    if vetoed is not None:  # 该部分不得分: a veto caps the part, bonus and all
        capped = _Sums(min(capped.base, vetoed), min(capped.bonus, max(Fraction(0), vetoed - capped.base)))
    groups.insert(
        position,
        GroupScore(
            group, capped.base, raw.base, group.max_points, capped.bonus, raw.bonus, vetoed is not None
        ),
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
