"""rubricdsl fmt: one layout for every rubric, keeping its lines, comments, spellings and meaning.

Every rubric any test parses is also formatted (``conftest.py``): fmt keeps its syntax tree,
its model, its comments, and formats its own output the same.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rubricdsl.language import format_text, parse_text, same_tree

from .helpers import GOLDEN, ROOT, run, same_as_golden

SHIPPED = sorted([*ROOT.glob("rubrics/*.rub"), *ROOT.glob("docs/examples/**/*.rub")])


def test_a_messy_rubric_gets_the_canonical_layout():
    """Indentation, spaces, intervals, ranges, calls, columns, comments and blank lines, as checked by eye."""
    messy = (GOLDEN / "fmt" / "messy.rub").read_text(encoding="utf-8")
    same_as_golden(GOLDEN / "fmt" / "messy.formatted.rub", format_text(messy))


def test_the_layout_keeps_every_line():
    """Line numbers that reports cite stay put: fmt joins and splits no line (blank runs aside)."""
    messy = (GOLDEN / "fmt" / "messy.rub").read_text(encoding="utf-8")
    formatted = format_text(messy)
    kept = [line.strip() for line in messy.splitlines() if line.strip()]
    assert len(kept) == len([line for line in formatted.splitlines() if line.strip()])


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_and_documented_rubrics_are_formatted(path):
    """Every rubric of rubrics/ and docs/ is in the canonical layout (CI runs fmt --check too)."""
    text = path.read_text(encoding="utf-8")
    assert format_text(text) == text


def _respaced(text: str, spaces: list[str]) -> str:
    """The text with the spaces between its words on each line replaced, and spaces put where there were
    none, outside texts and comments: what careless typing does, without changing a line."""
    pieces = re.split(r'("""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*|\n)', text)
    out, used = [], 0
    for piece in pieces:
        if not piece or piece.startswith(('"', "#", "\n")):
            out.append(piece)
            continue
        words = re.findall(r"\.\.|>=|<=|!=|[0-9]+(?:\.[0-9]+)?|[^\W\d]\w*|\S", piece)
        lead = piece[: len(piece) - len(piece.lstrip())]
        joined = []
        for word in words:
            joined.append(word)
            joined.append(spaces[used % len(spaces)] if word not in ("-",) else "")
            used += 1
        out.append(lead + "".join(joined))
    return "".join(out)


@given(
    st.sampled_from(SHIPPED),
    st.lists(st.sampled_from([" ", "  ", "\t", "\u3000", " \t "]), min_size=1, max_size=8),
)
def test_fmt_undoes_any_spacing_within_lines(path, spaces):
    """Whatever spaces and tabs stand between the words of a line, fmt gives the same file back."""
    text = path.read_text(encoding="utf-8")
    respaced = _respaced(text, spaces)
    assert same_tree(parse_text(respaced), parse_text(text))
    assert format_text(respaced) == text


# The command line ---------------------------------------------------------------------------


def _messy_copy(folder: Path) -> Path:
    copy = folder / "rubrics" / "messy.rub"
    copy.parent.mkdir()
    copy.write_text((GOLDEN / "fmt" / "messy.rub").read_text(encoding="utf-8"), encoding="utf-8")
    return copy


def test_fmt_rewrites_files_in_place_and_says_which(tmp_path):
    """fmt FOLDER lays out every .rub below it, reports each file it changed, and a second run changes none."""
    messy = _messy_copy(tmp_path)
    status, out, _ = run("fmt", tmp_path / "rubrics")
    assert (status, out) == (0, f"reformatted {messy}\n")
    assert messy.read_text(encoding="utf-8") == (GOLDEN / "fmt" / "messy.formatted.rub").read_text("utf-8")
    assert run("fmt", messy)[:2] == (0, "")


def test_fmt_check_lists_the_files_it_would_change_and_changes_none(tmp_path):
    """--check exits 1 naming the file, and leaves it as it was; a formatted file passes."""
    messy = _messy_copy(tmp_path)
    before = messy.read_bytes()
    status, out, _ = run("fmt", "--check", messy, ROOT / "rubrics" / "ezhou2013.rub")
    assert (status, out) == (1, f"would reformat {messy}\n")
    assert messy.read_bytes() == before


def test_fmt_diff_prints_a_unified_diff(tmp_path):
    """--diff prints what would change, as a unified diff, and exits 1."""
    messy = _messy_copy(tmp_path)
    status, out, _ = run("fmt", "--diff", messy)
    assert status == 1
    assert out.startswith(f"--- {messy}\n+++ {messy}\n")
    assert '-rubric   "考核"{\n' in out and '+rubric "考核" {\n' in out


def test_fmt_leaves_a_file_with_a_syntax_error_alone(tmp_path):
    """A file that does not parse gets its located error and exit 2, and is not touched."""
    broken = tmp_path / "broken.rub"
    broken.write_text('rubric "t" {\n  item a "甲" points 5 { judge }\n}\n', encoding="utf-8")
    status, out, err = run("fmt", broken)
    assert (status, out) == (2, "")
    assert f"{broken}:2:25: error[E002]" in err
    assert broken.read_text(encoding="utf-8").startswith('rubric "t" {\n  item a')


def test_pre_commit_offers_check_and_fmt():
    """.pre-commit-hooks.yaml has the two hooks, each running a command the CLI has, on .rub files."""
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert re.findall(r"- id: (\S+)", hooks) == ["rubricdsl-check", "rubricdsl-fmt"]
    for entry in re.findall(r"entry: (.+)", hooks):
        program, command = entry.split()
        shown = subprocess.run(
            [sys.executable, "-m", "rubricdsl", command, "--help"], capture_output=True, check=False
        )
        assert program == "rubricdsl" and shown.returncode == 0
    assert re.findall(r"^  files: (.+)", hooks, re.M) == [r"\.rub$", r"\.rub$"]


def test_a_minus_written_apart_from_its_number_joins_it():
    """'- 10' and '-\u300010' (an ideographic space pasted from a document) are -10: fmt writes them so."""
    text = 'rubric "t" {\n  item a "A" points 10 {\n    input n number [- 10..10]\n    bands n, higher is worse { [-\u300010..0] full  (0..10] zero }\n  }\n}\n'
    assert format_text(text) == text.replace("- 10", "-10").replace("-\u300010", "-10")
