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
        self.categories: dict[str, tuple[str, ...]] = {}  # category facts -> their categories
        self.local: set[str] = set()  # the names the item being compiled defines: they hide categories
        self.known: set[str] = set()  # the rubric's facts and ids: never taken for a category

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
            left, right = condition.left, condition.right
            return model.Comparison(
                condition.op,
                self.compared(left, right) or self.expr(left),
                self.compared(right, left) or self.expr(right),
            )
        if isinstance(condition, s.Logical):
            return model.Logical(
                condition.op, self.condition(condition.left), self.condition(condition.right)
            )
        if isinstance(condition, s.Truth):
            return model.Truth(condition.name.name, span=condition.span)
        return model.Not(self.condition(condition.operand))

    def compared(self, side: s.Expr, other: s.Expr) -> model.Label | None:
        """A name compared with a category fact is one of its categories (``乙 = 是`` reads 乙's 是, whatever
        other fact also has one), or, if it names nothing else, a category it does not have (E119)."""
        fact = other.name if isinstance(other, s.Identifier) and other.name not in self.local else None
        if fact not in self.categories or not isinstance(side, s.Identifier) or side.name in self.local:
            return None
        categories = self.categories[fact]
        if side.name in categories:
            return model.Label(side.name, fact, categories.index(side.name), span=side.span)
        if side.name in self.labels or side.name in self.categories or side.name in self.known:
            return None
        return model.Label(side.name, fact, -1, span=side.span)

    def category(self, fact: str, name: s.Identifier) -> model.Label:
        """A category of ``fact``, by name (its place -1 if the fact has no such category: E103)."""
        categories = self.categories.get(fact, ())
        index = categories.index(name.name) if name.name in categories else -1
        return model.Label(name.name, fact, index, span=name.span)


def spans_of(**nodes: s.Node | None) -> dict[str, Span]:
    """The spans of the nodes given, by field name, for the model's ``spans``."""
    return {name: node.span for name, node in nodes.items() if node is not None}
