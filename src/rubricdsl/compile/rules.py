"""Compiling scoring rules and clauses: band tables (by category too), levels, decision tables,
and every clause whose kind a registry names (outcomes, deductions, bonuses, requirements)."""

from __future__ import annotations

from typing import Any

from .. import model
from ..language import syntax as s
from .expressions import ExpressionCompiler, spans_of


class RuleCompiler(ExpressionCompiler):
    def rule(self, rule: s.BandTable | s.Levels | s.Cases | s.Clause) -> model.Rule:
        if isinstance(rule, s.Clause):
            built = self.clause(rule, model.RULES)
            assert isinstance(built, model.Rule)
            return built
        if isinstance(rule, s.Levels):
            levels = (
                model.Level(
                    level.label.name if isinstance(level.label, s.Identifier) else level.label.value,
                    self.clause(level.outcome, model.OUTCOMES),
                    span=level.span,
                )
                for level in rule.levels
            )
            return model.Levels(tuple(levels), span=rule.span)
        if isinstance(rule, s.Cases):
            cases = (
                model.Case(
                    self.clause(case.outcome, model.OUTCOMES),
                    self.condition(case.condition) if case.condition else None,
                    span=case.span,
                )
                for case in rule.cases
            )
            return model.Cases(tuple(cases), span=rule.span)
        if rule.by is not None:
            tables = tuple(
                model.CategoryTable(
                    self.category(rule.by.name, c.category),
                    self.band_table(rule, c.bands),
                    span=c.span,
                )
                for c in rule.categories
            )
            return model.CategoryBands(
                rule.measure.name,
                model.Direction(rule.worse),
                rule.by.name,
                tables,
                span=rule.span,
                spans=spans_of(measure=rule.measure, fact=rule.by),
            )
        return self.band_table(rule, rule.bands)

    def band_table(self, rule: s.BandTable, bands: tuple[s.Band, ...]) -> model.BandTable:
        return model.BandTable(
            measure=rule.measure.name,
            worse=model.Direction(rule.worse),
            bands=tuple(
                model.Band(interval(b.interval), self.clause(b.outcome, model.OUTCOMES), span=b.span)
                for b in bands
            ),
            span=rule.span,
            spans=spans_of(measure=rule.measure),
        )

    def clause(self, clause: s.Clause, kinds: dict[str, model.Construct]) -> Any:
        """The model object a clause builds: its parts fill the fields of its kind's class in order."""
        construct = kinds[clause.rule]
        values = tuple(
            self.part(part, syntax) for part, syntax in zip(clause.parts, construct.part_syntax, strict=True)
        )
        spans = {
            name: p.span for name, p in zip(construct.part_names, clause.parts, strict=True) if p is not None
        }
        return construct.build(values, clause.span, spans)


def interval(interval: s.Interval) -> model.Interval:
    return model.Interval(
        interval.lower.value if interval.lower else None,
        interval.upper.value if interval.upper else None,
        interval.lower_closed,
        interval.upper_closed,
        span=interval.span,
    )
