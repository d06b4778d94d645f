"""Semantic checks over the syntax tree: names, settings, intervals, outcomes, grades.

Every problem becomes a diagnostic; nothing is raised, so an author sees all of
them at once. A tree with no errors here can be compiled without surprises.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fractions import Fraction

from . import nodes
from .diagnostics import Diagnostic, did_you_mean, error

# name -> (fewest, most) arguments
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "min": (2, None),
    "max": (2, None),
    "floor": (1, 1),
    "ceil": (1, 1),
}

MAX_PLACES = 10


def check(tree: nodes.Rubric) -> list[Diagnostic]:
    """All semantic diagnostics of a parsed rubric, in source order.

    >>> from rubricdsl.parser import parse
    >>> from rubricdsl.source import Source
    >>> tree, _ = parse(Source("a.rub", 'rubric "t" { item a "甲" { judged } }'))
    >>> [d.message for d in check(tree)]
    ["item 'a' declares no points"]
    """
    checker = _Checker()
    checker.rubric(tree)
    return sorted(checker.found, key=lambda d: (d.span.line, d.span.column) if d.span else (0, 0))


class _Checker:
    def __init__(self) -> None:
        self.found: list[Diagnostic] = []
        self.grade_names: list[str] = []

    def report(self, diagnostic: Diagnostic) -> None:
        self.found.append(diagnostic)

    # Rubric level

    def rubric(self, tree: nodes.Rubric) -> None:
        settings = [
            s for s in tree.body if isinstance(s, (nodes.NumberSetting, nodes.Rounding, nodes.Grades))
        ]
        self._at_most_once(settings, _setting_keyword)
        self._at_most_once(
            [m for m in tree.body if isinstance(m, nodes.Meta)], lambda m: f"meta {m.key.name}"
        )
        self._at_most_once(
            [s for s in tree.body if isinstance(s, nodes.TextSetting) and s.keyword == "evidence"],
            lambda s: s.keyword,
        )
        for setting in settings:
            if isinstance(setting, nodes.NumberSetting) and setting.keyword == "year":
                self._whole(setting.value, "a year", low=1)
            elif isinstance(setting, nodes.NumberSetting):
                self._positive(setting.value, f"the {setting.keyword}")
            elif isinstance(setting, nodes.Rounding):
                self._whole(setting.places, "decimal places", low=0, high=MAX_PLACES)
            elif isinstance(setting, nodes.Grades):
                self.grades(setting)
        self._unique_ids(tree)
        if not any(isinstance(s, nodes.Item) for s in _walk_body(tree.body)):
            self.report(
                error(
                    "E117",
                    "the rubric has no items, so it can score nothing",
                    tree.title.span,
                    help='add items: item id "标题" points 10 { judged }',
                )
            )
        for statement in tree.body:
            if isinstance(statement, nodes.Group):
                self.group(statement)
            elif isinstance(statement, nodes.Item):
                self.item(statement)
            elif isinstance(statement, nodes.Veto):
                self.veto(statement)

    def grades(self, grades: nodes.Grades) -> None:
        if not grades.grades:
            self.report(error("E112", "a grade scale needs at least one grade", grades.span))
            return
        seen: set[str] = set()
        previous: nodes.Number | None = None
        for position, grade in enumerate(grades.grades):
            name = grade.name.name
            if name in seen:
                self.report(error("E112", f"grade '{name}' is named twice", grade.name.span))
            seen.add(name)
            last = position == len(grades.grades) - 1
            if grade.threshold is None and not last:
                self.report(
                    error(
                        "E112",
                        f"grade '{name}' has no threshold but is not the last grade",
                        grade.span,
                        help="only the lowest grade takes every total left; give this one '>= N'",
                    )
                )
            if (
                grade.threshold is not None
                and previous is not None
                and grade.threshold.value >= previous.value
            ):
                self.report(
                    error(
                        "E112",
                        f"grade '{name}' needs a lower threshold than {previous.text}, the grade above it",
                        grade.threshold.span,
                        help="list grades from best to worst, thresholds falling",
                    )
                )
            previous = grade.threshold or previous
        if not self.grade_names:  # a second grades block is an error of its own; vetoes follow the first
            self.grade_names = [g.name.name for g in grades.grades]

    def _unique_ids(self, tree: nodes.Rubric) -> None:
        first: dict[str, nodes.Identifier] = {}
        for ident in _ids(tree.body):
            if ident.name in first:
                where = first[ident.name].span.line
                self.report(error("E101", f"id '{ident.name}' is already used on line {where}", ident.span))
            else:
                first[ident.name] = ident

    # Structure

    def _attributes(self, attributes: Iterable[nodes.Attribute]) -> dict[str, nodes.Number]:
        """Check ``points``, ``bonus`` and ``no``; return the numbers declared, by keyword."""
        attributes = list(attributes)
        self._at_most_once(attributes, lambda a: a.keyword if isinstance(a, nodes.NumberSetting) else "no")
        declared = {a.keyword: a.value for a in attributes if isinstance(a, nodes.NumberSetting)}
        for keyword, value in declared.items():
            self._positive(value, keyword)
        return declared

    def group(self, group: nodes.Group) -> None:
        self._attributes(group.attributes)
        for child in group.body:
            if isinstance(child, nodes.Group):
                self.group(child)
            elif isinstance(child, nodes.Item):
                self.item(child)

    def item(self, item: nodes.Item) -> None:
        declared = self._attributes(item.attributes)
        points = declared.get("points")
        if points is None and "bonus" in declared:  # bonus points only: its base is 0 points
            points = nodes.Number(Fraction(0), "0", item.id.span)
        if points is None:
            self.report(
                error(
                    "E105",
                    f"item '{item.id.name}' declares no points",
                    item.id.span,
                    help='write the points after the title: item id "标题" points 10 { ... }',
                )
            )
        scope = self._item_names(item)
        rules = [s for s in item.body if isinstance(s, (nodes.BandTable, nodes.Judged))]
        adjustments = [s for s in item.body if isinstance(s, (nodes.Adjustment, nodes.AssessedAdjustment))]
        if not rules and not adjustments:
            self.report(
                error(
                    "E116",
                    f"item '{item.id.name}' has no scoring rule, so it would always score full points",
                    item.id.span,
                    help="add 'judged', a band table over a measure, or deductions",
                )
            )
        for extra in rules[1:]:
            self.report(
                error(
                    "E107",
                    f"item '{item.id.name}' already has a scoring rule on line {rules[0].span.line}",
                    extra.span,
                    help="an item is scored by one band table or by an assessor ('judged'), not both",
                )
            )
        self._at_most_once([s for s in item.body if isinstance(s, nodes.Applies)], lambda s: "applies")
        self._at_most_once(
            [
                s
                for s in item.body
                if isinstance(s, nodes.TextSetting) and s.keyword in ("standard", "method")
            ],
            lambda s: s.keyword,
        )
        for statement in item.body:
            if isinstance(statement, nodes.BandTable):
                self.band_table(statement, scope, points)
            elif isinstance(statement, nodes.Adjustment):
                self.adjustment(statement, scope)
            elif isinstance(statement, nodes.AssessedAdjustment):
                self.assessed(statement, item, declared)
            elif isinstance(statement, nodes.Applies):
                self.condition(statement.condition, scope)
                if statement.otherwise is not None:
                    self.outcome_amounts(statement.otherwise, points)

    def adjustment(self, adjustment: nodes.Adjustment, scope: set[str]) -> None:
        self._positive(adjustment.amount, f"a {adjustment.kind} amount")
        if adjustment.limit is not None:
            self._positive(adjustment.limit, "'at most'")
        if adjustment.per is not None:
            self.expr(adjustment.per, scope, set())
        if adjustment.when is not None:
            self.condition(adjustment.when, scope)

    def assessed(self, adjustment: nodes.AssessedAdjustment, item: nodes.Item, declared: dict) -> None:
        if adjustment.limit is not None:
            self._positive(adjustment.limit, "'at most'")
        elif adjustment.kind == "bonus" and "bonus" not in declared:
            self.report(
                error(
                    "E105",
                    f"the assessed bonus '{adjustment.name.name}' has no bound",
                    adjustment.span,
                    help=f"write 'at most N', or declare the item's bonus: item {item.id.name} ... bonus N",
                )
            )

    def condition(self, condition: nodes.Condition, scope: set[str]) -> None:
        if isinstance(condition, nodes.Comparison):
            self.expr(condition.left, scope, set())
            self.expr(condition.right, scope, set())
        elif isinstance(condition, nodes.Logical):
            self.condition(condition.left, scope)
            self.condition(condition.right, scope)
        else:
            self.condition(condition.operand, scope)

    def _item_names(self, item: nodes.Item) -> set[str]:
        """Check inputs and measures in order; return every name the item defines."""
        defined: dict[str, nodes.Identifier] = {}
        later = {s.name.name for s in item.body if isinstance(s, nodes.Measure)}
        for statement in item.body:
            if isinstance(statement, nodes.Input):
                if statement.domain is not None:
                    self.interval(statement.domain)
            elif isinstance(statement, nodes.Measure):
                self.expr(statement.expr, defined.keys(), later)
                if statement.within is not None:
                    self.interval(statement.within)
            elif not isinstance(statement, nodes.AssessedAdjustment):  # it names the value it reads
                continue
            name = statement.name
            if name.name in defined:
                self.report(
                    error(
                        "E102",
                        f"'{name.name}' is already defined in item '{item.id.name}' "
                        f"on line {defined[name.name].span.line}",
                        name.span,
                    )
                )
            else:
                defined[name.name] = name
        return set(defined)

    def expr(self, expr: nodes.Expr, defined: Iterable[str], later: set[str]) -> None:
        for node in _walk(expr):
            if isinstance(node, nodes.NameRef) and node.name not in defined:
                if node.name in later:
                    self.report(
                        error(
                            "E114",
                            f"measure '{node.name}' is used before it is defined",
                            node.span,
                            help="define a measure above the measures that use it",
                        )
                    )
                else:
                    self.report(
                        error(
                            "E103",
                            f"unknown name '{node.name}'",
                            node.span,
                            help=did_you_mean(node.name, defined)
                            or "name an input or a measure of this item",
                        )
                    )
            elif isinstance(node, nodes.Call):
                self.call(node)

    def call(self, call: nodes.Call) -> None:
        name = call.function.name
        if name not in FUNCTIONS:
            hint = did_you_mean(name, FUNCTIONS) or "functions: " + ", ".join(FUNCTIONS)
            self.report(error("E104", f"unknown function '{name}'", call.function.span, help=hint))
            return
        fewest, most = FUNCTIONS[name]
        count = len(call.args)
        if count < fewest or (most is not None and count > most):
            wanted = f"{fewest}" if fewest == most else f"at least {fewest}"
            self.report(error("E104", f"{name}() takes {wanted} argument(s), not {count}", call.span))

    def band_table(self, table: nodes.BandTable, scope: set[str], points: nodes.Number | None) -> None:
        if table.measure.name not in scope:
            self.report(
                error(
                    "E103",
                    f"bands over unknown measure '{table.measure.name}'",
                    table.measure.span,
                    help=did_you_mean(table.measure.name, scope) or "name an input or a measure of this item",
                )
            )
        for band in table.bands:
            self.interval(band.interval)
            self.outcome(band, points)

    def interval(self, interval: nodes.Interval) -> None:
        for bound, closed, side in (
            (interval.lower, interval.lower_closed, "lower"),
            (interval.upper, interval.upper_closed, "upper"),
        ):
            if bound is None and closed:
                self.report(
                    error(
                        "E108",
                        f"an unbounded {side} edge cannot be closed",
                        interval.span,
                        help="write '(' or ')' on the side without a number",
                    )
                )
        low, high = interval.lower, interval.upper
        if low is None or high is None:
            return
        if low.value > high.value or (
            low.value == high.value and not (interval.lower_closed and interval.upper_closed)
        ):
            self.report(
                error(
                    "E108",
                    f"the interval {_interval_text(interval)} holds no value",
                    interval.span,
                    help="write the lower edge first",
                )
            )

    def outcome(self, band: nodes.Band, points: nodes.Number | None) -> None:
        outcome = band.outcome
        self.outcome_amounts(outcome, points)
        self._range(band)

    def outcome_amounts(self, outcome: nodes.Outcome, points: nodes.Number | None) -> None:
        for amount in (outcome.amount, outcome.upper):
            if amount is None:
                continue
            if amount.value < 0 or (points is not None and amount.value > points.value):
                limit = f"the item's {points.text} points" if points is not None else "the item's points"
                self.report(error("E109", f"{amount.text} is not between 0 and {limit}", amount.span))
        low, high = outcome.amount, outcome.upper
        if outcome.kind == "range" and low and high and low.value > high.value:
            self.report(
                error(
                    "E109",
                    f"the range {low.text}..{high.text} runs backwards",
                    outcome.span,
                    help="write the smaller deduction first",
                )
            )

    def _range(self, band: nodes.Band) -> None:
        low, high = band.interval.lower, band.interval.upper
        if band.outcome.mode == "linear" and (low is None or high is None or low.value == high.value):
            self.report(
                error(
                    "E110",
                    "a linear range needs a band with two different edges",
                    band.span,
                    help="interpolation runs from one edge of the band to the other; "
                    "bound the band or use a fixed outcome",
                )
            )

    def veto(self, veto: nodes.Veto) -> None:
        self._attributes(veto.attributes)
        for attribute in veto.attributes:
            if isinstance(attribute, nodes.NumberSetting):
                self.report(error("E115", "a veto takes no points", attribute.span, help="remove 'points'"))
        rules = [s for s in veto.body if isinstance(s, nodes.GradeRule)]
        if not rules:
            self.report(
                error(
                    "E113",
                    f"veto '{veto.id.name}' neither forces nor caps a grade",
                    veto.id.span,
                    help="add 'grade D' (forces D) or 'grade at most B' (caps the grade at B)",
                )
            )
        for extra in rules[1:]:
            self.report(error("E113", f"veto '{veto.id.name}' has a second grade rule", extra.span))
        for rule in rules:
            if not self.grade_names:
                self.report(
                    error("E111", "a veto names a grade, but the rubric declares no grades", rule.grade.span)
                )
            elif rule.grade.name not in self.grade_names:
                hint = did_you_mean(rule.grade.name, self.grade_names) or "grades: " + ", ".join(
                    self.grade_names
                )
                self.report(error("E111", f"unknown grade '{rule.grade.name}'", rule.grade.span, help=hint))

    # Small checks

    def _at_most_once(self, statements: list, key) -> None:
        seen: dict[str, object] = {}
        for statement in statements:
            name = key(statement)
            if name in seen:
                self.report(error("E105", f"'{name}' is set twice", statement.span, help="keep one of them"))
            seen[name] = statement

    def _positive(self, number: nodes.Number, what: str) -> None:
        if number.value <= 0:
            self.report(error("E106", f"{what} must be more than 0, not {number.text}", number.span))

    def _whole(self, number: nodes.Number, what: str, low: int, high: int | None = None) -> None:
        value = number.value
        if value.denominator != 1 or value < low or (high is not None and value > high):
            limit = (
                f"a whole number from {low} to {high}"
                if high is not None
                else f"a whole number of at least {low}"
            )
            self.report(error("E106", f"{what} must be {limit}, not {number.text}", number.span))


def _setting_keyword(setting: nodes.NumberSetting | nodes.Rounding | nodes.Grades) -> str:
    if isinstance(setting, nodes.NumberSetting):
        return setting.keyword
    return "round" if isinstance(setting, nodes.Rounding) else "grades"


def _walk_body(body: Iterable) -> Iterator:
    for statement in body:
        yield statement
        if isinstance(statement, nodes.Group):
            yield from _walk_body(statement.body)


def _ids(body: Iterable) -> Iterator[nodes.Identifier]:
    for statement in body:
        if isinstance(statement, nodes.Group):
            if statement.id is not None:
                yield statement.id
            yield from _ids(statement.body)
        elif isinstance(statement, (nodes.Item, nodes.Veto)):
            yield statement.id


def _walk(expr: nodes.Expr) -> Iterator[nodes.Expr]:
    yield expr
    if isinstance(expr, nodes.BinaryOp):
        yield from _walk(expr.left)
        yield from _walk(expr.right)
    elif isinstance(expr, nodes.Negate):
        yield from _walk(expr.operand)
    elif isinstance(expr, nodes.Call):
        for arg in expr.args:
            yield from _walk(arg)


def _interval_text(interval: nodes.Interval) -> str:
    low = interval.lower.text if interval.lower else ""
    high = interval.upper.text if interval.upper else ""
    return f"{'[' if interval.lower_closed else '('}{low}..{high}{']' if interval.upper_closed else ')'}"
