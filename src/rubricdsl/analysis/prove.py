"""Proofs about a compiled rubric, exact and without sampling.

For each item: the values its measures can take (and whether one may divide by zero),
inputs nothing reads, deductions larger than the item, and its band table (``bands.py``).
For the rubric: points and bonus points that do not add up, grades no total reaches or
totals no grade takes, vetoes that contradict each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fractions import Fraction

from ..model import (
    AdjustmentKind,
    Applicability,
    BandTable,
    Cases,
    CategoryBands,
    Fact,
    Group,
    Interval,
    Item,
    Rubric,
    Rule,
)
from ..model.expressions import Condition, Expr, expressions_of, names, ruled_out_zero
from ..model.intervals import Domain, intersect, subtract, whole_numbers, witness
from ..numbers import format_number, sum_known
from ..problems import Problem, error, in_order, warning
from ..source import Span
from .bands import band_table, narrowed
from .cases import decision_table
from .corners import corners, shown


def prove(rubric: Rubric) -> list[Problem]:
    """Every finding about a rubric's items, points, grades and vetoes, in source order.

    >>> from rubricdsl import loads
    >>> rubric = loads('rubric "t" { total 10 item a "甲" points 5 { judged } }')
    >>> [p.code for p in prove(rubric)]
    ['W101']
    """
    found = prove_items(rubric, rubric.items())
    found.extend(_points(rubric))
    found.extend(_risky_over_the_unit(rubric))
    found.extend(_grades(rubric))
    found.extend(_vetoes(rubric))
    return in_order(found)


def prove_items(rubric: Rubric, items: Iterable[Item]) -> list[Problem]:
    """Every finding about these items of ``rubric``, item after item (see ``prove_item``)."""
    return [
        problem for item in items for problem in prove_item(item, rubric.facts, rubric.conditions_above(item))
    ]


def prove_item(
    item: Item, facts: tuple[Fact, ...] = (), above: tuple[Applicability, ...] = ()
) -> Iterator[Problem]:
    """Every finding about one item: its measures, inputs, deductions, and its rule's table or formula.

    ``facts`` are the rubric's, ``above`` the conditions of the parts around the item: where the
    item does not apply, or a requirement refuses the unit, no band or row need take a value.

    >>> from rubricdsl.model import Assessed, AdjustmentKind, Input, Item
    >>> unused = Item("a", "甲", 2, inputs=[Input("n", "count")], adjustments=[
    ...     Assessed(AdjustmentKind.DEDUCT, "d", limit=3)])
    >>> [p.code for p in prove_item(unused)]
    ['W105', 'W103']
    """
    conditions = [a.condition for a in (*above, *((item.applies,) if item.applies else ()))]
    conditions += [r.condition for r in item.requires]
    nonzero = frozenset(n for c in conditions for n in ruled_out_zero(c))
    domains, found = measure_domains(item, facts, nonzero)
    yield from found
    yield from _risky_conditions_and_adjustments(item, domains, nonzero)
    yield from _unused_inputs(item)
    yield from _oversized(item)
    if isinstance(item.rule, BandTable):
        yield from band_table(
            item, item.rule, narrowed(domains[item.rule.measure], item.rule.measure, conditions)
        )
    elif isinstance(item.rule, CategoryBands):
        measure = narrowed(domains[item.rule.measure], item.rule.measure, conditions)
        for each in item.rule.tables:  # each category's edges, over every value of the measure
            yield from band_table(item, each.table, measure, each.category.name)
    elif isinstance(item.rule, Cases):
        independent = {i.name for i in item.all_inputs} | {f.name for f in facts}
        yield from decision_table(item, item.rule, domains, independent, facts, conditions)
    elif item.rule is not None:
        yield from _within_points(item, item.rule, domains, nonzero)


def _within_points(
    item: Item, rule: Rule, domains: dict[str, Domain], nonzero: frozenset[str]
) -> Iterator[Problem]:
    """A rule that computes its score (a formula) gives only scores between 0 and the item's points."""
    computed = rule.bounds(domains, nonzero)
    if computed is None:
        return
    scores, risky = computed
    if risky:
        yield _divides_by_zero(f"{rule} of {item.title}", rule.span)
    given = whole_numbers(scores.interval) if scores.integral else scores.interval
    if given is None:
        return
    points = Interval(0, item.max_points)
    beyond = [p for p in subtract([given], points) if witness(p, scores.integral) is not None]
    if beyond:
        # Real inputs that take it out, where the inputs' corners show some.
        written = next(iter(rule.expressions()), None)
        tried = corners(item, written) if written is not None else None
        escaping = next((env for env, value in tried or [] if value not in points), None)
        at = f" (at {shown(escaping)})" if escaping is not None else ""
        yield error(
            "E205",
            f"{rule} can give {given}, beyond the 0 to {format_number(item.max_points)} "
            f"points of {item.title}{at}",
            rule.span,
            help=f"keep it within the points: score = max(0, min({format_number(item.max_points)}, …)), "
            "or give its inputs domains that keep it inside",
            witnesses=tuple(w for p in beyond if (w := witness(p, scores.integral)) is not None),
        )


def measure_domains(
    item: Item, facts: tuple[Fact, ...] = (), nonzero: frozenset[str] | None = None
) -> tuple[dict[str, Domain], list[Problem]]:
    """The values each input and measure of an item can take.

    A measure's values are computed from its inputs' domains, and narrowed to what the
    rubric declares with ``within`` (the scorer refuses a value outside it). ``nonzero`` are
    the divisors the item's conditions keep from zero (by default, its own ``applies when``).

    >>> from rubricdsl import loads
    >>> item = loads('''rubric "t" { item a "甲" points 1 {
    ...   input v percent  input t percent (0..100] from targets  measure c = 100 * v / t
    ...   bands c, lower is worse { [100..) full (..100) zero } } }''').item("a")
    >>> domains, found = measure_domains(item)
    >>> str(domains["c"].interval), found
    ('[0..)', [])
    """
    kept = _nonzero(item) if nonzero is None else nonzero
    domains = {f.name: Domain(f.domain, f.integral) for f in facts}
    domains.update({i.name: Domain(i.domain, i.integral) for i in item.all_inputs})
    found = []
    for measure in item.measures:
        computed, risky = measure.expr.bounds(domains, kept)
        if measure.within is not None:
            narrowed = intersect(computed.interval, measure.within) or measure.within
            computed = Domain(narrowed, computed.integral)
        domains[measure.name] = computed
        if risky:
            found.append(_divides_by_zero(f"measure '{measure.name}' of {item.title}", measure.span))
    return domains, found


def _risky_conditions_and_adjustments(
    item: Item, domains: dict[str, Domain], kept: frozenset[str]
) -> Iterator[Problem]:
    """A deduction, bonus or condition that may divide by zero: the unit would get an error.

    An item's deductions are reckoned only where it applies, so its condition may rule a
    zero divisor out for them; the condition itself has nothing before it to do so.
    """
    written: list[tuple[str, Span | None, Iterable[Expr | Condition], frozenset[str]]] = [
        (str(a), a.span, a.expressions(), kept) for a in item.adjustments
    ]
    if item.applies is not None:
        condition = item.applies.condition
        written.insert(0, (f"applies when {condition}", item.applies.span, [condition], frozenset()))
    written[:0] = [(str(r), r.span, [r.condition], frozenset()) for r in item.requires]
    for what, span, parts, nonzero in written:
        outer = [e for part in parts for e in expressions_of(part)]
        if any(e.bounds(domains, nonzero)[1] for e in outer):
            yield _divides_by_zero(f"'{what}' of {item.title}", span)


def _risky_over_the_unit(rubric: Rubric) -> Iterator[Problem]:
    """A requirement, part's, grade's or veto's condition that may divide by zero: over the facts'
    domains and what each score on the scorecard can be."""
    domains = {f.name: Domain(f.domain, f.integral) for f in rubric.facts}
    domains["total"] = Domain(Interval(0, None, True, False))
    for item in rubric.items():
        domains[item.id] = Domain(Interval(0, item.max_points))
    for group in rubric.groups():
        if group.id is not None:
            domains[group.id] = Domain(Interval(0, group.max_points))
    for tag in rubric.tags:
        domains[tag.name] = Domain(
            Interval(0, sum((i.max_points for i in rubric.tagged(tag.name)), Fraction(0)))
        )
    written: list[tuple[Span | None, Condition]] = [(r.span, r.condition) for r in rubric.requires]
    written += [(g.applies.span, g.applies.condition) for g in rubric.groups() if g.applies is not None]
    if rubric.grades is not None:
        written += [(g.span, g.condition) for g in rubric.grades.grades if g.condition is not None]
    written += [(v.span, v.condition) for v in rubric.vetoes if v.condition is not None]
    for span, condition in written:
        try:
            risky = any(outer.bounds(domains, frozenset())[1] for outer in expressions_of(condition))
        except KeyError:  # an unknown name: validation says so
            continue
        if risky:
            yield warning(
                "W107",
                f"'{condition}' may divide by zero",
                span,
                help="a unit for which the divisor is zero gets an error (E403): keep the divisor from zero",
            )


def _nonzero(item: Item) -> frozenset[str]:
    """What the item's ``applies when … > 0`` keeps from zero, where it is divided by."""
    return frozenset(ruled_out_zero(item.applies.condition)) if item.applies else frozenset()


def _divides_by_zero(what: str, span: Span | None) -> Problem:
    return warning(
        "W107",
        f"{what} may divide by zero",
        span,
        help="a unit whose divisor is zero gets an error: give the divisor's inputs a domain "
        "without zero, or say when the item applies ('applies when events > 0')",
    )


def _used(item: Item) -> set[str]:
    """The names the item's scoring reads, directly or through the measures it uses."""
    used: set[str] = set()
    if item.rule is not None:
        used.update(item.rule.reads())
    for adjustment in item.adjustments:
        used.update(adjustment.reads())
    if item.applies is not None:
        used.update(names(item.applies.condition))
    for requirement in item.requires:
        used.update(names(requirement.condition))
    for measure in reversed(item.measures):  # a measure reads only those defined above it
        if measure.name in used:
            used.update(names(measure.expr))
    return used


def _unused_inputs(item: Item) -> Iterator[Problem]:
    used = _used(item)
    for spec in item.inputs:
        if spec.name not in used:
            yield warning(
                "W105",
                f"input '{spec.name}' of {item.title} is read from the data but nothing uses it",
                spec.span,
                help="use it in a measure, a band table or a deduction, or remove it",
            )
    for measure in item.measures:
        if measure.name not in used:
            yield warning(
                "W105",
                f"measure '{measure.name}' of {item.title} is computed but nothing uses it",
                measure.span,
            )


def _oversized(item: Item) -> Iterator[Problem]:
    for adjustment in item.adjustments_of(AdjustmentKind.DEDUCT):
        # A deduction taken once, or any cap: more than the item has is a slip.
        for what, amount in adjustment.sizes():
            if amount > item.max_points:
                yield warning(
                    "W103",
                    f"a {what} of {format_number(amount)} is more than the "
                    f"{format_number(item.max_points)} points of {item.title}",
                    adjustment.span,
                    help="an item never goes below zero, so the excess never counts; check the number",
                )


# Points, grades and vetoes -------------------------------------------------------------------


def _points(rubric: Rubric) -> Iterator[Problem]:
    """Declared points and bonus points against what the direct children declare or allow."""
    levels: list[tuple[str, Group | Rubric]] = [("the rubric", rubric)]
    levels += [(f"{group.kind} '{group.id or group.title}'", group) for group in rubric.groups()]
    for name, level in levels:
        children = level.children
        if not children:
            continue
        kinds = _kinds(children)
        declared = level.total if isinstance(level, Rubric) else level.points
        added = sum((c.max_points for c in children), Fraction(0))
        # Each points at the number it is about, which is where the part or group says it.
        at_points = level.where("total" if isinstance(level, Rubric) else "points")
        if declared is not None and added != declared:
            yield _mismatch("W101", name, "points", declared, f"its {kinds} add up to", added, at_points)
        allowed = sum_known(c.bonus if c.bonus is not None else c.bonus_allowed for c in children)
        if level.bonus is not None and allowed is not None and allowed != level.bonus:
            at_bonus = level.where("bonus")
            yield _mismatch(
                "W102", name, "bonus points", level.bonus, f"its {kinds} allow", allowed, at_bonus
            )
    for item in rubric.items():
        rules = item.bonus_rules_allow
        if item.bonus is not None and rules is not None and rules != item.bonus:
            yield _mismatch(
                "W102",
                f"item '{item.id}'",
                "bonus points",
                item.bonus,
                "its rules allow",
                rules,
                item.where("bonus"),
            )


def _mismatch(
    code: str, name: str, what: str, declared: Fraction, below: str, actual: Fraction, span: Span | None
) -> Problem:
    shown, total = format_number(declared), format_number(actual)
    if actual > declared:
        advice = f"the excess is cut: at most {shown} count; if the document says so, keep it"
    else:
        advice = f"no unit can reach {shown}; if the document says so, keep it"
    return warning(code, f"{name} declares {shown} {what} but {below} {total}", span, help=advice)


def _kinds(children: tuple[Group | Item, ...]) -> str:
    kinds = {"items" if isinstance(c, Item) else f"{c.kind}s" for c in children}
    return " and ".join(sorted(kinds))


def _grades(rubric: Rubric) -> Iterator[Problem]:
    scale = rubric.grades
    if scale is None:
        return
    lowest = scale.grades[-1]
    if lowest.threshold is not None and lowest.threshold > 0:
        yield error(
            "E204",
            f"a total of 0 reaches no grade: the lowest grade, {lowest.name}, "
            f"needs {format_number(lowest.threshold)}",
            lowest.span,
            help=f"let the last grade take every total left: {lowest.name} without '>='",
        )
    bonus = rubric.bonus_allowed if rubric.has_bonus else Fraction(0)
    if bonus is None:
        return  # an uncapped bonus: any grade may be reached
    best = rubric.max_points + bonus
    for grade in scale.grades:
        if grade.threshold is not None and grade.threshold > best:
            yield warning(
                "W104",
                f"no total reaches grade {grade.name}: it needs {format_number(grade.threshold)}, "
                f"and the most a unit can score is {format_number(best)}",
                grade.span,
            )


def _vetoes(rubric: Rubric) -> Iterator[Problem]:
    forcing = [v for v in rubric.vetoes if not v.caps and v.grade is not None]
    for veto in forcing[1:]:
        first = forcing[0]
        if veto.grade != first.grade:
            yield warning(
                "W106",
                f"veto '{veto.id}' forces grade {veto.grade}, veto '{first.id}' grade {first.grade}",
                veto.span,
                help="when both apply the worse grade wins; check that this is meant",
            )
