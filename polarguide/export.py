"""Exports: CSV for Excel, JSON for programs, iCalendar for calendars.

>>> import pandas as pd
>>> from polarguide.records import conform
>>> frame = conform(pd.DataFrame({"identifier": ["A-1"], "keywords": [["youth", "rural"]],
...     "deadlines": [["2027-03-05T16:00:00Z"]]}))
>>> to_csv(frame[["identifier", "keywords", "deadlines"]]).splitlines()[1]
'A-1,youth; rural,2027-03-05'
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .atomic import write_atomically
from .dates import HELSINKI, UTC, is_date_only, parse_date
from .i18n import check_lang, label
from .records import is_missing as _is_missing
from .records import json_value as _json_value
from .summary import call_summary

if TYPE_CHECKING:
    import pandas as pd

BOM = "\ufeff"
LIST_SEPARATOR = "; "
ALARM_DAYS = 7


def _cell(value: Any, decimal: str = ".") -> str:
    """A CSV cell: lists joined by ``"; "``, timestamps as Helsinki ``YYYY-MM-DD``."""
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and not _scalar(value)):
        return LIST_SEPARATOR.join(_cell(v, decimal) for v in list(value))
    if _is_missing(value):
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(HELSINKI).date().isoformat() if value.tzinfo else str(value.date())
    if hasattr(value, "item") and _scalar(value):
        value = value.item()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
        return text.replace(".", decimal)
    return str(value)


def _scalar(value: Any) -> bool:
    return getattr(value, "ndim", 0) == 0


def to_csv(
    df: pd.DataFrame, target: str | Path | IO[str] | None = None, *, sep: str = ","
) -> str | None:
    """Write records as CSV that Excel opens correctly (UTF-8 with BOM).

    Lists are joined with ``"; "``, dates are Helsinki ``YYYY-MM-DD``; ``sep=";"`` is for
    Finnish Excel and also writes decimal commas. Returns the text (starting with the
    BOM) when ``target`` is ``None``; otherwise writes it to the path or text file.

    >>> import pandas as pd
    >>> to_csv(pd.DataFrame({"a": [1.0, 2.5], "b": ["x", None]}), sep=";")
    '\\ufeffa;b\\n1;x\\n2,5;\\n'
    """
    if sep not in {",", ";", "\t"}:
        from .errors import InputError

        raise InputError(f"unsupported CSV separator {sep!r}: use ',', ';' or a tab")
    import pandas as pd

    decimal = "," if sep == ";" else "."
    frame = pd.DataFrame(
        {c: [_cell(v, decimal) for v in df[c]] for c in df.columns}, columns=list(df.columns)
    )
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, sep=sep, lineterminator="\n")
    text = BOM + buffer.getvalue()
    if target is None:
        return text
    if isinstance(target, (str, Path)):
        Path(target).write_text(text, encoding="utf-8", newline="")
    else:
        target.write(text)
    return None


def to_json(df: pd.DataFrame, *, indent: int | None = None) -> str:
    """Records as a JSON list of objects; ISO 8601 dates (UTC), NaN/NaT as ``null``.

    >>> import pandas as pd
    >>> to_json(pd.DataFrame({"n": [float("nan")], "d": [pd.Timestamp("2027-03-05", tz="UTC")]}))
    '[{"n": null, "d": "2027-03-05T00:00:00+00:00"}]'
    """
    rows = [
        {str(k): _json_value(v) for k, v in zip(df.columns, row, strict=True)}
        for row in df.itertuples(index=False, name=None)
    ]
    return json.dumps(rows, ensure_ascii=False, indent=indent)


def event_uid(identifier: str, deadline: dt.datetime) -> str:
    """Stable event UID, so importing again updates the event instead of duplicating it.

    The date is the deadline's UTC calendar date.

    >>> event_uid("LIFE-2026-SAP-NAT-NATURE", parse_date("2026-09-22T00:00:00Z"))
    'LIFE-2026-SAP-NAT-NATURE-20260922@polarguide'
    """
    return f"{identifier}-{deadline.astimezone(UTC):%Y%m%d}@polarguide"


def new_calendar(name: str) -> Any:
    """An empty :class:`icalendar.Calendar` with polarguide's PRODID and the name ``name``.

    >>> calendar = new_calendar("polarguide: Deadlines")
    >>> str(calendar["prodid"]), str(calendar["x-wr-calname"])
    ('-//polarguide//Polar Magnets funding deadlines//FI', 'polarguide: Deadlines')
    """
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//polarguide//Polar Magnets funding deadlines//FI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def deadline_event(row: dict[str, Any], moment: dt.datetime, lang: str = "fi") -> Any:
    """The calendar event of one deadline of one record, with a reminder 7 days before.

    ``DTSTART`` is the deadline moment in UTC; ``DTSTAMP`` is the record's
    ``retrieved_at``, so the same input always gives the same event.

    >>> event = deadline_event({"identifier": "A-1", "title": "Nature"},
    ...                        parse_date("2027-03-05T16:00:00Z"), "en")
    >>> str(event["uid"]), str(event["summary"])
    ('A-1-20270305@polarguide', 'Deadline: Nature (?)')
    """
    from icalendar import Alarm, Event

    stamp = parse_date(row.get("retrieved_at")) or dt.datetime(2000, 1, 1, tzinfo=UTC)
    moment = moment.astimezone(UTC)
    event = Event()
    event.add("uid", event_uid(str(row.get("identifier")), moment))
    event.add("dtstamp", stamp.astimezone(UTC))
    if is_date_only(moment):  # the day is known, the time is not: an all-day event
        event.add("dtstart", moment.date())
        event.add("dtend", moment.date() + dt.timedelta(days=1))
    else:
        event.add("dtstart", moment)
        event.add("dtend", moment)
    what = _text(row, "title") or _text(row, "identifier")
    prefix = "Määräaika" if lang == "fi" else "Deadline"
    event.add("summary", f"{prefix}: {what} ({_text(row, 'programme') or '?'})")
    detail = {**row, "deadlines": [moment]}
    event.add("description", call_summary(detail, lang, _day_of(moment), days=False))
    if _text(row, "url"):
        event.add("url", _text(row, "url"))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add(
        "description",
        f"{prefix} {ALARM_DAYS} pv: {what}"
        if lang == "fi"
        else f"{prefix} in {ALARM_DAYS} days: {what}",
    )
    alarm.add("trigger", dt.timedelta(days=-ALARM_DAYS))
    event.add_component(alarm)
    return event


def to_ics(df: pd.DataFrame, lang: str = "fi") -> bytes:
    """An iCalendar file with one event per (record, deadline) and a reminder 7 days before.

    A search result with status ``expected`` also gets one all-day event over the window
    of its expected round (:func:`expected_event`): labelled as not confirmed, no reminder.

    ``DTSTART`` is the deadline moment in UTC (portal deadlines keep their real time,
    e.g. 17:00 Brussels); ``DTSTAMP`` is the record's ``retrieved_at``, so the same
    input always gives the same bytes.

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> frame = conform(pd.DataFrame({"identifier": ["A-1"], "title": ["Nature"],
    ...     "deadlines": [["2027-03-05T16:00:00Z"]], "retrieved_at": ["2026-08-22T05:00:00Z"]}))
    >>> ics = to_ics(frame, "en").decode()
    >>> "UID:A-1-20270305@polarguide" in ics, "DTSTART:20270305T160000Z" in ics
    (True, True)
    """
    check_lang(lang)
    calendar = new_calendar("polarguide: " + label("deadlines", lang))
    seen: set[str] = set()
    for row in df.to_dict(orient="records"):
        for moment in deadline_moments(row.get("deadlines")):
            uid = event_uid(str(row.get("identifier")), moment)
            if uid in seen:  # the same call listed twice
                continue
            seen.add(uid)
            calendar.add_component(deadline_event(row, moment, lang))
        window = _expected_window(row)
        if window is not None and expected_uid(str(row.get("identifier")), window[0]) not in seen:
            seen.add(expected_uid(str(row.get("identifier")), window[0]))
            calendar.add_component(expected_event(row, *window, lang=lang))
    return calendar.to_ical()


def _expected_window(row: dict[str, Any]) -> tuple[dt.date, dt.date] | None:
    """The expected round of a row: from a search result (status ``expected``), or for a
    recurring programme straight from :func:`polarguide.load`, computed for today
    (:func:`polarguide.dates.reference_day`); else ``None``.

    >>> from polarguide.catalogue import catalogue_records
    >>> row = catalogue_records("en").set_index("identifier", drop=False).loc["norden-0-30"]
    >>> import os; os.environ["POLARGUIDE_TODAY"] = "2026-12-05"
    >>> _expected_window(row.to_dict())
    (datetime.date(2027, 2, 9), datetime.date(2027, 2, 11))
    >>> del os.environ["POLARGUIDE_TODAY"]
    """
    if "expected_from" not in row and row.get("status") == "recurring":
        from .dates import reference_day
        from .rounds import COLUMN, from_json, next_expected

        today = reference_day()
        if any(
            m.astimezone(HELSINKI).date() >= today for m in deadline_moments(row.get("deadlines"))
        ):
            return None  # a confirmed deadline ahead
        found = next_expected(from_json(row.get(COLUMN)), today)
        return None if found is None else (found.start, found.end)
    start, end = row.get("expected_from"), row.get("expected_to")
    if row.get("status") != "expected" or _is_missing(start) or _is_missing(end):
        return None
    return start, end


def expected_uid(identifier: str, start: dt.date) -> str:
    """Stable UID of an expected round: never the same as a deadline's UID.

    >>> expected_uid("norden-0-30", dt.date(2027, 2, 9))
    'norden-0-30-expected-20270209@polarguide'
    """
    return f"{identifier}-expected-{start:%Y%m%d}@polarguide"


def expected_event(row: dict[str, Any], start: dt.date, end: dt.date, lang: str = "fi") -> Any:
    """An all-day event over the window of an expected round, clearly not a deadline.

    >>> event = expected_event({"identifier": "norden-0-30", "title": "Norden 0–30",
    ...     "programme": "NORDEN-0-30", "kind": "programme"},
    ...     dt.date(2027, 2, 9), dt.date(2027, 2, 11), "en")
    >>> str(event["summary"])
    'Expected round, not confirmed: Norden 0–30 (NORDEN-0-30)'
    >>> event.decoded("dtstart"), event.decoded("dtend")
    (datetime.date(2027, 2, 9), datetime.date(2027, 2, 12))
    """
    from icalendar import Event

    stamp = parse_date(row.get("retrieved_at")) or dt.datetime(2000, 1, 1, tzinfo=UTC)
    event = Event()
    event.add("uid", expected_uid(str(row.get("identifier")), start))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", end + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    what = _text(row, "title") or _text(row, "identifier")
    prefix = "Odotettu kierros, ei vahvistettu" if lang == "fi" else "Expected round, not confirmed"
    event.add("summary", f"{prefix}: {what} ({_text(row, 'programme') or '?'})")
    detail = {**row, "deadlines": []}
    before = (start - dt.timedelta(days=1)).isoformat()  # the same window on any export day
    event.add("description", call_summary(detail, lang, before, days=False))
    if _text(row, "url"):
        event.add("url", _text(row, "url"))
    return event


def deadline_moments(deadlines: Any) -> list[dt.datetime]:
    """A record's deadlines, one per UTC calendar day: the events of a calendar.

    The portal sometimes lists one deadline twice on the same day at different times
    (e.g. 16:00 and 17:00 UTC). They are one event, with a stable UID: the earliest
    time of that day (a reader who aims for it misses nothing), and a known time of day
    before a day without one.

    >>> [m.isoformat() for m in deadline_moments(
    ...     ["2026-10-15T17:00:00Z", "2026-10-15T16:00:00Z", "2026-10-15", "2027-01-20"])]
    ['2026-10-15T16:00:00+00:00', '2027-01-20T00:00:00+00:00']
    """
    by_day: dict[dt.date, dt.datetime] = {}
    for value in deadlines if deadlines is not None and not _is_missing(deadlines) else []:
        moment = parse_date(value)
        if moment is None:
            continue
        day = moment.astimezone(UTC).date()
        best = by_day.get(day)
        key = (is_date_only(moment), moment)
        if best is None or key < (is_date_only(best), best):
            by_day[day] = moment
    return [by_day[day] for day in sorted(by_day)]


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return "" if _is_missing(value) else str(value).strip()


def _day_of(moment: dt.datetime) -> str:
    """The Helsinki day of the deadline, so the description says 0 days left on the day."""
    return moment.astimezone(HELSINKI).date().isoformat()


EXPORT_FORMATS = ("csv", "json", "ics")


def render_export(df: pd.DataFrame, fmt: str, *, lang: str = "fi", sep: str = ",") -> bytes:
    """Return the bytes of an export in ``fmt`` (``csv``, ``json`` or ``ics``).

    >>> import pandas as pd
    >>> render_export(pd.DataFrame({"a": [1]}), "json")
    b'[{"a": 1}]'
    """
    if fmt == "csv":
        return (to_csv(df, sep=sep) or "").encode("utf-8")
    if fmt == "json":
        return to_json(df).encode("utf-8")
    if fmt == "ics":
        return to_ics(df, lang=lang)
    from .errors import InputError

    raise InputError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")


def write_export(
    df: pd.DataFrame, path: str | Path, fmt: str, *, lang: str = "fi", sep: str = ","
) -> Path:
    """Write an export atomically (temporary file, then rename) and return its path.

    A failure never leaves a half-written file, and an existing file is only
    replaced by a complete new one.

    >>> import pandas as pd, tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> out = write_export(pd.DataFrame({"a": [1]}), os.path.join(folder, "x.json"), "json")
    >>> out.read_text()
    '[{"a": 1}]'
    """
    return write_atomically(path, render_export(df, fmt, lang=lang, sep=sep))
