"""Writing Excel workbooks: rounds (``convert``, ``merge``), blank sheets (``template``), and the
sheets other stages lay out (scorecards).

A number is written as an Excel number only when reading it back gives the same text
(``workbook.number_text``): ``0.1`` and ``94.5`` are numbers, ``12345678901234567890.5``
(more digits than Excel's binary numbers hold) stays a text, so a round read back is the
same round. Ids, vetoes and every other text are written as texts, never as formulas.
The same content gives the same bytes: the workbook's created and modified times and
the times inside the zip are fixed.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import field, frozen

from ..problems import DataError, Problem
from .tables import cell, round_to_csv
from .workbook import TARGETS, UNITS, number_text, openpyxl_module

FIXED_TIME = datetime.datetime(2000, 1, 1)  # what the workbook records as created and modified
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_TEXT_COLUMNS = ("id", "vetoes", "missing_evidence", "target")


@frozen
class SheetLayout:
    """A sheet to write: rows of cells (a ``str`` is written as a text, a ``Decimal`` as a number
    shown with its places, ``bool`` as TRUE/FALSE, ``None`` blank), notes on row 1's cells
    by column, the cell below and right of which the panes stay frozen, and column widths."""

    title: str
    rows: Sequence[Sequence[str | Decimal | bool | None]]
    notes: Mapping[int, str] = field(factory=dict)
    frozen_at: str | None = None
    widths: Sequence[int] = ()


def workbook_bytes(path: str, sheets: Sequence[SheetLayout]) -> bytes:
    """The workbook of these sheets, as the bytes of an ``.xlsx`` file (``path`` names it in problems).

    >>> sheet = SheetLayout("units", [["id", "rate"], ["东区", Decimal("94.5")]])
    >>> raw = workbook_bytes("x.xlsx", [sheet])
    >>> raw[:2], raw == workbook_bytes("x.xlsx", [sheet])
    (b'PK', True)
    """
    openpyxl = openpyxl_module(path, "writing")
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    book = openpyxl.Workbook()
    book.remove(book.active)
    for layout in sheets:
        sheet = book.create_sheet(layout.title)
        for row_number, row in enumerate(layout.rows, 1):
            for column, value in enumerate(row, 1):
                _put(sheet.cell(row_number, column), value, path)
        for column, note in layout.notes.items():
            comment = Comment(note, "rubricdsl")
            comment.width, comment.height = 300, 120
            sheet.cell(1, column + 1).comment = comment
        if layout.frozen_at:
            sheet.freeze_panes = layout.frozen_at
        for column, width in enumerate(layout.widths, 1):
            sheet.column_dimensions[get_column_letter(column)].width = width
    book.properties.creator = "rubricdsl"
    book.properties.created = book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # not openpyxl's save(), which records the time now
    return _with_fixed_times(buffer.getvalue())


def _put(target: Any, value: str | Decimal | bool | None, path: str) -> None:
    if value is None:
        return
    if isinstance(value, Decimal):
        target.value = int(value) if value == value.to_integral_value() else float(value)
        places = max(0, -int(value.as_tuple().exponent))
        target.number_format = "0" + ("." + "0" * places if places else "")
        return
    try:
        target.value = value
    except ValueError:  # openpyxl's IllegalCharacterError: a control character
        message = f"{target.coordinate}: a text with a control character, which a workbook cannot hold"
        raise DataError(path, [Problem("E305", message, path=path)]) from None
    if isinstance(value, str):
        target.data_type = "s"  # a text beginning with "=" stays a text, never a formula


def _with_fixed_times(raw: bytes) -> bytes:
    """The same zip with every entry's time fixed, so equal workbooks are equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            copy.writestr(fixed, source.read(entry))
    return out.getvalue()


def round_to_xlsx(path: str, document: dict[str, Any]) -> bytes:
    """A round as a workbook: the sheet ``units`` in the flat layout, and ``targets`` when it has any.

    >>> raw = round_to_xlsx("r.xlsx", {"units": [{"id": "东区", "values": {"rate": Decimal("0.1")}}]})
    >>> from rubricdsl.io.workbook import read_workbook
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = pathlib.Path(folder, "r.xlsx")
    ...     _ = written.write_bytes(raw)
    ...     read_workbook(written, [])
    {'units': [{'id': '东区', 'values': {'rate': Decimal('0.1')}}]}
    """
    units, targets = round_to_csv(document)
    sheets = [SheetLayout(UNITS, _typed(units), frozen_at="B2", widths=_widths(units))]
    if targets is not None:
        sheets.append(SheetLayout(TARGETS, _typed(targets), frozen_at="A2", widths=_widths(targets)))
    return workbook_bytes(path, sheets)


def _typed(table: str) -> list[list[str | Decimal | bool | None]]:
    """The CSV table's cells, each a number where Excel holds it exactly, else its text."""
    rows = list(csv.reader(io.StringIO(table, newline="")))
    header = rows[0]
    typed: list[list[str | Decimal | bool | None]] = [list(header)]
    for row in rows[1:]:
        typed.append(
            [_typed_cell(text, name in _TEXT_COLUMNS) for name, text in zip(header, row, strict=True)]
        )
    return typed


def _typed_cell(text: str, always_text: bool) -> str | Decimal | None:
    if not text:
        return None
    value = cell(text)
    if always_text or not isinstance(value, Decimal) or text != str(value):
        return text
    return value if number_text(float(value)) == text else text


def _widths(table: str) -> list[int]:
    header = next(csv.reader(io.StringIO(table, newline="")))
    return [max(10, min(40, len(name) + 2)) for name in header]
