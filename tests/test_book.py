"""The guide as built: both editions, both PDFs, translations, UI language, alt text.

One session fixture runs ``python scripts/build_site.py`` (strict: nitpicky, warnings are
errors, notebooks executed with a per-language cache) and every test reads its output in
``_build/site``.  Incremental: a second run re-uses the caches.  Browser checks (page
weight, axe-core, search) are in ``tests/test_book_browser.py``.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from polarguide.catalogue import load_catalogue
from polarguide.cli import build_parser
from polarguide.i18n import format_date

pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "site"
EDITIONS = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"][
    "polarbook_editions"
]
LANGS = ("fi", "en")
LIBRARY_REFERENCE = "book/liitteet/kirjasto.html"


def build_site_once() -> Path:
    """Build everything once per test run, whichever test (or pytest-xdist worker) needs it
    first; the others wait for it. The build itself must pass strictly."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or str(os.getpid())
    stamp = ROOT / "_build" / ".test-run-built"
    stamp.parent.mkdir(parents=True, exist_ok=True)
    with open(ROOT / "_build" / ".test-run-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # (released when the file closes)
        if not stamp.exists() or stamp.read_text() != run:
            proc = subprocess.run(
                [sys.executable, str(ROOT / "scripts" / "build_site.py")],
                cwd=ROOT, capture_output=True, text=True, timeout=1800,
            )  # fmt: skip
            assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-3000:]
            stamp.write_text(run)
    return SITE


@pytest.fixture(scope="session")
def site() -> Path:
    return build_site_once()


class Page(HTMLParser):
    """The bits of a built page the tests look at."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.lang = None
        self.images: list[dict[str, str | None]] = []
        self.links: list[dict[str, str | None]] = []
        self.attr_text: list[str] = []
        self.text: list[str] = []
        self.h1: list[str] = []
        self._skip = 0
        self._in_h1 = False
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "img":
            self.images.append(a)
        elif tag == "a":
            self.links.append(a)
        elif tag in ("script", "style"):
            self._skip += 1
        elif tag == "h1":
            self._in_h1 = True
            self.h1.append("")
        for key in ("title", "aria-label", "placeholder", "alt"):
            if a.get(key):
                self.attr_text.append(a[key])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.text.append(data.strip())
            if self._in_h1:
                self.h1[-1] += data

    @property
    def title(self) -> str:
        return self.h1[-1].replace("#", "").strip() if self.h1 else ""


def html_pages(site: Path, lang: str) -> list[Path]:
    return sorted(p for p in (site / lang).rglob("*.html") if "_static" not in p.parts)


def content_pages(site: Path, lang: str) -> list[Path]:
    """Pages made from sources in the toc (not the generated index/search/redirect pages)."""
    skip = {"genindex.html", "search.html"}
    return [p for p in html_pages(site, lang) if p.name not in skip and p.parent != site / lang]


def test_site_has_landing_page_both_editions_and_pdfs(site: Path) -> None:
    landing = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="fi/index.html"' in landing and 'href="en/index.html"' in landing
    for lang in LANGS:
        assert (site / lang / "index.html").is_file()
        assert (site / lang / "book" / "index.html").is_file()
        pdf = site / lang / EDITIONS[lang]["pdf"]
        assert pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-"
    assert not (site / "jupyter_execute").exists(), "build intermediates leaked into the site"


def test_build_logs_have_no_warnings(site: Path) -> None:
    logs = sorted((ROOT / "_build" / "logs").glob("*-html.log")) + sorted(
        (ROOT / "_build" / "logs").glob("*-latex.log")
    )
    assert len(logs) == 4
    for log in logs:
        text = log.read_text(encoding="utf-8")
        # Sphinx's "…: WARNING: …" lines; kernel log noise ("ERROR:tornado…") is not Sphinx's
        assert not re.findall(r"(WARNING|ERROR|CRITICAL): ", text), log.name


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_declares_its_language(site: Path, lang: str) -> None:
    pages = html_pages(site, lang)
    assert len(pages) >= 12
    wrong = [str(p.relative_to(site)) for p in pages if Page(p).lang != lang]
    assert wrong == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_links_to_same_page_in_other_edition_and_to_the_pdf(
    site: Path, lang: str
) -> None:
    other = "en" if lang == "fi" else "fi"
    for path in html_pages(site, lang):
        if path == site / lang / "index.html":
            continue  # the redirect to book/index.html
        page = Page(path)
        switch = [a for a in page.links if "pg-edition__lang" in (a.get("class") or "")]
        pdf = [a for a in page.links if "pg-edition__pdf" in (a.get("class") or "")]
        assert len(switch) == 1 and len(pdf) == 1, path
        target = (path.parent / switch[0]["href"]).resolve()
        assert target == (site / other / path.relative_to(site / lang)).resolve(), path
        assert target.is_file(), f"{path}: {target} missing"
        assert switch[0].get("hreflang") == other
        assert (path.parent / pdf[0]["href"]).resolve() == (site / lang / EDITIONS[lang]["pdf"])


@pytest.mark.parametrize("lang", LANGS)
def test_every_image_has_alt_text(site: Path, lang: str) -> None:
    images = [(p, img) for p in html_pages(site, lang) for img in Page(p).images]
    assert images, "the notebook chart should be an image"
    missing = [f"{p.relative_to(site)}: {img.get('src')}" for p, img in images
               if not (img.get("alt") or "").strip()]  # fmt: skip
    assert missing == []


def test_alt_text_and_captions_are_translated(site: Path) -> None:
    nb = "notebooks/rahoitus-kaaviona.html"
    fi, en = Page(site / "fi" / nb), Page(site / "en" / nb)
    assert fi.images[0]["alt"] != en.images[0]["alt"]
    assert "chart" in en.images[0]["alt"].lower()
    assert "kaavio" in fi.images[0]["alt"].lower()
    assert any(t.startswith("Fig. ") or t.startswith("Figure ") for t in en.text)
    assert any(t.startswith("Kuva ") for t in fi.text)


def test_english_edition_is_english(site: Path) -> None:
    page = Page(site / "en" / "book" / "index.html")
    assert page.title == EDITIONS["en"]["title"]
    nav = " ".join(page.text)
    for caption in ("Getting started", "Map of funding", "Appendices"):
        assert caption in nav
    assert "Rahoituksen kartta" not in nav


# English UI strings of Sphinx and the themes that must not show in the Finnish edition.
ENGLISH_UI = [
    "Search this book", "Back to top", "Skip to main content", "Color mode", "On this page",
    "next page", "previous page", "Toggle", "Contents", "Table of contents", "Last updated",
    "Copyright", "Link to this heading", "Site navigation", "Search", "By ", "Main", "Page",
    "Version warning", "Edition", "whole guide", "Show or hide", "Show code cell",
    "Hide code cell", "Click to show", "Click to hide",
]  # fmt: skip


def test_finnish_edition_has_finnish_ui_strings(site: Path) -> None:
    for path in html_pages(site, "fi"):
        if path == site / "fi" / LIBRARY_REFERENCE:
            continue  # English docstrings by design (tests/test_reference.py); same UI as others
        page = Page(path)
        shown = page.attr_text + page.text
        # a one-word label leaks only as itself: the text may name the portal's English
        # buttons ("*Search funding & tenders*")
        leaks = sorted(
            {s for s in ENGLISH_UI for t in shown if t == s or (" " in s and t.startswith(s))}
        )
        assert leaks == [], f"{path.relative_to(site)}: {leaks}"
    page = Page(site / "fi" / "book" / "aloitus" / "index.html")
    shown = " ".join(page.attr_text + page.text)
    for finnish in ("Siirry pääsisältöön", "Takaisin ylös", "Hae oppaasta", "Tällä sivulla",
                    "Seuraava sivu", "Edellinen sivu", "Etsi", "Värit", "In English"):  # fmt: skip
        assert finnish in shown, finnish


def test_english_catalogues_are_complete() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import check_po
    finally:
        sys.path.pop(0)
    assert check_po.problems("en", None) == []


def test_catalogue_check_catches_untranslated_and_fuzzy(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import check_po
    finally:
        sys.path.pop(0)
    base = tmp_path / "en" / "LC_MESSAGES"
    base.mkdir(parents=True)
    (base / "page.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Hei"\nmsgstr ""\n\n#, fuzzy\nmsgid "Moi"\nmsgstr "Hi"\n\n'
        'msgid "Kiitos"\nmsgstr "Thanks"\n',
        encoding="utf-8",
    )
    found = check_po.problems("en", None, locales=tmp_path)
    assert len(found) == 2
    assert any("untranslated" in f and "Hei" in f for f in found)
    assert any("fuzzy" in f and "Moi" in f for f in found)


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_contains_title_page_and_every_chapter_title(site: Path, lang: str) -> None:
    text = _pdf_text(site / lang / EDITIONS[lang]["pdf"])
    flat = re.sub(r"\s+", " ", text)
    edition = EDITIONS[lang]
    assert edition["title"] in flat
    other = EDITIONS["en" if lang == "fi" else "fi"]
    # `polarguide --help` in the library reference names the program in English
    without_cli = flat.replace(build_parser().description, "")
    assert other["title"] not in without_cli and other["subtitle"] not in flat
    first_page = re.sub(r"\s+", " ", text.split("\f")[0])
    assert edition["subtitle"] in first_page
    date = format_date(load_catalogue().checked.isoformat(), lang)
    assert date in first_page, "cover note on the data date"
    assert edition["toc_title"].lower() in flat.lower()
    titles = [Page(p).title for p in content_pages(site, lang)]
    assert len(titles) >= 9
    missing = [t for t in titles if t and t not in flat]
    assert missing == []
    assert ("Kuva " if lang == "fi" else "Fig") in flat
    assert ("Taulukko " if lang == "fi" else "Table ") in flat


def test_generated_content_is_not_offered_for_translation(site: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_site.py"), "--gettext"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:]
    pots = {p.relative_to(ROOT / "_build" / "gettext").as_posix(): p.read_text(encoding="utf-8")
            for p in (ROOT / "_build" / "gettext").rglob("*.pot")}  # fmt: skip
    table = pots["book/rahoitus/ohjelmat.pot"]
    glossary = pots["book/liitteet/sanasto.pot"]
    assert "Taulukossa ovat ohjelmat" in table  # the page's own text is offered ...
    assert "Nuorisovaihdot" not in table  # ... the generated table is not
    assert "Kuka voi hakea" not in table
    assert "Sanasto selittää" in glossary
    assert "nuorisovaihto" not in glossary.lower()
    index = pots["book/index.pot"]
    assert "{fact}`polar-magnets-project.register_entry`" in index  # the role, not its value
    assert "278294" not in index
    notebook = pots["notebooks/rahoitus-kaaviona.pot"]
    assert "Pinottu pylväskaavio" in notebook  # alt text is offered for translation
    assert "Rahoitushakujen määräajat kuukausittain" in notebook  # and the caption


def test_notebook_outputs_are_in_each_editions_language(site: Path) -> None:
    fi = " ".join(Page(site / "fi" / "notebooks" / "rahoitus-kaaviona.html").text)
    en = " ".join(Page(site / "en" / "notebooks" / "rahoitus-kaaviona.html").text)
    # the chart's text summary comes from polarguide.charts in the kernel's language
    assert re.search(r"määräaik", fi, re.I)
    assert re.search(r"deadline", en, re.I)
    caches = [ROOT / "_build" / f".jupyter_cache-{lang}" for lang in LANGS]
    assert all(c.is_dir() for c in caches), "one execution cache per language"


DATE_OR_AMOUNT = re.compile(
    r"\b\d{1,2}\.\d{1,2}\.\d{4}\b"  # 28.11.2026
    r"|\b\d{4}-\d{2}-\d{2}\b"  # 2026-11-28
    r"|\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December) \d{4}\b"
    r"|\d(?:[\d\u00a0 ]*\d)?(?:,\d+)?\s?(?:€|EUR\b|euroa?\b|euros?\b)"  # 500 euroa, €
    r"|\d(?:,\d+)?\s?(?:%|prosentti)"  # 80 %, 80 prosenttia
    r"|\b\d{1,3}\s?[–-]\s?\d{1,3}\s?(?:-?vuoti|vuot|years?\b|v\.)"  # 13–30 vuotta, 18-30 years
)
URL = re.compile(r"https?://[^\s)>\]]+|^:[a-z_-]+:.*$", re.M)  # links, directive options
SOURCES_HEADING = re.compile(r"^#+ (Lähteet|Sources)\s*$", re.M)


def test_pages_do_not_type_dates_or_amounts_by_hand() -> None:
    """Deadlines, dates and amounts in the text come from the library through roles and
    directives. Source lists (under "Lähteet") may name a source's own date; translations
    may carry only the dates their Finnish source has."""
    found = []
    for path in (ROOT / "book").rglob("*.md"):
        if path.name == "README.md":  # not built
            continue
        text = path.read_text(encoding="utf-8")
        body = URL.sub("", SOURCES_HEADING.split(text)[0])
        found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in DATE_OR_AMOUNT.finditer(body)]
    for path in (ROOT / "locales" / "en").rglob("*.po"):
        with path.open("rb") as handle:
            for message in read_po(handle):
                # a translation must not add dates or amounts its Finnish source lacks
                if (
                    message.id
                    and isinstance(message.string, str)
                    and not DATE_OR_AMOUNT.search(URL.sub("", message.id))
                ):
                    found += [
                        f"{path.relative_to(ROOT)}: {m.group(0)}"
                        for m in DATE_OR_AMOUNT.finditer(URL.sub("", message.string))
                    ]
    assert found == []


def test_build_summary_is_recorded(site: Path) -> None:
    summary = json.loads((ROOT / "_build" / "logs" / "build_site.json").read_text())
    assert summary["failures"] == 0 and summary["langs"] == list(LANGS)


def test_every_checklist_item_has_its_box_in_both_editions(site: Path) -> None:
    """Translation replaces a checklist item's paragraph; the box must survive it."""
    missing = []
    for lang in LANGS:
        for page in (site / lang / "book").rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            items = html.count('<li class="task-list-item')
            boxes = html.count('class="task-list-item-checkbox"')
            if items != boxes:
                missing.append(f"{page.relative_to(site)}: {items} items, {boxes} boxes")
    assert missing == []


#: A source line: "- Title. <URL> (tarkistettu {checked}`entry.fact`)" (English: "checked").
SOURCE_LINE = re.compile(
    r"<(?P<url>https?://[^>\s]+)>\s*\((?:tarkistettu|checked)\s*\{checked\}`(?P<ref>[^`]+)`\)"
)


def _source_lines(text: str) -> list[tuple[str, str]]:
    return [(m["url"], m["ref"]) for m in SOURCE_LINE.finditer(text)]


def _cited_url_problem(url: str, ref: str) -> str | None:
    """None if ``url`` is where the catalogue says ``ref`` was checked, else a message."""
    catalogue = load_catalogue()
    if "." in ref:
        allowed = {catalogue.fact(ref).source_url}
    else:  # an entry: its page, or the source of one of its facts
        entry = catalogue.get(ref)
        allowed = {entry.url, *(f.source_url for f in entry.facts.values())}
    if url.rstrip("/") in {a.rstrip("/") for a in allowed if a}:
        return None
    return f"{ref}: cites <{url}>, the catalogue checked it at {sorted(allowed)}"


def test_source_lists_cite_the_source_the_catalogue_checked() -> None:
    """A source line's check date comes from a catalogue fact, so its address must be that
    fact's source: re-sourcing a fact must not leave the page citing the old page with the
    new date. The English catalogues keep the Finnish line's address and reference."""
    found, lines = [], 0
    for path in sorted((ROOT / "book").rglob("*.md")):
        for url, ref in _source_lines(path.read_text(encoding="utf-8")):
            lines += 1
            if problem := _cited_url_problem(url, ref):
                found.append(f"{path.relative_to(ROOT)}: {problem}")
    for path in sorted((ROOT / "locales" / "en").rglob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle):
                translated = isinstance(message.string, str) and message.string
                if translated and _source_lines(message.id) != _source_lines(message.string):
                    found.append(f"{path.relative_to(ROOT)}: {message.string[:90]}")
    assert lines > 300
    assert found == []


def test_source_line_check_catches_an_old_address() -> None:
    [(url, ref)] = _source_lines(
        "- Vanha lähde. <https://example.org/old> (tarkistettu "
        "{checked}`erasmus-youth-exchanges-ka152.age_range`)."
    )
    assert "erasmus-youth-exchanges-ka152.age_range" in _cited_url_problem(url, ref)
    good = load_catalogue().fact("erasmus-youth-exchanges-ka152.age_range").source_url
    assert _cited_url_problem(good, "erasmus-youth-exchanges-ka152.age_range") is None


def test_no_period_after_a_link_title_that_ends_in_a_question(site: Path) -> None:
    """A link closing a sentence must not read "…sopii minulle?." (polarbook drops the
    period after a title ending in "?" or "!")."""
    question_links = doubled = 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        question_links += len(re.findall(r"[?!]</span></a>", html))
        doubled += len(re.findall(r"[?!]</span></a>\.(?!\.)", html))
    assert question_links > 0  # the pages do link to such titles
    assert doubled == 0


#: The narrowest phone the guide is made for, minus the page's margins (CSS px).
PHONE_CONTENT_WIDTH = 358
#: Smallest text a chart may show on that phone (CSS px): about 60 % of the body text.
MIN_CHART_TEXT_PX = 7


@pytest.mark.parametrize("chart", ["deadlines-per-month.svg", "budget-by-programme.svg"])
def test_open_calls_charts_are_readable_on_a_phone(site: Path, chart: str) -> None:
    """The chart is scaled to the phone's width; its smallest letters must stay readable
    (they were 5 px with matplotlib's default size: polarguide.callspage draws them bigger)."""
    for lang in LANGS:
        svg = (site / lang / "_images" / chart).read_text(encoding="utf-8")
        width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
        sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg)]
        assert sizes, "text is kept as text (svg.fonttype none)"
        smallest_on_phone = min(sizes) * PHONE_CONTENT_WIDTH / width
        assert smallest_on_phone >= MIN_CHART_TEXT_PX, f"{lang}: {smallest_on_phone:.1f} px"


def test_course_meets_its_length_bar() -> None:
    """Issue 4's bar: at least 20 pages of ≥ 700 words of Finnish prose, ≥ 20,000 in all,
    counted without sources, code, tables, web addresses and library-filled facts
    (scripts/word_count.py prints the figures)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import word_count
    finally:
        sys.path.pop(0)
    assert word_count.prose_words("Sana ja toinen.\n```\ncode here\n```\n## Lähteet\n- x y\n") == 3
    counts = word_count.page_words()
    assert len(counts) >= 30
    assert sum(words >= 700 for words in counts.values()) >= 20
    assert sum(counts.values()) >= 20_000
