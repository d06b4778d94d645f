"""Rubric tests (``rubricdsl test``): known cases kept beside a rubric, and what they reach.

A rubric ``x.rub`` keeps its cases in ``x.cases/``: rounds ``NN.json`` and their answers
``NN.expected.json``, in the layout of the Ezhou reference cases::

    {"<unit id>": {"ok": true, "total": "78.94", "grade": "C", "vetoed": false,
                   "items": {"<item id>": "2.44"}, "groups": {"<group id>": "10.44"}}}

(a unit the rubric refuses is ``{"ok": false, "error": "E407"}``). Numbers are compared
exactly, as decimals, after rounding to the rubric's places. Coverage counts what the
cases reach: each band, category band, level, row and scoring rule, each deduction and
bonus that took something, each condition under which an item does not apply, each veto
and each grade.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from attrs import frozen

from .io import bind_round, read_json
from .model import Band, BandTable, Cases, CategoryBands, Item, Levels, Rubric
from .problems import DataError
from .scoring import ItemScore, Scorecard, score_round
from .source import Span


@frozen
class Mismatch:
    """A unit whose result differs from its case's answer: what, what was got, what was expected."""

    unit: str
    what: str
    got: str
    expected: str
    why: str = ""  # the rule that gave what was got, and its line


@frozen
class CaseResult:
    """One case file: how many units it has, the mismatches, and why it could not be run at all."""

    path: str
    units: int
    mismatches: tuple[Mismatch, ...] = ()
    failure: str | None = None

    @property
    def passed(self) -> bool:
        return self.failure is None and not self.mismatches


@frozen
class Target:
    """Something a case may reach: a band, a level, a row, a rule, an adjustment, a condition,
    a veto or a grade, and where it is written."""

    kind: str
    text: str
    span: Span | None
    item: str | None = None

    @property
    def key(self) -> tuple[str, object]:
        return (self.kind, self.span.offset if self.span is not None else self.text)


@frozen
class Coverage:
    """What the cases reached of what they could."""

    targets: tuple[Target, ...]
    missed: tuple[Target, ...]

    @property
    def percent(self) -> Decimal:
        if not self.targets:
            return Decimal(100)
        reached = len(self.targets) - len(self.missed)
        return (Decimal(100 * reached) / len(self.targets)).quantize(Decimal("0.1"))


def cases_folder(rubric_path: str | os.PathLike[str]) -> Path:
    """Where a rubric keeps its cases: ``rubrics/x.rub`` -> ``rubrics/x.cases``.

    >>> cases_folder("rubrics/ezhou2013.rub").as_posix()
    'rubrics/ezhou2013.cases'
    """
    return Path(rubric_path).with_suffix(".cases")


def run_cases(rubric: Rubric, folder: str | os.PathLike[str]) -> tuple[list[CaseResult], Coverage]:
    """Score each case of ``folder`` and compare it with its answers; and what all of them reached.

    >>> from rubricdsl import load
    >>> sme = load("rubrics/innovative_sme2022.rub")
    >>> results, coverage = run_cases(sme, "rubrics/innovative_sme2022.cases")
    >>> [(Path(r.path).name, r.passed) for r in results], coverage.percent
    ([('01.json', True), ('02.json', True)], Decimal('100.0'))
    """
    results: list[CaseResult] = []
    cards: list[Scorecard] = []
    for round_path in sorted(Path(folder).glob("*.json")):
        if round_path.name.endswith(".expected.json"):
            continue
        result, scored = _run(rubric, round_path)
        results.append(result)
        cards += scored
    return results, coverage(rubric, cards)


def _run(rubric: Rubric, path: Path) -> tuple[CaseResult, list[Scorecard]]:
    answers = path.with_name(path.stem + ".expected.json")
    try:
        cards = score_round(rubric, bind_round(rubric, read_json(path), str(path)))
        expected = read_json(answers)
    except DataError as exc:
        return CaseResult(str(path), 0, failure=exc.render()), []
    if not isinstance(expected, dict):
        return CaseResult(str(path), 0, failure=f"{answers}: not an object of units"), []
    mismatches = [m for card in cards for m in _compare(rubric, card, expected.get(card.label))]
    missing = [unit for unit in expected if unit not in {card.label for card in cards}]
    mismatches += [Mismatch(unit, "unit", "absent from the round", "an answer") for unit in missing]
    return CaseResult(str(path), len(cards), tuple(mismatches)), cards


def _compare(rubric: Rubric, card: Scorecard, want: Any) -> Iterator[Mismatch]:
    label = card.label
    if not isinstance(want, dict):
        yield Mismatch(label, "unit", "scored", "no answer for it")
        return
    for key in want:
        if key not in _ANSWER_KEYS:
            yield Mismatch(label, f"answer key '{key}'", "unknown", "one of " + ", ".join(_ANSWER_KEYS))
    if not want.get("ok", True):
        codes = [p.code for p in card.errors]
        if card.ok or ("error" in want and want["error"] not in codes):
            yield Mismatch(
                label, "result", ", ".join(codes) or "scored", f"refused ({want.get('error', 'an error')})"
            )
        return
    if not card.ok:
        yield Mismatch(label, "result", "; ".join(p.headline for p in card.errors), "scored")
        return
    number = rubric.rounding.apply
    assert card.reported_total is not None
    if "total" in want and not _same(card.reported_total, want["total"]):
        yield Mismatch(label, "total", str(card.reported_total), str(want["total"]))
    if "grade" in want and (card.grade.name if card.grade else None) != want["grade"]:
        yield Mismatch(label, "grade", card.grade.name if card.grade else "none", str(want["grade"]))
    if "vetoed" in want and card.vetoed != want["vetoed"]:
        yield Mismatch(label, "vetoed", str(card.vetoed).lower(), str(want["vetoed"]).lower())
    for item_id, value in _entries(want.get("items")):
        score = card.items.get(item_id)
        got = str(number(score.score)) if score is not None else "not scored"
        if score is None or not _same(number(score.score), value):
            why = _why(rubric, score) if score is not None else ""
            yield Mismatch(label, f"item {item_id}", got, str(value), why)
    groups = {g.group.id: g for g in card.groups if g.group.id is not None}
    for group_id, value in _entries(want.get("groups")):
        group = groups.get(group_id)
        got = str(number(group.score)) if group is not None else "not scored"
        if group is None or not _same(number(group.score), value):
            yield Mismatch(label, f"group {group_id}", got, str(value))


def _why(rubric: Rubric, score: ItemScore) -> str:
    """The rule that gave an item its score, at its line, and each deduction and bonus that took effect."""
    line = f" (line {score.span.line})" if score.span else ""
    taken = [f"{a.adjustment}: {rubric.rounding.apply(a.amount)}" for a in score.adjustments]
    return "; ".join([score.rule + line, *taken])


_ANSWER_KEYS = ("ok", "error", "total", "grade", "vetoed", "items", "groups")


def _entries(section: Any) -> Iterator[tuple[str, Any]]:
    return iter(section.items()) if isinstance(section, Mapping) else iter(())


def _same(got: Decimal, expected: Any) -> bool:
    try:
        return got == Decimal(str(expected))
    except InvalidOperation:
        return False


# Coverage ---------------------------------------------------------------------------------------


def targets(rubric: Rubric) -> list[Target]:
    """Everything a case may reach, in document order (a part's condition once).

    >>> from rubricdsl import loads
    >>> rubric = loads('rubric "t" { item a "甲" points 5 { levels { 好 full 差 zero } } }')
    >>> [t.text for t in targets(rubric)]
    ['level 好 full', 'level 差 zero']
    """
    found: list[Target] = []
    seen: set[tuple[str, object]] = set()

    def add(target: Target) -> None:
        if target.key not in seen:
            seen.add(target.key)
            found.append(target)

    for item in rubric.items():
        for applicability in (*rubric.conditions_above(item), *((item.applies,) if item.applies else ())):
            add(Target("condition", f"does not apply: {applicability.condition} fails", applicability.span))
        for target in _rule_targets(item):
            add(target)
        for adjustment in item.adjustments:
            add(Target("adjustment", str(adjustment), adjustment.span, item.id))
    for veto in rubric.vetoes:
        add(Target("veto", f"veto {veto.id}", veto.span))
    for grade in rubric.grades.grades if rubric.grades else ():
        add(Target("grade", f"grade {grade.name}", grade.span))
    return found


def _rule_targets(item: Item) -> Iterator[Target]:
    rule = item.rule
    if isinstance(rule, BandTable):
        yield from (_band(item, band) for band in rule.bands)
    elif isinstance(rule, CategoryBands):
        for table in rule.tables:
            yield from (_band(item, band, f"{table.category}: ") for band in table.table.bands)
    elif isinstance(rule, Levels):
        yield from (Target("level", f"level {level}", level.span, item.id) for level in rule.levels)
    elif isinstance(rule, Cases):
        yield from (Target("row", f"row {case}", case.span, item.id) for case in rule.cases)
    elif rule is not None:
        yield Target("rule", str(rule), rule.span, item.id)


def _band(item: Item, band: Band, prefix: str = "") -> Target:
    return Target("band", f"band {prefix}{band}", band.span, item.id)


def coverage(rubric: Rubric, cards: Sequence[Scorecard]) -> Coverage:
    """What the scorecards reached of ``targets(rubric)``."""
    reached: set[object] = set()
    for card in cards:
        for score in card.items.values():
            if score.span is not None:
                reached.add(score.span.offset)
            reached.update(a.span.offset for a in score.adjustments if a.span is not None)
        reached.update(("veto", veto.id) for veto in card.vetoes)
        if card.grade is not None:
            reached.add(("grade", card.grade.name))
    every = targets(rubric)
    missed = tuple(t for t in every if not _reached(rubric, t, reached))
    return Coverage(tuple(every), missed)


def _reached(rubric: Rubric, target: Target, reached: set[object]) -> bool:
    if target.kind == "veto":
        return ("veto", target.text.removeprefix("veto ")) in reached
    if target.kind == "grade":
        return ("grade", target.text.removeprefix("grade ")) in reached
    return target.span is not None and target.span.offset in reached


# Reports -----------------------------------------------------------------------------------------


def case_report(results: Sequence[CaseResult]) -> str:
    """Each case file's verdict, and under it every difference, with the rule that gave the score.

    >>> differs = Mismatch("东区", "item a", "4.00", "5.00", "judged (line 3)")
    >>> print(case_report([CaseResult("01.json", 2, (differs,))]))
    01.json: 2 units, 1 difference
      东区: item a is 4.00, expected 5.00 — judged (line 3)
    <BLANKLINE>
    """
    lines: list[str] = []
    for result in results:
        if result.failure is not None:
            lines.append(f"{result.path}: cannot be run\n{result.failure}")
            continue
        count = len(result.mismatches)
        verdict = "all agree" if not count else f"{count} difference{'s' if count > 1 else ''}"
        lines.append(f"{result.path}: {result.units} units, {verdict}")
        for m in result.mismatches:
            lines.append(
                f"  {m.unit}: {m.what} is {m.got}, expected {m.expected}" + (f" — {m.why}" if m.why else "")
            )
    return "\n".join(lines) + "\n"


def coverage_report(reached: Coverage, path: str | os.PathLike[str]) -> str:
    """How much the cases reached, then each target they did not, at its line."""
    total = len(reached.targets)
    lines = [f"coverage: {total - len(reached.missed)} of {total} ({reached.percent}%)"]
    for target in reached.missed:
        where = f"{os.fspath(path)}:{target.span.line}: " if target.span is not None else ""
        owner = f"item {target.item}: " if target.item else ""
        lines.append(f"  not reached: {where}{owner}{target.text}")
    return "\n".join(lines) + "\n"
