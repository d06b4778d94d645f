"""The rubric as the table an office publishes (``rubricdsl render``): its layout.

The columns are the seed document's: 考核内容 (the part), 序号 and 考核指标 (the group),
考核要点 (the item), 分值, 评分标准, 考核部门. A part or group spans the rows of its items.
评分标准 is the item's verbatim standard where it has one, else its criteria, numbered,
else words generated from its rules ("shortfall 在1至3之间（含3）的，扣2分。"). The vetoes
follow the table. Writers (``publish.py``) only arrange these cells.
"""

from __future__ import annotations

from collections.abc import Iterator

from attrs import frozen

from ..model import (
    Adjustment,
    AdjustmentKind,
    Assessed,
    BandTable,
    Cases,
    CategoryBands,
    Formula,
    Group,
    Interval,
    Item,
    Judged,
    Levels,
    Outcome,
    PerOccurrence,
    Rubric,
    Veto,
    WhenCondition,
)
from ..numbers import format_number

COLUMNS = ("考核内容", "序号", "考核指标", "考核要点", "分值", "评分标准", "考核部门")


@frozen
class Cell:
    """A cell's text (lines joined by newlines) and how many rows it spans (0: covered by one above)."""

    text: str
    rows: int = 1


@frozen
class VetoEntry:
    """A veto as the document lists it below the table: its number, title, and its texts."""

    numbering: str
    title: str
    paragraphs: tuple[str, ...]
    departments: str


@frozen
class OfficialTable:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: str
    vetoes: tuple[VetoEntry, ...]
    grades: str
    notes: tuple[str, ...] = ()  # rules over the table: parts' conditions, requirements, evidence


def official_table(rubric: Rubric) -> OfficialTable:
    """The rubric's rows, one per item, parts and groups spanning theirs.

    >>> from rubricdsl import load
    >>> table = official_table(load("rubrics/ezhou2013.rub"))
    >>> [cell.text for cell in table.rows[0]][:5]
    ['质量目标（40分）', '1', '产品质量量化指标（20分）', '制造业产品质量合格率', '10']
    """
    rows: list[tuple[Cell, ...]] = []
    for part, group, item in _placed(rubric.children, None, None):
        rows.append(
            (
                Cell(_heading(part)),
                Cell(group.numbering or "" if group is not None else item.numbering or ""),
                Cell(_heading(group)),
                Cell(item.title),
                Cell(
                    format_number(item.max_points)
                    + (f"（另奖{format_number(item.bonus)}）" if item.bonus else "")
                ),
                Cell(standard_words(item)),
                Cell("、".join(item.departments)),
            )
        )
    spanned = _spans(rows, (0, 1, 2))
    return OfficialTable(
        rubric.title,
        COLUMNS,
        tuple(spanned),
        f"合计 {format_number(rubric.max_points)} 分"
        + (f"，奖励分 {format_number(rubric.bonus)} 分" if rubric.bonus else ""),
        tuple(_veto(v) for v in rubric.vetoes),
        _grades(rubric),
        tuple(_notes(rubric)),
    )


def _notes(rubric: Rubric) -> Iterator[str]:
    """What scores the table's rows but lives outside them."""
    for group in rubric.groups():
        if group.applies is not None:
            otherwise = _outcome_words(group.applies.otherwise, None)
            yield f"{group.title}：{group.applies.condition} 时适用，否则各项{otherwise}。"
    for item in rubric.items():
        for requirement in item.requires:
            wording = f"（{requirement.text}）" if requirement.text else ""
            yield f"{item.title}：须满足 {requirement.condition}{wording}，否则不予评分。"
    for requirement in rubric.requires:
        wording = f"（{requirement.text}）" if requirement.text else ""
        yield f"须满足 {requirement.condition}{wording}，否则不予评分。"
    if rubric.evidence:
        yield rubric.evidence


def _placed(
    children: tuple[Group | Item, ...], part: Group | None, group: Group | None
) -> Iterator[tuple[Group | None, Group | None, Item]]:
    """Each item with the part (the outermost) and the group (the innermost) around it."""
    for child in children:
        if isinstance(child, Item):
            yield part, group, child
        elif part is None:
            yield from _placed(child.children, child, None)
        else:
            yield from _placed(child.children, part, child)


def _heading(owner: Group | None) -> str:
    if owner is None:
        return ""
    return f"{owner.title}（{format_number(owner.max_points)}分）"


def _spans(rows: list[tuple[Cell, ...]], columns: tuple[int, ...]) -> list[tuple[Cell, ...]]:
    """Runs of equal cells in ``columns`` become one cell spanning the run (the rest span 0).

    A column spans only within the span of the columns before it, so two groups with the same
    number in different parts stay apart.
    """
    result = [list(row) for row in rows]
    for column in columns:
        start = 0
        while start < len(rows):
            end = start + 1
            while (
                end < len(rows)
                and rows[end][column].text == rows[start][column].text
                and all(rows[end][c].text == rows[start][c].text for c in columns if c < column)
            ):
                end += 1
            result[start][column] = Cell(rows[start][column].text, end - start)
            for covered in range(start + 1, end):
                result[covered][column] = Cell("", 0)
            start = end
    return [tuple(row) for row in result]


# The standard in words -----------------------------------------------------------------------------


def standard_words(item: Item) -> str:
    """The item's 评分标准: verbatim if it has one, its criteria numbered, else words from its rules.

    >>> from rubricdsl import loads
    >>> rubric = loads('''rubric "t" { item a "甲" points 10 { input shortfall number
    ...   bands shortfall, higher is worse { (..0] full (0..1] deduct 1 (1..3] deduct 2 (3..) zero } } }''')
    >>> print(standard_words(rubric.item("a")))
    shortfall 不高于0的，得10分；
    shortfall 高于0、不高于1的，扣1分；
    shortfall 高于1、不高于3的，扣2分；
    shortfall 高于3的，不得分。
    """
    if item.standard:
        return item.standard
    if item.criteria:
        return "\n".join(f"{n}.{text}" for n, text in enumerate(item.criteria, 1))
    sentences = list(_rule_words(item)) + [_adjustment_words(a) for a in item.adjustments]
    if item.applies is not None:
        sentences.append(
            f"{item.applies.condition} 时适用，否则{_outcome_words(item.applies.otherwise, item)}"
        )
    if not sentences:
        return ""
    return "\n".join(s + ("；" if i < len(sentences) - 1 else "。") for i, s in enumerate(sentences))


def _rule_words(item: Item) -> Iterator[str]:
    rule = item.rule
    if isinstance(rule, BandTable):
        yield from (
            f"{rule.measure} {_interval_words(b.interval)}的，{_outcome_words(b.outcome, item)}"
            for b in rule.bands
        )
    elif isinstance(rule, CategoryBands):
        for table in rule.tables:
            for band in table.table.bands:
                words = f"{_interval_words(band.interval)}的，{_outcome_words(band.outcome, item)}"
                yield f"{table.category}：{rule.measure} {words}"
    elif isinstance(rule, Levels):
        yield "、".join(f"{level.name}{_outcome_words(level.outcome, item)}" for level in rule.levels)
    elif isinstance(rule, Cases):
        for case in rule.cases:
            when = f"{case.condition}的" if case.condition is not None else "其他情形"
            yield f"{when}，{_outcome_words(case.outcome, item)}"
    elif isinstance(rule, Judged):
        yield f"由考核组评定，最高{format_number(item.max_points)}分"
    elif isinstance(rule, Formula):
        yield f"得分 = {rule.expr}"


def _interval_words(interval: Interval) -> str:
    low, high = interval.lower, interval.upper
    if low is not None and low == high:
        return f"等于{format_number(low)}"
    parts = []
    if low is not None:
        parts.append(f"{'不低于' if interval.lower_closed else '高于'}{format_number(low)}")
    if high is not None:
        parts.append(f"{'不高于' if interval.upper_closed else '低于'}{format_number(high)}")
    return "、".join(parts) or "任何值"


def _outcome_words(outcome: Outcome, item: Item | None) -> str:
    text = str(outcome)
    if text == "full":
        return f"得{format_number(item.max_points)}分" if item is not None else "得满分"
    if text == "zero":
        return "不得分"
    words = text.split()
    if words[0] == "score":
        return f"得{words[1]}分"
    if len(words) == 2:
        return f"扣{words[1]}分"
    low, high = words[1].split("..")
    return f"扣{low}—{high}分" + ("（按比例）" if words[2] == "linear" else "（酌情）")


def _adjustment_words(adjustment: Adjustment) -> str:
    verb = "扣" if adjustment.kind is AdjustmentKind.DEDUCT else "奖励"
    limit = f"，最高{verb}{format_number(adjustment.limit)}分" if adjustment.limit is not None else ""
    if isinstance(adjustment, PerOccurrence):
        return f"每 {adjustment.per} {verb}{format_number(adjustment.amount_each)}分{limit}"
    if isinstance(adjustment, WhenCondition):
        return f"{adjustment.when} 的，{verb}{format_number(adjustment.amount_each)}分{limit}"
    if isinstance(adjustment, Assessed):
        return f"酌情{verb}分{limit}"
    return str(adjustment)


def _veto(veto: Veto) -> VetoEntry:
    paragraphs = [veto.definition] if veto.definition else []
    paragraphs += [f"{n}.{text}" for n, text in enumerate(veto.circumstances, 1)]
    if veto.standard:
        paragraphs.append(veto.standard)
    effect = [f"等级为{veto.grade}" if not veto.caps else f"等级最高为{veto.grade}"] if veto.grade else []
    effect += [f"{cap.part}得分最高{format_number(cap.limit)}分" for cap in veto.part_caps]
    if not veto.standard and effect:
        paragraphs.append("，".join(effect) + "。")
    return VetoEntry(veto.numbering or "", veto.title, tuple(paragraphs), "、".join(veto.departments))


def _grades(rubric: Rubric) -> str:
    if rubric.grades is None:
        return ""
    parts = []
    for grade in rubric.grades.grades:
        needs = f"{format_number(grade.threshold)}分及以上" if grade.threshold is not None else "其余"
        condition = f"且{grade.condition}" if grade.condition is not None else ""
        parts.append(f"{grade.name}{f'（{grade.label}）' if grade.label else ''}：{needs}{condition}")
    return "考核等级：" + "；".join(parts) + "。"
