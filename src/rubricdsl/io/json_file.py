"""Reading a round from JSON: every number as the exact decimal it spells.

The result is a document in the data contract, as plain Python values (numbers as
``Decimal``), with the keys each object was given twice remembered; binding it to a
rubric is ``binding.py``'s job, whatever format the round came in.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from typing import Any

from ..problems import DataError, Problem
from ..source import Source, Span


class JsonObject(dict[str, Any]):
    """A JSON object that remembers the keys it was given twice (the last value is kept)."""

    duplicates: tuple[str, ...] = ()


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
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise DataError(
            shown, [Problem("E301", f"cannot read the file: {exc.strerror or exc}", path=shown)]
        ) from None
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


def parse_json(text: str, path: str = "<data>") -> Any:
    """Parse JSON text exactly: numbers become ``Decimal``, and so do NaN and Infinity, to be refused.

    >>> parse_json('{"a": 89.1}')["a"]
    Decimal('89.1')
    """
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_int=Decimal,
            parse_constant=Decimal,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as exc:
        span = Span(exc.lineno, exc.colno, exc.lineno, exc.colno + 1)
        problem = Problem("E303", f"not valid JSON: {exc.msg}", span, path=path)
        raise DataError(path, [problem], Source(path, text)) from None
    except RecursionError:
        raise DataError(path, [Problem("E304", "JSON nested too deeply", path=path)]) from None
