"""The syntax tree prints back: every character kept, comments attached, raw spellings, spans apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from rubricdsl.language import comments, parse, parse_text, unparse
from rubricdsl.language import syntax as s
from rubricdsl.source import Source

from .helpers import EZHOU, ROOT

RUBRIC_FILES = sorted(
    path
    for folder in ("rubrics", "docs", "tests")
    for path in (ROOT / folder).rglob("*.rub")
    if "_build" not in path.parts
)


def parsed(path: Path) -> tuple[str, s.Rubric | None]:
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    return text, parse(Source(path.name, text))[0]


@pytest.mark.parametrize("path", RUBRIC_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_rubric_file_prints_back_byte_for_byte(path):
    """Every .rub file of the repository that parses prints back from its tree exactly as written."""
    text, tree = parsed(path)
    if tree is None:
        assert "golden/diagnostics/E00" in path.as_posix(), "only the syntax-error goldens do not parse"
        return
    assert unparse(tree) == text


def test_most_rubric_files_parse():
    """The print-back test above is not vacuous: all but the syntax-error goldens parse."""
    failing = [p.name for p in RUBRIC_FILES if parsed(p)[1] is None]
    assert sorted(failing) == ["E001.rub", "E002.rub", "E003.rub", "E004.rub", "E006.rub", "E007.rub"]
    assert len(RUBRIC_FILES) - len(failing) >= 40


def test_everything_around_the_rubric_is_kept():
    """Comments and blank lines before ``rubric`` and after its last brace, CRLF line ends, odd spaces."""
    text = '\ufeff# 2013年\r\n\r\nrubric\u3000"t" {\r\n  total   100.00\t# 满分\r\n  item a "甲" points 1 { judged }\r\n}\r\n\r\n# end\r\n'
    assert unparse(parse_text(text)) == text


def test_raw_spellings_are_kept():
    """A number keeps its zeros and sign as written, a text its quotes and escapes."""
    tree = parse_text('rubric "考核\\t\\"二〇一三\\"" { total 100.0 item a "甲" points - 5 { judged } }')
    total, item = tree.body
    assert (tree.title.value, tree.title.raw) == ('考核\t"二〇一三"', '"考核\\t\\"二〇一三\\""')
    assert (total.value.value, total.value.text) == (100, "100.0")
    assert (item.attributes[0].value.value, item.attributes[0].value.text) == (-5, "- 5")


def test_spans_and_layout_take_no_part_in_equality():
    """Two files that say the same thing in the same words have equal trees, however they are laid out."""
    compact = parse_text('rubric "t" { total 100 item a "甲" points 1 { judged } }')
    spread = parse_text(
        '# 注释\nrubric "t" {\n  total 100   # 满分\n\n  item a "甲" points 1 {\n    judged\n  }\n}\n'
    )
    assert compact == spread
    assert compact.span != spread.span and compact.gaps != spread.gaps
    assert compact != parse_text('rubric "t" { total 100.0 item a "甲" points 1 { judged } }')


def test_comments_are_attached_to_the_node_they_precede_or_follow():
    """A comment on its own line goes with what follows it; one after code, with what it follows."""
    text = EZHOU.read_text(encoding="utf-8")
    attached = list(comments(parse_text(text)))
    assert len(attached) == text.count("#")  # Ezhou has no '#' inside a text
    by_text = {a.comment.text: a for a in attached}
    edge = by_text["# 含1个百分点，下同: the upper edge belongs to the band"]
    assert (type(edge.node).__name__, edge.placement) == ("Identifier", "after")  # the bands' measure
    assert [text[a.comment.offset : a.comment.offset + len(a.comment.text)] for a in attached] == [
        a.comment.text for a in attached
    ]
    offsets = [a.comment.offset for a in attached]
    assert offsets == sorted(offsets)


def test_comments_before_a_statement_and_at_the_end_of_a_block():
    """Own-line comments lead the next statement; one before a closing brace ends its block."""
    tree = parse_text('rubric "t" {\n  # 加分项\n  item a "甲" points 1 {\n    judged\n    # 完\n  }\n}')
    (lead, end) = comments(tree)
    assert (lead.comment.text, lead.placement, lead.node.id.name) == ("# 加分项", "before", "a")
    assert (end.comment.text, end.placement, end.node.id.name) == ("# 完", "end", "a")


def test_a_node_made_by_a_program_does_not_print():
    """A tree not read from a file has no gaps to print; the formatter, not unparse, lays it out."""
    node = s.Setting("total", s.Number(100, "100"))
    with pytest.raises(ValueError, match="not read from a file"):
        unparse(node)
