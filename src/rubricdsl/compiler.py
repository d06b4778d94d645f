"""Turn a checked syntax tree into the object model, and the whole front end: load and loads.

``compile_tree`` assumes ``check`` found no errors in the tree.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from fractions import Fraction

from . import model, nodes
from .check import check
from .diagnostics import Diagnostic, RubricError, error
from .lint import lint, lint_item
from .parser import TOO_DEEP, parse
from .source import Source, Span

# Domains an input gets when it declares none.
DEFAULT_DOMAINS = {
    "percent": model.Interval(Fraction(0), Fraction(100)),
    "count": model.Interval(Fraction(0), None, True, False),
    "flag": model.Interval(Fraction(0), Fraction(1)),
    "points": model.Interval(Fraction(0), None, True, False),
    "number": model.Interval.everything(),
}


def analyse(source: Source) -> tuple[model.Rubric | None, list[Diagnostic]]:
    """Parse, check, compile and lint; the rubric is None when any error was found.

    >>> rubric, found = analyse(Source("a.rub", 'rubric "考核" { item a "甲" points 2 { judged } }'))
    >>> rubric.item("a").points, found
    (Fraction(2, 1), [])
    """
    tree, found = parse(source)
    if tree is None:
        return None, found
    try:
        found = check(tree)
        if any(d.is_error for d in found):
            # The items the errors leave whole can still have their band tables proved.
            clean = [compile_item(item) for item in _items_without(found, tree)]
            return None, _in_order(found + [d for item in clean for d in lint_item(item)])
        rubric = compile_tree(tree, source.path)
        found = lint(rubric)
        return (None if any(d.is_error for d in found) else rubric), found
    except RecursionError:  # deep enough for the parser, too deep for the later passes
        return None, [TOO_DEEP]


def _items_without(found: list[Diagnostic], tree: nodes.Rubric) -> Iterator[nodes.Item]:
    """The items of ``tree`` that no error falls inside."""
    if any(d.span is None for d in found if d.is_error):
        return
    errors = [d.span for d in found if d.is_error and d.span is not None]
    stack: list = list(tree.body)
    while stack:
        statement = stack.pop()
        if isinstance(statement, nodes.Group):
            stack.extend(statement.body)
        elif isinstance(statement, nodes.Item) and not any(_inside(span, statement.span) for span in errors):
            yield statement


def _inside(span: Span, outer: Span) -> bool:
    return (outer.line, outer.column) <= (span.line, span.column) and (span.end_line, span.end_column) <= (
        outer.end_line,
        outer.end_column,
    )


def _in_order(found: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(found, key=lambda d: (d.span.line, d.span.column) if d.span else (0, 0))


def loads(text: str, path: str = "<string>") -> model.Rubric:
    """Compile rubric text; raise ``RubricError`` with every diagnostic if it has errors.

    >>> loads('rubric "考核" { total 10 item a "甲" points 10 { judged } }').total
    Fraction(10, 1)
    """
    source = Source(path, text)
    rubric, found = analyse(source)
    if rubric is None:
        raise RubricError(source, found)
    return rubric


def read_source(path: str | os.PathLike[str]) -> Source:
    """Read a rubric file (UTF-8, with or without a byte-order mark).

    Raises ``RubricError`` (code E005) for a file that cannot be read.
    """
    shown = os.fspath(path)
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return Source(shown, handle.read())
    except OSError as exc:
        unreadable = error("E005", f"cannot read the rubric: {exc.strerror or exc}", None)
        raise RubricError(Source(shown, ""), [unreadable]) from None
    except UnicodeDecodeError as exc:
        unreadable = error(
            "E005",
            f"cannot read the rubric: not UTF-8 text (byte {exc.start})",
            None,
            help="save it as UTF-8",
        )
        raise RubricError(Source(shown, ""), [unreadable]) from None


def load(path: str | os.PathLike[str]) -> model.Rubric:
    """Read and compile a rubric file (UTF-8).

    Raises ``RubricError`` for a file that cannot be read or compiled.
    """
    source = read_source(path)
    return loads(source.text, source.path)


def check_file(path: str | os.PathLike[str]) -> tuple[Source, list[Diagnostic]]:
    """Every diagnostic of a rubric file, errors and warnings, as ``rubricdsl check`` shows them.

    A file that cannot be read gives one E005 diagnostic.
    """
    try:
        source = read_source(path)
    except RubricError as exc:
        return exc.source, exc.diagnostics
    return source, analyse(source)[1]


# Compilation ------------------------------------------------------------------------------


def compile_tree(tree: nodes.Rubric, path: str | None = None) -> model.Rubric:
    """Build the model from a tree that ``check`` passed."""
    body = tree.body
    settings = {s.keyword: s.value.value for s in body if isinstance(s, nodes.NumberSetting)}
    rounding = next((s for s in body if isinstance(s, nodes.Rounding)), None)
    grades = next((s for s in body if isinstance(s, nodes.Grades)), None)
    return model.Rubric(
        title=tree.title.value,
        children=tuple(_child(s) for s in body if isinstance(s, (nodes.Group, nodes.Item))),
        total=settings.get("total"),
        bonus=settings.get("bonus"),
        evidence=next(iter(_texts(body, "evidence")), None),
        year=int(settings["year"]) if "year" in settings else None,
        rounding=_rounding(rounding) if rounding else model.Rounding(),
        grades=_grades(grades) if grades else None,
        vetoes=tuple(_veto(s) for s in body if isinstance(s, nodes.Veto)),
        meta=tuple((s.key.name, s.value.value) for s in body if isinstance(s, nodes.Meta)),
        notes=_texts(body, "note"),
        path=path,
        span=tree.title.span,
    )


def _rounding(rounding: nodes.Rounding) -> model.Rounding:
    mode = model.RoundingMode(rounding.mode) if rounding.mode else model.RoundingMode.HALF_UP
    return model.Rounding(int(rounding.places.value), mode)


def _child(statement: nodes.Group | nodes.Item) -> model.Group | model.Item:
    return _group(statement) if isinstance(statement, nodes.Group) else compile_item(statement)


def _declared(attributes: tuple[nodes.Attribute, ...], keyword: str) -> Fraction | None:
    return next(
        (a.value.value for a in attributes if isinstance(a, nodes.NumberSetting) and a.keyword == keyword),
        None,
    )


def _number(attributes: tuple[nodes.Attribute, ...]) -> str | None:
    label = next((a for a in attributes if isinstance(a, nodes.Label)), None)
    if label is None:
        return None
    return label.value.text if isinstance(label.value, nodes.Number) else label.value.value


def _departments(body: tuple) -> tuple[str, ...]:
    return tuple(t.value for s in body if isinstance(s, nodes.Departments) for t in s.names)


def _texts(body: tuple, keyword: str) -> tuple[str, ...]:
    return tuple(s.text.value for s in body if isinstance(s, nodes.TextSetting) and s.keyword == keyword)


def _text_list(body: tuple, keyword: str) -> tuple[str, ...]:
    return tuple(
        t.value for s in body if isinstance(s, nodes.TextList) and s.keyword == keyword for t in s.entries
    )


def _group(group: nodes.Group) -> model.Group:
    return model.Group(
        id=group.id.name if group.id else None,
        title=group.title.value,
        kind=group.kind,
        points=_declared(group.attributes, "points"),
        children=tuple(_child(s) for s in group.body if isinstance(s, (nodes.Group, nodes.Item))),
        bonus=_declared(group.attributes, "bonus"),
        number=_number(group.attributes),
        departments=_departments(group.body),
        notes=_texts(group.body, "note"),
        span=group.span,
    )


def compile_item(item: nodes.Item) -> model.Item:
    """Compile one item that ``check`` found no error in."""
    rule: model.Rule | None = None
    for statement in item.body:
        if isinstance(statement, nodes.BandTable):
            rule = _band_table(statement)
        elif isinstance(statement, nodes.Judged):
            rule = model.Judged(statement.span)
    adjustments = tuple(
        _adjustment(s) for s in item.body if isinstance(s, (nodes.Adjustment, nodes.AssessedAdjustment))
    )
    # An item that declares only bonus points (2分，为奖励分) has no base points.
    points = _declared(item.attributes, "points") or Fraction(0)
    bonus = _declared(item.attributes, "bonus")
    # What an assessor enters for 酌情扣分 / 酌情奖分 is read like any other value of the item;
    # left out, the assessor took nothing off (or gave nothing).
    assessed_inputs = tuple(
        model.Input(a.name, "points", _assessed_domain(a, points, bonus), span=a.span, default=Fraction(0))
        for a in adjustments
        if isinstance(a, model.AssessedAdjustment)
    )
    applies = next((s for s in item.body if isinstance(s, nodes.Applies)), None)
    return model.Item(
        id=item.id.name,
        title=item.title.value,
        points=points,
        rule=rule,
        inputs=tuple(_input(s) for s in item.body if isinstance(s, nodes.Input)) + assessed_inputs,
        measures=tuple(
            model.Measure(s.name.name, _expr(s.expr), s.span, _interval(s.within) if s.within else None)
            for s in item.body
            if isinstance(s, nodes.Measure)
        ),
        adjustments=adjustments,
        applies=_applicability(applies) if applies else None,
        bonus=bonus,
        number=_number(item.attributes),
        departments=_departments(item.body),
        criteria=_text_list(item.body, "criteria"),
        standard=next(iter(_texts(item.body, "standard")), None),
        method=next(iter(_texts(item.body, "method")), None),
        notes=_texts(item.body, "note"),
        span=item.span,
    )


def _adjustment(
    statement: nodes.Adjustment | nodes.AssessedAdjustment,
) -> model.Adjustment | model.AssessedAdjustment:
    kind = model.AdjustmentKind(statement.kind)
    limit = statement.limit.value if statement.limit else None
    if isinstance(statement, nodes.AssessedAdjustment):
        return model.AssessedAdjustment(kind, statement.name.name, limit, statement.span)
    return model.Adjustment(
        kind,
        statement.amount.value,
        per=_expr(statement.per) if statement.per is not None else None,
        when=_condition(statement.when) if statement.when is not None else None,
        limit=limit,
        span=statement.span,
    )


def _assessed_domain(
    adjustment: model.AssessedAdjustment, points: Fraction, bonus: Fraction | None
) -> model.Interval:
    """0 to the amount's cap; without one, to what the item has: its points, or its bonus."""
    if adjustment.limit is not None:
        return model.Interval(Fraction(0), adjustment.limit)
    ceiling = points if adjustment.kind is model.AdjustmentKind.DEDUCT else bonus
    return model.Interval(Fraction(0), ceiling, True, ceiling is not None)


def _applicability(applies: nodes.Applies) -> model.Applicability:
    otherwise = _outcome(applies.otherwise) if applies.otherwise else model.Full(applies.span)
    assert isinstance(otherwise, (model.Full, model.Zero, model.FixedScore))
    return model.Applicability(_condition(applies.condition), otherwise, applies.span)


def _condition(condition: nodes.Condition) -> model.Condition:
    if isinstance(condition, nodes.Comparison):
        return model.Compare(condition.op, _expr(condition.left), _expr(condition.right))
    if isinstance(condition, nodes.Logical):
        return model.Logic(condition.op, _condition(condition.left), _condition(condition.right))
    return model.Not(_condition(condition.operand))


def _input(statement: nodes.Input) -> model.Input:
    kind = statement.kind or "number"
    domain = _interval(statement.domain) if statement.domain else DEFAULT_DOMAINS[kind]
    return model.Input(statement.name.name, kind, domain, model.InputSource(statement.source), statement.span)


def _interval(interval: nodes.Interval) -> model.Interval:
    return model.Interval(
        interval.lower.value if interval.lower else None,
        interval.upper.value if interval.upper else None,
        interval.lower_closed,
        interval.upper_closed,
    )


def _band_table(table: nodes.BandTable) -> model.BandTable:
    return model.BandTable(
        measure=table.measure.name,
        worse=model.Direction(table.worse),
        bands=tuple(model.Band(_interval(b.interval), _outcome(b.outcome), b.span) for b in table.bands),
        span=table.span,
    )


def _outcome(outcome: nodes.Outcome) -> model.Outcome:
    span = outcome.span
    if outcome.kind == "full":
        return model.Full(span)
    if outcome.kind == "zero":
        return model.Zero(span)
    assert outcome.amount is not None
    if outcome.kind == "deduct":
        return model.Deduct(outcome.amount.value, span)
    if outcome.kind == "score":
        return model.FixedScore(outcome.amount.value, span)
    assert outcome.upper is not None and outcome.mode is not None
    return model.RangeDeduction(
        outcome.amount.value, outcome.upper.value, model.RangeMode(outcome.mode), span
    )


def _expr(expr: nodes.Expr) -> model.Expr:
    if isinstance(expr, nodes.Constant):
        return model.Const(expr.value)
    if isinstance(expr, nodes.NameRef):
        return model.Ref(expr.name)
    if isinstance(expr, nodes.BinaryOp):
        return model.BinOp(expr.op, _expr(expr.left), _expr(expr.right), expr.span)
    if isinstance(expr, nodes.Negate):
        return model.Neg(_expr(expr.operand))
    return model.Call(expr.function.name, tuple(_expr(a) for a in expr.args))


def _grades(grades: nodes.Grades) -> model.GradeScale:
    return model.GradeScale(
        tuple(
            model.Grade(
                g.name.name,
                g.threshold.value if g.threshold else None,
                g.label.value if g.label else None,
                g.span,
            )
            for g in grades.grades
        )
    )


def _veto(veto: nodes.Veto) -> model.Veto:
    rule = next(s for s in veto.body if isinstance(s, nodes.GradeRule))
    definitions = _texts(veto.body, "definition")
    standards = _texts(veto.body, "standard")
    return model.Veto(
        id=veto.id.name,
        title=veto.title.value,
        grade=rule.grade.name,
        caps=rule.caps,
        number=_number(veto.attributes),
        departments=_departments(veto.body),
        definition="\n".join(definitions) if definitions else None,
        circumstances=_text_list(veto.body, "circumstances"),
        standard="\n".join(standards) if standards else None,
        notes=_texts(veto.body, "note"),
        span=veto.span,
    )
