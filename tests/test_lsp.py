"""The language server: check's diagnostics as you type, fmt's layout, hover, go to definition.

The features are plain functions, tested here in-process; one test drives the real server
through pygls' client over standard input and output, as an editor would."""

from __future__ import annotations

import asyncio
import sys

import pytest

from rubricdsl.lsp import definition, diagnostics, formatted, hover, place, word_at

TEXT = """rubric "医院" {
  fact level "级别" category { 三级 二级 }
  item occupancy "床位使用率" points 5 {
    input rate percent
    standard "≥93%得满分"
    bands rate, lower is worse by level {
      三级 { [93..100] full  [0..93) zero }
      二级 { [85..100] full  [0..85) zero }
    }
  }
  item service "服务" points 5 {  judged }
}
"""


def test_diagnostics_are_checks():
    """A typo and a gap give the codes and places check gives."""
    broken = TEXT.replace("[0..93) zero", "[0..90) zero").replace("judged", "judge")
    found = [(p.code, p.span.line) for p in diagnostics("h.rub", broken)]
    assert found == [("E002", 11)]  # a syntax error first: nothing else can be known
    found = [
        (p.code, place(p.span).line)
        for p in diagnostics("h.rub", TEXT.replace("[0..93) zero", "[0..90) zero"))
    ]
    assert found == [("E201", 6)]


def test_formatting_is_fmt_and_leaves_a_broken_file_alone():
    """The edit is fmt's layout; a text that does not parse gets none."""
    assert formatted("h.rub", TEXT) == TEXT.replace("{  judged }", "{ judged }")
    assert formatted("h.rub", TEXT.replace("judged", "judge")) is None


def test_hover_shows_an_items_points_rule_and_standard():
    """On an item's id: its title, points, the bands by category, and the scoring standard."""
    shown = hover("h.rub", TEXT, 2, 8)
    assert shown is not None
    assert shown.splitlines()[0] == "**床位使用率** (item `occupancy`): 5 points"
    assert "- 三级: `[93..100] full`" in shown and shown.endswith("评分标准: ≥93%得满分")
    assert hover("h.rub", TEXT, 1, 8) == "**级别** (fact `level`): one of 三级, 二级"


def test_definition_of_a_fact_is_where_it_is_declared():
    """From 'by level' to 'fact level'."""
    span = definition("h.rub", TEXT, 5, 36)
    assert span is not None and (span.line, span.column) == (2, 8)
    assert word_at(TEXT, 5, 36) == "level"
    assert definition("h.rub", TEXT, 0, 1) is None  # 'rubric' declares nothing


def test_the_server_talks_to_an_editor():
    """Through pygls' client: open a broken file and get its diagnostics, then hover, go to
    definition and format, and shut down."""
    pytest.importorskip("pygls")
    asyncio.run(_session())


async def _session() -> None:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("test", "1")
    published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params):  # no annotations: pygls reads them to decide what to pass
        published.put_nowait(params)

    await client.start_io(sys.executable, "-m", "rubricdsl", "lsp")
    uri = "file:///tmp/h.rub"
    try:
        await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities()))
        client.initialized(types.InitializedParams())
        broken = TEXT.replace("[0..93) zero", "[0..90) zero")
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=uri, language_id="rubric", version=1, text=broken)
            )
        )
        opened = await asyncio.wait_for(published.get(), 30)
        assert [(d.code, d.range.start.line) for d in opened.diagnostics] == [("E201", 6)]
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(version=2, uri=uri),
                [types.TextDocumentContentChangeWholeDocument(text=TEXT)],
            )
        )
        fixed = await asyncio.wait_for(published.get(), 30)
        assert list(fixed.diagnostics) == []
        document = types.TextDocumentIdentifier(uri=uri)
        shown = await client.text_document_hover_async(
            types.HoverParams(text_document=document, position=types.Position(line=2, character=8))
        )
        assert shown is not None and "**床位使用率**" in shown.contents.value
        found = await client.text_document_definition_async(
            types.DefinitionParams(text_document=document, position=types.Position(line=5, character=36))
        )
        assert found is not None and found.range.start == types.Position(line=1, character=7)
        edits = await client.text_document_formatting_async(
            types.DocumentFormattingParams(
                text_document=document, options=types.FormattingOptions(tab_size=2, insert_spaces=True)
            )
        )
        assert edits is not None and edits[0].new_text == TEXT.replace("{  judged }", "{ judged }")
        await client.shutdown_async(None)
        client.exit(None)
    finally:  # a failed step must not leave the server, or the test, waiting
        if client._server is not None and client._server.returncode is None:
            client._server.kill()
        await client.stop()
