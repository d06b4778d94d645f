"""score --explain --unit ID: one unit's whole scorecard, for the unit that asks why it lost points."""

from __future__ import annotations

import pytest

from .helpers import EZHOU, GOLDEN, ROOT, run, same_as_golden

SME = ROOT / "rubrics" / "innovative_sme2022.rub"
ENTERPRISES = ROOT / "examples" / "innovative-sme-enterprises.json"
DISTRICTS = ROOT / "examples" / "ezhou2013-districts.json"


@pytest.mark.parametrize(
    ("rubric", "data", "unit", "golden"),
    [
        (SME, ENTERPRISES, "庚软件", "sme-geng.txt"),  # levels, a decision table, facts, a pass rule
        (EZHOU, DISTRICTS, "葛店开发区", "ezhou-gedian.txt"),  # a group capped at its points
        (EZHOU, DISTRICTS, "红莲湖旅游度假区", "ezhou-honglianhu.txt"),  # a veto forcing the grade
    ],
)
def test_one_units_whole_scorecard(rubric, data, unit, golden):
    """Every part and item in order: points, inputs, measures, the rule and its line, deductions, the
    standard; caps, vetoes, total and grade (checked by eye)."""
    status, out, err = run("score", rubric, data, "--explain", "--unit", unit)
    assert (status, err) == (0, "")
    same_as_golden(GOLDEN / "explain" / golden, out)


def test_a_refused_unit_shows_what_was_scored_and_why_it_was_not():
    """己贸易 breaks a requirement: its report ends with the problem, exit 1."""
    status, out, _ = run("score", SME, ENTERPRISES, "--explain", "--unit", "己贸易")
    assert status == 1
    assert out.splitlines()[-2:] == [
        "未评分:",
        "  error[E407]: values.main_share: 上年度主营业务收入总额占营业收入总额比重 requires main_revenue <= "
        "revenue (主营业务收入是营业收入的一部分，不能超过营业收入总额), but main_revenue = 3500 and revenue = 3000",
    ]


def test_an_unknown_unit_is_named_with_the_nearest():
    """A misspelt id: exit 2, with the unit it is nearest to."""
    status, out, err = run("score", SME, ENTERPRISES, "--explain", "--unit", "庚软")
    assert (status, out) == (2, "")
    assert "no unit '庚软'; did you mean '庚软件'?" in err
