"""Compiling expressions and conditions: a name the item does not define may be a category of
one of the rubric's facts (``level = 三级``), which becomes a ``Label``."""

from __future__ import annotations

from typing import Any

import attrs

from .. import model
from ..language import syntax as s
from ..source import Span


class ExpressionCompiler:
    """Builds the model's expressions; ``labels`` and ``local`` are set as the compiler goes."""

    def __init__(self) -> None:
        self.labels: dict[str, model.Label] = {}  # the categories of the rubric's facts, by name
        self.local: set[str] = set()  # the names the item being compiled defines: they hide categories

    def part(self, node: s.Node | None, syntax: str) -> Any:
        """A clause's part as its model field takes it."""
        if node is None:
            return None
        if syntax == "expression":
            return self.expr(node)  # type: ignore[arg-type]
        if syntax == "condition":
            return self.condition(node)  # type: ignore[arg-type]
        if isinstance(node, s.Number):
            return node.value
        if isinstance(node, s.Identifier):
            return node.name
        if isinstance(node, s.Text):
            return node.value
        raise TypeError(f"a clause's part cannot be {type(node).__name__}")

    def expr(self, expr: s.Expr) -> model.Expr:
        if isinstance(expr, s.Number):
            return model.Constant(expr.value)
        if isinstance(expr, s.Identifier):
            label = self.labels.get(expr.name)
            if label is not None and expr.name not in self.local:
                return attrs.evolve(label, span=expr.span)
            return model.Name(expr.name, span=expr.span)
        if isinstance(expr, s.Binary):
            return model.Binary(expr.op, self.expr(expr.left), self.expr(expr.right))
        if isinstance(expr, s.Negation):
            return model.Negation(self.expr(expr.operand))
        return model.Call(
            expr.function.name,
            tuple(self.expr(a) for a in expr.args),
            span=expr.span,
            spans=spans_of(function=expr.function),
        )

    def condition(self, condition: s.Condition) -> model.Condition:
        if isinstance(condition, s.Comparison):
            return model.Comparison(condition.op, self.expr(condition.left), self.expr(condition.right))
        if isinstance(condition, s.Logical):
            return model.Logical(
                condition.op, self.condition(condition.left), self.condition(condition.right)
            )
        if isinstance(condition, s.Truth):
            return model.Truth(condition.name.name, span=condition.span)
        return model.Not(self.condition(condition.operand))


def spans_of(**nodes: s.Node | None) -> dict[str, Span]:
    """The spans of the nodes given, by field name, for the model's ``spans``."""
    return {name: node.span for name, node in nodes.items() if node is not None}
