"""The repository's shape: every module documented, the library free of Sphinx.

A fast, static twin of the core-only environment test in ``tests/test_trainer_kit.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = sorted((ROOT / "polarguide").glob("*.py"))
EXTENSIONS = sorted((ROOT / "book" / "_ext").glob("*.py"))


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.name)
def test_no_library_module_imports_sphinx_or_docutils(path: Path) -> None:
    assert not _imported_roots(path) & {"sphinx", "docutils", "myst_parser", "myst_nb"}


def test_the_check_sees_a_sphinx_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from docutils import nodes\n", encoding="utf-8")
    assert "docutils" in _imported_roots(module)


@pytest.mark.parametrize("path", LIBRARY + EXTENSIONS, ids=lambda p: p.name)
def test_architecture_lists_every_module(path: Path) -> None:
    architecture = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert f"`{path.name}`" in architecture, f"add {path.name} to ARCHITECTURE.md"
