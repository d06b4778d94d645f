"""rubricdsl: scoring rubrics written as text, compiled and scored exactly.

>>> import rubricdsl
>>> rubric = rubricdsl.loads('rubric "考核" { total 10 item a "甲" points 10 { judged } }')
>>> rubricdsl.score(rubric, {"units": [{"id": "鄂城区", "scores": {"a": 7.5}}]})[0].total
Fraction(15, 2)
"""

from __future__ import annotations

import os
from importlib.metadata import version
from typing import Any

from .analysis import validate
from .frontend import check_file, load, loads
from .io import bind_round, read_round
from .model import Rubric
from .problems import DataError, EvaluationError, Problem, RubricError
from .scoring import GroupScore, ItemScore, Scorecard, score_item, score_round, score_unit

__version__ = version("rubricdsl")

Diagnostic = Problem  # the name 0.1 gave a rubric's problems


def score(rubric: Rubric, document: Any) -> list[Scorecard]:
    """Score a round given as the data contract's document (a dict, as parsed from JSON).

    Raises ``DataError`` when nothing can be scored; each unit's own problems are in
    its scorecard's ``errors``.

    >>> rubric = loads('rubric "t" { item a "甲" points 5 { judged } }')
    >>> [(c.unit_id, c.total, [p.code for p in c.errors]) for c in score(rubric, {"units": [
    ...     {"id": "东区", "scores": {"a": 4}}, {"id": "西区", "scores": {"a": 6}}]})]
    [('东区', Fraction(4, 1), []), ('西区', None, ['E315'])]
    """
    return score_round(rubric, bind_round(rubric, document))


def score_file(rubric: Rubric, path: str | os.PathLike[str]) -> list[Scorecard]:
    """Read a round's data file (JSON) and score every unit in it.

    Raises ``DataError`` when nothing can be scored.

    >>> cards = score_file(load("rubrics/ezhou2013.rub"), "examples/ezhou2013-districts.json")
    >>> cards[0].unit_id, str(cards[0].reported_total), cards[0].grade.name
    ('鄂城区', '94.00', 'A')
    """
    return score_round(rubric, read_round(rubric, path))


__all__ = [
    "DataError",
    "Diagnostic",
    "EvaluationError",
    "GroupScore",
    "ItemScore",
    "Problem",
    "Rubric",
    "RubricError",
    "Scorecard",
    "check_file",
    "load",
    "loads",
    "read_round",
    "score",
    "score_file",
    "score_item",
    "score_round",
    "score_unit",
    "validate",
]
