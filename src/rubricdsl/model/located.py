"""Where the parts of a model object were written, for problems that point at them.

Positions take no part in equality: a rubric built in Python, which has none, equals
the same rubric read from a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar

from attrs import Attribute, field, fields, frozen

from ..source import Span


class Located:
    """A model object that knows where it, and each of its fields, was written."""

    __slots__ = ()
    __attrs_attrs__: ClassVar[Any]
    span: Span | None
    spans: Mapping[str, Span]

    def where(self, name: str | None = None) -> Span | None:
        """The span of the field ``name`` if it was recorded, else of the whole object.

        >>> from rubricdsl.model import Deduct
        >>> Deduct(2, span=Span(4, 3, 4, 11), spans={"amount": Span(4, 10, 4, 11)}).where("amount").column
        10
        """
        return self.spans.get(name, self.span) if name is not None else self.span


def span_field() -> Any:
    """The whole object's span: a keyword argument, None for objects built in Python."""
    return field(default=None, eq=False, repr=False, kw_only=True)


def spans_field() -> Any:
    """Spans of single fields, by field name: where an id, a number or a name was written."""
    return field(factory=dict, eq=False, repr=False, kw_only=True, converter=dict)


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


def parts_read_as(obj: Located, syntax: str) -> Iterator[Any]:
    """The values of ``obj``'s fields that a clause reads as ``syntax`` (``expression`` or ``condition``)."""
    for attribute in fields(type(obj)):
        value = getattr(obj, attribute.name)
        if attribute.metadata.get("syntax") == syntax and value is not None:
            yield value


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
