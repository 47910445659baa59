"""Dates and deadlines: parsing portal date strings and counting days in Helsinki time.

All timestamps inside polarguide are timezone-aware UTC. Calendar questions
("how many days are left?", "what is today?") are answered in Europe/Helsinki,
because that is where the guide's readers live.

>>> parse_date("2025-10-02T00:00:00.000+0000").isoformat()
'2025-10-02T00:00:00+00:00'
>>> parse_date("2026-02-12").isoformat()
'2026-02-12T00:00:00+00:00'
>>> days_left(parse_date("2026-12-01T16:00:00.000+0000"), today=parse_day("2026-11-28"))
3
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from .errors import InputError

HELSINKI = ZoneInfo("Europe/Helsinki")
UTC = dt.timezone.utc
#: Environment variable that pins "today" (``YYYY-MM-DD``) for reproducible runs and builds.
TODAY_ENV = "POLARGUIDE_TODAY"

_OFFSET_WITHOUT_COLON = re.compile(r"([+-]\d{2})(\d{2})$")


def parse_date(value: object) -> dt.datetime | None:
    """Parse a portal date (``2025-10-02T00:00:00.000+0000``, ``2025-10-02``, epoch ms).

    Returns a tz-aware UTC datetime, or ``None`` for empty or unreadable values.
    A date without a time or zone is taken as midnight UTC, as the portal means it.

    >>> parse_date("2024-05-07T17:00:00.000+0200").isoformat()
    '2024-05-07T15:00:00+00:00'
    >>> parse_date(None) is None, parse_date("not a date") is None
    (True, True)
    """
    if value is None or value != value:  # None, NaN, NaT
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != value:  # NaN
            return None
        return dt.datetime.fromtimestamp(value / 1000, tz=UTC)
    text = str(value).strip()
    if not text:
        return None
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    text = _OFFSET_WITHOUT_COLON.sub(r"\1:\2", text)
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_day(text: str) -> dt.date:
    """Parse a ``YYYY-MM-DD`` day given by a user, raising :class:`InputError` if bad.

    >>> parse_day("2026-11-28")
    datetime.date(2026, 11, 28)
    >>> parse_day("28.11.2026")
    Traceback (most recent call last):
    ...
    polarguide.errors.InputError: bad date '28.11.2026': use YYYY-MM-DD, e.g. 2026-11-28
    """
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise InputError(f"bad date {text!r}: use YYYY-MM-DD, e.g. 2026-11-28") from None


def today_helsinki(now: dt.datetime | None = None) -> dt.date:
    """Return today's date in Helsinki.

    >>> today_helsinki(dt.datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    datetime.date(2027, 1, 1)
    """
    now = now or dt.datetime.now(UTC)
    return now.astimezone(HELSINKI).date()


def reference_day(value: dt.date | str | None = None) -> dt.date:
    """The day that "days left" and "open" are counted from.

    ``value`` if given (a ``date`` or ``YYYY-MM-DD``), else ``$POLARGUIDE_TODAY`` if set
    (the one setting that pins "today", e.g. for a reproducible book build), else today in
    Helsinki. A bad value raises :class:`InputError`.

    >>> reference_day("2026-12-05")
    datetime.date(2026, 12, 5)
    >>> os.environ[TODAY_ENV] = "2026-08-22"; reference_day()
    datetime.date(2026, 8, 22)
    >>> del os.environ[TODAY_ENV]; reference_day() == today_helsinki()
    True
    """
    if isinstance(value, dt.datetime):
        return helsinki_day(value) if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    text = value if value else os.environ.get(TODAY_ENV, "").strip()
    return parse_day(text) if text else today_helsinki()


def helsinki_day(moment: dt.datetime) -> dt.date:
    """Return the calendar day of ``moment`` in Helsinki.

    >>> helsinki_day(parse_date("2026-02-12T11:00:00+00:00"))
    datetime.date(2026, 2, 12)
    """
    return moment.astimezone(HELSINKI).date()


def days_left(deadline: dt.datetime | None, today: dt.date | None = None) -> int | None:
    """Whole days from ``today`` (Helsinki) to the deadline's Helsinki day; negative if past.

    >>> days_left(parse_date("2026-11-28T10:00:00+00:00"), parse_day("2026-11-28"))
    0
    >>> days_left(None) is None
    True
    """
    if deadline is None or deadline != deadline:  # None or NaT
        return None
    today = today or reference_day()
    return (helsinki_day(deadline) - today).days


def next_deadline(
    deadlines: Iterable[dt.datetime], today: dt.date | None = None
) -> dt.datetime | None:
    """Return the first deadline whose Helsinki day is ``today`` or later, else ``None``.

    >>> ds = [parse_date("2026-02-12"), parse_date("2026-10-01")]
    >>> next_deadline(ds, parse_day("2026-03-01")).date()
    datetime.date(2026, 10, 1)
    >>> next_deadline(ds, parse_day("2026-11-01")) is None
    True
    """
    today = today or reference_day()
    upcoming = [d for d in deadlines if d is not None and d == d and helsinki_day(d) >= today]
    return min(upcoming) if upcoming else None


def is_date_only(moment: dt.datetime | None) -> bool:
    """True when a deadline carries no time of day (stored as midnight UTC).

    The portal's feed often keeps only the day of a deadline; showing it as
    "02:00 Helsinki time" would invent a time, so callers show the day alone.

    >>> is_date_only(parse_date("2027-12-01T00:00:00.000Z"))
    True
    >>> is_date_only(parse_date("2027-03-05T16:00:00Z"))
    False
    """
    if moment is None or moment != moment:
        return False
    utc = moment.astimezone(UTC)
    return (utc.hour, utc.minute, utc.second, utc.microsecond) == (0, 0, 0, 0)
