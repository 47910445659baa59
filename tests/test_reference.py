"""The library reference page and the notebook launch box, as built.

Uses the site built by the ``site`` fixture of ``tests/test_book.py`` (one strict build per
test process; ``POLARBOOK_BUILD_DIR`` moves it like ``scripts/build_site.py`` does). The
helpers of ``book/_ext/notebook_launch.py`` and ``scripts/fill_reference_po.py`` are
checked directly.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from html import unescape
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from babel.messages.pofile import read_po

from clidoc import help_text, subcommands  # book/_ext

pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(os.environ.get("POLARBOOK_BUILD_DIR") or ROOT / "_build").resolve() / "site"
LANGS = ("fi", "en")
REFERENCE = "book/liitteet/kirjasto.html"
TITLES = {"fi": "Kirjaston käyttöohje", "en": "Library reference"}
#: The public API the reference documents (``module.name`` = the HTML anchor).
DOCUMENTED = [
    "polarguide.load",
    "polarguide.about",
    "polarguide.update",
    "polarguide.today",
    "polarguide.search",
    "polarguide.find",
    "polarguide.view",
    "polarguide.describe",
    "polarguide.overview",
    "polarguide.upcoming_deadlines",
    "polarguide.summary_text",
    "polarguide.deadlines_per_month",
    "polarguide.budget_by_programme",
    "polarguide.to_ics",
    "polarguide.to_csv",
    "polarguide.to_json",
    "polarguide.plan",
    "polarguide.parse_search_response",
    "polarguide.records.COLUMNS",
    "polarguide.errors.PolarGuideError",
]
BUNDLE = "polar-magnets-workshop.zip"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def site() -> Path:
    """The site built by tests/test_book.py's build (once per test process)."""
    _load("_pg_test_book_ref", ROOT / "tests" / "test_book.py").build_site_once()
    return SITE


@pytest.fixture(scope="session")
def translate() -> ModuleType:
    """book/_ext/notebook_translate.py, importable by that name (notebook_launch imports it)."""
    if "notebook_translate" not in sys.modules:
        path = ROOT / "book" / "_ext" / "notebook_translate.py"
        spec = importlib.util.spec_from_file_location("notebook_translate", path)
        sys.modules["notebook_translate"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules["notebook_translate"])
    return sys.modules["notebook_translate"]


@pytest.fixture(scope="session")
def launch(translate: ModuleType) -> ModuleType:
    return _load("_pg_notebook_launch", ROOT / "book" / "_ext" / "notebook_launch.py")


def _html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _pre_blocks(html: str) -> list[str]:
    """The text of every <pre> block (tags removed, entities decoded)."""
    return [unescape(re.sub(r"<[^>]+>", "", b)) for b in re.findall(r"(?s)<pre>(.*?)</pre>", html)]


def _links(html: str) -> list[tuple[dict[str, str], str]]:
    """``(attributes, text)`` of every <a> element."""
    found = []
    for attrs, text in re.findall(r"(?s)<a\s([^>]*)>(.*?)</a>", html):
        parsed = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
        found.append((parsed, unescape(re.sub(r"<[^>]+>", "", text)).strip()))
    return found


# --------------------------------------------------------------------------- reference page


@pytest.mark.parametrize("lang", LANGS)
def test_reference_page_documents_the_public_api(site: Path, lang: str) -> None:
    html = _html(site / lang / REFERENCE)
    assert f"<h1>{TITLES[lang]}" in html
    missing = [name for name in DOCUMENTED if f'id="{name}"' not in html]
    assert missing == []
    # the generated descriptions come from the docstrings (English in both editions)
    assert "Search records; ranked by relevance" in html
    assert "Every record: EU portal calls from the freshest data" in html
    assert "budget_eur" in html and "retrieved_at" in html  # the column table


@pytest.mark.parametrize("lang", LANGS)
def test_reference_page_shows_the_help_of_every_cli_command(site: Path, lang: str) -> None:
    blocks = _pre_blocks(_html(site / lang / REFERENCE))
    commands = subcommands()
    assert {"search", "show", "summary", "programmes", "export", "plan", "update"} <= set(commands)
    for command in [None, *commands]:
        expected = help_text(command)
        assert any(block.strip() == expected.strip() for block in blocks), command
    # and a copy-paste example for every command
    for command in commands:
        assert any(f"polarguide {command}" in b and "usage:" not in b for b in blocks), command


@pytest.mark.parametrize("lang", LANGS)
def test_reference_doctest_examples_render_as_code(site: Path, lang: str) -> None:
    html = _html(site / lang / REFERENCE)
    doctests = re.findall(r'(?s)<div class="doctest highlight-default[^"]*">(.*?)</pre>', html)
    assert len(doctests) >= 15
    assert all("&gt;&gt;&gt;" in block for block in doctests)
    assert not re.search(r"<p>&gt;&gt;&gt; ", html), "a doctest rendered as a paragraph"


def test_reference_page_is_translated_and_its_catalogue_complete(site: Path) -> None:
    po = ROOT / "locales" / "en" / "LC_MESSAGES" / "book" / "liitteet" / "kirjasto.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    messages = [m for m in catalog if m.id]
    assert len(messages) > 100
    assert [m.id for m in messages if m.fuzzy or not m.string] == []
    en = _html(site / "en" / REFERENCE)
    fi = _html(site / "fi" / REFERENCE)
    for finnish, english in [("Komentorivi", "Command line"), ("Asennus", "Installation"),
                             ("Tietueen sarakkeet", "Record columns")]:  # fmt: skip
        assert finnish in fi and finnish not in en
        assert english in en
    assert "englanniksi" in fi  # the Finnish intro says the generated text is English


def test_fill_reference_po_fills_docstrings_and_leaves_the_pages_own_text() -> None:
    fill = _load("_pg_fill_reference_po", ROOT / "scripts" / "fill_reference_po.py")
    source, own = fill.library_text(), fill.page_blocks()
    assert fill.from_library("Search records; ranked by relevance, or by next deadline "
                             "when ``query`` is empty.", source, own)  # fmt: skip
    assert fill.from_library("Bases: :py:class:`Exception`", source, own)
    assert "Haku" in own and not fill.from_library("Haku", source, own)
    assert not fill.from_library("Komentorivi", source, own)


# --------------------------------------------------------------------------- notebook pages


def _launch_box(html: str) -> str:
    found = re.findall(r'(?s)<div class="admonition pg-notebook-launch">.*?</div>', html)
    assert len(found) == 1, "exactly one launch box"
    return found[0]


@pytest.mark.parametrize("lang", LANGS)
def test_every_notebook_page_offers_its_notebook_and_the_bundle(
    site: Path, lang: str, translate: ModuleType
) -> None:
    assert NOTEBOOKS
    texts = {"fi": ("Lataa tämä muistikirja", "työpajapaketti"),
             "en": ("Download this notebook", "workshop bundle")}[lang]  # fmt: skip
    for source in NOTEBOOKS:
        page = site / lang / "notebooks" / f"{source.stem}.html"
        assert page.is_file(), page
        links = _links(_launch_box(_html(page)))
        download = [(a, t) for a, t in links if t.startswith(texts[0])]
        bundle = [(a, t) for a, t in links if texts[1] in t]
        assert len(download) == 1 and len(bundle) == 1, (page, links)
        copied = (page.parent / download[0][0]["href"]).resolve()
        assert copied == (site / lang / "notebooks" / source.name).resolve()
        notebook = json.loads(copied.read_text(encoding="utf-8"))
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)
        # the edition's own language: the Finnish source, or its translation (same cells)
        edition, report = translate.notebook_edition(source, lang)
        assert report.ok, str(report)
        assert notebook == json.loads(edition)
        original = json.loads(source.read_text(encoding="utf-8"))
        same = [c["source"] for c in notebook["cells"]] == [c["source"] for c in original["cells"]]
        assert same == (lang == "fi")
        assert ("in Finnish" in download[0][1]) is False
        assert (page.parent / bundle[0][0]["href"]).resolve() == (site / BUNDLE).resolve()
        assert (site / BUNDLE).is_file()


def test_no_binder_or_colab_links_without_a_repository_url(site: Path) -> None:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["polarbook_repository_url"] == ""
    for lang in LANGS:
        for page in (site / lang).rglob("*.html"):
            html = _html(page)
            assert "mybinder.org" not in html and "colab.research.google.com" not in html, page
            if page.parent.name == "notebooks":
                assert not re.search(r"Binder|Colab", _launch_box(html)), page


def test_trainers_guide_links_the_workshop_bundle(site: Path) -> None:
    for lang in LANGS:
        page = site / lang / "book" / "tyopajat" / "index.html"
        hrefs = [a.get("href", "") for a, _ in _links(_html(page))]
        bundle = [h for h in hrefs if h.endswith(BUNDLE)]
        assert len(bundle) == 1, lang
        assert (page.parent / bundle[0]).resolve() == (site / BUNDLE).resolve()


# --------------------------------------------------------------------------- launch helpers


def test_launch_box_has_binder_and_colab_links_in_the_pages_language(launch: ModuleType) -> None:
    urls = launch.launch_urls("https://github.com/o/r", "main", "notebooks/01-haku.ipynb")
    fi = launch.box_html("fi", "01-haku.ipynb", "../../x.zip", urls)
    en = launch.box_html("en", "01-haku.ipynb", "../../x.zip", urls)
    assert "Avaa Binderissa" in fi and "Avaa Colabissa" in fi and "Open in" not in fi
    assert "Open in Binder" in en and "Open in Colab" in en
    assert 'href="https://mybinder.org/v2/gh/o/r/main?labpath=notebooks%2F01-haku.ipynb"' in en
    assert "<script" not in fi + en
    plain = launch.box_html("fi", "01-haku.ipynb", "../../x.zip", {})
    assert "Binder" not in plain and "Colab" not in plain


def test_repository_url_must_be_a_github_repository(launch: ModuleType) -> None:
    assert launch.github_repository("https://github.com/o/r.git") == ("o", "r")
    for bad in ("https://gitlab.com/o/r", "github.com/o/r", "https://github.com/o"):
        with pytest.raises(ValueError):
            launch.github_repository(bad)


def test_stripped_notebook_has_no_outputs(translate: ModuleType) -> None:
    result = {"output_type": "execute_result", "data": {"text/plain": "2"}}
    cell = {"cell_type": "code", "execution_count": 7, "metadata": {}, "source": ["1 + 1"],
            "outputs": [result]}  # fmt: skip
    stripped = translate.strip_outputs({"cells": [cell], "metadata": {}, "nbformat": 4})
    assert stripped["cells"][0]["outputs"] == []
    assert stripped["cells"][0]["execution_count"] is None
    assert stripped["cells"][0]["source"] == ["1 + 1"]
    assert cell["outputs"] == [result], "the original is left as it is"
