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
- LaTeX: title page with the edition's title and the cover note on the data date,
  ``\\part`` headings for the parts of the toc, SVG figures as vector PDF (rsvg-convert).

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


ROOT_REDIRECT = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="_static/favicon.svg" type="image/svg+xml">
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
</head>
<body><main><h1>{title}</h1><p><a href="{target}">{title}</a></p></main></body>
</html>
"""


def root_redirect(app: Sphinx, exc: Exception | None) -> None:
    """Replace sphinx-external-toc's bare redirect index.html with a proper tiny page."""
    if exc is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    target = app.builder.get_target_uri(app.config.root_doc)
    (Path(app.outdir) / "index.html").write_text(
        ROOT_REDIRECT.format(lang=app.config.language, title=_edition(app)["title"], target=target),
        encoding="utf-8",
    )


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
    r"""PDF only: the root page's sections become one introduction chapter, and each
    captioned toctree of the root page gets a ``\part{caption}``."""
    if app.env.docname != app.config.root_doc or app.builder.name != "latex":
        return
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is not None:
        sections = [child for child in top.children if isinstance(child, nodes.section)]
        if sections:
            intro = nodes.section(
                "", nodes.title("", _edition(app)["intro_title"]), ids=["pg-intro"]
            )
            top.insert(top.index(sections[0]), intro)
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
    app.connect("config-inited", compile_catalogues, priority=100)
    app.connect("config-inited", translate_extension_texts, priority=110)
    app.connect("config-inited", latex_setup, priority=950)  # after the toc sets root_doc
    app.connect("builder-inited", prepend_ui_catalogues, priority=900)
    app.add_transform(TranslateCaptionsAndAltText)
    app.add_post_transform(SvgToPdf)
    app.connect("doctree-resolved", alt_text_messages)
    app.connect("doctree-read", latex_parts)
    app.connect("env-before-read-docs", set_latex_documents)
    app.connect("html-page-context", page_context, priority=600)
    app.connect("html-page-context", name_toctree_toggles, priority=600)
    app.connect("doctree-resolved", label_task_checkboxes)
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
