"""Corrections on appeal (overrides), the provenance every output records, and how outputs are written."""

from __future__ import annotations

import hashlib
import json
import os
from decimal import Decimal

from .helpers import EZHOU, ROOT, run, write_round

EXAMPLE = ROOT / "examples" / "ezhou2013-districts.json"
APPEAL = {"score": 2.5, "reason": "补交了协调会议纪要", "by": "市质监局复核组", "at": "2014-02-20"}


def _round(overrides):
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document["units"][0]["overrides"] = overrides
    return document


def test_an_override_replaces_the_score_and_every_output_shows_why(tmp_path):
    """The corrected item scores the new points; JSON keeps the original, the table, --unit and CSV say why."""
    data = write_round(tmp_path, _round({"coordination": APPEAL}))
    status, out, _ = run("score", EZHOU, data, "--format", "json")
    item = json.loads(out, parse_float=Decimal)["units"][0]["items"]["coordination"]
    assert status == 0
    assert (item["score"], item["override"]["original"], item["override"]["reason"]) == (
        Decimal("2.5"),
        3,
        "补交了协调会议纪要",
    )
    wording = "复核改分 3.00 → 2.50：补交了协调会议纪要（市质监局复核组，2014-02-20）"
    assert wording in run("score", EZHOU, data).out
    assert wording in run("score", EZHOU, data, "--unit", "鄂城区").out
    assert run("score", EZHOU, data, "-o", tmp_path / "s.csv").status == 0
    header, first = (tmp_path / "s.csv").read_text(encoding="utf-8-sig").splitlines()[:2]
    assert header.endswith(",override") and first.endswith(f"coordination {wording}")


def test_a_bad_override_is_its_units_problem_only(tmp_path):
    """An override above the item's points, without a reason, or of an unknown item refuses that unit alone."""
    bad = {"coordination": {**APPEAL, "score": 4, "reason": " "}, "coordinaton": APPEAL}
    status, out, _ = run("score", EZHOU, write_round(tmp_path, _round(bad)), "--format", "json")
    units = json.loads(out)["units"]
    assert status == 1
    assert sorted(e["field"] for e in units[0]["errors"]) == [
        "overrides.coordination.reason",
        "overrides.coordination.score",
        "overrides.coordinaton",
    ]
    assert all(u["total"] is not None for u in units[1:])


def test_overrides_survive_a_table(tmp_path):
    """Through the flat CSV layout and back, an override's reason stays the text it was, digits and all."""
    data = write_round(tmp_path, _round({"coordination": {**APPEAL, "reason": "007"}}))
    assert run("convert", data, "-o", tmp_path / "r.csv").status == 0
    assert run("convert", tmp_path / "r.csv", "-o", tmp_path / "back.json").status == 0
    back = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))
    assert back["units"][0]["overrides"]["coordination"]["reason"] == "007"


def test_outputs_record_what_produced_them(tmp_path):
    """JSON names the rubric and data files with their SHA-256; a CSV table has them beside it."""
    out = run("score", EZHOU, EXAMPLE, "--format", "json").out
    made = json.loads(out)["provenance"]
    assert made["rubric"]["sha256"] == hashlib.sha256(EZHOU.read_bytes()).hexdigest()
    assert made["rubric"]["year"] == 2013
    assert made["data"] == [
        {"file": EXAMPLE.as_posix(), "sha256": hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()}
    ]
    csv_round = ROOT / "examples" / "ezhou2013-districts.csv"
    assert run("score", EZHOU, csv_round, "-o", tmp_path / "s.csv").status == 0
    beside = json.loads((tmp_path / "s.provenance.json").read_text(encoding="utf-8"))
    assert [d["file"].rsplit("/", 1)[1] for d in beside["data"]] == [
        "ezhou2013-districts.csv",
        "ezhou2013-districts.targets.csv",
    ]


def test_a_written_file_is_as_readable_as_a_new_file(tmp_path):
    """A report written through a temporary file gets the mode a new file gets, not the temporary's 0600."""
    page = tmp_path / "report.html"
    assert run("report", EZHOU, EXAMPLE, "-o", page).status == 0
    mask = os.umask(0)
    os.umask(mask)
    assert page.stat().st_mode & 0o777 == 0o666 & ~mask
