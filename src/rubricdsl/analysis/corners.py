"""An expression at the corners of its inputs' domains: real inputs, and what they give.

Used to show the inputs behind a finding (a formula that leaves the item's points, a gap
the inputs reach), never to prove one: proofs are interval arithmetic (``prove.py``).
"""

from __future__ import annotations

import itertools
from fractions import Fraction

from ..model import Expr, Item
from ..model.expressions import names
from ..numbers import format_number

MAX_CORNERS = 64  # six inputs; beyond, no corners are tried


def corners(item: Item, expr: Expr) -> list[tuple[dict[str, Fraction], Fraction]] | None:
    """Each combination of its inputs' lowest and highest values, and what the expression gives there;
    None when it reads anything but inputs with closed, bounded domains.

    >>> from rubricdsl import loads
    >>> item = loads('rubric "t" { item a "甲" points 10 { input v percent score = v / 10 } }').item("a")
    >>> [(env["v"], value) for env, value in corners(item, item.rule.expr)]
    [(Fraction(0, 1), Fraction(0, 1)), (Fraction(100, 1), Fraction(10, 1))]
    """
    inputs = {i.name: i for i in item.all_inputs}
    read = list(dict.fromkeys(names(expr)))
    if not read or any(n not in inputs for n in read) or 2 ** len(read) > MAX_CORNERS:
        return None
    ends: list[tuple[Fraction, Fraction]] = []
    for name in read:
        domain = inputs[name].domain
        if domain.lower is None or domain.upper is None or not (domain.lower_closed and domain.upper_closed):
            return None
        ends.append((domain.lower, domain.upper))
    found = []
    for combination in itertools.product(*ends):
        env = dict(zip(read, combination, strict=True))
        try:
            found.append((env, expr.evaluate(env)))
        except ZeroDivisionError:
            continue
    return found


def shown(env: dict[str, Fraction]) -> str:
    """Inputs as a finding names them: ``target = 0, value = 100``."""
    return ", ".join(f"{name} = {format_number(value)}" for name, value in env.items())
