"""Writing the official table (``rubricdsl render``): Markdown, and one standalone HTML file.

The HTML prints on A4 landscape with the table's header repeated on each page; it has no
JavaScript and fetches nothing. Texts are escaped; line breaks inside a cell are kept.
"""

from __future__ import annotations

import html

from ..model import Rubric
from .official import official_table

_STYLE = """
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimSun", sans-serif;
       font-size: 10.5pt; line-height: 1.45; margin: 0; color: #111; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 8pt; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.75pt solid #333; padding: 3pt 4pt; vertical-align: middle; overflow-wrap: anywhere;
         white-space: pre-line; }
th { background: #eee; font-weight: bold; text-align: center; }
td.n, td.c { text-align: center; }
col.part { width: 9%; } col.no { width: 4%; } col.group { width: 10%; } col.item { width: 16%; }
col.points { width: 5%; } col.standard { width: 44%; } col.dept { width: 12%; }
p.total, p.grades { margin: 6pt 0; }
@media screen { body { margin: 12px; } }
section.veto { margin-top: 10pt; break-inside: avoid; }
section.veto h2 { font-size: 12pt; margin: 0 0 4pt; }
section.veto p { margin: 2pt 0; white-space: pre-line; }
"""
_CLASSES = ("part", "no", "group", "item", "points", "standard", "dept")


def to_html(rubric: Rubric) -> str:
    """One standalone, printable HTML file of the official table.

    >>> from rubricdsl import loads
    >>> page = to_html(loads('rubric "考核" { item a "甲" points 5 { judged } }'))
    >>> "<th>评分标准</th>" in page, "<script" in page
    (True, False)
    """
    table = official_table(rubric)
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{_e(table.title)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{_e(table.title)}</h1>",
        "<table>",
        "<colgroup>" + "".join(f'<col class="{c}">' for c in _CLASSES) + "</colgroup>",
        "<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in table.header) + "</tr></thead>",
        "<tbody>",
    ]
    for row in table.rows:
        cells = []
        for index, cell in enumerate(row):
            if cell.rows == 0:
                continue
            span = f' rowspan="{cell.rows}"' if cell.rows > 1 else ""
            kind = ' class="c"' if index in (0, 1, 2, 4) else ""
            cells.append(f"<td{span}{kind}>{_e(cell.text)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody></table>", f'<p class="total">{_e(table.total)}</p>']
    out += [f'<p class="grades">{_e(note)}</p>' for note in table.notes]
    if table.grades:
        out.append(f'<p class="grades">{_e(table.grades)}</p>')
    for veto in table.vetoes:
        heading = f"{veto.numbering}、{veto.title}" if veto.numbering else veto.title
        out.append(f'<section class="veto"><h2>否决项 {_e(heading)}</h2>')
        out += [f"<p>{_e(p)}</p>" for p in veto.paragraphs]
        if veto.departments:
            out.append(f"<p>考核部门：{_e(veto.departments)}</p>")
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def to_markdown(rubric: Rubric) -> str:
    """The official table in Markdown: a pipe table (a spanned cell written once), then the vetoes.

    >>> from rubricdsl import loads
    >>> print(to_markdown(loads('rubric "考核" { item a "甲" points 5 { judged } }')).splitlines()[2])
    | 考核内容 | 序号 | 考核指标 | 考核要点 | 分值 | 评分标准 | 考核部门 |
    """
    table = official_table(rubric)
    lines = [f"# {table.title}", "", _md_row(table.header), "|" + "---|" * len(table.header)]
    lines += [_md_row([cell.text for cell in row]) for row in table.rows]
    lines += ["", table.total]
    lines += [line for note in table.notes for line in ("", _md(note))]
    if table.grades:
        lines += ["", table.grades]
    for veto in table.vetoes:
        heading = f"{veto.numbering}、{veto.title}" if veto.numbering else veto.title
        lines += ["", f"## 否决项 {heading}", ""]
        lines += [_md(paragraph) + "\n" for paragraph in veto.paragraphs]
        if veto.departments:
            lines.append(f"考核部门：{veto.departments}")
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_row(cells: list[str] | tuple[str, ...]) -> str:
    return "| " + " | ".join(_md(text).replace("\n", "<br>") for text in cells) + " |"


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_<>|[]"})


def _md(text: str) -> str:
    """A text as Markdown shows it literally: its marks escaped."""
    return text.translate(_MARKDOWN)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def render(rubric: Rubric, fmt: str) -> str:
    """The official table as ``md`` or ``html``."""
    return to_html(rubric) if fmt == "html" else to_markdown(rubric)
