"""The record model: one row per funding call topic or catalogue programme.

Every part of polarguide passes records around as a :class:`pandas.DataFrame`
with the columns in :data:`COLUMNS`. Portal calls (``kind == "call"``) and
curated catalogue entries (``kind == "programme"``) share the same columns, so
they can be searched, summarised and exported together.

Column meanings (type in brackets; missing values are ``None``/``NaN``/empty list):

==================  ==========================================================
identifier          [str] topic identifier, e.g. ``ERASMUS-YOUTH-2026-CB``, or
                    the catalogue id, e.g. ``erasmus-youth-exchanges-ka152``
call_identifier     [str] the call the topic belongs to
title               [str] topic title (catalogue: name in the record language)
call_title          [str] title of the call
programme           [str] short programme name, e.g. ``ERASMUS``, ``LIFE``
programme_code      [str] portal numeric code, e.g. ``43353764`` ("" if none)
programme_name      [str] full clean programme name
status              [str] ``open`` / ``forthcoming`` / ``closed``
                    (catalogue: ``recurring`` for programmes with yearly rounds,
                    ``paused`` where the route is on hold; search reports
                    ``expected`` on a day when a recurring programme's next round
                    is only expected: see ``polarguide.rounds``)
type_of_action      [str] e.g. ``HORIZON Research and Innovation Actions``
opening_date        [Timestamp, tz-aware UTC] planned opening or start date
deadlines           [list[Timestamp]] every deadline, tz-aware UTC, sorted
next_deadline       [Timestamp] first deadline on/after ``retrieved_at``
                    (or the last one if all have passed); NaT if none
deadline_model      [str] ``single-stage`` / ``two-stage`` / ``multiple cut-off``
budget_eur          [float] the topic's own budget in EUR
expected_grants     [float] expected number of grants
min_grant_eur       [float] minimum EU contribution per grant
max_grant_eur       [float] maximum EU contribution per grant
keywords            [list[str]] keywords and tags
summary             [str] plain-text summary keeping section headings
description_html    [str] sanitised HTML description
url                 [str] official page
language            [str] ``en`` / ``fi`` ...
source              [str] where the record came from (API, snapshot, catalogue)
retrieved_at        [Timestamp, tz-aware UTC] when the data was fetched/checked
kind                [str] ``call`` (portal) or ``programme`` (catalogue)
==================  ==========================================================

>>> frame = empty_records()
>>> list(frame.columns) == list(COLUMNS)
True
>>> len(frame)
0
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported lazily to keep the CLI start fast
    import pandas as pd

#: Column name -> short description. The order is the DataFrame column order.
COLUMNS: dict[str, str] = {
    "identifier": "topic identifier or catalogue id",
    "call_identifier": "identifier of the call",
    "title": "title",
    "call_title": "title of the call",
    "programme": "short programme name (ERASMUS, LIFE, ...)",
    "programme_code": "portal numeric programme code",
    "programme_name": "full programme name",
    "status": "open / forthcoming / closed / recurring",
    "type_of_action": "type of action",
    "opening_date": "opening date (UTC)",
    "deadlines": "all deadlines (UTC)",
    "next_deadline": "next deadline (UTC)",
    "deadline_model": "single-stage / two-stage / ...",
    "budget_eur": "topic budget in EUR",
    "expected_grants": "expected number of grants",
    "min_grant_eur": "minimum grant in EUR",
    "max_grant_eur": "maximum grant in EUR",
    "keywords": "keywords and tags",
    "summary": "plain-text summary",
    "description_html": "sanitised HTML description",
    "url": "official page",
    "language": "language of the record",
    "source": "where the record came from",
    "retrieved_at": "when the data was retrieved (UTC)",
    "kind": "call or programme",
}

DATE_COLUMNS = ("opening_date", "next_deadline", "retrieved_at")
NUMBER_COLUMNS = ("budget_eur", "expected_grants", "min_grant_eur", "max_grant_eur")
LIST_COLUMNS = ("deadlines", "keywords")
STATUSES = ("open", "forthcoming", "closed", "recurring", "paused", "expected")
KINDS = ("call", "programme")


def empty_records() -> pd.DataFrame:
    """Return an empty record frame with every column of :data:`COLUMNS`.

    >>> empty_records().shape
    (0, 25)
    """
    return conform(None)


def conform(frame: pd.DataFrame | None) -> pd.DataFrame:
    """Return ``frame`` with exactly the :data:`COLUMNS`, in order, with their types.

    Missing columns are added empty; extra columns are kept at the end (search
    adds ``score`` and ``why``). Dates become tz-aware UTC timestamps, numbers
    floats, list columns lists.

    >>> import pandas as pd
    >>> out = conform(pd.DataFrame({"identifier": ["X-1"], "budget_eur": ["1000"]}))
    >>> float(out.loc[0, "budget_eur"]), out.loc[0, "keywords"]
    (1000.0, [])
    """
    import pandas as pd

    frame = pd.DataFrame() if frame is None else frame.copy()
    n = len(frame)
    for column in COLUMNS:
        if column not in frame.columns:
            if column in LIST_COLUMNS:
                frame[column] = pd.Series([[] for _ in range(n)], index=frame.index, dtype=object)
            elif column in DATE_COLUMNS:
                frame[column] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]")
            elif column in NUMBER_COLUMNS:
                frame[column] = pd.Series(float("nan"), index=frame.index, dtype=float)
            else:
                frame[column] = pd.Series("", index=frame.index, dtype=object)
    for column in DATE_COLUMNS:
        frame[column] = pd.to_datetime(frame[column], utc=True, errors="coerce")
    for column in NUMBER_COLUMNS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    for column in LIST_COLUMNS:
        frame[column] = [_as_list(value) for value in frame[column]]
    frame["deadlines"] = _timestamp_lists(frame["deadlines"].tolist())
    extra = [c for c in frame.columns if c not in COLUMNS]
    return frame[list(COLUMNS) + extra].reset_index(drop=True)


def _timestamp_lists(lists: list[list]) -> list[list]:
    """Each list of dates as sorted tz-aware UTC timestamps, parsed in one vectorised call.

    >>> first, empty = _timestamp_lists([["2026-10-01", "2026-02-12T11:00:00+00:00"], []])
    >>> [str(stamp) for stamp in first], empty
    (['2026-02-12 11:00:00+00:00', '2026-10-01 00:00:00+00:00'], [])
    """
    import pandas as pd

    flat = [value for values in lists for value in values]
    if not flat:
        return [[] for _ in lists]
    parsed = pd.to_datetime(pd.Series(flat, dtype=object), utc=True, format="ISO8601")
    stamps = list(parsed)
    out, start = [], 0
    for values in lists:
        end = start + len(values)
        out.append(sorted(stamps[start:end]))
        start = end
    return out


def _as_list(value: object) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    if hasattr(value, "tolist"):
        return list(value.tolist())
    if isinstance(value, float) and value != value:  # NaN
        return []
    return [value]


def is_missing(value: object) -> bool:
    """True for ``None``, NaN, ``pandas.NaT`` and ``pandas.NA`` (without importing pandas).

    >>> is_missing(None), is_missing(float("nan")), is_missing(0), is_missing("")
    (True, True, False, False)
    """
    if value is None or type(value).__name__ in {"NAType", "NaTType"}:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def json_value(value: object) -> object:
    """A record value as JSON has it: lists stay lists, dates become ISO 8601 strings,
    numpy scalars plain numbers, and every missing value (NaN, NaT, NA, ±inf) ``null``.

    >>> import math, datetime as dt
    >>> json_value([dt.date(2027, 3, 5), float("nan")]), json_value(math.inf), json_value("x")
    (['2027-03-05', None], None, 'x')
    """
    if isinstance(value, (list, tuple)) or (
        hasattr(value, "tolist") and getattr(value, "ndim", 0) != 0
    ):
        return [json_value(v) for v in list(value)]
    if is_missing(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value
