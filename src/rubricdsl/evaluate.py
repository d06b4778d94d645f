"""Exact scoring: items, then groups with their caps, the total, the grade and the vetoes.

Every number is a ``Fraction``; rounding happens once, on the total that decides
the grade, and otherwise only when a report is written. The order of operations
for an item: the outcome of its rule; its deductions, each within its own cap,
never taking the item below zero; whether it applies; its bonus points on top.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from fractions import Fraction

from attrs import frozen

from .data import FieldError, RoundData, UnitData
from .model import (
    Adjustment,
    AdjustmentKind,
    AssessedAdjustment,
    Band,
    BandTable,
    BinOp,
    Call,
    Compare,
    Condition,
    Const,
    Deduct,
    Direction,
    Expr,
    FixedScore,
    Full,
    Grade,
    Group,
    InputSource,
    Item,
    Judged,
    Logic,
    Neg,
    Not,
    RangeDeduction,
    RangeMode,
    Ref,
    Rubric,
    Veto,
    Zero,
    approximate,
    format_number,
)
from .scorecard import AppliedAdjustment, GroupScore, ItemScore, Scorecard


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
            items[item.id] = score_item(
                item, inputs, unit.scores.get(item.id), evidence_missing=item.id in unit.missing_evidence
            )
        except EvaluationError as exc:
            errors.append(exc.error)
    groups: list[GroupScore] = []
    sums = _sum_children(rubric.children, items, groups)
    vetoes = tuple(rubric.veto(v) for v in unit.vetoes)
    base = bonus = total = reported = grade = None
    if not errors and sums is not None:
        base = _capped(sums.base, rubric.total)
        bonus = _capped(sums.bonus, rubric.bonus)
        total = base + bonus
        reported = rubric.rounding.apply(total)
        if rubric.grades is not None:
            # The grade follows the total as published, not the exact one.
            grade = _apply_vetoes(rubric, rubric.grades.grade_for(Fraction(reported)), vetoes)
            if grade is None:
                errors.append(FieldError("", f"the total {reported} reaches no grade of the rubric"))
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
        errors=tuple(errors),
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
    forced = [v.grade for v in vetoes if not v.caps]
    if forced:
        grade = max(forced, key=scale.rank)  # the worst forced grade wins
    for veto in vetoes:
        if veto.caps and grade is not None and scale.rank(grade) < scale.rank(veto.grade):
            grade = veto.grade
    return scale.named(grade) if grade is not None else None


# Items ------------------------------------------------------------------------------------


def score_item(
    item: Item,
    inputs: Mapping[str, Fraction],
    assessed: Fraction | None = None,
    evidence_missing: bool = False,
) -> ItemScore:
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
    if evidence_missing:
        return ItemScore(item, Fraction(0), "missing evidence", item.span, evidence_missing=True)
    env, failed = _measures(item, inputs)
    trace = tuple(env.items())
    try:
        applies = item.applies is None or _holds(item.applies.condition, env)
    except KeyError as missing:
        raise failed[missing.args[0]] from None
    if not applies:
        assert item.applies is not None
        otherwise = item.applies.otherwise
        score = _fixed_outcome(item, otherwise)
        rule = f"does not apply ({item.applies.condition} fails): {otherwise}"
        return ItemScore(item, score, rule, item.applies.span, measures=trace, applies=False)
    if failed:
        raise next(iter(failed.values()))
    base = _base_score(item, env, assessed)
    deductions = _deductions(item, env, base.score)
    bonuses = _bonuses(item, env)
    remaining = base.score - sum(a.amount for a in deductions)
    score = max(Fraction(0), remaining)
    bonus = _capped(sum((a.amount for a in bonuses), Fraction(0)), item.bonus)
    return ItemScore(
        item,
        score,
        base.rule,
        base.span,
        base.band,
        trace,
        assessed,
        adjustments=deductions + bonuses,
        bonus=bonus,
        floored=remaining < 0,
    )


@frozen
class _Base:
    score: Fraction
    rule: str
    span: object
    band: Band | None = None


def _base_score(item: Item, env: Mapping[str, Fraction], assessed: Fraction | None) -> _Base:
    """Step 1: the outcome of the item's rule, before its deductions."""
    rule = item.rule
    if isinstance(rule, Judged):
        if assessed is None:
            raise EvaluationError(f"scores.{item.id}", f"missing the assessor's score for {item.title}")
        return _Base(assessed, "judged", rule.span)
    if rule is None:
        if assessed is not None:
            raise EvaluationError(f"scores.{item.id}", f"{item.title} takes no assessor's score")
        return _Base(item.points, "full", item.span)
    value = env[rule.measure]
    band = rule.band_for(value)
    if band is None:
        read = ", ".join(f"{n} = {approximate(v)}" for n, v in env.items() if n != rule.measure)
        raise EvaluationError(
            f"values.{item.id}",
            f"{rule.measure} = {approximate(value)}{f' ({read})' if read else ''} falls in no band "
            f"of {item.title} ({item.id})",
        )
    if assessed is not None and not _takes_assessment(band):
        raise EvaluationError(
            f"scores.{item.id}",
            f"{item.title} takes no assessor's score here: {rule.measure} = {approximate(value)} "
            f"falls in band {band} (line {band.span.line if band.span else '?'})",
        )
    return _Base(_outcome_score(item, rule, band, value, assessed), str(band), band.span, band)


def _takes_assessment(band: Band) -> bool:
    return isinstance(band.outcome, RangeDeduction) and band.outcome.mode is RangeMode.ASSESSED


def _fixed_outcome(item: Item, outcome: Full | Zero | FixedScore | Deduct) -> Fraction:
    if isinstance(outcome, Full):
        return item.points
    if isinstance(outcome, Zero):
        return Fraction(0)
    if isinstance(outcome, Deduct):
        return max(Fraction(0), item.points - outcome.amount)
    return outcome.score


def outcome_scores(item: Item, table: BandTable, band: Band, value: Fraction) -> tuple[Fraction, Fraction]:
    """The lowest and highest score ``band`` gives at ``value``: one score, or an assessor's range.

    >>> from rubricdsl import loads
    >>> item = loads('''rubric "t" { item a "甲" points 10 { input d number bands d, higher is worse {
    ...   (..10] full (10..20] deduct 6..9 linear (20..) deduct 9..10 assessed } } }''').item("a")
    >>> [outcome_scores(item, item.rule, item.rule.band_for(Fraction(v)), Fraction(v)) for v in (15, 30)]
    [(Fraction(5, 2), Fraction(5, 2)), (Fraction(0, 1), Fraction(1, 1))]
    """
    outcome, points = band.outcome, item.points
    if not isinstance(outcome, RangeDeduction):
        score = _fixed_outcome(item, outcome)
    elif outcome.mode is RangeMode.LINEAR:
        score = max(Fraction(0), points - _interpolate(table.worse, band, outcome, value))
    else:
        return points - outcome.high, points - outcome.low
    return score, score


def _outcome_score(
    item: Item, table: BandTable, band: Band, value: Fraction, assessed: Fraction | None
) -> Fraction:
    low, high = outcome_scores(item, table, band, value)
    if not _takes_assessment(band):
        return low
    if assessed is None:
        raise EvaluationError(
            f"scores.{item.id}",
            f"{item.title} needs the assessor's score between {format_number(low)} and {format_number(high)} "
            f"({table.measure} = {approximate(value)} falls in band {band})",
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


def _deductions(item: Item, env: Mapping[str, Fraction], base: Fraction) -> tuple[AppliedAdjustment, ...]:
    """Step 2: each deduction within its own cap. An assessor's deduction without a cap may take
    what all the other deductions leave of the item's points, and no more."""
    applied = [
        _computed(rule, env) if isinstance(rule, Adjustment) else AppliedAdjustment(rule, env[rule.name])
        for rule in item.adjustments_of(AdjustmentKind.DEDUCT)
    ]
    total = sum((a.amount for a in applied), Fraction(0))
    for entry in applied:
        rule = entry.adjustment
        if isinstance(rule, AssessedAdjustment) and rule.limit is None:
            left = max(Fraction(0), base - (total - entry.amount))
            if entry.amount > left:
                raise EvaluationError(
                    _value_field(item, rule.name),
                    f"the assessor's deduction {format_number(entry.amount)} is more than "
                    f"{format_number(left)}, what the other deductions leave of {item.title}",
                )
    return tuple(a for a in applied if a.amount)


def _bonuses(item: Item, env: Mapping[str, Fraction]) -> tuple[AppliedAdjustment, ...]:
    """Step 4: each bonus within its own cap; the item's declared bonus caps their sum.

    An assessor's bonus is bounded where it is read (its domain is 0 to its cap)."""
    applied = [
        _computed(rule, env) if isinstance(rule, Adjustment) else AppliedAdjustment(rule, env[rule.name])
        for rule in item.adjustments_of(AdjustmentKind.BONUS)
    ]
    return tuple(a for a in applied if a.amount)


def _computed(rule: Adjustment, env: Mapping[str, Fraction]) -> AppliedAdjustment:
    if rule.per is not None:
        # A count below zero ("6 - reported" when more were reported) takes nothing off.
        amount = rule.amount * max(Fraction(0), evaluate(rule.per, env))
    else:
        assert rule.when is not None
        amount = rule.amount if _holds(rule.when, env) else Fraction(0)
    if rule.limit is not None and amount > rule.limit:
        return AppliedAdjustment(rule, rule.limit, capped=True)
    return AppliedAdjustment(rule, amount)


def _value_field(item: Item, name: str) -> str:
    """Where an input sits in the data: an item with one value takes it bare, else by name."""
    bare = len(item.inputs_from(InputSource.VALUES)) == 1
    return f"values.{item.id}" if bare else f"values.{item.id}.{name}"


def _measures(
    item: Item, inputs: Mapping[str, Fraction]
) -> tuple[dict[str, Fraction], dict[str, EvaluationError]]:
    """The item's inputs and measures by name, and the measures that have no value, with why.

    A measure that divides by zero, or leaves the range the rubric declares for it, has
    no value; that is an error only if the item applies (未发生…: no events, no rate).
    """
    env: dict[str, Fraction] = {}
    for spec in item.inputs:
        if spec.name not in inputs:
            raise EvaluationError(
                _value_field(item, spec.name), f"missing input '{spec.name}' of {item.title}"
            )
        env[spec.name] = inputs[spec.name]
    failed: dict[str, EvaluationError] = {}
    for measure in item.measures:
        try:
            value = evaluate(measure.expr, env)
        except KeyError as missing:  # it reads a measure that has no value
            failed[measure.name] = failed[missing.args[0]]
            continue
        except ZeroDivisionError:
            message = f"measure '{measure.name}' of {item.title} divides by zero ({measure.expr})"
            failed[measure.name] = EvaluationError(f"values.{item.id}", message)
            continue
        if measure.within is not None and value not in measure.within:
            message = (
                f"measure '{measure.name}' of {item.title} is {approximate(value)}, "
                f"outside {measure.within}, the values the rubric declares for it"
            )
            failed[measure.name] = EvaluationError(f"values.{item.id}", message)
            continue
        env[measure.name] = value
    return env, failed


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


_COMPARE = {
    "=": Fraction.__eq__,
    "!=": Fraction.__ne__,
    "<": Fraction.__lt__,
    "<=": Fraction.__le__,
    ">": Fraction.__gt__,
    ">=": Fraction.__ge__,
}


def _holds(condition: Condition, env: Mapping[str, Fraction]) -> bool:
    """Whether a condition holds, exactly.

    >>> _holds(Compare(">", Ref("events"), Const(Fraction(0))), {"events": Fraction(2)})
    True
    """
    if isinstance(condition, Compare):
        return bool(_COMPARE[condition.op](evaluate(condition.left, env), evaluate(condition.right, env)))
    if isinstance(condition, Logic):
        if condition.op == "and":
            return _holds(condition.left, env) and _holds(condition.right, env)
        return _holds(condition.left, env) or _holds(condition.right, env)
    assert isinstance(condition, Not)
    return not _holds(condition.operand, env)
