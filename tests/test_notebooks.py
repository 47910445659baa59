"""The workshop notebooks as files: a learning goal first, no outputs, the public face only.

Running them is tested where trainers run them, in fresh environments with the core package
only, once per language (``tests/test_trainer_kit.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_workshop_notebooks() -> None:
    names = {p.name for p in NOTEBOOKS}
    assert {
        "01-rahoituksen-haku.ipynb",
        "02-avoimet-haut.ipynb",
        "03-hausta-suunnitelmaksi.ipynb",
        "04-budjetti.ipynb",
        "05-kalenteri.ipynb",
    } <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_cell_states_the_learning_goal(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    assert first.source.lstrip().startswith("# "), "the first cell starts with the page title"
    assert "**Tavoite:**" in first.source, "state the one learning goal: **Tavoite:** …"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    stored = [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert stored == [], f"clear the outputs of cells {stored} (Kernel → Restart & Clear Output)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_uses_only_the_public_face(path: Path) -> None:
    """A trainer's notebook starts with ``import polarguide as pg`` and never reaches into
    submodules (they may change; ``pg.*`` will not)."""
    nb = nbformat.read(path, as_version=4)
    code = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    assert code[0].startswith("import polarguide as pg"), code[0][:80]
    inside = [line for cell in code for line in cell.splitlines()
              if re.match(r"\s*(from|import) polarguide\.", line)]  # fmt: skip
    assert inside == []
