"""Excel workbooks: rounds read and written losslessly, scorecards and templates byte for byte the same."""

from __future__ import annotations

import json

import openpyxl

from .helpers import EZHOU, ROOT, apart_from_data, published_totals, run

DISTRICTS = ROOT / "examples" / "ezhou2013-districts.json"


def test_json_csv_xlsx_json_gives_back_the_same_round(tmp_path):
    """JSON → CSV → xlsx → JSON writes exactly what JSON → CSV → JSON does, hard numbers included."""
    source = tmp_path / "in.json"
    text = DISTRICTS.read_text(encoding="utf-8").replace(
        '"manufacturing_pass_rate": 94.85', '"manufacturing_pass_rate": 0.1', 1
    )
    text = text.replace('"food_drug_pass_rate": 96.2', '"food_drug_pass_rate": 12345678901234567890.5', 1)
    source.write_text(text, encoding="utf-8")
    assert run("convert", source, "-o", tmp_path / "r.csv").status == 0
    assert run("convert", tmp_path / "r.csv", "-o", tmp_path / "r.xlsx").status == 0
    assert run("convert", tmp_path / "r.xlsx", "-o", tmp_path / "via-xlsx.json").status == 0
    assert run("convert", tmp_path / "r.csv", "-o", tmp_path / "via-csv.json").status == 0
    via_xlsx = (tmp_path / "via-xlsx.json").read_text(encoding="utf-8")
    assert via_xlsx == (tmp_path / "via-csv.json").read_text(encoding="utf-8")
    assert "12345678901234567890.5" in via_xlsx and '"manufacturing_pass_rate": 0.1,' in via_xlsx
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["units"]
    assert sheet["B2"].value == 0.1 and sheet["C2"].value == "12345678901234567890.5"


def test_a_percent_cell_reads_as_the_number_of_percent(tmp_path):
    """A number formatted as a percent (0.945 shown 94.5%) and the text '94.5%' both read as 94.5."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "units"
    sheet.append(["id", "values.a", "values.b"])
    sheet.append(["东区", 0.945, "94.5%"])
    sheet["B2"].number_format = "0.0%"
    book.save(tmp_path / "r.xlsx")
    assert run("convert", tmp_path / "r.xlsx", "-o", tmp_path / "r.json").status == 0
    assert '"a": 94.5,\n' in (tmp_path / "r.json").read_text(encoding="utf-8")
    assert '"b": 94.5\n' in (tmp_path / "r.json").read_text(encoding="utf-8")


def test_one_round_in_every_format_scores_byte_for_byte_alike(tmp_path):
    """The same round as JSON, CSV (UTF-8 and GB18030) and xlsx gives the same score --format json,
    apart from the data files it records."""
    expected = apart_from_data(run("score", EZHOU, DISTRICTS, "--format", "json").out)
    run("convert", DISTRICTS, "-o", tmp_path / "r.csv")
    run("convert", DISTRICTS, "-o", tmp_path / "r.xlsx")
    gb = tmp_path / "gb.csv"
    gb.write_bytes((tmp_path / "r.csv").read_text(encoding="utf-8-sig").encode("gb18030"))
    (tmp_path / "gb.targets.csv").write_bytes((tmp_path / "r.targets.csv").read_bytes())
    for data in ("r.csv", "gb.csv", "r.xlsx"):
        assert apart_from_data(run("score", EZHOU, tmp_path / data, "--format", "json").out) == expected, data


def test_scorecards_as_a_workbook_are_the_same_bytes_each_time(tmp_path):
    """score -o out.xlsx twice: the same bytes; the table first, then the lost points by item."""
    assert run("score", EZHOU, DISTRICTS, "-o", tmp_path / "a.xlsx").status == 0
    run("score", EZHOU, DISTRICTS, "-o", tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert book.sheetnames == ["scorecards", "lost_points"]
    table = [[c.value for c in row] for row in book["scorecards"].iter_rows()]
    assert table[0][:3] == ["id", "rank", "total"] and table[1][:3] == ["鄂城区", 1, 94]
    lost = [[c.value for c in row] for row in book["lost_points"].iter_rows()]
    assert lost[0] == ["unit", "item", "title", "max", "score", "lost", "why"]
    assert lost[1][:6] == ["鄂城区", "agri_product_pass_rate", "主要农产品质量安全监测合格率", 5, 3, 2]


def fill_workbooks(folder, document):
    """Fill every workbook sheet in ``folder`` from the round's values and scores."""
    units = {u["id"]: u for u in document["units"]}
    for path in sorted(folder.glob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        sheet = book["units"]
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=3):
            unit = units[row[0].value]
            for cell, column in zip(row[1:], header[1:], strict=True):
                section, item, *name = column.split(".")
                value = unit.get(section, {}).get(item)
                cell.value = value[name[0]] if name else value
        book.save(path)


def test_template_fill_merge_score_in_workbooks(tmp_path):
    """Workbook templates per department, filled, merged into an .xlsx round, score as the JSON round,
    and the published report shows every unit's total."""
    sheets = tmp_path / "sheets"
    status, out, _ = run(
        "template", EZHOU, "--by-department", "--format", "xlsx", "--units", DISTRICTS, "-o", sheets
    )
    assert status == 0 and "市质监局.xlsx: 15 inputs, 6 units" in out
    sheet = openpyxl.load_workbook(sheets / "市质监局.xlsx")["units"]
    assert sheet.freeze_panes == "B3" and sheet["B1"].comment.text.startswith("制造业产品质量合格率")
    document = json.loads(DISTRICTS.read_text(encoding="utf-8"))
    fill_workbooks(sheets, document)
    merged = tmp_path / "round.xlsx"
    status, out, _ = run("merge", *sorted(sheets.glob("*.xlsx")), "-o", merged)
    assert (status, out) == (0, "")
    targets = ROOT / "examples" / "ezhou2013-districts.targets.csv"
    scored = json.loads(run("score", EZHOU, merged, "--targets", targets, "--format", "json").out)
    expected = json.loads(run("score", EZHOU, DISTRICTS, "--format", "json").out)
    totals = {u["id"]: u["total"] for u in scored["units"]}
    for unit in expected["units"]:
        if not unit["vetoes"]:
            assert totals[unit["id"]] == unit["total"], unit["id"]
    page = tmp_path / "report.html"
    assert run("report", EZHOU, merged, "--targets", targets, "-o", page).status == 0
    assert published_totals(page.read_text(encoding="utf-8"), scored["units"])


def test_one_template_has_every_input(tmp_path):
    """Without --by-department, one sheet round.xlsx with every input column once."""
    status, out, _ = run("template", EZHOU, "--format", "xlsx", "--units", DISTRICTS, "-o", tmp_path)
    assert status == 0 and out.endswith("round.xlsx: 24 inputs, 6 units\n")
    header = [c.value for c in openpyxl.load_workbook(tmp_path / "round.xlsx")["units"][1]]
    assert len(header) == len(set(header)) == 25


def test_without_openpyxl_a_workbook_is_a_clear_problem(tmp_path, monkeypatch):
    """No openpyxl: reading an .xlsx exits 2 saying how to install it, without a traceback."""
    run("convert", DISTRICTS, "-o", tmp_path / "r.xlsx")
    monkeypatch.setitem(__import__("sys").modules, "openpyxl", None)
    status, _, err = run("score", EZHOU, tmp_path / "r.xlsx")
    assert status == 2 and "reading .xlsx needs openpyxl: pip install 'rubricdsl[excel]'" in err
    assert "Traceback" not in err


def test_merge_takes_csv_and_workbook_sheets_together_and_locates_a_conflict_by_cell(tmp_path):
    """A CSV sheet and a workbook giving one score differently: the conflict names the workbook's cell."""
    run("template", EZHOU, "--units", DISTRICTS, "-o", tmp_path / "csv")
    run("template", EZHOU, "--format", "xlsx", "--units", DISTRICTS, "-o", tmp_path / "xlsx")
    document = json.loads(DISTRICTS.read_text(encoding="utf-8"))
    fill_workbooks(tmp_path / "xlsx", document)
    book = openpyxl.load_workbook(tmp_path / "xlsx" / "round.xlsx")
    header = [c.value for c in book["units"][1]]
    rows = [header, *[[u["id"], *[""] * (len(header) - 1)] for u in document["units"]]]
    rows[1][header.index("scores.coordination")] = "0.5"
    (tmp_path / "csv" / "round.csv").write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    status, out, _ = run(
        "merge", tmp_path / "xlsx" / "round.xlsx", tmp_path / "csv" / "round.csv", "-o", tmp_path / "m.xlsx"
    )
    column = openpyxl.utils.get_column_letter(header.index("scores.coordination") + 1)
    conflict = f"{tmp_path / 'csv' / 'round.csv'}:2: conflict: 鄂城区: scores.coordination: 0.5, but {tmp_path / 'xlsx' / 'round.xlsx'}:units!{column}3 gives 3"
    assert status == 1 and conflict in out.splitlines()
