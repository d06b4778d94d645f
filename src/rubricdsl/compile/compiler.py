"""The compiler proper: statements into model objects (expressions: ``expressions.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import NamedTuple, TypeGuard, TypeVar

import attrs
from attrs import frozen

from .. import model
from ..language import keywords
from ..language import syntax as s
from ..numbers import MAX_PLACES, Rounding, RoundingMode
from ..problems import Problem, did_you_mean, error, warning
from ..source import Span
from .expressions import spans_of
from .rules import RuleCompiler, interval

N = TypeVar("N", bound=s.Node)


class Repeat(NamedTuple):
    """A statement given twice: where the repeat is, and the object as it would be with it."""

    span: Span
    variant: model.Rubric | model.Group | model.Item | model.Veto


@frozen
class Compiled:
    """The model of a rubric, the problems the model could not hold, and the repeats to check too."""

    rubric: model.Rubric
    problems: tuple[Problem, ...]
    repeats: tuple[Repeat, ...]


def compile_tree(tree: s.Rubric, path: str | None = None) -> Compiled:
    """The model of a parsed rubric, and the problems the model could not hold.

    >>> from rubricdsl.language import parse_text
    >>> compiled = compile_tree(parse_text('rubric "t" { total 10 total 0 item a "甲" points 1 { judged } }'))
    >>> compiled.rubric.total, [p.message for p in compiled.problems], compiled.repeats[0].variant.total
    (Fraction(10, 1), ["'total' is set twice"], Fraction(0, 1))
    """
    compiler = _Compiler()
    rubric = compiler.rubric(tree, path)
    compiler.unused_texts()
    return Compiled(rubric, tuple(compiler.problems), tuple(compiler.repeats))


class _Compiler(RuleCompiler):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[Problem] = []
        self.repeats: list[Repeat] = []
        self.wordings: dict[str, s.Wording] = {}
        self.used: set[str] = set()

    def once(self, statements: Iterable[N], key: Callable[[N], str]) -> tuple[dict[str, N], list[N]]:
        """The first statement for each key, and the later ones, each an E105."""
        first: dict[str, N] = {}
        again: list[N] = []
        for statement in statements:
            name = key(statement)
            if name in first:
                self.problems.append(
                    error("E105", f"'{name}' is set twice", statement.span, help="keep one of them")
                )
                again.append(statement)
            else:
                first[name] = statement
        return first, again

    def repeated(
        self, statement: s.Node, variant: model.Rubric | model.Group | model.Item | model.Veto
    ) -> None:
        self.repeats.append(Repeat(statement.span, variant))

    # Texts: written in place, or once by name (text NAME "…") and used wherever a text goes

    def text(self, node: s.Number | s.Text | s.Identifier) -> str:
        if isinstance(node, s.Identifier):
            if node.name in self.wordings:
                self.used.add(node.name)
                return self.wordings[node.name].text.value
            hint = did_you_mean(node.name, self.wordings) or 'write the text, or name one: text NAME "…"'
            self.problems.append(error("E103", f"unknown text '{node.name}'", node.span, help=hint))
            return ""
        return node.text if isinstance(node, s.Number) else node.value

    def texts(self, body: Sequence[s.Node], keyword: str) -> tuple[str, ...]:
        """Every ``keyword`` setting's text (``note``: all of them)."""
        return tuple(self.text(b.value) for b in body if isinstance(b, s.Setting) and b.keyword == keyword)

    def text_list(self, body: Sequence[s.Node], keyword: str) -> tuple[str, ...]:
        """The entries of every ``keyword`` list (``criteria { … }``), in order."""
        lists = [b for b in body if isinstance(b, s.TextList) and b.keyword == keyword]
        return tuple(self.text(entry) for found in lists for entry in found.entries)

    def unused_texts(self) -> None:
        for name, wording in self.wordings.items():
            if name not in self.used and name not in keywords():  # a keyword's name is already an E118
                message = f"text '{name}' is written but nothing uses it"
                help = "use it by its name, or remove it"
                self.problems.append(warning("W108", message, wording.name.span, help=help))

    # The rubric

    def rubric(self, tree: s.Rubric, path: str | None) -> model.Rubric:
        body = tree.body
        written, _ = self.once((b for b in body if isinstance(b, s.Wording)), lambda w: f"text {w.name.name}")
        self.wordings = {wording.name.name: wording for wording in written.values()}
        for name, wording in self.wordings.items():
            if name in keywords():  # "departments office judged" would read as the rule judged
                message = f"a text cannot be named '{name}', a word of the language"
                self.problems.append(error("E118", message, wording.name.span, help="give it another name"))
        settings, again = self.once((b for b in body if _is_header_setting(b)), _setting_keyword)
        self.once((b for b in body if isinstance(b, s.Meta)), lambda m: f"meta {m.key.name}")
        facts = tuple(self.fact(f) for f in body if isinstance(f, s.Fact))
        for fact in facts:
            for index, category in enumerate(fact.categories):
                self.labels.setdefault(category, model.Label(category, fact.name, index))
            if fact.categories:
                self.categories[fact.name] = fact.categories
        self.known = (
            {f.name for f in facts}
            | {"total"}
            | {
                n.id.name
                for n in tree.walk()
                if isinstance(n, (s.Item, s.Group, s.Veto)) and n.id is not None
            }
        )
        numbers = {k: v.value for k, v in settings.items() if isinstance(v, s.Setting)}
        rounding = settings.get("round")
        grades = settings.get("grades")
        evidence = settings.get("evidence")
        spans = {"title": tree.title.span} | {k: v.span for k, v in numbers.items()}
        rubric = model.Rubric(
            title=tree.title.value,
            children=self.children(body),
            total=_number(numbers.get("total")),
            bonus=_number(numbers.get("bonus")),
            evidence=self.text(evidence.value) if isinstance(evidence, s.Setting) else None,
            year=self.year(numbers.get("year")),
            rounding=self.rounding(rounding) if isinstance(rounding, s.Rounding) else Rounding(),
            grades=self.grades(grades) if isinstance(grades, s.Grades) else None,
            vetoes=tuple(self.veto(v) for v in body if isinstance(v, s.Veto)),
            meta=tuple((m.key.name, m.value.value) for m in body if isinstance(m, s.Meta)),
            notes=self.texts(body, "note"),
            facts=facts,
            requires=tuple(
                self.clause(b, model.REQUIREMENTS)
                for b in body
                if isinstance(b, s.Clause) and b.rule in model.REQUIREMENTS
            ),
            tags=tuple(
                model.Tag(
                    t.name.name, t.title.value if t.title else None, span=t.span, spans=spans_of(name=t.name)
                )
                for t in body
                if isinstance(t, s.TagDeclaration)
            ),
            path=path,
            span=tree.span,
            spans=spans,
        )
        for extra in again:
            if isinstance(extra, s.Rounding):
                self.rounding(extra)
            elif isinstance(extra, s.Grades):
                self.repeated(extra, attrs.evolve(rubric, grades=self.grades(extra)))
            elif extra.keyword == "year":
                self.year(extra.value)
            elif extra.keyword in ("total", "bonus"):
                value, spans = _number(extra.value), {**rubric.spans, extra.keyword: extra.value.span}
                total = value if extra.keyword == "total" else rubric.total
                bonus = value if extra.keyword == "bonus" else rubric.bonus
                self.repeated(extra, attrs.evolve(rubric, total=total, bonus=bonus, spans=spans))
        return rubric

    def fact(self, fact: s.Fact) -> model.Fact:
        categories = tuple(c.name for c in fact.categories)
        kind = fact.kind or ("flag" if not categories else "number")
        domain = interval(fact.domain) if fact.domain else None
        return model.Fact(
            fact.name.name,
            fact.title.value if fact.title else None,
            kind,
            categories,
            *((domain,) if domain is not None else ()),
            span=fact.span,
            spans=spans_of(name=fact.name),
        )

    def year(self, number: s.Value | None) -> int | None:
        if not isinstance(number, s.Number):
            return None
        if number.value.denominator != 1 or number.value < 1:
            self.problems.append(_not_whole("a year", number, 1))
            return None
        return int(number.value)

    def rounding(self, rounding: s.Rounding) -> Rounding:
        mode = RoundingMode(rounding.mode) if rounding.mode else RoundingMode.HALF_UP
        places = rounding.places.value
        if places.denominator != 1 or not 0 <= places <= MAX_PLACES:
            self.problems.append(_not_whole("decimal places", rounding.places, 0, MAX_PLACES))
            return Rounding(mode=mode)
        return Rounding(int(places), mode)

    def grades(self, grades: s.Grades) -> model.GradeScale:
        self.local = set()
        return model.GradeScale(
            tuple(
                model.Grade(
                    g.name.name,
                    g.threshold.value if g.threshold else None,
                    g.label.value if g.label else None,
                    self.condition(g.condition.condition) if g.condition else None,
                    span=g.span,
                    spans=spans_of(name=g.name, threshold=g.threshold),
                )
                for g in grades.grades
            ),
            span=grades.span,
        )

    def children(self, body: Sequence[s.Node]) -> tuple[model.Group | model.Item, ...]:
        return tuple(
            self.group(b) if isinstance(b, s.Group) else self.item(b)
            for b in body
            if isinstance(b, (s.Group, s.Item))
        )

    def attributes(self, attributes: tuple[s.Setting, ...]) -> tuple[dict[str, s.Value], list[s.Setting]]:
        """``points``, ``bonus`` and ``no``, each once, and those given again (tags may be many)."""
        first, again = self.once((a for a in attributes if a.keyword != "tag"), lambda a: a.keyword)
        return {k: v.value for k, v in first.items()}, again

    def declared_again(self, again: list[s.Setting], owner: model.Group | model.Item) -> None:
        """What ``points`` or ``bonus`` given again would make of ``owner``."""
        for extra in again:
            value, spans = _number(extra.value), {**owner.spans, extra.keyword: extra.value.span}
            if extra.keyword == "points":
                self.repeated(extra, attrs.evolve(owner, points=value, spans=spans))
            elif extra.keyword == "bonus":
                self.repeated(extra, attrs.evolve(owner, bonus=value, spans=spans))

    def group(self, group: s.Group) -> model.Group:
        declared, again = self.attributes(group.attributes)
        self.local = set()  # a part's condition reads only the rubric's facts
        written, _ = self.once((b for b in group.body if isinstance(b, s.Applies)), lambda b: "applies")
        applies = self.applies(written["applies"]) if written else None
        compiled = model.Group(
            id=group.id.name if group.id else None,
            title=group.title.value,
            children=self.children(group.body),
            kind=group.kind,
            points=_number(declared.get("points")),
            bonus=_number(declared.get("bonus")),
            numbering=_numbering(declared.get("no")),
            departments=self.text_list(group.body, "departments"),
            notes=self.texts(group.body, "note"),
            applies=applies,
            span=group.span,
            spans=spans_of(id=group.id, points=declared.get("points"), bonus=declared.get("bonus")),
        )
        self.declared_again(again, compiled)
        return compiled

    def veto(self, veto: s.Veto) -> model.Veto:
        declared, _ = self.attributes(veto.attributes)
        for attribute in veto.attributes:
            if attribute.keyword not in ("no",):
                self.problems.append(
                    error("E115", "a veto takes no points", attribute.span, help="remove 'points'")
                )
        rules = [r for r in veto.body if isinstance(r, s.GradeRule)]
        for extra in rules[1:]:
            self.problems.append(error("E113", f"veto '{veto.id.name}' has a second grade rule", extra.span))
        rule = rules[0] if rules else None
        self.local = set()
        when, _ = self.once((b for b in veto.body if isinstance(b, s.When)), lambda b: "when")
        compiled = model.Veto(
            id=veto.id.name,
            title=veto.title.value,
            grade=rule.grade.name if rule else None,
            caps=rule.caps if rule else False,
            numbering=_numbering(declared.get("no")),
            departments=self.text_list(veto.body, "departments"),
            definition=_joined(self.texts(veto.body, "definition")),
            circumstances=self.text_list(veto.body, "circumstances"),
            standard=_joined(self.texts(veto.body, "standard")),
            notes=self.texts(veto.body, "note"),
            condition=self.condition(when["when"].condition) if when else None,
            part_caps=tuple(
                model.PartCap(
                    c.part.name, c.limit.value, span=c.span, spans=spans_of(part=c.part, limit=c.limit)
                )
                for c in veto.body
                if isinstance(c, s.PartCap)
            ),
            span=veto.span,
            spans=spans_of(id=veto.id, grade=rule.grade if rule else None),
        )
        for extra in rules[1:]:
            spans = {**compiled.spans, "grade": extra.grade.span}
            self.repeated(extra, attrs.evolve(compiled, grade=extra.grade.name, caps=extra.caps, spans=spans))
        return compiled

    # Items

    def item(self, item: s.Item) -> model.Item:
        declared, again = self.attributes(item.attributes)
        body = item.body
        self.local = {b.name.name for b in body if isinstance(b, (s.Input, s.Measure))}
        rules: list[s.BandTable | s.Levels | s.Cases | s.Clause] = [
            b
            for b in body
            if isinstance(b, (s.BandTable, s.Levels, s.Cases))
            or (isinstance(b, s.Clause) and b.rule in model.RULES)
        ]
        for extra in rules[1:]:
            self.problems.append(
                error(
                    "E107",
                    f"item '{item.id.name}' already has a scoring rule on line {rules[0].span.line}",
                    extra.span,
                    help="an item is scored by one band table or by an assessor ('judged'), not both",
                )
            )
        applies, applies_again = self.once((b for b in body if isinstance(b, s.Applies)), lambda b: "applies")
        texts, texts_again = self.once(
            (b for b in body if isinstance(b, s.Setting) and b.keyword in ("standard", "method")),
            lambda b: b.keyword,
        )
        for repeated_text in texts_again:  # an E105 already; a text it names is still checked and used
            self.text(repeated_text.value)
        compiled = model.Item(
            id=item.id.name,
            title=item.title.value,
            points=_number(declared.get("points")),
            rule=self.rule(rules[0]) if rules else None,
            inputs=tuple(self.input(b) for b in body if isinstance(b, s.Input)),
            measures=tuple(self.measure(b) for b in body if isinstance(b, s.Measure)),
            adjustments=tuple(
                self.clause(b, model.ADJUSTMENTS)
                for b in body
                if isinstance(b, s.Clause) and b.rule in model.ADJUSTMENTS
            ),
            applies=self.applies(applies["applies"]) if applies else None,
            requires=tuple(
                self.clause(b, model.REQUIREMENTS)
                for b in body
                if isinstance(b, s.Clause) and b.rule in model.REQUIREMENTS
            ),
            bonus=_number(declared.get("bonus")),
            numbering=_numbering(declared.get("no")),
            departments=self.text_list(body, "departments"),
            criteria=self.text_list(body, "criteria"),
            standard=self.text(texts["standard"].value) if "standard" in texts else None,
            method=self.text(texts["method"].value) if "method" in texts else None,
            notes=self.texts(body, "note"),
            tags=tuple(
                a.value.name
                for a in item.attributes
                if a.keyword == "tag" and isinstance(a.value, s.Identifier)
            ),
            span=item.span,
            spans=spans_of(id=item.id, points=declared.get("points"), bonus=declared.get("bonus"))
            | {
                f"tag {a.value.name}": a.value.span
                for a in item.attributes
                if a.keyword == "tag" and isinstance(a.value, s.Identifier)
            },
        )
        self.declared_again(again, compiled)
        for extra_rule in rules[1:]:
            self.repeated(extra_rule, attrs.evolve(compiled, rule=self.rule(extra_rule)))
        for extra_applies in applies_again:
            self.repeated(extra_applies, attrs.evolve(compiled, applies=self.applies(extra_applies)))
        return compiled

    def input(self, statement: s.Input) -> model.Input:
        kind = statement.kind or "number"
        return model.Input(
            statement.name.name,
            kind,
            interval(statement.domain) if statement.domain else model.DEFAULT_DOMAINS[kind],
            model.InputSource(statement.source or "values"),
            span=statement.span,
            spans=spans_of(name=statement.name),
        )

    def measure(self, statement: s.Measure) -> model.Measure:
        return model.Measure(
            statement.name.name,
            self.expr(statement.expr),
            interval(statement.within) if statement.within else None,
            span=statement.span,
            spans=spans_of(name=statement.name),
        )

    def applies(self, applies: s.Applies) -> model.Applicability:
        otherwise = (
            self.clause(applies.otherwise, model.OUTCOMES)
            if applies.otherwise
            else model.Full(span=applies.span)
        )
        return model.Applicability(self.condition(applies.condition), otherwise, span=applies.span)


# Small pieces ----------------------------------------------------------------------------------


def _is_header_setting(statement: s.Node) -> TypeGuard[s.Setting | s.Rounding | s.Grades]:
    """A rubric's settings that may be given once (notes may be many)."""
    if isinstance(statement, s.Setting):
        return statement.keyword in ("year", "total", "bonus", "evidence")
    return isinstance(statement, (s.Rounding, s.Grades))


def _setting_keyword(statement: s.Setting | s.Rounding | s.Grades) -> str:
    if isinstance(statement, s.Setting):
        return statement.keyword
    return "round" if isinstance(statement, s.Rounding) else "grades"


def _not_whole(what: str, number: s.Number, low: int, high: int | None = None) -> Problem:
    limit = (
        f"a whole number from {low} to {high}" if high is not None else f"a whole number of at least {low}"
    )
    return error("E106", f"{what} must be {limit}, not {number.text}", number.span)


def _number(node: s.Value | None) -> Fraction | None:
    return node.value if isinstance(node, s.Number) else None


def _numbering(node: s.Value | None) -> str | None:
    if isinstance(node, s.Number):
        return node.text
    return node.value if isinstance(node, s.Text) else None  # the grammar writes no name after "no"


def _joined(texts: tuple[str, ...]) -> str | None:
    return "\n".join(texts) if texts else None
