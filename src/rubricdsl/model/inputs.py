"""What an item reads from the data (inputs) and derives from it (measures)."""

from __future__ import annotations

import enum
from fractions import Fraction

from attrs import field, frozen, validators

from ..numbers import to_fraction_or_none
from .expressions import Expr, is_expression
from .intervals import Interval
from .located import Located, one_of


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
