"""Fixtures, hypothesis profiles, and a check that every rubric a test parses prints back and
formats without changing what it says."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import rubricdsl
import rubricdsl.frontend
import rubricdsl.language
from rubricdsl.compile import compile_tree
from rubricdsl.language import comments, format_tree, same_tree, unparse
from rubricdsl.language.syntax import Rubric as Tree
from rubricdsl.model import Rubric
from rubricdsl.problems import Problem
from rubricdsl.source import Source

from .helpers import EZHOU, QUANTITATIVE

# dev: quick enough to run on every change; ci: more examples, and the seed printed to replay a failure.
settings.register_profile(
    "dev", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True, scope="session")
def every_parsed_rubric_prints_back() -> Iterator[None]:
    """Every rubric any test parses prints back from its syntax tree byte for byte."""
    parse = rubricdsl.language.parse

    def parse_and_print(source: Source) -> tuple[Tree | None, list[Problem]]:
        tree, found = parse(source)
        if tree is not None:
            assert unparse(tree) == source.text, f"{source.path} does not print back"
            formats_alike(tree, source, parse)
        return tree, found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rubricdsl.frontend, "parse", parse_and_print)
        patch.setattr(rubricdsl.language, "parse", parse_and_print)
        yield


def formats_alike(
    tree: Tree, source: Source, parse: Callable[[Source], tuple[Tree | None, list[Problem]]]
) -> None:
    """fmt keeps what the rubric says (its syntax tree, and its model where it compiles), its lines and
    comments, and formats its own output the same."""
    formatted = format_tree(tree, source.text)
    again, _ = parse(Source(source.path, formatted))
    assert again is not None and same_tree(again, tree), f"fmt changes what {source.path} says"
    assert format_tree(again, formatted) == formatted, f"fmt is not idempotent on {source.path}"
    assert [a.comment.text for a in comments(again)] == [a.comment.text.rstrip() for a in comments(tree)]
    try:
        before = compile_tree(tree).rubric
    except RecursionError:
        return
    assert compile_tree(again).rubric == before, f"fmt changes the model of {source.path}"


@pytest.fixture(scope="session")
def ezhou() -> Rubric:
    return rubricdsl.load(EZHOU)


@pytest.fixture(scope="session")
def full_marks(ezhou: Rubric) -> dict[str, Any]:
    """A round where the one unit reaches every target and gets every judged point."""
    judged = {item.id: item.points for item in ezhou.items() if item.id not in QUANTITATIVE}
    return {
        "targets": dict.fromkeys(QUANTITATIVE, 90),
        "units": [
            {"id": "鄂城区", "values": dict.fromkeys(QUANTITATIVE, 90), "scores": judged, "vetoes": []}
        ],
    }


@pytest.fixture
def score_one(ezhou: Rubric, full_marks: dict[str, Any]) -> Callable[..., rubricdsl.Scorecard]:
    """Score one unit: full marks, changed by the given targets, values, scores and vetoes."""

    def score(
        targets: dict[str, Any] | None = None,
        values: dict[str, Any] | None = None,
        scores: dict[str, Any] | None = None,
        vetoes: list[str] | None = None,
    ) -> rubricdsl.Scorecard:
        unit = full_marks["units"][0]
        document = {
            "targets": {**full_marks["targets"], **(targets or {})},
            "units": [
                {
                    "id": unit["id"],
                    "values": {**unit["values"], **(values or {})},
                    "scores": {**unit["scores"], **(scores or {})},
                    "vetoes": vetoes or [],
                }
            ],
        }
        (card,) = rubricdsl.score(ezhou, document)
        return card

    return score
