"""Bad workbooks: each a located problem and its exit status; a bad cell never stops the other units."""

from __future__ import annotations

import json

import openpyxl
import pytest

from .helpers import EZHOU, ROOT, run

DISTRICTS = ROOT / "examples" / "ezhou2013-districts.json"


def good_round(tmp_path):
    """The Ezhou round as a workbook, opened for spoiling."""
    run("convert", DISTRICTS, "-o", tmp_path / "good.xlsx")
    return openpyxl.load_workbook(tmp_path / "good.xlsx")


def formula(book):
    book["units"]["B3"] = "=1/0+B2"


def error_cell(book):
    book["units"]["B3"] = "#DIV/0!"
    book["units"]["B3"].data_type = "e"


def date_cell(book):
    import datetime

    book["units"]["B3"] = datetime.date(2013, 5, 1)


def merged(book):
    book["units"].merge_cells("B3:B4")


# name, spoil, the problem's text, the unit it names
UNIT_PROBLEMS = [
    (
        "formula without a computed value",
        formula,
        "units!B3 (values.manufacturing_pass_rate): the formula =1/0+B2 has no computed value",
        "华容区",
    ),
    (
        "an error cell",
        error_cell,
        "units!B3 (values.manufacturing_pass_rate): the cell holds the error #DIV/0!",
        "华容区",
    ),
    ("a date cell", date_cell, "units!B3 (values.manufacturing_pass_rate): a date or time", "华容区"),
    ("merged cells", merged, "units!B4 (values.manufacturing_pass_rate): merged with B3:B4", "梁子湖区"),
]


@pytest.mark.parametrize(
    ("name", "spoil", "message", "unit"), UNIT_PROBLEMS, ids=[c[0] for c in UNIT_PROBLEMS]
)
def test_a_bad_cell_is_its_units_problem_at_its_cell(tmp_path, name, spoil, message, unit):
    """The bad cell's unit has the located problem (exit 1); every other unit is scored as before."""
    book = good_round(tmp_path)
    spoil(book)
    book.save(tmp_path / "bad.xlsx")
    status, out, _ = run("score", EZHOU, tmp_path / "bad.xlsx", "--format", "json")
    units = {u["id"]: u for u in json.loads(out)["units"]}
    assert status == 1
    errors = units[unit]["errors"]
    assert any(message in e["message"] and e["field"] == "values.manufacturing_pass_rate" for e in errors), (
        errors
    )
    assert not any(e["code"] == "E312" for e in errors)
    expected = {
        u["id"]: u["total"]
        for u in json.loads(run("score", EZHOU, DISTRICTS, "--format", "json").out)["units"]
    }
    assert units["鄂城区"]["total"] == expected["鄂城区"]


def test_a_hidden_sheet_and_hidden_rows_are_read_and_said(tmp_path):
    """A hidden units sheet and a hidden row are read all the same, and the notes say so."""
    book = good_round(tmp_path)
    book.create_sheet("visible", 0)
    book["units"].sheet_state = "hidden"
    book["units"].row_dimensions[3].hidden = True
    book.save(tmp_path / "hidden.xlsx")
    status, _, err = run("score", EZHOU, tmp_path / "hidden.xlsx")
    assert status == 0
    assert "the sheet 'units' is hidden: read all the same" in err
    assert "rows 3 of the sheet 'units' are hidden" in err


def no_units_sheet(tmp_path, book):
    book["units"].title = "Sheet1"


def no_id_column(tmp_path, book):
    book["units"]["A1"] = "编号"


def duplicate_ids(tmp_path, book):
    book["units"]["A3"] = "鄂城区"


def test_a_repeated_unit_id_refuses_both_units_and_scores_the_others(tmp_path):
    """Two rows with one id: each is refused naming the other's row (E308); the rest are scored (exit 1)."""
    book = good_round(tmp_path)
    duplicate_ids(tmp_path, book)
    book.save(tmp_path / "bad.xlsx")
    status, out, _ = run("score", EZHOU, tmp_path / "bad.xlsx", "--format", "json")
    units = json.loads(out)["units"]
    assert status == 1
    assert [u["errors"][0]["code"] for u in units[:2]] == ["E308", "E308"]
    assert all(u["total"] is not None for u in units[2:])


def merged_header(tmp_path, book):
    book["units"].merge_cells("B1:C1")


def twice_named(tmp_path, book):
    book["units"]["C1"] = book["units"]["B1"].value


def empty_units(tmp_path, book):
    del book["units"]
    book.create_sheet("units")


# name, spoil, the problem's text
ROUND_PROBLEMS = [
    ("no units sheet", no_units_sheet, "no sheet 'units' in the workbook (its sheets: 'Sheet1', 'targets')"),
    ("no id column", no_id_column, "units!1: no column 'id' in the header row"),
    ("merged header", merged_header, "units!B1:C1: header cells are merged"),
    (
        "a column named twice",
        twice_named,
        "units!C1: the column 'values.manufacturing_pass_rate' is named twice",
    ),
    ("an empty units sheet", empty_units, "the sheet 'units' is empty"),
]


@pytest.mark.parametrize(("name", "spoil", "message"), ROUND_PROBLEMS, ids=[c[0] for c in ROUND_PROBLEMS])
def test_a_workbook_that_cannot_be_a_round_stops_with_exit_2(tmp_path, name, spoil, message):
    """A problem with the whole workbook: exit 2, the problem at its sheet and cell, no traceback."""
    book = good_round(tmp_path)
    spoil(tmp_path, book)
    book.save(tmp_path / "bad.xlsx")
    status, _, err = run("score", EZHOU, tmp_path / "bad.xlsx")
    assert status == 2 and message in err and "Traceback" not in err


@pytest.mark.parametrize(
    "content", [b"id,values.a\n", b"", b"PK\x03\x04broken"], ids=["csv text", "empty file", "broken zip"]
)
def test_a_file_that_is_no_workbook_is_a_clear_problem(tmp_path, content):
    """A .xlsx file that is not a workbook: exit 2, saying so."""
    (tmp_path / "bad.xlsx").write_bytes(content)
    status, _, err = run("score", EZHOU, tmp_path / "bad.xlsx")
    assert status == 2 and "not an Excel workbook (.xlsx)" in err


def test_an_unreadable_cell_in_a_filled_sheet_is_located_by_merge(tmp_path):
    """merge: a formula without a value in a filled workbook is an 'unreadable' at its cell, exit 1."""
    book = good_round(tmp_path)
    formula(book)
    book.save(tmp_path / "sheet.xlsx")
    status, out, _ = run("merge", tmp_path / "sheet.xlsx", "-o", tmp_path / "round.json")
    assert status == 1
    assert (
        f"{tmp_path / 'sheet.xlsx'}:units!B3: unreadable: 华容区: values.manufacturing_pass_rate: the formula"
        in out
    )
