#!/usr/bin/env python3
"""Answers for ezhou2014-example from the independent Ezhou 2013 answers and the example's changes.

Exact decimal arithmetic on the rounds' own numbers; no rubricdsl code. Run from the
repository root: ``python rubrics/ezhou2014-example.cases/derive.py``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

SOURCE, TARGET = "rubrics/ezhou2013.cases", "rubrics/ezhou2014-example.cases"
PRODUCT = ["manufacturing_pass_rate", "food_drug_pass_rate", "agri_product_pass_rate"]


def cents(value: Decimal) -> str:
    return f"{value:.2f}"


def grade(total: Decimal, vetoes: list[str]) -> str:
    """The 2014 scale (A needs 92), then the vetoes: systemic_incident forces D, major_accident caps at B."""
    earned = "A" if total >= 92 else "B" if total >= 80 else "C" if total >= 60 else "D"
    if "systemic_incident" in vetoes:
        return "D"
    return "B" if "major_accident" in vetoes and earned == "A" else earned


def answer(unit: dict[str, Any], before: dict[str, Any], targets: dict[str, Any]) -> dict[str, Any]:
    """A unit's 2014 answer from its 2013 one."""
    after: dict[str, Any] = json.loads(json.dumps(before))
    items = after["items"]
    # 制造业: (0..1] now deducts 2; 9.00 is that band's score alone (the others give 8, 5, 1..4 or 0).
    if items["manufacturing_pass_rate"] == "9.00":
        items["manufacturing_pass_rate"] = "8.00"
    # 食品、药品: completing [90..95) of the target now deducts 3 (it deducted 2, in [90..100)).
    value, target = unit["values"]["food_drug_pass_rate"], targets["food_drug_pass_rate"]
    if 90 <= 100 * Fraction(str(value)) / Fraction(str(target)) < 95:
        assert items["food_drug_pass_rate"] == "3.00"
        items["food_drug_pass_rate"] = "2.00"
    after["groups"]["product"] = cents(min(sum(Decimal(items[i]) for i in PRODUCT), Decimal(20)))
    total = sum((Decimal(v) for v in after["groups"].values()), Decimal(0))
    vetoes = unit.get("vetoes", [])
    after.update(total=cents(total), grade=grade(total, vetoes), vetoed=bool(vetoes))
    return after


def main() -> None:
    for case in ["01", "02", "03", "04", "05", "06", "07"]:
        with open(f"{SOURCE}/{case}.json", encoding="utf-8") as handle:
            data = json.load(handle)
        with open(f"{SOURCE}/{case}.expected.json", encoding="utf-8") as handle:
            answers = json.load(handle)
        if case == "07":  # the full-marks unit again, with the new veto
            data["units"].append({**data["units"][0], "id": "事故区", "vetoes": ["major_accident"]})
            answers["事故区"] = answers["满分区"]
        derived = {u["id"]: answer(u, answers[u["id"]], data["targets"]) for u in data["units"]}
        with open(f"{TARGET}/{case}.json", "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
        with open(f"{TARGET}/{case}.expected.json", "w", encoding="utf-8") as handle:
            json.dump(derived, handle, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
