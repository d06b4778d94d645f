"""template and merge: a sheet per 考核部门, filled in, merged into one round, scored; conflicts and gaps located."""

from __future__ import annotations

import csv
import json

from .helpers import EZHOU, ROOT, published_totals, run

DISTRICTS = ROOT / "examples" / "ezhou2013-districts.json"


def fill(folder, round_document, change=None):
    """Fill every sheet in ``folder`` from a round's values and scores, as each department would."""
    units = {u["id"]: u for u in round_document["units"]}
    for sheet in sorted(folder.glob("*.csv")):
        rows = list(csv.reader(sheet.read_text(encoding="utf-8-sig").splitlines()))
        header = rows[0]
        for row in rows[2:]:
            unit = units[row[0]]
            for index, column in enumerate(header[1:], 1):
                section, item, *name = column.split(".")
                value = unit.get(section, {}).get(item, "")
                row[index] = str(value[name[0]] if name else value)
                if change and change(sheet.stem, row[0], column):
                    row[index] = change(sheet.stem, row[0], column)
        sheet.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8-sig")


def test_template_fill_merge_score_gives_the_rounds_scores(tmp_path):
    """A sheet per department from the rubric's departments, filled, merged with the round's targets,
    scores exactly as the round itself, and the published report shows every unit's total."""
    sheets = tmp_path / "sheets"
    status, out, _ = run("template", EZHOU, "--by-department", "--units", DISTRICTS, "-o", sheets)
    assert status == 0 and "市质监局.csv: 15 inputs, 6 units" in out
    header = (sheets / "市质监局.csv").read_text(encoding="utf-8-sig").splitlines()[:2]
    assert header[0].startswith("id,values.manufacturing_pass_rate,scores.brand_strategy")
    assert header[1].startswith("#说明,制造业产品质量合格率：value（percent [0..100]）")
    document = json.loads(DISTRICTS.read_text(encoding="utf-8"))
    fill(sheets, document)
    merged = tmp_path / "round.csv"
    status, out, _ = run("merge", *sorted(sheets.glob("*.csv")), "-o", merged)
    assert (status, out) == (0, "")
    vetoes = {u["id"]: u["vetoes"] for u in document["units"]}  # 否决 is the office's, not a department's
    assert vetoes["红莲湖旅游度假区"] == ["systemic_incident"]
    targets = ROOT / "examples" / "ezhou2013-districts.targets.csv"
    scored = run("score", EZHOU, merged, "--targets", targets, "--format", "json")[1]
    expected = run("score", EZHOU, DISTRICTS, "--format", "json")[1]
    units = {u["id"]: u for u in json.loads(scored)["units"]}
    for unit in json.loads(expected)["units"]:
        if not unit["vetoes"]:
            assert units[unit["id"]]["total"] == unit["total"], unit["id"]
    page = tmp_path / "report.html"
    assert run("report", EZHOU, merged, "--targets", targets, "-o", page).status == 0
    assert published_totals(page.read_text(encoding="utf-8"), units.values())


def test_merge_reports_conflicts_and_gaps_at_their_file_row_and_column(tmp_path):
    """Two departments giving one judged score differently: a conflict naming both sheets and rows;
    a value nobody gave: a gap; the round is written all the same, exit 1."""
    sheets = tmp_path / "sheets"
    run("template", EZHOU, "--by-department", "--units", DISTRICTS, "-o", sheets)
    document = json.loads(DISTRICTS.read_text(encoding="utf-8"))

    def change(department, unit, column):
        if department == "市工商局" and unit == "鄂城区" and column == "scores.brand_strategy":
            return "0.5"
        if unit == "华容区" and column == "values.food_drug_pass_rate":
            return " "
        return None

    fill(sheets, document, change)
    merged = tmp_path / "round.json"
    status, out, _ = run("merge", *sorted(sheets.glob("*.csv")), "-o", merged)
    lines = out.splitlines()
    assert status == 1 and merged.exists()
    assert any(
        line.startswith(f"{sheets / '市工商局.csv'}:3: conflict: 鄂城区: scores.brand_strategy: 0.5, but ")
        for line in lines
    )
    assert (
        f"{sheets / '市食品药品监管局.csv'}:4: gap: 华容区: values.food_drug_pass_rate: nobody gave it"
        in lines
    )
