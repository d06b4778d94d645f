"""Reading rounds: a file becomes a document in the data contract (``json_file.py``; CSV and JSON
lines in ``tables.py``), and the document is bound to a rubric (``binding.py``) whatever format
it came in; ``schema.py`` writes what binding accepts as a JSON Schema."""

from .binding import bind_round, bind_unit, read_round
from .json_file import parse_json, read_json
from .round import RoundData, UnitData
from .schema import data_schema
from .tables import cell, read_document, round_to_csv, targets_file

__all__ = [
    "RoundData",
    "UnitData",
    "bind_round",
    "bind_unit",
    "cell",
    "data_schema",
    "parse_json",
    "read_document",
    "read_json",
    "read_round",
    "round_to_csv",
    "targets_file",
]
