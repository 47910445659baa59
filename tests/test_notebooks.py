"""The workshop notebooks: each runs top to bottom offline in both editions' languages.

Every notebook in ``notebooks/`` is executed with nbclient (kernel ``python3``, 120 s
per cell) once with ``POLARGUIDE_LANG=fi`` and once with ``en``, in a temporary
working folder, with an empty polarguide cache (so only the bundled data is used).
The repository's notebooks are read, never written: they stay without outputs.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: "Runs in well under a minute": the whole notebook, kernel start included.
MAX_SECONDS = 60
#: Words the notebooks' own printed output uses in each language.
OUTPUT_WORDS = {
    "fi": re.compile(r"Viitepäivä|Lähde|määräai", re.I),
    "en": re.compile(r"Reference day|Source|deadline", re.I),
}


def _stream_text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append(output.get("text", ""))
            elif "data" in output:
                parts.append(str(output["data"].get("text/plain", "")))
    return "\n".join(parts)


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


@pytest.mark.parametrize("lang", ["fi", "en"])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_in_each_language(
    path: Path, lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sorted(p.name for p in path.parent.iterdir())
    nb = nbformat.read(path, as_version=4)
    monkeypatch.setenv("POLARGUIDE_LANG", lang)
    monkeypatch.setenv("POLARGUIDE_CACHE_DIR", str(tmp_path / "cache"))
    work = tmp_path / "work"
    work.mkdir()
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(work)}},
    )
    started = time.monotonic()
    client.execute()  # raises CellExecutionError on the first failing cell
    elapsed = time.monotonic() - started

    assert elapsed < MAX_SECONDS, f"{path.name} took {elapsed:.0f} s"
    errors = [
        output
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert errors == []
    assert OUTPUT_WORDS[lang].search(_stream_text(nb)), f"no {lang} output in {path.name}"
    assert sorted(p.name for p in path.parent.iterdir()) == before, "left files in notebooks/"
