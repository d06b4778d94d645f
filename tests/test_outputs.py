"""score -o FILE: the scorecards as JSON, JSON lines, CSV or Markdown by the file's suffix, ranked."""

from __future__ import annotations

import csv
import json

import pytest

from .helpers import EZHOU, ROOT, run

DISTRICTS = ROOT / "examples" / "ezhou2013-districts.json"


def test_the_csv_has_the_flat_layout_ranked_and_opens_in_excel(tmp_path):
    """A byte-order mark for Excel; id, rank, total, grade, grade_label, vetoed, items, groups, problem;
    ranks by total, the vetoed district ranked by its total too."""
    target = tmp_path / "scores.csv"
    assert run("score", EZHOU, DISTRICTS, "-o", target)[:2] == (0, "")
    raw = target.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert list(rows[0])[:7] == [
        "id",
        "rank",
        "total",
        "grade",
        "grade_label",
        "vetoed",
        "item.manufacturing_pass_rate",
    ]
    assert list(rows[0])[-1] == "problem"
    assert [(r["id"], r["rank"], r["total"]) for r in rows][:2] == [
        ("鄂城区", "1", "94.00"),
        ("华容区", "4", "79.50"),
    ]
    assert sorted(int(r["rank"]) for r in rows) == [1, 2, 3, 4, 5, 6]


def test_ties_share_a_rank_and_refused_units_have_none(tmp_path):
    """Two units at 5 share rank 1, the next is 3 (并列); a refused unit has no rank, and its problem."""
    rubric = tmp_path / "t.rub"
    rubric.write_text('rubric "t" { item a "甲" points 5 { judged } }', encoding="utf-8")
    data = tmp_path / "r.json"
    units = [{"id": i, "scores": {"a": s}} for i, s in zip("abcd", [5, 5, 4, 9], strict=True)]
    data.write_text(json.dumps({"units": units}), encoding="utf-8")
    target = tmp_path / "scores.jsonl"
    status, _, _ = run("score", rubric, data, "-o", target)
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert status == 1
    assert [(r["id"], r["rank"]) for r in records] == [("a", 1), ("b", 1), ("c", 3), ("d", None)]
    assert records[3]["errors"][0]["code"] == "E315"


@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".csv", ".md"])
def test_the_same_inputs_give_byte_identical_outputs(tmp_path, suffix):
    """Twice the same run, twice the same bytes."""
    first, second = tmp_path / f"one{suffix}", tmp_path / f"two{suffix}"
    run("score", EZHOU, DISTRICTS, "-o", first)
    run("score", EZHOU, DISTRICTS, "-o", second)
    assert first.read_bytes() == second.read_bytes() and first.stat().st_size > 0


def test_scorecards_never_overwrite_an_input_nor_take_an_unknown_suffix(tmp_path):
    """-o naming the data file, or a .txt: exit 2, nothing written."""
    status, _, err = run("score", EZHOU, DISTRICTS, "-o", DISTRICTS)
    assert status == 2 and "is an input of this run" in err
    status, _, err = run("score", EZHOU, DISTRICTS, "-o", tmp_path / "scores.txt")
    assert (
        status == 2 and ".json, .jsonl, .csv, .md or .xlsx" in err and not (tmp_path / "scores.txt").exists()
    )
