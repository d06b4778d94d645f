"""The commands that read and write rounds and scorecards: ``convert``, ``template``, ``merge``,
``report`` and ``score -o FILE``. Each returns the exit status, as ``cli.main`` does."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any, TextIO

from .frontend import load
from .io import bind_round, read_document, round_to_csv
from .io.sheets import merge, sheets, template_csv, unit_ids
from .model import Rubric
from .output import dumps, json_lines, to_csv, to_json, to_jsonl, to_markdown_table, to_report
from .problems import DataError, RubricError
from .scoring import Scorecard, score_round

EXIT_OK, EXIT_UNIT_ERRORS, EXIT_FAILED = 0, 1, 2


_WRITERS = {".json": to_json, ".jsonl": to_jsonl, ".csv": to_csv, ".md": to_markdown_table}


def scorecards_to(
    args: argparse.Namespace, rubric: Rubric, cards: list[Scorecard], err: TextIO
) -> int | None:
    """Write the scorecards to --output by its suffix, atomically, never over an input; an exit status
    when it cannot be written."""
    target = Path(args.output)
    writer = _WRITERS.get(target.suffix.lower())
    if writer is None:
        err.write(
            f"{args.output}: cannot write scorecards as '{target.suffix}': .json, .jsonl, .csv or .md\n"
        )
        return EXIT_FAILED
    inputs = [Path(p).resolve() for p in (args.rubric, args.data, args.targets) if p]
    if target.resolve() in inputs:
        err.write(f"{args.output}: is an input of this run; write the scorecards elsewhere\n")
        return EXIT_FAILED
    text = writer(rubric, cards)
    write_atomically(args.output, ("\ufeff" + text) if target.suffix.lower() == ".csv" else text)
    return None


def convert(args: argparse.Namespace, err: TextIO) -> int:
    """Exit 0 with the round written; 2 when it cannot be read, or OUT is an input or of no known kind."""
    if not _round_suffix(args.output, err):
        return EXIT_FAILED
    if Path(args.output).resolve() in [Path(p).resolve() for p in (args.data, args.targets) if p]:
        err.write(f"{args.output}: is the round being read; write it elsewhere\n")
        return EXIT_FAILED
    try:
        document, notes = read_document(args.data, args.targets, args.encoding)
    except DataError as exc:
        err.write(exc.render() + "\n")
        return EXIT_FAILED
    for note in notes:
        err.write(f"{args.data}: {note}\n")
    if not isinstance(document, dict):
        err.write(f"{args.data}: not a round (an object with 'units')\n")
        return EXIT_FAILED
    write_round(args.output, document)
    return EXIT_OK


def report(args: argparse.Namespace, err: TextIO) -> int:
    """Write the round's report page: exit 0 when every unit was scored, 1 when some unit has problems
    (they are listed in the report, unranked), 2 when the rubric or the round cannot be read, or OUT
    is one of the inputs."""
    inputs = [Path(p).resolve() for p in (args.rubric, args.data, args.targets) if p]
    if Path(args.output).resolve() in inputs:
        err.write(f"{args.output}: is an input of this run; write the report elsewhere\n")
        return EXIT_FAILED
    try:
        rubric = load(args.rubric)
        document, notes = read_document(args.data, args.targets, args.encoding)
        round_data = bind_round(rubric, document, args.data)
    except (RubricError, DataError) as exc:
        err.write(exc.render() + "\n")
        return EXIT_FAILED
    for note in notes:
        err.write(f"{args.data}: {note}\n")
    cards = score_round(rubric, round_data)
    write_atomically(args.output, to_report(rubric, cards))
    for card in cards:
        for problem in card.errors:
            err.write(f"{args.data}: {card.label}: {problem.headline}\n")
    return EXIT_UNIT_ERRORS if any(card.errors for card in cards) else EXIT_OK


def template(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Exit 0 with a sheet per department written, 2 when the rubric or the units cannot be read."""
    try:
        rubric = load(args.rubric)
        units = unit_ids(args.units)
    except (RubricError, DataError) as exc:
        err.write(exc.render() + "\n")
        return EXIT_FAILED
    except OSError as exc:
        err.write(f"{args.units}: cannot read the units: {exc.strerror or exc}\n")
        return EXIT_FAILED
    folder = Path(args.output)
    folder.mkdir(parents=True, exist_ok=True)
    for sheet in sheets(rubric):
        path = folder / f"{sheet.department}.csv"
        write_atomically(str(path), "\ufeff" + template_csv(sheet, units))
        out.write(f"{path}: {len(sheet.columns) - 1} inputs, {len(units)} units\n")
    return EXIT_OK


def merge_sheets(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Exit 0 with the round written and nothing to report, 1 with conflicts or gaps (the round is
    written all the same), 2 when a sheet cannot be read or OUT is a sheet."""
    if not _round_suffix(args.output, err):
        return EXIT_FAILED
    if Path(args.output).resolve() in [Path(p).resolve() for p in args.sheets]:
        err.write(f"{args.output}: is one of the sheets; write the round elsewhere\n")
        return EXIT_FAILED
    try:
        document, clashes = merge(args.sheets)
    except OSError as exc:
        err.write(f"cannot read a sheet: {exc.strerror or exc}\n")
        return EXIT_FAILED
    write_round(args.output, document)
    for clash in clashes:
        out.write(f"{clash}\n")
    return EXIT_UNIT_ERRORS if clashes else EXIT_OK


def _round_suffix(path: str, err: TextIO) -> bool:
    """Whether a round can be written as the file's suffix says; if not, say so."""
    suffix = Path(path).suffix
    if suffix.lower() in (".json", ".jsonl", ".csv"):
        return True
    err.write(f"{path}: cannot write a round as '{suffix}': .json, .jsonl or .csv\n")
    return False


def write_round(path: str, document: dict[str, Any]) -> None:
    """A round document in the format of the file's suffix: JSON, JSON lines, or the flat CSV table;
    for a table or JSON lines, its targets (if any) in ``NAME.targets.csv`` beside it."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".json":
        write_atomically(path, dumps(document) + "\n")
        return
    targets = document.get("targets")
    if suffix == ".jsonl":
        write_atomically(path, json_lines(document.get("units", [])))
        table = round_to_csv({"targets": targets})[1] if targets else None
    else:
        text, table = round_to_csv(document)
        write_atomically(path, "\ufeff" + text)
    if table is not None:
        write_atomically(str(target.with_name(target.stem + ".targets.csv")), "\ufeff" + table)


def write_atomically(path: str, text: str) -> None:
    """Write through a temporary file beside it, then rename: an interrupted write loses nothing."""
    target = Path(path)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="\n", dir=target.parent, prefix=f".{target.name}.", delete=False
    ) as handle:
        handle.write(text)
    os.replace(handle.name, target)
