"""创新型中小企业评价标准: the shipped rubric written from a published enterprise table, and its
cases worked out by hand."""

from __future__ import annotations

import json

import pytest

import rubricdsl
from rubricdsl.io import read_json
from rubricdsl.model import Cases, Levels

from .helpers import ROOT, run

RUBRIC = ROOT / "rubrics" / "innovative_sme2022.rub"
CASES = ROOT / "rubrics" / "innovative_sme2022.cases"
EXAMPLE = ROOT / "examples" / "innovative-sme-enterprises.json"


@pytest.fixture(scope="module")
def sme() -> rubricdsl.Rubric:
    return rubricdsl.load(RUBRIC)


def test_the_rubric_checks_clean():
    """No error and no warning: the source's defects are resolved in comments."""
    status, out, _ = run("check", RUBRIC)
    assert (status, out.splitlines()[-1]) == (0, f"{RUBRIC}: 0 errors, 0 warnings")


def test_the_rubric_uses_six_constructs_of_the_second_edition(sme):
    """Facts, levels, a decision table, a grade beyond the total (with parentheses), a requirement, a text."""
    assert {f.name for f in sme.facts} == {"revenue", "sector", "award", "honour", "institute", "equity"}
    assert isinstance(sme.item("ip").rule, Levels)
    assert isinstance(sme.item("field").rule, Cases)
    (passing, _) = sme.grades.grades
    assert str(
        passing.condition
    ) == (  # written with parentheses, which "and" binding tighter makes redundant
        "total >= 60 and innovation >= 20 and growth >= 15 and specialisation >= 15"
        " or award or honour or institute or equity >= 500"
    )
    assert "when (total >= 60" in RUBRIC.read_text(encoding="utf-8")
    assert [str(r) for r in sme.item("main_share").requires] == ["require main_revenue <= revenue"]
    edge_rule = "相邻两档共用端点的（如“5%以上”与“3%-5%”），端点值计入较高一档。"
    assert [i.id for i in sme.items() if edge_rule in i.notes] == [
        "rd",
        "revenue_growth",
        "debt",
        "main_share",
    ]
    assert sme.total == sum(part.max_points for part in sme.groups()) == 100


@pytest.mark.parametrize("case", sorted(p.stem for p in CASES.glob("[0-9][0-9].json")))
def test_case_agrees_with_the_answers_worked_by_hand(sme, case):
    """Every enterprise's total, grade, items and parts, or its refusal, as worked out by hand."""
    expected = json.loads((CASES / f"{case}.expected.json").read_text(encoding="utf-8"))
    cards = rubricdsl.score(sme, read_json(CASES / f"{case}.json"))
    assert [card.unit_id for card in cards] == list(expected)
    for card in cards:
        want = expected[card.unit_id]
        assert card.ok is want["ok"], card.errors
        if not card.ok:
            assert [p.code for p in card.errors] == [want["error"]]
            continue
        assert (str(card.reported_total), card.grade.name, card.vetoed) == (
            want["total"],
            want["grade"],
            want["vetoed"],
        )
        items = {i: f"{sme.rounding.apply(s.score):.2f}" for i, s in card.items.items()}
        assert items == want["items"], card.unit_id
        parts = {g.group.id: f"{sme.rounding.apply(g.score):.2f}" for g in card.groups}
        assert parts == want["groups"], card.unit_id


def test_a_direct_route_passes_whatever_the_score():
    """庚 and 辛 score alike, 75 with innovation 15; only 庚's 600万 of equity makes it 符合."""
    cards = {c.unit_id: c for c in rubricdsl.score(rubricdsl.load(RUBRIC), read_json(EXAMPLE))}
    assert (cards["庚软件"].total, cards["辛医疗"].total) == (75, 75)
    assert (cards["庚软件"].grade.name, cards["辛医疗"].grade.name) == ("符合", "不符合")


def test_main_revenue_above_revenue_is_refused_and_the_others_scored():
    """己贸易 reports more main-business revenue than revenue: E407 naming both; seven others scored."""
    status, out, _ = run("score", RUBRIC, EXAMPLE, "--format", "json")
    units = json.loads(out)["units"]
    assert status == 1
    refused = [u for u in units if u["errors"]]
    assert [u["id"] for u in refused] == ["己贸易"]
    (problem,) = refused[0]["errors"]
    assert problem["code"] == "E407"
    assert "main_revenue = 3500 and revenue = 3000" in problem["message"]
    assert sum(1 for u in units if u["total"] is not None) == 7
