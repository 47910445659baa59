"""pgfacts (book/_ext) in a tiny Sphinx project: facts, programme table, glossary.

Each test builds a two-page project in a temporary folder with the real bundled
catalogue and glossary, in Finnish and English, so the extension is checked on its own.
"""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from pathlib import Path

import pytest
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from polarguide.catalogue import load_catalogue
from polarguide.glossary import terms_for_book

# Tiny Sphinx projects, a second each: part of the fast tier (no book build).

FACT = "erasmus-youth-exchanges-ka152.age_range"
INDEX = f"""
Test
====

Ages: :fact:`{FACT}`.

Checked :checked:`{FACT}`. Catalogue :checked:`catalogue`.

See :term:`{{term}}`.

.. programme-table::
   :route: youth

.. toctree::

   glossary
"""
GLOSSARY = """
Glossary
========

.. glossary-terms::
"""


def written_date(day: dt.date, lang: str) -> str:
    """How the edition writes a date: ``28.11.2026`` (fi) or ``28 November 2026`` (en)."""
    return f"{day.day}.{day.month}.{day.year}" if lang == "fi" else f"{day.day} {day:%B %Y}"


def build(tmp_path: Path, lang: str, builder: str = "html", index: str = INDEX) -> tuple[Path, str]:
    """Build the tiny project; return (output dir, warnings)."""
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    term = terms_for_book(lang)[0]
    (src / "conf.py").write_text("extensions = ['pgfacts']\nroot_doc = 'index'\n", encoding="utf-8")
    (src / "index.rst").write_text(
        index.replace("{term}", term.en if lang == "en" else term.fi), encoding="utf-8"
    )
    (src / "glossary.rst").write_text(GLOSSARY, encoding="utf-8")
    out = tmp_path / f"out-{lang}-{builder}"
    warnings = StringIO()
    with docutils_namespace():
        app = Sphinx(
            str(src), str(src), str(out), str(tmp_path / f"doctrees-{lang}-{builder}"), builder,
            confoverrides={"language": lang}, status=None, warning=warnings, freshenv=True,
        )  # fmt: skip
        app.build()
    return out, warnings.getvalue()


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_fact_role_renders_value_source_and_check_date(tmp_path: Path, lang: str) -> None:
    out, warnings = build(tmp_path, lang)
    assert warnings == ""
    html = (out / "index.html").read_text(encoding="utf-8")
    fact = load_catalogue().fact(FACT)
    assert fact.value(lang) in html
    checked = written_date(fact.checked, lang)
    marker = re.search(r'<sup class="pg-fact-source"><a [^>]*href="([^"]+)" title="([^"]+)">', html)
    assert marker, html
    assert marker.group(1) == fact.source_url
    assert checked in marker.group(2)
    assert marker.group(2).startswith("Lähde" if lang == "fi" else "Source")
    # value, then the marker, then the full stop that followed the role in the source
    assert re.search(
        re.escape(fact.value(lang)) + r"<sup class=\"pg-fact-source\">.*?</sup></span>\.", html
    )


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_checked_role_writes_the_check_date_the_editions_way(tmp_path: Path, lang: str) -> None:
    out, warnings = build(tmp_path, lang)
    assert warnings == ""
    html = (out / "index.html").read_text(encoding="utf-8")
    cat = load_catalogue()
    fact_date = written_date(cat.fact(FACT).checked, lang)
    assert f"Checked {fact_date}. Catalogue {written_date(cat.checked, lang)}." in html


def test_fact_role_in_latex_is_a_footnote_with_source_and_date(tmp_path: Path) -> None:
    out, warnings = build(tmp_path, "fi", "latex")
    assert warnings == ""
    tex = next(out.glob("*.tex")).read_text(encoding="utf-8")
    assert re.search(
        r"\\footnote\{Lähde: \\sphinxnolinkurl\{https://[^}]+\}, tarkistettu 28\.11\.2026\.\}", tex
    )


def test_unknown_fact_is_a_build_error(tmp_path: Path) -> None:
    _, warnings = build(
        tmp_path, "fi", index="Test\n====\n\n:fact:`erasmus-youth-exchanges-ka152.age_rang`\n"
    )
    assert "ERROR: fact 'erasmus-youth-exchanges-ka152.age_rang'" in warnings
    assert "did you mean erasmus-youth-exchanges-ka152.age_range" in warnings


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_programme_table_lists_the_route_in_the_editions_language(
    tmp_path: Path, lang: str
) -> None:
    out, _ = build(tmp_path, lang)
    html = (out / "index.html").read_text(encoding="utf-8")
    catalogue = load_catalogue()
    youth = [e for e in catalogue.entries if e.route == "youth"]
    others = [e for e in catalogue.entries if e.route != "youth"]
    assert youth and others
    for entry in youth:
        assert entry.text("name", lang).replace("&", "&amp;") in html
    assert others[0].text("name", lang).replace("&", "&amp;") not in html
    header = ["Ohjelma", "Kuka voi hakea", "Ikä", "Hakuajat", "Lähde"] if lang == "fi" else [
        "Programme", "Who can apply", "Ages", "Deadlines", "Source"]  # fmt: skip
    for label in header:
        assert f"<p>{label}</p>" in html


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_glossary_terms_are_a_sphinx_glossary_that_term_links_reach(
    tmp_path: Path, lang: str
) -> None:
    out, warnings = build(tmp_path, lang)
    assert warnings == ""  # the :term: reference resolved
    glossary = (out / "glossary.html").read_text(encoding="utf-8")
    terms = terms_for_book(lang)
    assert glossary.count("<dt ") >= len(terms)
    definition = terms[0].definition_en if lang == "en" else terms[0].definition_fi
    assert definition.split()[0] in glossary
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="glossary.html#term-' in index


def test_generated_nodes_are_not_extracted_by_gettext(tmp_path: Path) -> None:
    out, warnings = build(tmp_path, "fi", "gettext")
    assert warnings == ""
    pot = (out / "index.pot").read_text(encoding="utf-8")
    assert f":fact:`{FACT}`" in pot  # the sentence with the role is a message ...
    assert load_catalogue().fact(FACT).value("fi") not in pot  # ... its rendered value is not
    assert "Kuka voi hakea" not in pot
    glossary = (out / "glossary.pot").read_text(encoding="utf-8")
    assert terms_for_book("fi")[0].definition_fi not in glossary
