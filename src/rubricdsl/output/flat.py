"""Scorecards as one flat table (``score -o FILE.csv``, ``.jsonl``, ``.md``, ``.xlsx``), and the ranking.

One row per unit: ``id``, ``rank``, ``total`` (rounded to the rubric's places), ``grade``,
``grade_label``, ``vetoed``, then ``item.<id>`` for each item's score and ``group.<id>``
for each group's, and ``problem`` (empty when the unit was scored); when some unit's score
was corrected on appeal, a last column ``override`` says how, item by item. Ranking is by total,
ties sharing a rank (1, 2, 2, 4: 并列); a unit with problems is not ranked. A workbook
has the table as its first sheet, numbers as numbers, and a second sheet of lost points:
a row per unit and item that lost points, with why.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from ..io.workbook_writing import SheetLayout, workbook_bytes
from ..model import Rubric
from ..provenance import Provenance
from ..scoring import Scorecard
from .layout import override_text, reasons
from .ranking import ranks
from .records import json_lines, unit_records


def flat_table(rubric: Rubric, cards: Sequence[Scorecard]) -> tuple[list[str], list[list[str]]]:
    """The header and a row of text cells per unit."""
    number = rubric.rounding.apply
    items = [item.id for item in rubric.items()]
    groups = [g.id for g in rubric.groups() if g.id is not None]
    header = ["id", "rank", "total", "grade", "grade_label", "vetoed"]
    header += [f"item.{i}" for i in items] + [f"group.{g}" for g in groups] + ["problem"]
    appealed = any(s.override is not None for card in cards for s in card.items.values())
    if appealed:
        header.append("override")
    rows = []
    for card, rank in zip(cards, ranks(cards), strict=True):
        scored = {g.group.id: g for g in card.groups}
        row = [
            card.label,
            "" if rank is None else str(rank),
            "" if card.reported_total is None else str(card.reported_total),
            card.grade.name if card.grade else "",
            (card.grade.label or "") if card.grade else "",
            "true" if card.vetoed else "false",
        ]
        row += [str(number(card.items[i].score)) if i in card.items else "" for i in items]
        row += [str(number(scored[g].score)) if g in scored else "" for g in groups]
        row.append("; ".join(problem.headline for problem in card.errors))
        if appealed:
            corrected = [s for s in card.items.values() if s.override is not None]
            row.append("; ".join(f"{s.item.id} {override_text(rubric, s)}" for s in corrected))
        rows.append(row)
    return header, rows


def to_csv(rubric: Rubric, cards: Sequence[Scorecard]) -> str:
    """The flat table as CSV (written with a byte-order mark, so that Excel reads it as UTF-8)."""
    header, rows = flat_table(rubric, cards)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def to_markdown_table(rubric: Rubric, cards: Sequence[Scorecard], made: Provenance | None = None) -> str:
    """The flat table in Markdown, under the rubric's title; given ``made``, what produced it below."""
    header, rows = flat_table(rubric, cards)

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    foot = ["", *(f"{text}  " for text in made.lines())] if made is not None else []
    return (
        "\n".join(
            [f"# {rubric.title}", "", line(header), "|" + "---|" * len(header), *map(line, rows), *foot]
        )
        + "\n"
    )


def to_jsonl(rubric: Rubric, cards: Sequence[Scorecard]) -> str:
    """One JSON record a line: each unit as in ``score --format json``, rank included."""
    return json_lines(unit_records(rubric, cards))


_NUMERIC = ("rank", "total", "item.", "group.")


def to_xlsx(rubric: Rubric, cards: Sequence[Scorecard], path: str) -> bytes:
    """The flat table as a workbook (sheet ``scorecards``), and the lost points by item (``lost_points``).

    >>> from rubricdsl import loads, score
    >>> rubric = loads('rubric "考核" { item a "甲" points 5 { judged } }')
    >>> to_xlsx(rubric, score(rubric, {"units": [{"id": "东区", "scores": {"a": 4.5}}]}), "x.xlsx")[:2]
    b'PK'
    """
    header, rows = flat_table(rubric, cards)
    numeric = [name.startswith(_NUMERIC) for name in header]
    table: list[list[str | Decimal | bool | None]] = [list(header)]
    for row in rows:
        table.append([Decimal(c) if n and c else c for c, n in zip(row, numeric, strict=True)])
    widths = [max(8, min(30, len(name) + 2)) for name in header]
    return workbook_bytes(
        path,
        [
            SheetLayout("scorecards", table, frozen_at="B2", widths=widths),
            SheetLayout(
                "lost_points", lost_points(rubric, cards), frozen_at="C2", widths=[16, 24, 32, 8, 8, 8, 60]
            ),
        ],
    )


def lost_points(rubric: Rubric, cards: Sequence[Scorecard]) -> list[list[str | Decimal | bool | None]]:
    """A header, then a row per unit and item that lost points: its maximum, score, loss, and why."""
    number = rubric.rounding.apply
    found: list[list[str | Decimal | bool | None]] = [
        ["unit", "item", "title", "max", "score", "lost", "why"]
    ]
    for card in cards:
        for scored in card.items.values():
            if scored.deduction:
                item = scored.item
                found.append(
                    [
                        card.label,
                        item.id,
                        item.title,
                        number(item.max_points),
                        number(scored.score),
                        number(scored.deduction),
                        "; ".join(reasons(rubric, scored)),
                    ]
                )
    return found
