"""Exact scoring: items, then groups with their caps, the total, the grade and the vetoes.

Every number is a ``Fraction``; rounding happens once, on the total that decides
the grade, and otherwise only when a report is written.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from fractions import Fraction

from .data import FieldError, RoundData, UnitData
from .model import (
    Band,
    BandTable,
    BinOp,
    Call,
    Const,
    Deduct,
    Direction,
    Expr,
    FixedScore,
    Full,
    Grade,
    Group,
    Item,
    Judged,
    Neg,
    RangeDeduction,
    RangeMode,
    Ref,
    Rubric,
    Veto,
    Zero,
    approximate,
    format_number,
)
from .scorecard import GroupScore, ItemScore, Scorecard


class EvaluationError(Exception):
    """An item that cannot be scored for this unit; becomes one of the unit's errors."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.error = FieldError(field, message)


def score_round(rubric: Rubric, round_data: RoundData) -> list[Scorecard]:
    """Score every unit of a round, in input order.

    >>> from rubricdsl import loads
    >>> from rubricdsl.data import bind_round
    >>> rubric = loads('rubric "t" { total 5 item a "甲" points 5 { judged } }')
    >>> round_data = bind_round(rubric, {"units": [{"id": "x", "scores": {"a": 4}}]})
    >>> [card.total for card in score_round(rubric, round_data)]
    [Fraction(4, 1)]
    """
    return [score_unit(rubric, unit, round_data.targets) for unit in round_data.units]


def score_unit(rubric: Rubric, unit: UnitData, targets: Mapping[str, Mapping[str, Fraction]]) -> Scorecard:
    """Score one bound unit against the round's targets."""
    errors = list(unit.errors)
    items: dict[str, ItemScore] = {}
    for item in rubric.items() if unit.readable else ():
        if unit.has_error(f"values.{item.id}") or unit.has_error(f"scores.{item.id}"):
            continue  # already reported while reading the unit
        inputs = {**targets.get(item.id, {}), **unit.values.get(item.id, {})}
        try:
            items[item.id] = score_item(item, inputs, unit.scores.get(item.id))
        except EvaluationError as exc:
            errors.append(exc.error)
    groups: list[GroupScore] = []
    raw_total = _sum_children(rubric.children, items, groups)
    vetoes = tuple(rubric.veto(v) for v in unit.vetoes)
    total = reported = grade = None
    if not errors and raw_total is not None:
        total = min(raw_total, rubric.total) if rubric.total is not None else raw_total
        reported = rubric.rounding.apply(total)
        if rubric.grades is not None:
            # The grade follows the total as published, not the exact one.
            grade = _apply_vetoes(rubric, rubric.grades.grade_for(Fraction(reported)), vetoes)
            if grade is None:
                errors.append(FieldError("", f"the total {reported} reaches no grade of the rubric"))
                total = reported = None
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
        errors=tuple(errors),
    )


def _sum_children(
    children: Iterable[Group | Item], items: Mapping[str, ItemScore], groups: list[GroupScore]
) -> Fraction | None:
    """Sum scores, recording each group's capped score; None if some item was not scored."""
    total: Fraction | None = Fraction(0)
    for child in children:
        if isinstance(child, Item):
            score = items[child.id].score if child.id in items else None
        else:
            score = _score_group(child, items, groups)
        total = None if total is None or score is None else total + score
    return total


def _score_group(group: Group, items: Mapping[str, ItemScore], groups: list[GroupScore]) -> Fraction | None:
    position = len(groups)  # parents before their children, as in the document
    raw = _sum_children(group.children, items, groups)
    if raw is None:
        return None
    score = min(raw, group.points) if group.points is not None else raw
    groups.insert(position, GroupScore(group, score, raw, group.max_points))
    return score


def _apply_vetoes(rubric: Rubric, earned: Grade | None, vetoes: tuple[Veto, ...]) -> Grade | None:
    scale = rubric.grades
    assert scale is not None
    grade = earned.name if earned else None
    forced = [v.grade for v in vetoes if not v.caps]
    if forced:
        grade = max(forced, key=scale.rank)  # the worst forced grade wins
    for veto in vetoes:
        if veto.caps and grade is not None and scale.rank(grade) < scale.rank(veto.grade):
            grade = veto.grade
    return scale.named(grade) if grade is not None else None


# Items ------------------------------------------------------------------------------------


def score_item(item: Item, inputs: Mapping[str, Fraction], assessed: Fraction | None = None) -> ItemScore:
    """Score one item from its inputs (targets and values by name) and an assessor's score.

    >>> from rubricdsl import loads
    >>> rubric = loads('''rubric "t" { item d "甲" points 10 {
    ...   input value percent
    ...   input target percent from targets
    ...   measure completion = 100 * value / target
    ...   bands completion, lower is worse { [100..) full [90..100) deduct 2 (..90) zero } } }''')
    >>> score_item(rubric.item("d"), {"value": Fraction("89.1"), "target": Fraction(99)}).score
    Fraction(8, 1)

    Raises ``EvaluationError`` when the item cannot be scored (no band takes the
    value, an assessor's score is missing or out of its range).
    """
    rule = item.rule
    if isinstance(rule, Judged):
        if assessed is None:
            raise EvaluationError(f"scores.{item.id}", f"missing the assessor's score for {item.title}")
        return ItemScore(item, assessed, "judged", rule.span, assessed=assessed)
    if rule is None:
        return ItemScore(item, item.points, "full", item.span)
    measures = _measures(item, inputs)
    value = measures[rule.measure]
    band = rule.band_for(value)
    trace = tuple(measures.items())
    if band is None:
        read = ", ".join(f"{n} = {approximate(v)}" for n, v in trace if n != rule.measure)
        raise EvaluationError(
            f"values.{item.id}",
            f"{rule.measure} = {approximate(value)}{f' ({read})' if read else ''} falls in no band "
            f"of {item.title} ({item.id})",
        )
    if assessed is not None and not _takes_assessment(band):
        raise EvaluationError(
            f"scores.{item.id}",
            f"{item.title} takes no assessor's score here: {rule.measure} = {format_number(value)} "
            f"falls in band {band} (line {band.span.line if band.span else '?'})",
        )
    score = _outcome_score(item, rule, band, value, assessed)
    return ItemScore(item, score, str(band), band.span, band, trace, assessed)


def _takes_assessment(band: Band) -> bool:
    return isinstance(band.outcome, RangeDeduction) and band.outcome.mode is RangeMode.ASSESSED


def _outcome_score(
    item: Item, table: BandTable, band: Band, value: Fraction, assessed: Fraction | None
) -> Fraction:
    outcome, points = band.outcome, item.points
    if isinstance(outcome, Full):
        return points
    if isinstance(outcome, Zero):
        return Fraction(0)
    if isinstance(outcome, Deduct):
        return max(Fraction(0), points - outcome.amount)
    if isinstance(outcome, FixedScore):
        return outcome.score
    assert isinstance(outcome, RangeDeduction)
    if outcome.mode is RangeMode.LINEAR:
        return max(Fraction(0), points - _interpolate(table.worse, band, outcome, value))
    low, high = points - outcome.high, points - outcome.low
    if assessed is None:
        raise EvaluationError(
            f"scores.{item.id}",
            f"{item.title} needs the assessor's score between {format_number(low)} and {format_number(high)} "
            f"({table.measure} = {format_number(value)} falls in band {band})",
        )
    if not low <= assessed <= high:
        raise EvaluationError(
            f"scores.{item.id}",
            f"{format_number(assessed)} is outside {format_number(low)}..{format_number(high)}, "
            f"the scores band {band} allows for {item.title}",
        )
    return assessed


def _interpolate(worse: Direction, band: Band, outcome: RangeDeduction, value: Fraction) -> Fraction:
    """The deduction at ``value``: ``low`` at the band's better edge, ``high`` at its worse edge."""
    lower, upper = band.interval.lower, band.interval.upper
    assert lower is not None and upper is not None, "check() requires two edges for a linear range"
    better, worst = (lower, upper) if worse is Direction.HIGHER_IS_WORSE else (upper, lower)
    share = (value - better) / (worst - better)
    return outcome.low + (outcome.high - outcome.low) * share


def _measures(item: Item, inputs: Mapping[str, Fraction]) -> dict[str, Fraction]:
    env: dict[str, Fraction] = {}
    for spec in item.inputs:
        if spec.name not in inputs:
            raise EvaluationError(
                f"{spec.source.value}.{item.id}", f"missing input '{spec.name}' of {item.title}"
            )
        env[spec.name] = inputs[spec.name]
    for measure in item.measures:
        try:
            env[measure.name] = evaluate(measure.expr, env)
        except ZeroDivisionError:
            raise EvaluationError(
                f"values.{item.id}",
                f"measure '{measure.name}' of {item.title} divides by zero ({measure.expr})",
            ) from None
    return env


def evaluate(expr: Expr, env: Mapping[str, Fraction]) -> Fraction:
    """Evaluate an expression exactly over named values.

    >>> evaluate(BinOp("/", Ref("value"), Ref("target")), {"value": Fraction("89.1"), "target": Fraction(99)})
    Fraction(9, 10)
    """
    if isinstance(expr, Const):
        return expr.value
    if isinstance(expr, Ref):
        return env[expr.name]
    if isinstance(expr, Neg):
        return -evaluate(expr.operand, env)
    if isinstance(expr, BinOp):
        left, right = evaluate(expr.left, env), evaluate(expr.right, env)
        if expr.op == "+":
            return left + right
        if expr.op == "-":
            return left - right
        if expr.op == "*":
            return left * right
        return left / right
    assert isinstance(expr, Call)
    args = [evaluate(a, env) for a in expr.args]
    if expr.function == "min":
        return min(args)
    if expr.function == "max":
        return max(args)
    if expr.function == "floor":
        return Fraction(math.floor(args[0]))
    return Fraction(math.ceil(args[0]))
