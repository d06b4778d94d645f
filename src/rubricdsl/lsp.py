"""The language server (``rubricdsl lsp``, with the optional extra ``rubricdsl[lsp]`` on pygls).

It publishes the diagnostics ``check`` gives as the author types, formats with ``fmt``,
shows an item's points, rule and scoring standard on hover, and goes to where an id, a
fact, a tag or a text is declared. The work is done by the functions below, on plain text;
the pygls server only carries their results to the editor.
"""

from __future__ import annotations

import re
from typing import Any

from attrs import frozen

from . import __version__
from .compile import compile_tree
from .frontend import analyse
from .language import format_text, parse, syntax
from .model import BandTable, CategoryBands, Item
from .numbers import format_number
from .problems import Problem, RubricError
from .source import Source, Span

_WORD = re.compile(r"[^\W\d]\w*")


@frozen
class Place:
    """A range of a document, zero-based as the protocol counts: line and character of both ends."""

    line: int
    character: int
    end_line: int
    end_character: int


def place(span: Span) -> Place:
    """A span (one-based, end exclusive) as the protocol's range."""
    return Place(span.line - 1, span.column - 1, span.end_line - 1, span.end_column - 1)


def diagnostics(path: str, text: str) -> list[Problem]:
    """What ``check`` says of the text, as it stands.

    >>> [(p.code, p.span.line) for p in diagnostics("a.rub", 'rubric "t" { item a "甲" points 5 { judge } }')]
    [('E002', 1)]
    """
    return analyse(Source(path, text))[1]


def formatted(path: str, text: str) -> str | None:
    """The text in ``fmt``'s layout; None when it does not parse (fmt changes nothing then)."""
    try:
        return format_text(text, path)
    except (RubricError, AssertionError):  # does not parse, or fmt would not keep its meaning
        return None


def word_at(text: str, line: int, character: int) -> str | None:
    """The name under a zero-based position, if any.

    >>> word_at('item plan "规划"', 0, 6)
    'plan'
    """
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return None
    for found in _WORD.finditer(lines[line]):
        if found.start() <= character <= found.end():
            return found.group()
    return None


def declarations(path: str, text: str) -> dict[str, Span]:
    """Where each id, fact, tag and text of the rubric is declared, by name; the first wins."""
    tree, _ = parse(Source(path, text))
    found: dict[str, Span] = {}
    if tree is None:
        return found
    for node in tree.walk():
        named = None
        if isinstance(node, (syntax.Item, syntax.Group, syntax.Veto)):
            named = node.id
        elif isinstance(node, (syntax.Fact, syntax.TagDeclaration, syntax.Wording)):
            named = node.name
        if named is not None:
            found.setdefault(named.name, named.span)
    return found


def definition(path: str, text: str, line: int, character: int) -> Span | None:
    """Where the name under the position is declared: an item, group or veto id, a fact, a tag, a text."""
    name = word_at(text, line, character)
    return declarations(path, text).get(name) if name is not None else None


def hover(path: str, text: str, line: int, character: int) -> str | None:
    """What to show for the name under the position: an item's title, points, rule and standard;
    a group's points; a fact's kind. Markdown."""
    name = word_at(text, line, character)
    tree, _ = parse(Source(path, text))
    if name is None or tree is None:
        return None
    rubric = compile_tree(tree, path).rubric
    if rubric.has("item", name):
        return _item_card(rubric.item(name))
    if rubric.has("group", name):
        group = rubric.group(name)
        return f"**{group.title}** ({group.kind} `{name}`): {format_number(group.max_points)} points"
    if rubric.has("fact", name):
        fact = rubric.fact(name)
        kind = "one of " + ", ".join(fact.categories) if fact.categories else fact.kind
        return f"**{fact.title or name}** (fact `{name}`): {kind}"
    return None


def _item_card(item: Item) -> str:
    lines = [f"**{item.title}** (item `{item.id}`): {format_number(item.max_points)} points"]
    if item.bonus is not None:
        lines[0] += f", bonus {format_number(item.bonus)}"
    rule = item.rule
    if isinstance(rule, BandTable):
        lines += ["", f"bands over `{rule.measure}`, {rule.worse.value} is worse:"]
        lines += [f"- `{band}`" for band in rule.bands]
    elif isinstance(rule, CategoryBands):
        lines += ["", f"bands over `{rule.measure}` by `{rule.fact}`:"]
        lines += [f"- {t.category}: `{band}`" for t in rule.tables for band in t.table.bands]
    elif rule is not None:
        lines += ["", f"`{rule}`"]
    lines += [f"- `{adjustment}`" for adjustment in item.adjustments]
    if item.standard:
        lines += ["", f"评分标准: {item.standard}"]
    return "\n".join(lines)


# The server ---------------------------------------------------------------------------------------


def serve() -> None:
    """Run the language server on standard input and output (``rubricdsl lsp``)."""
    build_server().start_io()


def build_server() -> Any:
    """The pygls server, its features wired to the functions above. Needs ``rubricdsl[lsp]``."""
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer

    # The whole text on every change: rubrics are small, and analysis reads them whole anyway.
    server = LanguageServer("rubricdsl", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)

    def publish(uri: str) -> None:
        document = server.workspace.get_text_document(uri)
        found = diagnostics(document.path, document.source)
        server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[_diagnostic(types, p) for p in found])
        )

    def on_text(params: Any) -> None:
        publish(params.text_document.uri)

    for event in (types.TEXT_DOCUMENT_DID_OPEN, types.TEXT_DOCUMENT_DID_CHANGE, types.TEXT_DOCUMENT_DID_SAVE):
        server.feature(event)(on_text)

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(params: Any) -> list[Any] | None:
        document = server.workspace.get_text_document(params.text_document.uri)
        text = formatted(document.path, document.source)
        if text is None or text == document.source:
            return []
        lines = document.source.split("\n")
        whole = types.Range(types.Position(0, 0), types.Position(len(lines), 0))
        return [types.TextEdit(range=whole, new_text=text)]

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(params: Any) -> Any:
        document = server.workspace.get_text_document(params.text_document.uri)
        position = params.position
        shown = hover(document.path, document.source, position.line, position.character)
        if shown is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=shown))

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def on_definition(params: Any) -> Any:
        document = server.workspace.get_text_document(params.text_document.uri)
        position = params.position
        span = definition(document.path, document.source, position.line, position.character)
        if span is None:
            return None
        return types.Location(uri=params.text_document.uri, range=_range(types, span))

    return server


def _range(types: Any, span: Span) -> Any:
    at = place(span)
    return types.Range(types.Position(at.line, at.character), types.Position(at.end_line, at.end_character))


def _diagnostic(types: Any, problem: Problem) -> Any:
    span = problem.span or Span(1, 1, 1, 1)
    severity = types.DiagnosticSeverity.Error if problem.is_error else types.DiagnosticSeverity.Warning
    message = problem.message + (f"\n{problem.help}" if problem.help else "")
    return types.Diagnostic(
        range=_range(types, span), message=message, severity=severity, code=problem.code, source="rubricdsl"
    )
