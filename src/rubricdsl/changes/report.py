"""The changes and their impact as text a person reads, and as JSON records."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from .compare import Change, Impact


def change_report(changes_found: Sequence[Change], old_path: str, new_path: str) -> str:
    """The changes as text, each with where it is written in the old and the new file."""
    count = len(changes_found)
    lines = [f"{old_path} → {new_path}: {count} change{'' if count == 1 else 's'}"]
    for change in changes_found:
        lines.append(f"{change.sign} {change.subject}: {change.what}")
        places = [
            f"{path}:{span.line}" for path, span in ((old_path, change.old), (new_path, change.new)) if span
        ]
        if places:
            lines.append(f"    {' → '.join(places) if change.old and change.new else places[0]}")
    return "\n".join(lines) + "\n"


def impact_report(found: Sequence[Impact], units: int, data_path: str) -> str:
    """The units whose total or grade moves, by how much, and through which items."""
    lines = [f"impact on {data_path}: {len(found)} of {units} units change"]
    for unit in found:
        grade = (
            f", {unit.old_grade} → {unit.new_grade}"
            if unit.old_grade != unit.new_grade
            else (f", {unit.new_grade}" if unit.new_grade else "")
        )
        delta = (
            f" ({_signed(unit.new_total - unit.old_total)})"
            if unit.old_total is not None and unit.new_total is not None
            else ""
        )
        lines.append(f"  {unit.unit}: {_maybe(unit.old_total)} → {_maybe(unit.new_total)}{delta}{grade}")
        for moved in unit.items:
            rules = (
                f"{moved.old_rule} → {moved.new_rule}" if moved.old_rule != moved.new_rule else moved.new_rule
            )
            lines.append(f"    {moved.item}: {_maybe(moved.old)} → {_maybe(moved.new)}  ({rules})")
        lines += [f"    {problem}" for problem in unit.problems]
    return "\n".join(lines) + "\n"


def _maybe(value: Decimal | None) -> str:
    return str(value) if value is not None else "—"


def _signed(value: Decimal) -> str:
    return f"+{value}" if value > 0 else str(value)


def change_records(changes_found: Sequence[Change], old_path: str, new_path: str) -> list[dict[str, Any]]:
    """The changes as JSON records: sign, subject, what, and both places (path and line, or null)."""
    return [
        {
            "sign": c.sign,
            "subject": c.subject,
            "what": c.what,
            "old": {"path": old_path, "line": c.old.line} if c.old else None,
            "new": {"path": new_path, "line": c.new.line} if c.new else None,
        }
        for c in changes_found
    ]


def impact_records(found: Sequence[Impact]) -> list[dict[str, Any]]:
    """The moved units as JSON records, numbers as the decimals they are."""
    return [
        {
            "unit": u.unit,
            "old_total": u.old_total,
            "new_total": u.new_total,
            "old_grade": u.old_grade,
            "new_grade": u.new_grade,
            "items": [
                {"item": m.item, "old": m.old, "new": m.new, "old_rule": m.old_rule, "new_rule": m.new_rule}
                for m in u.items
            ],
            "problems": list(u.problems),
        }
        for u in found
    ]
