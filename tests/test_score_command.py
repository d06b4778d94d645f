"""`rubricdsl score` on the shipped examples: a readable table, the JSON contract, exit statuses."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest

from rubricdsl.cli import main
from rubricdsl.source import display_width

from .helpers import EZHOU, GOLDEN, HEALTH, ROOT, run, same_as_golden

EXAMPLE = ROOT / "examples" / "ezhou2013-districts.json"


def test_table_matches_golden():
    """The default table for the example round is what a person checked by eye."""
    status, out, err = run("score", EZHOU, EXAMPLE)
    assert (status, err) == (0, "")
    same_as_golden(GOLDEN / "ezhou2013-districts.table.txt", out)


def test_explain_matches_golden():
    """--explain lists, per unit, each item that lost points with the measure, band and line."""
    status, out, _ = run("score", EZHOU, EXAMPLE, "--explain")
    assert status == 0
    same_as_golden(GOLDEN / "ezhou2013-districts.explain.txt", out)
    assert "shortfall = 14.25 → (10..20] deduct 6..9 linear  line 40" in out


def test_json_matches_golden():
    """The JSON output for the example round is what a person checked by eye."""
    status, out, _ = run("score", EZHOU, EXAMPLE, "--format", "json")
    assert status == 0
    same_as_golden(GOLDEN / "ezhou2013-districts.json", out)


def test_table_columns_line_up():
    """Every row of the table has the same display width up to the end of the total column."""
    _, out, _ = run("score", EZHOU, EXAMPLE)
    rows = out.splitlines()[2:10]
    ends = {display_width(row[: row.rindex(".") + 3]) for row in rows[2:]}
    assert len(ends) == 1, rows


def test_json_follows_the_contract():
    """Units in input order with total, grade, veto flag, items and groups; numbers at most 2 places."""
    _, out, _ = run("score", EZHOU, EXAMPLE, "--format", "json")
    assert "\\u" not in out and "鄂城区" in out
    document = json.loads(out, parse_float=Decimal)
    source = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    units = document["units"]
    assert [u["id"] for u in units] == [u["id"] for u in source["units"]]
    for unit in units:
        assert set(unit) >= {"id", "total", "grade", "vetoed", "vetoes", "items", "groups", "errors"}
        assert set(unit["groups"]) >= {
            "product",
            "engineering",
            "service",
            "macro",
            "supervision",
            "infrastructure",
        }
        assert len(unit["items"]) == 24
        numbers = [unit["total"]] + [v["score"] for v in unit["items"].values()]
        assert all(isinstance(n, (int, Decimal)) and Decimal(n).as_tuple().exponent >= -2 for n in numbers)
    vetoed = [u for u in units if u["vetoed"]]
    assert [(u["id"], u["grade"], u["vetoes"]) for u in vetoed] == [
        ("红莲湖旅游度假区", "D", ["systemic_incident"])
    ]


def test_module_and_console_script_entry_points():
    """``python -m rubricdsl`` runs the same command line, with UTF-8 output whatever the locale."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    done = subprocess.run(
        [sys.executable, "-m", "rubricdsl", "score", str(EZHOU), str(EXAMPLE)], capture_output=True, env=env
    )
    assert done.returncode == 0
    assert "鄂城区" in done.stdout.decode("utf-8")


def test_usage_errors_exit_2():
    """A missing argument is a usage error: exit 2 with argparse's message."""
    with pytest.raises(SystemExit) as raised:
        main(["score", str(EZHOU)], stdout=io.StringIO(), stderr=io.StringIO())
    assert raised.value.code == 2


def test_every_scored_section_gets_a_column(tmp_path):
    """Top-level items, and groups that mix items with subgroups, all show in the table."""
    rubric = tmp_path / "mixed.rub"
    rubric.write_text(
        """rubric "混合" {
          item top "单项" points 10 { judged }
          group g "组" points 20 {
            item a "甲" points 10 { judged }
            group inner "内组" points 10 { item b "乙" points 10 { judged } }
          }
        }""",
        encoding="utf-8",
    )
    data = tmp_path / "round.json"
    data.write_text(json.dumps({"units": [{"id": "甲单位", "scores": {"top": 7, "a": 8, "b": 9}}]}), "utf-8")
    status, out, _ = run("score", rubric, data)
    assert status == 0
    lines = out.splitlines()
    assert lines[2].split() == ["单位", "top", "g", "总分"]  # no grades, no grade column
    assert lines[3].split() == ["满分", "10", "20", "30"]
    assert lines[4].split() == ["甲单位", "7.00", "17.00", "24.00"]


def test_empty_round_still_shows_the_maximum(tmp_path):
    """With no units the table still shows each column's maximum and the total's."""
    data = tmp_path / "round.json"
    data.write_text('{"targets": {}, "units": []}', encoding="utf-8")
    rubric = tmp_path / "one.rub"
    rubric.write_text('rubric "t" { total 10 item a "甲" points 10 { judged } }', encoding="utf-8")
    _, out, _ = run("score", rubric, data)
    assert out.splitlines()[3].split() == ["满分", "10", "10"]


def test_explain_says_when_a_unit_was_not_scored(tmp_path):
    """--explain does not claim an unscored unit lost nothing."""
    rubric = tmp_path / "one.rub"
    rubric.write_text('rubric "t" { item a "甲" points 10 { judged } }', encoding="utf-8")
    data = tmp_path / "round.json"
    data.write_text('{"units": [{"id": "甲单位", "scores": {}}]}', encoding="utf-8")
    status, out, _ = run("score", rubric, data, "--explain")
    assert status == 1
    assert "甲单位: 失分\n  未评分 (see the errors above)" in out
    assert "甲单位: error[E402]: scores.a: missing the assessor's score for 甲" in out


CENTRES = ROOT / "examples" / "health-supervision-centres.json"


def test_bonus_table_matches_golden():
    """With bonus points, the table shows base+bonus per group and base, bonus and total per unit."""
    status, out, err = run("score", HEALTH, CENTRES, "--explain")
    assert (status, err) == (0, "")
    same_as_golden(GOLDEN / "health-supervision-centres.explain.txt", out)
    heading = out.splitlines()[2].split()
    assert heading[-3:] == ["基础分", "奖励分", "总分"] and "等级" not in heading


def test_bonus_json_reports_base_bonus_and_total():
    """In JSON a rubric with bonus points reports base, bonus and total per unit and per group."""
    _, out, _ = run("score", HEALTH, CENTRES, "--format", "json")
    same_as_golden(GOLDEN / "health-supervision-centres.json", out)
    unit = json.loads(out, parse_float=Decimal)["units"][2]
    assert (unit["base"], unit["bonus"], unit["total"], unit["bonus_max"]) == (
        Decimal("99.8"),
        12,
        Decimal("111.8"),
        12,
    )
    assert unit["groups"]["reporting"] == {
        "score": 23,
        "max": 23,
        "bonus": 7,
        "bonus_max": 7,  # declared 10, but 7 is all its items can give
        "total": 30,
        "capped": False,
    }
