"""Static analysis of a compiled rubric, exact and without sampling.

For every band table: the values of its measure that no band takes (gaps), that two
bands take (overlaps), bands no value reaches, and any worse value that scores more
than a better one (monotonicity). For the rubric: points and bonus points that do not
add up, deductions larger than their item, grades no total reaches or totals no grade
takes, inputs nothing reads, vetoes that contradict each other.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from fractions import Fraction

from attrs import frozen

from .diagnostics import Diagnostic, error, warning
from .evaluate import outcome_scores
from .intervals import Domain, domain_of, intersect, is_before, lower_key, subtract, upper_key, witness
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
    Direction,
    Expr,
    Group,
    Interval,
    Item,
    Logic,
    Neg,
    Not,
    RangeDeduction,
    RangeMode,
    Ref,
    Rubric,
    approximate,
    format_number,
)
from .source import Span


def lint(rubric: Rubric) -> list[Diagnostic]:
    """Every finding about a compiled rubric, in source order.

    >>> from rubricdsl.compiler import analyse
    >>> from rubricdsl.source import Source
    >>> _, found = analyse(Source("t.rub", '''rubric "t" { item a "甲" points 5 {
    ...   input v percent
    ...   bands v, lower is worse { [90..100] full
    ...                             [0..80) zero } } }'''))
    >>> [d.message for d in found]
    ['no band takes v = 80 (between the bands on line 3 and line 4)']
    """
    found: list[Diagnostic] = []
    for item in rubric.items():
        found.extend(lint_item(item))
    found.extend(_points(rubric))
    found.extend(_grades(rubric))
    found.extend(_vetoes(rubric))
    return sorted(found, key=lambda d: (d.span.line, d.span.column) if d.span else (0, 0))


# Band tables -------------------------------------------------------------------------------


def measure_domains(item: Item) -> tuple[dict[str, Domain], list[Diagnostic]]:
    """The values each input and measure of an item can take.

    A measure's values are computed from its inputs' domains, and narrowed to what the
    rubric declares with ``within`` (the scorer refuses a value outside it).
    """
    domains = {i.name: Domain(i.domain, i.integral) for i in item.inputs}
    nonzero = frozenset(_ruled_out_zero(item.applies.condition)) if item.applies else frozenset()
    found = []
    for measure in item.measures:
        computed, risky = domain_of(measure.expr, domains, nonzero)
        if measure.within is not None:
            narrowed = intersect(computed.interval, measure.within) or measure.within
            computed = Domain(narrowed, computed.integral)
        domains[measure.name] = computed
        if risky:
            found.append(
                warning(
                    "W107",
                    f"measure '{measure.name}' of {item.title} may divide by zero",
                    measure.span,
                    help="a unit whose divisor is zero gets an error: give the divisor's inputs a domain "
                    "without zero, or say when the item applies ('applies when events > 0')",
                )
            )
    return domains, found


def _ruled_out_zero(condition: Condition) -> Iterator[str]:
    """Expressions an item's condition keeps away from zero: ``x > 0`` or ``x != 0``, joined by ``and``."""
    if isinstance(condition, Logic) and condition.op == "and":
        yield from _ruled_out_zero(condition.left)
        yield from _ruled_out_zero(condition.right)
    elif (
        isinstance(condition, Compare)
        and condition.op in (">", "!=")
        and condition.right == Const(Fraction(0))
    ):
        yield str(condition.left)


def lint_item(item: Item) -> Iterator[Diagnostic]:
    """Every finding about one item: its measures, inputs, deductions and band table."""
    domains, found = measure_domains(item)
    yield from found
    yield from _unused_inputs(item)
    yield from _oversized(item)
    if isinstance(item.rule, BandTable):
        yield from band_table(item, item.rule, domains[item.rule.measure])


def band_table(item: Item, table: BandTable, domain: Domain) -> Iterator[Diagnostic]:
    """Gaps, overlaps, unreachable bands and monotonicity breaks of one table."""
    name = table.measure
    # What each band really takes: its values within the domain, less those an earlier band
    # takes first (the evaluator uses the first band that takes a value).
    effective: list[list[Interval]] = []
    for index, band in enumerate(table.bands):
        pieces = _pieces([band.interval], domain)
        for earlier in table.bands[:index]:
            pieces = subtract(pieces, earlier.interval)
        effective.append([p for p in pieces if witness(p, domain.integral) is not None])
    for index, band in enumerate(table.bands):
        if not _pieces([band.interval], domain):
            yield warning(
                "W201",
                f"no value of {name} reaches band {band.interval} ({name} takes {_values(domain)})",
                band.span,
                help="remove the band, or widen the domain of the inputs",
            )
        elif not effective[index]:
            yield warning(
                "W201",
                f"band {band.interval} is never used: the bands listed before it take all its values",
                band.span,
                help="remove the band, or narrow the bands listed before it",
            )
    yield from _gaps(item, table, domain)
    for later, band in enumerate(table.bands):
        for earlier in table.bands[:later]:
            both = intersect(earlier.interval, band.interval)
            shared = _pieces([both], domain) if both is not None else []
            if shared:
                value = witness(shared[0], domain.integral)
                assert value is not None
                yield error(
                    "E202",
                    f"{name} = {format_number(value)} falls in two bands: "
                    f"line {_line(earlier)} and line {_line(band)}",
                    band.span,
                    help="the band listed first takes it; let bands meet at one edge: (a..b] and (b..c]",
                    witnesses=(value,),
                )
                break
    yield from _monotonicity(item, table, effective, domain.integral)


def _pieces(intervals: list[Interval], domain: Domain) -> list[Interval]:
    """The parts of ``intervals`` inside the domain that hold a value of it."""
    parts = [intersect(i, domain.interval) for i in intervals]
    return [p for p in parts if p is not None and witness(p, domain.integral) is not None]


def _gaps(item: Item, table: BandTable, domain: Domain) -> Iterator[Diagnostic]:
    left = [domain.interval]
    for band in table.bands:
        left = subtract(left, band.interval)
    for piece in left:
        value = witness(piece, domain.integral)
        if value is None:
            continue
        # The bands on either side of the gap, by value: the nearest below and above it.
        below = [b for b in table.bands if is_before(b.interval, piece)]
        above = [b for b in table.bands if is_before(piece, b.interval)]
        nearest_below = max(below, key=lambda b: upper_key(b.interval), default=None)
        nearest_above = min(above, key=lambda b: lower_key(b.interval), default=None)
        if nearest_below and nearest_above:
            lines = sorted(
                {_line(nearest_below), _line(nearest_above)}, key=lambda n: (isinstance(n, str), n)
            )
            where = f" (between the bands on line {' and line '.join(map(str, lines))})"
        elif nearest_below:
            where = f" (above the band on line {_line(nearest_below)})"
        elif nearest_above:
            where = f" (below the band on line {_line(nearest_above)})"
        else:
            where = ""
        yield error(
            "E201",
            f"no band takes {table.measure} = {format_number(value)}{where}",
            (nearest_above or nearest_below or table).span,
            help=f"a band must take every value of {piece}"
            + ("" if nearest_below and nearest_above else _within_hint(table, item)),
            witnesses=(value,),
        )


def _monotonicity(
    item: Item, table: BandTable, effective: list[list[Interval]], integral: bool
) -> Iterator[Diagnostic]:
    """Every score a worse value can get must be no higher than every score a better value can get.

    Bands are compared on the values each really takes. A range left to an assessor
    counts with its whole range; a linear range is exact at its edges, open or closed.
    Two values of one band are not compared: inside a band, a linear range slopes the
    right way by construction (check.py refuses a backward range) and an assessor's
    range is the assessor's to use.
    """
    name = table.measure
    up = table.worse is Direction.HIGHER_IS_WORSE  # worse values lie above better ones
    pieces = [(band, piece) for band, parts in zip(table.bands, effective, strict=True) for piece in parts]
    broken: set[int] = set()
    for better, better_part in pieces:
        for worse, worse_part in pieces:
            first, second = (better_part, worse_part) if up else (worse_part, better_part)
            if worse is better or id(worse) in broken or not is_before(first, second):
                continue
            # Each band's extreme score, on the side facing the other band where scores tie.
            low = _score_bound(item, table, better, better_part, integral, lowest=True, near_upper=up)
            high = _score_bound(item, table, worse, worse_part, integral, lowest=False, near_upper=not up)
            if high.score <= low.score:
                continue
            broken.add(id(worse))
            middle = (high.score + low.score) / 2
            better_value = _showing(item, table, better, better_part, integral, low, middle)
            worse_value = _showing(item, table, worse, worse_part, integral, high, middle)
            low_score = outcome_scores(item, table, better, better_value)[0]
            high_score = outcome_scores(item, table, worse, worse_value)[1]
            yield error(
                "E203",
                f"{name} = {format_number(worse_value)} {_can(worse, 'up to ')}{approximate(high_score)}, "
                f"more than the better {name} = {format_number(better_value)}, which "
                f"{_can(better, 'as little as ')}{approximate(low_score)} (line {_line(better)})",
                worse.span,
                help=f"a worse {name} must never score more; check the order of the outcomes",
                witnesses=(better_value, worse_value),
            )


def _within_hint(table: BandTable, item: Item) -> str:
    """For a derived measure, how to say which values it really takes, when arithmetic cannot see it."""
    measure = next((m for m in item.measures if m.name == table.measure), None)
    if measure is None or measure.within is not None:
        return ""
    return (
        f"; if {measure.name} never takes them, say which it takes: measure {measure.name} = … within [a..b]"
    )


def _can(band: Band, words: str) -> str:
    assessed = isinstance(band.outcome, RangeDeduction) and band.outcome.mode is RangeMode.ASSESSED
    return f"can score {words}" if assessed else "scores "


@frozen
class _Bound:
    """A band's lowest or highest score over some of its values: at ``value``, or, when not
    ``reached``, approached towards the open edge ``value``."""

    score: Fraction
    value: Fraction
    reached: bool


def _score_bound(
    item: Item, table: BandTable, band: Band, part: Interval, integral: bool, lowest: bool, near_upper: bool
) -> _Bound:
    """The lowest (or highest) score of ``band`` over ``part``; between equal scores, the one
    nearest its upper (or lower) end."""
    ends = [(v, reached) for v, reached in _ends(part, integral) if v is not None]
    if not near_upper:
        ends.reverse()  # the preferred end last
    pick = 0 if lowest else 1
    if not (isinstance(band.outcome, RangeDeduction) and band.outcome.mode is RangeMode.LINEAR):
        # The score does not depend on the value: show the value nearest the other band.
        value = _just_inside(part, *ends[-1], integral) if ends else witness(part, integral)
        assert value is not None
        return _Bound(outcome_scores(item, table, band, value)[pick], value, True)
    # A linear score is a straight line: its lowest and highest are at the band's ends.
    bounds = [_Bound(outcome_scores(item, table, band, v)[0], v, reached) for v, reached in ends]
    if lowest:
        return min(reversed(bounds), key=lambda b: b.score)
    return max(reversed(bounds), key=lambda b: b.score)


def _ends(part: Interval, integral: bool) -> list[tuple[Fraction | None, bool]]:
    """The lower and upper ends of ``part`` and whether each is a value of it; for whole
    numbers, the first and the last whole number in it."""
    if not integral:
        return [(part.lower, part.lower_closed), (part.upper, part.upper_closed)]
    first = math.ceil(part.lower) if part.lower is not None else None
    if first is not None and first == part.lower and not part.lower_closed:
        first += 1
    last = math.floor(part.upper) if part.upper is not None else None
    if last is not None and last == part.upper and not part.upper_closed:
        last -= 1
    return [
        (Fraction(first), True) if first is not None else (None, False),
        (Fraction(last), True) if last is not None else (None, False),
    ]


def _just_inside(part: Interval, edge: Fraction, reached: bool, integral: bool) -> Fraction:
    """``edge`` if it is a value of ``part``, else a plain value of it just inside."""
    if reached:
        return edge
    inward = 1 if part.lower == edge else -1
    for digits in range(1, 7):
        value = edge + inward * Fraction(1, 10**digits)
        if value in part and (not integral or value.denominator == 1):
            return value
    inside = witness(part, integral)
    assert inside is not None
    return inside


def _showing(
    item: Item, table: BandTable, band: Band, part: Interval, integral: bool, bound: _Bound, middle: Fraction
) -> Fraction:
    """A value of ``part`` whose score lies beyond ``middle`` on the bound's side."""
    if bound.reached:
        return bound.value
    # Approached at an open edge of a linear range: a value before its score crosses ``middle``.
    other = next(v for v, _ in _ends(part, integral) if v is not None and v != bound.value)
    at_other = outcome_scores(item, table, band, other)[0]
    if at_other == bound.score:  # a flat range: every value of it scores the same
        return _just_inside(part, bound.value, False, integral)
    crossing = bound.value + (other - bound.value) * (middle - bound.score) / (at_other - bound.score)
    low, high = sorted([bound.value, crossing])
    between = intersect(Interval(low, high, False, False), part)  # the crossing may lie beyond the band
    value = witness(between, integral) if between is not None else None
    assert value is not None
    return value


def _values(domain: Domain) -> str:
    return f"{domain.interval}{' whole numbers' if domain.integral else ''}"


def _line(band: Band) -> int | str:
    return band.span.line if band.span else "?"


# Items -------------------------------------------------------------------------------------


def _names(expr: Expr) -> Iterator[str]:
    if isinstance(expr, Ref):
        yield expr.name
    elif isinstance(expr, BinOp):
        yield from _names(expr.left)
        yield from _names(expr.right)
    elif isinstance(expr, Neg):
        yield from _names(expr.operand)
    elif isinstance(expr, Call):
        for arg in expr.args:
            yield from _names(arg)


def _condition_names(condition: Condition) -> Iterator[str]:
    if isinstance(condition, Compare):
        yield from _names(condition.left)
        yield from _names(condition.right)
    elif isinstance(condition, Logic):
        yield from _condition_names(condition.left)
        yield from _condition_names(condition.right)
    else:
        assert isinstance(condition, Not)
        yield from _condition_names(condition.operand)


def _used(item: Item) -> set[str]:
    """The names the item's scoring reads, directly or through the measures it uses."""
    used: set[str] = set()
    if isinstance(item.rule, BandTable):
        used.add(item.rule.measure)
    for adjustment in item.adjustments:
        if isinstance(adjustment, AssessedAdjustment):
            used.add(adjustment.name)
        elif adjustment.per is not None:
            used.update(_names(adjustment.per))
        elif adjustment.when is not None:
            used.update(_condition_names(adjustment.when))
    if item.applies is not None:
        used.update(_condition_names(item.applies.condition))
    for measure in reversed(item.measures):  # a measure reads only those defined above it
        if measure.name in used:
            used.update(_names(measure.expr))
    return used


def _unused_inputs(item: Item) -> Iterator[Diagnostic]:
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


def _oversized(item: Item) -> Iterator[Diagnostic]:
    for adjustment in item.adjustments:
        if adjustment.kind is not AdjustmentKind.DEDUCT:
            continue
        # A deduction taken once, or any cap: more than the item has is a slip.
        once = isinstance(adjustment, Adjustment) and adjustment.when is not None
        for what, amount in (("deduction", adjustment.amount if once else None), ("cap", adjustment.limit)):
            if amount is not None and amount > item.points:
                yield warning(
                    "W103",
                    f"a {what} of {format_number(amount)} is more than the "
                    f"{format_number(item.points)} points of {item.title}",
                    adjustment.span,
                    help="an item never goes below zero, so the excess never counts; check the number",
                )


# Points, grades and vetoes -------------------------------------------------------------------


def _points(rubric: Rubric) -> Iterator[Diagnostic]:
    """Declared points and bonus points against what the direct children declare or allow."""
    levels: list[tuple[str, Group | Rubric]] = [("the rubric", rubric)]
    levels += [(f"{group.kind} '{group.id or group.title}'", group) for group in rubric.groups()]
    for name, level in levels:
        children = level.children
        if not children:
            continue
        kinds = _kinds(children)
        declared = level.total if isinstance(level, Rubric) else level.points
        added = sum((c.points if isinstance(c, Item) else c.max_points for c in children), Fraction(0))
        if declared is not None and added != declared:
            yield _mismatch("W101", name, "points", declared, f"its {kinds} add up to", added, level.span)
        allowed = [c.bonus if c.bonus is not None else c.bonus_allowed for c in children]
        if level.bonus is not None and None not in allowed:
            total = sum((a for a in allowed if a is not None), Fraction(0))
            if total != level.bonus:
                yield _mismatch(
                    "W102", name, "bonus points", level.bonus, f"its {kinds} allow", total, level.span
                )
    for item in rubric.items():
        rules = item.bonus_rules_allow
        if item.bonus is not None and rules is not None and rules != item.bonus:
            yield _mismatch(
                "W102", f"item '{item.id}'", "bonus points", item.bonus, "its rules allow", rules, item.span
            )


def _mismatch(
    code: str, name: str, what: str, declared: Fraction, below: str, actual: Fraction, span: Span | None
) -> Diagnostic:
    shown, total = format_number(declared), format_number(actual)
    if actual > declared:
        advice = f"the excess is cut: at most {shown} count; if the document says so, keep it"
    else:
        advice = f"no unit can reach {shown}; if the document says so, keep it"
    return warning(code, f"{name} declares {shown} {what} but {below} {total}", span, help=advice)


def _kinds(children: tuple[Group | Item, ...]) -> str:
    kinds = {"items" if isinstance(c, Item) else f"{c.kind}s" for c in children}
    return " and ".join(sorted(kinds))


def _grades(rubric: Rubric) -> Iterator[Diagnostic]:
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


def _vetoes(rubric: Rubric) -> Iterator[Diagnostic]:
    forcing = [v for v in rubric.vetoes if not v.caps]
    for veto in forcing[1:]:
        first = forcing[0]
        if veto.grade != first.grade:
            yield warning(
                "W106",
                f"veto '{veto.id}' forces grade {veto.grade}, veto '{first.id}' grade {first.grade}",
                veto.span,
                help="when both apply the worse grade wins; check that this is meant",
            )
