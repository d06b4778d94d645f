"""Reading a round from JSON: every number as the exact decimal it spells.

The result is a document in the data contract, as plain Python values (numbers as
``Decimal``), with the keys each object was given twice remembered; binding it to a
rubric is ``binding.py``'s job, whatever format the round came in.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from attrs import frozen

from ..problems import DataError, Problem
from ..source import Source, Span

# Limits, so no file can make reading hang or run out of stack; each is far beyond a real round.
MAX_DATA_BYTES = 64 * 1024 * 1024  # a data file's size
MAX_DEPTH = 32  # arrays and objects inside each other (the data contract needs 5)

_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class JsonObject(dict[str, Any]):
    """A JSON object that remembers the keys it was given twice (the last value is kept).

    A unit read from a table or a JSON lines file also knows where it was: ``places`` gives
    the line and column of each of its fields (by path: ``values.rate``), ``whole`` the line
    it is on, and ``problems`` what was wrong with the row itself (too many cells).
    """

    duplicates: tuple[str, ...] = ()
    places: Mapping[str, Span] = {}
    whole: Span | None = None
    problems: tuple[Problem, ...] = ()


@frozen
class Unreadable:
    """An entry that could not be read at all (a JSON line that is not JSON): its unit is not
    scored, and the others are."""

    problems: tuple[Problem, ...]


def _object(pairs: list[tuple[str, Any]]) -> JsonObject:
    result = JsonObject(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        result.duplicates = tuple(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
    return result


def read_json(path: str | os.PathLike[str]) -> Any:
    """Read a JSON file with every number as the exact ``Decimal`` it spells.

    Raises ``DataError`` for a file that cannot be read or is not JSON.

    >>> read_json("examples/ezhou2013-districts.json")["targets"]["service_satisfaction"]
    Decimal('90.2')
    """
    shown = os.fspath(path)
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1  # in bytes: the text cannot be decoded
        problem = Problem(
            "E302",
            "not UTF-8 text (save the file as UTF-8)",
            Span(line, column, line, column + 1),
            path=shown,
        )
        raise DataError(shown, [problem]) from None
    return parse_json(text, shown)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """A data file's bytes; ``DataError`` (E301) when it cannot be read, is empty or is too large.

    >>> len(read_bytes("examples/ezhou2013-districts.csv")) > 0
    True
    """
    shown = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_DATA_BYTES + 1)  # never more than the limit, whatever the file's size
    except OSError as exc:
        raise DataError(
            shown, [Problem("E301", f"cannot read the file: {exc.strerror or exc}", path=shown)]
        ) from None
    if len(raw) > MAX_DATA_BYTES:
        message = f"the file is larger than {MAX_DATA_BYTES // 2**20} MB, the most rubricdsl reads"
        raise DataError(shown, [Problem("E301", message, path=shown)])
    if not raw.strip(b" \t\r\n\xef\xbb\xbf"):  # nothing but blanks and a byte-order mark
        raise DataError(shown, [Problem("E305", "the file is empty: there is no round in it", path=shown)])
    return raw


def parse_json(text: str, path: str = "<data>", line: int = 1) -> Any:
    """Parse JSON text exactly: numbers become ``Decimal``, and so do NaN and Infinity, to be refused.

    ``line`` is the line of the file the text starts on (a JSON lines file's line), for places.

    >>> parse_json('{"a": 89.1}')["a"]
    Decimal('89.1')
    """
    deep = too_deep(text)
    if deep is not None:
        span = Span(deep.line + line - 1, deep.column, deep.line + line - 1, deep.column + 1)
        message = f"nested too deeply: arrays and objects more than {MAX_DEPTH} deep"
        raise DataError(path, [Problem("E304", message, span, path=path)], Source(path, text))
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_int=Decimal,
            parse_constant=Decimal,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as exc:
        span = Span(exc.lineno + line - 1, exc.colno, exc.lineno + line - 1, exc.colno + 1)
        problem = Problem("E303", f"not valid JSON: {exc.msg}", span, path=path)
        raise DataError(path, [problem], Source(path, text) if line == 1 else None) from None
    except RecursionError:  # too_deep counts what json does; kept in case a stack is smaller still
        raise DataError(path, [Problem("E304", "JSON nested too deeply", path=path)]) from None


def too_deep(text: str) -> Span | None:
    """Where JSON text first nests arrays and objects more than ``MAX_DEPTH`` deep, if it does.

    Strings are skipped whole, so brackets inside them do not count.

    >>> too_deep('{"a": "[[[["}'), too_deep("[" * 40)
    (None, Span(line=1, column=33, end_line=1, end_column=34, offset=32, end_offset=33))
    """
    depth = 0
    for found in _NESTING.finditer(text):
        mark = found.group()
        if mark in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                start = found.start()
                line = text.count("\n", 0, start) + 1
                column = start - (text.rfind("\n", 0, start) + 1) + 1
                return Span(line, column, line, column + 1, start, start + 1)
        elif mark in "]}":
            depth -= 1
    return None
