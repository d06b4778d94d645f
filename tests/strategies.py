"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st


def decimals(low: str, high: str, places: int = 2) -> st.SearchStrategy[Decimal]:
    """Exact decimals from ``low`` to ``high`` with at most ``places`` places, as a data file spells them."""
    scale = 10**places
    return st.integers(int(Decimal(low) * scale), int(Decimal(high) * scale)).map(
        lambda n: Decimal(n).scaleb(-places)
    )


percentages = decimals("0", "100")
targets = decimals("0.01", "100")
