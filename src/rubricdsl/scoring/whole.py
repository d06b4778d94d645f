"""What is read over a unit as a whole: the rubric's requirements of its facts, and the names a
grade's or veto's condition reads on its scorecard (the total, items', groups' and tags' scores,
counts over tags, facts)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

from ..io.round import UnitData
from ..model import Call, Condition, Rubric
from ..model.expressions import TALLIES, expressions_of, names, walk
from ..problems import Problem
from .scorecard import GroupScore, ItemScore, TagScore


def missing_fact(name: str, unit: UnitData, path: str | None) -> Problem:
    """E312 for a fact the unit does not give, where something reads it."""
    return Problem("E312", f"missing fact '{name}'", path=path, unit=unit.label, field=f"facts.{name}")


def unmet(rubric: Rubric, unit: UnitData, path: str | None) -> list[Problem]:
    """The rubric's requirements over the unit's facts that it breaks (E407), or a fact they lack (E312)."""
    found = []
    for requirement in rubric.requires:
        try:
            holds = requirement.holds(unit.facts)
        except KeyError as missing:
            found.append(missing_fact(missing.args[0], unit, path))
            continue
        except ZeroDivisionError:
            message = f"the rubric's requirement {requirement.condition} divides by zero on this unit's facts"
            found.append(Problem("E403", message, path=path, unit=unit.label, field="facts"))
            continue
        if not holds:
            read = " and ".join(
                f"{n} = {rubric.fact(n).shown(unit.facts[n])}"
                for n in dict.fromkeys(names(requirement.condition))
            )
            wording = f" ({requirement.text})" if requirement.text else ""
            message = f"the rubric requires {requirement.condition}{wording}, but {read}"
            found.append(Problem("E407", message, path=path, unit=unit.label, field="facts"))
    return found


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


def scorecard_names(
    rubric: Rubric,
    unit: UnitData,
    items: Mapping[str, ItemScore],
    groups: Iterable[GroupScore],
    total: Fraction,
) -> dict[str, Fraction]:
    """What a grade's or veto's condition reads: the total, each item's, group's and tag's score,
    the tallies of tags, and the unit's facts.

    Scores are read as published, rounded to the rubric's places, as a grade's threshold
    reads the total: what the report shows is what the condition saw. The tallies count
    exact scores (at full points, below a share of them)."""

    def shown(value: Fraction) -> Fraction:
        return Fraction(rubric.rounding.apply(value))

    env: dict[str, Fraction] = {**unit.facts, "total": total}
    env.update({item_id: shown(score.score) for item_id, score in items.items()})
    env.update({g.group.id: shown(g.score) for g in groups if g.group.id is not None})
    for tag in tag_scores(rubric, items):
        env[tag.tag.name] = shown(tag.score)
        env[f"count({tag.tag.name})"] = Fraction(len(tag.items))
        env[f"count_full({tag.tag.name})"] = Fraction(len(tag.full))
    for condition in _conditions(rubric):
        for node in _tallies(condition):
            if node.function == "count_below":
                share, name = node.args[1].evaluate({}), str(node.args[0])
                below = [
                    s for s in items.values() if name in s.item.tags and s.score < share * s.item.max_points
                ]
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
