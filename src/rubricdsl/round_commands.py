"""The commands that read and write rounds and scorecards: ``convert``, ``template``, ``merge``,
``report`` and ``score -o FILE``. Each returns the exit status, as ``cli.main`` does."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any, TextIO

from .frontend import load
from .io import bind_round, read_document, round_to_csv, targets_file
from .io.sheets import every_input, merge, sheets, template_csv, template_xlsx, unit_ids
from .io.workbook_writing import round_to_xlsx
from .model import Rubric
from .output import dumps, json_lines, to_csv, to_json, to_jsonl, to_markdown_table, to_report, to_xlsx
from .problems import DataError, RubricError
from .provenance import Provenance, provenance
from .scoring import Scorecard, score_round

EXIT_OK, EXIT_UNIT_ERRORS, EXIT_FAILED = 0, 1, 2


_WRITERS = {".json": to_json, ".jsonl": to_jsonl, ".csv": to_csv, ".md": to_markdown_table}


def scorecards_to(
    args: argparse.Namespace, rubric: Rubric, cards: list[Scorecard], made: Provenance, err: TextIO
) -> int | None:
    """Write the scorecards to --output by its suffix, atomically, never over an input; an exit status
    when it cannot be written.

    JSON and Markdown record what produced them inside; a CSV, JSON lines or workbook table,
    whose layout has no room for it, in ``NAME.provenance.json`` beside it."""
    target = Path(args.output)
    suffix = target.suffix.lower()
    writer = _WRITERS.get(suffix)
    if writer is None and suffix != ".xlsx":
        err.write(
            f"{args.output}: cannot write scorecards as '{target.suffix}': "
            ".json, .jsonl, .csv, .md or .xlsx\n"
        )
        return EXIT_FAILED
    inputs = [Path(p).resolve() for p in (args.rubric, args.data, args.targets) if p]
    if target.resolve() in inputs:
        err.write(f"{args.output}: is an input of this run; write the scorecards elsewhere\n")
        return EXIT_FAILED
    if suffix in (".json", ".md"):
        write_atomically(
            args.output,
            to_json(rubric, cards, made) if suffix == ".json" else to_markdown_table(rubric, cards, made),
        )
        return None
    if writer is None:
        try:
            write_atomically(args.output, to_xlsx(rubric, cards, args.output))
        except DataError as exc:
            err.write(exc.render() + "\n")
            return EXIT_FAILED
    else:
        write_atomically(args.output, ("\ufeff" if suffix == ".csv" else "") + writer(rubric, cards))
    write_atomically(str(target.with_name(target.stem + ".provenance.json")), dumps(made.record()) + "\n")
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
    return _written(args.output, document, err)


def _written(path: str, document: dict[str, Any], err: TextIO) -> int:
    """Write the round; exit 2 when it cannot be (a workbook without openpyxl, a text it cannot hold)."""
    try:
        write_round(path, document)
    except DataError as exc:
        err.write(exc.render() + "\n")
        return EXIT_FAILED
    return EXIT_OK


def round_provenance(rubric: Rubric, args: argparse.Namespace) -> Provenance:
    """What produced a run's output: the rubric, the data file, and a targets file read with it."""
    beside = targets_file(args.data, args.targets)
    return provenance(rubric, args.rubric, [args.data, *([beside] if beside else [])])


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
    write_atomically(args.output, to_report(rubric, cards, round_provenance(rubric, args).entries()))
    for card in cards:
        for problem in card.errors:
            err.write(f"{args.data}: {card.label}: {problem.headline}\n")
    return EXIT_UNIT_ERRORS if any(card.errors for card in cards) else EXIT_OK


def template(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Exit 0 with the sheets written (one per department with --by-department, else one with every
    input), 2 when the rubric or the units cannot be read or a workbook cannot be written."""
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
    chosen = sheets(rubric) if args.by_department else [every_input(rubric)]
    for sheet in chosen:
        path = folder / f"{_file_name(sheet.department)}.{args.format}"
        try:
            if args.format == "xlsx":
                write_atomically(str(path), template_xlsx(sheet, units, str(path)))
            else:
                write_atomically(str(path), "\ufeff" + template_csv(sheet, units))
        except DataError as exc:
            err.write(exc.render() + "\n")
            return EXIT_FAILED
        out.write(f"{path}: {len(sheet.columns) - 1} inputs, {len(units)} units\n")
    return EXIT_OK


def _file_name(department: str) -> str:
    """A department's name as a file's: the characters Windows refuses in a name become '_'.

    >>> _file_name("市质监局/标准化院"), _file_name("a:b")
    ('市质监局_标准化院', 'a_b')
    """
    return "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in department)


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
    except DataError as exc:
        err.write(exc.render() + "\n")
        return EXIT_FAILED
    if _written(args.output, document, err) != EXIT_OK:
        return EXIT_FAILED
    for clash in clashes:
        out.write(f"{clash}\n")
    return EXIT_UNIT_ERRORS if clashes else EXIT_OK


def _round_suffix(path: str, err: TextIO) -> bool:
    """Whether a round can be written as the file's suffix says; if not, say so."""
    suffix = Path(path).suffix
    if suffix.lower() in (".json", ".jsonl", ".csv", ".xlsx"):
        return True
    err.write(f"{path}: cannot write a round as '{suffix}': .json, .jsonl, .csv or .xlsx\n")
    return False


def write_round(path: str, document: dict[str, Any]) -> None:
    """A round document in the format of the file's suffix: JSON, JSON lines, the flat CSV table, or a
    workbook (its targets on a sheet of their own); for a CSV table or JSON lines, its targets (if any)
    in ``NAME.targets.csv`` beside it."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".json":
        write_atomically(path, dumps(document) + "\n")
        return
    if suffix == ".xlsx":
        write_atomically(path, round_to_xlsx(path, document))
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


def write_atomically(path: str, content: str | bytes) -> None:
    """Write (a text as UTF-8) through a temporary file beside it, then rename: an interrupted write
    loses nothing."""
    target = Path(path)
    raw = content.encode("utf-8") if isinstance(content, str) else content
    with tempfile.NamedTemporaryFile(
        "wb", dir=target.parent, prefix=f".{target.name}.", delete=False
    ) as handle:
        handle.write(raw)
    # A temporary file is private (0600); the file written gets the mode a new file would, or keeps
    # the one it had, so a published report stays readable by the web server.
    os.chmod(handle.name, target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask())
    os.replace(handle.name, target)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
