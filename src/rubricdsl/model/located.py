"""Where the parts of a model object were written, for problems that point at them.

Positions take no part in equality: a rubric built in Python, which has none, equals
the same rubric read from a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from attrs import Attribute, field, fields, frozen

from ..numbers import format_number
from ..problems import Problem, error
from ..source import Span


def _copied(spans: Mapping[str, Span]) -> dict[str, Span]:
    return dict(spans)


@frozen
class Located:
    """A model object that knows where it, and each of its fields, was written.

    ``span`` is the whole object's; ``spans`` hold single fields' (where an id, a number or
    a name was written). Both are keyword arguments, absent for objects built in Python.
    """

    span: Span | None = field(default=None, eq=False, repr=False, kw_only=True)
    spans: Mapping[str, Span] = field(factory=dict, eq=False, repr=False, kw_only=True, converter=_copied)

    def where(self, name: str | None = None) -> Span | None:
        """The span of the field ``name`` if it was recorded, else of the whole object.

        >>> from rubricdsl.model import Deduct
        >>> Deduct(2, span=Span(4, 3, 4, 11), spans={"amount": Span(4, 10, 4, 11)}).where("amount").column
        10
        """
        return self.spans.get(name, self.span) if name is not None else self.span

    def expressions(self) -> Iterator[Any]:
        """The expressions and conditions written in it (its fields a clause reads as such)."""
        for attribute in fields(type(self)):
            value = getattr(self, attribute.name)
            if attribute.metadata.get("syntax") in ("expression", "condition") and value is not None:
                yield value

    def must_be_positive(self, name: str, what: str) -> Iterator[Problem]:
        """An E106 if the number in field ``name`` is 0 or less, pointing where it was written.

        >>> from rubricdsl.model import Deduct
        >>> [p.message for p in Deduct(0).must_be_positive("amount", "a deduction")]
        ['a deduction must be more than 0, not 0']
        """
        value = getattr(self, name)
        if value is not None and value <= 0:
            yield error("E106", f"{what} must be more than 0, not {format_number(value)}", self.where(name))


def to_tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    """A converter: any iterable (a list, say) becomes the tuple a frozen object keeps."""
    return tuple(values)


def tuple_field(*types: type, **kwargs: Any) -> Any:
    """A field holding a tuple of ``types``; any iterable given is converted."""
    return field(converter=to_tuple, validator=tuple_of(*types), **kwargs)


def tuple_of(*types: type) -> Any:
    """A validator: a tuple whose every member is one of ``types``."""

    def check(instance: object, attribute: Attribute[Any], value: Any) -> None:
        for member in value:
            if not isinstance(member, types):
                names = " or ".join(t.__name__ for t in types)
                raise TypeError(
                    f"{type(instance).__name__}.{attribute.name} holds {type(member).__name__}, not {names}"
                )

    return check


def one_of(*types: type | None) -> Any:
    """A validator: an instance of one of ``types`` (None among them lets None through)."""
    allowed = tuple(t for t in types if t is not None)
    optional = None in types

    def check(instance: object, attribute: Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, allowed):
            names = " or ".join(t.__name__ for t in allowed) + (" or None" if optional else "")
            raise TypeError(
                f"{type(instance).__name__}.{attribute.name} is {type(value).__name__}, not {names}"
            )

    return check


def part(syntax: str, **kwargs: Any) -> Any:
    """A field a clause's part fills, read from the text as ``syntax``: an ``expression`` or a
    ``condition`` (anything else is a plain number, name or text)."""
    return field(metadata={"syntax": syntax}, **kwargs)


@frozen
class Construct:
    """How a clause of the language (a grammar rule's name) builds a model object: the class,
    and the fields the rule's name fixes; the clause's parts fill the other fields in order.

    >>> from rubricdsl.model import AdjustmentKind, PerOccurrence
    >>> Construct(PerOccurrence, {"kind": AdjustmentKind.BONUS}).part_names
    ('amount_each', 'per', 'limit')
    """

    cls: type
    fixed: Mapping[str, Any] = field(factory=dict)

    @property
    def part_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self._parts())

    @property
    def part_syntax(self) -> tuple[str, ...]:
        """How each part is read: ``expression``, ``condition`` or ``value``."""
        return tuple(a.metadata.get("syntax", "value") for a in self._parts())

    def _parts(self) -> list[Attribute[Any]]:
        skipped = {"span", "spans", *self.fixed}
        return [a for a in fields(self.cls) if a.name not in skipped and a.init]

    def build(self, parts: tuple[Any, ...], span: Span | None, spans: Mapping[str, Span]) -> Any:
        return self.cls(
            **self.fixed, **dict(zip(self.part_names, parts, strict=True)), span=span, spans=spans
        )
