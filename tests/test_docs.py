"""Every example in the docs is a file the tests run: rubrics are checked, rounds scored, outputs compared."""

from __future__ import annotations

import contextlib
import io
import os
import re
import runpy
from pathlib import Path

import pytest

from .helpers import ROOT, run, same_as_golden

DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"
COOKBOOK = sorted(p.stem for p in (EXAMPLES / "cookbook").glob("*.rub"))
SHOWS_A_UNIT_REFUSED = {"15-require"}  # recipes whose round has a unit the rubric refuses: exit 1


def shown(folder: Path, *argv: str) -> tuple[int, str]:
    """Run the command line inside ``folder``, as the docs show it: what it printed, and its status."""
    status, out, err = run(*argv, cwd=folder)
    return status, err + out


@pytest.mark.parametrize("name", COOKBOOK)
def test_cookbook_recipe(name):
    """Each recipe's rubric checks clean, and scoring its round gives the output the cookbook shows."""
    folder = EXAMPLES / "cookbook"
    status, out = shown(folder, "check", f"{name}.rub")
    assert (status, out.splitlines()[-1]) == (0, f"{name}.rub: 0 errors, 0 warnings")
    status, out = shown(folder, "score", f"{name}.rub", f"{name}.json", "--explain")
    assert status == (1 if name in SHOWS_A_UNIT_REFUSED else 0)
    same_as_golden(folder / f"{name}.txt", out)


TUTORIAL = [
    # (command line, exit status, file showing its output)
    (("check", "draft2013.rub"), 1, "draft2013.check.txt"),
    (("check", "quality2013.rub"), 0, "quality2013.check.txt"),
    (("score", "quality2013.rub", "round2013.json"), 0, "score2013.txt"),
    (("score", "quality2013.rub", "round2013.json", "--explain"), 0, "explain2013.txt"),
    (("score", "quality2013.rub", "round2013.json", "--format", "json"), 0, "score2013.json"),
    (("check", "quality2014.rub"), 0, "quality2014.check.txt"),
    (("score", "quality2014.rub", "round2014.json"), 0, "score2014.txt"),
]


@pytest.mark.parametrize(("argv", "status", "golden"), TUTORIAL, ids=[t[2] for t in TUTORIAL])
def test_tutorial_step(argv, status, golden):
    """Each command of the tutorial gives the output the tutorial shows."""
    folder = EXAMPLES / "tutorial"
    got_status, out = shown(folder, *argv)
    assert got_status == status
    same_as_golden(folder / golden, out)


@pytest.mark.parametrize("script", ["tutorial/score2013.py", "api/build.py"])
def test_python_example(script):
    """The Python examples of the tutorial and the API page print what the pages show."""
    path = EXAMPLES / script
    out = io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(path.parent)
        with contextlib.redirect_stdout(out):
            runpy.run_path(path.name, run_name="__main__")
    finally:
        os.chdir(cwd)
    same_as_golden(path.with_name(path.name + ".txt"), out.getvalue())


@pytest.mark.parametrize("path", sorted((EXAMPLES / "language").glob("*.rub")), ids=lambda p: p.name)
def test_language_reference_examples_check_clean(path):
    """The rubrics the language reference quotes from are valid."""
    status, out = shown(path.parent, "check", path.name)
    assert (status, out.splitlines()[-1]) == (0, f"{path.name}: 0 errors, 0 warnings")


INCLUDE = re.compile(r"^\.\. literalinclude:: (\S+)(?P<options>(?:\n   :.*)*)", re.M)


def test_every_included_file_exists_and_every_marker_is_found():
    """literalinclude paths and their start-after / end-before markers all resolve."""
    for page in DOCS.glob("*.rst"):
        for match in INCLUDE.finditer(page.read_text(encoding="utf-8")):
            target = (page.parent / match.group(1)).resolve()
            assert target.exists(), (page.name, match.group(1))
            text = target.read_text(encoding="utf-8", errors="replace")
            for marker in re.findall(
                r":(?:start-after|end-before|start-at|end-at): (.+)", match.group("options")
            ):
                assert marker in text, (page.name, match.group(1), marker)


def test_no_rubric_is_written_inline_in_the_docs():
    """Rubric examples are included from tested files, so the docs cannot drift from the code."""
    for page in DOCS.glob("*.rst"):
        assert ".. code-block:: rubric" not in page.read_text(encoding="utf-8"), page.name
