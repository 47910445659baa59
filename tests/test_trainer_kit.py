"""The workshop kit where trainers use it: a fresh virtual environment with the core package only.

What a trainer does, step by step: unzip the offline bundle, install what its README says
(the core package from ``polarguide-source``; a kernel and nbclient stand in for JupyterLab)
and run every notebook, Finnish and English. The same for a core-only ``pip install`` of the
repository: the library, the CLI and the notebooks must work without Sphinx or docutils,
which only the ``book`` extra brings. A fresher snapshot in the user cache (written by
``polarguide update`` from a portal replayed on 127.0.0.1) must be what the notebooks show.

The environments are built once per test run (``pip`` reuses its download cache).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import venv
import zipfile
from pathlib import Path
from typing import Any

import pytest

# (the environments are session fixtures: the whole module runs on one xdist worker)
pytestmark = [pytest.mark.kit, pytest.mark.xdist_group("kit")]

ROOT = Path(__file__).resolve().parent.parent
#: The ``wheels`` folder of the bundle README's offline steps, filled by scripts/install-deps.sh.
WHEELHOUSE = ROOT / "_build" / "wheelhouse"
#: Runs inside the fresh environment: executes notebooks, prints one JSON line per notebook.
RUNNER = r"""
import json, sys, time
import nbformat
from nbclient import NotebookClient
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    started = time.monotonic()
    try:
        NotebookClient(nb, timeout=180, kernel_name="python3").execute()
        error = None
    except Exception as exc:  # noqa: BLE001 - reported to the test
        error = str(exc)[-2000:]
    outputs = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            outputs.append(out.get("text") or json.dumps(out.get("data", {}).get("text/plain", "")))
    took = time.monotonic() - started
    print(json.dumps({"path": path, "error": error, "text": "\n".join(outputs), "seconds": took}))
"""
#: Words of the notebooks' printed output (polarguide's own labels) in each language.
OUTPUT_WORDS = {
    "fi": re.compile(r"haettu rahoitusportaalista|Lähde:|Päiviä jäljellä|määräaika", re.I),
    "en": re.compile(r"fetched from the Funding|Source:|Days left|deadline", re.I),
}
#: Walks every module of the installed package; fails if any of them brings in Sphinx.
IMPORT_WALK = r"""
import importlib, pkgutil, sys
import polarguide
names = [m.name for m in pkgutil.walk_packages(polarguide.__path__, "polarguide.")
         if not m.name.endswith("__main__")]  # runs the CLI; it imports polarguide.cli
for name in names:
    importlib.import_module(name)
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("sphinx", "docutils"))
for probe in ("sphinx", "docutils"):
    assert importlib.util.find_spec(probe) is None, probe + " is installed"
print(len(names), "modules;", "sphinx/docutils imported:", bad)
assert not bad, bad
"""


def _offline_steps(readme: str) -> list[list[str]]:
    """The ``pip install --no-index --find-links wheels …`` commands of the bundle README's
    English part, in order, as argument lists (what a trainer types on an offline laptop)."""
    english = " ".join(readme.split("## In English", 1)[1].split())
    steps = re.findall(r"`python -m pip install --no-index --find-links wheels ([^`]+)`", english)
    return [step.split() for step in steps]


def _make_venv(folder: Path, steps: list[list[str]], replace: dict[str, list[str]]) -> Path:
    """A new virtual environment in ``folder``, set up by running the bundle README's offline
    ``pip install`` ``steps`` (words in ``replace`` swapped, e.g. JupyterLab for a bare kernel)
    against :data:`WHEELHOUSE`, the ``wheels`` folder that ``scripts/install-deps.sh`` fills
    while online. So the test needs no network, and it tests the offline instructions."""
    assert (WHEELHOUSE / "MANIFEST").exists(), "run scripts/install-deps.sh (fills the wheelhouse)"
    assert steps, "the README has no offline install steps"
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    python = folder / ("Scripts" if os.name == "nt" else "bin") / "python"
    offline = ["--no-index", "--find-links", str(WHEELHOUSE), "-q", "--disable-pip-version-check"]
    for step in steps:
        words = [new for word in step for new in replace.get(word, [word])]
        proc = subprocess.run(
            [str(python), "-m", "pip", "install", *offline, *words],
            capture_output=True, text=True, timeout=1200,
        )  # fmt: skip
        assert proc.returncode == 0, " ".join(words) + proc.stdout[-3000:] + proc.stderr[-3000:]
    return python


def _clean_env(cache: Path, **extra: str) -> dict[str, str]:
    """The environment a trainer's laptop has: no project paths, an empty user cache."""
    drop = ("PYTHONPATH", "POLARGUIDE_TODAY", "POLARGUIDE_LANG", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["POLARGUIDE_CACHE_DIR"] = str(cache)
    env.update(extra)
    return env


def _run_notebooks(python: Path, notebooks: list[Path], env: dict[str, str]) -> list[dict]:
    proc = subprocess.run(
        [str(python), "-c", RUNNER, *map(str, notebooks)],
        capture_output=True, text=True, env=env, timeout=1800, cwd=notebooks[0].parent,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def _load_build_site() -> Any:
    spec = importlib.util.spec_from_file_location(
        "_pg_build_site", ROOT / "scripts" / "build_site.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def bundle_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline workshop bundle, built by the build script and unzipped as a trainer does."""
    folder = tmp_path_factory.mktemp("kit")
    # (its own copy: the book build, perhaps running at the same time, writes the site's)
    target, problems = _load_build_site().workshop_bundle(folder / "polar-magnets-workshop.zip")
    assert not problems, problems
    with zipfile.ZipFile(target) as archive:
        archive.extractall(folder)
    return folder / "polar-magnets-workshop"


@pytest.fixture(scope="session")
def bundle_readme(bundle_dir: Path) -> str:
    return (bundle_dir / "README-TYOPAJA.md").read_text(encoding="utf-8")


#: JupyterLab is what trainers install; a bare kernel and nbclient run the notebooks here.
KERNEL = {"jupyterlab": ["nbclient", "ipykernel"]}


@pytest.fixture(scope="session")
def bundle_python(
    bundle_dir: Path, bundle_readme: str, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A fresh environment set up by the bundle README's offline steps (core package only)."""
    folder = tmp_path_factory.mktemp("venv-kit")
    source = {"./polarguide-source": [str(bundle_dir / "polarguide-source")], **KERNEL}
    return _make_venv(folder / "env", _offline_steps(bundle_readme), source)


@pytest.fixture(scope="session")
def core_python(bundle_readme: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment with a core-only install of the repository (no extras)."""
    folder = tmp_path_factory.mktemp("venv-core")
    # setuptools builds in place and reuses build/: a module removed from the package could
    # still be in there and be installed, so start from a clean build folder
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    source = {"./polarguide-source": [str(ROOT)], **KERNEL}
    return _make_venv(folder / "env", _offline_steps(bundle_readme), source)


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_every_notebook_of_the_bundle_runs_in_a_fresh_environment(
    bundle_dir: Path, bundle_python: Path, tmp_path: Path, lang: str
) -> None:
    notebooks = sorted((bundle_dir / "notebooks" / lang).glob("*.ipynb"))
    assert len(notebooks) >= 6
    before = sorted(p.name for p in notebooks[0].parent.iterdir())
    # POLARGUIDE_LANG is not set: each notebook prints in its own language by itself
    results = _run_notebooks(bundle_python, notebooks, _clean_env(tmp_path / "cache"))
    assert [r["error"] for r in results] == [None] * len(notebooks), results
    other = "en" if lang == "fi" else "fi"
    for result in results:
        name = Path(result["path"]).name
        assert OUTPUT_WORDS[lang].search(result["text"]), f"no {lang} output in {name}"
        if lang == "en":
            assert not OUTPUT_WORDS[other].search(result["text"]), f"Finnish output in {name}"
    assert sorted(p.name for p in notebooks[0].parent.iterdir()) == before, "left files behind"
    first = " ".join(results[0]["text"].split())  # pg.say wraps lines for phones
    # the data's age and how to refresh it are said plainly, in the notebook's language
    if lang == "fi":
        assert "haettu rahoitusportaalista" in first and "pg.update()" in first
    else:
        assert "fetched from the Funding & Tenders Portal" in first and "pg.update()" in first


def test_core_install_imports_no_sphinx_and_searches(core_python: Path, tmp_path: Path) -> None:
    env = _clean_env(tmp_path / "cache")
    walk = subprocess.run(
        [str(core_python), "-c", IMPORT_WALK], capture_output=True, text=True, env=env
    )
    assert walk.returncode == 0, walk.stdout + walk.stderr
    code = "import polarguide as pg; print(len(pg.search(pg.load(), 'nuorisovaihto')) > 0)"
    found = subprocess.run([str(core_python), "-c", code], capture_output=True, text=True, env=env)
    assert found.stdout.strip() == "True", found.stderr[-2000:]


def test_core_install_cli_gives_one_line_for_bad_input(core_python: Path, tmp_path: Path) -> None:
    cli = core_python.parent / "polarguide"
    env = _clean_env(tmp_path / "cache")
    proc = subprocess.run(
        [str(cli), "search", "x", "--within", "soon"], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_repository_notebooks_run_on_a_core_install_far_in_the_future(
    core_python: Path, tmp_path: Path
) -> None:
    """Every call closed (a day years after the data): the notebooks still run to the end."""
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    env = _clean_env(tmp_path / "cache", POLARGUIDE_TODAY="2031-01-01")
    copies = []
    for notebook in notebooks:  # run copies: executing must not touch the repository
        copy = tmp_path / notebook.name
        copy.write_bytes(notebook.read_bytes())
        copies.append(copy)
    results = _run_notebooks(core_python, copies, env)
    assert [r["error"] for r in results] == [None] * len(copies), results


def test_notebooks_show_the_fresher_data_that_update_wrote(
    bundle_dir: Path, bundle_python: Path, portal: Any, tmp_path: Path
) -> None:
    """`polarguide update` (the bundle's CLI, against a replayed portal) → notebooks use it."""
    cache = tmp_path / "cache"
    env = _clean_env(cache)
    cli = bundle_python.parent / "polarguide"
    proc = subprocess.run(
        [str(cli), "--quiet", "update", "--base-url", portal.base_url],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert (cache / "calls.json.gz").exists()
    today = subprocess.run(
        [str(bundle_python), "-c", "import polarguide as pg; print(pg.format_date(pg.today()))"],
        capture_output=True, text=True, env=env,
    ).stdout.strip()  # fmt: skip
    notebook = bundle_dir / "notebooks" / "fi" / "02-avoimet-haut.ipynb"
    copy = tmp_path / notebook.name
    copy.write_bytes(notebook.read_bytes())
    [result] = _run_notebooks(bundle_python, [copy], env)
    assert result["error"] is None, result
    text = " ".join(result["text"].split())
    assert f"haettu rahoitusportaalista {today} (koneellesi päivitetyt tiedot)" in text
    assert "päivää vanhoja" not in text


def test_bundle_readme_installs_the_core_package_only(bundle_readme: str) -> None:
    assert "pip install ./polarguide-source" in bundle_readme
    assert "[book]" not in bundle_readme and "[test" not in bundle_readme
    steps = _offline_steps(bundle_readme)
    assert [s for s in steps if "./polarguide-source" in s], steps
