"""What a rubric says about the unit as a whole: facts, tags, and the conditions of parts,
grades and vetoes, checked against the names each may read.

An item reads its own inputs and measures and the rubric's facts. A part's ``applies
when`` reads facts only. A grade's or veto's condition reads the scorecard: ``total``, an
item's, group's or tag's score by its id, ``count``/``count_full``/``count_below`` of a tag, and facts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeGuard

import attrs

from ..model import (
    Call,
    CategoryBands,
    Comparison,
    Condition,
    Constant,
    Expr,
    Fact,
    Group,
    Label,
    Name,
    Rubric,
    Tag,
)
from ..model.expressions import TALLIES, expressions_of, walk
from ..model.intervals import interval_problems
from ..numbers import format_number
from ..problems import Problem, did_you_mean, error, warning
from .structure import call_problems

SCORECARD = "total"  # the name of the reported total in a grade's or veto's condition


def check_scope(rubric: Rubric) -> list[Problem]:
    """Facts, tags and categories, and every condition over the unit as a whole.

    >>> from rubricdsl.model import Fact, Item, Judged
    >>> rubric = Rubric("t", [Item("a", "甲", 5, Judged(), tags=["core"])], facts=[Fact("a", kind="flag")])
    >>> [p.code for p in check_scope(rubric)]
    ['E101', 'E103', 'W105']
    """
    return list(_scope(rubric))


def _scope(rubric: Rubric) -> Iterator[Problem]:
    ids = {item.id for item in rubric.items()} | {g.id for g in rubric.groups() if g.id is not None}
    seen: set[str] = set()
    declared: list[tuple[str, Fact | Tag]] = [("fact", f) for f in rubric.facts] + [
        ("tag", t) for t in rubric.tags
    ]
    for kind, named in declared:
        if named.name in seen:
            yield error("E102", f"'{named.name}' is declared twice", named.where("name"))
        elif named.name in ids or named.name == SCORECARD:
            what = "the total" if named.name == SCORECARD else "an item or group"
            message = f"{kind} '{named.name}' has the name of {what}; give it another"
            yield error("E101", message, named.where("name"))
        seen.add(named.name)
    taken = ids | {f.name for f in rubric.facts} | {t.name for t in rubric.tags} | {SCORECARD}
    for fact in rubric.facts:
        yield from interval_problems(fact.domain)
        for clash in sorted(set(fact.categories) & taken, key=fact.categories.index):
            message = f"category '{clash}' of {fact.name} has the name of an id, a fact, a tag or the total"
            yield error("E101", message, fact.span, help="give the category another name")
        if len(set(fact.categories)) != len(fact.categories):
            yield error("E102", f"fact '{fact.name}' names a category twice", fact.span)
    tags = {tag.name for tag in rubric.tags}
    for item in rubric.items():
        for position, tag in enumerate(item.tags):
            if tag in item.tags[:position]:
                yield error("E102", f"item '{item.id}' carries tag '{tag}' twice", item.where(f"tag {tag}"))
            if tag not in tags:
                hint = did_you_mean(tag, tags) or f'declare it: tag {tag} "…"'
                yield error("E103", f"unknown tag '{tag}'", item.where(f"tag {tag}"), help=hint)
        for clash in set(item.names()) & {f.name for f in rubric.facts}:
            yield error(
                "E102",
                f"'{clash}' is a fact of the rubric; item '{item.id}' cannot define it again",
                item.span,
                help="every item reads the fact by its name: remove the input, or name it otherwise",
            )
        if isinstance(item.rule, CategoryBands):
            yield from _by_category(rubric, item.rule)
        for written in item.written():
            yield from _tallies_out_of_place(written)
    for group in rubric.groups():
        yield from _otherwise_within_points(group)
    facts = {f.name for f in rubric.facts}
    for requirement in rubric.requires:
        yield from _names(requirement.condition, facts, "a rubric's requirement reads only its facts")
    for group in rubric.groups():
        if group.applies is not None:
            yield from _names(
                group.applies.condition, facts, "a part's condition reads only the rubric's facts"
            )
    scorecard = facts | ids | tags | {SCORECARD}
    conditions: list[Condition] = []
    if rubric.grades is not None:
        conditions += [g.condition for g in rubric.grades.grades if g.condition is not None]
        last = rubric.grades.grades[-1] if rubric.grades.grades else None
        if last is not None and last.condition is not None:
            yield error(
                "E112",
                f"grade '{last.name}', the lowest, has a condition: a unit that fails it would get no grade",
                last.span,
                help="let the lowest grade take every unit left",
            )
    conditions += [v.condition for v in rubric.vetoes if v.condition is not None]
    groups = {g.id for g in rubric.groups() if g.id is not None}
    for veto in rubric.vetoes:
        for cap in veto.part_caps:
            if cap.part not in groups:
                hint = did_you_mean(cap.part, groups) or "name a part or group by its id"
                yield error("E103", f"unknown part '{cap.part}'", cap.where("part"), help=hint)
            elif cap.limit < 0:
                message = f"a part's score is never below 0: at most {format_number(cap.limit)} cannot be"
                yield error("E106", message, cap.where("limit"), help="at most 0: the part scores nothing")
            elif cap.limit >= rubric.group(cap.part).max_points:
                points = format_number(rubric.group(cap.part).max_points)
                message = (
                    f"at most {format_number(cap.limit)} takes nothing from '{cap.part}', worth {points}"
                )
                yield warning("W103", message, cap.where("limit"), help="check the number")
    yield from _unread_facts(rubric)
    for condition in conditions:
        yield from _names(condition, scorecard, "name the total, an item, group, tag or fact")
        yield from _tallies(condition, tags)
    everything: list[Expr | Condition] = [*conditions, *(r.condition for r in rubric.requires)]
    everything += [g.applies.condition for g in rubric.groups() if g.applies is not None]
    for item in rubric.items():
        everything.extend(item.written())
    for each in everything:
        yield from _labels(rubric, each)


def _unread_facts(rubric: Rubric) -> Iterator[Problem]:
    """A fact nothing reads: the data must give it, for nothing."""
    read = rubric.facts_read()
    for fact in rubric.facts:
        if fact.name not in read:
            message = f"fact '{fact.name}' is declared but nothing reads it"
            help = "read it in an item, a part's condition, a grade or a veto, or remove it"
            yield warning("W105", message, fact.where("name"), help=help)


def _otherwise_within_points(group: Group) -> Iterator[Problem]:
    """What a part's ``else`` gives each item below it stays within that item's points (E109), said once."""
    if group.applies is None:
        return
    otherwise = group.applies.otherwise
    for item in group.items():
        found = list(otherwise.problems(item.outcome_ceiling))
        if found:
            yield attrs.evolve(found[0], message=f"{found[0].message} of item '{item.id}' (below this part)")
            return


def _names(condition: Condition, known: set[str], hint: str) -> Iterator[Problem]:
    counted = {id(a) for o in expressions_of(condition) for n in walk(o) if _tally(n) for a in n.args[:1]}
    for outer in expressions_of(condition):
        for node in walk(outer):
            if isinstance(node, Call):
                yield from call_problems(node)
            if isinstance(node, Name) and node.name not in known and id(node) not in counted:
                help = did_you_mean(node.name, known) or hint
                yield error("E103", f"unknown name '{node.name}'", node.span, help=help)


def _tally(node: Expr) -> TypeGuard[Call]:
    return isinstance(node, Call) and node.function in TALLIES


def _tallies(condition: Condition, tags: set[str]) -> Iterator[Problem]:
    for outer in expressions_of(condition):
        for node in walk(outer):
            if not (isinstance(node, Call) and node.function in TALLIES):
                continue
            target = node.args[0] if node.args else None
            if not isinstance(target, Name) or target.name not in tags:
                shown = target.name if isinstance(target, Name) else str(target)
                help = did_you_mean(shown, tags) or "name a tag: count(core)"
                yield error(
                    "E103",
                    f"{node.function}() counts the items of a tag, not '{shown}'",
                    node.span,
                    help=help,
                )
            share = node.args[1] if len(node.args) == 2 else None
            if node.function == "count_below" and not (isinstance(share, Constant) and 0 < share.value <= 1):
                yield error(
                    "E104",
                    "count_below(tag, share) takes a share of the points, a number above 0 and at most 1: "
                    "count_below(core, 0.5)",
                    node.span,
                )


def _tallies_out_of_place(written: Expr | Condition) -> Iterator[Problem]:
    for outer in expressions_of(written):
        for node in walk(outer):
            if isinstance(node, Call) and node.function in TALLIES:
                yield error(
                    "E104",
                    f"{node.function}() counts over the scorecard: it is for grades and vetoes, not items",
                    node.where("function"),
                )
            elif node_rounds_badly(node):
                yield error(
                    "E104",
                    f"{node.function}(x, places) takes the places as a whole number from 0 to 10",
                    node.span,
                )


def _labels(rubric: Rubric, written: Expr | Condition) -> Iterator[Problem]:
    """A category fact is compared, = or !=, with one of its own categories, and a category with its fact."""
    categorical = {f.name: f.categories for f in rubric.facts if f.categories}
    comparisons = list(_comparisons(written))
    judged: set[int] = set()
    for comparison in comparisons:
        for side, other in ((comparison.left, comparison.right), (comparison.right, comparison.left)):
            if isinstance(side, Name) and side.name in categorical:
                judged.add(id(side))
                yield from _against(side, categorical[side.name], comparison, other)
            elif isinstance(side, Label) and not (isinstance(other, Name) and other.name in categorical):
                judged.add(id(side))
                yield error(
                    "E119",
                    f"'{side}' is a category of {side.fact}: compare it with = or != to {side.fact}",
                    side.span,
                    help=f"{side.fact} = {side}",
                )
            elif isinstance(side, Label):
                judged.add(id(side))
    for outer in expressions_of(written):
        for node in walk(outer):
            if id(node) in judged:
                continue
            if isinstance(node, Label):
                yield error("E119", f"'{node}' is a category of {node.fact}, not a number", node.span)
            elif isinstance(node, Name) and node.name in categorical:
                first = categorical[node.name][0]
                yield error(
                    "E119",
                    f"{node.name} is a category, not a number: compare it with one of its names",
                    node.span,
                    help=f"{node.name} = {first}",
                )


def _against(
    name: Name, categories: tuple[str, ...], comparison: Comparison, other: Expr
) -> Iterator[Problem]:
    """What a category fact is compared with: one of its categories, by = or !=."""
    fact, listed = name.name, ", ".join(categories)
    if isinstance(other, Label) and other.fact == fact and other.index < 0:
        yield error(
            "E119",
            f"'{other}' is not a category of {fact}: one of {listed}",
            other.span,
            help=did_you_mean(other.name, categories) or f"{fact} = {categories[0]}",
        )
    elif not (isinstance(other, Label) and other.fact == fact) or comparison.op not in ("=", "!="):
        yield error(
            "E119",
            f"{fact} is a category: compare it with = or != to one of {listed}, not '{comparison}'",
            name.span,
            help=f"{fact} = {categories[0]}",
        )


def _comparisons(written: Expr | Condition) -> Iterator[Comparison]:
    if isinstance(written, Comparison):
        yield written
    for inner in getattr(written, "conditions", ()):
        yield from _comparisons(inner)


def _by_category(rubric: Rubric, rule: CategoryBands) -> Iterator[Problem]:
    if not rubric.has("fact", rule.fact) or not rubric.fact(rule.fact).categories:
        categorical = [f.name for f in rubric.facts if f.categories]
        help = did_you_mean(rule.fact, categorical) or 'declare one: fact level "级别" category { 三级 二级 }'
        yield error("E103", f"'{rule.fact}' is not a fact with categories", rule.where("fact"), help=help)
        return
    fact = rubric.fact(rule.fact)
    for table in rule.tables:
        if table.category.fact != fact.name or table.category.index < 0:
            help = did_you_mean(table.category.name, fact.categories) or "categories: " + ", ".join(
                fact.categories
            )
            yield error(
                "E103", f"unknown category '{table.category}' of {fact.name}", table.category.span, help=help
            )
    given = {t.category.name for t in rule.tables}
    missing = [c for c in fact.categories if c not in given]
    if missing:
        yield error(
            "E201",
            f"no bands for {fact.name} = {missing[0]}"
            + (f" (nor {', '.join(missing[1:])})" if missing[1:] else ""),
            rule.span,
            help=f"give each category of {fact.name} its bands: {missing[0]} {{ … }}",
        )


def node_rounds_badly(node: Expr) -> TypeGuard[Call]:
    """``round(x, places)`` with two arguments, the places not a whole number from 0 to 10."""
    return (
        isinstance(node, Call)
        and node.function in ("round", "round_even")
        and len(node.args) == 2
        and node.places is None
    )
