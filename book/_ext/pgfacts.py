"""pgfacts (Sphinx extension): the book reads its facts from the library, in the edition's
language.

One job: render the curated catalogue and glossary into the guide, so numbers are never
typed twice.  Add ``pgfacts`` (in ``book/_ext``) to ``extensions``; the edition's language is
Sphinx's ``language`` (``fi`` or ``en``).

- ``{fact}`entry-id.fact_key``` renders the fact's value with a superscript link to its
  source; the link's title (HTML) or a footnote (LaTeX) gives the source and check date.
- ``{checked}`entry-id.fact_key``` renders the date that fact was checked (for source lists).
- ``programme-table`` directive (option ``:route:`` keeps one route) renders the catalogue
  as a table: name, who can apply, ages, deadline pattern, source and check date.
- ``glossary-terms`` directive renders the glossary as a Sphinx glossary, so ``{term}``
  links work.

Generated text is already in the edition's language, so every generated node is marked
untranslatable: ``sphinx-build -b gettext`` does not extract it as Finnish source text.

Config values: ``polarguide_catalogue_path`` / ``polarguide_glossary_path`` (default: the
bundled data) and ``polarguide_data_date`` (set here from the catalogue; the PDF cover
note uses it).

>>> format_date("2026-11-28", "fi"), format_date("2026-11-28", "en")
('28.11.2026', '28 November 2026')
>>> age_range(13, 30), age_range(None, 30), age_range(None, None, "en")
('13–30', 'enintään 30', '–')
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlparse

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

import polarguide
from polarguide.i18n import age_range, format_date

logger = logging.getLogger(__name__)

LABELS: dict[str, tuple[str, str]] = {
    "programme": ("Ohjelma", "Programme"),
    "who": ("Kuka voi hakea", "Who can apply"),
    "ages": ("Ikä", "Ages"),
    "deadlines": ("Hakuajat", "Deadlines"),
    "source": ("Lähde", "Source"),
    "source_link": ("lähde", "source"),
    "checked": ("tarkistettu", "checked"),
    "no_age_limit": ("ei ikärajaa", "no age limit"),
    "caption": ("Rahoitusohjelmat", "Funding programmes"),
    "calendar": ("tapahtumakalenterissa", "in the events calendar"),
}
#: The events page (``book/_ext/pgevents.py`` gives each event there the id ``ev-<event id>``).
EVENTS_DOC = "book/aloitus/tapahtumat"


def label(key: str, lang: str) -> str:
    """The book's label for ``key`` in ``lang``.

    >>> label("who", "en")
    'Who can apply'
    """
    fi, en = LABELS[key]
    return en if lang == "en" else fi


def _edition_language(config: Any) -> str:
    return "en" if (config.language or "fi").startswith("en") else "fi"


def _text(value: Any, lang: str) -> str:
    """A bilingual field ({fi, en} mapping or object with .fi/.en) in ``lang``."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("fi") or "")
    if hasattr(value, lang):
        return str(getattr(value, lang) or "")
    return str(value)


def _untranslatable(node: nodes.Node) -> nodes.Node:
    """Mark a generated subtree so Sphinx's i18n neither extracts nor translates it."""
    for sub in node.findall(nodes.Element):
        if not isinstance(sub, nodes.inline):  # Sphinx removes inlines that carry the flag
            sub["translatable"] = False
        sub.source = None
        sub.line = None
        if isinstance(sub, nodes.TextElement):
            sub.rawsource = ""
    return node


# --- data access (cached per build) -------------------------------------------------------------


DATA_DIR = Path(polarguide.__file__).parent / "data"


def _data_path(env: Any, configured: str, default: str) -> Path:
    return Path(env.srcdir, configured) if configured else DATA_DIR / default


def _catalogue_files(srcdir: str, configured: str) -> tuple[Path | None, list[Path]]:
    """(path to pass to load_catalogue, files the result depends on)."""
    from polarguide import catalogue

    if configured:
        path = Path(srcdir, configured)
        return path, [path]
    facts_dir = getattr(catalogue, "FACTS_DIR", None)
    extra = sorted(facts_dir.glob("*.yaml")) if facts_dir else []
    return None, [catalogue.DEFAULT_PATH, *extra]


def _catalogue(env: Any) -> Any:
    """The catalogue (the library caches it per file version); pages depend on its files."""
    from polarguide.catalogue import load_catalogue

    path, files = _catalogue_files(env.srcdir, env.config.polarguide_catalogue_path)
    for file in files:
        env.note_dependency(str(file))
    return load_catalogue(path)


def _glossary_terms(env: Any, lang: str) -> list[Any]:
    from polarguide import glossary

    path = _data_path(env, env.config.polarguide_glossary_path, "glossary.yaml")
    env.note_dependency(str(path))
    return glossary.terms_for_book(lang, glossary.load_glossary(path))


# --- the fact role ------------------------------------------------------------------------------


class fact_source(nodes.Inline, nodes.TextElement):
    """Source marker after a fact value: attributes ``url``, ``checked``, ``lang``."""


def _fact_title(node: fact_source) -> str:
    lang = node["lang"]
    host = urlparse(node["url"]).netloc or node["url"]
    return f"{label('source', lang)}: {host}, {label('checked', lang)} {node['checked']}"


def visit_fact_source_html(self: Any, node: fact_source) -> None:
    title = self.attval(_fact_title(node))
    self.body.append(
        f'<sup class="pg-fact-source"><a class="reference external" '
        f'href="{self.attval(node["url"])}" title="{title}">'
    )


def depart_fact_source_html(self: Any, node: fact_source) -> None:
    self.body.append("</a></sup>")


def visit_fact_source_latex(self: Any, node: fact_source) -> None:
    lang = node["lang"]
    url = self.encode_uri(node["url"])
    checked = self.encode(node["checked"])
    self.body.append(
        rf"\footnote{{{label('source', lang)}: \sphinxnolinkurl{{{url}}}, "
        rf"{label('checked', lang)} {checked}.}}"
    )
    raise nodes.SkipNode


def visit_fact_source_text(self: Any, node: fact_source) -> None:
    self.add_text(f" [{_fact_title(node)}]")
    raise nodes.SkipNode


class FactRole(SphinxRole):
    """``{fact}`entry-id.fact_key``` → value in the edition's language + source marker."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        key = self.text.strip()
        lang = _edition_language(self.config)
        try:
            fact = _catalogue(self.env).fact(key)
        except Exception as exc:  # unknown key or bad data: a build warning, not a crash
            msg = self.inliner.reporter.error(f"fact {key!r}: {exc}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        value = fact.value(lang)
        wrapper = nodes.inline("", "", classes=["pg-fact"])
        wrapper += nodes.Text(str(value))
        marker = fact_source(
            "", label("source_link", lang), url=fact.source_url,
            checked=format_date(fact.checked, lang), lang=lang,
        )  # fmt: skip
        wrapper += marker
        return [_untranslatable(wrapper)], []


class CheckedRole(SphinxRole):
    """``{checked}`entry-id.fact_key``` (or ``entry-id``, or ``catalogue``) → the date that
    fact (the entry's newest fact, the whole catalogue) was checked, written the edition's
    way: for source lists."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        ref = self.text.strip()
        lang = _edition_language(self.config)
        try:
            catalogue = _catalogue(self.env)
            if ref == "catalogue":
                checked = catalogue.checked
            elif "." in ref:
                checked = catalogue.fact(ref).checked
            else:
                checked = _entry_checked(catalogue.get(ref))
            if checked is None:
                raise ValueError("no checked facts")
        except Exception as exc:
            msg = self.inliner.reporter.error(f"checked {ref!r}: {exc}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        return [nodes.Text(format_date(checked, lang))], []


# --- programme table ----------------------------------------------------------------------------


class cell_label(nodes.Inline, nodes.TextElement):
    """A column label repeated inside a cell, shown only on narrow screens (HTML only)."""


def visit_cell_label_html(self: Any, node: cell_label) -> None:
    self.body.append(f'<span class="pg-cell-label">{self.encode(node.astext())}: </span>')
    raise nodes.SkipNode


def skip_node(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def _cell(*children: nodes.Node) -> nodes.entry:
    entry = nodes.entry()
    for child in children:
        entry += child if isinstance(child, nodes.Element) else nodes.paragraph("", "", child)
    return entry


def _entry_checked(entry: Any) -> Any:
    """The latest check date over an entry's facts (the row's check date)."""
    dates = [f.checked for f in (entry.facts or {}).values() if getattr(f, "checked", None)]
    return max(dates, key=str) if dates else None


def _calendar_links(env: Any) -> dict[str, str]:
    """Catalogue entry id → link to its next funding event (a confirmed deadline or an
    expected round) on the events page; empty outside HTML or without that page."""
    import importlib

    from sphinx.util.osutil import relative_uri

    from polarguide.dates import reference_day

    builder = env.app.builder
    if builder.format != "html" or EVENTS_DOC not in env.found_docs:
        return {}
    events = importlib.import_module("polarguide.events")
    env.note_dependency(str(events.DEFAULT_PATH))
    today = reference_day(getattr(env.config, "polarguide_today", "") or None)
    page = relative_uri(builder.get_target_uri(env.docname), builder.get_target_uri(EVENTS_DOC))
    links: dict[str, str] = {}
    for event in events.upcoming(events.calendar(today), today):
        kind, _, entry = event.id.partition("-")
        if kind in ("deadline", "expected") and entry:
            links.setdefault(entry, f"{page}#ev-{event.id}")
    return links


class ProgrammeTable(SphinxDirective):
    """```{programme-table}``` with optional ``:route:`` (one route from the catalogue)."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "route": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        lang = _edition_language(self.config)
        catalogue = _catalogue(self.env)
        entries = list(catalogue.entries)
        route = self.options.get("route")
        if route:
            entries = [e for e in entries if e.route == route]
            if not entries:
                raise self.error(f"programme-table: no catalogue entries with route {route!r}")
        calendar = _calendar_links(self.env)
        columns = ["programme", "who", "ages", "deadlines", "source"]
        widths = [22, 30, 7, 23, 18]
        table = nodes.table(
            classes=[
                "pg-programmes",
                "longtable",
                "colwidths-given",
                *self.options.get("class", []),
            ]
        )
        title = nodes.title("", label("caption", lang))
        table += title
        group = nodes.tgroup(cols=len(columns))
        table += group
        for width in widths:
            group += nodes.colspec(colwidth=width)
        thead = nodes.thead()
        group += thead
        head = nodes.row()
        for column in columns:
            head += _cell(nodes.paragraph("", label(column, lang)))
        thead += head
        tbody = nodes.tbody()
        group += tbody

        def labelled(column: str, *children: nodes.Node) -> nodes.paragraph:
            return nodes.paragraph("", "", cell_label("", label(column, lang)), *children)

        for entry in entries:
            row = nodes.row()
            row += _cell(nodes.paragraph("", "", nodes.strong("", _text(entry.name, lang))))
            row += _cell(labelled("who", nodes.Text(_text(entry.who_can_apply, lang))))
            row += _cell(
                labelled("ages", nodes.Text(age_range(entry.age_min, entry.age_max, lang)))
            )
            deadlines = labelled("deadlines", nodes.Text(_text(entry.deadline_pattern, lang)))
            if entry.id in calendar:  # the next deadline or expected round, on the events page
                deadlines += nodes.Text(" → ")
                deadlines += nodes.reference("", label("calendar", lang), refuri=calendar[entry.id])
            row += _cell(deadlines)
            source = labelled("source")
            host = urlparse(entry.url).netloc or entry.url
            source += nodes.reference("", host, refuri=entry.url)
            checked = _entry_checked(entry)
            if checked:
                source += nodes.Text(f", {label('checked', lang)} {format_date(checked, lang)}")
            row += _cell(source)
            tbody += row
        self.set_source_info(table)
        # LaTeX: proportional, ragged-right columns (justified narrow columns read badly).
        spec = addnodes.tabular_col_spec()
        spec["spec"] = "".join(
            rf">{{\raggedright\arraybackslash}}\X{{{w}}}{{{sum(widths)}}}" for w in widths
        )
        return [spec, _untranslatable(table)]


# --- glossary -----------------------------------------------------------------------------------


class GlossaryTerms(SphinxDirective):
    """```{glossary-terms}``` → a Sphinx glossary of the library's terms in this edition."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {"topic": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        from sphinx.domains.std import make_glossary_term

        lang = _edition_language(self.config)
        terms = _glossary_terms(self.env, lang)
        topic = self.options.get("topic")
        if topic:
            terms = [t for t in terms if t.topic == topic]
        glossary = nodes.definition_list(classes=["glossary"])
        node = nodes.container("", glossary, classes=["glossary"])
        source, line = self.get_source_info()
        for term in terms:
            name = term.en if lang == "en" else term.fi
            synonyms = term.en_synonyms if lang == "en" else term.fi_synonyms
            item = nodes.definition_list_item()
            headword = make_glossary_term(
                self.env, [nodes.Text(name)], None, source, line, None, self.state.document
            )
            item += headword
            # Synonyms and inflected forms link here ({term}`aiheet`) but are not listed.
            std = self.env.get_domain("std")
            for synonym in synonyms or []:
                std._note_term(synonym, headword["ids"][0], location=headword)
            definition = term.definition_en if lang == "en" else term.definition_fi
            item += nodes.definition("", nodes.paragraph("", definition))
            glossary += item
        glossary["sorted"] = True
        return [_untranslatable(node)]


def set_data_date(app: Sphinx, config: Any) -> None:
    """``polarguide_data_date``: the newest check date in the catalogue (for the PDF cover)."""
    if config.polarguide_data_date:
        return
    try:
        from polarguide.catalogue import load_catalogue

        path, _files = _catalogue_files(app.srcdir, config.polarguide_catalogue_path)
        catalogue = load_catalogue(path)
    except ImportError:
        return
    checked = getattr(catalogue, "checked", None)
    if checked is None:
        dates = [d for e in catalogue.entries if (d := _entry_checked(e))]
        checked = max(dates, key=str) if dates else None
    if checked:
        config.polarguide_data_date = format_date(checked, _edition_language(config))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("polarguide_catalogue_path", "", "env", str)
    app.add_config_value("polarguide_glossary_path", "", "env", str)
    app.add_config_value("polarguide_data_date", "", "env", str)
    app.add_node(
        fact_source,
        html=(visit_fact_source_html, depart_fact_source_html),
        latex=(visit_fact_source_latex, None),
        text=(visit_fact_source_text, None),
    )
    app.add_node(
        cell_label,
        html=(visit_cell_label_html, None),
        latex=(skip_node, None),
        text=(skip_node, None),
    )
    app.add_role("fact", FactRole())
    app.add_role("checked", CheckedRole())
    app.add_directive("programme-table", ProgrammeTable)
    app.add_directive("glossary-terms", GlossaryTerms)
    app.connect("config-inited", set_data_date, priority=400)
    return {
        "version": "0.1",
        # Re-read every page when this file changes (Sphinx compares env_version).
        "env_version": zlib.crc32(Path(__file__).read_bytes()),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
