"""Horizontal bar charts as inline SVG, for the published report (``report.py``).

A chart is drawn from exact numbers: lengths are worked out as fractions and written to a
tenth of a pixel, so the same numbers always give the same bytes. Labels sit left of their
bars, values at their ends; the scale's ticks run along the top. Text takes the page's font
(the CJK stack of the report's style sheet), and every text is escaped.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from attrs import frozen

from ..numbers import format_number

WIDTH = 680  # A4 portrait less two 15 mm margins, at 96 pixels an inch
_ROW, _BAR, _FONT, _TOP, _GAP = 24, 15, 12, 26, 8


@frozen
class Bar:
    """One bar: its label, its length in the chart's unit, the text at its end, and its class
    (which colours it, e.g. ``g0`` for the best grade)."""

    label: str
    value: Decimal
    text: str
    kind: str = "bar"


@frozen
class Mark:
    """A dashed line across the bars at a value, named (a grade's threshold)."""

    value: Decimal
    name: str


def bar_chart(title: str, bars: Sequence[Bar], marks: Sequence[Mark] = (), top: Decimal | None = None) -> str:
    """An SVG of one bar per row, the scale from 0 to ``top`` (default: a round number above the longest bar).

    >>> svg = bar_chart("总分", [Bar("东区", Decimal("94.5"), "94.50")])
    >>> svg.startswith("<svg") and "东区" in svg and "<script" not in svg
    True
    """
    longest = max((b.value for b in bars), default=Decimal(0))
    scale_top = Fraction(top if top is not None else nice_top(longest))
    scale_top = max(scale_top, Fraction(longest), Fraction(1))
    label_width = min(Fraction(WIDTH, 3), max((_text_width(b.label) for b in bars), default=Fraction(0)))
    label_width += _GAP  # room on the left, so that no label touches the edge
    left = label_width + _GAP
    value_room = min(Fraction(WIDTH, 3), max((_text_width(b.text) for b in bars), default=Fraction(0)) + 12)
    room = Fraction(WIDTH) - left - value_room
    bottom = _TOP + _ROW * len(bars)
    height = bottom + (18 if marks else 6)  # the marks' names go in a strip under the bars

    def x(value: Fraction | Decimal) -> Fraction:
        return left + room * Fraction(value) / scale_top

    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{_e(title)}">',
        f"<title>{_e(title)}</title>",
    ]
    step = tick_step(scale_top)
    tick = Fraction(0)
    while tick <= scale_top:
        at = _px(x(tick))
        out.append(f'<line class="grid" x1="{at}" y1="{_TOP - 6}" x2="{at}" y2="{bottom}"/>')
        out.append(f'<text class="tick" x="{at}" y="{_TOP - 10}" text-anchor="middle">{_number(tick)}</text>')
        tick += step
    for mark in marks:
        if 0 < mark.value <= scale_top:
            at = _px(x(mark.value))
            out.append(f'<line class="mark" x1="{at}" y1="{_TOP - 4}" x2="{at}" y2="{bottom + 2}"/>')
            out.append(
                f'<text class="mark" x="{at}" y="{bottom + 14}" text-anchor="middle">{_e(mark.name)}</text>'
            )
    for row, bar in enumerate(bars):
        y = _TOP + _ROW * row
        middle = _px(Fraction(y) + Fraction(_ROW, 2) + Fraction(_FONT, 3))
        length = x(bar.value) - left
        out.append(
            f'<text class="label" x="{_px(label_width)}" y="{middle}" text-anchor="end">'
            f"{_e(bar.label)}</text>"
        )
        out.append(
            f'<rect class="{_e(bar.kind)}" x="{_px(left)}" y="{_px(Fraction(y) + Fraction(_ROW - _BAR, 2))}" '
            f'width="{_px(length)}" height="{_BAR}"/>'
        )
        out.append(f'<text class="value" x="{_px(x(bar.value) + 4)}" y="{middle}">{_e(bar.text)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def nice_top(value: Decimal) -> Fraction:
    """The scale's end: the first multiple of its tick step at or above ``value``.

    >>> nice_top(Decimal("94.5")), nice_top(Decimal("111.8")), nice_top(Decimal("7.5"))
    (Fraction(100, 1), Fraction(120, 1), Fraction(8, 1))
    """
    exact = max(Fraction(value), Fraction(1))
    step = tick_step(exact)
    return -(-exact // step) * step


def tick_step(top: Fraction) -> Fraction:
    """A round step that puts at most ten ticks on a scale to ``top``: 1, 2, 5, 10, 20, 50, …

    >>> tick_step(Fraction(100)), tick_step(Fraction(8)), tick_step(Fraction(37))
    (Fraction(10, 1), Fraction(1, 1), Fraction(5, 1))
    """
    step = Fraction(1, 10)
    while top / step > 10:
        for factor in (2, Fraction(5, 2), 2):
            step *= factor
            if top / step <= 10:
                break
    return step


def _text_width(text: str) -> Fraction:
    """About how wide a label is drawn: a CJK font draws Chinese, and marks like … and ·, an em wide.

    >>> _text_width("鄂城区"), _text_width("A…")
    (Fraction(36, 1), Fraction(18, 1))
    """
    return sum(
        (Fraction(_FONT) if unicodedata.east_asian_width(ch) in "WFA" else Fraction(_FONT, 2) for ch in text),
        Fraction(0),
    )


def _px(value: Fraction) -> str:
    """A length to a tenth of a pixel, rounded half up; exact, so the same chart gives the same bytes."""
    tenths = (value * 10 + Fraction(1, 2)) // 1
    return f"{tenths // 10}.{tenths % 10}" if tenths % 10 else str(tenths // 10)


def _number(value: Fraction) -> str:
    return format_number(value)


def _e(text: str) -> str:
    return html.escape(text, quote=True)
