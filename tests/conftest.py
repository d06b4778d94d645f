"""Shared fixtures: the shipped rubric, paths, and a builder for Ezhou units."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import rubricdsl
from rubricdsl.model import Rubric

ROOT = Path(__file__).resolve().parent.parent
EZHOU = ROOT / "rubrics" / "ezhou2013.rub"
DATA = Path(__file__).resolve().parent / "data"

QUANTITATIVE = (
    "manufacturing_pass_rate",
    "food_drug_pass_rate",
    "agri_product_pass_rate",
    "construction_acceptance_rate",
    "service_satisfaction",
)


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
