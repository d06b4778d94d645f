"""rubricdsl convert: a round from JSON to CSV to JSON lines and back, losing nothing."""

from __future__ import annotations

import json

import pytest

from .helpers import ROOT, apart_from_data, run

ROUNDS = [
    ("ezhou2013.rub", "ezhou2013-districts.json"),
    ("health_supervision2013.rub", "health-supervision-centres.json"),
    ("innovative_sme2022.rub", "innovative-sme-enterprises.json"),  # facts, yes/no, categories, levels
]


@pytest.mark.parametrize(("rubric", "data"), ROUNDS, ids=[d for _, d in ROUNDS])
def test_json_to_csv_to_json_lines_to_json_scores_the_same(tmp_path, rubric, data):
    """Every round through every format and back: the scorecards, as JSON, are byte for byte the same,
    the data file's recorded name aside."""
    original = ROOT / "examples" / data
    table, lines, back = tmp_path / "round.csv", tmp_path / "round.jsonl", tmp_path / "back.json"
    assert run("convert", original, "-o", table)[0] == 0
    assert run("convert", table, "-o", lines)[0] == 0
    targets = tmp_path / "round.targets.csv"  # JSON lines hold units only: the targets stay in their table
    assert run("convert", lines, *(["--targets", targets] if targets.exists() else []), "-o", back)[0] == 0

    def scored(path):  # the data file's name, recorded with a refused unit's problem, aside
        status, out, _ = run("score", ROOT / "rubrics" / rubric, path, "--format", "json")
        return status, apart_from_data(out.replace(json.dumps(str(path), ensure_ascii=False), '"ROUND"'))

    for converted in (table, back):
        assert scored(converted) == scored(original)


def test_a_table_keeps_its_targets_beside_it(tmp_path):
    """-o round.csv writes round.targets.csv when the round has targets, both with a BOM for Excel."""
    run("convert", ROOT / "examples" / "ezhou2013-districts.json", "-o", tmp_path / "round.csv")
    beside = (tmp_path / "round.targets.csv").read_bytes()
    assert beside.startswith("\ufeff".encode())
    assert beside.decode("utf-8-sig").splitlines()[:2] == ["target,value", "manufacturing_pass_rate,93.6"]


def test_convert_refuses_to_write_over_its_input(tmp_path):
    """OUT naming IN: exit 2, IN untouched."""
    table = tmp_path / "round.csv"
    run("convert", ROOT / "examples" / "ezhou2013-districts.json", "-o", table)
    before = table.read_bytes()
    status, _, err = run("convert", table, "-o", table)
    assert status == 2 and "is the round being read" in err and table.read_bytes() == before
