"""Scoring one item exactly, in the order the data contract gives.

1. the outcome of its rule (or its full points without one);
2. its deductions, each within its own cap, never taking it below zero;
3. whether it applies: if not, it scores what the rubric says instead, and no bonus;
4. its bonus points on top, each within its own cap, together within the item's bonus.

The rule, outcome and adjustment classes know how each kind scores; this module only
puts them in order. Every number is a ``Fraction``.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from ..model import Adjustment, AdjustmentKind, Applicability, InputSource, Item, Requirement, RuleScore
from ..model.expressions import names
from ..numbers import approximate, format_number
from ..problems import EvaluationError, Problem
from .scorecard import AppliedAdjustment, ItemScore


def score_item(
    item: Item,
    inputs: Mapping[str, Fraction],
    assessed: Fraction | str | None = None,
    evidence_missing: bool = False,
    above: tuple[Applicability, ...] = (),
    facts: Mapping[str, Fraction] | None = None,
) -> ItemScore:
    """Score one item from its inputs (targets and values by name), the unit's facts, and an
    assessor's score (a number, or the name of a level); ``above`` are the conditions of the
    parts around it.

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
    env, failed = _measures(item, inputs, facts)
    conditions = above + ((item.applies,) if item.applies is not None else ())
    shown = _facts_read(item, conditions) if facts else set()
    trace = tuple(
        (name, value) for name, value in env.items() if not facts or name not in facts or name in shown
    )
    for applicability in conditions:
        try:
            applies = applicability.condition.holds(env)
        except KeyError as missing:
            raise _lacking(failed, missing.args[0]) from None
        except ZeroDivisionError:
            raise _divides_by_zero(item, f"applies when {applicability.condition}") from None
        if not applies:
            for requirement in item.requires:  # what can be checked without the item's failed measures
                _check(item, requirement, env, failed, needed=False)
            otherwise = applicability.otherwise
            score = otherwise.fixed_score(item.max_points)
            rule = f"does not apply ({applicability.condition} fails): {otherwise}"
            return ItemScore(item, score, rule, applicability.span, measures=trace, applies=False)
    for requirement in item.requires:
        _check(item, requirement, env, failed, needed=True)
    if failed:
        raise next(iter(failed.values()))
    try:
        base = _base(item, env, assessed)
        deductions = _deductions(item, env, base.score)
        bonuses = tuple(_applied(item, rule, env) for rule in item.adjustments_of(AdjustmentKind.BONUS))
    except KeyError as missing:  # a fact the unit does not give, read by the rule or an adjustment
        raise _lacking(failed, missing.args[0]) from None
    remaining = base.score - sum(a.amount for a in deductions)
    bonus = sum((a.amount for a in bonuses), Fraction(0))
    return ItemScore(
        item,
        max(Fraction(0), remaining),
        base.rule,
        base.span,
        base.band,
        trace,
        assessed,
        adjustments=tuple(a for a in deductions + bonuses if a.amount),
        bonus=bonus if item.bonus is None else min(bonus, item.bonus),
        floored=remaining < 0,
    )


def _base(item: Item, env: Mapping[str, Fraction], assessed: Fraction | str | None) -> RuleScore:
    """Step 1: the outcome of the item's rule, before its deductions."""
    if isinstance(assessed, str):
        if item.rule is None:
            raise EvaluationError(
                Problem("E402", f"{item.title} takes no assessor's score", field=f"scores.{item.id}")
            )
        return item.rule.chosen(item, assessed)
    if item.rule is not None:
        return item.rule.score(item, env, assessed)
    if assessed is not None:
        raise EvaluationError(
            Problem("E402", f"{item.title} takes no assessor's score", field=f"scores.{item.id}")
        )
    return RuleScore(item.max_points, "full", item.span)


def _applied(item: Item, rule: Adjustment, env: Mapping[str, Fraction]) -> AppliedAdjustment:
    try:
        amount, capped = rule.applied(env)
    except ZeroDivisionError:
        raise _divides_by_zero(item, str(rule)) from None
    return AppliedAdjustment(rule, amount, capped)


def _check(
    item: Item,
    requirement: Requirement,
    env: Mapping[str, Fraction],
    failed: Mapping[str, EvaluationError],
    needed: bool,
) -> None:
    """A unit whose values break a requirement is not scored: say which values, and what they should be.

    Where the item does not apply (not ``needed``), a requirement that reads a value the unit
    lacks, or divides by zero, cannot be checked and is let be.
    """
    try:
        holds = requirement.holds(env)
    except KeyError as missing:  # it reads a measure that has no value
        if not needed:
            return
        raise _lacking(failed, missing.args[0]) from None
    except ZeroDivisionError:
        if not needed:
            return
        raise _divides_by_zero(item, str(requirement)) from None
    if not holds:
        read = " and ".join(
            f"{name} = {approximate(env[name])}"
            for name in dict.fromkeys(names(requirement.condition))
            if name in env
        )
        wording = f" ({requirement.text})" if requirement.text else ""
        message = f"{item.title} requires {requirement.condition}{wording}, but {read}"
        raise EvaluationError(Problem("E407", message, field=f"values.{item.id}"))


def _divides_by_zero(item: Item, what: str) -> EvaluationError:
    message = f"'{what}' of {item.title} divides by zero"
    return EvaluationError(Problem("E403", message, field=f"values.{item.id}"))


def _deductions(item: Item, env: Mapping[str, Fraction], base: Fraction) -> tuple[AppliedAdjustment, ...]:
    """Step 2: each deduction within its own cap. One that may take only what is left (an
    uncapped assessed deduction) may take what all the others leave of the item, and no more."""
    applied = [_applied(item, rule, env) for rule in item.adjustments_of(AdjustmentKind.DEDUCT)]
    total = sum((a.amount for a in applied), Fraction(0))
    for entry in applied:
        left = max(Fraction(0), base - (total - entry.amount))
        if entry.adjustment.takes_what_is_left and entry.amount > left:
            raise EvaluationError(
                Problem(
                    "E404",
                    f"the assessor's deduction {format_number(entry.amount)} is more than "
                    f"{format_number(left)}, what the other deductions leave of {item.title}",
                    field=_value_field(item, next(entry.adjustment.reads())),
                )
            )
    return tuple(applied)


def _value_field(item: Item, name: str) -> str:
    """Where an input sits in the data: an item with one value takes it bare, else by name."""
    bare = len(item.inputs_from(InputSource.VALUES)) == 1
    return f"values.{item.id}" if bare else f"values.{item.id}.{name}"


def _measures(
    item: Item, inputs: Mapping[str, Fraction], facts: Mapping[str, Fraction] | None
) -> tuple[dict[str, Fraction], dict[str, EvaluationError]]:
    """The unit's facts and the item's inputs and measures by name, and the names that have
    no value, with why.

    An input the data leaves out, a measure that divides by zero, or one that leaves the
    range the rubric declares for it, has no value; that is an error only if the item
    applies (未发生…: no events, no rate; 无学员的: nothing to read).
    """
    env: dict[str, Fraction] = dict(facts or {})
    failed: dict[str, EvaluationError] = {}
    given = [spec for spec in item.all_inputs if spec.name in inputs]
    for spec in item.all_inputs:
        if spec.name in inputs:
            env[spec.name] = inputs[spec.name]
        elif spec.default is not None:  # an assessor's amount left out: nothing entered
            env[spec.name] = spec.default
        elif not given and spec.source is InputSource.VALUES:
            message = f"missing the value for {item.title} ({item.id})"
            failed[spec.name] = EvaluationError(Problem("E312", message, field=f"values.{item.id}"))
        else:
            message = f"missing input '{spec.name}' of {item.title}"
            failed[spec.name] = EvaluationError(Problem("E312", message, field=_value_field(item, spec.name)))
    for measure in item.measures:
        try:
            value = measure.expr.evaluate(env)
        except KeyError as missing:  # it reads a measure that has no value
            failed[measure.name] = _lacking(failed, missing.args[0])
            continue
        except ZeroDivisionError:
            message = f"measure '{measure.name}' of {item.title} divides by zero ({measure.expr})"
            failed[measure.name] = EvaluationError(Problem("E403", message, field=f"values.{item.id}"))
            continue
        if measure.within is not None and value not in measure.within:
            message = (
                f"measure '{measure.name}' of {item.title} is {approximate(value)}, "
                f"outside {measure.within}, the values the rubric declares for it"
            )
            failed[measure.name] = EvaluationError(Problem("E403", message, field=f"values.{item.id}"))
            continue
        env[measure.name] = value
    return env, failed


def _lacking(failed: Mapping[str, EvaluationError], name: str) -> EvaluationError:
    """Why a name has no value: the item's own reason, or a fact the unit does not give."""
    if name in failed:
        return failed[name]
    return EvaluationError(Problem("E312", f"missing fact '{name}'", field=f"facts.{name}"))


def _facts_read(item: Item, conditions: tuple[Applicability, ...]) -> set[str]:
    """The names an item's scoring reads: the facts among them are shown in its trace."""
    read = {n for c in conditions for n in names(c.condition)}
    if item.rule is not None:
        read.update(item.rule.reads())
    for measure in item.measures:
        read.update(names(measure.expr))
    for adjustment in item.adjustments:
        read.update(adjustment.reads())
    return read
