"""The reference cases: six rounds scored by an independent scorer, to the cent, and one of ours
worked out by hand (07), kept beside the rubric in ``rubrics/ezhou2013.cases/``."""

from __future__ import annotations

import json

import pytest

import rubricdsl
from rubricdsl.io import read_json

from .helpers import ROOT

CASES = sorted(p.stem for p in (ROOT / "rubrics" / "ezhou2013.cases").glob("[0-9][0-9].json"))


def _cents(value) -> str:
    return f"{value:.2f}"


def test_all_cases_are_present():
    """The six reference rounds, and ours (07: full marks, with and without the veto), ship beside the rubric."""
    assert CASES == ["01", "02", "03", "04", "05", "06", "07"]


@pytest.mark.parametrize("case", CASES)
def test_case_agrees_with_the_reference_scorer(ezhou, case):
    """Every unit's total, grade, veto flag, items and groups match the reference answers."""
    folder = ROOT / "rubrics" / "ezhou2013.cases"
    expected = json.loads((folder / f"{case}.expected.json").read_text(encoding="utf-8"))
    cards = rubricdsl.score(ezhou, read_json(folder / f"{case}.json"))
    assert [card.unit_id for card in cards] == list(expected)
    rounding = ezhou.rounding.apply
    for card in cards:
        want = expected[card.unit_id]
        assert card.ok is want["ok"], card.errors
        assert _cents(card.reported_total) == want["total"], card.unit_id
        assert card.grade.name == want["grade"], card.unit_id
        assert card.vetoed is want["vetoed"], card.unit_id
        items = {item_id: _cents(rounding(score.score)) for item_id, score in card.items.items()}
        assert items == want["items"], card.unit_id
        groups = {g.group.id: _cents(rounding(g.score)) for g in card.groups if g.group.id in want["groups"]}
        assert groups == want["groups"], card.unit_id
