"""Rounds as tables (CSV) and as JSON lines: each becomes a document in the data contract.

The flat layout: one row per unit, a column ``id``, and one column per input named by its
path in the JSON contract joined with dots — ``values.manufacturing_pass_rate``,
``values.leads.reported``, ``scores.coordination``, ``facts.level`` — with ``vetoes`` and
``missing_evidence`` holding ids separated by ``;``. The round's targets are a second
table with the columns ``target`` and ``value``: ``manufacturing_pass_rate``, or
``item.input`` for an item with several.

A cell is read from its text: ``94.5``, `` 94.5 ``, ``94.5%`` (the number of percent),
full-width digits ``９４．５``; ``true``/``false`` for a yes/no; anything else stays text
(a level's name, a category), for binding to judge. An empty cell is a missing value.
A CSV file is read as UTF-8, with or without a byte-order mark, and as GB18030 (what
Excel on Chinese Windows saves) when asked or when it is not UTF-8.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..problems import DataError, Problem
from .json_file import parse_json, read_json

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_LISTS = ("vetoes", "missing_evidence")


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
            _json_line(source, n, line)
            for n, line in enumerate(_text(source, "utf-8", notes).splitlines(), 1)
        ]
        document: dict[str, Any] = {"units": [u for u in units if u is not None]}
    elif suffix == ".csv":
        rows = _rows(source, encoding, notes)
        document = {"units": [unit_from_row(r) for r in rows if not (r.get("id") or "").startswith("#")]}
    elif suffix == ".xlsx":
        from .workbook import read_workbook  # openpyxl only when a workbook is read

        document = read_workbook(source, notes, with_targets=targets is None)
    else:
        problem = Problem(
            "E301", f"cannot read a round from a '{suffix or 'nameless'}' file: .json, .jsonl, .csv or .xlsx"
        )
        raise DataError(str(source), [problem])
    beside = source.with_name(source.stem + ".targets.csv")
    chosen = (
        Path(targets) if targets is not None else beside if beside.exists() and suffix != ".xlsx" else None
    )
    if chosen is not None:
        document["targets"] = read_targets(chosen, encoding, notes)
        if targets is None:
            notes.append(f"targets from {chosen.as_posix()}")
    return document, notes


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
    if plain.lower() in ("true", "false"):
        return plain.lower() == "true"
    number = plain[:-1].strip() if plain.endswith("%") else plain
    if _NUMBER.fullmatch(number.replace(",", "")):
        return Decimal(number.replace(",", ""))
    return text.strip()


def unit_from_row(row: dict[str, str]) -> dict[str, Any]:
    """One row of the flat layout as a unit of the contract."""
    unit: dict[str, Any] = {}
    for column, text in row.items():
        if column is None:
            continue
        name = column.strip().lstrip("\ufeff")
        if name == "id":
            unit["id"] = (text or "").strip() or None
        elif name in _LISTS:
            unit[name] = [part.strip() for part in (text or "").split(";") if part.strip()]
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
    return list(csv.DictReader(io.StringIO(_text(path, encoding, notes), newline="")))


def _text(path: Path, encoding: str | None, notes: list[str]) -> str:
    """The file's text: in the encoding asked for, else UTF-8 (with or without BOM), else GB18030."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(
            str(path), [Problem("E301", f"cannot read the data file: {exc.strerror or exc}")]
        ) from None
    if encoding is not None:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise DataError(str(path), [Problem("E302", f"not {encoding} text: {exc}")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append(f"{path.as_posix()} is not UTF-8: read as GB18030")
        return raw.decode("gb18030", errors="strict")


def _json_line(path: Path, number: int, line: str) -> Any:
    """One unit of a JSON lines file; a blank line is none."""
    if not line.strip():
        return None
    try:
        return parse_json(line)
    except DataError as exc:
        problems = [Problem(p.code, f"line {number}: {p.message}") for p in exc.problems]
        raise DataError(str(path), problems) from None


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
