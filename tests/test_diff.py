"""rubricdsl diff: what next year's rubric changes, each change at both places, and its impact on a round."""

from __future__ import annotations

import json

import rubricdsl
from rubricdsl.changes import changes

from .helpers import EZHOU, GOLDEN, ROOT, run, same_as_golden

EXAMPLE = ROOT / "rubrics" / "ezhou2014-example.rub"
DISTRICTS = ROOT / "examples" / "ezhou2013-districts.json"


def test_the_example_next_year_diffs_into_a_list_a_person_can_act_on(monkeypatch):
    """Ezhou 2013 against the illustrative 2014: every change at both lines, and the two districts it
    moves, through which items (checked by eye)."""
    monkeypatch.chdir(ROOT)
    status, out, err = run(
        "diff",
        "rubrics/ezhou2013.rub",
        "rubrics/ezhou2014-example.rub",
        "--data",
        "examples/ezhou2013-districts.json",
    )
    assert (status, err) == (0, "")
    same_as_golden(GOLDEN / "diff" / "ezhou2014-example.txt", out)


def test_the_diff_as_json_has_both_places_and_exact_numbers():
    """--format json: each change with its old and new path and line; each moved unit with decimals."""
    status, out, _ = run("diff", EZHOU, EXAMPLE, "--data", DISTRICTS, "--format", "json")
    record = json.loads(out)
    assert status == 0
    band = next(c for c in record["changes"] if c["subject"] == "item manufacturing_pass_rate")
    assert band == {
        "sign": "~",
        "subject": "item manufacturing_pass_rate",
        "what": "band (0..1]: deduct 1 → deduct 2",
        "old": {"path": str(EZHOU), "line": 37},
        "new": {"path": str(EXAMPLE), "line": 41},
    }
    (huarong,) = [u for u in record["impact"] if u["unit"] == "华容区"]
    assert (huarong["old_total"], huarong["new_total"]) == (79.5, 78.5)
    assert huarong["items"][0]["item"] == "manufacturing_pass_rate"


def diffed(old: str, new: str) -> list[tuple[str, str, str]]:
    return [(c.sign, c.subject, c.what) for c in changes(rubricdsl.loads(old), rubricdsl.loads(new))]


def test_a_renamed_id_is_matched_by_its_title():
    """An id changed, the title kept: one rename, not a removal and an addition."""
    before = 'rubric "t" { item plan "规划" points 3 { judged } }'
    after = 'rubric "t" { item planning "规划" points 3 { judged } }'
    assert diffed(before, after) == [("~", "item planning", "renamed from plan")]


def test_items_added_and_removed_and_bands_added():
    """A new item, a dropped one, and a table that gained a band."""
    before = (
        'rubric "t" { item a "甲" points 5 { input v percent bands v, lower is worse { [90..100] full [0..90) zero } } '
        'item b "乙" points 5 { judged } }'
    )
    after = (
        'rubric "t" { item a "甲" points 5 { input v percent bands v, lower is worse '
        "{ [90..100] full [80..90) deduct 2 [0..80) zero } } "
        'item c "丙" points 5 { judged } }'
    )
    assert diffed(before, after) == [
        ("~", "item a", "band [0..90) zero → [80..90) deduct 2"),
        ("+", "item a", "band [0..80) zero"),
        ("+", "item c", "丙, 5 points"),
        ("-", "item b", "乙, 5 points"),
    ]


def test_levels_facts_tags_grades_and_vetoes_changed():
    """The second edition's constructs are compared too: a level, a fact, a tag, a grade's condition, a veto."""
    before = (
        'rubric "t" { fact level "级" category { 市 县 } tag core "核" grades { A >= 9 B } '
        'item a "甲" points 10 tag core { levels { 好 full 差 zero } } veto v "事" { grade B } }'
    )
    after = (
        'rubric "t" { fact level "级" category { 市 县 乡 } tag key "关" grades { A >= 9 when count(key) > 0 B } '
        'item a "甲" points 10 tag key { levels { 好 full 中 score 5 差 zero } } veto v "事" { grade at most B } }'
    )
    assert diffed(before, after) == [
        ("+", "item a", "level 中 score 5"),
        ("~", "item a", "tags core → key"),
        ("~", "fact level", '"级" category { 市 县 } → "级" category { 市 县 乡 }'),
        ("+", "tag key", "关"),
        ("-", "tag core", "核"),
        ("~", "grade A", ">= 9 → >= 9 when count(key) > 0"),
        ("~", "veto v", "grade B → grade at most B"),
    ]


def test_what_changes_scores_without_changing_words_is_reported():
    """Rows reordered in a decision table (the first that holds wins), and what an item scores when it
    does not apply: both change scores, so both are changes."""
    before = (
        'rubric "t" { item a "甲" points 5 { input n count applies when n > 0 else full '
        "cases { full when n >= 5  score 2 when n >= 1  zero otherwise } } }"
    )
    after = (
        'rubric "t" { item a "甲" points 5 { input n count applies when n > 0 else zero '
        "cases { score 2 when n >= 1  full when n >= 5  zero otherwise } } }"
    )
    assert diffed(before, after) == [
        ("~", "item a", "rows reordered: the first that holds wins"),
        ("~", "item a", "applies when n > 0 (else full) → n > 0 (else zero)"),
    ]
