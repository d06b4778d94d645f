"""Broken rubrics: located, rendered diagnostics with stable codes, never a traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import rubricdsl
from rubricdsl.cli import main
from rubricdsl.problems import CODES

from .helpers import codes, findings, problems, rendered

SYNTAX = [
    (
        'rubric "考核" {\n  year 2013;\n}\n',
        "t.rub:2:12: error[E001]: unexpected character ';'\n"
        "  2 |   year 2013;\n"
        "    |            ^\n"
        "help: outside a text, statements need no ';'; just remove it",
    ),
    (
        'rubric "考核" {\n  item a （甲乙） points 3 { judged }\n}\n',
        "t.rub:2:10: error[E001]: unexpected character '（'\n"
        "  2 |   item a （甲乙） points 3 { judged }\n"
        "    |          ^^\n"
        "help: outside a text, write '('",
    ),
    (
        'rubric "考核" {\n  item a "甲乙" points { judged }\n}\n',
        "t.rub:2:22: error[E002]: unexpected '{'\n"
        '  2 |   item a "甲乙" points { judged }\n'
        "    |                        ^\n"
        "help: expected a number",
    ),
    (
        'rubric "考核" {\n  itme a "甲" points 3 { judged }\n}\n',
        "t.rub:2:3: error[E002]: unexpected 'itme'\n"
        '  2 |   itme a "甲" points 3 { judged }\n'
        "    |   ^^^^\n"
        "help: did you mean 'item'?",
    ),
    (
        'rubric "考核" {\n  item a "甲" points 3 {\n    judged\n',
        "t.rub:3:11: error[E003]: unexpected end of file: the '{' on line 2 is never closed\n"
        "  3 |     judged\n"
        "    |           ^\n"
        "help: add '}' where that block ends",
    ),
    (
        'rubric "考核" {\n  item a "甲乙 points 3 { judged }\n}\n',
        "t.rub:2:10: error[E004]: unterminated string\n"
        '  2 |   item a "甲乙 points 3 { judged }\n'
        "    |          ^\n"
        'help: a "text" ends on its own line and knows the escapes \\" \\\\ \\n \\t; '
        'use """text""" for text over several lines',
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), SYNTAX, ids=["E001", "E001-full-width", "E002", "E002-hint", "E003", "E004"]
)
def test_syntax_error_rendering(text, expected):
    """A syntax error shows path:line:col, severity and code, the line, a caret under the culprit, and help."""
    assert rendered(text) == expected


def test_caret_lines_up_under_chinese_text():
    """Wide characters take two columns, so the caret still lands under the mistake."""
    shown = rendered(
        'rubric "考核" {\n  item 甲 "甲乙丙" points 3 { judged } item 甲 "乙" points 1 { judged }\n}\n'
    )
    line, caret = shown.splitlines()[1:3]
    assert caret.index("^") == len(
        line[: line.rindex('甲 "乙')].encode("gbk")
    )  # GBK: 2 bytes per Chinese char


SEMANTIC = [
    ('rubric "t" { item a "甲" points 1 { judged } group a "乙" { } }', ["E101"]),
    ('rubric "t" { item a "甲" points 1 { input x number input x number judged } }', ["E102"]),
    ('rubric "t" { item a "甲" points 1 { input x number measure y = x + z bands y, higher is worse { (..) full } } }', ["E103"]),
    ('rubric "t" { item a "甲" points 1 { input x number measure y = avg(x) bands y, higher is worse { (..) full } } }', ["E104"]),
    ('rubric "t" { item a "甲" points 1 { input x number measure y = floor(x, 2) bands y, higher is worse { (..) full } } }', ["E104"]),
    ('rubric "t" { item a "甲" { judged } }', ["E105"]),
    ('rubric "t" { year 2013 year 2014 item z "乙" points 1 { judged } }', ["E105"]),
    ('rubric "t" { year 2013.5 item z "乙" points 1 { judged } }', ["E106"]),
    ('rubric "t" { round 11 item z "乙" points 1 { judged } }', ["E106"]),
    ('rubric "t" { item a "甲" points 0 { judged } }', ["E106"]),
    ('rubric "t" { item a "甲" points 1 { input x number judged bands x, higher is worse { (..) full } } }', ["E107"]),
    ('rubric "t" { item a "甲" points 1 { input x number [5..1] judged } }', ["E108"]),
    ('rubric "t" { item a "甲" points 1 { input x number bands x, higher is worse { (1..1] full [..1] zero (1..) zero } } }', ["E108", "E108"]),
    ('rubric "t" { item a "甲" points 1 { input x number bands x, higher is worse { (..0] deduct 2 (0..) zero } } }', ["E109"]),
    ('rubric "t" { item a "甲" points 5 { input x number bands x, higher is worse { (..0] full (0..) deduct 1..2 linear } } }', ["E110"]),
    ('rubric "t" { grades { A >= 90 B } veto v "否决" { grade C } item z "乙" points 1 { judged } }', ["E111"]),
    ('rubric "t" { grades { A >= 80 B >= 90 C } item z "乙" points 1 { judged } }', ["E112"]),
    ('rubric "t" { grades { A B >= 90 } item z "乙" points 1 { judged } }', ["E112"]),
    ('rubric "t" { grades { A >= 90 A } item z "乙" points 1 { judged } }', ["E112"]),
    ('rubric "t" { grades { A >= 90 B } veto v "否决" { } item z "乙" points 1 { judged } }', ["E113"]),
    ('rubric "t" { item a "甲" points 1 { input x number measure y = z + x measure z = x bands y, higher is worse { (..) full } } }', ["E114"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"), SEMANTIC, ids=[f"{c[0]}-{i}" for i, (_, c) in enumerate(SEMANTIC)]
)
def test_semantic_error_codes(text, expected):
    """Each semantic mistake is reported with its own stable code."""
    assert codes(text) == expected


def test_every_code_is_registered():
    """Every code the checks use has a registry entry, so it can be documented."""
    used = {code for _, expected in SEMANTIC for code in expected} | {"E001", "E002", "E003", "E004"}
    assert used <= set(CODES)


def test_all_errors_of_a_file_are_reported_at_once():
    """Errors are collected, not raised one by one: three mistakes, three diagnostics, in source order."""
    text = """rubric "t" {
      item a "甲" points 1 { input x number measure y = q bands y, higher is worse { (..) full } }
      item b "乙" { judged }
      veto v "否决" { grade Z }
    }"""
    found = problems(text)
    assert [(d.code, d.span.line) for d in found] == [("E103", 2), ("E105", 3), ("E111", 4)]


def test_unknown_name_suggests_the_nearest():
    """A misspelt measure gets the nearest defined name as help."""
    text = 'rubric "t" { item a "甲" points 1 { input shortfall number bands shortfal, higher is worse { (..) full } } }'
    (found,) = problems(text)
    assert found.help == "did you mean 'shortfall'?"


def test_loads_raises_with_every_diagnostic():
    """The library raises RubricError carrying the diagnostics; its text is the rendered report."""
    with pytest.raises(rubricdsl.RubricError) as raised:
        rubricdsl.loads('rubric "t" {\n  item a "甲" { judged }\n}', path="bad.rub")
    assert [d.code for d in raised.value.diagnostics] == ["E105"]
    assert str(raised.value).startswith("bad.rub:2:8: error[E105]: item 'a' declares no points")


def test_cli_prints_diagnostics_without_a_traceback(tmp_path):
    """From the command line a syntax error is a message and exit 2, never a Python traceback."""
    rubric = tmp_path / "bad.rub"
    rubric.write_text('rubric "考核" {\n  item a "甲" points 3 { judged\n', encoding="utf-8")
    data = tmp_path / "round.json"
    data.write_text('{"units": []}', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "rubricdsl", "score", str(rubric), str(data)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{rubric}:2:31: error[E003]: unexpected end of file")


def test_cli_json_diagnostics(tmp_path):
    """With --format json a broken rubric's diagnostics come out as structured records."""
    rubric = tmp_path / "bad.rub"
    rubric.write_text('rubric "t" { item a "甲" { judged } }', encoding="utf-8")
    data = tmp_path / "round.json"
    data.write_text('{"units": []}', encoding="utf-8")
    out = io.StringIO()
    assert main(["score", str(rubric), str(data), "--format", "json"], stdout=out, stderr=io.StringIO()) == 2
    (record,) = json.loads(out.getvalue())["errors"]
    assert record == {
        "path": str(rubric), "line": 1, "column": 19, "end_line": 1, "end_column": 20, "severity": "error",
        "code": "E105", "message": "item 'a' declares no points",
        "help": 'write the points after the title: item id "标题" points 10 { ... }', "witnesses": [],
        "unit": None, "field": None,
    }  # fmt: skip


def test_unreadable_rubric(tmp_path):
    """A rubric file that cannot be read is reported with its path, exit 2."""
    err = io.StringIO()
    status = main(
        ["score", str(tmp_path / "none.rub"), str(tmp_path / "x.json")], stdout=io.StringIO(), stderr=err
    )
    assert status == 2
    assert err.getvalue().startswith(f"{Path(tmp_path / 'none.rub')}: error[E005]: cannot read the rubric")


def test_text_after_the_rubric_is_an_error_not_a_crash():
    """A stray '}' after the rubric's last brace is reported, not a traceback."""
    assert rendered('rubric "t" {\n  item a "甲" points 1 { judged }\n}\n}\n') == (
        "t.rub:4:1: error[E002]: unexpected '}'\n  4 | }\n    | ^\nhelp: expected the end of the file"
    )


def test_several_syntax_errors_are_reported_in_one_run():
    """The parser recovers after a syntax error, so each broken line is reported."""
    text = 'rubric "t" {\n  item a "甲" points 3 { judge }\n  item b "乙" pionts 3 { judged }\n  item c "丙" points 1O { judged }\n}\n'
    found = problems(text)
    assert [(d.code, d.span.line, d.help) for d in found] == [
        ("E002", 2, "did you mean 'judged'?"),
        ("E002", 3, "did you mean 'points'?"),
        ("E002", 4, "expected 'bonus', 'no', 'points', 'tag', '{'"),
    ]


def test_caret_under_a_name_after_tabs():
    """Tabs are shown as four columns and the caret still lands under the name."""
    text = 'rubric "t" {\n  item a "甲" points 1 {\n\t\tinput value number\n\t\tmeasure m = 100 * valu / 2\n\t\tbands m, higher is worse { (..) full }\n  }\n}\n'
    shown = rendered(text).splitlines()
    assert shown[0] == "t.rub:4:21: error[E103]: unknown name 'valu'"
    assert shown[1] == "  4 |         measure m = 100 * valu / 2"
    assert shown[2] == "    |                           ^^^^"


def test_only_newlines_end_lines():
    """A U+2028 inside a comment does not shift the line shown under the message."""
    text = 'rubric "t" {\n  # note\u2028more\n  item a "甲" points 1 { judged }\n  item b "乙" points -1 { judged }\n}\n'
    shown = rendered(text).splitlines()
    assert shown[0].startswith("t.rub:4:")
    assert shown[1] == '  4 |   item b "乙" points -1 { judged }'


@pytest.mark.parametrize(
    ("text", "code", "help"),
    [
        (
            'rubric "t" {\n  item a "甲" points 3 { judged }\n  item b "乙" points 3—4 { judged }\n}',
            "E001",
            "outside a text, a range of deductions is written 'deduct 6..9'",
        ),
        ('rubric "t" {\n  item a "甲" points 3 { standard """never closed\n}', "E004", 'close it with """'),
    ],
)
def test_lookalikes_and_unclosed_text_blocks(text, code, help):
    """Typical slips get a hint that says what to write."""
    (found,) = problems(text)
    assert (found.code, found.help) == (code, help)


def test_no_break_spaces_count_as_spaces():
    """Spaces pasted from a Word document (no-break, ideographic) separate words like a space."""
    rubricdsl.loads('rubric "t"\u00a0{\u3000item a "甲" points 1 { judged } }')


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('rubric "t" { item a "甲" points 1' + "0" * 5000 + " { judged } }", "E006"),
        ('rubric "t" { ' + 'group "g" { ' * 1000 + 'item a "甲" points 1 { judged }' + " }" * 1001, "E007"),
        (
            'rubric "t" { item a "甲" points 1 { input v number measure m = '
            + "-" * 3000
            + "v bands m, higher is worse { (..) full } } }",
            "E007",
        ),
    ],
    ids=["number-too-long", "nested-groups", "nested-expression"],
)
def test_hostile_rubrics_get_diagnostics(text, code):
    """Absurd numbers and nesting are refused with a diagnostic, not a traceback."""
    assert codes(text) == [code]


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ('rubric "t" { item a "甲" points 5 { input v number bands v, higher is worse { (..5) full [5..5] deduct 1..2 linear (5..) zero } } }', "E110", "a linear range needs a band with two different edges"),
        ('rubric "t" { grades { A >= 9 B } veto v "否决" points 3 { grade B } item a "甲" points 1 { judged } }', "E115", "a veto takes no points"),
        ('rubric "t" { item a "甲" points 10 { } }', "E116", "item 'a' has no scoring rule, so it would always score full points"),
        ('rubric "t" { group g "组" { } }', "E117", "the rubric has no items, so it can score nothing"),
        ('rubric "t" { round 2 round 3 item a "甲" points 1 { judged } }', "E105", "'round' is set twice"),
    ],
)  # fmt: skip
def test_more_semantic_errors(text, code, message):
    """Equal edges under a linear range, points on a veto, items without rules, rubrics without items."""
    (found,) = problems(text)
    assert (found.code, found.message) == (code, message)


def test_vetoes_follow_the_first_grade_scale():
    """With two grades blocks, the second is reported once and vetoes are checked against the first."""
    text = 'rubric "t" { grades { A >= 9 B } grades { X >= 9 Y } veto v "否决" { grade B } item a "甲" points 1 { judged } }'
    assert codes(text) == ["E105"]


# Found by comparing the redesigned pipeline with the one before it.


def test_a_rubric_may_have_many_notes():
    """``note`` may be written any number of times; only settings are once each."""
    assert codes('rubric "t" { note "甲" note "乙" item a "甲" points 5 { judged } }') == []


def test_two_identical_items_are_both_still_proved():
    """An item that equals a duplicate is not taken for the duplicate: its gap is still reported."""
    item = 'item a "甲" points 5 { input v percent bands v, lower is worse { [90..100] full [0..80) zero } }'
    assert codes(f'rubric "t" {{\n  {item}\n  {item}\n}}') == ["E201", "E101"]


def test_a_veto_against_an_empty_grade_scale():
    """With no grade in the scale, a veto's grade is reported as naming no declared grade."""
    text = 'rubric "t" { grades { } item a "甲" points 5 { judged } veto v "否" { grade A } }'
    assert findings(text) == [
        ("E112", "a grade scale needs at least one grade"),
        ("E111", "a veto names a grade, but the rubric declares no grades"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('rubric "t" { item a "甲" points 5 { input v percent judged bands v, lower is worse { [90..1] full (..90) deduct 9 } } }', ["E107", "E108", "E109"]),
        ('rubric "t" { item a "甲" points 5 { input n count applies when n > 0 applies when m > 0 judged } }', ["E105", "E103"]),
        ('rubric "t" { total 100 total 0 item a "甲" points 5 { judged } }', ["E105", "E106"]),
        ('rubric "t" { item a "甲" points 5 points 0 { judged } }', ["E105", "E106"]),
        ('rubric "t" { grades { A >= 90 B } grades { X >= 9 Y >= 10 } item a "甲" points 5 { judged } }', ["E105", "E112"]),
        ('rubric "t" { grades { A >= 90 B } item a "甲" points 5 { judged } veto v "否" { grade A grade Z } }', ["E113", "E111"]),
    ],
    ids=["second-rule", "second-applies", "second-total", "second-points", "second-grades", "second-grade-rule"],
)  # fmt: skip
def test_what_a_repeated_statement_holds_is_checked_too(text, expected):
    """A statement given twice is an error, and the mistakes inside the repeat are reported with it."""
    assert codes(text) == expected


def test_a_duplicate_names_the_line_of_the_first_id():
    """'already used on line N' points at the line the first id is written on, not its keyword."""
    text = 'rubric "t" {\n  item\n    a "甲" points 5 { judged }\n  item a "乙" points 5 { judged }\n}'
    assert findings(text) == [("E101", "id 'a' is already used on line 3")]


def test_an_empty_file_shows_where_it_ends():
    """Even an empty file gets its line and a caret."""
    assert (
        rendered("")
        == "t.rub:1:1: error[E003]: unexpected end of file\n  1 |\n    | ^\nhelp: expected 'rubric'"
    )


def test_a_deduction_or_condition_that_may_divide_by_zero_is_warned_about():
    """Like a measure, a deduction or a condition that divides by a value that may be 0 is a warning."""
    text = 'rubric "t" { item a "甲" points 5 { input v count applies when 10 / v > 1 deduct 1 per 10 / v } }'
    assert findings(text) == [
        ("W107", "'applies when 10 / v > 1' of 甲 may divide by zero"),
        ("W107", "'deduct 1 per 10 / v' of 甲 may divide by zero"),
    ]
    guarded = 'rubric "t" { item a "甲" points 5 { input v count applies when v > 0 deduct 1 per 10 / v } }'
    assert codes(guarded) == []


def test_an_error_the_parser_is_still_stuck_on_is_reported_once():
    """After ``score 0.2 per …`` the parser waits for '=' until the block ends: one error, not one a line."""
    text = 'rubric "t" {\n  item a "甲" points 5 {\n    score 0.2 per n\n    bonus 1 per n\n    bonus 2 per n\n  }\n}'
    assert [(p.code, p.span.line, p.help) for p in problems(text)] == [("E002", 3, "expected '='")]


@pytest.mark.parametrize(
    ("text", "message", "help"),
    [
        (
            'rubric "t" { item a "甲" points 5 {\n  input x count\n  deduct 1 when (x > 1 or x < 0\n  deduct 2 when x > 3\n} }',
            "unexpected 'deduct': the '(' on line 3 is never closed",
            "add the ')' that closes the '(' at line 3, column 17",
        ),
        (
            'rubric "t" { item a "甲" points 5 {\n  input x count\n  deduct 1 when x > 1 or x < 0)\n} }',
            "unexpected ')'",
            "no '(' is open here: remove it, or add the '(' it closes",
        ),
        (
            'rubric "t" { item a "甲" points 5 {\n  input x count\n  measure m = max(x, 2\n  deduct 1 per m\n} }',
            "unexpected 'deduct': the '(' on line 3 is never closed",
            "add the ')' that closes the '(' at line 3, column 18",
        ),
    ],
    ids=["never-closed", "closes-nothing", "call-never-closed"],
)
def test_a_stray_parenthesis_is_named(text, message, help):
    """A missing ')' names the '(' it should close; an extra one says nothing is open."""
    (found,) = problems(text)
    assert (found.code, found.message, found.help) == ("E002", message, help)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('rubric "t" {\n  totl 100\n  yeer 2013\n  item a "甲" points 5 { judged }\n}', [("E002", 2), ("E002", 3)]),
        ('rubric "t" { item a "甲" points 5 {\n  input x count\n  deduct 1 per x；\n  deduct 2 per x；\n} }', [("E001", 3), ("E001", 4)]),
        ('rubric "t" { item a "甲" points 5 {\n  input x count\n  input y count\n  score = min(x, y)\n  dedcut 2 per y\n} }', [("E002", 5)]),
    ],
    ids=["two-misspelt-settings", "two-stray-semicolons", "after-a-closed-call"],
)  # fmt: skip
def test_separate_mistakes_on_separate_lines_are_each_reported(text, expected):
    """Each line's own mistake is reported, however alike; a closed '(' is not taken for an open one."""
    found = problems(text)
    assert [(p.code, p.span.line) for p in found] == expected
    assert all("never closed" not in p.message for p in found)


def test_a_parenthesis_left_open_inside_is_not_called_one_that_closes_nothing():
    """In ``(x > )`` the ')' closes the '(' before it: the mistake is the missing number."""
    (found,) = problems('rubric "t" { item a "甲" points 5 {\n  input x count\n  deduct 1 when (x > )\n} }')
    assert (found.message, found.help) == ("unexpected ')'", "expected '(', a name, a number")


def test_a_repeated_text_setting_still_names_its_text():
    """A second ``standard`` is an E105, and a text it names is checked (E103) and counts as used."""
    text = (
        'rubric "t" {{ text rule "须提供材料" item a "甲" points 5 {{ standard rule standard {} judged }} }}'
    )
    assert codes(text.format("rule")) == ["E105"]
    assert codes(text.format("rules")) == ["E105", "E103"]
