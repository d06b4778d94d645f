"""What produced an output: rubricdsl's version, the rubric (title, year, file and its SHA-256)
and the round's files with theirs, so a published result can be traced to exactly its inputs."""

from __future__ import annotations

import hashlib
import os
from importlib.metadata import version
from pathlib import Path
from typing import Any

from attrs import frozen

from .model import Rubric


@frozen
class FileDigest:
    """A file as it was read: its name as given and the SHA-256 of its bytes."""

    path: str
    sha256: str

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> FileDigest:
        """The digest of a file's bytes.

        >>> FileDigest.of("rubrics/ezhou2013.rub").sha256 == hashlib.sha256(
        ...     Path("rubrics/ezhou2013.rub").read_bytes()).hexdigest()
        True
        """
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return cls(Path(path).as_posix(), digest.hexdigest())


@frozen
class Provenance:
    """rubricdsl's version, the rubric's title and year, the rubric's file and the round's files."""

    version: str
    title: str
    year: int | None
    rubric: FileDigest
    data: tuple[FileDigest, ...]  # the data file, then a targets file read beside it

    def record(self) -> dict[str, Any]:
        """As the JSON output holds it.

        >>> made = Provenance("0.3.0", "考核", 2013, FileDigest("a.rub", "ab"), (FileDigest("d.csv", "cd"),))
        >>> made.record()["data"]
        [{'file': 'd.csv', 'sha256': 'cd'}]
        """
        return {
            "rubricdsl": self.version,
            "rubric": {
                "title": self.title,
                "year": self.year,
                "file": self.rubric.path,
                "sha256": self.rubric.sha256,
            },
            "data": [{"file": d.path, "sha256": d.sha256} for d in self.data],
        }

    def entries(self) -> dict[str, str]:
        """Named texts, for a page's footer.

        >>> made = Provenance("0.3.0", "考核", 2013, FileDigest("a.rub", "ab"), (FileDigest("d.csv", "cd"),))
        >>> made.entries()["数据"]
        'd.csv  sha256 cd'
        """
        year = f"（{self.year}）" if self.year is not None else ""
        found = {
            "生成": f"rubricdsl {self.version}",
            "评分细则": f"{self.title}{year}",
            "细则文件": f"{self.rubric.path}  sha256 {self.rubric.sha256}",
        }
        for position, data in enumerate(self.data):
            found["数据" if position == 0 else f"数据 {position + 1}"] = f"{data.path}  sha256 {data.sha256}"
        return found

    def lines(self) -> list[str]:
        """For a page or a table's foot: one line for the program and rubric, one per data file.

        >>> made = Provenance("0.3.0", "考核", 2013, FileDigest("a.rub", "ab"), (FileDigest("d.csv", "cd"),))
        >>> made.lines()
        ['rubricdsl 0.3.0；考核（2013）a.rub sha256 ab', '数据 d.csv sha256 cd']
        """
        year = f"（{self.year}）" if self.year is not None else " "
        head = f"rubricdsl {self.version}；{self.title}{year}{self.rubric.path} sha256 {self.rubric.sha256}"
        return [head, *(f"数据 {d.path} sha256 {d.sha256}" for d in self.data)]


def provenance(
    rubric: Rubric, rubric_path: str | os.PathLike[str], data_paths: list[str | os.PathLike[str]]
) -> Provenance:
    """Who made an output, from what: the files are read again to hash exactly their bytes.

    >>> from rubricdsl import load
    >>> made = provenance(load("rubrics/ezhou2013.rub"), "rubrics/ezhou2013.rub", [])
    >>> made.title, made.year, len(made.rubric.sha256)
    ('2013年度鄂州市质量工作考核评分细则', 2013, 64)
    """
    return Provenance(
        version("rubricdsl"),
        rubric.title,
        rubric.year,
        FileDigest.of(rubric_path),
        tuple(FileDigest.of(p) for p in data_paths),
    )
