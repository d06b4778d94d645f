"""Rounds as tables (CSV) and as JSON lines: each becomes a document in the data contract.

The flat layout: one row per unit, a column ``id``, and one column per input named by its
path in the JSON contract joined with dots — ``values.manufacturing_pass_rate``,
``values.leads.reported``, ``scores.coordination``, ``facts.level`` — with ``vetoes`` and
``missing_evidence`` holding ids separated by ``;``, and an appeal's correction as
``overrides.ITEM.score``, ``overrides.ITEM.reason``, ``overrides.ITEM.by``, ``overrides.ITEM.at``.
The round's targets are a second table with the columns ``target`` and ``value``:
``manufacturing_pass_rate``, or ``item.input`` for an item with several.

A cell is read from its text: ``94.5``, `` 94.5 ``, ``94.5%`` (the number of percent),
full-width digits ``９４．５``; ``true``/``false`` for a yes/no; anything else stays text
(a level's name, a category), for binding to judge. An empty cell is a missing value.
``是``/``否`` are a yes/no too, as offices write them.
A CSV file is read as UTF-8, with or without a byte-order mark, and as GB18030 (what
Excel on Chinese Windows saves) when asked or when it is not UTF-8.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..problems import DataError, Problem
from ..source import Span
from .json_file import JsonObject, Unreadable, parse_json, read_bytes, read_json

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_LISTS = ("vetoes", "missing_evidence")
_WORDS = ("reason", "by", "at")  # an override's texts, never read as numbers
_YES, _NO = ("true", "是"), ("false", "否")
MAX_CELL = 100_000  # characters in one CSV cell: far beyond any id, number or name


class PercentDecimal(Decimal):
    """A number a cell spelled with a percent sign (``94.5%``): only a percent input takes it."""


def read_document(
    path: str | os.PathLike[str], targets: str | os.PathLike[str] | None = None, encoding: str | None = None
) -> tuple[Any, list[str]]:
    """A round file as a document in the data contract, by its suffix (``.json``, ``.jsonl``,
    ``.csv``, ``.xlsx``: see ``workbook.py``), and what a person should know of how it was read
    (the encoding, the targets' file).

    ``targets`` is the round's targets for a CSV or JSON lines round: a CSV table of ``target``
    and ``value``, or a JSON document with a ``targets`` object. Without it, ``units.csv``
    takes ``units.targets.csv`` when that file exists.

    >>> document, notes = read_document("examples/ezhou2013-districts.csv")
    >>> document["targets"]["manufacturing_pass_rate"], document["units"][0]["id"], notes
    (Decimal('93.6'), '鄂城区', ['targets from examples/ezhou2013-districts.targets.csv'])
    """
    source = Path(path)
    suffix = source.suffix.lower()
    if suffix == ".json":
        return read_json(source), []
    notes: list[str] = []
    if suffix == ".jsonl":
        units = [
            _json_line(source, n, line) for n, line in enumerate(_text(source, "utf-8", notes).split("\n"), 1)
        ]
        document: dict[str, Any] = {"units": [u for u in units if u is not None]}
    elif suffix == ".csv":
        document = {"units": _units_of_table(source, encoding, notes)}
    elif suffix == ".xlsx":
        from .workbook import read_workbook  # openpyxl only when a workbook is read

        document = read_workbook(source, notes, with_targets=targets is None)
    else:
        problem = Problem(
            "E301", f"cannot read a round from a '{suffix or 'nameless'}' file: .json, .jsonl, .csv or .xlsx"
        )
        raise DataError(str(source), [problem])
    chosen = targets_file(source, targets)
    if chosen is not None:
        document["targets"] = read_targets(chosen, encoding, notes)
        if targets is None:
            notes.append(f"targets from {chosen.as_posix()}")
    return document, notes


def targets_file(path: str | os.PathLike[str], targets: str | os.PathLike[str] | None = None) -> Path | None:
    """The file a table's or JSON lines round takes its targets from: the one named, else
    ``NAME.targets.csv`` beside it when that exists; None for a JSON round (a workbook's targets
    are its own sheet, unless named) or without either.

    >>> targets_file("examples/ezhou2013-districts.csv").as_posix()
    'examples/ezhou2013-districts.targets.csv'
    """
    source = Path(path)
    if source.suffix.lower() == ".json" or (source.suffix.lower() == ".xlsx" and targets is None):
        return None
    beside = source.with_name(source.stem + ".targets.csv")
    return Path(targets) if targets is not None else beside if beside.exists() else None


def read_targets(path: Path, encoding: str | None = None, notes: list[str] | None = None) -> dict[str, Any]:
    """A targets table (``target``, ``value``) or a JSON document's ``targets``, as the contract has them."""
    if path.suffix.lower() == ".json":
        document = read_json(path)
        found = document.get("targets", {}) if isinstance(document, dict) else {}
        return found if isinstance(found, dict) else {}
    return targets_from_rows(_rows(path, encoding, notes if notes is not None else []))


def targets_from_rows(rows: Iterable[dict[str, str]]) -> dict[str, Any]:
    """The targets table's rows (``target``, ``value``) as the contract's ``targets``.

    >>> targets_from_rows([{"target": "leads.reported", "value": "12"}, {"target": "rate", "value": "90%"}])
    {'leads': {'reported': Decimal('12')}, 'rate': Decimal('90')}
    """
    targets: dict[str, Any] = {}
    for row in rows:
        name, value = (row.get("target") or "").strip(), cell(row.get("value"))
        if not name or value is None:
            continue
        item, _, input_name = name.partition(".")
        if input_name:
            entry = targets.setdefault(item, {})
            if isinstance(entry, dict):
                entry[input_name] = value
        else:
            targets[item] = value
    return targets


def cell(text: str | None) -> Any:
    """A table cell as the data contract holds it: a number, true/false, a text, or None (empty).

    >>> cell(" 94.5 "), cell("94.5%"), cell("９４．５"), cell(""), cell("较好"), cell("TRUE")
    (Decimal('94.5'), Decimal('94.5'), Decimal('94.5'), None, '较好', True)
    """
    if text is None:
        return None
    plain = unicodedata.normalize("NFKC", text).strip()
    if not plain:
        return None
    if plain.lower() in _YES + _NO:
        return plain.lower() in _YES
    number = plain[:-1].strip() if plain.endswith("%") else plain
    if _NUMBER.fullmatch(number.replace(",", "")):
        spelled = PercentDecimal if number != plain else Decimal
        return spelled(number.replace(",", ""))
    return text.strip()


def unit_from_row(row: dict[str, str], places: Mapping[str, Span] | None = None) -> JsonObject:
    """One row of the flat layout as a unit of the contract; ``places`` are its cells' places, by column."""
    unit = JsonObject()
    unit.places = dict(places or {})
    for column, text in row.items():
        if column is None:
            continue
        name = column.strip().lstrip("\ufeff")
        if name == "id":
            unit["id"] = (text or "").strip() or None
        elif name in _LISTS:
            unit[name] = [part.strip() for part in (text or "").split(";") if part.strip()]
        elif name.startswith("overrides.") and name.rpartition(".")[2] in _WORDS and (text or "").strip():
            _put(unit, name.split("."), (text or "").strip())  # a reason "95" stays the text it is
        else:
            value = cell(text)
            if value is not None:
                _put(unit, name.split("."), value)
    return unit


def _put(unit: dict[str, Any], path: list[str], value: Any) -> None:
    """Set ``unit[a][b][c] = value`` for the column ``a.b.c``."""
    place = unit
    for key in path[:-1]:
        nested = place.setdefault(key, {})
        if not isinstance(nested, dict):  # values.a given both bare and by input: the binder says so
            return
        place = nested
    place[path[-1]] = value


def _rows(path: Path, encoding: str | None, notes: list[str]) -> list[dict[str, str]]:
    return [row for _, row, _ in _table(path, encoding, notes)[1]]


def _units_of_table(path: Path, encoding: str | None, notes: list[str]) -> list[Any]:
    """The table's rows as units, each knowing its cells' places; a row whose id starts with # is a note.

    Places are the file's line and the table's column (1 is the first column, as a spreadsheet counts).
    """
    header, rows = _table(path, encoding, notes)
    if "id" not in header:
        problem = Problem("E305", "the table has no column 'id'", Span(1, 1, 1, 2), path=str(path))
        raise DataError(str(path), [problem])
    units: list[Any] = []
    for line, row, problems in rows:
        if (row.get("id") or "").startswith("#"):
            continue
        places = {name: Span(line, n, line, n + 1) for n, name in enumerate(header, 1) if name}
        unit = unit_from_row(row, places)
        unit.whole, unit.problems = Span(line, 1, line, 2), tuple(problems)
        units.append(unit)
    return units


_Row = tuple[int, dict[str, str], list[Problem]]


def _table(path: Path, encoding: str | None, notes: list[str]) -> tuple[list[str], list[_Row]]:
    """A CSV table's header, and each row: the line it starts on, its cells by column, and what is
    wrong with the row.

    A header naming a column twice stops the table; a row with more or fewer cells than the
    header, or a cell longer than ``MAX_CELL``, is that row's problem.
    """
    text, shown = _text(path, encoding, notes), str(path)
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))  # a cell's size is judged below, with its place
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    try:
        line = 1
        for cells in reader:
            rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        span = Span(reader.line_num, 1, reader.line_num, 2)
        raise DataError(shown, [Problem("E303", f"not a CSV table: {exc}", span, path=shown)]) from None
    finally:
        csv.field_size_limit(limit)
    if not rows:
        raise DataError(shown, [Problem("E305", "the file is empty: there is no round in it", path=shown)])
    header = [name.strip().lstrip("\ufeff") for name in rows[0][1]]
    for n, name in enumerate(header, 1):
        if name and name in header[: n - 1]:
            span = Span(rows[0][0], n, rows[0][0], n + 1)
            message = (
                f"the column '{name}' is given twice (columns {header.index(name) + 1} and {n}); keep one"
            )
            raise DataError(shown, [Problem("E307", message, span, path=shown)])
    table: list[_Row] = []
    for line, cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue  # a blank row, as spreadsheets leave at the end
        problems = []
        if len(cells) != len(header):
            message = f"the row has {len(cells)} cells; the header has {len(header)} columns"
            column = min(len(cells), len(header)) + 1
            problems.append(Problem("E305", message, Span(line, column, line, column + 1), path=shown))
        for n, value in enumerate(cells, 1):
            if len(value) > MAX_CELL:
                message = f"a cell of {len(value)} characters; a cell holds at most {MAX_CELL}"
                heading = header[n - 1] if n <= len(header) else None
                span = Span(line, n, line, n + 1)
                problems.append(Problem("E314", message, span, path=shown, field=heading))
                cells[n - 1] = ""
        table.append((line, dict(zip(header, cells, strict=False)), problems))
    return header, table


def _text(path: Path, encoding: str | None, notes: list[str]) -> str:
    """The file's text: in the encoding asked for, else UTF-8 (with or without BOM), else GB18030."""
    raw = read_bytes(path)
    if encoding is not None:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise DataError(str(path), [Problem("E302", f"not {encoding} text: {exc}")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1  # in bytes: the text is not decoded
            message = "neither UTF-8 nor GB18030 text (save the file as UTF-8)"
            span = Span(line, column, line, column + 1)
            raise DataError(str(path), [Problem("E302", message, span, path=str(path))]) from None
        notes.append(f"{path.as_posix()} is not UTF-8: read as GB18030")
        return text


def _json_line(path: Path, number: int, line: str) -> Any:
    """One unit of a JSON lines file, knowing its line; a blank line is none, and a line that is not
    JSON is an unreadable unit, so the other lines are still scored."""
    if not line.strip():
        return None
    try:
        unit = parse_json(line, str(path), number)
    except DataError as exc:
        return Unreadable(tuple(exc.problems))
    if isinstance(unit, JsonObject):
        unit.whole = Span(number, 1, number, 2)
    return unit


# Writing rounds -----------------------------------------------------------------------------------


def round_to_csv(document: dict[str, Any]) -> tuple[str, str | None]:
    """A round document as the flat table, and its targets table (None without targets).

    Columns come in the order the units first give them; every cell is written as the data
    file spells it (a number's digits, true/false, a text), so reading the table back gives
    the same round.
    """
    rows = [_flatten(unit) for unit in document.get("units", []) if isinstance(unit, dict)]
    columns: list[str] = ["id"]
    for row in rows:
        columns += [name for name in row if name not in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[row.get(name, "") for name in columns] for row in rows])
    targets = document.get("targets")
    if not targets:
        return out.getvalue(), None
    table = io.StringIO()
    target_writer = csv.writer(table, lineterminator="\n")
    target_writer.writerow(["target", "value"])
    for name, value in _flatten(targets).items():
        target_writer.writerow([name, value])
    return out.getvalue(), table.getvalue()


def _flatten(entry: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in entry.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        elif isinstance(value, list):
            flat[name] = ";".join(str(v) for v in value)
        elif isinstance(value, bool):
            flat[name] = "true" if value else "false"
        elif value is not None:
            flat[name] = str(value)
    return flat
