"""README's examples run as written, and its two set-up commands are where .ci/run finds them."""

from __future__ import annotations

import contextlib
import io
import os
import re

import rubricdsl

from .helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_python_example_scores_the_shipped_round():
    """The Python example prints one line per district of the example round."""
    out = io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(ROOT)
        with contextlib.redirect_stdout(out):
            exec(blocks("python")[0], {})
    finally:
        os.chdir(cwd)
    assert out.getvalue().splitlines()[0] == "鄂城区 94.00 A"
    assert len(out.getvalue().splitlines()) == 6


def test_rubric_example_compiles_and_scores():
    """The rubric shown in README is valid and scores a unit."""
    (example,) = blocks("rubric")
    rubric = rubricdsl.loads(example)
    document = {
        "targets": {"manufacturing_pass_rate": 95.2},
        "units": [{"id": "鄂城区", "values": {"manufacturing_pass_rate": 80}}],
    }
    (card,) = rubricdsl.score(rubric, document)
    assert str(card.reported_total) == "2.44"


def test_set_up_commands_are_marked():
    """The main and test commands sit between the markers .ci/run reads."""
    for name in ("main-command", "test-command"):
        block = re.search(rf"<!-- {name}: start -->\n```sh\n(.+)\n```\n<!-- {name}: end -->", README)
        assert block is not None, name
    assert "python -m pytest" in README
