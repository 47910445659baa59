"""The English workshop notebooks, the offline bundle and the launch box (no full book build).

- ``book/_ext/notebook_translate.py`` turns each Finnish notebook into the English one with
  the page's catalogue: every message is translated, none is left over, the English
  notebooks run top to bottom (nbclient) and print in English without ``POLARGUIDE_LANG``.
- ``scripts/build_site.py``'s ``workshop_bundle()`` ships ``notebooks/fi`` and
  ``notebooks/en`` and the bilingual setup guide.
- ``book/_ext/notebook_launch.py`` in a small Sphinx project: the English page offers the
  English notebook, and with ``polarbook_repository_url`` set the Binder and Colab links
  render for each edition.
"""

from __future__ import annotations

import doctest
import importlib.util
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXT = ROOT / "book" / "_ext"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Finnish words of the notebooks' printed output (polarguide's own labels).
FINNISH_OUTPUT = re.compile(r"Viitepäivä|Lähde:|Päiviä jäljellä|määräaika", re.I)
ENGLISH_OUTPUT = re.compile(r"Reference day|Source|deadline", re.I)


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def translate() -> Iterator[ModuleType]:
    yield _load("notebook_translate", EXT / "notebook_translate.py")


@pytest.fixture(scope="module")
def launch(translate: ModuleType) -> ModuleType:
    return _load("notebook_launch", EXT / "notebook_launch.py")


def _cells(text: str) -> list[dict]:
    return json.loads(text)["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


# --------------------------------------------------------------------------- translation


def test_docstring_examples(translate: ModuleType, launch: ModuleType) -> None:
    for module in (translate, launch):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_parser_uses_the_books_myst_extensions(translate: ModuleType) -> None:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert set(translate.MYST_EXTENSIONS) == set(config["parse"]["myst_enable_extensions"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_english_notebook_translates_every_message(translate: ModuleType, path: Path) -> None:
    po = translate.catalogue_path(path, "en")
    catalogue = translate.read_catalogue(po)
    text, report = translate.notebook_edition(path, "en")
    assert report.missing == [], str(report)
    assert report.unused == [], f"catalogue messages not in the notebook: {report.unused}"
    assert len(set(report.translated)) == len(catalogue)

    finnish = json.loads(path.read_text(encoding="utf-8"))["cells"]
    english = _cells(text)
    assert [c["cell_type"] for c in english] == [c["cell_type"] for c in finnish]
    for fi, en in zip(finnish, english, strict=True):
        if fi["cell_type"] == "markdown":
            messages = translate.markdown_messages(_source(fi))
            # every cell with text changed; only a cell without messages may stay as it is
            assert _source(en) != _source(fi) or not messages, _source(fi)[:80]
            # re-read the English cell: no Finnish message is left in it
            left = [
                b.message
                for b in translate.markdown_messages(_source(en))
                if b.message in catalogue and catalogue[b.message] != b.message
            ]
            assert left == [], left
            # the markup stays: same headings levels, same admonitions
            assert re.findall(r"(?m)^#+ |^:::\{\w+\}", _source(en)) == re.findall(
                r"(?m)^#+ |^:::\{\w+\}", _source(fi)
            )
        else:
            # code stays, except that it prints in English by default
            expected = _source(fi).replace("current_language()", 'current_language("en")')
            assert _source(en) == expected
            assert en["outputs"] == [] and en["execution_count"] is None
            for key in ("caption", "alt"):
                meta = {**fi["metadata"].get("mystnb", {}).get("figure", {}),
                        **fi["metadata"].get("mystnb", {}).get("image", {})}  # fmt: skip
                if key in meta:
                    part = "figure" if key == "caption" else "image"
                    assert en["metadata"]["mystnb"][part][key] == catalogue[meta[key]]


def test_a_missing_translation_is_reported_and_the_text_kept(translate: ModuleType) -> None:
    path = ROOT / "notebooks" / "01-rahoituksen-haku.ipynb"
    catalogue = translate.read_catalogue(translate.catalogue_path(path, "en"))
    title = "Taivutetut muodot ja yhdyssanat"
    assert title in catalogue
    del catalogue[title]
    notebook = json.loads(path.read_text(encoding="utf-8"))
    english, report = translate.translate_notebook(notebook, catalogue, "en", path.name)
    assert not report.ok and report.missing == [title]
    assert any(f"## {title}" in _source(c) for c in english["cells"])
    assert "missing" in str(report)


def test_source_language_edition_only_clears_outputs(translate: ModuleType) -> None:
    for path in NOTEBOOKS:
        text, report = translate.notebook_edition(path, "fi")
        assert report.ok and report.translated == []
        original = json.loads(path.read_text(encoding="utf-8"))
        assert [c["source"] for c in _cells(text)] == [c["source"] for c in original["cells"]]


def test_command_line_writes_the_notebooks(translate: ModuleType, tmp_path: Path) -> None:
    """What binder/postBuild runs."""
    postbuild = (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
    assert postbuild.startswith("#!/bin/bash") and "set -e" in postbuild
    assert "book/_ext/notebook_translate.py --lang en --out notebooks/en" in postbuild
    assert (ROOT / "binder" / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"
    out = tmp_path / "en"
    assert translate.main(["--lang", "en", "--out", str(out), *map(str, NOTEBOOKS)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [p.name for p in NOTEBOOKS]
    assert (out / NOTEBOOKS[0].name).read_text(encoding="utf-8") == translate.notebook_edition(
        NOTEBOOKS[0], "en"
    )[0]


def test_command_line_bad_input_is_one_line_and_keeps_good_files(
    translate: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "en"
    out.mkdir()
    good = out / "broken.ipynb"
    good.write_text("earlier good notebook", encoding="utf-8")
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json", encoding="utf-8")
    for path in (tmp_path / "missing.ipynb", broken):
        assert translate.main(["--out", str(out), str(path)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and path.name in err and "Traceback" not in err
    assert good.read_text(encoding="utf-8") == "earlier good notebook"
    assert sorted(p.name for p in out.iterdir()) == ["broken.ipynb"], "no temporary files"


def test_binder_installs_the_package_with_a_supported_python() -> None:
    requirements = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    lines = [line for line in requirements.splitlines() if line and not line.startswith("#")]
    assert lines == [".[book]"]
    runtime = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    minimum = re.search(r'requires-python = ">=3\.(\d+)"', pyproject).group(1)
    assert re.fullmatch(r"python-3\.(\d+)", runtime)
    assert int(runtime.split(".")[1]) >= int(minimum)


# --------------------------------------------------------------------------- offline bundle


def test_workshop_bundle_has_both_languages(
    translate: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site = _load("_pg_build_site_bundle", ROOT / "scripts" / "build_site.py")
    monkeypatch.setattr(build_site, "SITE", tmp_path)
    target, problems = build_site.workshop_bundle()
    assert problems == []
    with zipfile.ZipFile(target) as bundle:
        names = set(bundle.namelist())
        base = "polar-magnets-workshop/"
        for lang in ("fi", "en"):
            for path in NOTEBOOKS:
                name = f"{base}notebooks/{lang}/{path.name}"
                assert name in names
                assert bundle.read(name).decode() == translate.notebook_edition(path, lang)[0]
        readme = bundle.read(base + "README-TYOPAJA.md").decode()
        assert "## Suomeksi" in readme and "## In English" in readme
        assert "jupyter lab notebooks/fi" in readme and "jupyter lab notebooks/en" in readme
        assert f"{base}polarguide-source/pyproject.toml" in names
        assert any(n.startswith(f"{base}polarguide-source/polarguide/data/") for n in names)


# --------------------------------------------------------------------------- launch box


NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "id": "a1", "metadata": {},
         "source": ["# Kokeilu\n", "\n", "Tämä on pitkä\n", "kappale."]},
        {"cell_type": "code", "id": "a2", "execution_count": 2, "metadata": {}, "outputs": [],
         "source": ["print(1 + 1)"]},
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}  # fmt: skip
PO = """msgid ""
msgstr "Content-Type: text/plain; charset=utf-8\\n"

msgid "Kokeilu"
msgstr "A trial"

msgid "Tämä on pitkä kappale."
msgstr "This is a long paragraph."
"""


def _sphinx_build(tmp_path: Path, lang: str, repository: str, po: str = PO) -> tuple[Path, str]:
    """A two-file Sphinx project (index + notebooks/kokeilu.ipynb) built to HTML."""
    src = tmp_path / f"src-{lang}"
    (src / "notebooks").mkdir(parents=True)
    (src / "notebooks" / "kokeilu.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    (src / "index.md").write_text("# Koti\n\n```{toctree}\nnotebooks/kokeilu\n```\n")
    catalogue = src / "locales" / "en" / "LC_MESSAGES" / "notebooks" / "kokeilu.po"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_text(po, encoding="utf-8")
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(EXT)!r})\n"
        "extensions = ['myst_nb', 'notebook_launch']\n"
        "nb_execution_mode = 'off'\nlocale_dirs = ['locales']\ngettext_compact = False\n"
        "myst_enable_extensions = ['colon_fence']\nexclude_patterns = ['locales']\n"
        f"polarbook_repository_url = {repository!r}\n",
        encoding="utf-8",
    )
    out = tmp_path / f"html-{lang}"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", "-D", f"language={lang}",
         "-d", str(tmp_path / f"doctrees-{lang}"), str(src), str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return out, proc.stderr


def test_launch_box_in_a_sphinx_build_with_a_repository(tmp_path: Path) -> None:
    repository = "https://github.com/koillismaa/polarguide"
    pages = {}
    for lang in ("fi", "en"):
        out, warnings = _sphinx_build(tmp_path, lang, repository)
        assert "WARNING" not in warnings, warnings
        pages[lang] = (out / "notebooks" / "kokeilu.html").read_text(encoding="utf-8")
        box = re.search(r'(?s)<div class="admonition pg-notebook-launch">.*?</div>', pages[lang])
        assert box, lang
        box_text = box.group(0)
        binder = re.search(r'href="(https://mybinder\.org/[^"]+)"', box_text).group(1)
        colab = re.search(r'href="(https://colab\.research\.google\.com/[^"]+)"', box_text)
        labpath = {"fi": "notebooks%2Fkokeilu.ipynb", "en": "notebooks%2Fen%2Fkokeilu.ipynb"}
        assert (
            binder
            == f"https://mybinder.org/v2/gh/koillismaa/polarguide/main?labpath={labpath[lang]}"
        )
        assert colab.group(1) == (
            "https://colab.research.google.com/github/koillismaa/polarguide/blob/main/"
            "notebooks/kokeilu.ipynb"
        )
        assert "%pip install git+https://github.com/koillismaa/polarguide@main" in box_text
        notebook = json.loads((out / "notebooks" / "kokeilu.ipynb").read_text(encoding="utf-8"))
        heading = _source(notebook["cells"][0])
        assert notebook["cells"][1]["execution_count"] is None
        if lang == "en":
            assert "Open in Binder" in box_text and "(the Finnish notebook)" in box_text
            assert "Download this notebook (.ipynb)<" in box_text
            assert heading == "# A trial\n\nThis is a long paragraph."
            assert "A trial" in pages[lang]  # the page itself is translated too
        else:
            assert "Avaa Binderissa" in box_text and "Avaa Colabissa" in box_text
            assert heading == "# Kokeilu\n\nTämä on pitkä\nkappale."


def test_sphinx_build_warns_when_the_notebook_keeps_finnish_text(tmp_path: Path) -> None:
    incomplete = PO.split('msgid "Tämä')[0]
    out, warnings = _sphinx_build(tmp_path, "en", "", incomplete)
    assert "untranslated text" in warnings and "Tämä on pitkä kappale." in warnings
    box = (out / "notebooks" / "kokeilu.html").read_text(encoding="utf-8")
    assert "mybinder.org" not in box and "colab.research" not in box  # no repository URL
