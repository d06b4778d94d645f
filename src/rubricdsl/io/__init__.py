"""Reading rounds: a file becomes a document in the data contract (``json_file.py``), and the
document is bound to a rubric (``binding.py``) whatever format it came in."""

from .binding import bind_round, bind_unit, read_round
from .json_file import parse_json, read_json
from .round import RoundData, UnitData

__all__ = ["RoundData", "UnitData", "bind_round", "bind_unit", "parse_json", "read_json", "read_round"]
