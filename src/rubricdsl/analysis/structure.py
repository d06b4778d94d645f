"""What a rubric gets wrong in its structure: ids, names, numbers, grades and vetoes.

Every problem is collected, none raised, so an author sees all of them at once. The
checks run on the model, so a rubric built in Python gets the same problems as one
read from a file; where the model remembers where a part was written, the problem
points there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fractions import Fraction

from ..model import (
    FUNCTIONS,
    Call,
    Condition,
    Expr,
    Group,
    Item,
    Located,
    Name,
    Rubric,
    Veto,
)
from ..model.expressions import expressions_of, walk
from ..model.intervals import interval_problems
from ..numbers import format_number
from ..problems import Problem, did_you_mean, error
from ..source import start


def check_structure(rubric: Rubric) -> tuple[list[Problem], list[Item]]:
    """Every structural problem of a rubric, and the items that have errors of their own.

    >>> from rubricdsl.model import Judged
    >>> found, broken = check_structure(Rubric("t", [Item("a", "甲", rule=Judged())]))
    >>> [p.message for p in found], [i.id for i in broken]
    (["item 'a' declares no points"], ['a'])
    """
    found = check_header(rubric)
    broken: list[Item] = []
    for problem, entry in _duplicate_ids(rubric):
        found.append(problem)
        if isinstance(entry, Item):
            broken.append(entry)
    if not any(True for _ in rubric.items()):
        found.append(
            error(
                "E117",
                "the rubric has no items, so it can score nothing",
                rubric.where("title"),
                help='add items: item id "标题" points 10 { judged }',
            )
        )
    for group in rubric.groups():
        found += check_group(group)
    shared = frozenset(f.name for f in rubric.facts)
    for item in rubric.items():
        problems = check_item(item, shared)
        found += problems
        if any(p.is_error for p in problems) and not any(b is item for b in broken):
            broken.append(item)
    for veto in rubric.vetoes:
        found += check_veto(rubric, veto)
    return found, broken


def check_header(rubric: Rubric) -> list[Problem]:
    """The rubric's own numbers and its grade scale."""
    found = [*rubric.must_be_positive("total", "the total"), *rubric.must_be_positive("bonus", "the bonus")]
    return found + list(_grades(rubric))


def check_group(group: Group) -> list[Problem]:
    """A group's declared points and bonus."""
    return list(_declared(group, "points", "bonus"))


def _declared(owner: Group | Item, *names: str) -> Iterator[Problem]:
    for name in names:
        yield from owner.must_be_positive(name, name)


def _grades(rubric: Rubric) -> Iterator[Problem]:
    scale = rubric.grades
    if scale is None:
        return
    if not scale.grades:
        yield error("E112", "a grade scale needs at least one grade", scale.span)
        return
    seen: set[str] = set()
    previous: Fraction | None = None
    for position, grade in enumerate(scale.grades):
        if grade.name in seen:
            yield error("E112", f"grade '{grade.name}' is named twice", grade.where("name"))
        seen.add(grade.name)
        if grade.threshold is None and grade.condition is None and position < len(scale.grades) - 1:
            yield error(
                "E112",
                f"grade '{grade.name}' has no threshold but is not the last grade",
                grade.span,
                help="only the lowest grade takes every total left; give this one '>= N' or 'when …'",
            )
        if grade.threshold is not None and previous is not None and grade.threshold >= previous:
            yield error(
                "E112",
                f"grade '{grade.name}' needs a lower threshold than {format_number(previous)}, "
                "the grade above it",
                grade.where("threshold"),
                help="list grades from best to worst, thresholds falling",
            )
        previous = grade.threshold if grade.threshold is not None else previous


def _in_document_order(children: tuple[Group | Item, ...]) -> Iterator[Group | Item]:
    for child in children:
        yield child
        if isinstance(child, Group):
            yield from _in_document_order(child.children)


def _duplicate_ids(rubric: Rubric) -> Iterator[tuple[Problem, Group | Item | Veto]]:
    """Ids used twice among groups, items and vetoes; the first use, in the file, keeps it."""
    entries: list[Group | Item | Veto] = [*_in_document_order(rubric.children), *rubric.vetoes]
    entries.sort(key=lambda e: start(e.where("id")))  # a rubric built in Python keeps its own order
    first: dict[str, Group | Item | Veto] = {}
    for entry in entries:
        if entry.id is None:
            continue
        if entry.id in first:
            earlier = first[entry.id].where("id")
            where = f" on line {earlier.line}" if earlier else ""
            yield error("E101", f"id '{entry.id}' is already used{where}", entry.where("id")), entry
        else:
            first[entry.id] = entry


def check_item(item: Item, facts: frozenset[str] = frozenset()) -> list[Problem]:
    """Everything structural about one item: its numbers, names, intervals, rule and adjustments.

    ``facts`` are the names of the rubric's facts, which every item may read.
    """
    return list(_item(item, facts))


def _item(item: Item, facts: frozenset[str]) -> Iterator[Problem]:
    yield from _declared(item, "points", "bonus")
    if item.points is None and item.bonus is None:
        yield error(
            "E105",
            f"item '{item.id}' declares no points",
            item.where("id"),
            help='write the points after the title: item id "标题" points 10 { ... }',
        )
    if item.rule is None and not item.adjustments:
        yield error(
            "E116",
            f"item '{item.id}' has no scoring rule, so it would always score full points",
            item.where("id"),
            help="add 'judged', a band table over a measure, or deductions",
        )
    yield from _names(item)
    everything = set(item.names()) | facts
    for spec in item.inputs:
        yield from interval_problems(spec.domain)
    for position, measure in enumerate(item.measures):
        defined = {i.name for i in item.all_inputs} | {m.name for m in item.measures[:position]} | facts
        later = {m.name for m in item.measures[position:]}
        yield from _expression(measure.expr, defined, later)
        if measure.within is not None:
            yield from interval_problems(measure.within)
    if item.rule is not None:
        yield from item.rule.problems(item)
        for written in item.rule.expressions():
            yield from _expression(written, everything, set())
    for adjustment in item.adjustments:
        yield from adjustment.problems(item)
        for written in adjustment.expressions():
            yield from _expression(written, everything, set())
    for requirement in item.requires:
        yield from _expression(requirement.condition, everything, set())
    if item.applies is not None:
        yield from _expression(item.applies.condition, everything, set())
        yield from item.applies.otherwise.problems(item.outcome_ceiling)


def _names(item: Item) -> Iterator[Problem]:
    """Inputs, measures and an assessor's amounts that share a name."""
    named: list[Located] = [*item.all_inputs, *item.measures]
    named.sort(key=lambda n: start(n.where("name")))
    first: dict[str, Located] = {}
    for entry in named:
        name: str = getattr(entry, "name")  # noqa: B009 - inputs and measures both have one
        if name in first:
            earlier = first[name].where("name")
            where = f" on line {earlier.line}" if earlier else ""
            yield error(
                "E102", f"'{name}' is already defined in item '{item.id}'{where}", entry.where("name")
            )
        else:
            first[name] = entry


def _expression(written: Expr | Condition, defined: set[str], later: set[str]) -> Iterator[Problem]:
    """Names read that are not defined (or defined only below), and unknown functions."""
    for outer in expressions_of(written):
        for node in walk(outer):
            if isinstance(node, Name) and node.name not in defined:
                yield _unknown(node, defined, later)
            elif isinstance(node, Call):
                yield from call_problems(node)


def _unknown(name: Name, defined: Iterable[str], later: set[str]) -> Problem:
    if name.name in later:
        return error(
            "E114",
            f"measure '{name.name}' is used before it is defined",
            name.span,
            help="define a measure above the measures that use it",
        )
    return error(
        "E103",
        f"unknown name '{name.name}'",
        name.span,
        help=did_you_mean(name.name, defined)
        or "name an input or a measure of this item, or a fact of the rubric (names are the item's own)",
    )


def call_problems(call: Call) -> Iterator[Problem]:
    """An unknown function, or one given too few or too many arguments."""
    if call.function not in FUNCTIONS:
        hint = did_you_mean(call.function, FUNCTIONS) or "functions: " + ", ".join(FUNCTIONS)
        yield error("E104", f"unknown function '{call.function}'", call.where("function"), help=hint)
        return
    fewest, most = FUNCTIONS[call.function]
    count = len(call.args)
    if count < fewest or (most is not None and count > most):
        wanted = f"{fewest}" if fewest == most else f"at least {fewest}"
        yield error("E104", f"{call.function}() takes {wanted} argument(s), not {count}", call.span)


def check_veto(rubric: Rubric, veto: Veto) -> list[Problem]:
    """A veto's grade rule, against the rubric's grade scale."""
    return list(_veto(rubric, veto))


def _veto(rubric: Rubric, veto: Veto) -> Iterator[Problem]:
    if veto.grade is None and veto.part_caps:
        return
    if veto.grade is None:
        yield error(
            "E113",
            f"veto '{veto.id}' neither forces nor caps a grade",
            veto.where("id"),
            help="add 'grade D' (forces D), 'grade at most B' (caps the grade at B) "
            "or 'score PART at most 0' (the part scores at most 0)",
        )
        return
    if rubric.grades is None or not rubric.grades.grades:
        yield error("E111", "a veto names a grade, but the rubric declares no grades", veto.where("grade"))
        return
    names = [g.name for g in rubric.grades.grades]
    if veto.grade not in names:
        hint = did_you_mean(veto.grade, names) or "grades: " + ", ".join(names)
        yield error("E111", f"unknown grade '{veto.grade}'", veto.where("grade"), help=hint)
