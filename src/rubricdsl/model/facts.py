"""What a rubric knows about the unit as a whole (facts), and the tags its items carry."""

from __future__ import annotations

from fractions import Fraction

from attrs import field, frozen, validators

from ..numbers import approximate
from .inputs import DEFAULT_DOMAINS, KINDS
from .intervals import Interval
from .located import Located, tuple_field


@frozen
class Fact(Located):
    """A fact about the unit as a whole (无学员, 床位数, 医院级别), read from its ``facts``.

    Every item may read it by name, as it reads its own inputs. A fact with ``categories``
    takes one of them, given by name in the data and held as its place in the list; the
    others are numbers (a ``flag`` is yes or no: ``true``/``false``, or 1/0).

    >>> level = Fact("level", "医院级别", categories=("三级", "二级"))
    >>> level.domain, level.index("二级")
    (Interval(lower=Fraction(0, 1), upper=Fraction(1, 1), lower_closed=True, upper_closed=True), 1)
    """

    name: str = field(validator=validators.instance_of(str))
    title: str | None = field(default=None, validator=validators.optional(validators.instance_of(str)))
    kind: str = field(default="number", validator=validators.in_(KINDS))
    categories: tuple[str, ...] = tuple_field(str, default=())
    domain: Interval = field(validator=validators.instance_of(Interval))

    @domain.default
    def _kind_domain(self) -> Interval:
        if self.categories:
            return Interval(0, len(self.categories) - 1)
        return DEFAULT_DOMAINS.get(self.kind, Interval.everything())

    @property
    def integral(self) -> bool:
        return bool(self.categories) or self.kind in ("count", "flag")

    @property
    def is_flag(self) -> bool:
        return self.kind == "flag" and not self.categories

    def index(self, category: str) -> int:
        """The place of a category in the list; ``ValueError`` for one the fact does not have."""
        return self.categories.index(category)

    def shown(self, value: Fraction) -> str:
        """The value as a person reads it: a category's name, yes or no (是/否), or the number.

        >>> Fact("none", kind="flag").shown(Fraction(1)), Fact("beds", kind="count").shown(Fraction(500))
        ('是', '500')
        """
        if self.categories and value.denominator == 1 and 0 <= value < len(self.categories):
            return self.categories[int(value)]
        if self.is_flag:
            return "是" if value else "否"
        return approximate(value)


@frozen
class Tag(Located):
    """A tag items carry (★ 核心指标): items with it are counted and totalled together."""

    name: str = field(validator=validators.instance_of(str))
    title: str | None = field(default=None, validator=validators.optional(validators.instance_of(str)))
