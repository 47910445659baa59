"""Build the whole guide into a deployable folder: ``_build/site/``.

    python scripts/build_site.py                 # gettext + check en catalogues, HTML + PDF
    python scripts/build_site.py --html          # HTML only (both editions)
    python scripts/build_site.py --lang fi       # one edition
    python scripts/build_site.py --gettext       # extract messages to _build/gettext/*.pot
    python scripts/build_site.py --update-po     # gettext + sphinx-intl update -l en

Result::

    _build/site/index.html                 landing page that sends readers to their language
    _build/site/fi/ ... polar-magnets-opas.pdf
    _build/site/en/ ... polar-magnets-guide.pdf
    _build/site/polar-magnets-workshop.zip  offline workshop bundle: notebooks (fi, en),
                                           the library with its data, setup guide

Intermediate output: _build/html-<lang>/, _build/latex-<lang>/<lang>/, _build/gettext/.
The two editions build side by side (``--jobs``, default 2: one process per edition).

Every Sphinx run is strict (nitpicky, warnings are errors, keep going) and is a fresh
process with ``POLARGUIDE_LANG`` set, its own execution cache (``_build/.jupyter_cache-<lang>``)
and doctrees per builder (``_build/.doctrees-<lang>-<builder>``: myst-nb picks output
types per builder). ``_config.yml`` stays the source of truth: only
``language`` and the cache path are overridden. Logs: ``_build/logs/<lang>-<builder>.log``.
Exit status is non-zero if any step fails or warns.

Publishing addresses come from the environment at build time (``site_context``): on GitHub
Actions ``GITHUB_REPOSITORY`` (+ ``GITHUB_SERVER_URL``) gives the repository, which turns on
the notebooks' Binder and Colab links, and the Pages address (``POLARBOOK_SITE_URL``, else
``https://<owner>.github.io/<repo>/``) turns on canonical and ``hreflang`` links, sharing
tags, ``sitemap.xml`` and ``robots.txt``. Without them the site has none of these.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# POLARBOOK_BUILD_DIR lets several people build side by side without sharing output folders.
BUILD = Path(os.environ.get("POLARBOOK_BUILD_DIR") or ROOT / "_build").resolve()
SITE = BUILD / "site"
LANGS = ("fi", "en")
SOURCE_LANG = "fi"
LATEXMK_OPTIONS = "-interaction=nonstopmode -halt-on-error"


def _shown(path: Path) -> str:
    """A path as short as possible for messages (relative to the repository when inside)."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def editions() -> dict:
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["sphinx"]["config"]["polarbook_editions"]


def site_context(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The repository and site addresses the build knows, from the GitHub context.

    ``GITHUB_REPOSITORY`` (``owner/repo``) on ``GITHUB_SERVER_URL`` (github.com by default)
    gives ``repository_url`` (Binder and Colab work with github.com only) and the Pages
    address; ``POLARBOOK_SITE_URL`` (e.g. the ``base_url`` of actions/configure-pages, or a
    custom domain) overrides the latter; ``POLARBOOK_REPOSITORY_BRANCH`` names the branch
    the notebook links open (``main``). An empty dict: nothing is known, or
    ``POLARBOOK_ADDRESSES=off`` (the tests on a pull request build a local copy, which
    must not point search engines at the published site).

    >>> site_context({})
    {}
    >>> site_context({"GITHUB_REPOSITORY": "Koillismaa/polarguide"})["site_url"]
    'https://koillismaa.github.io/polarguide/'
    >>> site_context({"GITHUB_REPOSITORY": "o/o.github.io"})["site_url"]
    'https://o.github.io/'
    >>> site_context({"POLARBOOK_SITE_URL": "https://opas.example.fi"})
    {'site_url': 'https://opas.example.fi/'}
    >>> sorted(site_context({"GITHUB_REPOSITORY": "o/r", "GITHUB_SERVER_URL": "https://ghe.x"}))
    []
    >>> site_context({"GITHUB_REPOSITORY": "o/r", "POLARBOOK_ADDRESSES": "off"})
    {}
    """
    environ = os.environ if environ is None else environ
    context: dict[str, str] = {}
    if environ.get("POLARBOOK_ADDRESSES", "").strip().lower() == "off":
        return context
    repository = environ.get("GITHUB_REPOSITORY", "").strip().strip("/")
    server = environ.get("GITHUB_SERVER_URL", "").strip().rstrip("/") or "https://github.com"
    on_github = server == "https://github.com" and re.fullmatch(r"[\w.-]+/[\w.-]+", repository)
    if on_github:
        owner, name = repository.split("/")
        context["repository_url"] = f"{server}/{repository}"
        context["branch"] = environ.get("POLARBOOK_REPOSITORY_BRANCH", "").strip() or "main"
        pages_host = f"{owner.lower()}.github.io"
        context["site_url"] = (
            f"https://{pages_host}/"
            if name.lower() == pages_host
            else f"https://{pages_host}/{name}/"
        )
    given = environ.get("POLARBOOK_SITE_URL", "").strip()
    if given:
        if not re.match(r"https?://[^/\s]+", given):
            raise ValueError(f"POLARBOOK_SITE_URL must be an http(s) address: {given!r}")
        context["site_url"] = given if given.endswith("/") else given + "/"
    return context


def sphinx_overrides(context: dict[str, str], lang: str) -> dict[str, str]:
    """Sphinx settings for one edition from ``site_context()``: the repository for the notebook
    links, the site address for polarbook's head tags and Sphinx's canonical link.

    >>> sphinx_overrides({}, "fi")
    {}
    >>> sphinx_overrides({"site_url": "https://o.github.io/r/"}, "en")["html_baseurl"]
    'https://o.github.io/r/en/'
    """
    overrides: dict[str, str] = {}
    if "repository_url" in context:
        overrides["polarbook_repository_url"] = context["repository_url"]
        overrides["polarbook_repository_branch"] = context["branch"]
    if "site_url" in context:
        overrides["polarbook_site_url"] = context["site_url"]
        overrides["html_baseurl"] = f"{context['site_url']}{lang}/"
    return overrides


def sphinx(builder: str, lang: str, outdir: Path) -> tuple[int, int]:
    """Run one strict Sphinx build in a child process; return (status, warning count)."""
    env = dict(os.environ, POLARGUIDE_LANG=lang, PYTHONHASHSEED="0")
    overrides = sphinx_overrides(site_context(), lang) if builder == "html" else {}
    cache = execution_cache(lang)
    logs = BUILD / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{lang}-{builder}.log"
    code = (
        "import json, sys; from jupyter_book.sphinx import build_sphinx; "
        "sys.exit(build_sphinx(*sys.argv[1:3], path_config=sys.argv[3], noconfig=True, "
        "builder=sys.argv[4], doctreedir=sys.argv[5], warningiserror=True, keep_going=True, "
        "confoverrides={'language': sys.argv[6], 'nb_execution_cache_path': sys.argv[7], "
        "'latex_individualpages': False, **json.loads(sys.argv[8])}))"
    )
    args = [
        sys.executable, "-c", code, str(ROOT), str(outdir), str(ROOT / "_config.yml"), builder,
        str(BUILD / f".doctrees-{lang}-{builder}"), lang, str(cache), json.dumps(overrides),
    ]  # fmt: skip
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.run(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    text = log.read_text(encoding="utf-8")
    # Sphinx's own messages ("...: WARNING: ..."). Not counted: the notebook kernels' log
    # noise that shares this log, e.g. "ERROR:tornado.general:..." when a kernel shuts down
    # or "[IPKernelApp] WARNING | ..." — a failing notebook makes Sphinx's status non-zero.
    warnings = len(re.findall(r"(WARNING|ERROR|CRITICAL): ", text))
    print(
        f"  sphinx {builder:8s} {lang}: status {proc.returncode}, {warnings} warnings, "
        f"{time.monotonic() - started:.0f} s  ({_shown(log)})"
    )
    if proc.returncode or warnings:
        print("\n".join(line for line in text.splitlines() if "WARNING" in line or "ERROR" in line
                        or "Error" in line)[-4000:])  # fmt: skip
    return proc.returncode, warnings


def data_stamp() -> str:
    """Which funding data the notebooks read (origin and retrieval time of the data in use)
    and on which day (``polarguide.dates.reference_day``: the notebooks count "days left"
    from it, so a new day re-runs them)."""
    from polarguide.dates import reference_day
    from polarguide.store import load_current

    meta = load_current(warn=lambda _m: None).meta
    day = reference_day()
    return f"{meta.get('origin')} {meta.get('path')} {meta.get('retrieved_at')} {day}"


def execution_cache(lang: str) -> Path:
    """The notebooks' execution cache of an edition, emptied when the funding data changed
    since it was filled (jupyter-cache keys on the notebook's code only, so after
    ``polarguide update`` the charts would otherwise show the old data)."""
    cache = BUILD / f".jupyter_cache-{lang}"
    stamp_file = BUILD / f".jupyter_cache-{lang}.data"
    stamp = data_stamp()
    # (no stamp yet: a cache from before this check, taken to match)
    if cache.exists() and stamp_file.exists() and stamp_file.read_text() != stamp:
        shutil.rmtree(cache)
    BUILD.mkdir(parents=True, exist_ok=True)
    stamp_file.write_text(stamp, encoding="utf-8")
    return cache


def html(lang: str) -> int:
    """HTML edition, built in _build/html-<lang>/<lang> (myst-nb writes executed notebooks
    next to the output folder) and copied to _build/site/<lang>, keeping the edition's PDF."""
    built = BUILD / f"html-{lang}" / lang
    status, warnings = sphinx("html", lang, built)
    if status or warnings:
        return 1
    target = SITE / lang
    keep = target / editions()[lang]["pdf"]
    saved = keep.read_bytes() if keep.exists() else None
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(built, target, ignore=shutil.ignore_patterns(".buildinfo", "objects.inv"))
    if saved is not None:
        keep.write_bytes(saved)
    return 0


def pdf(lang: str) -> int:
    """LaTeX build + latexmk (xelatex); copy the PDF into the edition's folder."""
    # (one level down, like the HTML: myst-nb writes the executed notebooks next to the
    # output folder, and the two editions may build at the same time)
    latex_dir = BUILD / f"latex-{lang}" / lang
    status, warnings = sphinx("latex", lang, latex_dir)
    if status or warnings:
        return 1
    name = editions()[lang]["pdf"]
    log = BUILD / "logs" / f"{lang}-latexmk.log"
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.run(
            ["make", "-C", str(latex_dir), "all-pdf", f"LATEXMKOPTS={LATEXMK_OPTIONS}"],
            stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ, LATEXOPTS=""),
        )  # fmt: skip
    print(f"  latexmk  {lang}: status {proc.returncode}, {time.monotonic() - started:.0f} s")
    built = latex_dir / name
    if proc.returncode or not built.exists():
        print(log.read_text(encoding="utf-8")[-3000:])
        return 1
    (SITE / lang).mkdir(parents=True, exist_ok=True)
    shutil.copy2(built, SITE / lang / name)
    return 0


def check_catalogues(lang: str = "en") -> int:
    """Fail on untranslated or fuzzy messages in locales/<lang>/ (scripts/check_po.py)."""
    script = str(ROOT / "scripts" / "check_po.py")
    proc = subprocess.run([sys.executable, script, lang, "--pot", str(BUILD / "gettext")])
    return proc.returncode


def gettext() -> int:
    status, warnings = sphinx("gettext", SOURCE_LANG, BUILD / "gettext")
    # Template strings (sphinx.pot) are English already; the Finnish UI catalogue is ours.
    (BUILD / "gettext" / "sphinx.pot").unlink(missing_ok=True)
    return status or warnings


def update_po() -> int:
    if gettext():
        return 1
    return subprocess.run(
        ["sphinx-intl", "update", "-p", str(BUILD / "gettext"), "-l", "en", "-d",
         str(ROOT / "locales"), "-w", "0"], cwd=ROOT,
    ).returncode  # fmt: skip


LANDING = """<!DOCTYPE html>
<html lang="fi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Polar Magnets -opas / Polar Magnets guide</title>
<meta name="description" content="{description}">
<link rel="icon" href="fi/_static/favicon.svg" type="image/svg+xml">{head}
<script>
  // Send the reader to the edition in their language (Finnish unless they prefer English).
  (function () {{
    var langs = navigator.languages || [navigator.language || "fi"];
    for (var i = 0; i < langs.length; i++) {{
      var l = (langs[i] || "").slice(0, 2).toLowerCase();
      if (l === "fi" || l === "en") {{ location.replace(l + "/index.html"); return; }}
    }}
    location.replace("fi/index.html");
  }})();
</script>
<style>
  body {{ max-width: 36rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5;
         font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff; }}
  a {{ color: #0b57a4; font-weight: 600; }}
</style>
</head>
<body>
<main>
<h1>{fi_title}</h1>
<p><a href="fi/index.html">Lue opas suomeksi</a> · <a href="fi/{fi_pdf}">PDF</a></p>
<p lang="en"><a href="en/index.html">Read the guide in English</a> ·
<a href="en/{en_pdf}">PDF</a></p>
</main>
</body>
</html>
"""


def landing_head(site_url: str, description: str) -> str:
    """The landing page's canonical, language alternates and sharing tags ("" without the
    site address: relative ``hreflang`` links are not valid).

    >>> landing_head("", "x")
    ''
    >>> head = landing_head("https://o.github.io/r/", "x")
    >>> '<link rel="alternate" hreflang="x-default" href="https://o.github.io/r/">' in head
    True
    """
    if not site_url:
        return ""
    ed = editions()
    title = f"{ed['fi']['title']} / {ed['en']['title']}"
    image = f"{site_url}fi/_static/pg-share.png"
    tags = [f'<link rel="canonical" href="{site_url}">']
    tags += [f'<link rel="alternate" hreflang="{lang}" href="{site_url}{lang}/index.html">'
             for lang in LANGS]  # fmt: skip
    tags.append(f'<link rel="alternate" hreflang="x-default" href="{site_url}">')
    meta = {
        "og:type": "website", "og:site_name": title, "og:title": title,
        "og:description": description, "og:url": site_url, "og:locale": "fi_FI",
        "og:image": image, "og:image:width": "1200", "og:image:height": "630",
        "og:image:alt": title,
    }  # fmt: skip
    tags += [f'<meta property="{k}" content="{escape(v)}">' for k, v in meta.items()]
    twitter = {"twitter:card": "summary_large_image", "twitter:title": title,
               "twitter:description": description, "twitter:image": image}  # fmt: skip
    tags += [f'<meta name="{k}" content="{escape(v)}">' for k, v in twitter.items()]
    return "".join("\n" + tag for tag in tags)


ROBOTS = """User-agent: *
Allow: /

Sitemap: {site_url}sitemap.xml
"""

SITEMAP_INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{entries}
</sitemapindex>
"""


def publishing_files(site_url: str) -> list[Path]:
    """``sitemap.xml`` (an index of the editions' own sitemaps, written by polarbook) and
    ``robots.txt`` at the site's root when the address is known; otherwise old ones go."""
    files = [SITE / "sitemap.xml", SITE / "robots.txt"]
    if not site_url:
        for path in files:
            path.unlink(missing_ok=True)
        return []
    entries = "\n".join(
        f"<sitemap><loc>{site_url}{lang}/sitemap.xml</loc></sitemap>"
        for lang in LANGS if (SITE / lang / "sitemap.xml").exists()
    )  # fmt: skip
    files[0].write_text(SITEMAP_INDEX.format(entries=entries), encoding="utf-8")
    files[1].write_text(ROBOTS.format(site_url=site_url), encoding="utf-8")
    return files


def landing() -> None:
    ed = editions()
    SITE.mkdir(parents=True, exist_ok=True)
    site_url = site_context().get("site_url", "")
    description = f"{ed['fi']['subtitle']}. {ed['en']['subtitle']}."
    page = LANDING.format(
        fi_title=ed["fi"]["title"], fi_pdf=ed["fi"]["pdf"], en_pdf=ed["en"]["pdf"],
        description=escape(description), head=landing_head(site_url, description),
    )  # fmt: skip
    (SITE / "index.html").write_text(page, encoding="utf-8")
    (SITE / ".nojekyll").write_text("", encoding="utf-8")
    publishing_files(site_url)


WORKSHOP_README = """# Polar Magnets -työpaja ilman verkkoa / Polar Magnets workshop offline

## Suomeksi

Tässä paketissa on oppaan muistikirjat suomeksi (`notebooks/fi/`) ja englanniksi
(`notebooks/en/`) sekä `polarguide`-kirjasto tietoineen (`polarguide-source/`).
Muistikirjat toimivat ilman verkkoyhteyttä oppaan mukana tulleilla tiedoilla.

1. **Kun verkko vielä toimii** (esimerkiksi edellisenä päivänä): asenna Python 3.10 tai uudempi
   ja aja tämän kansion komentorivillä `python -m pip install ./polarguide-source jupyterlab`.
   Jos koneilla ei ole verkkoa ollenkaan, aja verkossa olevalla koneella
   `python -m pip download -d wheels setuptools wheel ./polarguide-source jupyterlab` ja kopioi
   tämä kansio `wheels`-kansioineen muille koneille. Asenna niissä
   `python -m pip install --no-index --find-links wheels setuptools wheel` ja sitten
   `python -m pip install --no-index --find-links wheels --no-build-isolation
   ./polarguide-source jupyterlab`.
2. **Työpajassa**: aja `jupyter lab notebooks/fi` ja avaa ensimmäinen muistikirja.
   Aja solut ylhäältä alas.
3. Tiedot on haettu {retrieved}. Määräajat muuttuvat: tarkista ne aina haun omalta sivulta.
   Kun verkko toimii, muistikirjan solu `pg.update()` hakee tuoreet tiedot.

**Jos koneelle ei saa asentaa mitään** (esimerkiksi kunnan lukittu kannettava): näytä
oppaan muistikirjasivut verkossa tai PDF:nä yhdeltä näytöltä. Niissä näkyvät jo ajettujen
solujen tulokset. Verkossa muistikirjan voi avata myös selaimessa oppaan Binder- tai
Colab-linkistä, jos ne näkyvät muistikirjan sivulla. Voit myös ajaa muistikirjat yhdellä
koneella, jolle asennus onnistuu, ja näyttää sen ruudun kaikille.

## In English

This bundle holds the guide's notebooks in English (`notebooks/en/`) and in Finnish
(`notebooks/fi/`), and the `polarguide` library with its data (`polarguide-source/`).
The notebooks run offline on the data that ships with the guide.

1. **While you still have internet** (e.g. the day before): install Python 3.10 or newer and
   run `python -m pip install ./polarguide-source jupyterlab` in this folder. For laptops with
   no internet at all, run `python -m pip download -d wheels setuptools wheel
   ./polarguide-source jupyterlab` on a machine that is online, copy this folder with
   `wheels` to the laptops and install there with
   `python -m pip install --no-index --find-links wheels setuptools wheel`, then
   `python -m pip install --no-index --find-links wheels --no-build-isolation
   ./polarguide-source jupyterlab`.
2. **In the workshop**: run `jupyter lab notebooks/en` and open the first notebook. Run the
   cells from top to bottom. The English notebooks print their results in English, the
   Finnish ones in Finnish (the environment variable `POLARGUIDE_LANG=fi` or `en` overrides).
3. The data was retrieved on {retrieved}. Deadlines change: always check them on the call's page.
   When you are online, the notebook cell `pg.update()` fetches fresh data.

**If you may not install anything** (a locked-down municipal laptop, say): show the guide's
notebook pages online or in the PDF on one screen; they include the results of every cell.
Online, a notebook also opens in the browser from the Binder or Colab link on its page, when
the page shows those links. Or run the notebooks on the one machine where the install works
and share its screen.
"""


def _notebook_translate():
    """``book/_ext/notebook_translate.py`` (a Sphinx-side module, not part of the package)."""
    import importlib.util

    path = ROOT / "book" / "_ext" / "notebook_translate.py"
    spec = importlib.util.spec_from_file_location("notebook_translate", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return sys.modules[spec.name]


def workshop_bundle(target: Path | None = None) -> tuple[Path, list[str]]:
    """``_build/site/polar-magnets-workshop.zip`` (or ``target``) for workshops without
    internet: the notebooks
    in each edition's language (``notebooks/<lang>/``, translated from the pages' catalogues
    by ``book/_ext/notebook_translate.py``, outputs cleared), the library's source with its
    data (installable with pip) and README-TYOPAJA.md (setup in Finnish and English).

    Returns the zip and one line per notebook message left untranslated (a failure)."""
    import zipfile

    from polarguide.store import load_current

    translate = _notebook_translate()
    retrieved = load_current(warn=lambda _m: None).meta.get("retrieved_at", "?")[:10]
    target = target or SITE / "polar-magnets-workshop.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    skip = ("__pycache__", ".ipynb_checkpoints", ".egg-info")
    stamp = (2026, 1, 1, 0, 0, 0)  # fixed times: the same sources give the same zip
    problems: list[str] = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:

        def write(name: str, data: str | bytes) -> None:
            info = zipfile.ZipInfo(f"polar-magnets-workshop/{name}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, data)

        write("README-TYOPAJA.md", WORKSHOP_README.format(retrieved=retrieved))
        for lang in LANGS:
            for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
                text, report = translate.notebook_edition(notebook, lang)
                if not report.ok:
                    problems.append(f"{lang}: {report}")
                write(f"notebooks/{lang}/{notebook.name}", text)
        for name in ("pyproject.toml", "README.md"):
            write(f"polarguide-source/{name}", (ROOT / name).read_bytes())
        for path in sorted((ROOT / "polarguide").rglob("*")):
            if path.is_file() and not any(part.endswith(skip) for part in path.parts):
                write(f"polarguide-source/{path.relative_to(ROOT)}", path.read_bytes())
    return target, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=LANGS, action="append", help="edition(s) to build")
    parser.add_argument("--html", action="store_true", help="HTML only")
    parser.add_argument("--pdf", action="store_true", help="PDF only")
    parser.add_argument("--gettext", action="store_true", help="extract messages only")
    parser.add_argument("--update-po", action="store_true", help="gettext + sphinx-intl update")
    parser.add_argument(
        "--jobs", type=int, default=2, help="editions built at the same time (default 2)"
    )
    args = parser.parse_args(argv)
    if args.gettext:
        return gettext()
    if args.update_po:
        return update_po()
    langs = args.lang or list(LANGS)
    started = time.monotonic()
    failures = 0
    # Extract the Finnish messages afresh, so a page without (complete) English catalogue
    # fails here instead of showing up in Finnish in the English edition.
    if "en" in langs and (gettext() or check_catalogues("en")):
        return 1

    def edition(lang: str) -> int:
        return (0 if args.pdf else html(lang)) + (0 if args.html else pdf(lang))

    # Each edition is its own chain of child processes (Sphinx, notebook kernels, latexmk)
    # with its own output, doctree, execution-cache and chart folders, so the two run at once.
    with ThreadPoolExecutor(max_workers=max(1, min(args.jobs, len(langs)))) as pool:
        failures += sum(pool.map(edition, langs))
    landing()
    if not args.pdf:
        bundle, problems = workshop_bundle()
        print(f"  workshop bundle: {_shown(bundle)}")
        for problem in problems:
            print(f"  workshop bundle: untranslated notebook text: {problem}")
        failures += bool(problems)
    summary = {"langs": langs, "failures": failures, "seconds": round(time.monotonic() - started)}
    (BUILD / "logs" / "build_site.json").write_text(json.dumps(summary), encoding="utf-8")
    where = _shown(SITE)
    print(f"build_site: {failures} failed step(s) in {summary['seconds']} s -> {where}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
