"""Events: workshops, meetings, theme days and funding deadlines, as data with sources.

The events live in ``polarguide/data/events.yaml`` (see ``docs/EVENTS.md``: no Python
needed). :func:`load_events` reads and checks that file; a mistake raises
:class:`~polarguide.datafile.DataFileError` naming the file and line.
:func:`calendar` adds the funding deadlines the library already knows (the curated
catalogue's confirmed ``next_deadline`` and its source fact) and spreads yearly days over
the years around ``today``. :func:`upcoming` and :func:`past` split the calendar;
:func:`to_ics`, :func:`to_json`, :func:`to_csv` and :func:`to_table` export it.

>>> import datetime as dt
>>> today = dt.date(2026, 12, 5)
>>> cal = calendar(today)
>>> nordic = [e for e in upcoming(cal, today) if e.id == "nordic-day"][0]
>>> nordic.start, nordic.all_day, nordic.uid
(datetime.date(2027, 3, 23), True, 'nordic-day-20270323@events.polarguide')
>>> all(e.source_url.startswith("https://") for e in cal)
True
"""

from __future__ import annotations

import calendar as _cal
import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .datafile import DataFileError, Fields, Mapping, file_version, meta_checked, read_file
from .dates import HELSINKI, UTC
from .i18n import check_lang

#: Where the bundled events live.
DEFAULT_PATH = Path(__file__).parent / "data" / "events.yaml"
#: Who an event is for (``everyone`` matches every audience filter).
AUDIENCES = ("youth", "youth-workers", "communities", "organisations", "schools", "everyone")
#: What kind of entry it is (``expected``: a funding round expected from past years, not
#: a confirmed deadline).
KINDS = ("event", "day", "deadline", "expected")
#: Languages an event can be held in.
EVENT_LANGUAGES = ("fi", "en", "sv", "se", "smn", "sms", "no")
#: The fields an event may have (anything else is reported as a typo).
EVENT_KEYS = (
    "id",
    "kind",
    "title",
    "description",
    "start",
    "end",
    "every_year",
    "until",
    "place",
    "remote",
    "audience",
    "languages",
    "organiser",
    "registration",
    "url",
    "funding_query",
    "source_url",
    "checked",
)
#: How far around ``today`` yearly days are spread (years back, years ahead).
YEARS_BACK, YEARS_AHEAD = 1, 1
#: UID domain of the events this module makes (funding deadlines reuse export's UIDs).
UID_DOMAIN = "events.polarguide"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_LABELS = {
    "start": ("Alkaa", "Starts"),
    "end": ("Päättyy", "Ends"),
    "title": ("Tapahtuma", "Event"),
    "where": ("Missä", "Where"),
    "kind": ("Tyyppi", "Kind"),
    "organiser": ("Järjestäjä", "Organiser"),
    "remote": ("etänä", "online"),
    "everywhere": ("kaikkialla", "everywhere"),
    "none": ("Ei tapahtumia tällä valinnalla.", "No events for this choice."),
    "deadline": ("Määräaika", "Deadline"),
    "expected": ("Odotettu haku, ei vahvistettu", "Expected round, not confirmed"),
    "confirm": ("Vahvista", "Confirm"),
    "calname": ("Polar Magnets: tapahtumat ja määräajat", "Polar Magnets: events and deadlines"),
    "source": ("Lähde", "Source"),
    "checked": ("tarkistettu", "checked"),
    "register": ("Ilmoittaudu", "Register"),
}


def _label(key: str, lang: str) -> str:
    fi, en = _LABELS[key]
    return fi if lang == "fi" else en


@dataclass(frozen=True)
class Place:
    """Where an event is held; every part optional.

    >>> Place(village="Käylä", municipality="Kuusamo").text()
    'Käylä, Kuusamo'
    """

    village: str = ""
    municipality: str = ""
    address: str = ""
    city: str = ""
    country: str = ""

    def text(self) -> str:
        """The place in one line, most precise part first."""
        parts = (self.address, self.village, self.municipality, self.city, self.country)
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class Event:
    """One event (or one occurrence of a yearly day, or one funding deadline).

    ``start``/``end`` are :class:`datetime.date` for whole days (``end`` is the last day,
    inclusive) and Helsinki-aware :class:`datetime.datetime` for timed events.

    >>> e = Event("x", {"fi": "Päivä", "en": "Day"}, {"fi": "", "en": ""},
    ...           dt.date(2027, 2, 6), dt.date(2027, 2, 6), kind="day",
    ...           source_url="https://e.org", checked=dt.date(2026, 12, 5))
    >>> e.text("title", "en"), e.all_day, e.where("fi")
    ('Day', True, 'kaikkialla')
    """

    id: str
    title: dict[str, str]
    description: dict[str, str]
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime
    kind: str = "event"
    place: Place = field(default_factory=Place)
    remote: str = ""
    audience: tuple[str, ...] = ("everyone",)
    languages: tuple[str, ...] = ()
    organiser: str = ""
    registration: str = ""
    url: str = ""
    source_url: str = ""
    checked: dt.date | None = None
    uid: str = ""
    #: a finder query that fits the event (connections to funding); may be empty
    funding_query: str = ""
    #: the catalogue entry a deadline belongs to (``kind == "deadline"``)
    programme: str = ""
    file: str = ""
    line: int = 0

    @property
    def all_day(self) -> bool:
        """True when the event has days but no times."""
        return not isinstance(self.start, dt.datetime)

    @property
    def first_day(self) -> dt.date:
        """The Helsinki day the event starts."""
        return _day(self.start)

    @property
    def last_day(self) -> dt.date:
        """The Helsinki day the event ends."""
        return _day(self.end)

    @property
    def municipality(self) -> str:
        """The municipality of the place ("" for online or everywhere)."""
        return self.place.municipality

    def text(self, name: str, lang: str) -> str:
        """``title`` or ``description`` in ``lang``."""
        return getattr(self, name).get(check_lang(lang), "")

    def where(self, lang: str) -> str:
        """The place, "online" or "everywhere", in ``lang``."""
        if self.place.text():
            return self.place.text()
        if self.kind in ("deadline", "expected"):
            return ""
        return _label("remote" if self.remote else "everywhere", lang)


def _day(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.astimezone(HELSINKI).date()
    return value


@dataclass(frozen=True)
class Repeat:
    """A yearly day: a fixed date (``month``/``day``) or the ``nth`` ``weekday`` of ``month``.

    >>> Repeat(month=8, weekday="saturday", nth=-1).on(2027)
    datetime.date(2027, 8, 28)
    >>> Repeat(month=3, day=23).on(2027)
    datetime.date(2027, 3, 23)
    """

    month: int
    day: int | None = None
    weekday: str = ""
    nth: int = 0

    def on(self, year: int) -> dt.date:
        """The day in ``year``."""
        if self.day is not None:
            return dt.date(year, self.month, self.day)
        wanted = _WEEKDAYS.index(self.weekday)
        days = [
            dt.date(year, self.month, d)
            for d in range(1, _cal.monthrange(year, self.month)[1] + 1)
            if dt.date(year, self.month, d).weekday() == wanted
        ]
        return days[self.nth - 1 if self.nth > 0 else self.nth]


@dataclass(frozen=True)
class EventFile:
    """What :func:`load_events` returns: the events and the yearly days, as written.

    >>> book = load_events()
    >>> len(book.events) > 0 and len(book.yearly) > 0
    True
    """

    checked: dt.date
    events: tuple[Event, ...]
    yearly: tuple[tuple[Event, Repeat, int | None], ...]
    name: str


def load_events(path: str | Path | None = None) -> EventFile:
    """Read and check an events file (the bundled one by default).

    Every mistake raises :class:`~polarguide.datafile.DataFileError` with
    ``file:line``, for example a missing source:

    >>> import tempfile, os
    >>> bad = '''meta: {checked: 2026-12-05}
    ... events:
    ...   - id: demo
    ...     kind: event
    ...     title: {fi: Työpaja, en: Workshop}
    ...     start: 2027-01-10
    ...     audience: [youth]
    ...     languages: [fi]
    ...     organiser: Kyläyhdistys
    ...     checked: 2026-12-05
    ... '''
    >>> with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
    ...     _ = fh.write(bad)
    >>> load_events(fh.name)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    polarguide.datafile.DataFileError: ...:3: event 'demo': field 'source_url' must be a web ...
    >>> os.unlink(fh.name)
    """
    return _load_cached(*file_version(path, DEFAULT_PATH))


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, _mtime_ns: int) -> EventFile:
    doc, name = read_file(path)
    return parse_events(doc, name)


def parse_events(doc: Any, name: str = "events.yaml") -> EventFile:
    """Check a parsed events document (see :func:`load_events`)."""
    if not isinstance(doc, Mapping):
        raise DataFileError(f"{name}:1: the file must start with 'meta:' and 'events:'")
    checked = meta_checked(doc, name)
    items = doc.get("events")
    if not isinstance(items, list):
        raise DataFileError(f"{name}:{doc.line_of('events')}: 'events:' must be a list of events")
    from .network import load_network

    area = {m.casefold(): m for m in load_network().area}
    events: list[Event] = []
    yearly: list[tuple[Event, Repeat, int | None]] = []
    seen: dict[str, int] = {}
    for raw in items:
        event, repeat, until = _parse_event(raw, name, area, checked)
        if event.id in seen:
            raise DataFileError(
                f"{name}:{event.line}: event '{event.id}': the id is already used on line "
                f"{seen[event.id]}; give each event its own id"
            )
        seen[event.id] = event.line
        if repeat is None:
            events.append(event)
        else:
            yearly.append((event, repeat, until))
    return EventFile(checked, tuple(events), tuple(yearly), name)


def _parse_event(
    raw: Any, name: str, area: dict[str, str], newest: dt.date
) -> tuple[Event, Repeat | None, int | None]:
    f = Fields(raw, name, "event")
    f.known(EVENT_KEYS)
    kind = f.raw.get("kind", "event")
    if kind not in ("event", "day"):
        raise f.fail("kind", "must be event or day (deadlines come from the catalogue)")
    title = f.bilingual("title")
    description = f.bilingual("description", required=False) or {"fi": "", "en": ""}
    repeat = _parse_repeat(f)
    until = f.raw.get("until")
    if until is not None and (not isinstance(until, int) or repeat is None):
        raise f.fail("until", "is a year (YYYY) and only goes with 'every_year'")
    if repeat is None:
        start, end = _parse_when(f)
    else:
        if "start" in f.raw or "end" in f.raw:
            raise f.fail("start", "goes away when 'every_year' gives the day")
        start = end = repeat.on(newest.year)
    place = _parse_place(f, area)
    remote = f.url("remote", required=False)
    audience = f.words("audience", AUDIENCES)
    languages = f.words("languages", EVENT_LANGUAGES, required=kind == "event")
    event = Event(
        id=f.id,
        title=title,
        description=description,
        start=start,
        end=end,
        kind=kind,
        place=place,
        remote=remote,
        audience=audience,
        languages=languages,
        organiser=f.text("organiser", required=kind == "event"),
        registration=f.url("registration", required=False),
        url=f.url("url", required=False),
        source_url=f.url("source_url"),
        checked=f.checked(newest),
        funding_query=f.text("funding_query", required=False),
        file=name,
        line=f.line,
    )
    if repeat is None:
        event = dataclasses.replace(event, uid=f"{f.id}@{UID_DOMAIN}")
    return event, repeat, until


def _parse_repeat(f: Fields) -> Repeat | None:
    spec = f.raw.get("every_year")
    if spec is None:
        return None
    where = spec if isinstance(spec, Mapping) else None
    if not isinstance(spec, dict) or not isinstance(spec.get("month"), int):
        raise f.fail("every_year", "needs month: 1–12 and day: or weekday: + nth:", where)
    month, day = spec["month"], spec.get("day")
    if not 1 <= month <= 12:
        raise f.fail("every_year.month", "must be 1–12", where)
    if day is not None:
        try:
            dt.date(2028, month, day)  # a leap year: 29 February is allowed
        except (TypeError, ValueError):
            raise f.fail("every_year.day", f"is not a day of month {month}", where) from None
        return Repeat(month=month, day=day)
    weekday, nth = spec.get("weekday"), spec.get("nth")
    if weekday not in _WEEKDAYS or nth not in (1, 2, 3, 4, -1):
        raise f.fail(
            "every_year",
            "needs day: N, or weekday: (monday…sunday) and nth: 1–4 or -1 (last)",
            where,
        )
    return Repeat(month=month, weekday=weekday, nth=nth)


def _parse_when(f: Fields) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime]:
    start = _moment(f, "start", required=True)
    end = _moment(f, "end", required=False)
    if end is None:
        end = start
    assert start is not None
    if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
        raise f.fail("end", "must be a day if start is a day, and a time if start is a time")
    if end < start:  # type: ignore[operator]
        raise f.fail("end", "is before start")
    return start, end


def _moment(f: Fields, key: str, required: bool) -> dt.date | dt.datetime | None:
    value = f.raw.get(key)
    if value is None:
        if required:
            raise f.fail(key, "is missing: write YYYY-MM-DD or 'YYYY-MM-DD HH:MM'")
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=HELSINKI) if value.tzinfo is None else value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            moment = dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M")
        except ValueError:
            pass
        else:
            return moment.replace(tzinfo=HELSINKI)
    raise f.fail(key, "must be YYYY-MM-DD (a whole day) or 'YYYY-MM-DD HH:MM' (Helsinki time)")


def _parse_place(f: Fields, area: dict[str, str]) -> Place:
    raw = f.raw.get("place")
    if raw is None:
        return Place()
    if not isinstance(raw, dict):
        raise f.fail("place", "must have village:, municipality:, address:, city: or country:")
    allowed = {"village", "municipality", "address", "city", "country"}
    for key in raw:
        if key not in allowed:
            raise f.fail(f"place.{key}", f"is unknown; use {', '.join(sorted(allowed))}", raw)
    values = {k: " ".join(str(raw.get(k) or "").split()) for k in allowed}
    municipality = values["municipality"]
    if municipality:
        if municipality.casefold() not in area:
            raise f.fail(
                "place.municipality",
                f"{municipality!r} is not a municipality of the project area "
                "(network.yaml 'area'); for other places use city: and country:",
                raw,
            )
        values["municipality"] = area[municipality.casefold()]
    return Place(**values)


# ----------------------------------------------------------------- the calendar

#: Functions that give funding deadlines as events: ``source(today) -> events``.
#: The catalogue's confirmed deadlines are the first; an expected-rounds source
#: (estimated dates, with their own source) can be appended here.
FundingSource = Callable[[dt.date], Iterable[Event]]


def catalogue_deadlines(today: dt.date) -> list[Event]:
    """The curated catalogue's confirmed next deadlines, as all-day events.

    Title, day, link, source and check date come from the catalogue entry and the fact
    named by its ``deadline_fact``; the UID is :func:`polarguide.export.event_uid`, so a
    calendar that also imports ``polarguide export ics`` does not get the deadline twice.

    >>> found = catalogue_deadlines(dt.date(2026, 1, 1))
    >>> all(e.kind == "deadline" and e.uid.endswith("@polarguide") for e in found)
    True
    """
    from .catalogue import load_catalogue
    from .dates import parse_date
    from .export import event_uid

    events = []
    for entry in load_catalogue().entries:
        if entry.next_deadline is None or entry.deadline_fact is None:
            continue
        fact = entry.facts[entry.deadline_fact]
        day = entry.next_deadline
        events.append(
            Event(
                id=f"deadline-{entry.id}",
                title={
                    lang: f"{_label('deadline', lang)}: {entry.text('name', lang)}"
                    for lang in ("fi", "en")
                },
                description={lang: fact.value(lang) for lang in ("fi", "en")},
                start=day,
                end=day,
                kind="deadline",
                audience=_deadline_audience(entry.route),
                url=entry.url,
                source_url=fact.source_url,
                checked=fact.checked,
                uid=event_uid(entry.id, parse_date(day)),  # type: ignore[arg-type]
                programme=entry.id,
                funding_query=entry.programme,
                file="catalogue.yaml",
            )
        )
    return events


def _deadline_audience(route: str) -> tuple[str, ...]:
    return {
        "youth": ("youth", "youth-workers", "organisations"),
        "community": ("communities", "organisations"),
        "regional": ("organisations", "communities"),
        "environment": ("organisations", "communities", "schools"),
    }.get(route, ("everyone",))


def expected_rounds(today: dt.date) -> list[Event]:
    """The catalogue's expected next rounds (:mod:`polarguide.rounds`) as all-day events
    over their window, titled as not confirmed. The source is the newest past round the
    window comes from; the link is where to confirm; the UID is
    :func:`polarguide.export.expected_uid`, as in ``polarguide export ics``.

    >>> found = {e.programme: e for e in expected_rounds(dt.date(2026, 12, 5))}
    >>> found["norden-0-30"].kind, found["norden-0-30"].uid
    ('expected', 'norden-0-30-expected-20270209@polarguide')
    >>> found["norden-0-30"].text("title", "en").startswith("Expected round, not confirmed")
    True
    """
    from .catalogue import load_catalogue
    from .export import expected_uid
    from .rounds import catalogue_expected, window_text

    cat = load_catalogue()
    events = []
    for entry in cat.entries:
        found = catalogue_expected(entry.id, today, cat) if entry.rounds else None
        if found is None:
            continue
        expected, pattern = found
        fact = cat.fact(expected.facts[-1]) if expected.facts else None
        if fact is None:  # an expectation without a sourced past round is not shown
            continue
        description = {
            lang: f"{window_text(expected, lang)}. {_label('confirm', lang)}: "
            f"{pattern.confirm.get(lang, '')} {pattern.confirm_url}".strip()
            for lang in ("fi", "en")
        }
        events.append(
            Event(
                id=f"expected-{entry.id}",
                title={
                    lang: f"{_label('expected', lang)}: {entry.text('name', lang)}"
                    for lang in ("fi", "en")
                },
                description=description,
                start=expected.start,
                end=expected.end,
                kind="expected",
                audience=_deadline_audience(entry.route),
                url=pattern.confirm_url or entry.url,
                source_url=fact.source_url,
                checked=fact.checked,
                uid=expected_uid(entry.id, expected.start),
                programme=entry.id,
                funding_query=entry.programme,
                file="catalogue.yaml",
            )
        )
    return events


FUNDING_SOURCES: list[FundingSource] = [catalogue_deadlines, expected_rounds]


def calendar(
    today: dt.date,
    *,
    path: str | Path | None = None,
    funding: bool = True,
    sources: Sequence[FundingSource] | None = None,
) -> list[Event]:
    """Every event around ``today``, sorted by start: one-off events, yearly days in the
    years from ``today.year - 1`` to ``today.year + 1``, and funding deadlines.

    >>> cal = calendar(dt.date(2026, 12, 5), funding=False)
    >>> [e.start for e in cal if e.id == "sami-national-day"]
    [datetime.date(2025, 2, 6), datetime.date(2026, 2, 6), datetime.date(2027, 2, 6)]
    >>> len({e.uid for e in cal}) == len(cal)
    True
    """
    book = load_events(path)
    events = list(book.events)
    for template, repeat, until in book.yearly:
        for year in range(today.year - YEARS_BACK, today.year + YEARS_AHEAD + 1):
            if until is not None and year > until:
                continue
            day = repeat.on(year)
            events.append(
                dataclasses.replace(
                    template, start=day, end=day, uid=f"{template.id}-{day:%Y%m%d}@{UID_DOMAIN}"
                )
            )
    if funding:
        for source in FUNDING_SOURCES if sources is None else sources:
            events.extend(source(today))
    events.sort(key=lambda e: (_sort_key(e.start), e.id))
    return events


def _sort_key(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.astimezone(UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=HELSINKI).astimezone(UTC)


def upcoming(events: Iterable[Event], today: dt.date) -> list[Event]:
    """Events that have not ended before ``today`` (Helsinki), soonest first.

    >>> cal = calendar(dt.date(2026, 12, 5))
    >>> all(e.last_day >= dt.date(2026, 12, 5) for e in upcoming(cal, dt.date(2026, 12, 5)))
    True
    """
    return sorted((e for e in events if e.last_day >= today), key=lambda e: _sort_key(e.start))


def past(events: Iterable[Event], today: dt.date) -> list[Event]:
    """Events that ended before ``today``, most recent first.

    >>> cal = calendar(dt.date(2026, 12, 5))
    >>> ended = past(cal, dt.date(2026, 12, 5))
    >>> ended[0].last_day >= ended[-1].last_day
    True
    """
    return sorted(
        (e for e in events if e.last_day < today), key=lambda e: _sort_key(e.start), reverse=True
    )


def select(
    events: Iterable[Event],
    *,
    municipality: str | None = None,
    audience: str | None = None,
    kinds: Sequence[str] | None = None,
    strict: bool = False,
    programme: str | None = None,
) -> list[Event]:
    """Filter events. ``municipality`` keeps events held there and, unless ``strict``,
    events you can join from anywhere (online, theme days, deadlines). ``audience``
    keeps events for that audience or for everyone. ``programme`` (a catalogue entry id
    such as ``norden-0-30`` or a programme code such as ``ERASMUS``, any case) keeps the
    events about that funding: its deadlines and expected rounds, and events whose fitting
    funding search names it.

    >>> cal = calendar(dt.date(2026, 12, 5))
    >>> [e.kind for e in select(cal, programme="norden-0-30")]
    ['expected']
    >>> all(e.municipality in ("Kuusamo", "") for e in select(cal, municipality="kuusamo"))
    True
    >>> select(cal, municipality="Helsinki")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    polarguide.errors.InputError: 'Helsinki' is not a municipality of the project area; try e.g. ...
    """
    from .errors import InputError
    from .network import load_network

    chosen = list(events)
    if municipality:
        area = load_network().area
        names = {m.casefold(): m for m in area}
        if municipality.casefold() not in names:
            import difflib

            close = difflib.get_close_matches(municipality, area, n=3, cutoff=0.6)
            hint = ", ".join(close or ["Kuusamo", "Posio", "Taivalkoski"])
            raise InputError(
                f"{municipality!r} is not a municipality of the project area; try e.g. {hint}"
            )
        wanted = names[municipality.casefold()]
        chosen = [
            e
            for e in chosen
            if e.municipality == wanted or (not strict and not e.municipality and not e.place.city)
        ]
    if audience:
        if audience not in AUDIENCES:
            raise InputError(f"unknown audience {audience!r}: use one of {', '.join(AUDIENCES)}")
        chosen = [e for e in chosen if audience in e.audience or "everyone" in e.audience]
    if kinds:
        chosen = [e for e in chosen if e.kind in kinds]
    if programme:
        wanted = programme.strip().casefold()
        chosen = [
            e
            for e in chosen
            if e.programme.casefold() == wanted or wanted in e.funding_query.casefold().split()
        ]
    return chosen


# ----------------------------------------------------------------- exports

#: Columns of the JSON and CSV exports, in order.
FIELDS = (
    "uid",
    "id",
    "kind",
    "title",
    "start",
    "end",
    "all_day",
    "municipality",
    "where",
    "remote",
    "audience",
    "languages",
    "organiser",
    "registration",
    "url",
    "description",
    "source_url",
    "checked",
)


def as_rows(events: Iterable[Event], lang: str = "fi") -> list[dict[str, Any]]:
    """Plain dictionaries (the JSON/CSV export): ISO dates, Helsinki times, texts in ``lang``.

    >>> e = Event("x", {"fi": "A", "en": "B"}, {"fi": "", "en": ""},
    ...           dt.datetime(2027, 1, 10, 10, 0, tzinfo=HELSINKI),
    ...           dt.datetime(2027, 1, 10, 12, 0, tzinfo=HELSINKI), remote="https://meet.example",
    ...           source_url="https://e.org", checked=dt.date(2026, 12, 5), uid="x@e")
    >>> row = as_rows([e], "en")[0]
    >>> row["start"], row["where"], row["all_day"]
    ('2027-01-10T10:00:00+02:00', 'online', False)
    """
    check_lang(lang)
    rows = []
    for e in events:
        rows.append(
            {
                "uid": e.uid,
                "id": e.id,
                "kind": e.kind,
                "title": e.text("title", lang),
                "start": _iso(e.start),
                "end": _iso(e.end),
                "all_day": e.all_day,
                "municipality": e.municipality,
                "where": e.where(lang),
                "remote": e.remote,
                "audience": list(e.audience),
                "languages": list(e.languages),
                "organiser": e.organiser,
                "registration": e.registration,
                "url": e.url,
                "description": e.text("description", lang),
                "source_url": e.source_url,
                "checked": e.checked.isoformat() if e.checked else "",
            }
        )
    return rows


def _iso(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(HELSINKI).isoformat()
    return value.isoformat()


def to_json(events: Iterable[Event], lang: str = "fi") -> str:
    """The events as a JSON list (fields :data:`FIELDS`).

    >>> json.loads(to_json([], "en"))
    []
    """
    return json.dumps(as_rows(events, lang), ensure_ascii=False, indent=2)


def to_csv(events: Iterable[Event], lang: str = "fi") -> str:
    """The events as CSV that Excel opens (UTF-8 with BOM; lists joined with ``"; "``).

    >>> to_csv([], "fi").splitlines()[0].lstrip("\\ufeff")[:22]
    'uid,id,kind,title,star'
    """
    import csv
    import io

    from .export import BOM, LIST_SEPARATOR

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in as_rows(events, lang):
        writer.writerow(
            {k: LIST_SEPARATOR.join(v) if isinstance(v, list) else v for k, v in row.items()}
        )
    return BOM + buffer.getvalue()


def to_table(events: Sequence[Event], lang: str = "fi") -> str:
    """A plain-text table for the terminal: day(s), title, where.

    >>> print(to_table([], "en"))
    No events for this choice.
    """
    check_lang(lang)
    if not events:
        return _label("none", lang)
    header = [_label("start", lang), _label("title", lang), _label("where", lang)]
    rows = [[_when(e), _cut(e.text("title", lang), 60), _cut(e.where(lang), 32)] for e in events]
    sizes = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(s) for h, s in zip(header, sizes, strict=True)).rstrip()]
    lines.append("  ".join("-" * s for s in sizes))
    lines += ["  ".join(c.ljust(s) for c, s in zip(r, sizes, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def _when(e: Event) -> str:
    if e.all_day:
        return str(e.first_day) if e.first_day == e.last_day else f"{e.first_day}–{e.last_day}"
    start = e.start.astimezone(HELSINKI)  # type: ignore[union-attr]
    return f"{start:%Y-%m-%d %H:%M}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_ics(events: Iterable[Event], lang: str = "fi") -> bytes:
    """An iCalendar file: one VEVENT per event with its stable UID; whole days as all-day
    events (``VALUE=DATE``, ``DTEND`` the day after), timed events in UTC. ``DTSTAMP`` is
    the day the entry was checked, so the same data always gives the same bytes.

    >>> cal = calendar(dt.date(2026, 12, 5))
    >>> text = to_ics(upcoming(cal, dt.date(2026, 12, 5)), "en").decode()
    >>> "DTSTART;VALUE=DATE:20270323" in text, "UID:nordic-day-20270323@events.polarguide" in text
    (True, True)
    """
    from icalendar import Event as VEvent

    from .export import new_calendar

    check_lang(lang)
    ical = new_calendar(_label("calname", lang))
    for e in events:
        item = VEvent()
        item.add("uid", e.uid)
        checked = e.checked or dt.date(2000, 1, 1)
        item.add("dtstamp", dt.datetime(checked.year, checked.month, checked.day, tzinfo=UTC))
        if e.all_day:
            item.add("dtstart", e.first_day)
            item.add("dtend", e.last_day + dt.timedelta(days=1))
        else:
            item.add("dtstart", e.start.astimezone(UTC))  # type: ignore[union-attr]
            item.add("dtend", e.end.astimezone(UTC))  # type: ignore[union-attr]
        item.add("summary", e.text("title", lang))
        item.add("description", _ics_description(e, lang))
        if e.where(lang) and (e.place.text() or e.remote):
            item.add("location", e.remote if e.remote and not e.place.text() else e.where(lang))
        link = e.registration or e.url or e.source_url
        item.add("url", link)
        if e.organiser:
            item.add("x-polarguide-organiser", e.organiser)
        item.add("categories", [e.kind])
        ical.add_component(item)
    return ical.to_ical()


def _ics_description(e: Event, lang: str) -> str:
    parts = [e.text("description", lang)]
    if e.registration:
        parts.append(f"{_label('register', lang)}: {e.registration}")
    if e.organiser:
        parts.append(f"{_label('organiser', lang)}: {e.organiser}")
    checked = e.checked.isoformat() if e.checked else "?"
    parts.append(f"{_label('source', lang)}: {e.source_url} ({_label('checked', lang)} {checked})")
    return "\n\n".join(p for p in parts if p)


#: Output formats of :func:`render`.
FORMATS = ("table", "json", "csv", "ics")


def render(events: Sequence[Event], fmt: str, lang: str = "fi") -> bytes:
    """The events in ``fmt`` (``table``, ``json``, ``csv`` or ``ics``) as bytes.

    >>> render([], "json")
    b'[]'
    """
    from .errors import InputError

    if fmt == "table":
        return (to_table(events, lang) + "\n").encode("utf-8")
    if fmt == "json":
        return to_json(events, lang).encode("utf-8")
    if fmt == "csv":
        return to_csv(events, lang).encode("utf-8")
    if fmt == "ics":
        return to_ics(events, lang)
    raise InputError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


# ----------------------------------------------------------------- command line


def add_cli_parser(commands: Any) -> None:
    """Add the ``events`` command to the ``polarguide`` command line's subparsers.

    It has its own ``--format`` (``table``, ``json``, ``csv`` or ``ics``).

    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> add_cli_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["events", "--past", "--format", "ics"])
    >>> args.past, args.format
    (True, 'ics')
    """
    import argparse

    suppress = argparse.SUPPRESS
    p = commands.add_parser("events", help="events and deadlines (upcoming, or --past)")
    p.add_argument("--lang", choices=("fi", "en"), default=suppress, help="language (fi/en)")
    p.add_argument("--format", choices=FORMATS, default=suppress, help="output format")
    p.add_argument("--today", default=suppress, metavar="YYYY-MM-DD", help="reference day")
    p.add_argument("--quiet", action="store_true", default=suppress, help=suppress)
    p.add_argument("--past", action="store_true", help="events that have ended, newest first")
    p.add_argument("--municipality", metavar="NAME", help="held there, or joinable from anywhere")
    p.add_argument("--audience", choices=AUDIENCES, help="for this audience (or everyone)")
    p.add_argument("--programme", metavar="NAME", help="about this funding, e.g. norden-0-30, LIFE")
    p.add_argument("--no-funding", action="store_true", help="leave out funding deadlines")
    p.add_argument("--file", metavar="PATH", help="events file to read (default: the bundled one)")
    p.add_argument("--output", "-o", metavar="PATH", help="write to a file instead of the screen")


def run_cli(args: Any, *, lang: str, today: dt.date) -> int:
    """Run ``polarguide events`` with parsed ``args``; return the exit code.

    >>> import argparse
    >>> ns = argparse.Namespace(past=False, municipality=None, audience=None, no_funding=True,
    ...                         file=None, output=None, format="json")
    >>> run_cli(ns, lang="en", today=dt.date(2026, 12, 5))  # doctest: +ELLIPSIS
    [
      {
        "uid": "sami-national-day-20270206@events.polarguide",
    ...
    0
    """
    import sys

    events = calendar(today, path=args.file, funding=not args.no_funding)
    chosen = past(events, today) if args.past else upcoming(events, today)
    chosen = select(
        chosen,
        municipality=args.municipality,
        audience=args.audience,
        programme=getattr(args, "programme", None),
    )
    fmt = getattr(args, "format", "table")
    payload = render(chosen, fmt, lang)
    if args.output:
        from .export import write_atomically

        path = write_atomically(args.output, payload)
        print(f"{len(chosen)} → {path}", file=sys.stderr)
    elif fmt == "ics":
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
    else:
        sys.stdout.write(payload.decode("utf-8").lstrip("\ufeff").rstrip("\n") + "\n")
    return 0
