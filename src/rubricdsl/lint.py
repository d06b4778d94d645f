"""Static analysis of a compiled rubric, exact and without sampling.

For every band table: the values of its measure that no band takes (gaps), that two
bands take (overlaps), bands no value reaches, and any worse value that scores more
than a better one (monotonicity). For the rubric: points and bonus points that do not
add up, deductions larger than their item, grades no total reaches or totals no grade
takes, inputs nothing reads, vetoes that contradict each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from attrs import frozen

from .diagnostics import Diagnostic, error, warning
from .intervals import Domain, domain_of, intersect, is_before, subtract, witness
from .model import (
    Adjustment,
    AssessedAdjustment,
    Band,
    BandTable,
    BinOp,
    Call,
    Compare,
    Condition,
    Deduct,
    Direction,
    Expr,
    FixedScore,
    Full,
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
    Zero,
    approximate,
    format_number,
)


def lint(rubric: Rubric) -> list[Diagnostic]:
    """Every finding about a compiled rubric, in source order.

    >>> from rubricdsl.compiler import analyse
    >>> from rubricdsl.source import Source
    >>> _, found = analyse(Source("t.rub", '''rubric "t" { item a "甲" points 5 {
    ...   input v percent
    ...   bands v, lower is worse { [90..100] full
    ...                             [0..80) zero } } }'''))
    >>> [d.message for d in found]
    ['no band takes v = 80 (between line 3 and line 4)']
    """
    found: list[Diagnostic] = []
    for item in rubric.items():
        found.extend(_item(item))
    found.extend(_points(rubric))
    found.extend(_grades(rubric))
    found.extend(_vetoes(rubric))
    return sorted(found, key=lambda d: (d.span.line, d.span.column) if d.span else (0, 0))


# Band tables -------------------------------------------------------------------------------


def measure_domains(item: Item) -> tuple[dict[str, Domain], list[Diagnostic]]:
    """The values each input and measure of an item can take."""
    domains = {i.name: Domain(i.domain, i.integral) for i in item.inputs}
    found = []
    for measure in item.measures:
        domains[measure.name], risky = domain_of(measure.expr, domains)
        if risky:
            found.append(
                warning(
                    "W107",
                    f"measure '{measure.name}' of {item.title} may divide by zero",
                    measure.span,
                    help="give the divisor a domain without zero, e.g. input target percent (0..100]",
                )
            )
    return domains, found


def _item(item: Item) -> Iterator[Diagnostic]:
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
                f"band {band.interval} is never used: the bands above it take all its values",
                band.span,
                help="remove the band, or narrow the bands above it",
            )
    yield from _gaps(table, domain)
    for later, band in enumerate(table.bands):
        for earlier in table.bands[:later]:
            both = intersect(earlier.interval, band.interval)
            value = _witness_in(both, domain)
            if value is not None:
                yield error(
                    "E202",
                    f"{name} = {format_number(value)} falls in two bands: "
                    f"line {_line(earlier)} and line {_line(band)}",
                    band.span,
                    help="the first band takes it; make one edge open, e.g. (a..b] and (b..c]",
                    witnesses=(value,),
                )
                break
    yield from _monotonicity(item, table, effective, domain.integral)


def _pieces(intervals: list[Interval], domain: Domain) -> list[Interval]:
    """The parts of ``intervals`` inside the domain that hold a value of it."""
    parts = [intersect(i, domain.interval) for i in intervals]
    return [p for p in parts if p is not None and witness(p, domain.integral) is not None]


def _gaps(table: BandTable, domain: Domain) -> Iterator[Diagnostic]:
    left = [domain.interval]
    for band in table.bands:
        left = subtract(left, band.interval)
    for piece in left:
        value = witness(piece, domain.integral)
        if value is None:
            continue
        below = [b for b in table.bands if is_before(b.interval, piece)]
        above = [b for b in table.bands if is_before(piece, b.interval)]
        near = max(below, key=lambda b: _sort_key(b.interval.upper), default=None)
        far = min(above, key=lambda b: _sort_key(b.interval.lower, upper=False), default=None)
        between = [
            f"line {line}" for line in sorted({_line(b) for b in (near, far) if b is not None}, key=str)
        ]
        where = (
            f" (between {' and '.join(between)})"
            if len(between) == 2
            else f" ({between[0]})"
            if between
            else ""
        )
        yield error(
            "E201",
            f"no band takes {table.measure} = {format_number(value)}{where}",
            (far or near or table).span,
            help=f"a band must take every value of {piece}",
            witnesses=(value,),
        )


def _monotonicity(
    item: Item, table: BandTable, effective: list[list[Interval]], integral: bool
) -> Iterator[Diagnostic]:
    """Every score a worse value can get must be no higher than every score a better value can get.

    A range left to an assessor counts with its whole range. Linear ranges slope the
    right way by construction (check.py makes their smaller deduction come first).
    """
    name = table.measure
    worse_above = table.worse is Direction.HIGHER_IS_WORSE
    pieces = [(band, piece) for band, parts in zip(table.bands, effective, strict=True) for piece in parts]
    broken: set[int] = set()
    for better, better_part in pieces:
        for worse, worse_part in pieces:
            if id(worse) in broken:
                continue
            ordered = (
                is_before(better_part, worse_part) if worse_above else is_before(worse_part, better_part)
            )
            if not ordered:
                continue
            # Show values next to each other: the better band's nearest the worse one, and back.
            low = _extreme(item, table, better, better_part, integral, lowest=True, upward=worse_above)
            high = _extreme(item, table, worse, worse_part, integral, lowest=False, upward=not worse_above)
            if high.score > low.score:
                broken.add(id(worse))
                yield error(
                    "E203",
                    f"{name} = {format_number(high.value)} scores {approximate(high.score)}, more than the "
                    f"better {name} = {format_number(low.value)}, which scores {approximate(low.score)} "
                    f"(line {_line(better)})",
                    worse.span,
                    help=f"a worse {name} must never score more; check the order of the outcomes",
                    witnesses=(low.value, high.value),
                )


@frozen
class _Point:
    value: Fraction
    score: Fraction


def _extreme(
    item: Item, table: BandTable, band: Band, part: Interval, integral: bool, lowest: bool, upward: bool
) -> _Point:
    """The lowest (or highest) score the band can give, at a value of the band; among equal
    scores the value furthest ``upward`` (or downward)."""
    points = [_Point(v, s) for v in _sample(part, integral) for s in _scores(item, table, band, v)]
    direction = 1 if upward else -1
    if lowest:
        return min(points, key=lambda p: (p.score, -direction * p.value))
    return max(points, key=lambda p: (p.score, direction * p.value))


def _sample(part: Interval, integral: bool) -> list[Fraction]:
    """Values of the band to score: its edges where it has them, and values just inside."""
    inside = witness(part, integral)
    assert inside is not None
    values = {inside}
    for edge, closed, step in ((part.lower, part.lower_closed, 1), (part.upper, part.upper_closed, -1)):
        if edge is None:
            continue
        if closed:
            values.add(edge)
            continue
        for shift in (Fraction(1, 10**k) for k in range(1, 7)):
            candidate = edge + step * shift
            if candidate in part and (not integral or candidate.denominator == 1):
                values.add(candidate)
                break
        if integral and edge + step in part:
            values.add(edge + step)
    return sorted(values)


def _scores(item: Item, table: BandTable, band: Band, value: Fraction) -> list[Fraction]:
    """Every score the band can give at ``value`` (two, for a range an assessor fills in)."""
    points, outcome = item.points, band.outcome
    if isinstance(outcome, Full):
        return [points]
    if isinstance(outcome, Zero):
        return [Fraction(0)]
    if isinstance(outcome, Deduct):
        return [max(Fraction(0), points - outcome.amount)]
    if isinstance(outcome, FixedScore):
        return [outcome.score]
    assert isinstance(outcome, RangeDeduction)
    if outcome.mode is RangeMode.ASSESSED:
        return [points - outcome.high, points - outcome.low]
    lower, upper = band.interval.lower, band.interval.upper
    assert lower is not None and upper is not None
    better, worst = (lower, upper) if table.worse is Direction.HIGHER_IS_WORSE else (upper, lower)
    deduction = outcome.low + (outcome.high - outcome.low) * (value - better) / (worst - better)
    return [max(Fraction(0), points - deduction)]


def _witness_in(interval: Interval | None, domain: Domain) -> Fraction | None:
    if interval is None:
        return None
    inside = intersect(interval, domain.interval)
    return witness(inside, domain.integral) if inside is not None else None


def _values(domain: Domain) -> str:
    return f"{domain.interval}{' whole numbers' if domain.integral else ''}"


def _sort_key(edge: Fraction | None, upper: bool = True) -> tuple[int, Fraction]:
    if edge is None:
        return (1 if upper else -1), Fraction(0)
    return 0, edge


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
    used: set[str] = set()
    for measure in item.measures:
        used.update(_names(measure.expr))
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
        if not isinstance(adjustment, Adjustment) or adjustment.kind.value != "deduct":
            continue
        for what, amount in (
            ("deduction", adjustment.amount if adjustment.when else None),
            ("cap", adjustment.limit),
        ):
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
    """Declared points and bonus points against the sum of the direct children's, at every level."""
    levels: list[tuple[str, Group | Rubric]] = [("the rubric", rubric)]
    levels += [(f"{group.kind} '{group.id or group.title}'", group) for group in rubric.groups()]
    for name, level in levels:
        children = level.children
        declared_points = level.total if isinstance(level, Rubric) else level.points
        kinds = _kinds(children)
        checks = (
            ("W101", "points", declared_points, [c.points for c in children], "add up to",
             "it is capped at {declared}; if the document says so, keep it"),
            ("W102", "bonus points", level.bonus,
             [c.bonus if c.bonus is not None else c.bonus_allowed for c in children], "allow",
             "the declared bonus is a cap; if the document says so, keep it"),
        )  # fmt: skip
        for code, what, declared, parts, verb, advice in checks:
            added = None if None in parts else sum((p for p in parts if p is not None), Fraction(0))
            if declared is not None and children and added is not None and added != declared:
                shown, total = format_number(declared), format_number(added)
                yield warning(
                    code,
                    f"{name} declares {shown} {what} but its {kinds} {verb} {total}",
                    level.span,
                    help=advice.format(declared=shown),
                )


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
    best = rubric.max_points + (rubric.bonus_allowed or Fraction(0))
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
