"""Department sheets (``rubricdsl template`` and ``merge``): each 考核部门 fills in its own inputs.

``template --by-department`` writes one sheet per department with exactly the columns that
department provides (its items' values, an assessor's scores, the amounts assessors enter),
a second row describing each column (``#`` in its ``id`` cell: readers skip it), and a row
per unit. Items that name no department, and the rubric's facts, go on a sheet of their own.
Without ``--by-department``, one sheet has every input (``round.csv``): filled in, it is the
round. Sheets are CSV, or workbooks with the descriptions also as notes on the header.
``merge`` combines filled sheets (CSV or workbooks, mixed) into one round and reports, each
at its file, row (or a workbook's cell) and column, the conflicts (two sheets giving one
input different values), the gaps (an input nobody gave) and the cells that cannot be read.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from ..model import InputSource, Item, Levels, Rubric
from ..numbers import format_number
from .tables import cell, read_document, unit_from_row
from .workbook import UNITS, SheetCells, open_workbook, sheet_cells
from .workbook_writing import SheetLayout, workbook_bytes

UNASSIGNED = "未指定部门"
FACTS = "基本情况"
EVERY_INPUT = "round"  # the one sheet with every input: filled in, it is the round


@frozen
class Sheet:
    """A department's sheet: its name, its columns, and what each column asks for."""

    department: str
    columns: tuple[str, ...]
    descriptions: tuple[str, ...]


def sheets(rubric: Rubric) -> list[Sheet]:
    """Each department's sheet, in the order the rubric first names the department.

    >>> from rubricdsl import load
    >>> [(s.department, s.columns[:2]) for s in sheets(load("rubrics/ezhou2013.rub"))][:1]
    [('市质监局', ('id', 'values.manufacturing_pass_rate'))]
    """
    by_department: dict[str, list[tuple[str, str]]] = {}
    for item in rubric.items():
        for department in item.departments or (UNASSIGNED,):
            by_department.setdefault(department, []).extend(_columns(item))
    if rubric.facts:
        by_department[FACTS] = [
            (
                f"facts.{f.name}",
                (f.title or f.name) + (f"（{' / '.join(f.categories)}）" if f.categories else ""),
            )
            for f in rubric.facts
        ]
    found = []
    for department, columns in by_department.items():
        unique = list(dict.fromkeys(columns))
        found.append(Sheet(department, ("id", *(c[0] for c in unique)), ("#说明", *(c[1] for c in unique))))
    return found


def every_input(rubric: Rubric) -> Sheet:
    """One sheet with every input of the rubric, each column once, in the departments' order.

    >>> from rubricdsl import load
    >>> sheet = every_input(load("rubrics/ezhou2013.rub"))
    >>> sheet.department, len(sheet.columns) == len(set(sheet.columns)), sheet.columns[:2]
    ('round', True, ('id', 'values.manufacturing_pass_rate'))
    """
    columns: dict[str, str] = {}
    for sheet in sheets(rubric):
        for column, description in zip(sheet.columns, sheet.descriptions, strict=True):
            columns.setdefault(column, description)
    return Sheet(EVERY_INPUT, tuple(columns), tuple(columns.values()))


def _columns(item: Item) -> Iterator[tuple[str, str]]:
    values = item.inputs_from(InputSource.VALUES)
    for spec in values:
        name = f"values.{item.id}" if len(values) == 1 else f"values.{item.id}.{spec.name}"
        yield name, f"{item.title}：{spec.name}（{spec.kind} {spec.domain}）"
    if isinstance(item.rule, Levels):
        yield f"scores.{item.id}", f"{item.title}：档次（{' / '.join(item.rule.names())}）"
    elif item.needs_assessor:
        yield f"scores.{item.id}", f"{item.title}：得分（0–{format_number(item.max_points)}）"


def unit_ids(path: str | os.PathLike[str]) -> list[str]:
    """The units a template is for: a text file of ids, one a line, or an earlier round's ids."""
    source = Path(path)
    if source.suffix.lower() in (".json", ".jsonl", ".csv", ".xlsx"):
        document, _ = read_document(source)
        units = document.get("units", []) if isinstance(document, dict) else []
        return [str(u["id"]) for u in units if isinstance(u, dict) and u.get("id")]
    text = source.read_text(encoding="utf-8-sig")
    return [line.strip() for line in text.splitlines() if line.strip()]


def template_csv(sheet: Sheet, units: Sequence[str]) -> str:
    """A blank sheet: the header, the description row, and a row per unit."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(sheet.columns)
    writer.writerow(sheet.descriptions)
    writer.writerows([[unit, *[""] * (len(sheet.columns) - 1)] for unit in units])
    return out.getvalue()


def template_xlsx(sheet: Sheet, units: Sequence[str], path: str) -> bytes:
    """A blank sheet as a workbook: the sheet ``units`` with the header, the description row, a row
    per unit, each header cell's description also as its note, the header and ids frozen."""
    rows = [list(sheet.columns), list(sheet.descriptions), *([unit] for unit in units)]
    notes = {index: text for index, text in enumerate(sheet.descriptions) if index}
    widths = [max(12, min(40, len(c) + 2)) for c in sheet.columns]
    return workbook_bytes(path, [SheetLayout(UNITS, rows, notes, "B3", widths)])


@frozen
class Clash:
    """A conflict, a gap or an unreadable cell, at its file, row (1-based, the header being row 1)
    and column; in a workbook, ``cell`` is its place (``units!C4``)."""

    kind: str  # conflict | gap | unreadable
    path: str
    row: int
    column: str
    unit: str
    message: str
    cell: str | None = None

    @property
    def place(self) -> str:
        """``sheet.csv:4``, or ``sheet.xlsx:units!C4``."""
        return f"{self.path}:{self.cell or self.row}"

    def __str__(self) -> str:
        return f"{self.place}: {self.kind}: {self.unit}: {self.column}: {self.message}"


def merge(paths: Sequence[str | os.PathLike[str]]) -> tuple[dict[str, Any], list[Clash]]:
    """The round the filled sheets make together, and every conflict and gap among them.

    A value two sheets give alike is no conflict; the first sheet's value stands where they differ.
    """
    units: dict[str, dict[str, tuple[str, str]]] = {}  # unit -> column -> (text, where)
    clashes: list[Clash] = []
    for path in paths:
        table = filled_sheet(path)
        header = list(table.header)
        for number, row in table.rows:
            cells = dict(zip(header, row, strict=False))
            unit = (cells.get("id") or "").strip()
            if not unit or unit.startswith("#"):
                continue
            given = units.setdefault(unit, {})
            for index, column in enumerate(header[1:], 1):
                here = Clash("gap", str(path), number, column, unit, "", table.place(number, index) or None)
                unreadable = table.problems.get((number, index))
                if unreadable is not None:
                    clashes.append(attrs.evolve(here, kind="unreadable", message=unreadable))
                    continue
                value = (cells.get(column) or "").strip()
                if not value:
                    clashes.append(attrs.evolve(here, message="nobody gave it"))
                    continue
                earlier = given.get(column)
                if earlier is None:
                    given[column] = (value, here.place)
                elif cell(earlier[0]) != cell(value):
                    message = f"{value}, but {earlier[1]} gives {earlier[0]}"
                    clashes.append(attrs.evolve(here, kind="conflict", message=message))
    filled = {(c.unit, c.column) for c in clashes if c.kind == "gap"} - {
        (unit, column) for unit, columns in units.items() for column in columns
    }
    clashes = [c for c in clashes if c.kind != "gap" or (c.unit, c.column) in filled]
    header_csv = io.StringIO()
    columns = list(dict.fromkeys(column for given in units.values() for column in given))
    writer = csv.writer(header_csv, lineterminator="\n")
    writer.writerow(["id", *columns])
    for unit, given in units.items():
        writer.writerow([unit, *[given.get(column, ("", ""))[0] for column in columns]])
    rows = csv.DictReader(io.StringIO(header_csv.getvalue(), newline=""))
    return {"units": [unit_from_row(row) for row in rows]}, clashes


def filled_sheet(path: str | os.PathLike[str]) -> SheetCells:
    """A filled sheet's cells as text: a CSV file (``place`` is then empty), or a workbook's sheet
    ``units`` (else its first sheet)."""
    source = Path(path)
    if source.suffix.lower() == ".xlsx":
        values, formulas = open_workbook(source)
        name = UNITS if UNITS in values.sheetnames else values.sheetnames[0]
        return sheet_cells(values[name], formulas[name], str(source))
    text = source.read_bytes().decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = tuple(h.strip() for h in rows[0]) if rows else ()
    return SheetCells("", header, tuple(enumerate(map(tuple, rows[1:]), 2)), {}, ())
