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
from ..model import Call, Condition, Grade, Group, Item, Rubric, Veto
from ..model.expressions import TALLIES, expressions_of, names, walk
from ..numbers import approximate
from ..problems import EvaluationError, Problem
from .evaluate import score_item
from .scorecard import GroupScore, ItemScore, Scorecard, TagScore


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
        problems += _unmet(rubric, unit, path)
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
        except EvaluationError as exc:
            problem = attrs.evolve(exc.problem, path=path, unit=unit.label)
            # A fact that is missing or bad is said once, not once per item that reads it.
            if problem not in problems and (problem.field is None or not unit.has_problem(problem.field)):
                problems.append(problem)
    groups: list[GroupScore] = []
    sums = _sum_children(rubric.children, items, groups, {})
    vetoes = tuple(rubric.veto(v) for v in unit.vetoes)
    base = bonus = total = reported = grade = None
    if not problems and sums is not None:
        # A veto with a condition fires on the scorecard as the items made it.
        env = _names(rubric, unit, items, groups, _total(rubric, sums))
        try:
            fired = tuple(v for v in rubric.vetoes if v.condition is not None and v.condition.holds(env))
            vetoes += tuple(v for v in fired if v not in vetoes)
            caps = _part_caps(vetoes)
            if caps:
                groups = []
                sums = _sum_children(rubric.children, items, groups, caps)
                assert sums is not None
                env = _names(rubric, unit, items, groups, _total(rubric, sums))
            base = _capped(sums.base, rubric.total)
            bonus = _capped(sums.bonus, rubric.bonus)
            total = base + bonus
            reported = rubric.rounding.apply(total)
            if rubric.grades is not None:
                # The grade follows the total as published, not the exact one.
                grade = _apply_vetoes(rubric, rubric.grades.grade_for(Fraction(reported), env), vetoes)
        except KeyError as missing:  # a grade's or veto's condition reads a fact the unit does not give
            name, field = missing.args[0], f"facts.{missing.args[0]}"
            if not unit.has_problem(field):  # a bad fact is already the unit's problem
                problems.append(
                    Problem("E312", f"missing fact '{name}'", path=path, unit=unit.label, field=field)
                )
            base = bonus = total = reported = grade = None
        else:
            if rubric.grades is not None and grade is None:
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
        tags=tag_scores(rubric, items) if rubric.tags else (),
    )


@frozen
class _Sums:
    base: Fraction
    bonus: Fraction


def _capped(value: Fraction, cap: Fraction | None) -> Fraction:
    return value if cap is None else min(value, cap)


def _unmet(rubric: Rubric, unit: UnitData, path: str | None) -> list[Problem]:
    """The rubric's requirements over the unit's facts that it breaks (E407), or a fact they lack (E312)."""
    found = []
    for requirement in rubric.requires:
        try:
            holds = requirement.holds(unit.facts)
        except KeyError as missing:
            name = missing.args[0]
            found.append(
                Problem("E312", f"missing fact '{name}'", path=path, unit=unit.label, field=f"facts.{name}")
            )
            continue
        if not holds:
            read = " and ".join(
                f"{n} = {approximate(unit.facts[n])}" for n in dict.fromkeys(names(requirement.condition))
            )
            wording = f" ({requirement.text})" if requirement.text else ""
            message = f"the rubric requires {requirement.condition}{wording}, but {read}"
            found.append(Problem("E407", message, path=path, unit=unit.label, field="facts"))
    return found


def _total(rubric: Rubric, sums: _Sums) -> Fraction:
    """The total as published, as an exact number: what thresholds and conditions compare."""
    return Fraction(
        rubric.rounding.apply(_capped(sums.base, rubric.total) + _capped(sums.bonus, rubric.bonus))
    )


def tag_scores(rubric: Rubric, items: Mapping[str, ItemScore]) -> tuple[TagScore, ...]:
    """Each tag's items counted and totalled (only items that were scored count)."""
    found = []
    for tag in rubric.tags:
        scores = [items[i.id] for i in rubric.tagged(tag.name) if i.id in items]
        found.append(
            TagScore(
                tag,
                sum((s.score for s in scores), Fraction(0)),
                sum((s.item.max_points for s in scores), Fraction(0)),
                tuple(s.item.id for s in scores),
                tuple(s.item.id for s in scores if s.score == s.item.max_points),
            )
        )
    return tuple(found)


def _names(
    rubric: Rubric, unit: UnitData, items: Mapping[str, ItemScore], groups: list[GroupScore], total: Fraction
) -> dict[str, Fraction]:
    """What a grade's or veto's condition reads: the total, each item's, group's and tag's score,
    the tallies of tags, and the unit's facts."""
    env: dict[str, Fraction] = {**unit.facts, "total": total}
    env.update({item_id: score.score for item_id, score in items.items()})
    env.update({g.group.id: g.score for g in groups if g.group.id is not None})
    scored = [s for s in items.values()]
    for tag in tag_scores(rubric, items):
        env[tag.tag.name] = tag.score
        env[f"count({tag.tag.name})"] = Fraction(len(tag.items))
        env[f"count_full({tag.tag.name})"] = Fraction(len(tag.full))
    for condition in _conditions(rubric):
        for node in _tallies(condition):
            if node.function == "count_below":
                share, name = node.args[1].evaluate({}), str(node.args[0])
                below = [s for s in scored if name in s.item.tags and s.score < share * s.item.max_points]
                env[str(node)] = Fraction(len(below))
    return env


def _conditions(rubric: Rubric) -> list[Condition]:
    found = [g.condition for g in rubric.grades.grades if g.condition] if rubric.grades else []
    return found + [v.condition for v in rubric.vetoes if v.condition is not None]


def _tallies(condition: Condition) -> list[Call]:
    return [
        node
        for outer in expressions_of(condition)
        for node in walk(outer)
        if isinstance(node, Call) and node.function in TALLIES
    ]


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
