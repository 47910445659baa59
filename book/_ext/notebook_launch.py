"""notebook_launch: links to the workshop materials (notebooks and the offline bundle).

One job: wherever the guide offers its workshop materials, link them so that the links work
in the built site, offline too. On each HTML page whose source is a ``.ipynb`` file it puts
a box under the page title, in the edition's language (:data:`LABELS`), plain HTML and no
JavaScript:

- **Download this notebook (.ipynb)**: the notebook in the edition's language, written next
  to the page (``<lang>/notebooks/<name>.ipynb``) with outputs and execution counts cleared,
  so it is exactly what a trainer runs and works offline. The Finnish edition gets the source
  notebook; the others get it translated through the page's own catalogue by
  ``notebook_translate.py`` (a message without translation is a build warning);
- **the offline workshop bundle (.zip)** that ``scripts/build_site.py`` (``workshop_bundle()``)
  writes to the site's root folder, next to ``fi/`` and ``en/`` (config value
  ``notebook_launch_bundle``, a path relative to the edition's folder);
- **Open in Binder** and **Open in Colab**, only when ``polarbook_repository_url`` is set
  (a GitHub repository URL such as ``https://github.com/<owner>/<repo>``; branch from
  ``polarbook_repository_branch``, default ``main``). Both services run the notebook from
  that repository, so they need internet and a public repository. Binder builds the image
  from ``binder/`` and its ``postBuild`` writes the translated notebooks to
  ``notebooks/<lang>/``, so another edition's Binder link opens its own language
  (:func:`repository_notebook`). Colab reads the repository's files as they are: it opens
  the Finnish notebook (the English link says so) and has no ``polarguide``, so the box
  shows the ``%pip install git+…`` line to run first (see ``binder/README.md``).

The role ``{workshop-bundle}`link text``` links the bundle from any page (a plain Markdown
link cannot: Sphinx would take the path outside the source folder for a missing
cross-reference). The LaTeX/PDF edition gets no box and the role's text without a link
(relative links only work next to the HTML pages).

Configuration (``_config.yml`` → ``sphinx.config``)::

    polarbook_repository_url: ""     # empty: no Binder/Colab links
"""

from __future__ import annotations

import zlib
from html import escape
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, urlparse

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole
from sphinx.util.i18n import docname_to_domain

import notebook_translate

logger = logging.getLogger(__name__)

#: Where build_site.py's workshop_bundle() puts the zip, relative to an edition's folder.
DEFAULT_BUNDLE = "../polar-magnets-workshop.zip"
SOURCE_LANGUAGE = notebook_translate.SOURCE_LANGUAGE

LABELS: dict[str, dict[str, str]] = {
    "fi": {
        "title": "Käytä tätä muistikirjaa",
        "download": "Lataa tämä muistikirja (.ipynb)",
        "bundle": "Lataa työpajapaketti ilman verkkoa (.zip)",
        "binder": "Avaa Binderissa",
        "colab": "Avaa Colabissa",
        "online": "verkossa",
        "install": "Colabissa lisää ensin alkuun solu",
    },
    "en": {
        "title": "Use this notebook",
        "download": "Download this notebook (.ipynb)",
        "bundle": "Download the offline workshop bundle (.zip)",
        "binder": "Open in Binder",
        "colab": "Open in Colab (the Finnish notebook)",
        "online": "online",
        "install": "In Colab, first add a cell at the top",
    },
}


def _lang(app: Sphinx) -> str:
    return "en" if (app.config.language or "fi").startswith("en") else "fi"


def notebook_docnames(env: Any) -> list[str]:
    """Documents whose source is a Jupyter notebook."""
    return sorted(d for d in env.found_docs if Path(env.doc2path(d)).suffix == ".ipynb")


def github_repository(url: str) -> tuple[str, str]:
    """``(owner, repo)`` of a GitHub URL; ``ValueError`` for anything else.

    >>> github_repository("https://github.com/koillismaa/polarguide.git")
    ('koillismaa', 'polarguide')
    """
    parts = urlparse(url.strip())
    path = [p for p in parts.path.split("/") if p]
    if parts.scheme != "https" or parts.netloc != "github.com" or len(path) < 2:
        raise ValueError(f"polarbook_repository_url must be https://github.com/OWNER/REPO: {url!r}")
    return path[0], path[1].removesuffix(".git")


def repository_notebook(notebook: str, lang: str) -> str:
    """The notebook of edition ``lang`` in a Binder image: the source notebook for Finnish,
    the one ``binder/postBuild`` translates into ``<folder>/<lang>/`` for the others.

    >>> repository_notebook("notebooks/01-haku.ipynb", "fi")
    'notebooks/01-haku.ipynb'
    >>> repository_notebook("notebooks/01-haku.ipynb", "en")
    'notebooks/en/01-haku.ipynb'
    """
    if lang == SOURCE_LANGUAGE:
        return notebook
    path = PurePosixPath(notebook)
    return str(path.parent / lang / path.name)


def launch_urls(
    repository_url: str, branch: str, notebook: str, lang: str = "fi"
) -> dict[str, str]:
    """Binder and Colab URLs for ``notebook`` (the source notebook's path in the repository)
    and the line that installs polarguide in Colab (``install``).

    >>> urls = launch_urls("https://github.com/o/r", "main", "notebooks/01-haku.ipynb")
    >>> urls["binder"]
    'https://mybinder.org/v2/gh/o/r/main?labpath=notebooks%2F01-haku.ipynb'
    >>> urls["colab"]
    'https://colab.research.google.com/github/o/r/blob/main/notebooks/01-haku.ipynb'
    >>> urls["install"]
    '%pip install git+https://github.com/o/r@main'
    >>> launch_urls("https://github.com/o/r", "main", "notebooks/01-haku.ipynb", "en")["binder"]
    'https://mybinder.org/v2/gh/o/r/main?labpath=notebooks%2Fen%2F01-haku.ipynb'
    """
    owner, repo = github_repository(repository_url)
    binder_path = repository_notebook(notebook, lang)
    return {
        "binder": f"https://mybinder.org/v2/gh/{owner}/{repo}/{quote(branch, safe='')}"
        f"?labpath={quote(binder_path, safe='')}",
        "colab": f"https://colab.research.google.com/github/{owner}/{repo}/blob/"
        f"{quote(branch)}/{quote(notebook)}",
        "install": f"%pip install git+https://github.com/{owner}/{repo}@{branch}",
    }


def box_html(lang: str, notebook_href: str, bundle_href: str, urls: dict[str, str]) -> str:
    """The box as HTML: a generic admonition, styled by the theme (no CSS of its own)."""
    text = LABELS[lang]
    items = [
        f'<a href="{escape(notebook_href)}" download type="application/x-ipynb+json" '
        f'hreflang="{lang}">{escape(text["download"])}</a>',
        f'<a href="{escape(bundle_href)}" download type="application/zip">'
        f"{escape(text['bundle'])}</a>",
    ]
    for key in ("binder", "colab"):
        if key in urls:
            colab_lang = f' hreflang="{SOURCE_LANGUAGE}"' if key == "colab" else ""
            item = (
                f'<a class="reference external" href="{escape(urls[key])}"{colab_lang}>'
                f"{escape(text[key])}</a> ({escape(text['online'])})"
            )
            if key == "colab" and "install" in urls:
                item += f". {escape(text['install'])}: <code>{escape(urls['install'])}</code>"
            items.append(item)
    listed = "".join(f"<li>{item}</li>" for item in items)
    return (
        f'<div class="admonition pg-notebook-launch">'
        f'<p class="admonition-title">{escape(text["title"])}</p>'
        f'<ul class="simple">{listed}</ul></div>'
    )


def bundle_href(app: Sphinx, docname: str) -> str:
    """The workshop bundle, relative to the HTML page of ``docname``."""
    return "../" * docname.count("/") + app.config.notebook_launch_bundle


class WorkshopBundleRole(SphinxRole):
    """``{workshop-bundle}`text```: a link to the offline workshop bundle."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        if self.env.app.builder.format != "html":
            return [nodes.inline(self.text, self.text)], []
        href = bundle_href(self.env.app, self.env.docname)
        return [nodes.reference(self.rawtext, self.text, refuri=href, internal=False)], []


def add_box(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Insert the box after the first title of a notebook page (HTML builders only)."""
    if app.builder.format != "html" or docname not in notebook_docnames(app.env):
        return
    source = Path(app.env.doc2path(docname))
    relative = source.relative_to(Path(app.srcdir)).as_posix()
    urls: dict[str, str] = {}
    if app.config.polarbook_repository_url:
        try:
            urls = launch_urls(
                app.config.polarbook_repository_url, app.config.polarbook_repository_branch,
                relative, _lang(app),
            )  # fmt: skip
        except ValueError as err:
            logger.warning(str(err), type="notebook_launch", location=docname)
    html = box_html(_lang(app), source.name, bundle_href(app, docname), urls)
    raw = nodes.raw("", html, format="html")
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        section.insert(1, raw)
    else:
        doctree.insert(0, raw)


def edition_notebook(app: Sphinx, docname: str) -> tuple[str, notebook_translate.Report]:
    """The JSON of ``docname``'s notebook in this edition's language (outputs cleared),
    translated with the page's own catalogue (``locale_dirs``, ``gettext_compact``)."""
    source = Path(app.env.doc2path(docname))
    lang = _lang(app)
    if lang == SOURCE_LANGUAGE:
        return notebook_translate.notebook_edition(source, lang)
    domain = docname_to_domain(docname, app.config.gettext_compact)
    found = [
        Path(app.srcdir, folder, lang, "LC_MESSAGES", f"{domain}.po")
        for folder in app.config.locale_dirs
    ]
    po = next((path for path in found if path.is_file()), found[0] if found else None)
    extensions = tuple(app.config.myst_enable_extensions or ())
    return notebook_translate.notebook_edition(source, lang, po, extensions)


def copy_notebooks(app: Sphinx, exc: Exception | None) -> None:
    """Write each notebook page's notebook, in the edition's language, next to its page."""
    if exc is not None or app.builder.format != "html":
        return
    for docname in notebook_docnames(app.env):
        text, report = edition_notebook(app, docname)
        if report.missing:
            logger.warning(
                f"the downloadable notebook keeps untranslated text: {report}",
                type="notebook_launch", location=docname,
            )  # fmt: skip
        target = Path(app.outdir, docname).parent / Path(app.env.doc2path(docname)).name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("polarbook_repository_url", "", "html", str)
    app.add_config_value("polarbook_repository_branch", "main", "html", str)
    app.add_config_value("notebook_launch_bundle", DEFAULT_BUNDLE, "html", str)
    app.add_role("workshop-bundle", WorkshopBundleRole())
    app.connect("doctree-resolved", add_box)
    app.connect("build-finished", copy_notebooks)
    return {
        "version": "0.1",
        "env_version": zlib.crc32(Path(__file__).read_bytes()),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
