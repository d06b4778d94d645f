"""``rubricdsl check``: one golden broken rubric per diagnostic code, the shipped rubrics, mutations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rubricdsl.problems import CODES

from .helpers import EZHOU, GOLDEN, HEALTH, ROOT, run, same_as_golden

DIAGNOSTICS = GOLDEN / "diagnostics"


def check(*argv: str | Path) -> tuple[int, str]:
    status, out, _ = run("check", *argv)
    return status, out


RUBRIC_CODES = sorted(code for code in CODES if code[1] in "012")  # E3xx and E4xx are about data


@pytest.mark.parametrize("code", RUBRIC_CODES)
def test_every_code_has_a_golden_rubric(code, monkeypatch):
    """Each code's small broken rubric gives exactly that diagnostic, rendered as checked by eye."""
    monkeypatch.chdir(DIAGNOSTICS)
    status, out = check(f"{code}.rub")
    same_as_golden(DIAGNOSTICS / f"{code}.txt", out)
    assert f"[{code}]" in out.splitlines()[0]
    assert status == (2 if code == "E005" else 1 if code.startswith("E") else 0)


def test_no_golden_rubric_without_a_code():
    """The golden folder holds one rubric per registered code and nothing else."""
    assert sorted(p.stem for p in DIAGNOSTICS.glob("*.rub")) == RUBRIC_CODES


def test_ezhou_has_exactly_one_warning():
    """Ezhou's only finding is group 4's points: 16 declared, 18 in its items."""
    status, out = check(EZHOU, "--format", "json")
    (only,) = json.loads(out)["diagnostics"]
    assert status == 0
    assert (only["code"], only["severity"], only["line"]) == ("W101", "warning", 128)
    assert only["message"] == "group 'macro' declares 16 points but its items add up to 18"


def test_health_supervision_has_exactly_one_warning():
    """The health rubric's only finding is group 六's bonus: 10 declared, 7 its items allow."""
    status, out = check(HEALTH, "--format", "json")
    (only,) = json.loads(out)["diagnostics"]
    assert status == 0
    assert (only["code"], only["message"]) == (
        "W102",
        "group 'reporting' declares 10 bonus points but its items allow 7",
    )


def test_strict_turns_warnings_into_failure():
    """With --strict a rubric with only warnings fails."""
    assert check(EZHOU)[0] == 0
    assert check(EZHOU, "--strict")[0] == 1


def test_several_files_and_an_unreadable_one(tmp_path):
    """All files are checked; one that cannot be read makes the exit status 2."""
    status, out = check(EZHOU, tmp_path / "missing.rub", HEALTH)
    assert status == 2
    assert f"{EZHOU}: 0 errors, 1 warning" in out and f"{HEALTH}: 0 errors, 1 warning" in out
    assert "missing.rub: error[E005]: cannot read the rubric" in out


def test_text_summary_line():
    """Text output ends each file with its count of errors and warnings."""
    assert check(EZHOU)[1].splitlines()[-1] == f"{EZHOU}: 0 errors, 1 warning"


MUTATIONS = [
    # (what an editor did, before, after, code, line, witness in the message)
    ("moved a band edge, opening a gap", "(1..3]    deduct 2", "(1.5..3]  deduct 2", "E201", 38, "shortfall = 1.5"),
    ("made two bands share an edge", "(1..3]    deduct 2", "[1..3]    deduct 2", "E202", 38, "shortfall = 1 falls in two bands of 制造业产品质量合格率 (manufacturing_pass_rate)"),
    ("closed a completion band on both sides", "[90..100)  deduct 2\n", "[90..100]  deduct 2\n", "E202", 56, "completion = 100"),
    ("moved a completion edge", "[80..90)   deduct 3\n", "[80..89)   deduct 3\n", "E201", 56, "completion = 89"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("what", "before", "after", "code", "line", "witness"), MUTATIONS, ids=[m[0] for m in MUTATIONS]
)
def test_mutating_ezhou_gives_a_located_error_with_a_witness(
    tmp_path, what, before, after, code, line, witness
):
    """A hand edit that breaks a band table is an error at its line, naming a value that shows it."""
    text = EZHOU.read_text(encoding="utf-8")
    assert before in text
    broken = tmp_path / "ezhou.rub"
    broken.write_text(text.replace(before, after, 1), encoding="utf-8")
    status, out = check(broken, "--format", "json")
    errors = [d for d in json.loads(out)["diagnostics"] if d["severity"] == "error"]
    assert status == 1
    assert (errors[0]["code"], errors[0]["line"]) == (code, line)
    assert witness in errors[0]["message"]


def test_swapping_two_deductions_breaks_monotonicity(tmp_path):
    """Swapping 扣2分 and 扣5分 makes a worse shortfall score more: the error names both values and scores."""
    text = EZHOU.read_text(encoding="utf-8")
    swapped = text.replace("(1..3]    deduct 2", "(1..3]    deduct 5", 1).replace(
        "(3..10]   deduct 5", "(3..10]   deduct 2", 1
    )
    broken = tmp_path / "ezhou.rub"
    broken.write_text(swapped, encoding="utf-8")
    status, out = check(broken, "--format", "json")
    (found,) = [d for d in json.loads(out)["diagnostics"] if d["severity"] == "error"]
    assert status == 1
    assert (found["code"], found["line"], found["witnesses"]) == ("E203", 39, ["3", "31/10"])
    assert (
        found["message"]
        == "in 制造业产品质量合格率 (manufacturing_pass_rate), shortfall = 3.1 scores 8, more than the better shortfall = 3, which scores 5 (line 38)"
    )


def test_score_refuses_a_rubric_that_check_fails(tmp_path):
    """score will not score with a rubric that has errors: exit 2 and the diagnostics."""
    broken = tmp_path / "ezhou.rub"
    broken.write_text(
        EZHOU.read_text(encoding="utf-8").replace("(1..3]    deduct 2", "(1.5..3]  deduct 2", 1), "utf-8"
    )
    status, _, err = run("score", broken, ROOT / "examples" / "ezhou2013-districts.json")
    assert status == 2
    assert (
        "error[E201]: no band of 制造业产品质量合格率 (manufacturing_pass_rate) takes shortfall = 1.5" in err
    )


def test_the_diagnostics_reference_shows_every_golden_case():
    """docs/diagnostics.rst has a section per code that includes its golden rubric and output."""
    text = (ROOT / "docs" / "diagnostics.rst").read_text(encoding="utf-8")
    for code, summary in CODES.items():
        assert f"{code}: {summary}" in text
        folder = "diagnostics" if code in RUBRIC_CODES else "data-problems"
        assert f"golden/{folder}/{code}.txt" in text
