"""rubricdsl schema: the JSON Schema of a rubric's data file accepts what binding accepts and refuses
what it refuses."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rubricdsl import load
from rubricdsl.io import bind_round, parse_json
from rubricdsl.output import dumps
from rubricdsl.problems import DataError, Problem

from .helpers import ROOT, run
from .strategies import rounds

RUBRICS = ROOT / "rubrics"
EXAMPLES = ROOT / "examples"
DOCS = ROOT / "docs" / "examples"

# Each example round, by the rubric it is a round of.
EXAMPLE_RUBRICS = {
    "ezhou2013-districts.json": "ezhou2013.rub",
    "health-supervision-centres.json": "health_supervision2013.rub",
    "innovative-sme-enterprises.json": "innovative_sme2022.rub",
}


def shipped_rounds() -> list[tuple[Path, Path]]:
    """Every round the project ships, with its rubric: examples, each rubric's cases, the docs' rounds."""
    pairs = [(RUBRICS / rubric, EXAMPLES / name) for name, rubric in EXAMPLE_RUBRICS.items()]
    for rubric in sorted(RUBRICS.glob("*.rub")):
        cases = sorted(rubric.with_suffix(".cases").glob("*.json"))
        pairs += [(rubric, case) for case in cases if not case.name.endswith(".expected.json")]
    pairs += [(path.with_suffix(".rub"), path) for path in sorted((DOCS / "cookbook").glob("*.json"))]
    for year in ("2013", "2014"):
        pairs.append((DOCS / "tutorial" / f"quality{year}.rub", DOCS / "tutorial" / f"round{year}.json"))
    return pairs


loaded = functools.cache(load)


@functools.cache
def schema_of(rubric: Path) -> dict[str, Any]:
    """The schema ``rubricdsl schema`` prints for a rubric."""
    result = run("schema", rubric)
    assert result.status == 0, result.err
    return json.loads(result.out)


def violations(rubric: Path, document: Any) -> list[tuple[list[Any], str]]:
    """Where and by which keyword the round breaks the rubric's schema."""
    validator = jsonschema.Draft202012Validator(schema_of(rubric))
    return sorted((list(e.absolute_path), str(e.validator)) for e in validator.iter_errors(document))


def binding_problems(rubric: Path, text: str) -> list[Problem]:
    """Every problem the binder finds with a round's JSON text: of the round, or of its units."""
    try:
        bound = bind_round(loaded(rubric), parse_json(text))
    except DataError as exc:
        return list(exc.problems)
    return [problem for unit in bound.units for problem in unit.problems]


def test_every_example_is_a_round_of_a_named_rubric():
    """Each example round is listed with its rubric, so the validation below covers it."""
    assert sorted(p.name for p in EXAMPLES.glob("*.json")) == sorted(EXAMPLE_RUBRICS)


@pytest.mark.parametrize("rubric", sorted(RUBRICS.glob("*.rub")), ids=lambda p: p.stem)
def test_the_schema_is_draft_2020_12_and_written_in_chinese(rubric):
    """The schema declares draft 2020-12, is a valid schema of it, and keeps Chinese titles unescaped."""
    schema = schema_of(rubric)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    text = run("schema", rubric).out
    assert schema["title"] == load(rubric).title and schema["title"] in text
    assert "\\u" not in text


@pytest.mark.parametrize(
    ("rubric", "data"),
    shipped_rounds(),
    ids=lambda p: f"{p.parent.name}/{p.name}" if p.suffix == ".json" else "",
)
def test_every_shipped_round_validates(rubric, data):
    """Every round the project ships is valid under its rubric's schema, as the binder finds it."""
    text = data.read_text(encoding="utf-8")
    assert binding_problems(rubric, text) == []
    assert violations(rubric, json.loads(text)) == []


def _set(path: list[Any], value: Any) -> Any:
    def change(document: dict[str, Any]) -> None:
        *above, last = path
        functools.reduce(lambda entry, key: entry[key], above, document)[last] = value

    return change


def _delete(path: list[Any]) -> Any:
    def change(document: dict[str, Any]) -> None:
        *above, last = path
        del functools.reduce(lambda entry, key: entry[key], above, document)[last]

    return change


EZHOU_ROUND = ("ezhou2013.rub", "ezhou2013-districts.json")
SME_ROUND = ("innovative_sme2022.rub", "innovative-sme-enterprises.json")
HEALTH_ROUND = ("health_supervision2013.rub", "health-supervision-centres.json")

# (round, what goes wrong, where the schema says so and by which keyword, the binder's field)
WRONG_ROUNDS = [
    (EZHOU_ROUND, _set(["units", 0, "values", "manufacturing_pass_rat"], 90), ["units", 0, "values"], "additionalProperties", "values.manufacturing_pass_rat"),
    (EZHOU_ROUND, _set(["units", 0, "scores", "development_planning"], 3.5), ["units", 0, "scores", "development_planning"], "maximum", "scores.development_planning"),
    (EZHOU_ROUND, _set(["units", 0, "scores", "service_satisfaction"], 8), ["units", 0, "scores"], "additionalProperties", "scores.service_satisfaction"),
    (EZHOU_ROUND, _set(["units", 1, "values", "food_drug_pass_rate"], 100.5), ["units", 1, "values", "food_drug_pass_rate"], "maximum", "values.food_drug_pass_rate"),
    (EZHOU_ROUND, _set(["units", 1, "values", "food_drug_pass_rate"], "94.5%"), ["units", 1, "values", "food_drug_pass_rate"], "type", "values.food_drug_pass_rate"),
    (EZHOU_ROUND, _delete(["units", 2, "values", "service_satisfaction"]), ["units", 2, "values"], "required", "values.service_satisfaction"),
    (EZHOU_ROUND, _set(["units", 0, "vetoes"], ["systemic_incidnet"]), ["units", 0, "vetoes", 0], "enum", "vetoes[0]"),
    (EZHOU_ROUND, _set(["units", 0, "vetoes"], ["systemic_incident", "systemic_incident"]), ["units", 0, "vetoes"], "uniqueItems", "vetoes[1]"),
    (EZHOU_ROUND, _set(["units", 0, "missing_evidence"], ["coordination"]), ["units", 0, "missing_evidence"], "maxItems", "missing_evidence"),
    (EZHOU_ROUND, _delete(["units", 3, "id"]), ["units", 3], "required", "id"),
    (EZHOU_ROUND, _set(["units", 3, "id"], " "), ["units", 3, "id"], "pattern", "id"),
    (EZHOU_ROUND, _set(["units", 3, "remark"], "备注"), ["units", 3], "additionalProperties", "remark"),
    (EZHOU_ROUND, _delete(["targets", "service_satisfaction"]), ["targets"], "required", "targets.service_satisfaction"),
    (EZHOU_ROUND, _set(["targets", "manufacturing_pass_rate"], 0), ["targets", "manufacturing_pass_rate"], "exclusiveMinimum", "targets.manufacturing_pass_rate"),
    (SME_ROUND, _set(["units", 0, "values", "rd"], 10**31), ["units", 0, "values", "rd"], "exclusiveMaximum", "values.rd"),
    (SME_ROUND, _set(["units", 0, "scores", "ip"], "F"), ["units", 0, "scores", "ip"], "enum", "scores.ip"),
    (SME_ROUND, _set(["units", 0, "facts", "sector"], "其他"), ["units", 0, "facts", "sector"], "enum", "facts.sector"),
    (SME_ROUND, _set(["units", 0, "facts", "award"], 2), ["units", 0, "facts", "award"], "maximum", "facts.award"),
    (SME_ROUND, _set(["units", 0, "facts", "revenue"], 0), ["units", 0, "facts", "revenue"], "exclusiveMinimum", "facts.revenue"),
    (SME_ROUND, _delete(["units", 0, "facts", "sector"]), ["units", 0, "facts"], "required", "facts.sector"),
    (SME_ROUND, _set(["units", 0, "facts", "size"], 3), ["units", 0, "facts"], "additionalProperties", "facts.size"),
    (HEALTH_ROUND, _set(["units", 0, "values", "plans"], 1.5), ["units", 0, "values", "plans"], "type", "values.plans"),
    (HEALTH_ROUND, _set(["units", 0, "values", "leads"], 9), ["units", 0, "values", "leads"], "type", "values.leads"),
    (HEALTH_ROUND, _delete(["units", 0, "values", "leads", "valuable"]), ["units", 0, "values", "leads"], "required", "values.leads.valuable"),
    (HEALTH_ROUND, _delete(["units", 0, "values", "plans"]), ["units", 0, "values"], "required", "values.plans"),
    (HEALTH_ROUND, _set(["units", 0, "values", "leadership"], {"absent": 5}), ["units", 0, "values", "leadership"], "anyOf", "values.leadership.absent"),
    (HEALTH_ROUND, _set(["units", 0, "missing_evidence"], ["no_such_item"]), ["units", 0, "missing_evidence", 0], "enum", "missing_evidence[0]"),
]  # fmt: skip


@pytest.mark.parametrize(("example", "change", "path", "keyword", "field"), WRONG_ROUNDS)
def test_a_wrong_round_fails_where_the_binder_says(example, change, path, keyword, field):
    """A round with one thing wrong fails its schema at that entry, and the binder refuses the same entry."""
    rubric_name, round_name = example
    document = json.loads((EXAMPLES / round_name).read_text(encoding="utf-8"))
    change(document)
    assert violations(RUBRICS / rubric_name, document) == [(path, keyword)]
    assert field in [p.field for p in binding_problems(RUBRICS / rubric_name, json.dumps(document))]


def test_an_item_that_may_not_apply_needs_no_values():
    """An item under an ``applies when`` may be left out of values, in the schema as in the binder."""
    rubric = RUBRICS / "health_supervision2013.rub"
    document = json.loads((EXAMPLES / "health-supervision-centres.json").read_text(encoding="utf-8"))
    del document["units"][0]["values"]["health_creation"]
    assert binding_problems(rubric, json.dumps(document)) == []
    assert violations(rubric, document) == []


def test_missing_evidence_excuses_an_items_values():
    """An item listed in missing_evidence needs no values, in the schema as in the binder."""
    rubric = RUBRICS / "health_supervision2013.rub"
    document = json.loads((EXAMPLES / "health-supervision-centres.json").read_text(encoding="utf-8"))
    unit = document["units"][0]
    del unit["values"]["plans"], unit["values"]["leads"]["valuable"]
    unit["missing_evidence"] = ["plans", "leads"]
    assert violations(rubric, document) == []
    assert binding_problems(rubric, json.dumps(document)) == []
    unit["missing_evidence"] = ["plans"]
    assert violations(rubric, document) == [(["units", 0, "values", "leads"], "required")]


SHIPPED = sorted(RUBRICS.glob("*.rub"))


@given(data=st.data())
def test_careful_rounds_validate(data):
    """A round that keeps to its rubric's contract binds without a problem and validates."""
    rubric = data.draw(st.sampled_from(SHIPPED))
    document = data.draw(rounds(loaded(rubric), careless=False))
    text = dumps(document)
    assert binding_problems(rubric, text) == []
    assert violations(rubric, json.loads(text)) == []


@given(data=st.data())
def test_the_schema_refuses_what_the_binder_refuses(data):
    """For any round, careful or with slips, the schema finds it valid exactly when the binder finds no problem."""
    rubric = data.draw(st.sampled_from(SHIPPED))
    document = data.draw(rounds(loaded(rubric)))
    text = dumps(document)
    assert (binding_problems(rubric, text) == []) == (violations(rubric, json.loads(text)) == [])


def test_schema_to_a_file(tmp_path):
    """-o writes the schema to a file, UTF-8, the same as it prints; a broken rubric exits 2."""
    written = tmp_path / "考核" / "ezhou2013.schema.json"
    written.parent.mkdir()
    assert run("schema", RUBRICS / "ezhou2013.rub", "-o", written).status == 0
    assert written.read_text(encoding="utf-8") == run("schema", RUBRICS / "ezhou2013.rub").out
    broken = tmp_path / "broken.rub"
    broken.write_text('rubric "坏" { item a "甲" points }', encoding="utf-8")
    result = run("schema", broken)
    assert result.status == 2 and "broken.rub" in result.err and result.out == ""
