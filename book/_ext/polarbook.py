"""polarbook: turns one Sphinx build into one lean, bilingual edition of the guide.

One job: the *platform* around the text (the library's facts are `polarguide.sphinxext`).

- Finnish UI strings: our catalogues in ``locales/<lang>/LC_MESSAGES/{sphinx,booktheme}.po``
  are compiled and put *in front of* the themes' own catalogues.
- Part captions from ``_toc.yml`` are translated with the root page's catalogue (the i18n
  transform runs before sphinx-external-toc inserts the toctrees, so Sphinx would not).
- Each page gets ``pg_other_url`` (same page in the other edition), ``pg_pdf_url`` and the
  edition's labels for ``book/_templates``.
- Page weight: an empty ``fontawesome.js`` and a subset icon font (only the icons the theme
  shows) replace the 1 MB of icon assets; search scripts load only on the search page
  (``book/_templates/layout.html``).
- Phones: wide tables get column labels in their cells, to be shown as cards
  (``pg-stack``, styled in ``book/_static/pg-book.css``); numbers keep their units
  ("90 %", "30 000 euroa") on one line.
- LaTeX: title page with the edition's title and the cover note on the data date,
  ``\\part`` headings for the parts of the toc, SVG figures as vector PDF (rsvg-convert),
  web addresses that break at the margin and one footnote numbering (``pdf_links``).

Configuration (``_config.yml`` → ``sphinx.config.polarbook_editions``)::

    polarbook_editions:
      fi: {title: Polar Magnets -opas, pdf: polar-magnets-opas.pdf, ...}
      en: {title: Polar Magnets guide, pdf: polar-magnets-guide.pdf, ...}
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from html import escape
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import get_translation, translators
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms.images import ImageConverter
from sphinx.util import logging
from sphinx.util.i18n import CatalogRepository, docname_to_domain

logger = logging.getLogger(__name__)

#: Icons the theme shows (header buttons, sidebar toggles, prev/next, back to top, admonitions).
ICONS = [
    "magnifying-glass", "bars", "list", "sun", "moon", "circle-half-stroke", "arrow-up",
    "angle-left", "angle-right", "download", "file-pdf", "circle-info", "lightbulb",
    "triangle-exclamation", "circle-exclamation", "circle-check", "pencil", "outdent",
    "chevron-down", "chevron-right", "chevron-up", "angle-down", "angle-up", "xmark", "bell",
    "share", "circle-xmark", "up-right-from-square", "copy", "check",
]  # fmt: skip
UI_CATALOGUES = ("sphinx", "booktheme")
SOURCE_LANGUAGE = "fi"


def _edition(app: Sphinx) -> dict[str, Any]:
    editions = app.config.polarbook_editions or {}
    lang = app.config.language or "fi"
    if lang not in editions:
        raise ValueError(f"polarbook_editions has no entry for language {lang!r}")
    return editions[lang]


def _other_language(app: Sphinx) -> str:
    langs = [lang for lang in app.config.polarbook_editions if lang != app.config.language]
    return langs[0]


# --- translations ---------------------------------------------------------------------------


def compile_catalogues(app: Sphinx, config: Any) -> None:
    """Compile every .po of this language (UI and page catalogues) to .mo before use."""
    repo = CatalogRepository(
        app.srcdir, config.locale_dirs, config.language, config.source_encoding
    )
    for catalog in repo.catalogs:
        if catalog.is_outdated():
            catalog.write_mo(config.language, config.gettext_allow_fuzzy_translations)


def translate_extension_texts(app: Sphinx, config: Any) -> None:
    """UI texts that extensions take from config values (myst-nb's code-cell toggles,
    sphinx-togglebutton's hints), in the edition's language from our UI catalogue."""
    import gettext

    ui = gettext.NullTranslations()
    for locale_dir in config.locale_dirs:
        try:
            ui = gettext.translation("sphinx", str(Path(app.srcdir, locale_dir)), [config.language])
            break
        except OSError:
            continue
    config.nb_code_prompt_show = ui.gettext("Show code cell {type}")
    config.nb_code_prompt_hide = ui.gettext("Hide code cell {type}")
    config.togglebutton_hint = ui.gettext("Click to show")
    config.togglebutton_hint_hide = ui.gettext("Click to hide")


def prepend_ui_catalogues(app: Sphinx) -> None:
    """Put our UI catalogues before the themes' (Sphinx uses the first match)."""
    import gettext

    for catalogue in UI_CATALOGUES:
        for locale_dir in app.config.locale_dirs:
            try:
                ours = gettext.translation(
                    catalogue, str(Path(app.srcdir, locale_dir)), [app.config.language]
                )
            except OSError:
                continue
            existing = translators.get(("general", catalogue))
            if existing is not None and existing is not ours:
                ours.add_fallback(existing)
            translators["general", catalogue] = ours


class TranslateCaptionsAndAltText(SphinxTransform):
    """Translate what Sphinx's i18n step leaves in the source language.

    - toctree captions (sphinx-external-toc inserts the toctrees after the i18n step);
    - image alt text (an attribute, which Sphinx does not extract; see ``alt_text_messages``).
    """

    default_priority = 105  # after InsertToctrees (100)

    def apply(self, **kwargs: Any) -> None:
        import gettext

        if self.config.language == SOURCE_LANGUAGE:
            return
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [str(Path(self.env.srcdir, d)) for d in self.config.locale_dirs]
        catalogue = gettext.NullTranslations()
        for locale_dir in dirs:
            try:
                catalogue = gettext.translation(domain, locale_dir, [self.config.language])
                break
            except OSError:
                continue
        for toctree in self.document.findall(addnodes.toctree):
            if toctree.get("caption"):
                toctree["caption"] = catalogue.gettext(toctree["caption"])
        for image in self.document.findall(nodes.image):
            if image.get("alt"):
                image["alt"] = catalogue.gettext(image["alt"])


def alt_text_messages(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """For the gettext builder: offer each image's alt text as a message to translate."""
    if app.builder.name != "gettext":
        return
    for image in list(doctree.findall(nodes.image)):
        alt = image.get("alt")
        if alt:
            message = nodes.paragraph(alt, alt)
            message.source, message.line = image.source or doctree["source"], image.line or 1
            doctree += message


# --- HTML -------------------------------------------------------------------------------------


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Language switch, PDF link, edition labels and translated theme strings."""
    edition = _edition(app)
    other = _other_language(app)
    depth = pagename.count("/")
    context["pg_lang"] = app.config.language
    context["pg_other_lang"] = other
    context["pg_other_label"] = app.config.polarbook_editions[other]["switch_label"]
    context["pg_other_url"] = "../" * (depth + 1) + f"{other}/{pagename}.html"
    context["pg_pdf_url"] = "../" * depth + edition["pdf"]
    context["pg_pdf_size"] = edition.get("pdf_size", "")
    _ = get_translation("sphinx")
    context["theme_search_bar_text"] = _("Search this book…")
    # myst-nb labels its code-cell toggles "Toggle hidden content" whatever they show;
    # without the label the visible, translated prompt is the accessible name.
    if "body" in context:
        context["body"] = context["body"].replace(
            '<summary aria-label="Toggle hidden content">', "<summary>"
        )
    context["docstitle"] = edition["title"]
    if context.get("title") == app.config.html_title:
        context["title"] = edition["title"]


# --- reach: description, canonical and language alternates, sharing previews, sitemap ------

#: A page's description: at least this many characters of its first paragraphs, cut at a
#: word before ``DESCRIPTION_MAX`` (search engines show about 155).
DESCRIPTION_MIN, DESCRIPTION_MAX = 110, 158
#: Where a paragraph is not the page's own lead text.
NOT_LEAD_TEXT = (nodes.Admonition, nodes.table, nodes.sidebar, nodes.topic, nodes.footnote,
                 nodes.caption, nodes.field_list, nodes.raw, addnodes.toctree)  # fmt: skip
#: The sharing image (book/_static), 1200 × 630 px, and its locale names for Open Graph.
SHARE_IMAGE = "pg-share.png"
OG_LOCALES = {"fi": "fi_FI", "en": "en_GB"}
#: Pages that are not content: no sitemap entry.
NOT_IN_SITEMAP = ("search", "genindex")


def shorten(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters.

    >>> shorten("Tämä opas kertoo,   miten pääset mukaan.")
    'Tämä opas kertoo, miten pääset mukaan.'
    >>> shorten("yksi kaksi kolme neljä", 15)
    'yksi kaksi…'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"


def page_description(doctree: nodes.document | None, fallback: str) -> str:
    """The page's description: its ``description`` front matter (source language only: front
    matter is not translated) or else its first paragraphs of running text, as the reader
    sees them (the English edition's are the translated ones); ``fallback`` for pages
    without text (search, index)."""
    if doctree is None:
        return fallback
    given = doctree.get("pg_description")
    if given:
        return shorten(given)
    parts: list[str] = []
    for paragraph in doctree.findall(nodes.paragraph):
        if any(isinstance(p, NOT_LEAD_TEXT) for p in _parents(paragraph)):
            continue
        text = " ".join(paragraph.astext().split())
        if text:
            parts.append(text)
        if sum(len(p) + 1 for p in parts) >= DESCRIPTION_MIN:
            break
    return shorten(" ".join(parts)) if parts else fallback


def front_matter_description(app: Sphinx, doctree: nodes.document) -> None:
    """Keep a page's ``description`` front matter (source language) on its doctree."""
    if app.config.language != SOURCE_LANGUAGE:
        return
    given = app.env.metadata.get(app.env.docname, {}).get("description")
    if isinstance(given, str) and given.strip():
        doctree["pg_description"] = given


def site_url(app: Sphinx) -> str:
    """The published site's address with a final slash, or "" when it is not known."""
    url = (app.config.polarbook_site_url or "").strip()
    return url if not url or url.endswith("/") else url + "/"


def page_url(app: Sphinx, lang: str, pagename: str) -> str:
    """The absolute address of ``pagename`` in edition ``lang`` (``site_url`` must be set).

    >>> from types import SimpleNamespace as NS
    >>> app = NS(config=NS(polarbook_site_url="https://o.github.io/r", html_file_suffix=None))
    >>> page_url(app, "en", "book/index")
    'https://o.github.io/r/en/book/index.html'
    """
    suffix = app.config.html_file_suffix or ".html"
    return f"{site_url(app)}{lang}/{pagename}{suffix}"


def head_links(app: Sphinx, pagename: str) -> list[dict[str, str]]:
    """``<link>`` attributes for the page's head: the edition alternates (``hreflang`` fi,
    en and x-default for the language chooser at the site's root), all absolute. The
    canonical link comes from Sphinx (``html_baseurl``). Nothing without the site address:
    a relative ``hreflang`` link is not valid."""
    root = site_url(app)
    if not root:
        return []
    links = [
        {"rel": "alternate", "hreflang": lang, "href": page_url(app, lang, pagename)}
        for lang in app.config.polarbook_editions
    ]
    return [*links, {"rel": "alternate", "hreflang": "x-default", "href": root}]


def sharing_meta(
    app: Sphinx, pagename: str, title: str, description: str
) -> list[tuple[str, str, str]]:
    """Open Graph and Twitter card tags as ``(attribute, name, content)``; none without the
    site address (a preview needs absolute addresses)."""
    root = site_url(app)
    if not root:
        return []
    lang = app.config.language
    edition = _edition(app)
    image = f"{root}{lang}/_static/{SHARE_IMAGE}"
    og = {
        "og:type": "website", "og:site_name": edition["title"], "og:title": title,
        "og:description": description, "og:url": page_url(app, lang, pagename),
        "og:locale": OG_LOCALES.get(lang, lang), "og:image": image,
        "og:image:width": "1200", "og:image:height": "630", "og:image:alt": edition["title"],
    }  # fmt: skip
    twitter = {
        "twitter:card": "summary_large_image", "twitter:title": title,
        "twitter:description": description, "twitter:image": image,
        "twitter:image:alt": edition["title"],
    }  # fmt: skip
    return [("property", k, v) for k, v in og.items()] + [
        ("name", k, v) for k, v in twitter.items()
    ]


def reach_context(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Description, language alternates and sharing tags for ``book/_templates/layout.html``."""
    edition = _edition(app)
    title = re.sub(r"<[^>]+>", "", context.get("title") or edition["title"])
    description = page_description(doctree, edition["subtitle"])
    context["pg_description"] = description
    context["pg_head_links"] = head_links(app, pagename)
    context["pg_meta"] = sharing_meta(app, pagename, title, description)


SITEMAP_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def sitemap_xml(app: Sphinx, pagenames: list[str]) -> str:
    """The edition's sitemap: every page with its language alternates."""
    lang = app.config.language
    entries = []
    for pagename in sorted(pagenames):
        alternates = "".join(
            f'<xhtml:link rel="alternate" hreflang="{escape(link["hreflang"])}" '
            f'href="{escape(link["href"])}"/>'
            for link in head_links(app, pagename)
        )
        entries.append(f"<url><loc>{escape(page_url(app, lang, pagename))}</loc>{alternates}</url>")
    return SITEMAP_HEAD + "\n".join(entries) + "\n</urlset>\n"


def write_sitemap(app: Sphinx, exc: Exception | None) -> None:
    """``sitemap.xml`` of the edition, when the site address is known (the site's root
    ``sitemap.xml`` and ``robots.txt`` come from scripts/build_site.py)."""
    if exc is not None or app.builder.format != "html":
        return
    target = Path(app.outdir, "sitemap.xml")
    if not site_url(app):
        target.unlink(missing_ok=True)  # from an earlier build with the address
        return
    redirect_only = {"index"} if app.config.root_doc != "index" else set()
    pagenames = [
        d for d in app.env.found_docs if d not in NOT_IN_SITEMAP and d not in redirect_only
    ]
    target.write_text(sitemap_xml(app, pagenames), encoding="utf-8")


ROOT_REDIRECT = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="_static/favicon.svg" type="image/svg+xml">
<meta name="description" content="{description}">
<meta http-equiv="refresh" content="0; url={target}">{canonical}
</head>
<body><main><h1>{title}</h1><p><a href="{target}">{title}</a></p></main></body>
</html>
"""


def root_redirect(app: Sphinx, exc: Exception | None) -> None:
    """Replace sphinx-external-toc's bare redirect index.html with a proper tiny page."""
    if exc is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    target = app.builder.get_target_uri(app.config.root_doc)
    edition = _edition(app)
    canonical = ""
    if site_url(app):  # a canonical link must be absolute
        url = page_url(app, app.config.language, app.config.root_doc)
        canonical = f'\n<link rel="canonical" href="{escape(url)}">'
    page = ROOT_REDIRECT.format(
        lang=app.config.language, title=escape(edition["title"]), target=target,
        description=escape(edition["subtitle"]), canonical=canonical,
    )  # fmt: skip
    (Path(app.outdir) / "index.html").write_text(page, encoding="utf-8")


def label_task_checkboxes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Checklist boxes (MyST tasklist) get the item's text as their accessible name.

    A translated item has lost its box: gettext replaced the paragraph that held the
    ``<input>``, so the box is put back (unchecked, as every checklist in the guide starts).
    """
    if app.builder.format != "html":
        return
    for item in list(doctree.findall(nodes.list_item)):
        if "task-list-item" not in item.get("classes", []) or not item.children:
            continue
        first = item.children[0]
        has_box = any("task-list-item-checkbox" in r.astext() for r in first.findall(nodes.raw))
        if isinstance(first, nodes.paragraph) and not has_box:
            box = '<input class="task-list-item-checkbox" disabled="disabled" type="checkbox">'
            first.insert(0, nodes.raw("", box, format="html"))
    for raw in list(doctree.findall(nodes.raw)):
        if "task-list-item-checkbox" in raw.astext() and raw.parent is not None:
            text = "".join(
                child.astext() for child in raw.parent.children if not isinstance(child, nodes.raw)
            ).strip()
            html = raw.astext().replace("<input ", f'<input aria-label="{escape(text)}" ', 1)
            raw.parent.replace(raw, nodes.raw("", html, format="html"))


#: Tables with at least this many columns become one card per row on a phone (pg-book.css).
STACK_MIN_COLUMNS = 3


NBSP = "\u00a0"
#: A space that must not break a line: inside a number ("30 000"), between a number and its
#: unit ("90 %", "500 euroa", "25 km²", "EUR 30 000") and after "klo".
_UNIT_SPACE = re.compile(
    r"(?<=\d) (?=(?:%|‰|€|°C)|(?:km²|m²|km|ha|kg|euroa|euron|euroon|eurolla|euroksi|"
    r"eur|EUR|euros?|prosenttia|percent)\b)"
    r"|(?<=\bklo) (?=\d)|(?<=\bEUR) (?=\d)|(?<=€) (?=\d)"
)
_THOUSANDS = re.compile(r"\b\d{1,3}(?: \d{3})+\b")


def keep_numbers_together(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """HTML and PDF: no line break inside a number or between a number and its unit
    ("…ja 90" / "% koki…" on a phone). Data files and translations keep ordinary spaces;
    code is left alone."""
    if app.builder.format not in ("html", "latex"):
        return
    skip = (nodes.literal, nodes.math, nodes.raw, nodes.FixedTextElement)
    for text in list(doctree.findall(nodes.Text)):
        if text.parent is None or isinstance(text.parent, skip) or " " not in text:
            continue
        value = str(text)
        new = _THOUSANDS.sub(lambda m: m.group(0).replace(" ", NBSP), value)
        new = _UNIT_SPACE.sub(NBSP, new)
        if new != value:
            text.parent.replace(text, nodes.Text(new))


def no_period_after_question(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A link to a page whose title ends in "?" or "!" and closes its sentence
    ("katso {doc}`mika-reitti`.") would read "…sopii minulle?." – the period goes.

    Titles may change, so the text keeps its period and the build drops it."""
    for ref in list(doctree.findall(nodes.reference)):
        parent = ref.parent
        if parent is None or not ref.astext().rstrip().endswith(("?", "!")):
            continue
        index = parent.index(ref)
        if index + 1 >= len(parent.children):
            continue
        after = parent.children[index + 1]
        if isinstance(after, nodes.Text) and str(after).startswith("."):
            rest = str(after)[1:]
            if rest.startswith("."):  # an ellipsis stays
                continue
            if rest:
                parent.replace(after, nodes.Text(rest))
            else:
                parent.remove(after)


#: What a cell says when it has no value.
EMPTY_CELL = {"", "–", "-", "—"}


def _mark_empty_cells(table: nodes.table) -> None:
    """Body cells with no value (only their label and a dash) get the class ``pg-empty``:
    the cards leave them out."""
    for tbody in table.findall(nodes.tbody):
        for entry in tbody.findall(nodes.entry):
            text = "".join(
                t.astext()
                for t in entry.findall(nodes.Text)
                if not any(_is_label(p) for p in _parents(t, nodes.entry))
            )
            if text.strip() in EMPTY_CELL:
                entry["classes"] = [*entry.get("classes", []), "pg-empty"]


def _is_label(node: nodes.Element) -> bool:
    """Ours (an inline with ``pg-cell-label``) or polarguide.sphinxext's ``cell_label``."""
    return "pg-cell-label" in node.get("classes", []) or type(node).__name__ == "cell_label"


def stack_wide_tables(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """HTML only: a table with a header row and ``STACK_MIN_COLUMNS`` or more columns gets
    the class ``pg-stack`` and, in front of each cell's text, its column's header as a
    label (``pg-cell-label``: hidden on wide screens). On a phone pg-book.css shows the
    table as one card per row ("Vaihe: Tauko"), so nothing has to be scrolled sideways.
    Tables that label their cells themselves (the programme table) keep their labels;
    a table with the class ``pg-no-stack`` is left as it is. Cells without a value
    ("–") are marked ``pg-empty`` and left out of the cards."""
    if app.builder.format != "html":
        return
    for table in list(doctree.findall(nodes.table)):
        classes = table.get("classes", [])
        if "pg-programmes" in classes:
            _mark_empty_cells(table)
        if {"pg-programmes", "pg-no-stack", "pg-stack"} & set(classes):
            continue
        tgroup = next((c for c in table.children if isinstance(c, nodes.tgroup)), None)
        if tgroup is None or tgroup.get("cols", 0) < STACK_MIN_COLUMNS:
            continue
        thead = next((c for c in tgroup.children if isinstance(c, nodes.thead)), None)
        tbody = next((c for c in tgroup.children if isinstance(c, nodes.tbody)), None)
        if thead is None or tbody is None or not thead.children:
            continue
        header = list(thead.children[-1].children)
        if len(header) != tgroup["cols"] or any(e.get("morecols") for e in header):
            continue  # spanning header cells: no one label per column
        labels = [" ".join(e.astext().split()).rstrip(":") for e in header]
        rows = list(tbody.children)
        if any(len(row.children) != len(labels) for row in rows):
            continue
        table["classes"] = [*classes, "pg-stack"]
        for row in rows:
            for label, entry in zip(labels, row.children, strict=True):
                if not label or not entry.children:
                    continue
                # "Sopii, jos…" reads on into the cell's text; other labels get a colon.
                text = f"{label} " if label.endswith(("…", "...", "?")) else f"{label}: "
                first = entry.children[0]
                mark = nodes.inline("", text, classes=["pg-cell-label"])
                if isinstance(first, nodes.paragraph):
                    first.insert(0, mark)
                else:
                    entry.insert(0, nodes.paragraph("", "", mark))
        _mark_empty_cells(table)


def name_toctree_toggles(app: Sphinx, pagename: str, templatename: str, context: dict,
                         doctree: Any) -> None:  # fmt: skip
    """The sidebar's expand/collapse <summary> elements get an accessible name."""
    generate = context.get("generate_toctree_html")
    if generate is None:
        return
    label = escape(get_translation("sphinx")("Show or hide subpages"))

    def generate_named(*args: Any, **kwargs: Any) -> str:
        return str(generate(*args, **kwargs)).replace(
            "<summary>", f'<summary aria-label="{label}">'
        )

    context["generate_toctree_html"] = generate_named


#: Style sheets and scripts a page loads only when its body uses what they style or run
#: (file name start → a pattern of the body's HTML that needs it).
PAGE_ASSETS = {
    "sphinx-design": re.compile(r'class="[^"]*\bsd-'),
    "design-tabs": re.compile(r'class="[^"]*\bsd-tab'),
    "mystnb": re.compile(r'class="[^"]*\b(?:cell|output|cell_output)\b'),
    "togglebutton": re.compile(r'class="[^"]*\b(?:toggle|dropdown)\b'),
    "pygments": re.compile(r'class="[^"]*\bhighlight'),
    "graphviz": re.compile(r'class="[^"]*\bgraphviz'),
}


def _asset_name(asset: Any) -> str:
    return Path(str(getattr(asset, "filename", asset) or "")).name


def lean_page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Page weight: a page without notebook cells, design elements, toggles, code or graphs
    does not load their style sheets and scripts (``PAGE_ASSETS``; 5–20 KB a page)."""
    body = context.get("body")
    if not body:
        return

    def needed(asset: Any) -> bool:
        name = _asset_name(asset)
        pattern = next((p for start, p in PAGE_ASSETS.items() if name.startswith(start)), None)
        return pattern is None or bool(pattern.search(body))

    for key in ("css_files", "script_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if needed(asset)]


#: Bootstrap's script serves only tooltips in this guide (the buttons have their own
#: ``title`` and ``aria-label``): 24 KB on every page.
BOOTSTRAP_STUB = "/* polarbook: Bootstrap's script is not used (tooltips only) */\n"


def drop_bootstrap_script(app: Sphinx, exc: Exception | None) -> None:
    """Replace the theme's ``bootstrap.js`` with an empty script."""
    if exc is not None or app.builder.format != "html":
        return
    script = Path(app.outdir, "_static", "scripts", "bootstrap.js")
    if script.exists():
        script.write_text(BOOTSTRAP_STUB, encoding="utf-8")


#: Images are stored with a 256-colour palette when that loses nothing one can see
#: (peak signal-to-noise ratio at least this, in dB) and saves at least a tenth.
IMAGE_MIN_PSNR = 40.0


def palette_png(data: bytes) -> bytes | None:
    """``data`` (a PNG) with a 256-colour palette, or None when that would show or not pay.

    >>> import io
    >>> from PIL import Image
    >>> def png(image):
    ...     buf = io.BytesIO()
    ...     image.save(buf, "PNG")
    ...     return buf.getvalue()
    >>> grey = Image.effect_noise((200, 200), 8).point(lambda v: v // 16 * 16)  # 16 greys
    >>> few = png(Image.merge("RGBA", [grey] * 3 + [Image.new("L", grey.size, 255)]))
    >>> len(palette_png(few)) < 0.6 * len(few)
    True
    >>> palette_png(png(Image.effect_noise((200, 200), 60).convert("RGBA"))) is None  # a photo
    True
    """
    import io
    import math

    from PIL import Image, ImageChops, ImageStat

    with Image.open(io.BytesIO(data)) as image:
        if image.mode == "P" or getattr(image, "is_animated", False):
            return None
        rgba = image.convert("RGBA")
    quantized = rgba.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    error = ImageStat.Stat(ImageChops.difference(rgba, quantized.convert("RGBA"))).sum2
    mse = sum(error) / (rgba.width * rgba.height * 4)
    psnr = 10 * math.log10(255**2 / mse) if mse else math.inf
    out = io.BytesIO()
    quantized.save(out, "PNG", optimize=True)
    smaller = out.getvalue()
    return smaller if psnr >= IMAGE_MIN_PSNR and len(smaller) <= 0.9 * len(data) else None


def compact_images(app: Sphinx, exc: Exception | None) -> None:
    """Page weight: the built PNG images (figures, notebook charts) with a palette
    (``palette_png``): 60–75 % smaller with no visible change."""
    if exc is not None or app.builder.format != "html":
        return
    for path in sorted(Path(app.outdir, "_images").glob("*.png")):
        smaller = palette_png(path.read_bytes())
        if smaller is not None:
            path.write_bytes(smaller)


FONT_FACES = ("fa-solid-900", "fa-regular-400", "fa-brands-400")


def _icon_names(html_dir: Path) -> set[str]:
    """Icon names the site uses: the theme's own and every ``fa-*`` class in the pages."""
    names = set(ICONS)
    for page in html_dir.rglob("*.html"):
        names |= set(re.findall(r"\bfa-([a-z0-9-]+)", page.read_text(encoding="utf-8")))
    return names


def _icon_codepoints(css: str, names: set[str]) -> set[int]:
    """Code points of the icons the site can show: the theme's own (ICONS, the CSS's
    ``--pst-icon-*`` properties, the "on this page" caret) and every ``fa-*`` class used
    in the built pages (e.g. sphinx-design icons in the text)."""
    codepoints = {0xF107}
    for name in sorted(names):
        found = re.search(
            r"\.fa-" + re.escape(name) + r':before[^{]*\{content:"\\([0-9a-f]+)"', css
        )
        if found:
            codepoints.add(int(found.group(1), 16))
        elif name in ICONS:
            raise RuntimeError(f"icon fa-{name} not found in the theme CSS")
    codepoints |= {
        ord(c) for c in re.findall(r'--pst-(?:icon-[a-z-]+|breadcrumb-divider):"(.)"', css)
    }
    return codepoints


def icon_font(app: Sphinx, exc: Exception | None) -> None:
    """Replace the 1 MB of Font Awesome (fontawesome.js and three web fonts) by subsets of
    the three fonts with only the icons the site shows, point the theme's CSS at them and
    drop the CSS rules of the other icons."""
    if exc is not None or app.builder.format != "html":
        return
    import pydata_sphinx_theme
    from fontTools import subset
    from fontTools.ttLib import TTFont

    static = Path(app.outdir, "_static")
    (static / "scripts").mkdir(parents=True, exist_ok=True)
    (static / "scripts" / "fontawesome.js").write_text(
        "/* polarbook: icons come from the subset fonts pg-*.woff */\n", encoding="utf-8"
    )
    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    css = (theme / "static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    names = _icon_names(Path(app.outdir))
    wanted = _icon_codepoints(css, names)
    built_css = static / "styles" / "pydata-sphinx-theme.css"
    text = built_css.read_text(encoding="utf-8")
    webfonts = theme / "static" / "vendor" / "fontawesome" / "webfonts"
    for face in FONT_FACES:
        source = webfonts / f"{face}.ttf"
        cmap = set(TTFont(str(source)).getBestCmap())
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = []
        options.name_IDs = []
        options.notdef_outline = True
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(wanted & cmap) or [0x20])
        subsetter.subset(font)
        subset.save_font(font, str(static / f"pg-{face}.woff"), options)
        full_face = (
            f'url(../vendor/fontawesome/webfonts/{face}.woff2) format("woff2"),'
            f'url(../vendor/fontawesome/webfonts/{face}.ttf) format("truetype")'
        )
        if full_face not in text:
            raise RuntimeError(f"pydata-sphinx-theme.css changed ({face}): update icon_font")
        text = text.replace(full_face, f'url(../pg-{face}.woff) format("woff")')
        for heavy in (static / "vendor" / "fontawesome" / "webfonts").glob(f"{face}.*"):
            heavy.unlink()

    # Drop the ~1900 ".fa-name:before{content:…}" rules of icons the site never shows
    # (a third of the theme's CSS).
    def keep_used(rule: re.Match[str]) -> str:
        used = set(re.findall(r"\.fa-([a-z0-9-]+):", rule.group(0))) & names
        return rule.group(0) if used else ""

    text = re.sub(r'(?:\.fa-[a-z0-9-]+:(?:before|after),?)+\{content:"[^"]*"\}', keep_used, text)
    built_css.write_text(text, encoding="utf-8")


# --- LaTeX ------------------------------------------------------------------------------------


def _tex_escape(text: str) -> str:
    for char, repl in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"),
                       ("#", r"\#"), ("_", r"\_"), ("{", r"\{"), ("}", r"\}")):  # fmt: skip
        text = text.replace(char, repl)
    return text


def latex_setup(app: Sphinx, config: Any) -> None:
    """Edition title, title page with the cover note, and the PDF file name."""
    edition = _edition(app)
    config.project = edition["title"]
    config.html_title = edition["title"]
    config.author = edition["author"]
    data_date = getattr(config, "polarguide_data_date", "") or ""
    note = edition["cover_note"].format(date=data_date)
    elements = dict(config.latex_elements or {})
    elements["maketitle"] = rf"""
\begin{{titlepage}}
  \centering
  \vspace*{{3cm}}
  {{\Huge\bfseries {_tex_escape(edition["title"])}\par}}
  \vspace{{1cm}}
  {{\Large {_tex_escape(edition["subtitle"])}\par}}
  \vfill
  {{\large {_tex_escape(edition["publisher"])}\par}}
  \vspace{{1.5cm}}
  \fbox{{\parbox{{0.85\textwidth}}{{\small {_tex_escape(note)}}}}}
  \vspace{{1cm}}
\end{{titlepage}}
"""
    babel_name = {"fi": "finnish", "en": "english"}[config.language]
    elements.setdefault("preamble", "")
    elements["preamble"] += (
        "\n\\usepackage{etoolbox}\\AtBeginEnvironment{longtable}{\\small}"
        "\\AtBeginEnvironment{tabulary}{\\small}\n"
        # Sphinx names the contents after the first part caption; we want "Sisällys".
        f"\\addto\\captions{babel_name}{{\\renewcommand{{\\contentsname}}{{{edition['toc_title']}}}}}\n"
    )
    config.latex_elements = elements


class pdf_url(nodes.Inline, nodes.TextElement):
    """PDF only: a web address typeset with ``\\sphinxnolinkurl`` (breaks anywhere, see the
    ``xurl`` package in _config.yml), either as a link's text or as a footnote."""


def visit_pdf_url_latex(self: Any, node: pdf_url) -> None:
    url = rf"\sphinxnolinkurl{{{self.encode_uri(node['url'])}}}"
    if node.get("repeat"):
        self.body.append(r"\footnotemark[\value{footnote}]")
    elif node.get("footnote"):
        self.body.append(rf"\footnote{{{url}}}")
    else:
        self.body.append(url)
    raise nodes.SkipNode


def visit_pdf_url_other(self: Any, node: pdf_url) -> None:
    raise nodes.SkipNode


#: Where a footnote cannot go (it would end up in the table of contents or get lost).
NO_FOOTNOTE_IN = (nodes.title, nodes.subtitle, nodes.caption, nodes.rubric, nodes.term,
                  nodes.footnote, addnodes.toctree)  # fmt: skip


def _note_block(node: nodes.Node) -> nodes.Node | None:
    """The paragraph, or the whole list, a footnote mark stands in: marks of the same
    source next to each other in it share one footnote."""
    block, outermost_list = None, None
    parent = node.parent
    while parent is not None and not isinstance(
        parent, (nodes.section, nodes.entry, nodes.Admonition, nodes.document)
    ):
        if block is None and isinstance(parent, nodes.paragraph):
            block = parent
        if isinstance(parent, (nodes.bullet_list, nodes.enumerated_list)):
            outermost_list = parent
        parent = parent.parent
    return outermost_list or block


def pdf_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    r"""PDF: web addresses that fit the page, and one footnote numbering.

    - A link whose text is a web address (or a host name such as ``www.oph.fi``) is set
      as a URL that can break anywhere, not as one unbreakable word.
    - Other external links get their address as a LaTeX ``\footnote`` (this replaces
      ``latex_show_urls: footnote``, whose numbered footnotes ran on their own numbers
      next to the fact sources' ``\footnote``\s: "37" after "16" on one page).
    - The same source footnoted again right after itself in one paragraph or list (three
      facts from one page) repeats the number instead of the whole footnote.
    """
    if app.builder.name != "latex":
        return
    events = []
    for node in list(doctree.findall(nodes.Element)):
        if type(node).__name__ == "fact_source":
            events.append((node, (node["url"], node["checked"])))
        elif isinstance(node, (nodes.footnote_reference, nodes.citation_reference)):
            events.append((node, None))
        elif isinstance(node, nodes.reference) and node.get("refuri", "").startswith(
            ("http://", "https://")
        ):
            uri, text = node["refuri"], node.astext()
            in_note_free = any(isinstance(a, NO_FOOTNOTE_IN) for a in _parents(node))
            if text.startswith(("http://", "https://")) or (
                " " not in text and "." in text and len(text) > 15 and text == _host(uri)
            ):
                node.clear()
                node += pdf_url("", "", url=uri if text.startswith("http") else text)
                if text.startswith("http"):
                    continue
            if in_note_free or text == uri:
                continue
            note = pdf_url("", "", url=uri, footnote=True)
            node.parent.insert(node.parent.index(node) + 1, note)
            events.append((note, (uri, None)))
    last_key, last_block = None, None
    for node, key in events:
        block = _note_block(node)
        if key is not None and key == last_key and block is not None and block is last_block:
            node.replace_self(pdf_url("", "", url=key[0], repeat=True))
            continue
        last_key, last_block = key, block


#: The programme table's columns in the PDF (programme, who, ages, deadlines, source):
#: room for "13–30" on one line.
PROGRAMME_TABLE_PDF_WIDTHS = (21, 27, 10, 25, 17)
#: About how many characters of a table's small type fit on one line of the PDF page.
PDF_TABLE_LINE_CHARS = 85


def pdf_table_widths(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    r"""PDF: a long table without given column widths (e.g. the open calls table) would be
    set in one-line ``l`` columns and run off the page; it gets wrapping columns sized
    by their longest cell and longest word (``tabularcolumns``), flush left. The
    programme table gets its own widths (``PROGRAMME_TABLE_PDF_WIDTHS``)."""
    if app.builder.name != "latex":
        return
    for table in list(doctree.findall(nodes.table)):
        classes = table.get("classes", [])
        parent = table.parent
        index = parent.index(table)
        given = parent[index - 1] if index else None
        if "pg-programmes" in classes:  # replaces polarguide.sphinxext's spec
            total = sum(PROGRAMME_TABLE_PDF_WIDTHS)
            spec = "".join(
                rf">{{\RaggedRight}}\X{{{w}}}{{{total}}}" for w in PROGRAMME_TABLE_PDF_WIDTHS
            )
            if isinstance(given, addnodes.tabular_col_spec):
                given["spec"] = spec
            else:
                parent.insert(index, addnodes.tabular_col_spec(spec=spec))
            continue
        if isinstance(given, addnodes.tabular_col_spec):
            continue
        if "longtable" not in classes or "colwidths-given" in classes:
            continue
        tgroup = next((c for c in table.children if isinstance(c, nodes.tgroup)), None)
        if tgroup is None or tgroup.get("cols", 0) < 2:
            continue
        cols = tgroup["cols"]
        longest_word, longest_cell = [4] * cols, [4] * cols
        for row in tgroup.findall(nodes.row):
            for i, entry in enumerate(row.children[:cols]):
                text = entry.astext()
                # (no-break spaces keep "6 000 000 €" one word)
                words = re.split(r"[ \n\t]+", text)
                # capitals ("EURATOM") are wider than the average letter
                size = max(len(w) + sum(c.isupper() for c in w) * 0.4 + 1 for w in words)
                longest_word[i] = max(longest_word[i], size)
                longest_cell[i] = max(longest_cell[i], min(len(text), 40))
        # In characters of the table's small type: every column gets its longest word,
        # the rest of the line goes to the columns with long text.
        line = PDF_TABLE_LINE_CHARS - 2.5 * cols
        widths = list(longest_word)
        extra = line - sum(widths)
        wants = [max(0, c - w) for c, w in zip(longest_cell, widths, strict=True)]
        if extra > 0 and sum(wants):
            widths = [w + extra * x / sum(wants) for w, x in zip(widths, wants, strict=True)]
        total = round(sum(widths) * 10)
        spec = "".join(rf">{{\RaggedRight}}\X{{{round(w * 10)}}}{{{total}}}" for w in widths)
        parent.insert(index, addnodes.tabular_col_spec(spec=spec))


def _parents(node: nodes.Node, stop: type | None = None) -> list[nodes.Node]:
    """The node's ancestors, innermost first, up to (not including) the first ``stop``."""
    found, parent = [], node.parent
    while parent is not None and not (stop and isinstance(parent, stop)):
        found.append(parent)
        parent = parent.parent
    return found


def _host(uri: str) -> str:
    from urllib.parse import urlparse

    return urlparse(uri).netloc


def set_latex_documents(app: Sphinx, env: Any, docnames: list[str]) -> None:
    """The edition's PDF name and title.  Runs before reading, i.e. after jupyter-book has
    applied its own ``latex_documents`` overrides (from ``title``) to the Sphinx app."""
    edition = _edition(app)
    app.config.latex_documents = [
        (app.config.root_doc, edition["pdf"].replace(".pdf", ".tex"), edition["title"],
         edition["author"], "manual", False)
    ]  # fmt: skip


class SvgToPdf(ImageConverter):
    """SVG figures in the PDF stay vector graphics: converted with ``rsvg-convert``
    (Debian package librsvg2-bin). HTML keeps the SVG itself."""

    default_priority = 190  # before Sphinx's ImageMagick converter (200)
    conversion_rules: ClassVar[list[tuple[str, str]]] = [("image/svg+xml", "application/pdf")]

    def is_available(self) -> bool:
        return shutil.which("rsvg-convert") is not None

    def convert(self, _from: str, _to: str) -> bool:
        subprocess.run(["rsvg-convert", "-f", "pdf", "-o", _to, _from], check=True)
        return True


def latex_parts(app: Sphinx, doctree: nodes.document) -> None:
    r"""PDF only: the root page's lead text and sections become one introduction chapter,
    and each captioned toctree of the root page gets a ``\part{caption}``."""
    if app.env.docname != app.config.root_doc or app.builder.name != "latex":
        return
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is not None:
        sections = [child for child in top.children if isinstance(child, nodes.section)]
        if sections:
            intro = nodes.section(
                "", nodes.title("", _edition(app)["intro_title"]), ids=["pg-intro"]
            )
            # The lead paragraphs before the first section open the chapter (they stood
            # alone on a page after the contents, under the running head "Sisällys").
            first = top.index(sections[0])
            lead = [
                child for child in top.children[:first]
                if not isinstance(child, (nodes.title, nodes.target, nodes.section))
            ]  # fmt: skip
            top.insert(first, intro)
            for child in lead:
                top.remove(child)
                intro += child
            for section in sections:
                top.remove(section)
                intro += section
    for toctree in list(doctree.findall(addnodes.toctree)):
        caption = toctree.get("caption")
        if caption:
            raw = nodes.raw("", rf"\part{{{_tex_escape(caption)}}}", format="latex")
            parent = toctree.parent
            parent.insert(parent.index(toctree), raw)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("polarbook_editions", {}, "env", dict)
    # The published site's address (https://…/, the editions in <lang>/ under it), given by
    # scripts/build_site.py from the GitHub context; empty: no canonical, hreflang, sitemap
    # or sharing tags.
    app.add_config_value("polarbook_site_url", "", "html", str)
    app.connect("config-inited", compile_catalogues, priority=100)
    app.connect("config-inited", translate_extension_texts, priority=110)
    app.connect("config-inited", latex_setup, priority=950)  # after the toc sets root_doc
    app.connect("builder-inited", prepend_ui_catalogues, priority=900)
    app.add_transform(TranslateCaptionsAndAltText)
    app.add_post_transform(SvgToPdf)
    app.add_node(
        pdf_url,
        latex=(visit_pdf_url_latex, None),
        html=(visit_pdf_url_other, None),
        text=(visit_pdf_url_other, None),
        gettext=(visit_pdf_url_other, None),
    )
    app.connect("doctree-resolved", pdf_links)
    app.connect("doctree-resolved", pdf_table_widths)
    app.connect("doctree-resolved", alt_text_messages)
    app.connect("doctree-read", latex_parts)
    app.connect("env-before-read-docs", set_latex_documents)
    app.connect("html-page-context", page_context, priority=600)
    app.connect("html-page-context", name_toctree_toggles, priority=600)
    app.connect("html-page-context", reach_context, priority=610)  # after the title is set
    app.connect("doctree-read", front_matter_description)
    app.connect("build-finished", write_sitemap)
    app.connect("html-page-context", lean_page_assets, priority=900)
    app.connect("build-finished", drop_bootstrap_script)
    app.connect("build-finished", compact_images)
    app.connect("doctree-resolved", label_task_checkboxes)
    app.connect("doctree-resolved", stack_wide_tables)
    app.connect("doctree-resolved", keep_numbers_together)
    app.connect("doctree-resolved", no_period_after_question)
    app.connect("build-finished", icon_font)
    app.connect("build-finished", root_redirect, priority=900)
    app.add_css_file("pg-book.css")
    return {
        "version": "0.1",
        # Re-read every page when this file changes (Sphinx compares env_version).
        "env_version": zlib.crc32(Path(__file__).read_bytes()),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
