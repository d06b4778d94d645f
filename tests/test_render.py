"""rubricdsl render: the rubric as the table an office publishes, in Markdown and in printable HTML."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import rubricdsl
from rubricdsl.output import to_html
from rubricdsl.output.official import official_table

from .helpers import EZHOU, GOLDEN, ROOT, run, same_as_golden

REFERENCE = ROOT / "docs" / "examples" / "language" / "reference.rub"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
PRINTABLE_WIDTH = 1032  # A4 landscape, 297 mm less two 12 mm margins, at 96 pixels an inch


@pytest.mark.parametrize(
    ("rubric", "fmt", "golden"),
    [(EZHOU, "md", "ezhou2013.md"), (EZHOU, "html", "ezhou2013.html"), (REFERENCE, "md", "reference.md")],
)
def test_the_official_table(rubric, fmt, golden):
    """Ezhou's table as the seed document has it (checked by eye against the seed, row by row), and the
    reference rubric, whose items without a written standard get one from their rules."""
    status, out, err = run("render", rubric, "--format", fmt)
    assert (status, err) == (0, "")
    same_as_golden(GOLDEN / "render" / golden, out)


def test_the_table_follows_the_seed_documents_order_and_numbering():
    """Columns, the parts and groups with their points, numbering 1–6, and the 24 items in the seed's order."""
    rubric = rubricdsl.load(EZHOU)
    table = official_table(rubric)
    assert table.header == ("考核内容", "序号", "考核指标", "考核要点", "分值", "评分标准", "考核部门")
    assert [row[3].text for row in table.rows] == [item.title for item in rubric.items()]
    assert [row[1].text for row in table.rows if row[1].rows] == ["1", "2", "3", "4", "5", "6"]
    assert [row[0].text for row in table.rows if row[0].rows] == ["质量目标（40分）", "质量措施（60分）"]
    assert sum(row[2].rows for row in table.rows) == len(table.rows)


def test_the_html_stands_alone():
    """No script, nothing fetched: no src or href, no url(); A4 landscape, the header repeated on each page."""
    page = to_html(rubricdsl.load(EZHOU))
    assert "<script" not in page and not re.search(r"\b(src|href)=|url\(", page)
    assert "size: A4 landscape" in page and "thead { display: table-header-group; }" in page


def test_render_writes_a_file(tmp_path):
    """-o FILE writes the table there, atomically, and prints nothing."""
    target = tmp_path / "ezhou.html"
    assert run("render", EZHOU, "--format", "html", "-o", target)[:2] == (0, "")
    assert target.read_text(encoding="utf-8") == (GOLDEN / "render" / "ezhou2013.html").read_text("utf-8")


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian: chromium)")
@pytest.mark.parametrize("rubric", sorted(ROOT.glob("rubrics/*.rub")), ids=lambda p: p.name)
def test_nothing_overflows_the_printed_page_in_chromium(rubric, tmp_path):
    """Rendered in headless Chromium at the printable width of A4 landscape, the page is no wider than
    the window: every column, cell and veto fits. A copy of the page measures itself."""
    page = to_html(rubricdsl.load(rubric))
    probe = "<script>document.title = [document.documentElement.scrollWidth, innerWidth].join('x')</script>"
    measured = tmp_path / "page.html"
    measured.write_text(page.replace("</body>", probe + "</body>"), encoding="utf-8")
    width, window = _measure(measured)
    assert window == PRINTABLE_WIDTH
    assert width <= window, f"{rubric.name} is {width}px wide in a {window}px page"


def _measure(page: Path) -> tuple[int, int]:
    dom = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--window-size={PRINTABLE_WIDTH},800",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    found = re.search(r"<title>(\d+)x(\d+)</title>", dom)
    assert found, dom[:500]
    return int(found.group(1)), int(found.group(2))
