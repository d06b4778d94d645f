"""rubricdsl report: the round as one standalone page an office publishes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from .helpers import EZHOU, ROOT, run

DISTRICTS = ROOT / "examples" / "ezhou2013-districts.json"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
TOTALS = {
    "鄂城区": "94.00",
    "华容区": "79.50",
    "梁子湖区": "65.23",
    "葛店开发区": "93.50",
    "鄂州经济开发区": "84.50",
    "红莲湖旅游度假区": "70.50",
}


def _report(tmp_path, data=DISTRICTS, name="report.html"):
    target = tmp_path / name
    status, _, err = run("report", EZHOU, data, "-o", target)
    return status, err, target.read_text(encoding="utf-8")


def test_every_total_sits_beside_its_unit_and_ranks(tmp_path):
    """Each district's total is in its ranking row, with its rank and grade; the exit status is 0."""
    status, err, page = _report(tmp_path)
    assert (status, err) == (0, "")
    for unit, total in TOTALS.items():
        assert re.search(rf"<td>{unit}</td>\s*<td class=\"n\">{total}</td>", page), unit
    assert '<td class="c">1</td><td>鄂城区</td>' in page
    assert '<td class="c">6</td><td>梁子湖区</td>' in page


def test_the_grade_distribution_counts(tmp_path):
    """A 2, B 1, C 2, D 1 as the round scores."""
    page = _report(tmp_path)[2]
    found = re.findall(r'<tr><td class="c">([A-D])</td>.*?<td class="n">(\d+)</td></tr>', page)
    assert found == [("A", "2"), ("B", "1"), ("C", "2"), ("D", "1")]


def test_lost_points_match_score_unit(tmp_path):
    """Every item 鄂城区 lost points on, as score --unit states it, is in the report with the same loss."""
    page = _report(tmp_path)[2]
    text = run("score", EZHOU, DISTRICTS, "--unit", "鄂城区").out
    lost = re.findall(r"\((\w+)\)  [\d.]+ / \d+  失 ([\d.]+)", text)
    assert len(lost) == 10
    section = page[page.index("<h3>鄂城区") : page.index("<h3>葛店开发区")]
    for item, points in lost:
        assert re.search(rf'{item}</span></td>.*?<td class="n">{points}</td>', section), item


def test_ties_share_a_rank_and_problems_are_unranked(tmp_path):
    """Two units with one total share rank 1 (并列); a unit with a bad value is listed, not ranked; exit 1."""
    document = json.loads(DISTRICTS.read_text(encoding="utf-8"))
    twin = dict(document["units"][0], id="<孪生>&区")
    broken = dict(document["units"][1], id="坏区")
    broken["values"] = dict(broken["values"], manufacturing_pass_rate="abc")
    document["units"] += [twin, broken]
    data = tmp_path / "round.json"
    data.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    status, err, page = _report(tmp_path, data)
    assert status == 1 and "坏区" in err
    assert page.count("1（并列）") == 2 and "&lt;孪生&gt;&amp;区" in page and "<孪生>" not in page
    assert "<td>坏区</td>" not in page.split("未能评分的单位")[0].split("一、排名")[1]
    assert re.search(r"<td>坏区</td><td>error\[E313\]", page)


def test_the_page_stands_alone_and_is_the_same_twice(tmp_path):
    """No script, nothing fetched, A4 print CSS; two runs write the same bytes."""
    first = _report(tmp_path, name="a.html")[2]
    second = _report(tmp_path, name="b.html")[2]
    assert first == second
    assert "<script" not in first and not re.search(r"\b(src|href)=|url\(|http", first)
    assert "@page { size: A4;" in first and "thead { display: table-header-group; }" in first


def test_never_over_an_input_and_unreadable_is_2(tmp_path):
    """-o naming the data file is refused; a missing data file exits 2."""
    assert run("report", EZHOU, DISTRICTS, "-o", DISTRICTS).status == 2
    assert run("report", EZHOU, tmp_path / "none.json", "-o", tmp_path / "r.html").status == 2


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian: chromium)")
def test_chromium_shows_every_total_and_nothing_overflows(tmp_path):
    """At A4 portrait's printable width the page is no wider than the window, and every total is shown."""
    page = _report(tmp_path)[2]
    probe = (
        "<script>document.title = [document.documentElement.scrollWidth, innerWidth].join('x');"
        "document.body.dataset.text = document.body.innerText</script>"
    )
    measured = tmp_path / "measured.html"
    measured.write_text(page.replace("</body>", probe + "</body>"), encoding="utf-8")
    dom = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=720,800",
            "--dump-dom",
            measured.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    width, window = map(int, re.search(r"<title>(\d+)x(\d+)</title>", dom).groups())
    assert width <= window == 720
    for unit, total in TOTALS.items():
        assert unit in dom and total in dom
