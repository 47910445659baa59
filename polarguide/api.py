"""The public face: one call for each thing a user of polarguide does.

Everything here is re-exported at the top level, so a notebook or script needs only::

    import polarguide as pg

    records = pg.load()                       # the freshest calls + the guide's programmes
    hits = pg.search(records, "nuorisovaihto ilmasto", profile="polar", limit=5)
    print(pg.about(records))                  # how old the data is, how to refresh it
    pg.plan(hits.iloc[0]["identifier"], records).write("plan.md")

"Today" is :func:`today`: today in Helsinki, or the day ``$POLARGUIDE_TODAY`` pins (the one
setting that makes a run reproducible; the book build and the tests use it).

>>> import polarguide as pg
>>> records = pg.load("en")
>>> records.attrs["origin"] in ("bundled", "cache"), len(records) > 700
(True, True)
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .dates import helsinki_day, parse_date, reference_day
from .errors import InputError
from .i18n import check_lang, current_language, format_date, label

if TYPE_CHECKING:
    import pandas as pd

    from .plan import Plan

#: Where the data in ``records.attrs`` comes from (see :func:`load`).
ATTRS = ("retrieved_at", "data_day", "origin", "path", "lang")


def today(value: dt.date | str | None = None) -> dt.date:
    """The day that "open" and "days left" are counted from (Helsinki time).

    ``value`` if given, else ``$POLARGUIDE_TODAY`` (``YYYY-MM-DD``) if set, else today in
    Helsinki.

    >>> today("2026-12-05")
    datetime.date(2026, 12, 5)
    """
    return reference_day(value)


def load(
    lang: str | None = None,
    *,
    kind: str = "all",
    warn: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Every record: EU portal calls from the freshest data, plus the guide's programmes.

    The calls come from the user cache that :func:`update` writes or from the snapshot
    bundled with the package, whichever was fetched later. The curated programmes
    (Erasmus+, Solidarity Corps, Nordic, Leader …) come in ``lang`` (``"fi"`` or ``"en"``;
    default: ``$POLARGUIDE_LANG``, else Finnish). ``kind`` is ``"all"``, ``"calls"`` or
    ``"programmes"``. Problems with the cache (e.g. a corrupt file) go to ``warn`` (default:
    a Python warning) and the bundled data is used.

    The columns are documented in :data:`polarguide.records.COLUMNS`. Where the calls came
    from is on the result's ``attrs``: ``retrieved_at`` (UTC), ``data_day`` (its Helsinki
    day), ``origin`` (``"cache"`` or ``"bundled"``), ``path`` and ``lang``.

    >>> records = load("fi", kind="calls")
    >>> set(records["kind"]), records.attrs["data_day"] >= dt.date(2026, 8, 22)
    ({'call'}, True)
    >>> load(kind="everything")
    Traceback (most recent call last):
    ...
    polarguide.errors.InputError: unknown kind 'everything': use all, calls or programmes
    """
    import pandas as pd

    from .records import conform, empty_records

    lang = check_lang(lang or current_language())
    if kind not in ("all", "calls", "programmes"):
        raise InputError(f"unknown kind {kind!r}: use all, calls or programmes")
    frames = []
    attrs: dict[str, Any] = dict.fromkeys(ATTRS)
    attrs["lang"] = lang
    if kind in ("all", "calls"):
        from .store import default_warn, load_current

        snapshot = load_current(warn=warn or default_warn)
        frames.append(snapshot.records)
        retrieved = snapshot.retrieved_at
        attrs.update(
            retrieved_at=retrieved,
            data_day=helsinki_day(retrieved) if retrieved else None,
            origin=snapshot.meta.get("origin"),
            path=snapshot.meta.get("path"),
        )
    if kind in ("all", "programmes"):
        from .catalogue import catalogue_records

        frames.append(catalogue_records(lang))
    frames = [f for f in frames if len(f)]
    records = conform(pd.concat(frames, ignore_index=True)) if frames else empty_records()
    records.attrs.update(attrs)
    return records


def data_age(records: pd.DataFrame, today: dt.date | str | None = None) -> int | None:
    """How many days old the calls in ``records`` (from :func:`load`) are, on ``today``.

    ``None`` when the records do not say when they were fetched.

    >>> records = load("fi", kind="calls")
    >>> data_age(records, records.attrs["data_day"] + dt.timedelta(days=3))
    3
    """
    day = records.attrs.get("data_day")
    return None if day is None else (reference_day(today) - day).days


def about(
    records: pd.DataFrame, *, today: dt.date | str | None = None, lang: str | None = None
) -> str:
    """A few plain sentences: where the calls come from, how old they are, how to refresh.

    Says so plainly when the data is older than two weeks, and what happens offline.

    >>> records = load("en", kind="calls")
    >>> print(about(records, today=records.attrs["data_day"]))  # doctest: +ELLIPSIS
    EU calls: fetched from the Funding & Tenders Portal on ... Today is ...
    """
    from .store import STALE_AFTER_DAYS

    lang = check_lang(lang or records.attrs.get("lang") or current_language())
    day = reference_day(today)
    fetched = records.attrs.get("data_day")
    origin = records.attrs.get("origin")
    fi = lang == "fi"
    where = {
        "bundled": ("oppaan mukana tulleet tiedot", "the data that came with the guide"),
        "cache": ("koneellesi päivitetyt tiedot", "the data updated on this computer"),
    }.get(origin or "", ("", ""))[0 if fi else 1]
    lines = []
    if fetched is None:
        lines.append(
            "EU-hauista ei tiedetä, milloin ne haettiin."
            if fi
            else "It is not known when the EU calls were fetched."
        )
    else:
        when = format_date(fetched, lang)
        lines.append(
            f"EU-haut: haettu rahoitusportaalista {when} ({where})."
            if fi
            else f"EU calls: fetched from the Funding & Tenders Portal on {when} ({where})."
        )
    age = data_age(records, day)
    lines.append(
        f"Tänään on {format_date(day, lang)}." if fi else f"Today is {format_date(day, lang)}."
    )
    if age is not None and age > STALE_AFTER_DAYS:
        lines.append(
            f"Tiedot ovat {age} päivää vanhoja: osa hauista on jo voinut sulkeutua tai muuttua."
            if fi
            else f"The data is {age} days old: some calls may have closed or changed."
        )
    if age is None or age > STALE_AFTER_DAYS:
        lines.append(
            "Päivitä tiedot, kun verkko toimii: aja pg.update() tai komentorivillä "
            "`polarguide update`. Ilman verkkoa päivitys ei onnistu, ja vanhat tiedot "
            "jäävät käyttöön."
            if fi
            else "Refresh them when you are online: run pg.update(), or `polarguide update` "
            "on the command line. Offline the update fails and the old data stays in use."
        )
    return " ".join(lines)


def find(records: pd.DataFrame, identifier: str) -> pd.Series:
    """The record whose identifier is ``identifier`` (any case).

    An unknown identifier raises :class:`~polarguide.errors.InputError` with the closest
    known ones.

    >>> records = load("en", kind="programmes")
    >>> find(records, "ERASMUS-YOUTH-EXCHANGES-KA152")["kind"]
    'programme'
    >>> find(records, "erasmus-youth-exchange-ka152")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    polarguide.errors.InputError: unknown ID 'erasmus-youth-exchange-ka152'; did you mean ...
    """
    import difflib

    wanted = str(identifier).strip()
    match = records[records["identifier"].str.casefold() == wanted.casefold()]
    if match.empty:
        known = records["identifier"].dropna().astype(str)
        close = difflib.get_close_matches(wanted.casefold(), known.str.casefold(), n=3)
        originals = {k.casefold(): k for k in known}
        hint = f"; did you mean {', '.join(originals[c] for c in close)}?" if close else ""
        raise InputError(f"unknown ID {wanted!r}{hint}")
    return match.iloc[0]


def _record(target: Any, records: pd.DataFrame | None, lang: str) -> Any:
    """A record from a record itself (row or dict) or from an identifier."""
    if isinstance(target, str):
        return find(records if records is not None else load(lang), target)
    return target


def describe(
    target: Any,
    records: pd.DataFrame | None = None,
    *,
    lang: str | None = None,
    today: dt.date | str | None = None,
) -> str:
    """A plain-language summary of one call or programme: what, who, deadline, where.

    ``target`` is an identifier (looked up in ``records``, default :func:`load`) or a
    record (a row of a search result).

    >>> print(describe("erasmus-youth-exchanges-ka152", lang="en"))  # doctest: +ELLIPSIS
    Erasmus+ Youth Exchanges (erasmus-youth-exchanges-ka152)
    ...
    """
    from .summary import call_summary

    lang = check_lang(lang or current_language())
    return call_summary(_record(target, records, lang), lang, today=reference_day(today))


def plan(
    target: Any,
    records: pd.DataFrame | None = None,
    *,
    lang: str | None = None,
    today: dt.date | str | None = None,
    start: dt.date | str | None = None,
    deadline: dt.date | dt.datetime | str | None = None,
) -> Plan:
    """An application plan for one call or programme: steps counted back from the deadline.

    ``target`` is an identifier (looked up in ``records``, default :func:`load`) or a
    record. The plan has ``steps``, ``checklist`` and ``warnings``, and writes itself as
    Markdown or iCalendar with ``plan.write("plan.md")`` / ``plan.write("plan.ics")``. A
    programme without a known deadline needs ``deadline``; see
    :func:`polarguide.plan.make_plan` for the rules.

    >>> p = plan("erasmus-youth-exchanges-ka152", lang="en", today="2026-12-05",
    ...          deadline="2027-02-12")
    >>> p.deadline_day, p.steps[0].title
    (datetime.date(2027, 2, 12), 'Partner search')
    """
    from .plan import make_plan

    lang = check_lang(lang or current_language())
    record = _record(target, records, lang)
    return make_plan(record, lang=lang, today=reference_day(today), start=start, deadline=deadline)


def to_ics(
    records: pd.DataFrame, path: str | Path | None = None, *, lang: str | None = None
) -> bytes:
    """The deadlines of ``records`` as an iCalendar file (one event per deadline).

    With ``path`` the file is also written there, atomically (a failure never leaves a
    half-written file). Returns the bytes either way.

    >>> import tempfile, os
    >>> records = load("en", kind="calls").head(3)
    >>> data = to_ics(records, os.path.join(tempfile.mkdtemp(), "deadlines.ics"))
    >>> data.startswith(b"BEGIN:VCALENDAR")
    True
    """
    from .export import to_ics as calendar_bytes
    from .export import write_atomically

    lang = check_lang(lang or current_language())
    payload = calendar_bytes(records, lang)
    if path is not None:
        write_atomically(path, payload)
    return payload


def say(text: object, width: int = 38) -> None:
    """Print ``text`` in short lines, so that it reads well on a phone screen too.

    >>> say("Erasmus+ youth exchanges bring groups of young people together.", width=30)
    Erasmus+ youth exchanges bring
    groups of young people
    together.
    """
    for line in str(text).split("\n"):
        print(textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False))


def view(records: pd.DataFrame, columns: Sequence[str], lang: str | None = None) -> pd.DataFrame:
    """A few columns with headings in ``lang``, rows numbered from 1: fits a phone screen.

    Deadlines are shown as Helsinki days. ``lang`` defaults to the records' own language.

    >>> records = load("en", kind="programmes")
    >>> list(view(records.head(2), ["title", "status"]).columns)
    ['Title', 'Status']
    """
    lang = check_lang(lang or records.attrs.get("lang") or current_language())
    shown = records[list(columns)].copy()
    for column in ("next_deadline", "opening_date"):
        if column in shown:
            shown[column] = shown[column].map(_day_text)
    shown = shown.rename(columns=lambda c: label(c, lang))
    shown.index = range(1, len(shown) + 1)
    from .viewtable import ViewTable  # (also a Markdown table: the PDF shows it as a table)

    return ViewTable(shown)


def _day_text(value: Any) -> Any:
    moment = parse_date(value)
    return helsinki_day(moment) if moment is not None else None


def fact_text(ref: str, lang: str | None = None) -> str:
    """One fact of the guide's catalogue with its programme, source and check date.

    ``ref`` is ``entry-id.fact_key`` as the book cites it. An unknown reference raises
    :class:`~polarguide.errors.InputError`.

    >>> print(fact_text("norden-0-30.nordic_funding_cap", "en"))  # doctest: +ELLIPSIS
    Norden 0–30...:
    ...
    Source: https://...
    Checked ...
    """
    from .catalogue import load_catalogue

    lang = check_lang(lang or current_language())
    catalogue = load_catalogue()
    fact = catalogue.fact(ref)
    name = catalogue.get(ref.split(".")[0]).text("name", lang)
    source, checked, secondary = {
        "fi": ("Lähde", "Tarkistettu", "toissijainen lähde"),
        "en": ("Source", "Checked", "secondary source"),
    }[lang]
    note = f" ({secondary})" if fact.secondary else ""
    return "\n".join(
        [
            f"{name}:",
            fact.value(lang),
            f"{source}{note}: {fact.source_url}",
            f"{checked} {format_date(fact.checked, lang)}",
        ]
    )


def event_calendar(
    *,
    today: dt.date | str | None = None,
    past: bool = False,
    municipality: str | None = None,
    audience: str | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """The events calendar as a table: workshops, theme days and funding dates, soonest first.

    Upcoming events by default (``past=True``: those already over, latest first), filtered by
    ``municipality`` (events held there and those you can join from anywhere) and
    ``audience``. Funding deadlines and expected rounds come from the catalogue. Columns
    as in ``polarguide events --format csv``; one row per event.

    >>> upcoming = event_calendar(today="2026-12-05", lang="en")
    >>> len(upcoming) > 0, upcoming["start"].is_monotonic_increasing
    (True, True)
    """
    import importlib

    import pandas as pd

    calendar_module = importlib.import_module("polarguide.events")

    lang = check_lang(lang or current_language())
    day = reference_day(today)
    everything = calendar_module.calendar(day)
    chosen = (calendar_module.past if past else calendar_module.upcoming)(everything, day)
    chosen = calendar_module.select(chosen, municipality=municipality, audience=audience)
    return pd.DataFrame(calendar_module.as_rows(chosen, lang))


def organisations(*, municipality: str | None = None, lang: str | None = None) -> pd.DataFrame:
    """The Polar Magnets network: organisations in the project area and nearby, with contacts.

    Each row is one organisation (what it does, municipalities, how to contact it as it
    publishes, source and check date); ``municipality`` keeps those working there.

    >>> orgs = organisations(municipality="Taivalkoski", lang="en")
    >>> "Taivalkoski" in orgs["municipalities"].iloc[0]
    True
    """
    import pandas as pd

    from .network import as_rows, load_network, select

    lang = check_lang(lang or current_language())
    chosen = select(load_network().organisations, municipality=municipality)
    return pd.DataFrame(as_rows(chosen, lang))
