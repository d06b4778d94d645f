"""Rounds and filled sheets from Excel workbooks (``.xlsx``), with the optional extra ``rubricdsl[excel]``.

A round's workbook has a sheet ``units`` in the flat layout of ``tables.py`` (the header
in row 1, a row per unit; a row whose ``id`` starts with ``#`` is a note and skipped) and,
optionally, a sheet ``targets`` with the columns ``target`` and ``value``.

How a cell is read:

- A number cell is read through its shortest round-trip text: Excel holds a binary
  number, and ``repr`` of it (``0.1``, not ``0.1000000000000000055…``) is what a person
  typed; an integral number reads as a whole number (``95``, not ``95.0``). A number cell
  formatted as a percent (Excel holds 0.945 and shows ``94.5%``) reads as the number of
  percent shown, 94.5, as the CSV text ``94.5%`` does.
- A text cell is read as a CSV cell is (``94.5%``, full-width digits, spaces).
- A TRUE/FALSE cell is a yes/no.
- A formula cell is read by the value Excel or WPS computed and saved with it; a formula
  saved without one (by a program that does not compute), an error (``#DIV/0!``, ``#N/A``),
  a date or time, and a text longer than Excel's 32,767 characters are each a problem of
  that unit, at its sheet and cell (``units!D4``); the unit's other items are scored.
- Cells merged across data rows would read as blank below their first row: each is a
  problem of its unit. A merged header cell, a missing ``id`` column, a column named
  twice, no ``units`` sheet, and a file that is no workbook stop the round.
- A hidden ``units`` sheet and hidden rows are read like any other, and said so.
"""

from __future__ import annotations

import datetime
import math
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from attrs import frozen

from ..problems import DataError, Problem
from .tables import targets_from_rows, unit_from_row

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

UNITS, TARGETS = "units", "targets"
LONGEST_TEXT = 32_767  # Excel's own limit for a cell


def openpyxl_module(path: str, doing: str) -> ModuleType:
    """openpyxl, or a problem saying how to install it (it is the optional extra ``excel``)."""
    try:
        import openpyxl
    except ImportError:
        message = f"{doing} .xlsx needs openpyxl: pip install 'rubricdsl[excel]'"
        raise DataError(path, [Problem("E301", message, path=path)]) from None
    return openpyxl


class SheetUnit(dict[str, Any]):
    """A unit read from a sheet, with the problems of the cells that could not be read (binding
    reports them in place of the values left out)."""

    cell_problems: tuple[Problem, ...] = ()


def number_text(value: float | int) -> str:
    """A number cell's value as the text a person typed: the shortest text that reads back as it.

    >>> number_text(0.1), number_text(95.0), number_text(1e16), number_text(12), number_text(2.5e-07)
    ('0.1', '95', '10000000000000000', '12', '0.00000025')
    """
    if isinstance(value, int) or value == int(value):
        return str(int(value))
    return format(Decimal(repr(value)), "f")


@frozen
class SheetCells:
    """A sheet as text: its header, and each row's number and cells; a cell that cannot be read
    is blank, and why is in ``problems`` (by row number and column index)."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    problems: dict[tuple[int, int], str]
    notes: tuple[str, ...]

    def place(self, row: int, column: int) -> str:
        """``units!C4`` for the third column of row 4 (columns counted from 0); a CSV sheet's
        (nameless) cells have no place but their row.

        >>> SheetCells("units", ("id", "a", "b"), (), {}, ()).place(4, 2)
        'units!C4'
        """
        if not self.name:
            return ""
        letters = ""
        number = column + 1
        while number:
            number, rest = divmod(number - 1, 26)
            letters = chr(ord("A") + rest) + letters
        return f"{self.name}!{letters}{row}"

    def problem_at(self, row: int, column: int) -> str | None:
        """Why the cell cannot be read, at its place and under its column's name; None when it can."""
        reason = self.problems.get((row, column))
        if reason is None:
            return None
        return f"{self.place(row, column)} ({self.header[column] or 'a nameless column'}): {reason}"


def open_workbook(path: Path) -> tuple[Workbook, Workbook]:
    """The workbook twice: with the values computed and saved by Excel, and with its formulas."""
    shown = str(path)
    openpyxl = openpyxl_module(shown, "reading")
    try:
        return (
            openpyxl.load_workbook(path, data_only=True),
            openpyxl.load_workbook(path, data_only=False),
        )
    except OSError as exc:
        message = f"cannot read the data file: {exc.strerror or exc}"
        raise DataError(shown, [Problem("E301", message, path=shown)]) from None
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        message = f"not an Excel workbook (.xlsx): {exc}; save it from Excel or WPS as .xlsx"
        raise DataError(shown, [Problem("E301", message, path=shown)]) from None


def read_workbook(path: Path, notes: list[str], with_targets: bool = True) -> dict[str, Any]:
    """A round's workbook as a document in the data contract (see the module's docstring).

    ``with_targets`` False leaves the ``targets`` sheet unread (``--targets`` gives them).
    """
    values, formulas = open_workbook(path)
    shown = str(path)
    if UNITS not in values.sheetnames:
        sheets = ", ".join(f"'{name}'" for name in values.sheetnames)
        message = (
            f"no sheet '{UNITS}' in the workbook (its sheets: {sheets}); the units go on a sheet '{UNITS}'"
        )
        raise DataError(shown, [Problem("E305", message, path=shown)])
    table = sheet_cells(values[UNITS], formulas[UNITS], shown)
    notes.extend(table.notes)
    if "id" not in table.header:
        message = f"{UNITS}!1: no column 'id' in the header row; the first row names the columns"
        raise DataError(shown, [Problem("E305", message, path=shown, field="id")])
    units = []
    for number, cells in table.rows:
        if cells[table.header.index("id")].strip().startswith("#"):
            continue
        unit = SheetUnit(unit_from_row(dict(zip(table.header, cells, strict=True))))
        unit.cell_problems = tuple(
            Problem(
                "E313", table.problem_at(row, column) or "", path=shown, field=table.header[column] or None
            )
            for row, column in table.problems
            if row == number
        )
        units.append(unit)
    document: dict[str, Any] = {"units": units}
    if with_targets and TARGETS in values.sheetnames:
        targets = sheet_cells(values[TARGETS], formulas[TARGETS], shown)
        if targets.problems:
            problems = [
                Problem("E313", targets.problem_at(*key) or "", path=shown, field="targets")
                for key in targets.problems
            ]
            raise DataError(shown, problems)
        document["targets"] = targets_from_rows(
            dict(zip(targets.header, row, strict=True)) for _, row in targets.rows
        )
        notes.append(f"targets from the sheet '{TARGETS}'")
    return document


def sheet_cells(values: Worksheet, formulas: Worksheet, path: str) -> SheetCells:
    """A sheet's cells as text, its unreadable cells located; a merged or empty header stops it."""
    name = values.title
    if values.max_row < 1 or all(c.value is None for c in values[1]):
        raise DataError(
            path, [Problem("E305", f"the sheet '{name}' is empty: row 1 names the columns", path=path)]
        )
    width = max(c.column for c in values[1] if c.value is not None)
    problems: dict[tuple[int, int], str] = {}
    for merged in values.merged_cells.ranges:
        if merged.min_row == 1:
            message = f"{name}!{merged.coord}: header cells are merged; give each column its own name"
            raise DataError(path, [Problem("E305", message, path=path)])
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, min(merged.max_col, width) + 1):
                problems[(row, column - 1)] = (
                    f"merged with {merged.coord}, it reads as blank below the first row; "
                    "unmerge the cells and fill each"
                )
    header = tuple(_header(values, formulas, width, path))
    rows = []
    for number in range(2, values.max_row + 1):
        cells = []
        for column in range(width):
            text = _text(values.cell(number, column + 1), formulas.cell(number, column + 1))
            if isinstance(text, _Unreadable):
                problems.setdefault((number, column), str(text))
                text = ""
            cells.append(text)
        if any(c.strip() for c in cells) or any(row == number for row, _ in problems):
            rows.append((number, tuple(cells)))
    return SheetCells(name, header, tuple(rows), problems, tuple(_hidden(values, path)))


def _header(values: Worksheet, formulas: Worksheet, width: int, path: str) -> Iterator[str]:
    seen: set[str] = set()
    for column in range(1, width + 1):
        cell = values.cell(1, column)
        text = _text(cell, formulas.cell(1, column))
        if isinstance(text, _Unreadable):
            message = f"{values.title}!{cell.coordinate}: a column's name: {text}"
            raise DataError(path, [Problem("E305", message, path=path)])
        name = text.strip().lstrip("\ufeff")
        if name and name in seen:
            message = f"{values.title}!{cell.coordinate}: the column '{name}' is named twice; keep one"
            raise DataError(path, [Problem("E307", message, path=path, field=name)])
        seen.add(name)
        yield name


def _hidden(sheet: Worksheet, path: str) -> Iterator[str]:
    if sheet.sheet_state != "visible":
        yield f"the sheet '{sheet.title}' is hidden: read all the same"
    hidden = [n for n, d in sorted(sheet.row_dimensions.items()) if d.hidden and n <= sheet.max_row]
    if hidden:
        shown = ", ".join(map(str, hidden))
        yield f"rows {shown} of the sheet '{sheet.title}' are hidden: read all the same"


class _Unreadable(str):
    """Why a cell cannot be read."""


def _text(cell: Cell | Any, formula: Cell | Any) -> str:
    """A cell as the text the flat layout reads, or why it cannot be one."""
    value = cell.value
    if value is None:
        written = formula.value
        if formula.data_type == "f" or (isinstance(written, str) and written.startswith("=")):
            return _Unreadable(
                f"the formula {written} has no computed value (the program that saved the workbook "
                "did not compute it); open and save it in Excel or WPS, or type the value"
            )
        return ""
    if cell.data_type == "e":
        return _Unreadable(f"the cell holds the error {value}; correct the formula or type the value")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime | datetime.date | datetime.time | datetime.timedelta):
        return _Unreadable(f"a date or time ({value}), not a number or a text; format the cell as a number")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return _Unreadable(f"{value} is not a number")
        text = number_text(value)
        if "%" in (cell.number_format or ""):  # Excel holds 0.945 and shows 94.5%
            text = number_text_of(Decimal(text).scaleb(2))
        return text
    text = str(value)
    if len(text) > LONGEST_TEXT:
        return _Unreadable(f"a text of {len(text)} characters, more than a cell holds ({LONGEST_TEXT})")
    return text


def number_text_of(value: Decimal) -> str:
    """A decimal's plain text, without an exponent or trailing zeros.

    >>> number_text_of(Decimal("94.500")), number_text_of(Decimal("1E+2"))
    ('94.5', '100')
    """
    return format(value.normalize(), "f")
