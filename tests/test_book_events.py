"""The built guide's events page, front-page box, network page and ``events.ics``.

Uses the site that ``tests/test_book.py`` builds (``python scripts/build_site.py``), or an
already built one named by ``$POLARGUIDE_SITE`` (as the browser checks do).
"""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import os
import re
from pathlib import Path

import pytest
from icalendar import Calendar

from polarguide import events as ev
from polarguide import network as nw
from polarguide.dates import reference_day

pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("fi", "en")


@pytest.fixture(scope="session")
def site() -> Path:
    if os.environ.get("POLARGUIDE_SITE"):
        return Path(os.environ["POLARGUIDE_SITE"])
    spec = importlib.util.spec_from_file_location("test_book", ROOT / "tests" / "test_book.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_site_once()


def _text(path: Path) -> str:
    body = path.read_text(encoding="utf-8")
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))
    # the build turns straight quotes into typographic ones (smartquotes)
    return text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'}))


@pytest.mark.parametrize("lang", LANGS)
def test_site_calendar_imports_with_the_librarys_stable_uids(site: Path, lang: str) -> None:
    parsed = Calendar.from_ical((site / lang / "events.ics").read_bytes())
    vevents = list(parsed.walk("VEVENT"))
    uids = [str(v["uid"]) for v in vevents]
    assert len(uids) == len(set(uids)) > 0
    assert set(uids) == {e.uid for e in ev.calendar(reference_day())}
    days = [v for v in vevents if str(v["uid"]).startswith("nordic-day-")]
    assert days and all(type(v["dtstart"].dt) is dt.date for v in days)  # all-day
    name = str(parsed["x-wr-calname"])
    assert ("tapahtumat" in name) == (lang == "fi")


@pytest.mark.parametrize("lang", LANGS)
def test_events_page_lists_months_and_says_when_a_month_is_empty(site: Path, lang: str) -> None:
    page = site / lang / "book" / "aloitus" / "tapahtumat.html"
    source = page.read_text(encoding="utf-8")
    assert 'href="../../events.ics"' in source
    assert 'class="pg-filter"' in source and '<label for="pg-f-m">' in source
    today = reference_day()
    upcoming = ev.upcoming(ev.calendar(today), today)
    text = _text(page)
    for event in upcoming:
        assert event.text("title", lang) in text
    # every month from this one to the last known event is shown; an empty one says so
    months = {(max(e.first_day, today).year, max(e.first_day, today).month) for e in upcoming}
    empties, (year, month) = 0, (today.year, today.month)
    while months and (year, month) <= max(months):
        empties += (year, month) not in months
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    empty = (
        "No events are known for this month yet."
        if lang == "en"
        else "Tälle kuukaudelle ei ole vielä tiedossa tapahtumia."
    )
    assert text.count(empty) == empties


@pytest.mark.parametrize("lang", LANGS)
def test_front_page_shows_the_next_three_events(site: Path, lang: str) -> None:
    source = (site / lang / "book" / "index.html").read_text(encoding="utf-8")
    items = re.findall(r'<li class="[^"]*pg-event[^"]*"', source)
    today = reference_day()
    upcoming = ev.upcoming(ev.calendar(today), today)
    assert len(items) == min(3, len(upcoming))
    text = _text(site / lang / "book" / "index.html")
    for event in upcoming[:3]:
        assert event.text("title", lang) in text


@pytest.mark.parametrize("lang", LANGS)
def test_network_page_covers_every_municipality_and_names_the_gaps(site: Path, lang: str) -> None:
    text = _text(site / lang / "book" / "aloitus" / "verkosto.html")
    net = nw.load_network()
    for municipality in net.area:
        assert municipality in text
    for org in net.organisations:
        assert org.text("name", lang) in text
    missing = ", ".join(nw.gaps(network=net))
    assert missing and missing in text


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_programme_table_links_each_programme_to_its_next_round_in_the_calendar(
    site: Path, lang: str
) -> None:
    """A funding programme's row links to its event (deadline or expected round), and every
    such link lands on an event of the events page."""
    table = (site / lang / "book" / "rahoitus" / "ohjelmat.html").read_text(encoding="utf-8")
    events_page = (site / lang / "book" / "aloitus" / "tapahtumat.html").read_text(encoding="utf-8")
    links = re.findall(r'href="\.\./aloitus/tapahtumat\.html#(ev-[^"]+)"', table)
    assert len(links) >= 6  # the recurring programmes at least
    ids = set(re.findall(r'<li [^>]*id="(ev-[^"]+)"', events_page))
    assert [anchor for anchor in links if anchor not in ids] == []
