"""The pipeline's arrows run one way, only the language imports Lark, and every module is short."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .helpers import ROOT

PACKAGE = ROOT / "src" / "rubricdsl"

# Each stage may import from stages before it, never after, and not from its neighbours in the same
# stage (so analysis never reads data): only the base modules and the entry points use each other.
STAGES = [
    {"source", "numbers", "problems"},
    {"language", "model"},
    {"compile", "analysis", "io"},
    {"frontend", "scoring", "provenance"},
    {"output", "verify", "changes"},
    {"cli", "round_commands", "highlight", "lsp", "__init__", "__main__"},
]
STAGE = {name: index for index, names in enumerate(STAGES) for name in names}


def stage_of(module: str) -> str:
    """``rubricdsl.model.rules`` -> ``model``; ``rubricdsl`` itself -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = modules()


def imports(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports, relative imports resolved, ``TYPE_CHECKING`` ones left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []  # imports for types only make no arrow at run time
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            if node.module is None:  # from . import model, or from . import __version__
                found.update(
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                    for alias in node.names
                )
            else:
                found.add(f"{base}.{node.module}" if node.level else node.module)
    return found


def test_arrows_run_one_way():
    """No module imports from a later stage of the pipeline, nor from a neighbour in its own stage."""
    shared = {0, len(STAGES) - 1}
    wrong = []
    for name, path in MODULES.items():
        here = stage_of(name)
        for target in imports(name, path):
            there = stage_of(target) if target.startswith("rubricdsl") else here
            if STAGE[there] > STAGE[here] or (there != here and STAGE[there] == STAGE[here] not in shared):
                wrong.append(f"{name} -> {target}")
    assert wrong == []
    # the check sees imports at all: the compiler reads the model
    assert "rubricdsl.model" in imports("rubricdsl.compile.compiler", MODULES["rubricdsl.compile.compiler"])


def test_only_the_language_imports_lark():
    """Lark stays behind the language package: the model, analysis and scoring never see it."""
    users = {
        name for name, path in MODULES.items() if any(t.split(".")[0] == "lark" for t in imports(name, path))
    }
    assert users and all(name.startswith("rubricdsl.language.") for name in users)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_reads_in_one_sitting(name):
    """No module is longer than about 500 lines."""
    assert len(MODULES[name].read_text(encoding="utf-8").splitlines()) <= 500
