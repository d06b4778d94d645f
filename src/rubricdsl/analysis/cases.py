"""Proofs about a decision table (``cases { … }``), exact and without sampling.

Where every condition compares one input or fact with a number (``a >= 90 and b < 3``,
``level = 三级``, a yes/no alone), each name's values fall into finitely many pieces
between the numbers it is compared with, and every row holds or fails on a whole piece.
One value from each piece, in every combination, decides the whole table: a combination
no row takes is a gap (E206), one two rows take is an overlap (W203, the first row wins).
A table over measures, or with more combinations than ``LIMIT``, is not judged, and check
says so (W204), so that no finding never reads as a proof.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction

from ..model import Cases, Comparison, Constant, Fact, Item, Label, Name
from ..model.expressions import Condition, Truth
from ..model.intervals import Domain, Interval, intersect, witness
from ..numbers import format_number
from ..problems import Problem, error, warning

LIMIT = 20_000  # combinations checked at most; beyond, the table is left unjudged


def decision_table(
    item: Item,
    table: Cases,
    domains: Mapping[str, Domain],
    inputs: set[str],
    facts: tuple[Fact, ...] = (),
    conditions: Sequence[Condition] = (),
) -> Iterator[Problem]:
    """Gaps and overlaps of a decision table, each with the values that show it.

    ``inputs`` are the names whose values are independent (inputs and facts, not measures);
    ``conditions`` say where the item applies and what its requirements let through: a case
    outside them needs no row, where they compare names with numbers too.

    >>> from rubricdsl.model import Case, Full, Zero, Input
    >>> above = Case(Full(), Comparison(">=", Name("a"), Constant(90)))
    >>> below = Case(Zero(), Comparison("<", Name("a"), Constant(80)))
    >>> item = Item("x", "甲", 5, Cases([above, below]), inputs=[Input("a", "percent")])
    >>> [p.message for p in decision_table(item, item.rule, {"a": Domain(Interval(0, 100))}, {"a"})]
    ['no row of the table of 甲 takes a = 80']
    """
    cuts: dict[str, set[Fraction]] = {}
    for case in table.cases:
        if case.condition is not None and not _simple(case.condition, cuts):
            yield from _unproved(item, table, f"row '{case}' compares more than a name with a number")
            return
    where = []
    for condition in conditions:
        scratch: dict[str, set[Fraction]] = {}
        if _simple(condition, scratch) and all(n in inputs for n in scratch):
            where.append(condition)
            for name, edges in scratch.items():
                cuts.setdefault(name, set()).update(edges)
    derived = [name for name in cuts if name not in inputs or name not in domains]
    if derived:
        yield from _unproved(item, table, f"it reads {derived[0]}, which is not an input or a fact")
        return
    choices = {name: _representatives(domains[name], cuts[name]) for name in sorted(cuts)}
    count = 1
    for values in choices.values():
        count *= max(1, len(values))
    if count > LIMIT:
        yield from _unproved(item, table, f"its {count} combinations of values are more than {LIMIT}")
        return
    gap_found = False
    overlaps: set[tuple[int, int]] = set()
    for combination in itertools.product(*choices.values()):
        env = dict(zip(choices, combination, strict=True))
        if not all(c.holds(env) for c in where):
            continue  # the item does not apply here, or the unit is refused
        taking = [i for i, case in enumerate(table.cases) if case.holds(env)]
        shown = ", ".join(f"{name} = {_shown(facts, name, value)}" for name, value in env.items())
        if not taking and not gap_found:
            gap_found = True
            yield error(
                "E206",
                f"no row of the table of {item.title} takes {shown}",
                table.span,
                help="add a row for it, or end the table with '… otherwise'",
                witnesses=tuple(env.values()),
            )
        first = [i for i in taking if table.cases[i].condition is not None][:2]
        if len(first) == 2 and tuple(first) not in overlaps:
            overlaps.add((first[0], first[1]))
            yield warning(
                "W203",
                f"{shown} is taken by two rows, row {first[0] + 1} and row {first[1] + 1}; the first wins",
                table.cases[first[1]].span,
                help="if the rows are meant to exclude each other, narrow one of them",
                witnesses=tuple(env.values()),
            )


def _unproved(item: Item, table: Cases, why: str) -> Iterator[Problem]:
    """Say that the table is not proved, unless its last row takes every case left anyway."""
    if table.cases and table.cases[-1].condition is None:
        return
    yield warning(
        "W204",
        f"the table of {item.title} ({item.id}) is not proved: {why}",
        table.span,
        help="check proves tables whose rows compare inputs or facts with numbers; "
        "end the table with '… otherwise' so that every case scores",
    )


def _simple(condition: Condition, cuts: dict[str, set[Fraction]]) -> bool:
    """Whether every comparison in it is a name against a number; record the numbers per name."""
    if isinstance(condition, Truth):
        cuts.setdefault(condition.name, set()).add(Fraction(0))
        return True
    if isinstance(condition, Comparison):
        left, right = condition.left, condition.right
        if isinstance(right, Name) and isinstance(left, (Constant, Label)):
            left, right = right, left
        if isinstance(left, Name) and isinstance(right, (Constant, Label)):
            value = right.value if isinstance(right, Constant) else Fraction(right.index)
            cuts.setdefault(left.name, set()).add(value)
            return True
        return False
    return all(_simple(inner, cuts) for inner in condition.conditions)


def _representatives(domain: Domain, cuts: set[Fraction]) -> list[Fraction]:
    """One value of the domain from each piece the cuts make: each cut, and between them."""
    edges = sorted(cuts)
    pieces = [Interval(e, e) for e in edges]
    bounds: list[Fraction | None] = [None, *edges, None]
    pieces += [Interval(low, high, False, False) for low, high in itertools.pairwise(bounds)]
    found = []
    for piece in pieces:
        inside = intersect(piece, domain.interval)
        value = witness(inside, domain.integral) if inside is not None else None
        if value is not None:
            found.append(value)
    return sorted(set(found))


def _shown(facts: tuple[Fact, ...], name: str, value: Fraction) -> str:
    fact = next((f for f in facts if f.name == name), None)
    return fact.shown(value) if fact is not None else format_number(value)
