"""Where offices are: Chinese on a GBK (code page 936) or UTF-8 console, folders with Chinese names,
and the wheel an office installs."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from rubricdsl.cli import main

from .helpers import EZHOU, ROOT, run

EXAMPLE = ROOT / "examples" / "ezhou2013-districts.json"
# Outside GBK (in GB18030 only): a console on code page 936 cannot show it.
RARE = "\U00020bb7"


def _cli(*argv: str | Path, encoding: str) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m rubricdsl`` with its standard streams in ``encoding``, as a console would set them."""
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run(
        [sys.executable, "-m", "rubricdsl", *map(str, argv)], capture_output=True, env=env, check=False
    )


def test_a_gbk_console_gets_gbk():
    """On a console whose code page is GBK the score table is written in GBK, so 鄂城区 shows as itself."""
    done = _cli("score", EZHOU, EXAMPLE, encoding="gbk")
    assert done.returncode == 0
    assert "鄂城区".encode("gbk") in done.stdout
    assert "鄂城区" in done.stdout.decode("gbk") and "总分" in done.stdout.decode("gbk")


def test_a_utf8_console_gets_utf8():
    """A UTF-8 console keeps UTF-8."""
    done = _cli("score", EZHOU, EXAMPLE, encoding="utf-8")
    assert done.returncode == 0
    assert "鄂城区" in done.stdout.decode("utf-8")


def test_a_console_that_cannot_show_chinese_gets_utf8():
    """An ASCII or Latin-1 stream cannot carry Chinese at all: it is switched to UTF-8."""
    for encoding in ("ascii", "latin-1"):
        done = _cli("score", EZHOU, EXAMPLE, encoding=encoding)
        assert done.returncode == 0
        assert "鄂城区" in done.stdout.decode("utf-8"), encoding


def _rare_rubric(folder: Path) -> Path:
    rubric = folder / "rare.rub"
    rubric.write_text(f'rubric "{RARE}姓考核" {{ item a "甲" points 5 {{ judged }} }}\n', encoding="utf-8")
    return rubric


def test_a_character_outside_gbk_does_not_stop_a_gbk_console(tmp_path):
    """A rare character GBK lacks is shown as "?" on a GBK console; the rest is written."""
    done = _cli("render", _rare_rubric(tmp_path), encoding="gbk")
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    assert "?姓考核" in done.stdout.decode("gbk")


def test_main_writes_a_cp936_stream_in_cp936(tmp_path):
    """``main`` given a cp936 stream writes GBK bytes into it, a character GBK lacks as "?"."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="cp936")
    assert main(["score", str(EZHOU), str(EXAMPLE)], stdout=out, stderr=io.StringIO()) == 0
    out.flush()
    assert "鄂城区" in out.buffer.getvalue().decode("gbk")
    rare = io.TextIOWrapper(io.BytesIO(), encoding="cp936")
    assert main(["render", str(_rare_rubric(tmp_path))], stdout=rare, stderr=io.StringIO()) == 0
    rare.flush()
    assert "?姓考核" in rare.buffer.getvalue().decode("gbk")


def test_folders_with_chinese_names(tmp_path):
    """A rubric and its round in 考核/2013年 are checked, scored, converted, rendered and described there."""
    folder = tmp_path / "考核" / "2013年"
    folder.mkdir(parents=True)
    rubric = shutil.copy(EZHOU, folder / "鄂州考核.rub")
    data = shutil.copy(EXAMPLE, folder / "各区数据.json")
    checked = run("check", rubric)
    assert checked.status == 0 and "鄂州考核.rub" in checked.out
    assert run("score", rubric, data, "-o", folder / "得分.csv").status == 0
    assert "鄂城区" in (folder / "得分.csv").read_text(encoding="utf-8-sig")
    assert run("convert", data, "-o", folder / "各区数据.csv").status == 0
    assert (folder / "各区数据.targets.csv").exists()
    rescored = run("score", rubric, folder / "各区数据.csv", "--format", "json")
    assert rescored.status == 0 and "鄂城区" in rescored.out
    assert run("render", rubric, "--format", "html", "-o", folder / "考核表.html").status == 0
    assert "鄂城区" not in (folder / "考核表.html").read_text(encoding="utf-8")
    assert "质量工作考核" in (folder / "考核表.html").read_text(encoding="utf-8")
    assert run("schema", rubric, "-o", folder / "数据格式.json").status == 0
    assert (folder / "数据格式.json").stat().st_size > 0
    broken = folder / "坏数据.json"
    broken.write_text('{"units": [', encoding="utf-8")
    failed = run("score", rubric, broken)
    assert failed.status == 2 and str(broken) in failed.err


@pytest.mark.skipif(not list((ROOT / "dist").glob("*.whl")), reason="no wheel built (python -m build)")
def test_the_built_wheel_carries_the_grammar_and_types():
    """The wheel in dist/ (as CI builds it) holds the grammar the parser loads and the py.typed marker."""
    wheel = max((ROOT / "dist").glob("*.whl"), key=lambda p: p.stat().st_mtime)
    names = zipfile.ZipFile(wheel).namelist()
    assert "rubricdsl/language/grammar.lark" in names and "rubricdsl/py.typed" in names
