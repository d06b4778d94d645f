"""rubricdsl test: a rubric's known cases, scored and compared, and what they reach."""

from __future__ import annotations

import json

import pytest

from .helpers import GOLDEN, ROOT, run, same_as_golden

SHIPPED = sorted(ROOT.glob("rubrics/*.rub"))


def small_copy(folder):
    """The small rubric of the golden run and its round, copied into ``folder``: its source, and its cases."""
    source = GOLDEN / "test"
    (folder / "small.rub").write_text((source / "small.rub").read_text(encoding="utf-8"), encoding="utf-8")
    cases = folder / "small.cases"
    cases.mkdir()
    (cases / "01.json").write_text((source / "small.cases" / "01.json").read_text("utf-8"), encoding="utf-8")
    return source, cases


@pytest.mark.parametrize("rubric", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_rubric_passes_its_cases_and_reaches_everything(rubric):
    """Each shipped rubric has cases beside it; all agree, and they reach every band, row, rule, veto and grade."""
    status, out, err = run("test", rubric, "--coverage", "--fail-under", "100")
    assert (status, err) == (0, ""), out
    assert "difference" not in out
    assert out.splitlines()[-1].startswith("coverage: ") and out.splitlines()[-1].endswith("(100.0%)")


def test_a_case_that_disagrees_is_reported_with_the_rule_behind_it(monkeypatch):
    """The grade and the item that differ, what was expected, the rule and line that gave the score,
    and what no case reaches; exit 1 (checked by eye)."""
    monkeypatch.chdir(GOLDEN / "test")
    status, out, _ = run("test", "small.rub", "--coverage")
    assert status == 1
    same_as_golden(GOLDEN / "test" / "small.test.txt", out)


def test_fail_under_fails_a_run_whose_cases_agree_but_reach_too_little(tmp_path):
    """Cases that agree, reaching 6 of 8 targets: exit 0 at 75%, 1 at 80%."""
    source, cases = small_copy(tmp_path)
    answers = json.loads((source / "small.cases" / "01.expected.json").read_text("utf-8"))
    answers["乙"].update(grade="B", items={"rate": "3.00", "work": "4.00"})
    (cases / "01.expected.json").write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    assert run("test", tmp_path / "small.rub", "--fail-under", "75")[0] == 0
    status, out, _ = run("test", tmp_path / "small.rub", "--fail-under", "80")
    assert status == 1 and "coverage: 6 of 8 (75.0%)" in out


def test_a_rubric_without_cases_is_said_so(tmp_path):
    """No folder of cases beside the rubric: exit 2, naming the folder it looked for."""
    rubric = tmp_path / "lone.rub"
    rubric.write_text('rubric "t" { item a "甲" points 1 { judged } }', encoding="utf-8")
    status, _, err = run("test", rubric)
    assert status == 2 and f"{tmp_path / 'lone.cases'}: no such folder of cases" in err


def test_a_unit_expected_refused_must_be_refused_with_that_code(tmp_path):
    """{"ok": false, "error": "E407"} agrees only with a unit refused for E407."""
    rubric = tmp_path / "r.rub"
    rubric.write_text(
        'rubric "t" { item a "甲" points 5 { input x count input y count require x <= y deduct 1 per x } }',
        encoding="utf-8",
    )
    cases = tmp_path / "r.cases"
    cases.mkdir()
    units = [{"id": "u", "values": {"a": {"x": 3, "y": 1}}}, {"id": "v", "values": {"a": {"x": 1, "y": 1}}}]
    (cases / "01.json").write_text(json.dumps({"units": units}), encoding="utf-8")
    answers = {"u": {"ok": False, "error": "E407"}, "v": {"ok": False, "error": "E407"}}
    (cases / "01.expected.json").write_text(json.dumps(answers), encoding="utf-8")
    status, out, _ = run("test", rubric)
    assert status == 1
    assert "v: result is scored, expected refused (E407)" in out and "u:" not in out


def test_a_misspelt_answer_key_is_a_difference_and_a_bad_percentage_an_error(tmp_path):
    """'itmes' for 'items' is reported, not silently passed; --fail-under abc is refused by the CLI."""
    _, cases = small_copy(tmp_path)
    answers = {"甲": {"ok": True, "total": "9.00", "itmes": {}}, "乙": {"ok": True, "total": "7.00"}}
    (cases / "01.expected.json").write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    status, out, _ = run("test", tmp_path / "small.rub")
    assert status == 1 and "甲: answer key 'itmes' is unknown" in out
    with pytest.raises(SystemExit):
        run("test", tmp_path / "small.rub", "--fail-under", "abc")
