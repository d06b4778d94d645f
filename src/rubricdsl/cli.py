"""The command line: ``rubricdsl score RUBRIC DATA``.

Exit statuses: 0 every unit scored; 1 some unit had errors; 2 nothing could be
scored (a broken rubric, an unreadable or malformed data file, bad targets).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from . import __version__
from .compiler import load
from .data import DataError, read_round
from .diagnostics import RubricError
from .evaluate import score_round
from .report import dumps, to_json, to_table

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
    score.add_argument("data", metavar="DATA", help="the round's data file (JSON)")
    score.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format (default: table)"
    )
    score.add_argument(
        "--explain", action="store_true", help="after the table, list every item that lost points and why"
    )
    return parser


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; return the exit status.

    >>> main(["score", "no-such.rub", "no-such.json"], stderr=__import__("io").StringIO())
    2
    """
    out = stdout or _utf8(sys.stdout)
    err = stderr or _utf8(sys.stderr)
    args = _parser().parse_args(argv)
    return _score(args, out, err)


def _score(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        rubric = load(args.rubric)
        round_data = read_round(rubric, args.data)
    except RubricError as exc:
        err.write(exc.render() + "\n")
        if args.format == "json":
            records = [d.to_record(exc.source.path) for d in exc.diagnostics]
            out.write(dumps({"units": [], "errors": records}) + "\n")
        return EXIT_FAILED
    except DataError as exc:
        err.write(exc.render() + "\n")
        if args.format == "json":
            records = [
                {**p.to_record(), "path": exc.path, "line": exc.line, "column": exc.column}
                for p in exc.problems
            ]
            out.write(dumps({"units": [], "errors": records}) + "\n")
        return EXIT_FAILED
    cards = score_round(rubric, round_data)
    if args.format == "json":
        out.write(to_json(rubric, cards))
    else:
        out.write(to_table(rubric, cards, explain=args.explain))
    return EXIT_UNIT_ERRORS if any(card.errors for card in cards) else EXIT_OK


def _utf8(stream: TextIO) -> TextIO:
    """Chinese output stays readable whatever the locale says."""
    if (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8" and hasattr(
        stream, "reconfigure"
    ):
        stream.reconfigure(encoding="utf-8")
    return stream
