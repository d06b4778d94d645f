"""Expressions and conditions over an item's named values: exact, and bounded for the prover.

Each kind evaluates itself exactly, computes the values it can take from the values of
the names it reads (interval arithmetic, for the prover), and prints as the language
writes it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

from attrs import Attribute, field, frozen, validators

from ..numbers import Rounding, RoundingMode, format_number, to_fraction
from . import intervals
from .intervals import Domain, Interval
from .located import Located, to_tuple

# name -> (fewest, most) arguments
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "min": (2, None),
    "max": (2, None),
    "floor": (1, 1),
    "ceil": (1, 1),
    "clamp": (3, 3),  # clamp(x, low, high)
    "round": (2, 2),  # round(x, places): half up, as offices round by hand
    "round_even": (2, 2),  # round(x, places): half to even
    # Over the scorecard, in a grade's or a veto's condition only: the items carrying a tag,
    # those at full points, those below a share of their points.
    "count": (1, 1),
    "count_full": (1, 1),
    "count_below": (2, 2),
}
TALLIES = ("count", "count_full", "count_below")
ROUNDING = {"round": RoundingMode.HALF_UP, "round_even": RoundingMode.HALF_EVEN}

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}

Bounds = tuple[Domain, bool]  # the values an expression takes, and whether it may divide by zero


def is_expression(instance: object, attribute: Attribute[Any], value: Any) -> None:
    """A validator: an expression (its classes are defined below, so they are looked up when it runs)."""
    if not isinstance(value, EXPRESSIONS):
        raise TypeError(
            f"{type(instance).__name__}.{attribute.name} is {type(value).__name__}, not an expression"
        )


def is_condition(instance: object, attribute: Attribute[Any], value: Any) -> None:
    """A validator: a condition."""
    if not isinstance(value, CONDITIONS):
        raise TypeError(
            f"{type(instance).__name__}.{attribute.name} is {type(value).__name__}, not a condition"
        )


@frozen
class Constant:
    """A number written in an expression."""

    value: Fraction = field(converter=to_fraction)

    @property
    def parts(self) -> tuple[Expr, ...]:
        return ()

    def evaluate(self, env: Mapping[str, Fraction]) -> Fraction:
        return self.value

    def bounds(self, domains: Mapping[str, Domain], nonzero: frozenset[str]) -> Bounds:
        return Domain(Interval(self.value, self.value), self.value.denominator == 1), False

    def __str__(self) -> str:
        return format_number(self.value)


@frozen
class Name(Located):
    """An input or measure, read by name."""

    name: str = field(validator=validators.instance_of(str))

    @property
    def parts(self) -> tuple[Expr, ...]:
        return ()

    def evaluate(self, env: Mapping[str, Fraction]) -> Fraction:
        return env[self.name]

    def bounds(self, domains: Mapping[str, Domain], nonzero: frozenset[str]) -> Bounds:
        return domains[self.name], False

    def __str__(self) -> str:
        return self.name


@frozen
class Label(Located):
    """A category's name, where a condition compares a category fact with it (``level = 三级``).

    It stands for the category's place in the fact's list, which is how the unit's value
    of the fact is held.
    """

    name: str = field(validator=validators.instance_of(str))
    fact: str = field(validator=validators.instance_of(str))
    index: int = field(validator=validators.instance_of(int))

    @property
    def parts(self) -> tuple[Expr, ...]:
        return ()

    def evaluate(self, env: Mapping[str, Fraction]) -> Fraction:
        return Fraction(self.index)

    def bounds(self, domains: Mapping[str, Domain], nonzero: frozenset[str]) -> Bounds:
        return Domain(Interval(self.index, self.index), True), False

    def __str__(self) -> str:
        return self.name


@frozen
class Binary:
    """``left op right``; printed with only the parentheses the meaning needs.

    >>> str(Binary("/", Binary("-", Constant(98), Name("rate")), Constant(5)))
    '(98 - rate) / 5'
    """

    op: str = field(validator=validators.in_(tuple(_PRECEDENCE)))
    left: Expr = field(validator=is_expression)
    right: Expr = field(validator=is_expression)

    @property
    def parts(self) -> tuple[Expr, ...]:
        return (self.left, self.right)

    def evaluate(self, env: Mapping[str, Fraction]) -> Fraction:
        left, right = self.left.evaluate(env), self.right.evaluate(env)
        if self.op == "+":
            return left + right
        if self.op == "-":
            return left - right
        if self.op == "*":
            return left * right
        return left / right

    def bounds(self, domains: Mapping[str, Domain], nonzero: frozenset[str]) -> Bounds:
        (left, left_risky), (right, right_risky) = (
            self.left.bounds(domains, nonzero),
            self.right.bounds(domains, nonzero),
        )
        risky = left_risky or right_risky
        integral = left.integral and right.integral and self.op != "/"
        if self.op == "+":
            return Domain(intervals.add(left.interval, right.interval), integral), risky
        if self.op == "-":
            return Domain(intervals.add(left.interval, intervals.negate(right.interval)), integral), risky
        if self.op == "*":
            return Domain(intervals.multiply(left.interval, right.interval), integral), risky
        # A division by zero gives no value (the unit gets an error), so zero is left out of the
        # divisor; a divisor the item's condition keeps from zero is not risky.
        risky = risky or (Fraction(0) in right.interval and str(self.right) not in nonzero)
        inverse = intervals.reciprocal(right.interval)
        if inverse is None:  # a division by zero always: the measure never has a value
            return Domain(Interval.everything()), True
        return Domain(intervals.multiply(left.interval, inverse)), risky

    def __str__(self) -> str:
        precedence = _PRECEDENCE[self.op]
        left = _operand(self.left, precedence)
        # a - (b - c) and a / (b / c) keep their parentheses on the right
        right = _operand(self.right, precedence + (self.op in "-/"))
        return f"{left} {self.op} {right}"


def _operand(expr: Expr, precedence: int) -> str:
    if isinstance(expr, Binary) and _PRECEDENCE[expr.op] < precedence:
        return f"({expr})"
    return str(expr)


@frozen
class Negation:
    operand: Expr = field(validator=is_expression)

    @property
    def parts(self) -> tuple[Expr, ...]:
        return (self.operand,)

    def evaluate(self, env: Mapping[str, Fraction]) -> Fraction:
        return -self.operand.evaluate(env)

    def bounds(self, domains: Mapping[str, Domain], nonzero: frozenset[str]) -> Bounds:
        inner, risky = self.operand.bounds(domains, nonzero)
        return Domain(intervals.negate(inner.interval), inner.integral), risky

    def __str__(self) -> str:
        return f"-{_operand(self.operand, 3)}"


@frozen
class Call(Located):
    """``min``, ``max``, ``floor`` or ``ceil`` of its arguments (``spans`` may hold the function name's)."""

    function: str = field(validator=validators.instance_of(str))
    args: tuple[Expr, ...] = field(converter=to_tuple, validator=validators.deep_iterable(is_expression))

    @property
    def parts(self) -> tuple[Expr, ...]:
        return self.args

    def evaluate(self, env: Mapping[str, Fraction]) -> Fraction:
        if self.function in TALLIES:  # worked out from the scorecard before a grade's condition is read
            return env[str(self)]
        args = [a.evaluate(env) for a in self.args]
        if self.function == "min":
            return min(args)
        if self.function == "max":
            return max(args)
        if self.function == "floor":
            return Fraction(math.floor(args[0]))
        if self.function == "clamp":
            return min(max(args[0], args[1]), args[2])
        if self.function in ROUNDING:
            return Fraction(Rounding(_places(args[1]), ROUNDING[self.function]).apply(args[0]))
        return Fraction(math.ceil(args[0]))

    @property
    def places(self) -> int | None:
        """For ``round``: the decimal places, when written as a whole number from 0 to 10."""
        if self.function in ROUNDING and len(self.args) == 2 and isinstance(self.args[1], Constant):
            value = self.args[1].value
            if value.denominator == 1 and 0 <= value <= 10:
                return int(value)
        return None

    def bounds(self, domains: Mapping[str, Domain], nonzero: frozenset[str]) -> Bounds:
        parts = [a.bounds(domains, nonzero) for a in self.args]
        risky = any(r for _, r in parts)
        values = [d.interval for d, _ in parts]
        integral = all(d.integral for d, _ in parts)
        if self.function in ("min", "max"):
            return Domain(intervals.min_max(self.function, values), integral), risky
        if self.function == "clamp":
            value, low, high = values
            inner = intervals.min_max("max", [value, low])
            return Domain(intervals.min_max("min", [inner, high]), integral), risky
        if self.function in ROUNDING:
            # Rounding never reverses an order: the ends round to the ends.
            rounding = Rounding(self.places or 0, ROUNDING[self.function])
            lower, upper = values[0].lower, values[0].upper
            ends = [None if end is None else Fraction(rounding.apply(end)) for end in (lower, upper)]
            bounded = Interval(ends[0], ends[1], ends[0] is not None, ends[1] is not None)
            return Domain(bounded, self.places == 0), risky
        if self.function in TALLIES:
            return Domain(Interval(0, None, True, False), True), risky
        (only,) = values
        return Domain(intervals.rounded(only, up=self.function == "ceil"), True), risky

    def __str__(self) -> str:
        return f"{self.function}({', '.join(map(str, self.args))})"


def _places(value: Fraction) -> int:
    """A number of decimal places, as validation holds it: a whole number from 0 to 10."""
    return max(0, min(10, int(value)))


Expr = Constant | Name | Label | Binary | Negation | Call
EXPRESSIONS = (Constant, Name, Label, Binary, Negation, Call)


def walk(expr: Expr) -> Iterator[Expr]:
    """The expression and every expression inside it.

    >>> [str(e) for e in walk(Binary("+", Name("a"), Negation(Name("b"))))]
    ['a + -b', 'a', '-b', 'b']
    """
    yield expr
    for part in expr.parts:
        yield from walk(part)


def names(expr: Expr | Condition) -> Iterator[str]:
    """The names an expression or condition reads, in order, with repeats.

    >>> list(names(Comparison(">", Binary("-", Name("a"), Name("b")), Name("a"))))
    ['a', 'b', 'a']
    """
    for inner in expressions_of(expr):
        for node in walk(inner):
            if isinstance(node, Name):
                yield node.name


# Conditions -------------------------------------------------------------------------------

_COMPARE = {
    "=": Fraction.__eq__,
    "!=": Fraction.__ne__,
    "<": Fraction.__lt__,
    "<=": Fraction.__le__,
    ">": Fraction.__gt__,
    ">=": Fraction.__ge__,
}


@frozen
class Comparison:
    """``left op right``, exactly.

    >>> Comparison(">", Name("events"), Constant(0)).holds({"events": Fraction(2)})
    True
    """

    op: str = field(validator=validators.in_(tuple(_COMPARE)))
    left: Expr = field(validator=is_expression)
    right: Expr = field(validator=is_expression)

    @property
    def conditions(self) -> tuple[Condition, ...]:
        return ()

    def holds(self, env: Mapping[str, Fraction]) -> bool:
        return bool(_COMPARE[self.op](self.left.evaluate(env), self.right.evaluate(env)))

    def __str__(self) -> str:
        return f"{self.left} {self.op} {self.right}"


@frozen
class Logical:
    """``left and right``, ``left or right``; printed with the parentheses the meaning needs.

    >>> x, y, z = (Comparison(">", Name(n), Constant(0)) for n in "xyz")
    >>> str(Logical("and", Logical("or", x, y), Not(Logical("and", y, z))))
    '(x > 0 or y > 0) and not (y > 0 and z > 0)'
    """

    op: str = field(validator=validators.in_(("and", "or")))
    left: Condition = field(validator=is_condition)
    right: Condition = field(validator=is_condition)

    @property
    def conditions(self) -> tuple[Condition, ...]:
        return (self.left, self.right)

    def holds(self, env: Mapping[str, Fraction]) -> bool:
        if self.op == "and":
            return self.left.holds(env) and self.right.holds(env)
        return self.left.holds(env) or self.right.holds(env)

    def __str__(self) -> str:
        # "and" binds tighter than "or", and both are written left to right.
        tighter = _BINDING[self.op]
        return f"{_bound(self.left, tighter)} {self.op} {_bound(self.right, tighter + 1)}"


@frozen
class Not:
    operand: Condition = field(validator=is_condition)

    @property
    def conditions(self) -> tuple[Condition, ...]:
        return (self.operand,)

    def holds(self, env: Mapping[str, Fraction]) -> bool:
        return not self.operand.holds(env)

    def __str__(self) -> str:
        return f"not {_bound(self.operand, _BINDING['not'])}"


@frozen
class Truth(Located):
    """A yes/no fact or flag input alone, as a condition: it holds unless the value is 0.

    >>> Truth("no_trainees").holds({"no_trainees": Fraction(1)})
    True
    """

    name: str = field(validator=validators.instance_of(str))

    @property
    def conditions(self) -> tuple[Condition, ...]:
        return ()

    def holds(self, env: Mapping[str, Fraction]) -> bool:
        return env[self.name] != 0

    def __str__(self) -> str:
        return self.name


Condition = Comparison | Logical | Not | Truth
CONDITIONS = (Comparison, Logical, Not, Truth)

_BINDING = {"or": 1, "and": 2, "not": 3}


def _bound(condition: Condition, binding: int) -> str:
    """A condition inside another that binds as tightly as ``binding``, in parentheses if it binds less."""
    if isinstance(condition, Logical) and _BINDING[condition.op] < binding:
        return f"({condition})"
    return str(condition)


def expressions_of(node: Expr | Condition) -> Iterator[Expr]:
    """The outermost expressions of a condition (an expression is its own).

    >>> [str(e) for e in expressions_of(Not(Comparison("<", Name("a"), Constant(1))))]
    ['a', '1']
    """
    if isinstance(node, Comparison):
        yield node.left
        yield node.right
    elif isinstance(node, Truth):
        yield Name(node.name, span=node.span)
    elif isinstance(node, CONDITIONS):
        for inner in node.conditions:
            yield from expressions_of(inner)
    else:
        yield node


def ruled_out_zero(condition: Condition) -> Iterator[str]:
    """Expressions a condition keeps away from zero: ``x > 0`` or ``x != 0``, joined by ``and``.

    >>> above, below = Comparison(">", Name("n"), Constant(0)), Comparison("<", Name("n"), Constant(9))
    >>> list(ruled_out_zero(Logical("and", above, below)))
    ['n']
    """
    if isinstance(condition, Logical) and condition.op == "and":
        yield from ruled_out_zero(condition.left)
        yield from ruled_out_zero(condition.right)
    elif isinstance(condition, Comparison) and condition.op in (">", "!=") and condition.right == Constant(0):
        yield str(condition.left)
