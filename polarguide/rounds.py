"""Expected rounds: when a recurring programme will probably open its next round.

Many routes for young people and villages run on yearly rounds (Erasmus+ youth in
February, Norden 0–30 three times a year, Nordplus on 1 February). Once a year's deadline
has passed, the catalogue has no confirmed next date. This module reads the *recurring
pattern* the catalogue records (``rounds:`` in ``catalogue.yaml``: the deadlines of recent
years, each one a sourced fact) and computes the next **expected** round: a window of days,
never a confirmed deadline. Search shows such a programme with the status ``expected``.

A series of rounds makes a pattern when it has deadlines in at least
:data:`MIN_YEARS` different years, or a sourced rule "on this day every year". The window
of the next round is the span of the last :data:`RECENT` deadlines (and the rule's day)
moved to the first year after the latest one whose window has not ended by ``today``.

>>> spring = Series("round1", {"fi": "1. kierros", "en": "Round 1"},
...                 (dt.date(2024, 2, 20), dt.date(2025, 2, 12), dt.date(2026, 2, 12)))
>>> exp = next_expected(Pattern((spring,)), dt.date(2026, 12, 5))
>>> exp.start, exp.end, exp.around
(datetime.date(2027, 2, 12), datetime.date(2027, 2, 20), datetime.date(2027, 2, 12))
>>> window_text(exp, "en")
'February 2027, around 12 February (12–20 February 2027)'
>>> next_expected(Pattern((spring,)), dt.date(2026, 2, 1)) is None  # 12.2.2026 is confirmed
True
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .i18n import format_date, month_name

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: A series needs deadlines in this many different years to make a pattern (or a rule).
MIN_YEARS = 2
#: How many of the most recent deadlines of a series set the window.
RECENT = 3
#: How many years ahead of ``today`` an expected round is looked for.
HORIZON_YEARS = 2
#: The record column that carries a programme's pattern (JSON text; "" if none).
COLUMN = "round_pattern"


@dataclass(frozen=True)
class Series:
    """One yearly round of a programme, e.g. "Round 1 (February)".

    ``deadlines`` are the sourced past deadlines (oldest first), ``facts`` the fact
    reference of each (``entry-id.key``), ``every_year`` an optional sourced rule
    ``(month, day)`` with its fact ``every_year_fact``.
    """

    key: str
    name: dict[str, str]
    deadlines: tuple[dt.date, ...] = ()
    facts: tuple[str, ...] = ()
    every_year: tuple[int, int] | None = None
    every_year_fact: str = ""

    @property
    def is_pattern(self) -> bool:
        """True when the series says enough to expect a next round.

        >>> Series("a", {}, (dt.date(2025, 2, 1),)).is_pattern
        False
        >>> Series("a", {}, (dt.date(2025, 2, 1),), every_year=(2, 1)).is_pattern
        True
        """
        return self.every_year is not None or len({d.year for d in self.deadlines}) >= MIN_YEARS


@dataclass(frozen=True)
class Pattern:
    """A programme's recurring rounds and where to confirm the next one."""

    series: tuple[Series, ...]
    confirm: dict[str, str] = field(default_factory=dict)
    confirm_url: str = ""


@dataclass(frozen=True)
class Expected:
    """The next expected round: a window ``start``–``end`` and the likeliest day ``around``.

    ``basis`` holds the past deadlines the window was computed from and ``facts`` their
    sources (fact references), so every expected round can show where it comes from.
    """

    series: Series
    start: dt.date
    end: dt.date
    around: dt.date
    basis: tuple[dt.date, ...]
    facts: tuple[str, ...]


def _move(day: dt.date, year: int) -> dt.date:
    """``day``'s month and day in ``year`` (29 February becomes 28 February).

    >>> _move(dt.date(2024, 2, 29), 2027)
    datetime.date(2027, 2, 28)
    """
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def series_expected(series: Series, today: dt.date) -> Expected | None:
    """The next expected round of one series on ``today`` (``None`` if no pattern, or if a
    recorded deadline of the series is still ahead: that one is confirmed, not expected).

    >>> s = Series("x", {}, (dt.date(2023, 2, 15), dt.date(2024, 2, 15)))
    >>> series_expected(s, dt.date(2026, 12, 5)).around
    datetime.date(2027, 2, 15)
    >>> series_expected(s, dt.date(2024, 2, 16)).around  # the day after: next year
    datetime.date(2025, 2, 15)
    """
    if not series.is_pattern:
        return None
    recent = tuple(sorted(series.deadlines)[-RECENT:])
    if recent and recent[-1] >= today:
        return None
    first_year = max(today.year, recent[-1].year + 1) if recent else today.year
    for year in range(first_year, today.year + HORIZON_YEARS + 1):
        days = [_move(d, year) for d in recent]
        rule = None
        if series.every_year is not None:
            rule = _move(dt.date(2000, *series.every_year), year)
            days.append(rule)
        start, end = min(days), max(days)
        if end < today:
            continue
        around = rule if rule is not None else _move(recent[-1], year)
        facts = series.facts[-len(recent) :] if recent else ()
        if series.every_year_fact:
            facts = (*facts, series.every_year_fact)
        return Expected(series, start, end, around, recent, tuple(dict.fromkeys(facts)))
    return None


def next_expected(
    pattern: Pattern | None, today: dt.date, confirmed_next: dt.date | None = None
) -> Expected | None:
    """The earliest expected round of any series of ``pattern`` on ``today``.

    ``None`` when there is no pattern or when the programme has a confirmed deadline on or
    after ``today`` (``confirmed_next``): a confirmed date always wins over an expectation.

    >>> s = Series("x", {}, (dt.date(2023, 2, 15), dt.date(2024, 2, 15)))
    >>> next_expected(Pattern((s,)), dt.date(2026, 12, 5), dt.date(2027, 1, 10)) is None
    True
    """
    if pattern is None or (confirmed_next is not None and confirmed_next >= today):
        return None
    found = [e for e in (series_expected(s, today) for s in pattern.series) if e is not None]
    return min(found, key=lambda e: (e.end, e.start), default=None)


def window_text(expected: Expected, lang: str = "fi") -> str:
    """The expected round in words: month, likeliest day and the window.

    >>> s = Series("x", {}, (dt.date(2023, 2, 15), dt.date(2024, 2, 15)))
    >>> window_text(series_expected(s, dt.date(2026, 12, 5)), "fi")
    'helmikuu 2027, noin 15.2.'
    """
    return window_words(expected.start, expected.end, expected.around, lang)


def window_words(start: dt.date, end: dt.date, around: dt.date, lang: str = "fi") -> str:
    """A window ``start``–``end`` with its likeliest day ``around``, in words.

    >>> window_words(dt.date(2027, 2, 12), dt.date(2027, 2, 20), dt.date(2027, 2, 12), "fi")
    'helmikuu 2027, noin 12.2. (12.–20.2.2027)'
    """
    if lang == "fi":
        head = f"{month_name(around.month, 'fi')} {around.year}, noin {around.day}.{around.month}."
    else:
        head = (
            f"{month_name(around.month, 'en')} {around.year}, "
            f"around {around.day} {month_name(around.month, 'en')}"
        )
    if start == end:
        return head
    return f"{head} ({span_text(start, end, lang)})"


def span_text(start: dt.date, end: dt.date, lang: str = "fi") -> str:
    """Two days as a short span: ``12.–20.2.2027`` / ``12–20 February 2027``.

    >>> span_text(dt.date(2027, 3, 29), dt.date(2027, 4, 21), "fi")
    '29.3.–21.4.2027'
    >>> span_text(dt.date(2027, 3, 29), dt.date(2027, 4, 21), "en")
    '29 March – 21 April 2027'
    """
    if lang == "fi":
        if start.month == end.month:
            return f"{start.day}.–{end.day}.{end.month}.{end.year}"
        return f"{start.day}.{start.month}.–{format_date(end, 'fi')}"
    if start.month == end.month:
        return f"{start.day}–{end.day} {month_name(end.month, 'en')} {end.year}"
    return f"{start.day} {month_name(start.month, 'en')} – {format_date(end, 'en')}"


def status_note(expected: Expected, lang: str = "fi") -> str:
    """One line for a result list: what is expected and that it is not confirmed.

    >>> s = Series("x", {"fi": "kierros", "en": "round"}, (dt.date(2023, 2, 15),
    ...            dt.date(2024, 2, 15)))
    >>> status_note(series_expected(s, dt.date(2026, 12, 5)), "en")
    'expected round (not confirmed): February 2027, around 15 February'
    """
    if lang == "fi":
        return f"odotettu kierros (ei vahvistettu): {window_text(expected, 'fi')}"
    return f"expected round (not confirmed): {window_text(expected, 'en')}"


# ------------------------------------------------------------- records column


def to_json(pattern: Pattern | None) -> str:
    """The pattern as compact JSON text for the records column (``""`` for none).

    >>> s = Series("x", {"fi": "a", "en": "b"}, (dt.date(2024, 2, 15),), ("e.k",), (2, 1), "e.r")
    >>> from_json(to_json(Pattern((s,)))).series[0] == s
    True
    >>> to_json(None), from_json("")
    ('', None)
    """
    if pattern is None:
        return ""
    return json.dumps(
        [
            {
                "key": s.key,
                "name": s.name,
                "dates": [d.isoformat() for d in s.deadlines],
                "facts": list(s.facts),
                "every_year": list(s.every_year) if s.every_year else None,
                "every_year_fact": s.every_year_fact,
            }
            for s in pattern.series
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def from_json(text: Any) -> Pattern | None:
    """Read :func:`to_json` text back (``None`` for empty or missing values)."""
    if not isinstance(text, str) or not text:
        return None
    return Pattern(
        tuple(
            Series(
                key=s["key"],
                name=dict(s["name"]),
                deadlines=tuple(dt.date.fromisoformat(d) for d in s["dates"]),
                facts=tuple(s["facts"]),
                every_year=tuple(s["every_year"]) if s["every_year"] else None,  # type: ignore[arg-type]
                every_year_fact=s["every_year_fact"],
            )
            for s in json.loads(text)
        )
    )


@functools.lru_cache(maxsize=256)
def _parsed(text: str) -> Pattern | None:
    return from_json(text)


def expected_in(df: pd.DataFrame, today: dt.date) -> list[Expected | None]:
    """Per row of records: the next expected round on ``today`` (``None`` for most rows).

    Reads the :data:`COLUMN` that :func:`polarguide.catalogue.catalogue_records` fills;
    frames without it (portal calls only) get ``None`` everywhere. A row whose own
    deadlines include one on or after ``today`` gets ``None`` (it has a confirmed date).

    >>> from polarguide.catalogue import catalogue_records
    >>> frame = catalogue_records("en")
    >>> found = expected_in(frame, dt.date(2026, 12, 5))
    >>> sum(e is not None for e in found) >= 6
    True
    """
    if COLUMN not in df.columns:
        return [None] * len(df)
    out: list[Expected | None] = []
    for text, deadlines in zip(df[COLUMN], df["deadlines"], strict=True):
        if not isinstance(text, str) or not text:
            out.append(None)
            continue
        ahead = [d for d in deadlines if _day(d) >= today]
        out.append(None if ahead else next_expected(_parsed(text), today))
    return out


def expected_mask(df: pd.DataFrame, today: dt.date) -> np.ndarray:
    """Boolean array: rows that have an expected round on ``today``."""
    import numpy as np

    return np.array([e is not None for e in expected_in(df, today)], dtype=bool)


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        from .dates import helsinki_day

        return helsinki_day(value)
    return value if isinstance(value, dt.date) else dt.date.min


# ------------------------------------------------------------- sources, in words


def catalogue_expected(
    identifier: str, today: dt.date, catalogue: Any = None
) -> tuple[Expected, Pattern] | None:
    """The next expected round of catalogue entry ``identifier`` on ``today`` and its
    pattern (for where to confirm); ``None`` if the entry has none or a confirmed date.

    >>> exp, pattern = catalogue_expected("norden-0-30", dt.date(2026, 12, 5))
    >>> exp.around, pattern.confirm_url.startswith("https://www.nkk.org")
    (datetime.date(2027, 2, 9), True)
    """
    from .catalogue import load_catalogue

    cat = catalogue if catalogue is not None else load_catalogue()
    entry = next((e for e in cat.entries if e.id == str(identifier)), None)
    if entry is None or entry.rounds is None:
        return None
    expected = next_expected(entry.rounds, today, entry.next_deadline)
    return None if expected is None else (expected, entry.rounds)


def expected_lines(
    identifier: str, today: dt.date, lang: str = "fi", catalogue: Any = None
) -> list[str]:
    """Plain lines about an entry's expected round: the window, the past rounds it comes
    from with their sources and check dates, and where to confirm. ``[]`` if none.

    >>> lines = expected_lines("nordplus", dt.date(2026, 12, 5), "en")
    >>> print(lines[0])  # doctest: +NORMALIZE_WHITESPACE
    Next round: EXPECTED, not a confirmed deadline – February 2027, around 1 February
    (1–3 February 2027).
    >>> any("nordplusonline.org" in line for line in lines)
    True
    """
    from .catalogue import load_catalogue

    cat = catalogue if catalogue is not None else load_catalogue()
    found = catalogue_expected(identifier, today, cat)
    if found is None:
        return []
    expected, pattern = found
    fi = lang == "fi"
    when = window_text(expected, lang)
    basis = ", ".join(format_date(d, lang) for d in expected.basis)
    rule = expected.series.every_year
    lines = [
        f"Seuraava kierros: ODOTETTU, ei vahvistettu määräaika – {when}."
        if fi
        else f"Next round: EXPECTED, not a confirmed deadline – {when}.",
        (f"Arvio aiemmista kierroksista – {expected.series.name['fi']}: {basis}"
         if fi else
         f"Estimated from past rounds – {expected.series.name['en']}: {basis}")
        + (
            (f" ja sääntöön {rule[1]}.{rule[0]}. joka vuosi." if fi
             else f" and the rule '{rule[1]} {month_name(rule[0], 'en')} every year'.")
            if rule else "."
        ),
        "Lähteet:" if fi else "Sources:",
    ]  # fmt: skip
    for ref in expected.facts:
        fact = cat.fact(ref)
        checked = format_date(fact.checked, lang)
        weak = (" (toissijainen lähde)" if fi else " (secondary source)") if fact.secondary else ""
        lines.append(
            f"  - {fact.value(lang)} — {fact.source_url}"
            + (f" (tarkistettu {checked}){weak}" if fi else f" (checked {checked}){weak}")
        )
    lines.append(
        f"Vahvista: {pattern.confirm['fi']} {pattern.confirm_url}"
        if fi
        else f"Confirm: {pattern.confirm['en']} {pattern.confirm_url}"
    )
    return lines
