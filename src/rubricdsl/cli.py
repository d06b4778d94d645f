"""The command line: ``rubricdsl score RUBRIC DATA``, ``rubricdsl check FILE...`` and the others.

``score`` exits 0 when every unit was scored, 1 when some unit had errors, 2 when
nothing could be scored (a broken rubric, an unreadable or malformed data file, bad
targets). ``check`` exits 0 without errors (warnings allowed), 1 with errors (or
warnings, with ``--strict``), 2 when a file cannot be read.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TextIO

from . import __version__
from .changes import change_records, change_report, changes, impact, impact_records, impact_report
from .frontend import check_file, format_file, load
from .io import bind_round, data_schema, read_document, read_json
from .output import dumps, render, to_json, to_table, unit_report
from .problems import DataError, RubricError, did_you_mean
from .round_commands import (
    convert,
    merge_sheets,
    report,
    round_provenance,
    scorecards_to,
    template,
    write_atomically,
)
from .scoring import score_round
from .verify import case_report, cases_folder, coverage_report, run_cases

EXIT_OK, EXIT_UNIT_ERRORS, EXIT_FAILED = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rubricdsl", description="Score units against a rubric written as text."
    )
    parser.add_argument("--version", action="version", version=f"rubricdsl {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    score = commands.add_parser(
        "score", help="score every unit of a data file", description="Score every unit of a data file."
    )
    score.add_argument("rubric", metavar="RUBRIC", help="the rubric file (.rub)")
    score.add_argument("data", metavar="DATA", help="the round's data file: .json, .jsonl, .csv or .xlsx")
    score.add_argument(
        "--targets", metavar="FILE", help="the round's targets, for .csv and .jsonl (a CSV table or JSON)"
    )
    score.add_argument(
        "--encoding", metavar="NAME", help="the CSV files' encoding (default: UTF-8, else GB18030)"
    )
    score.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the scorecards to FILE, as its suffix says: .json, .jsonl, .csv, .md or .xlsx",
    )
    score.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format (default: table)"
    )
    score.add_argument(
        "--explain", action="store_true", help="after the table, list every item that lost points and why"
    )
    score.add_argument(
        "--unit",
        metavar="ID",
        help="one unit's whole scorecard, item by item, instead of the table (--format json: its record)",
    )
    check = commands.add_parser(
        "check",
        help="prove rubrics: gaps, overlaps, monotonicity, point totals",
        description="Check rubric files: syntax, names, band coverage and overlaps, monotonicity, "
        "point totals.",
    )
    check.add_argument("files", metavar="FILE", nargs="+", help="rubric files (.rub)")
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    fmt = commands.add_parser(
        "fmt",
        help="lay rubric files out alike, in place",
        description="Lay rubric files out alike: indentation, spacing, columns of bands, rows and "
        "grades. Line breaks, comments and spellings stay as written.",
    )
    fmt.add_argument("paths", metavar="PATH", nargs="+", help="rubric files, or folders of them (.rub)")
    fmt.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 listing the files fmt would change"
    )
    fmt.add_argument(
        "--diff", action="store_true", help="change nothing; print what fmt would change as a diff"
    )
    diff = commands.add_parser(
        "diff",
        help="what a new version of a rubric changes, and what that does to a round",
        description="List what changes between two versions of a rubric (items, points, band edges, "
        "outcomes, facts, grades, vetoes), each with both places; with --data, the units whose total or "
        "grade moves.",
    )
    diff.add_argument("old", metavar="OLD", help="the rubric as it was (.rub)")
    diff.add_argument("new", metavar="NEW", help="the rubric as it is to be (.rub)")
    diff.add_argument(
        "--data", metavar="ROUND", help="score this round under both and list the units that move"
    )
    diff.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    render_command = commands.add_parser(
        "render",
        help="the rubric as the table an office publishes (Markdown or HTML)",
        description="Write the rubric as the official table: 考核内容, 序号, 考核指标, 考核要点, 分值, "
        "评分标准, 考核部门, then the vetoes. HTML is one printable file (A4 landscape).",
    )
    render_command.add_argument("rubric", metavar="RUBRIC", help="the rubric file (.rub)")
    render_command.add_argument(
        "--format", choices=("md", "html"), default="md", help="output format (default: md)"
    )
    render_command.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE (default: standard output)"
    )
    schema = commands.add_parser(
        "schema",
        help="the JSON Schema of a rubric's data file, to validate rounds before they arrive",
        description="Write the JSON Schema (draft 2020-12) of the rubric's data file: its targets, and "
        "units with their values, facts, scores, vetoes and missing evidence, as score reads them.",
    )
    schema.add_argument("rubric", metavar="RUBRIC", help="the rubric file (.rub)")
    schema.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    commands.add_parser(
        "lsp",
        help="run the language server on standard input and output (needs rubricdsl[lsp])",
        description="The language server: diagnostics as you type, formatting, hover, go to definition.",
    )
    convert = commands.add_parser(
        "convert",
        help="a round from one format to another: .json, .jsonl, .csv, .xlsx",
        description="Write a round in another format, by the suffix of -o: JSON, JSON lines, the flat "
        "CSV table (with NAME.targets.csv beside it when the round has targets), or an Excel workbook "
        "(sheets units and targets; needs rubricdsl[excel]). Nothing is lost.",
    )
    convert.add_argument("data", metavar="IN", help="the round: .json, .jsonl, .csv or .xlsx")
    convert.add_argument("-o", "--output", metavar="OUT", required=True, help="the file to write")
    convert.add_argument("--targets", metavar="FILE", help="the round's targets, for .csv and .jsonl input")
    convert.add_argument("--encoding", metavar="NAME", help="the CSV input's encoding")
    template = commands.add_parser(
        "template",
        help="blank sheets to fill in: one with every input, or one per 考核部门",
        description="Write a blank sheet with every input of the rubric (round.csv or round.xlsx), or with "
        "--by-department one sheet per department (考核部门) with exactly its inputs: the inputs as "
        "columns, a row describing them, and a row per unit.",
    )
    template.add_argument("rubric", metavar="RUBRIC", help="the rubric file (.rub)")
    template.add_argument("--units", metavar="UNITS", required=True, help="unit ids, one a line, or a round")
    template.add_argument("-o", "--output", metavar="DIR", required=True, help="the folder to write into")
    template.add_argument(
        "--by-department", action="store_true", help="one sheet per 考核部门, with exactly its inputs"
    )
    template.add_argument(
        "--format",
        choices=("csv", "xlsx"),
        default="csv",
        help="CSV sheets, or workbooks with the descriptions as notes too (needs rubricdsl[excel])",
    )
    merge_command = commands.add_parser(
        "merge",
        help="combine filled department sheets into one round, with its conflicts and gaps",
        description="Combine filled sheets into one round (its format by OUT's suffix), reporting two sheets "
        "that give one input different values, inputs nobody gave, and cells that cannot be read, each at "
        "its file and row (a workbook's sheet and cell).",
    )
    merge_command.add_argument("sheets", metavar="SHEET", nargs="+", help="filled sheets (.csv, .xlsx)")
    merge_command.add_argument(
        "-o", "--output", metavar="ROUND", required=True, help=".json, .jsonl, .csv or .xlsx"
    )
    report_command = commands.add_parser(
        "report",
        help="the round's results as one page to publish (HTML)",
        description="Score a round and write one standalone, printable HTML page (A4): the ranking, the "
        "grade distribution, the points lost by item, the vetoes, the units that could not be scored, "
        "and charts of the totals and the lost points.",
    )
    report_command.add_argument("rubric", metavar="RUBRIC", help="the rubric file (.rub)")
    report_command.add_argument(
        "data", metavar="DATA", help="the round's data file: .json, .jsonl, .csv or .xlsx"
    )
    report_command.add_argument("--targets", metavar="FILE", help="the round's targets, for .csv and .jsonl")
    report_command.add_argument("--encoding", metavar="NAME", help="the CSV files' encoding")
    report_command.add_argument(
        "-o", "--output", metavar="FILE", required=True, help="the page to write (.html)"
    )
    test = commands.add_parser(
        "test",
        help="score a rubric's known cases and compare with their answers",
        description="Score the cases kept beside a rubric (x.rub: x.cases/NN.json with NN.expected.json) "
        "and compare every unit's total, grade, items and groups with the answers.",
    )
    test.add_argument("rubric", metavar="RUBRIC", help="the rubric file (.rub)")
    test.add_argument("--cases", metavar="DIR", help="the folder of cases (default: beside the rubric)")
    test.add_argument(
        "--coverage", action="store_true", help="list the bands, levels, rows and rules no case reaches"
    )
    test.add_argument(
        "--fail-under", metavar="PERCENT", type=_percent, help="exit 1 when coverage is below PERCENT"
    )
    return parser


def _percent(text: str) -> Decimal:
    """A percentage from 0 to 100, for --fail-under."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"'{text}' is not a percentage from 0 to 100")
    return value


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; return the exit status.

    >>> main(["score", "no-such.rub", "no-such.json"], stderr=__import__("io").StringIO())
    2
    """
    out = _console(stdout or sys.stdout)
    err = _console(stderr or sys.stderr)
    args = _parser().parse_args(argv)
    if args.command == "check":
        return _check(args, out)
    if args.command == "fmt":
        return _fmt(args, out, err)
    if args.command == "test":
        return _test(args, out, err)
    if args.command == "diff":
        return _diff(args, out, err)
    if args.command in ("render", "schema"):
        return _render(args, out, err)
    if args.command == "lsp":
        return _lsp(err)
    if args.command == "convert":
        return convert(args, err)
    if args.command == "template":
        return template(args, out, err)
    if args.command == "merge":
        return merge_sheets(args, out, err)
    if args.command == "report":
        return report(args, err)
    return _score(args, out, err)


def _check(args: argparse.Namespace, out: TextIO) -> int:
    """Exit 0 with no errors in any file (warnings allowed), 1 with errors, 2 when a file cannot be read."""
    unreadable = failed = False
    records: list[dict[str, object]] = []
    for path in args.files:
        source, found = check_file(path)
        unreadable = unreadable or any(d.code == "E005" for d in found)
        failed = failed or any(d.is_error or args.strict for d in found)
        if args.format == "json":
            records.extend(d.to_record(source.path) for d in found)
            continue
        for problem in found:
            out.write(problem.render(source) + "\n\n")
        errors = sum(d.is_error for d in found)
        out.write(f"{source.path}: {_count(errors, 'error')}, {_count(len(found) - errors, 'warning')}\n")
    if args.format == "json":
        out.write(dumps({"diagnostics": records}) + "\n")
    return EXIT_FAILED if unreadable else EXIT_UNIT_ERRORS if failed else EXIT_OK


def _fmt(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Exit 0 when every file is laid out (or, with --check, already was), 1 when --check finds
    files to change, 2 when a file cannot be read or parsed (it is left as it is)."""
    failed = changed = False
    for path in _rubric_files(args.paths):
        try:
            source, formatted = format_file(path)
        except RubricError as exc:
            err.write(exc.render() + "\n")
            failed = True
            continue
        except AssertionError as exc:  # the layout would change the meaning: a bug of fmt, never written
            err.write(f"{path}: {exc}\n")
            failed = True
            continue
        if formatted == source.text:
            continue
        changed = True
        if args.diff:
            lines = difflib.unified_diff(
                source.text.splitlines(keepends=True), formatted.splitlines(keepends=True), path, path
            )
            out.write("".join(lines))
        elif args.check:
            out.write(f"would reformat {path}\n")
        else:
            write_atomically(path, formatted)
            out.write(f"reformatted {path}\n")
    if failed:
        return EXIT_FAILED
    return EXIT_UNIT_ERRORS if changed and (args.check or args.diff) else EXIT_OK


def _test(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Exit 0 when every case agrees (and coverage reaches --fail-under), 1 when not, 2 when the
    rubric or its cases cannot be read."""
    try:
        rubric = load(args.rubric)
    except RubricError as exc:
        err.write(exc.render() + "\n")
        return EXIT_FAILED
    folder = Path(args.cases) if args.cases else cases_folder(args.rubric)
    if not folder.is_dir():
        err.write(f"{folder}: no such folder of cases\n")
        return EXIT_FAILED
    results, reached = run_cases(rubric, folder)
    if not results:
        err.write(f"{folder}: no cases (NN.json with NN.expected.json)\n")
        return EXIT_FAILED
    out.write(case_report(results))
    if args.coverage or args.fail_under is not None:
        out.write(coverage_report(reached, args.rubric))
    failed = not all(r.passed for r in results)
    if any(r.failure for r in results):
        return EXIT_FAILED
    below = args.fail_under is not None and reached.percent < args.fail_under
    if below:
        out.write(f"coverage {reached.percent}% is below --fail-under {args.fail_under}%\n")
    return EXIT_UNIT_ERRORS if failed or below else EXIT_OK


def _diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Exit 0 whatever changed (a diff is a report), 2 when a version or the round cannot be read."""
    try:
        old, new = load(args.old), load(args.new)
        document = read_json(args.data) if args.data else None
        found = changes(old, new)
        moved = impact(old, new, document, args.data) if args.data else None
    except (RubricError, DataError) as exc:
        err.write(exc.render() + "\n")
        return EXIT_FAILED
    units = len(document.get("units", [])) if isinstance(document, dict) else 0
    if args.format == "json":
        record: dict[str, object] = {"changes": change_records(found, args.old, args.new)}
        if moved is not None:
            record["impact"] = impact_records(moved)
        out.write(dumps(record) + "\n")
    else:
        out.write(change_report(found, args.old, args.new))
        if moved is not None:
            out.write("\n" + impact_report(moved, units, args.data))
    return EXIT_OK


def _render(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The official table, or the data file's schema: exit 0 when written, 2 when the rubric cannot
    be read or compiled."""
    try:
        rubric = load(args.rubric)
    except RubricError as exc:
        err.write(exc.render() + "\n")
        return EXIT_FAILED
    text = dumps(data_schema(rubric)) + "\n" if args.command == "schema" else render(rubric, args.format)
    if args.output:
        write_atomically(args.output, text)
    else:
        out.write(text)
    return EXIT_OK


def _lsp(err: TextIO) -> int:
    """Serve until the editor says exit; 2 when pygls is not installed."""
    try:
        from .lsp import serve

        serve()
    except ModuleNotFoundError as exc:
        err.write(f"the language server needs {exc.name}: pip install 'rubricdsl[lsp]'\n")
        return EXIT_FAILED
    return EXIT_OK


def _rubric_files(paths: Sequence[str]) -> list[str]:
    """The files named, and every ``.rub`` file below the folders named, in order."""
    found: list[str] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(str(p) for p in sorted(path.rglob("*.rub")))
        else:
            found.append(name)
    return found


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _score(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        rubric = load(args.rubric)
        document, notes = read_document(args.data, args.targets, args.encoding)
        round_data = bind_round(rubric, document, args.data)
    except (RubricError, DataError) as exc:
        err.write(exc.render() + "\n")
        if args.format == "json":
            path = exc.source.path if isinstance(exc, RubricError) else exc.path
            records = [p.to_record(path) for p in exc.problems]
            out.write(dumps({"units": [], "errors": records}) + "\n")
        return EXIT_FAILED
    for note in notes:
        err.write(f"{args.data}: {note}\n")
    cards = score_round(rubric, round_data)
    made = round_provenance(rubric, args)
    if args.unit is not None:
        chosen = [card for card in cards if card.label == args.unit]
        if not chosen:
            known = [card.label for card in cards]
            hint = did_you_mean(args.unit, known) or "units: " + ", ".join(known)
            err.write(f"{args.data}: no unit '{args.unit}'; {hint}\n")
            return EXIT_FAILED
        if args.format == "json":
            out.write(to_json(rubric, chosen, made))
        else:
            out.write(unit_report(rubric, chosen[0]))
        return EXIT_UNIT_ERRORS if chosen[0].errors else EXIT_OK
    if args.output:
        written = scorecards_to(args, rubric, cards, made, err)
        if written is not None:
            return written
    elif args.format == "json":
        out.write(to_json(rubric, cards, made))
    else:
        out.write(to_table(rubric, cards, explain=args.explain))
    return EXIT_UNIT_ERRORS if any(card.errors for card in cards) else EXIT_OK


def _console(stream: TextIO) -> TextIO:
    """Chinese output readable wherever it goes: a stream whose encoding carries Chinese (GBK on a
    Windows console of code page 936, GB18030, Big5, UTF-8...) keeps it, a character it lacks shown
    as "?"; one that cannot (ASCII, Latin-1, none) is switched to UTF-8.

    >>> import io
    >>> gbk = _console(io.TextIOWrapper(io.BytesIO(), encoding="cp936"))
    >>> _ = gbk.write("鄂城区 𠮷"); gbk.flush(); gbk.buffer.getvalue().decode("gbk")
    '鄂城区 ?'
    """
    if not hasattr(stream, "reconfigure"):
        return stream  # a StringIO, or a stream a caller made: written as it is
    try:
        "中文".encode(stream.encoding or "ascii")
    except (UnicodeError, LookupError):
        stream.reconfigure(encoding="utf-8")
    else:
        stream.reconfigure(errors="replace")
    return stream
