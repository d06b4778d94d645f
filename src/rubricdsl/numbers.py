"""Exact numbers: reading them, writing them, and rounding them once, at output.

Every value is an exact decimal when read and a ``Fraction`` when computed; no binary
float touches a score.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from attrs import field, frozen, validators

# Far beyond any score or count, and small enough that exact arithmetic stays quick.
MAX_DIGITS = 40
MAX_MAGNITUDE = 30  # decimal exponent of the largest accepted number
MAX_PLACES = 10  # decimal places a rubric may round to


@frozen
class Unusable:
    """Why a value is not a number rubricdsl can use: not a number at all, or far too large."""

    message: str
    too_large: bool = False


def exact(value: Any) -> Fraction | Unusable:
    """The exact number a data entry spells, or why it is not a usable number.

    Floats (from Python callers) are read as the shortest decimal that prints them.

    >>> exact(Decimal("89.1")), exact(True).message, exact("5").message
    (Fraction(891, 10), 'true is not a number', 'the text "5" is not a number')
    """
    if isinstance(value, bool):
        return Unusable(f"{str(value).lower()} is not a number")
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return Unusable(f"{value} is not a number")
        _, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)
        if value and value.adjusted() > MAX_MAGNITUDE:
            return Unusable(f"{_short(value)} is too large to be a score, a count or a rate", too_large=True)
        if len(digits) > MAX_DIGITS or exponent < -MAX_DIGITS:
            return Unusable(f"{_short(value)} has more than {MAX_DIGITS} digits", too_large=True)
        return Fraction(value)
    if isinstance(value, Fraction):
        if value.denominator > 10**MAX_DIGITS or abs(value) > 10**MAX_MAGNITUDE:
            return Unusable("the fraction is too large or too fine", too_large=True)
        return value
    return Unusable(f"{describe(value)} is not a number")


def to_fraction(value: Any) -> Fraction:
    """A number for the object model, given as a ``Fraction``, ``Decimal``, ``int``, decimal text or float.

    Text is read as the decimal it spells and a float as the shortest decimal that prints it.

    >>> to_fraction("89.1"), to_fraction(0.1), to_fraction(3)
    (Fraction(891, 10), Fraction(1, 10), Fraction(3, 1))
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise TypeError(f"{describe(value)} is not a number")
    try:
        decimal = Decimal(repr(value) if isinstance(value, float) else value)
    except ArithmeticError:
        raise ValueError(f"{value!r} is not a decimal number") from None
    if not decimal.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return Fraction(decimal)


def to_fraction_or_none(value: Any) -> Fraction | None:
    """``to_fraction``, letting None through.

    >>> to_fraction_or_none(None) is None, to_fraction_or_none(2)
    (True, Fraction(2, 1))
    """
    return None if value is None else to_fraction(value)


def sum_known(values: Iterable[Fraction | None]) -> Fraction | None:
    """The sum, or None if any value is None (unbounded, unknown).

    >>> sum_known([Fraction(1), Fraction(2)]), sum_known([Fraction(1), None])
    (Fraction(3, 1), None)
    """
    total = Fraction(0)
    for value in values:
        if value is None:
            return None
        total += value
    return total


def _short(value: Decimal) -> str:
    """A number shown in a message without spelling out thousands of digits."""
    text = str(value)
    return text if len(text) <= 24 else f"{text[:12]}…{text[-8:]}"


def describe(value: Any) -> str:
    """What a value read from a data file is, for a message.

    >>> describe(None), describe([1]), describe("五")
    ('null', 'a list', 'the text "五"')
    """
    if value is None:
        return "null"
    if isinstance(value, Decimal) and not value.is_finite():
        return str(value)  # NaN or Infinity, as the file spelled it
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (Decimal, int, float, Fraction)):
        return "a number"
    if isinstance(value, str):
        return f'the text "{value}"' if len(value) <= 40 else "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def format_number(value: Fraction | Decimal) -> str:
    """Write an exact number as a plain decimal, without trailing zeros.

    >>> format_number(Fraction(15, 2)), format_number(Decimal("16.00")), format_number(Fraction(1, 3))
    ('7.5', '16', '1/3')
    """
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        decimal = _terminating_decimal(value)
        return format_number(decimal) if decimal is not None else str(value)
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def approximate(value: Fraction, places: int = 4) -> str:
    """A number for a message: exact when short, else rounded with a "≈".

    >>> approximate(Fraction(3375, 34)), approximate(Fraction(89, 10)), approximate(Fraction(10**40))
    ('≈99.2647', '8.9', '1E+40')
    """
    if abs(value) >= 10**15:
        return f"{Decimal(value.numerator) / Decimal(value.denominator):.0E}"
    text = format_number(value)
    if "/" not in text and len(text.split(".")[-1]) <= places + 2:
        return text
    return "≈" + format_number(Rounding(places).apply(value))


def _terminating_decimal(value: Fraction) -> Decimal | None:
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator, twos = denominator // 2, twos + 1
    while denominator % 5 == 0:
        denominator, fives = denominator // 5, fives + 1
    if denominator != 1:
        return None
    places = max(twos, fives)
    return Decimal(value.numerator * 10**places // value.denominator).scaleb(-places)


class RoundingMode(enum.Enum):
    HALF_UP = "half_up"  # ties away from zero, as offices round by hand
    HALF_EVEN = "half_even"
    DOWN = "down"  # truncate toward zero


@frozen
class Rounding:
    """How reported numbers are rounded: once, at output.

    >>> Rounding(2, RoundingMode.HALF_UP).apply(Fraction(89997, 1000))
    Decimal('90.00')
    """

    places: int = field(default=2, validator=validators.instance_of(int))
    mode: RoundingMode = field(default=RoundingMode.HALF_UP, validator=validators.instance_of(RoundingMode))

    def apply(self, value: Fraction) -> Decimal:
        scaled = value * 10**self.places
        whole, remainder = divmod(abs(scaled.numerator), scaled.denominator)
        twice = 2 * remainder
        if self.mode is RoundingMode.HALF_UP:
            up = twice >= scaled.denominator
        elif self.mode is RoundingMode.HALF_EVEN:
            up = twice > scaled.denominator or (twice == scaled.denominator and whole % 2 == 1)
        else:
            up = False
        magnitude = whole + (1 if up else 0)
        # Built from text, so no decimal context can round away digits.
        return Decimal(f"{'-' if scaled < 0 and magnitude else ''}{magnitude}E-{self.places}")
