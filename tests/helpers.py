"""What the tests share: paths, running the command line, golden files, rubric text analysed."""

from __future__ import annotations

import io
import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from rubricdsl.cli import main
from rubricdsl.compile import compile_tree
from rubricdsl.frontend import analyse
from rubricdsl.language import parse_text
from rubricdsl.model import Rubric
from rubricdsl.output import dumps
from rubricdsl.problems import Problem
from rubricdsl.source import Source

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
GOLDEN = TESTS / "golden"
DATA = TESTS / "data"
EZHOU = ROOT / "rubrics" / "ezhou2013.rub"
HEALTH = ROOT / "rubrics" / "health_supervision2013.rub"

# Ezhou's items scored from measured values; the others are judged.
QUANTITATIVE = (
    "manufacturing_pass_rate",
    "food_drug_pass_rate",
    "agri_product_pass_rate",
    "construction_acceptance_rate",
    "service_satisfaction",
)


class Result(NamedTuple):
    """What a command printed and how it exited."""

    status: int
    out: str
    err: str


def run(*argv: str | Path, cwd: Path | None = None) -> Result:
    """Run the command line in-process (inside ``cwd``, as the docs show it, if given)."""
    out, err = io.StringIO(), io.StringIO()
    before = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        status = main([str(a) for a in argv], stdout=out, stderr=err)
    finally:
        os.chdir(before)
    return Result(status, out.getvalue(), err.getvalue())


def same_as_golden(path: Path, text: str) -> None:
    """Compare with a golden file; ``UPDATE_GOLDEN=1`` rewrites it (then read the diff by eye).

    Where the output records what produced it, the checkout's folder and rubricdsl's version
    are set aside: the golden holds paths from the checkout and the version it was written with."""
    text = text.replace(f"{ROOT.as_posix()}/", "")
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert _any_version(text) == _any_version(path.read_text(encoding="utf-8"))


def _any_version(text: str) -> str:
    return re.sub(r'"rubricdsl": "[^"]*"', '"rubricdsl": "…"', text)


def apart_from_data(text: str) -> str:
    """JSON output with the round's files left out of its provenance: the same round in another format
    or place scores the same, but is another file."""
    document = json.loads(text, parse_float=Decimal)
    document.get("provenance", {}).pop("data", None)
    return dumps(document)


def problems(text: str) -> list[Problem]:
    """Every problem the front end finds in rubric text, as ``check`` reports them."""
    return analyse(Source("t.rub", text))[1]


def codes(text: str) -> list[str]:
    return [p.code for p in problems(text)]


def findings(text: str) -> list[tuple[str, str]]:
    return [(p.code, p.message) for p in problems(text)]


def rendered(text: str) -> str:
    """The problems as ``check`` prints them, without the summary line."""
    return "\n".join(p.render(Source("t.rub", text)) for p in problems(text))


def unchecked(text: str) -> Rubric:
    """A rubric compiled without validation or proofs, as a library caller might build one."""
    compiled = compile_tree(parse_text(text))
    assert not compiled.problems, compiled.problems
    return compiled.rubric


def write_round(folder: Path, document: Any, name: str = "round.json") -> Path:
    """A data file: ``document`` as JSON, or as given when it is already text."""
    path = folder / name
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def published_totals(html: str, units: Any) -> bool:
    """Whether every unit's id and its total, to two places, appear in the report, in the total's cell."""
    return all(u["id"] in html and f">{Decimal(str(u['total'])):.2f}<" in html for u in units)
