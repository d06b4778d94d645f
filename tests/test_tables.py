"""Rounds as CSV tables and JSON lines: the flat layout, cells read from their text, encodings."""

from __future__ import annotations

import json

import pytest

from .helpers import EZHOU, ROOT, apart_from_data, run

CSV = ROOT / "examples" / "ezhou2013-districts.csv"
TARGETS = ROOT / "examples" / "ezhou2013-districts.targets.csv"
JSON = ROOT / "examples" / "ezhou2013-districts.json"


def scored(*argv) -> tuple[int, str, str]:
    """The JSON output, apart from the data files it records."""
    status, out, err = run("score", EZHOU, *argv, "--format", "json")
    return status, apart_from_data(out), err


def test_a_csv_round_scores_as_its_json_does():
    """The example districts as a table (UTF-8 with BOM, targets beside it): the same JSON output,
    and a note that the targets came from the file beside it."""
    status, out, err = scored(CSV)
    assert (status, out) == scored(JSON)[:2]
    assert err == f"{CSV}: targets from {TARGETS.as_posix()}\n"


@pytest.mark.parametrize("asked", [None, "gb18030"])
def test_a_csv_saved_as_gb18030_scores_the_same(tmp_path, asked):
    """Excel on Chinese Windows saves GB18030: read as such when asked, or when the file is not UTF-8 (said so)."""
    for source in (CSV, TARGETS):
        text = source.read_text(encoding="utf-8-sig")
        (tmp_path / source.name).write_bytes(text.encode("gb18030"))
    table = tmp_path / CSV.name
    status, out, err = scored(table, *(["--encoding", asked] if asked else []))
    assert (status, out) == scored(JSON)[:2]
    assert ("read as GB18030" in err) == (asked is None)


def test_json_lines_with_targets_from_a_json_document(tmp_path):
    """One unit a line; the targets from --targets, a JSON document with a 'targets' object."""
    document = json.loads(JSON.read_text(encoding="utf-8"))
    lines = tmp_path / "round.jsonl"
    lines.write_text(
        "\n".join(json.dumps(u, ensure_ascii=False) for u in document["units"]) + "\n", encoding="utf-8"
    )
    status, out, _ = scored(lines, "--targets", JSON)
    assert (status, out) == scored(JSON)[:2]


def test_cells_are_read_from_their_text_and_a_bad_one_stops_only_its_unit(tmp_path):
    """'92.6%', full-width '９２．６' and ' 92.6 ' are 92.6; an empty cell is a missing value (E312);
    '九十' is not a number (E313); each problem is its unit's, and the others are scored."""
    rows = CSV.read_text(encoding="utf-8-sig").splitlines()
    header, first = rows[:2]
    variants = {"甲": "92.6%", "乙": "９２．６", "丙": " 92.6 ", "丁": "", "戊": "九十"}
    body = [",".join([name, value, *first.split(",")[2:]]) for name, value in variants.items()]
    table = tmp_path / "round.csv"
    table.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    status, out, _ = scored(table, "--targets", TARGETS)
    units = {u["id"]: u for u in json.loads(out)["units"]}
    assert status == 1
    same = {units[name]["items"]["manufacturing_pass_rate"]["score"] for name in ("甲", "乙", "丙")}
    assert same == {9}  # 93.6 - 92.6 = 1 short: (0..1], deduct 1 of 10
    assert [(e["code"], e["field"]) for e in units["丁"]["errors"]] == [
        ("E312", "values.manufacturing_pass_rate")
    ]
    assert [(e["code"], e["field"]) for e in units["戊"]["errors"]] == [
        ("E313", "values.manufacturing_pass_rate")
    ]


def test_a_round_in_a_format_rubricdsl_does_not_read_is_refused(tmp_path):
    """A .xml round: exit 2, naming the formats it reads."""
    round_file = tmp_path / "round.xml"
    round_file.write_text("<units/>", encoding="utf-8")
    status, _, err = scored(round_file)
    assert status == 2 and ".json, .jsonl, .csv or .xlsx" in err
