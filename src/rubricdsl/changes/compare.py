"""Two versions of a rubric compared, and the records of what a round makes of the difference.

Items and groups are matched by id, and by title where an id changed (a rename). For each
pair: the points, the title, the rule (band by band, level by level, row by row), the
deductions and bonuses, the inputs and measures, the conditions, the wording; then the
header, facts, tags, grades and vetoes. Each change carries where it is written in both
versions.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from attrs import frozen

from ..model import BandTable, Cases, CategoryBands, Group, Item, Levels, Rubric
from ..numbers import format_number
from ..source import Span


@frozen
class Change:
    """One difference: ``+`` added, ``-`` removed, ``~`` changed; what it is about, in words, and where."""

    sign: str
    subject: str  # "item manufacturing_pass_rate", "grade A", "the rubric"
    what: str
    old: Span | None = None
    new: Span | None = None


@frozen
class Moved:
    """An item whose score moved for a unit, by how much, and the rule under each version."""

    item: str
    old: Decimal | None
    new: Decimal | None
    old_rule: str
    new_rule: str


@frozen
class Impact:
    """A unit whose total or grade changes: both totals and grades, and the items behind it."""

    unit: str
    old_total: Decimal | None
    new_total: Decimal | None
    old_grade: str | None
    new_grade: str | None
    items: tuple[Moved, ...]
    problems: tuple[str, ...] = ()


def changes(old: Rubric, new: Rubric) -> list[Change]:
    """Every difference between two versions of a rubric, in the new version's order.

    >>> from rubricdsl import loads
    >>> before = loads('rubric "t" { item a "甲" points 5 { judged } }')
    >>> after = loads('rubric "t" { item a "甲" points 6 { judged } item b "乙" points 4 { judged } }')
    >>> [(c.sign, c.subject, c.what) for c in changes(before, after)]
    [('~', 'item a', 'points 5 → 6'), ('+', 'item b', '乙, 4 points')]
    """
    found = list(_header(old, new))
    found += _matched(
        "group",
        [g for g in old.groups() if g.id is not None],
        [g for g in new.groups() if g.id is not None],
        _group,
    )
    found += _matched("item", list(old.items()), list(new.items()), _item)
    found += list(_named("fact", old.facts, new.facts))
    found += list(_named("tag", old.tags, new.tags))
    found += list(_grades(old, new))
    found += _matched("veto", list(old.vetoes), list(new.vetoes), _veto)
    return found


def _header(old: Rubric, new: Rubric) -> Iterator[Change]:
    for name in ("title", "total", "bonus", "year"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            yield Change(
                "~",
                "the rubric",
                f"{name} {_shown(before)} → {_shown(after)}",
                old.where(name),
                new.where(name),
            )
    for name in ("evidence", "notes", "meta"):
        if getattr(old, name) != getattr(new, name):
            yield Change("~", "the rubric", f"{name} reworded", old.span, new.span)
    if [str(r) for r in old.requires] != [str(r) for r in new.requires]:
        yield Change("~", "the rubric", "requirements changed", old.span, new.span)
    if old.rounding != new.rounding:
        yield Change(
            "~",
            "the rubric",
            f"rounding {old.rounding.places} places → {new.rounding.places} places, "
            f"{new.rounding.mode.value}",
        )


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    return format_number(value) if not isinstance(value, (str, int)) else str(value)


def _matched(kind: str, old: Sequence[Any], new: Sequence[Any], compare: Any) -> list[Change]:
    """Pairs by id, then by title among the rest (a rename); what is left was added or removed.
    Changes come in the new version's order, removals last."""
    left = {entry.id: entry for entry in old}
    partner = {id(entry): left.pop(entry.id) for entry in new if entry.id in left}
    titles = {entry.title: entry for entry in left.values()}
    renamed = {id(e): titles.pop(e.title) for e in new if id(e) not in partner and e.title in titles}
    for before in renamed.values():
        del left[before.id]
    found: list[Change] = []
    for entry in new:
        before = partner.get(id(entry)) or renamed.get(id(entry))
        if before is None:
            found.append(Change("+", f"{kind} {entry.id}", _summary(entry), None, entry.where("id")))
            continue
        if id(entry) in renamed:
            found.append(
                Change(
                    "~",
                    f"{kind} {entry.id}",
                    f"renamed from {before.id}",
                    before.where("id"),
                    entry.where("id"),
                )
            )
        found += list(compare(before, entry))
    found += [Change("-", f"{kind} {e.id}", _summary(e), e.where("id"), None) for e in left.values()]
    return found


def _summary(entry: Any) -> str:
    if isinstance(entry, (Item, Group)):
        return f"{entry.title}, {format_number(entry.max_points)} points"
    return str(entry.title)


def _group(old: Group, new: Group) -> Iterator[Change]:
    subject = f"{new.kind} {new.id}"
    yield from _settings(subject, old, new, ("numbering", "title", "points"))
    if _condition(old) != _condition(new):
        yield Change("~", subject, f"applies when {_condition(old)} → {_condition(new)}", old.span, new.span)


_SAID = {"numbering": "no"}  # how the language writes a field, where it is not its name


def _settings(subject: str, old: Any, new: Any, names: tuple[str, ...]) -> Iterator[Change]:
    """The plain settings of a pair that differ: numbering, title, points, bonus."""
    for name in names:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            shown = f"{_SAID.get(name, name)} {_shown(before)} → {_shown(after)}"
            yield Change("~", subject, shown, old.where(name), new.where(name))


def _condition(owner: Group | Item) -> str:
    """When it applies, and what it scores when it does not."""
    if owner.applies is None:
        return "always"
    return f"{owner.applies.condition} (else {owner.applies.otherwise})"


def _item(old: Item, new: Item) -> Iterator[Change]:
    subject = f"item {new.id}"
    where = (old.span, new.span)
    yield from _settings(subject, old, new, ("title", "points", "bonus"))
    yield from _rule(subject, old, new)
    yield from _listed(
        subject, "input", [str_input(i) for i in old.inputs], [str_input(i) for i in new.inputs], where
    )
    yield from _listed(
        subject,
        "measure",
        [f"{m.name} = {m.expr}" for m in old.measures],
        [f"{m.name} = {m.expr}" for m in new.measures],
        where,
    )
    yield from _listed(
        subject, "rule", [str(a) for a in old.adjustments], [str(a) for a in new.adjustments], where
    )
    yield from _listed(
        subject, "requirement", [str(r) for r in old.requires], [str(r) for r in new.requires], where
    )
    if _condition(old) != _condition(new):
        yield Change("~", subject, f"applies when {_condition(old)} → {_condition(new)}", *where)
    if old.tags != new.tags:
        yield Change(
            "~", subject, f"tags {', '.join(old.tags) or 'none'} → {', '.join(new.tags) or 'none'}", *where
        )
    for name, words in (("standard", "scoring standard"), ("method", "method")):
        if getattr(old, name) != getattr(new, name):
            yield Change("~", subject, f"{words} reworded", *where)
    if old.criteria != new.criteria:
        yield Change("~", subject, "criteria reworded", *where)
    if old.departments != new.departments:
        shown = f"{'、'.join(old.departments) or 'none'} → {'、'.join(new.departments) or 'none'}"
        yield Change("~", subject, f"departments {shown}", *where)
    yield from _settings(subject, old, new, ("numbering",))


def str_input(spec: Any) -> str:
    """An input as the language writes it, for comparing two versions."""
    return f"{spec.name} {spec.kind} {spec.domain} from {spec.source.value}"


def _listed(
    subject: str, what: str, old: list[str], new: list[str], where: tuple[Span | None, Span | None]
) -> Iterator[Change]:
    for entry in new:
        if entry not in old:
            yield Change("+", subject, f"{what} {entry}", *where)
    for entry in old:
        if entry not in new:
            yield Change("-", subject, f"{what} {entry}", *where)


def _rule(subject: str, old: Item, new: Item) -> Iterator[Change]:
    before, after = old.rule, new.rule
    if type(before) is not type(after):
        yield Change("~", subject, f"scored by {_kind(before)} → {_kind(after)}", _at(before), _at(after))
        return
    if isinstance(before, BandTable) and isinstance(after, BandTable):
        yield from _bands(subject, before, after, "")
    elif isinstance(before, CategoryBands) and isinstance(after, CategoryBands):
        tables = {t.category.name: t.table for t in before.tables}
        for table in after.tables:
            if table.category.name in tables:
                yield from _bands(
                    subject, tables.pop(table.category.name), table.table, f"{table.category}: "
                )
            else:
                yield Change("+", subject, f"bands for {table.category}", None, table.span)
        for name in tables:
            yield Change("-", subject, f"bands for {name}", before.span, None)
    elif isinstance(before, Levels) and isinstance(after, Levels):
        yield from _listed(
            subject,
            "level",
            [str(x) for x in before.levels],
            [str(x) for x in after.levels],
            (before.span, after.span),
        )
    elif isinstance(before, Cases) and isinstance(after, Cases):
        rows_before, rows_after = [str(x) for x in before.cases], [str(x) for x in after.cases]
        if sorted(rows_before) == sorted(rows_after) and rows_before != rows_after:
            yield Change("~", subject, "rows reordered: the first that holds wins", before.span, after.span)
        yield from _listed(
            subject,
            "row",
            [str(x) for x in before.cases],
            [str(x) for x in after.cases],
            (before.span, after.span),
        )
    elif before is not None and after is not None and str(before) != str(after):
        yield Change("~", subject, f"{before} → {after}", before.span, after.span)


_KINDS = {
    "BandTable": "bands",
    "CategoryBands": "bands by a category",
    "Levels": "levels",
    "Cases": "a decision table",
    "Judged": "an assessor",
    "Formula": "a formula",
}


def _kind(rule: Any) -> str:
    return "its full points" if rule is None else _KINDS.get(type(rule).__name__, type(rule).__name__)


def _at(rule: Any) -> Span | None:
    return rule.span if rule is not None else None


def _bands(subject: str, old: BandTable, new: BandTable, prefix: str) -> Iterator[Change]:
    """Band by band, in order: an edge moved, an outcome changed; bands added or removed."""
    if old.measure != new.measure or old.worse != new.worse:
        yield Change(
            "~",
            subject,
            f"bands over {old.measure}, {old.worse.value} is worse → "
            f"{new.measure}, {new.worse.value} is worse",
            old.span,
            new.span,
        )
    for before, after in zip(old.bands, new.bands, strict=False):
        if before.interval != after.interval and str(before.outcome) == str(after.outcome):
            yield Change(
                "~", subject, f"{prefix}band edge moved: {before} → {after}", before.span, after.span
            )
        elif before.interval == after.interval and str(before.outcome) != str(after.outcome):
            yield Change(
                "~",
                subject,
                f"{prefix}band {before.interval}: {before.outcome} → {after.outcome}",
                before.span,
                after.span,
            )
        elif before != after:
            yield Change("~", subject, f"{prefix}band {before} → {after}", before.span, after.span)
    for band in new.bands[len(old.bands) :]:
        yield Change("+", subject, f"{prefix}band {band}", None, band.span)
    for band in old.bands[len(new.bands) :]:
        yield Change("-", subject, f"{prefix}band {band}", band.span, None)


def _named(kind: str, old: Sequence[Any], new: Sequence[Any]) -> Iterator[Change]:
    before = {entry.name: entry for entry in old}
    for entry in new:
        earlier = before.pop(entry.name, None)
        if earlier is None:
            yield Change("+", f"{kind} {entry.name}", entry.title or "", None, entry.span)
        elif earlier != entry:
            yield Change(
                "~",
                f"{kind} {entry.name}",
                f"{_declared(earlier)} → {_declared(entry)}",
                earlier.span,
                entry.span,
            )
    for entry in before.values():
        yield Change("-", f"{kind} {entry.name}", entry.title or "", entry.span, None)


def _declared(entry: Any) -> str:
    """A fact or tag as it is declared: its title and, for a fact, its kind, domain or categories."""
    shown = f'"{entry.title}"' if entry.title else ""
    if getattr(entry, "categories", None):
        return f"{shown} category {{ {' '.join(entry.categories)} }}".strip()
    if hasattr(entry, "kind"):
        return f"{shown} {entry.kind} {entry.domain}".strip()
    return shown or "declared"


def _grades(old: Rubric, new: Rubric) -> Iterator[Change]:
    before = {g.name: g for g in old.grades.grades} if old.grades else {}
    for grade in new.grades.grades if new.grades else ():
        earlier = before.pop(grade.name, None)
        if earlier is None:
            yield Change("+", f"grade {grade.name}", _grade_text(grade), None, grade.span)
        elif _grade_text(earlier) != _grade_text(grade):
            yield Change(
                "~",
                f"grade {grade.name}",
                f"{_grade_text(earlier)} → {_grade_text(grade)}",
                earlier.span,
                grade.span,
            )
    for grade in before.values():
        yield Change("-", f"grade {grade.name}", _grade_text(grade), grade.span, None)


def _grade_text(grade: Any) -> str:
    parts = [f">= {format_number(grade.threshold)}" if grade.threshold is not None else "every total left"]
    if grade.label:
        parts.append(f'"{grade.label}"')
    if grade.condition is not None:
        parts.append(f"when {grade.condition}")
    return " ".join(parts)


def _veto(old: Any, new: Any) -> Iterator[Change]:
    def effect(veto: Any) -> str:
        parts = [f"grade {'at most ' if veto.caps else ''}{veto.grade}"] if veto.grade else []
        parts += [f"score {c.part} at most {format_number(c.limit)}" for c in veto.part_caps]
        if veto.condition is not None:
            parts.append(f"when {veto.condition}")
        return "; ".join(parts)

    if effect(old) != effect(new):
        yield Change("~", f"veto {new.id}", f"{effect(old)} → {effect(new)}", old.span, new.span)
    if old.title != new.title:
        yield Change("~", f"veto {new.id}", f"title {old.title} → {new.title}", old.span, new.span)
    for name in ("definition", "circumstances", "standard"):
        if getattr(old, name) != getattr(new, name):
            yield Change("~", f"veto {new.id}", f"{name} reworded", old.span, new.span)
