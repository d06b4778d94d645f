"""What an item reads from the data (inputs), derives from it (measures), and requires of it."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from fractions import Fraction

from attrs import field, frozen, validators

from ..numbers import to_fraction_or_none
from .expressions import Condition, Expr, is_condition, is_expression
from .intervals import Interval
from .located import Construct, Located, one_of, part


class InputSource(enum.Enum):
    """Where an input's value comes from in a data file."""

    VALUES = "values"
    TARGETS = "targets"


KINDS = ("percent", "count", "flag", "number", "points")

# The values an input takes when it declares none.
DEFAULT_DOMAINS = {
    "percent": Interval(0, 100),
    "count": Interval(0, None, True, False),
    "flag": Interval(0, 1),
    "points": Interval(0, None, True, False),
    "number": Interval.everything(),
}


@frozen
class Input(Located):
    """A number an item reads from the data: a measured value or a per-round target.

    ``default`` is taken when the data leaves the input out; without one, the data must give it.

    >>> Input("rate", "percent").domain == Interval(0, 100)
    True
    """

    name: str = field(validator=validators.instance_of(str))
    kind: str = field(default="number", validator=validators.in_(KINDS))
    domain: Interval = field(validator=validators.instance_of(Interval))
    source: InputSource = field(default=InputSource.VALUES, validator=validators.instance_of(InputSource))
    default: Fraction | None = field(default=None, converter=to_fraction_or_none)

    @domain.default
    def _kind_domain(self) -> Interval:
        return DEFAULT_DOMAINS.get(self.kind, Interval.everything())

    @property
    def integral(self) -> bool:
        return self.kind in ("count", "flag")


@frozen
class Measure(Located):
    """A number derived from inputs and earlier measures by exact arithmetic.

    ``within`` declares the values it takes where arithmetic cannot see them; a value
    outside is an error of the unit.
    """

    name: str = field(validator=validators.instance_of(str))
    expr: Expr = field(validator=is_expression)
    within: Interval | None = field(default=None, validator=one_of(Interval, None))


@frozen
class Requirement(Located):
    """``require CONDITION ["…"]``: a condition the unit's values must meet (报告的线索中…).

    A unit whose values break it is not scored; ``text`` is the official wording, if given.

    >>> from rubricdsl.model import Comparison, Name
    >>> needs = Requirement(Comparison("<=", Name("valuable"), Name("reported")))
    >>> needs.holds({"valuable": Fraction(3), "reported": Fraction(2)})
    False
    """

    condition: Condition = part("condition", validator=is_condition)
    text: str | None = field(default=None, validator=validators.optional(validators.instance_of(str)))

    def holds(self, env: Mapping[str, Fraction]) -> bool:
        return self.condition.holds(env)

    def __str__(self) -> str:
        return f"require {self.condition}"


REQUIREMENTS: dict[str, Construct] = {"require": Construct(Requirement)}  # grammar rule -> class
