"""The round's published report (``rubricdsl report``): one standalone HTML page.

In order: the title and year; the ranking (rank with 并列 ties, unit, total rounded to the
rubric's places, grade, vetoed) and a chart of the totals; the grade distribution; the
points lost by item across units, as a chart; the vetoes that fired and what they did; the
units that could not be scored, with their problems (not ranked); then each unit's lost
points, item by item, with the reason ``score --explain`` gives; and a footer for where the
report came from.

The page has no JavaScript and fetches nothing (its charts are inline SVG, its fonts the
reader's own, a CJK stack first). It prints on A4 portrait: tables repeat their header on
each page and never split a row. Every text is escaped; the same round gives the same bytes.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from decimal import Decimal

from ..model import Item, Rubric
from ..numbers import format_number
from ..scoring import Scorecard
from .charts import Bar, Mark, bar_chart
from .layout import lost, printable, reason, shortened, veto_effects
from .ranking import ranks

_STYLE = """
@page { size: A4; margin: 15mm; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
       "PingFang SC", "SimSun", sans-serif; font-size: 10pt; line-height: 1.45; margin: 0; color: #111;
       max-width: 680px; }
@media screen { body { margin: 16px auto; padding: 0 12px; } }
h1 { font-size: 16pt; text-align: center; margin: 0 0 4pt; }
p.meta { text-align: center; color: #444; margin: 0 0 12pt; }
h2 { font-size: 12.5pt; margin: 16pt 0 6pt; border-bottom: 1pt solid #333; padding-bottom: 2pt; }
h3 { font-size: 11pt; margin: 12pt 0 4pt; }
h2, h3 { break-after: avoid; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 0 0 6pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.75pt solid #555; padding: 2pt 4pt; vertical-align: top; overflow-wrap: anywhere; }
th { background: #e8e8e8; font-weight: bold; text-align: center; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.c { text-align: center; }
td.why { font-size: 8.5pt; color: #333; white-space: pre-wrap; }
span.id { display: block; font-size: 8pt; color: #666; font-family: monospace; }
h3 span.sub { font-weight: normal; font-size: 9.5pt; color: #444; margin-left: 1em; }
p.none { color: #444; margin: 2pt 0 6pt; }
figure { margin: 6pt 0 10pt; break-inside: avoid; }
figcaption { font-size: 9pt; color: #444; text-align: center; }
svg.chart { display: block; width: 100%; height: auto; font-family: inherit; }
svg.chart text { font-size: 12px; fill: #111; }
svg.chart text.value { paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg.chart text.tick { font-size: 10px; fill: #555; }
svg.chart text.mark { font-size: 10px; fill: #a33; }
svg.chart line.grid { stroke: #ddd; stroke-width: 1; }
svg.chart line.mark { stroke: #a33; stroke-width: 1; stroke-dasharray: 4 3; }
svg.chart rect.bar { fill: #4a6fa5; }
svg.chart rect.lost { fill: #c0504d; }
svg.chart rect.g0 { fill: #2e6b3a; } svg.chart rect.g1 { fill: #4a8f5a; } svg.chart rect.g2 { fill: #c9a227; }
svg.chart rect.g3 { fill: #d9822b; } svg.chart rect.g4, svg.chart rect.g5 { fill: #b8433c; }
footer { margin-top: 16pt; border-top: 0.75pt solid #999; padding-top: 4pt; font-size: 8.5pt; color: #444; }
footer dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; column-gap: 8pt; }
footer dt { font-weight: bold; } footer dd { margin: 0; overflow-wrap: anywhere; }
"""


def to_report(rubric: Rubric, cards: Sequence[Scorecard], provenance: Mapping[str, str] | None = None) -> str:
    """The round's report as one standalone HTML page; ``provenance`` (what produced it: a name and a
    text each, in order) fills its footer.

    >>> from rubricdsl import loads, score
    >>> rubric = loads('rubric "考核" { item a "甲" points 5 { judged } }')
    >>> cards = score(rubric, {"units": [{"id": "东区", "scores": {"a": 4.5}}, {"id": "<西>", "scores": {}}]})
    >>> page = to_report(rubric, cards)
    >>> "<td>东区</td>" in page, "&lt;西&gt;" in page, "<script" in page
    (True, True, False)
    """
    scored = [card for card in cards if card.ok]
    title = printable(rubric.title)
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{_e(title)} — 考核结果</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_e(_meta(rubric, cards))}</p>',
    ]
    sections = [
        _ranking(rubric, cards),
        _distribution(rubric, cards),
        _lost_chart(rubric, scored),
        _vetoes(rubric, cards),
        _unscored(cards),
        _lost_by_unit(rubric, cards),
    ]
    for number, (heading, body) in enumerate((s for s in sections if s is not None), 1):
        out.append(f"<h2>{_NUMERALS[number]}、{_e(heading)}</h2>")
        out += body
    out += _footer(provenance)
    out.append("</body></html>")
    return "\n".join(out) + "\n"


_NUMERALS = "〇一二三四五六七八九十"
Section = tuple[str, list[str]]  # a heading, and the HTML below it


def _meta(rubric: Rubric, cards: Sequence[Scorecard]) -> str:
    parts = [f"{rubric.year} 年度"] if rubric.year is not None else []
    parts.append(f"满分 {format_number(rubric.max_points)}")
    bonus = rubric.bonus if rubric.bonus is not None else rubric.bonus_allowed
    if bonus:
        parts.append(f"奖励分至多 {format_number(bonus)}")
    unscored = sum(1 for card in cards if card.errors)
    parts.append(f"{len(cards)} 个单位" + (f"，{unscored} 个未能评分" if unscored else "，均已评分"))
    return " · ".join(parts)


def _ordered(cards: Sequence[Scorecard]) -> list[tuple[int, Scorecard]]:
    """The scored units by rank, ties in the order of the data; with their ranks."""
    placed = [
        (rank, index, card)
        for index, (card, rank) in enumerate(zip(cards, ranks(cards), strict=True))
        if rank is not None
    ]
    return [(rank, card) for rank, _, card in sorted(placed, key=lambda p: (p[0], p[1]))]


def _grade(card: Scorecard) -> str:
    if card.grade is None:
        return ""
    return card.grade.name + (f" {card.grade.label}" if card.grade.label else "")


def _ranking(rubric: Rubric, cards: Sequence[Scorecard]) -> Section:
    """The scored units by rank, and a chart of their totals with the grades' thresholds."""
    ordered = _ordered(cards)
    shared = [rank for rank, _ in ordered]
    graded, vetoes = rubric.grades is not None, bool(rubric.vetoes)
    widths = ["13%", "", "14%"] + (["18%"] if graded else []) + (["10%"] if vetoes else [])
    heads = ["名次", "单位", "总分"] + (["等级"] if graded else []) + (["否决"] if vetoes else [])
    out = [_table_head("ranking", widths, heads)]
    for rank, card in ordered:
        tie = "（并列）" if shared.count(rank) > 1 else ""
        cells = [
            f'<td class="c">{rank}{tie}</td><td>{_e(printable(card.label))}</td>',
            f'<td class="n">{card.reported_total}</td>',
        ]
        cells += [f'<td class="c">{_e(_grade(card))}</td>'] if graded else []
        cells += [f'<td class="c">{"是" if card.vetoed else ""}</td>'] if vetoes else []
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if not ordered:
        return "排名", [*out, '<p class="none">没有单位得到评分。</p>']
    bars = [
        Bar(
            printable(card.label),
            card.reported_total or Decimal(0),
            f"{card.reported_total}  {_grade(card)}" + ("（否决）" if card.vetoed else ""),
            _grade_class(rubric, card),
        )
        for _, card in ordered
    ]
    grades = rubric.grades.grades if rubric.grades is not None else ()
    marks = [
        Mark(Decimal(format_number(g.threshold)), f"{g.name} ≥ {format_number(g.threshold)}")
        for g in grades
        if g.threshold is not None
    ]
    top = max(Decimal(format_number(rubric.max_points)), *(bar.value for bar in bars))
    chart = bar_chart("各单位总分", bars, marks, top=top if top % 10 == 0 else None)
    return "排名", [*out, f"<figure>{chart}<figcaption>图 1　各单位总分（按名次）</figcaption></figure>"]


def _table_head(kind: str, widths: Sequence[str], heads: Sequence[str]) -> str:
    """A table's start: its columns' widths (an empty one takes what is left) and its repeated header."""
    columns = "".join(f'<col style="width:{w}">' if w else "<col>" for w in widths)
    cells = "".join(f"<th>{_e(h)}</th>" for h in heads)
    return f'<table class="{kind}"><colgroup>{columns}</colgroup><thead><tr>{cells}</tr></thead><tbody>'


def _grade_class(rubric: Rubric, card: Scorecard) -> str:
    if rubric.grades is None or card.grade is None:
        return "bar"
    return f"g{min(rubric.grades.rank(card.grade.name), 5)}"


def _distribution(rubric: Rubric, cards: Sequence[Scorecard]) -> Section | None:
    """How many units each grade took (and how many could not be scored)."""
    if rubric.grades is None:
        return None
    out = [_table_head("grades", ["14%", "", "22%", "16%"], ["等级", "名称", "分数线", "单位数"])]
    for grade in rubric.grades.grades:
        count = sum(
            1 for card in cards if card.ok and card.grade is not None and card.grade.name == grade.name
        )
        line = f"≥ {format_number(grade.threshold)}" if grade.threshold is not None else "其余"
        out.append(
            f'<tr><td class="c">{_e(grade.name)}</td><td class="c">{_e(grade.label or "")}</td>'
            f'<td class="c">{_e(line)}</td><td class="n">{count}</td></tr>'
        )
    unscored = sum(1 for card in cards if card.errors)
    if unscored:
        out.append(
            f'<tr><td class="c">—</td><td class="c">未能评分</td><td></td><td class="n">{unscored}</td></tr>'
        )
    out.append("</tbody></table>")
    return "等级分布", out


def _lost_chart(rubric: Rubric, scored: Sequence[Scorecard]) -> Section:
    """A bar per item: the points all scored units lost on it, most first (ties in the rubric's order)."""
    totals: list[tuple[Decimal, int, Item, int]] = []
    for order, item in enumerate(rubric.items()):
        losses = [lost(rubric, card.items[item.id]) for card in scored if item.id in card.items]
        points = sum(losses, Decimal(0))
        if points > 0:
            totals.append((points, order, item, sum(1 for x in losses if x > 0)))
    if not totals:
        return "各项失分", ['<p class="none">没有单位在任何一项失分。</p>']
    totals.sort(key=lambda entry: (-entry[0], entry[1]))
    bars = [
        Bar(shortened(printable(item.title), 28), points, f"{points}（{units} 个单位） {item.id}", "lost")
        for points, _, item, units in totals
    ]
    chart = bar_chart("各项失分合计", bars)
    caption = f"图 2　各项失分合计（{len(scored)} 个已评分单位，按失分多少）"
    return "各项失分", [f"<figure>{chart}<figcaption>{_e(caption)}</figcaption></figure>"]


def _vetoes(rubric: Rubric, cards: Sequence[Scorecard]) -> Section | None:
    """Each veto that fired, its unit and what it did; nothing when the rubric has no vetoes."""
    if not rubric.vetoes:
        return None
    fired = [(card, veto) for card in cards for veto in card.vetoes]
    if not fired:
        return "否决", ['<p class="none">没有否决项生效。</p>']
    out = [_table_head("vetoes", ["22%", "", "28%"], ["单位", "否决项", "效果"])]
    for card, veto in fired:
        out.append(
            f"<tr><td>{_e(printable(card.label))}</td><td>{_e(veto.title)}"
            f'<span class="id">{_e(veto.id)}</span></td><td>{_e(veto_effects(veto))}</td></tr>'
        )
    out.append("</tbody></table>")
    return "否决", out


def _unscored(cards: Sequence[Scorecard]) -> Section | None:
    """The units whose data has problems: not scored, not ranked, each problem listed."""
    failed = [card for card in cards if card.errors]
    if not failed:
        return None
    out = [
        '<p class="none">以下单位的数据有问题，未评分，也不参加排名。</p>',
        _table_head("problems", ["22%", ""], ["单位", "问题"]),
    ]
    for card in failed:
        for problem in card.errors:
            out.append(f"<tr><td>{_e(printable(card.label))}</td><td>{_e(problem.headline)}</td></tr>")
    out.append("</tbody></table>")
    return "未能评分的单位", out


def _lost_by_unit(rubric: Rubric, cards: Sequence[Scorecard]) -> Section:
    """Each scored unit, by rank: every item that lost points (or earned a bonus), and why."""
    bonus = rubric.has_bonus
    number = rubric.rounding.apply
    widths = ["29%", "7%", "9%", "9%"] + (["9%"] if bonus else []) + [""]
    heads = ["考核项目", "分值", "得分", "失分"] + (["奖励"] if bonus else []) + ["原因（规则及其行号）"]
    out: list[str] = []
    for rank, card in _ordered(cards):
        rows = [s for s in card.items.values() if s.deduction or s.bonus]
        summary = f"第 {rank} 名 · 总分 {card.reported_total}" + (f" · {_grade(card)}" if card.grade else "")
        out.append(f'<h3>{_e(printable(card.label))}<span class="sub">{_e(summary)}</span></h3>')
        if not rows:
            out.append('<p class="none">各项均得满分。</p>')
            continue
        out.append(_table_head("lost", widths, heads))
        for score in rows:
            item = score.item
            cells = [
                f'<td>{_e(printable(item.title))}<span class="id">{_e(item.id)}</span></td>',
                f'<td class="n">{format_number(item.max_points)}</td>',
                f'<td class="n">{number(score.score)}</td>',
                f'<td class="n">{lost(rubric, score) if score.deduction else ""}</td>',
            ]
            if bonus:
                cells.append(f'<td class="n">{f"+{number(score.bonus)}" if score.bonus else ""}</td>')
            cells.append(f'<td class="why">{_e(reason(rubric, score))}</td>')
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</tbody></table>")
    return f"各单位{'失分与奖励' if bonus else '失分'}明细", out


def _footer(provenance: Mapping[str, str] | None) -> list[str]:
    out = ["<footer>", "<p>本页由 rubricdsl 依考核细则和考核数据生成。</p>"]
    if provenance:
        out.append("<dl>")
        out += [f"<dt>{_e(name)}</dt><dd>{_e(text)}</dd>" for name, text in provenance.items()]
        out.append("</dl>")
    out.append("</footer>")
    return out


def _e(text: str) -> str:
    return html.escape(text, quote=True)
