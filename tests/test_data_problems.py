"""Problems in a data file, file by file and unit by unit, through the command line: codes, places, exit statuses."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import rubricdsl
from rubricdsl.output import to_table
from rubricdsl.problems import CODES

from .helpers import EZHOU, GOLDEN, QUANTITATIVE, run, same_as_golden, unchecked, write_round


@pytest.fixture
def round_doc(full_marks) -> dict[str, Any]:
    """Three good units; tests break one of them."""
    unit = full_marks["units"][0]
    units = [
        {**json.loads(json.dumps(unit, default=float)), "id": name}
        for name in ("鄂城区", "华容区", "梁子湖区")
    ]
    return {"targets": dict.fromkeys(QUANTITATIVE, 90), "units": units}


def score_json(tmp_path: Path, document: Any) -> tuple[int, dict[str, Any], str]:
    status, out, err = run("score", EZHOU, write_round(tmp_path, document), "--format", "json")
    return status, json.loads(out), err


def test_good_round_exits_0(tmp_path, round_doc):
    """A round with no problems scores every unit and exits 0."""
    status, result, _ = score_json(tmp_path, round_doc)
    assert status == 0
    assert [u["total"] for u in result["units"]] == [100, 100, 100]


# File-level problems: exit 2, nothing scored, the file named.


def test_unreadable_file(tmp_path):
    """A data file that does not exist: exit 2, naming it."""
    status, out, err = run("score", EZHOU, tmp_path / "missing.json")
    assert status == 2
    assert "missing.json" in err and "cannot read" in err
    assert out == ""


def test_not_utf8(tmp_path):
    """A data file in GBK: exit 2, saying it is not UTF-8."""
    path = tmp_path / "gbk.json"
    path.write_bytes('{"units": [{"id": "鄂城区"}]}'.encode("gbk"))
    status, _, err = run("score", EZHOU, path)
    assert status == 2
    assert "gbk.json" in err and "not UTF-8" in err


def test_not_json_names_line_and_column(tmp_path):
    """Broken JSON: exit 2 with the file's line and column."""
    status, _, err = run("score", EZHOU, write_round(tmp_path, '{"units": [\n  {"id": "鄂城区",}\n]}'))
    assert status == 2
    assert "round.json:2:" in err and "not valid JSON" in err


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "not an object"),
        ({"targets": {}}, "'units' is missing"),
        ({"units": {}}, "'units' is an object"),
        ({"units": [], "unit": []}, "unknown key 'unit'"),
    ],
)
def test_wrong_shape(tmp_path, document, message):
    """A file of the wrong shape: exit 2, saying what is wrong."""
    status, _, err = run("score", EZHOU, write_round(tmp_path, document))
    assert status == 2
    assert message in err


def test_nesting_too_deep(tmp_path):
    """Pathologically nested JSON is refused with exit 2, not a crash."""
    status, _, err = run("score", EZHOU, write_round(tmp_path, "[" * 100_000 + "]" * 100_000))
    assert status == 2
    assert "nested too deeply" in err


def test_duplicate_key_is_refused(tmp_path):
    """A key given twice in one object would silently lose a value, so the file is refused."""
    status, _, err = run("score", EZHOU, write_round(tmp_path, '{"units": [], "units": []}'))
    assert status == 2
    assert "round.json: error[E307]: units: 'units' is given twice; keep one" in err


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (None, "missing the target"),
        ("95", 'the text "95" is not a number'),
        (0, "outside (0..100]"),
        (-3, "outside (0..100]"),
        (100.5, "outside (0..100]"),
    ],
)
def test_bad_target_stops_the_round(tmp_path, round_doc, target, message):
    """A target missing, not a number or out of its domain: exit 2, naming the target."""
    if target is None:
        del round_doc["targets"]["food_drug_pass_rate"]
    else:
        round_doc["targets"]["food_drug_pass_rate"] = target
    status, result, err = score_json(tmp_path, round_doc)
    assert status == 2
    assert "targets.food_drug_pass_rate" in err and message in err
    assert result["units"] == []
    assert result["errors"][0]["field"] == "targets.food_drug_pass_rate"


def test_nan_target(tmp_path, round_doc):
    """NaN is not a number, even though Python's JSON reader accepts it."""
    text = json.dumps(round_doc, ensure_ascii=False).replace(
        '"service_satisfaction": 90', '"service_satisfaction": NaN', 1
    )
    status, _, err = run("score", EZHOU, write_round(tmp_path, text))
    assert status == 2
    assert "targets.service_satisfaction: NaN is not a number" in err


def test_duplicate_unit_ids(tmp_path, round_doc):
    """Two units with the same id: neither is scored (E308 naming the other), the third is; exit 1."""
    round_doc["units"][2]["id"] = "鄂城区"
    status, result, _ = score_json(tmp_path, round_doc)
    assert status == 1
    totals = [(u["id"], u["total"]) for u in result["units"]]
    assert totals == [("鄂城区", None), ("华容区", 100), ("鄂城区", None)]
    first = result["units"][0]["errors"][0]
    assert (first["code"], first["field"]) == ("E308", "id")
    assert "is also the id of '鄂城区' (units[2])" in first["message"]


# Unit-level problems: that unit gets errors and no total; the others are scored; exit 1.


def unit_errors(tmp_path: Path, round_doc: dict[str, Any] | str) -> list[tuple[str, str, str]]:
    """Score a round whose second unit, 华容区, is broken: its problems as (code, field, message)."""
    status, result, _ = score_json(tmp_path, round_doc)
    assert status == 1
    good = [u for u in result["units"] if u["id"] != "华容区"]
    assert [u["total"] for u in good] == [100, 100], "the other units are still scored"
    (bad,) = [u for u in result["units"] if u["id"] == "华容区"]
    assert (bad["total"], bad["grade"]) == (None, None)
    assert all(e["unit"] == "华容区" and e["path"].endswith("round.json") for e in bad["errors"])
    return [(e["code"], e["field"], e["message"]) for e in bad["errors"]]


def test_missing_value(tmp_path, round_doc):
    """A missing value: the unit gets an error naming the item, and keeps its other items."""
    del round_doc["units"][1]["values"]["construction_acceptance_rate"]
    assert unit_errors(tmp_path, round_doc) == [
        ("E312", "values.construction_acceptance_rate", "missing the value for 建筑工程竣工验收合格率 "
         "(construction_acceptance_rate)")
    ]  # fmt: skip


def test_a_unit_problem_is_one_record_with_every_field(tmp_path, round_doc):
    """A unit's problem has the fields of a rubric's, located by data file, unit and entry."""
    round_doc["units"][1]["values"]["service_satisfaction"] = True
    _, result, _ = score_json(tmp_path, round_doc)
    assert result["units"][1]["errors"] == [
        {"path": str(tmp_path / "round.json"), "line": None, "column": None, "end_line": None,
         "end_column": None, "severity": "error", "code": "E313", "message": "true is not a number",
         "help": None, "witnesses": [], "unit": "华容区", "field": "values.service_satisfaction"}
    ]  # fmt: skip


def test_unit_with_errors_keeps_the_items_it_could_score(tmp_path, round_doc):
    """The items that could be scored are still reported for a unit with errors."""
    del round_doc["units"][1]["values"]["construction_acceptance_rate"]
    _, result, _ = score_json(tmp_path, round_doc)
    items = result["units"][1]["items"]
    assert "construction_acceptance_rate" not in items
    assert items["manufacturing_pass_rate"]["score"] == 10
    assert "engineering" not in result["units"][1]["groups"]
    assert result["units"][1]["groups"]["product"]["score"] == 20


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('"95"', 'the text "95" is not a number'),
        ("NaN", "NaN is not a number"),
        ("Infinity", "Infinity is not a number"),
        ("true", "true is not a number"),
        ("null", "null is not a number"),
        ("[95]", "a list is not a number"),
        ("{}", "服务质量顾客满意度 (service_satisfaction) takes one number here, not an object"),
        ("100.01", "100.01 is outside [0..100]"),
        ("-1", "-1 is outside [0..100]"),
    ],
)
def test_bad_value(tmp_path, round_doc, raw, message):
    """A value not a number or out of its domain: an error on that unit naming the field."""
    round_doc["units"][1]["values"]["service_satisfaction"] = "@@"
    text = json.dumps(round_doc, ensure_ascii=False).replace('"@@"', raw)
    status, out, _ = run("score", EZHOU, write_round(tmp_path, text), "--format", "json")
    assert status == 1
    (bad,) = [u for u in json.loads(out)["units"] if u["id"] == "华容区"]
    assert [e["field"] for e in bad["errors"]] == ["values.service_satisfaction"]
    assert message in bad["errors"][0]["message"]


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("2.5", "2.5 is not between 0 and 2, the points of 质量人才队伍建设"),
        ("-0.5", "-0.5 is not between 0 and 2, the points of 质量人才队伍建设"),
        ("2.01", "2.01 is not between 0 and 2, the points of 质量人才队伍建设"),
        ('"2"', 'the text "2" is not a number'),
    ],
)
def test_judged_score_out_of_bounds(tmp_path, round_doc, score, message):
    """An assessor's score must be a number between 0 and the item's points."""
    round_doc["units"][1]["scores"]["quality_talent"] = "@@"
    text = json.dumps(round_doc, ensure_ascii=False).replace('"@@"', score)
    status, out, _ = run("score", EZHOU, write_round(tmp_path, text), "--format", "json")
    assert status == 1
    (bad,) = [u for u in json.loads(out)["units"] if u["id"] == "华容区"]
    assert [(e["field"], e["message"]) for e in bad["errors"]] == [("scores.quality_talent", message)]


@pytest.mark.parametrize("score", ["0", "2", "1.5"])
def test_judged_score_within_bounds(tmp_path, round_doc, score):
    """Scores from 0 to the item's points, both ends included, are accepted."""
    round_doc["units"][1]["scores"]["quality_talent"] = "@@"
    text = json.dumps(round_doc, ensure_ascii=False).replace('"@@"', score)
    status, out, _ = run("score", EZHOU, write_round(tmp_path, text), "--format", "json")
    assert status == 0
    assert json.loads(out, parse_float=Decimal)["units"][1]["items"]["quality_talent"]["score"] == Decimal(
        score
    )


def test_missing_judged_score(tmp_path, round_doc):
    """A judged item without a score: an error naming it."""
    del round_doc["units"][1]["scores"]["port_inspection"]
    assert unit_errors(tmp_path, round_doc) == [
        ("E402", "scores.port_inspection", "missing the assessor's score for 口岸检验检疫综合能力建设")
    ]


@pytest.mark.parametrize(
    ("section", "key", "code", "message"),
    [
        (
            "values",
            "manufacturing_pass_rat",
            "E310",
            "unknown item 'manufacturing_pass_rat'; did you mean 'manufacturing_pass_rate'?",
        ),
        (
            "scores",
            "port_inspections",
            "E310",
            "unknown item 'port_inspections'; did you mean 'port_inspection'?",
        ),
        (
            "scores",
            "manufacturing_pass_rate",
            "E311",
            "制造业产品质量合格率 (manufacturing_pass_rate) takes no assessor's score",
        ),
        (
            "values",
            "port_inspection",
            "E311",
            "takes no values; an assessor scores it: give its points in 'scores'",
        ),
    ],
)
def test_unknown_or_misplaced_id(tmp_path, round_doc, section, key, code, message):
    """An unknown id gets the nearest known one suggested; a known id in the wrong place is named."""
    round_doc["units"][1][section][key] = 1
    (found, *_) = unit_errors(tmp_path, round_doc)
    assert found[:2] == (code, f"{section}.{key}")
    assert message in found[2]


def test_unknown_veto(tmp_path, round_doc):
    """An unknown veto id: an error on the unit, with a suggestion."""
    round_doc["units"][1]["vetoes"] = ["systemic_incidents"]
    assert unit_errors(tmp_path, round_doc) == [
        ("E310", "vetoes[0]", "unknown veto 'systemic_incidents'; did you mean 'systemic_incident'?")
    ]


def test_unknown_unit_key(tmp_path, round_doc):
    """A misspelt key in a unit is reported, not ignored."""
    round_doc["units"][1]["veto"] = []
    assert unit_errors(tmp_path, round_doc) == [
        ("E306", "veto", "unknown key 'veto'; did you mean 'vetoes'?")
    ]


def test_unit_that_is_not_an_object(tmp_path, round_doc):
    """A unit that is not an object is reported on its own and the others are scored."""
    round_doc["units"].insert(1, "华容区")
    status, result, _ = score_json(tmp_path, round_doc)
    assert status == 1
    assert [u["total"] for u in result["units"]] == [100, None, 100, 100]
    assert result["units"][1]["errors"][0]["field"] == "units[1]"


GAP = """rubric "缺口" {
  item rate "合格率" points 10 {
    input value percent
    input target percent (0..100] from targets
    measure completion = 100 * value / target
    bands completion, lower is worse { [100..) full [0..99) zero }
  }
}"""


def test_a_rubric_with_a_gap_is_refused_before_scoring(tmp_path):
    """A band table that leaves values out is refused by score (exit 2), naming a value in the gap."""
    rubric = tmp_path / "gap.rub"
    rubric.write_text(GAP, encoding="utf-8")
    data = write_round(tmp_path, {"targets": {"rate": 90}, "units": [{"id": "甲", "values": {"rate": 85}}]})
    status, _, err = run("score", rubric, data)
    assert status == 2
    assert (
        "gap.rub:6:" in err
        and "error[E201]: no band of 合格率 (rate) takes completion = 99 (between the bands on line 6)" in err
    )


def test_value_in_no_band(tmp_path):
    """A value that falls in no band: the unit gets an error naming the item and the value, with its inputs."""
    rubric = unchecked(GAP)
    document = {
        "targets": {"rate": Decimal("95.2")},
        "units": [{"id": "甲", "values": {"rate": Decimal("94.5")}}, {"id": "乙", "values": {"rate": 96}}],
    }
    bad, good = rubricdsl.score(rubric, document)
    assert [(e.field, e.message) for e in bad.errors] == [
        (
            "values.rate",
            "completion = ≈99.2647 (value = 94.5, target = 95.2) falls in no band of 合格率 (rate)",
        )
    ]
    assert good.total == 10


def test_a_total_that_reaches_no_grade(tmp_path):
    """Grades that leave low totals without a grade are refused by check; unlinted, the unit gets an error."""
    text = 'rubric "t" { grades { A >= 90 B >= 60 } item a "甲" points 100 { judged } }'
    rubric = tmp_path / "grades.rub"
    rubric.write_text(text, encoding="utf-8")
    status, _, err = run("score", rubric, write_round(tmp_path, {"units": []}))
    assert status == 2 and "error[E204]: a total of 0 reaches no grade" in err
    low, high = rubricdsl.score(
        unchecked(text), {"units": [{"id": "甲", "scores": {"a": 5}}, {"id": "乙", "scores": {"a": 95}}]}
    )
    assert [(e.code, e.field, e.message) for e in low.errors] == [
        ("E405", None, "the total 5.00 reaches no grade of the rubric")
    ]
    assert high.grade.name == "A"


def test_rubric_with_errors_is_not_scored(tmp_path, round_doc):
    """A broken rubric: exit 2 with its diagnostics, nothing scored."""
    rubric = tmp_path / "broken.rub"
    rubric.write_text(EZHOU.read_text(encoding="utf-8").replace("grade D\n", "grade E\n"), encoding="utf-8")
    status, out, err = run("score", rubric, write_round(tmp_path, round_doc), "--format", "json")
    assert status == 2
    assert "broken.rub:" in err and "error[E111]: unknown grade 'E'" in err
    assert json.loads(out)["errors"][0]["code"] == "E111"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1e999999", "1E+999999 is too large to be a score, a count or a rate"),
        ("1e99999999", "1E+99999999 is too large to be a score, a count or a rate"),
        ("9" + "0" * 4999, "is too large to be a score, a count or a rate"),
        ("0." + "3" * 5000, "has more than 40 digits"),
        ("1e-999999", "1E-999999 has more than 40 digits"),
    ],
)
def test_absurd_numbers_are_refused_quickly(tmp_path, round_doc, raw, message):
    """Numbers no rubric needs are refused with a short message, not computed with for minutes."""
    round_doc["units"][1]["values"]["service_satisfaction"] = "@@"
    text = json.dumps(round_doc, ensure_ascii=False).replace('"@@"', raw)
    status, out, _ = run("score", EZHOU, write_round(tmp_path, text), "--format", "json")
    assert status == 1
    (bad,) = [u for u in json.loads(out)["units"] if u["id"] == "华容区"]
    (problem,) = bad["errors"]
    assert problem["field"] == "values.service_satisfaction"
    assert message in problem["message"] and len(problem["message"]) < 120


def test_absurd_target_stops_the_round(tmp_path, round_doc):
    """A target of 1e999999 is a bad target: exit 2 naming it."""
    text = json.dumps(round_doc, ensure_ascii=False).replace(
        '"service_satisfaction": 90', '"service_satisfaction": 1e999999', 1
    )
    status, _, err = run("score", EZHOU, write_round(tmp_path, text))
    assert status == 2
    assert "targets.service_satisfaction: 1E+999999 is too large" in err


def test_duplicate_key_inside_one_unit_stops_only_that_unit(tmp_path, round_doc):
    """A value given twice in one unit is that unit's error; the other units are scored."""
    text = json.dumps(round_doc, ensure_ascii=False)
    first = text.index('"service_satisfaction": 90', text.index('"华容区"'))
    text = text[:first] + '"service_satisfaction": 95, ' + text[first:]
    assert unit_errors(tmp_path, text) == [
        ("E307", "values.service_satisfaction", "'service_satisfaction' is given twice; keep one")
    ]


def test_not_utf8_names_line_and_column(tmp_path):
    """A GBK file is refused at the line and column of its first non-UTF-8 byte."""
    path = tmp_path / "gbk.json"
    path.write_bytes('{\n  "units": [{"id": "鄂城区"}]}'.encode("gbk"))
    status, _, err = run("score", EZHOU, path)
    assert status == 2
    assert err.startswith(f"{path}:2:21: error[E302]: not UTF-8 text")


@pytest.mark.parametrize(
    ("section", "raw", "message"),
    [
        ("scores", 5, "'scores' must be an object keyed by item id, not a number"),
        ("values", [1], "'values' must be an object keyed by item id, not a list"),
        (
            "vetoes",
            "systemic_incident",
            'vetoes\' must be a list of veto ids, not the text "systemic_incident"',
        ),
    ],
)
def test_a_broken_section_is_one_error(tmp_path, round_doc, section, raw, message):
    """A section of the wrong shape is reported once, without a follow-on error per item."""
    round_doc["units"][1][section] = raw
    ((code, field, found),) = unit_errors(tmp_path, round_doc)
    assert (code, field) == ("E305", section) and message in found


def test_unit_without_an_id_is_named_by_its_place(tmp_path, round_doc):
    """A unit without a usable id is reported as units[N] in the table and its error says why."""
    del round_doc["units"][1]["id"]
    status, out, _ = run("score", EZHOU, write_round(tmp_path, round_doc))
    assert status == 1
    assert "units[1]: error[E309]: id: the id of units[1] is missing; it must be a non-empty text" in out
    assert any(line.startswith("units[1] ") and "未评分" in line for line in out.splitlines())


# One golden round per data problem code, its output checked by eye.

DATA_GOLDEN = GOLDEN / "data-problems"
DATA_CODES = sorted(code for code in CODES if code[1] in "34")
STOP_THE_ROUND = {
    "E301",
    "E302",
    "E303",
    "E304",
    "E305",
}  # in these goldens; the others stop one unit


def transcript(code: str) -> tuple[int, str]:
    """What an office sees when scoring the code's round: the command, its output, its exit status.

    The round is scored against ``rubric.rub``, or against the code's own rubric when it has
    one. Problems that ``check`` rules out (a value in no band, a total in no grade) come from
    a rubric of its own compiled without validation, scored from Python as a library caller might.
    """
    own = DATA_GOLDEN / f"{code}.rub"
    if own.exists() and run("check", own).status == 0:
        status, out, err = run("score", own.name, f"{code}.json")
        return status, f"$ rubricdsl score {own.name} {code}.json\n{err}{out}(exit status {status})\n"
    if own.exists():
        rubric = unchecked(own.read_text(encoding="utf-8"))
        cards = rubricdsl.score_file(rubric, DATA_GOLDEN / f"{code}.json")
        status = 1 if any(card.errors for card in cards) else 0
        command = (
            f'# {code}.rub scored from Python without validate(): rubricdsl.score_file(rubric, "{code}.json")'
        )
        return status, f"{command}\n{to_table(rubric, cards)}(exit status {status})\n"
    status, out, err = run("score", "rubric.rub", f"{code}.json")
    return status, f"$ rubricdsl score rubric.rub {code}.json\n{err}{out}(exit status {status})\n"


@pytest.mark.parametrize("code", DATA_CODES)
def test_every_data_problem_has_a_golden_round(code, monkeypatch):
    """Each data code's small round gives that problem, rendered as checked by eye; others are still scored."""
    monkeypatch.chdir(DATA_GOLDEN)
    status, text = transcript(code)
    same_as_golden(DATA_GOLDEN / f"{code}.txt", text)
    assert f"[{code}]" in text
    assert status == (2 if code in STOP_THE_ROUND else 1)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("deduct 1 per 10 / v", "'deduct 1 per 10 / v' of 甲 divides by zero"),
        ("applies when 10 / v > 1 judged", "'applies when 10 / v > 1' of 甲 divides by zero"),
    ],
)
def test_a_division_by_zero_is_that_units_problem(rule, message):
    """Dividing by zero in a deduction or a condition is an E403 for that unit, never a traceback."""
    rubric = rubricdsl.loads(f'rubric "t" {{ item a "甲" points 5 {{ input v count {rule} }} }}')
    document = {
        "units": [
            {"id": "东区", "values": {"a": 0}, "scores": {"a": 5}},
            {"id": "西区", "values": {"a": 5}, "scores": {"a": 5}},
        ]
    }
    if "judged" not in rule:
        document = {"units": [{k: v for k, v in u.items() if k != "scores"} for u in document["units"]]}
    zero, five = rubricdsl.score(rubric, document)
    assert [(e.code, e.field, e.message) for e in zero.errors] == [("E403", "values.a", message)]
    assert five.total is not None


def test_nan_where_a_text_belongs_is_named():
    """NaN given as a unit's id is called NaN, not "a number"."""
    (card,) = rubricdsl.score(
        rubricdsl.loads('rubric "t" { item a "甲" points 5 { judged } }'),
        {"units": [{"id": Decimal("NaN"), "scores": {"a": 5}}]},
    )
    assert [e.message for e in card.errors] == ["the id of units[0] is NaN; it must be a non-empty text"]
