"""Ranked search over records, with filters, a regional profile and a reason per hit.

:func:`search` adds three columns to the records: ``score`` (higher is better),
``why`` (which query words matched what, e.g. ``"nuoret→youth; polar: youth"``) and
``days_left`` (Helsinki days to ``next_deadline``, which is recomputed for ``today``).

>>> import pandas as pd
>>> from types import SimpleNamespace as T
>>> from polarguide.records import conform
>>> frame = conform(pd.DataFrame({
...     "identifier": ["A-1", "B-2"], "programme": ["ERASMUS", "LIFE"],
...     "title": ["Youth participation activities", "Nature and Biodiversity"],
...     "status": ["open", "open"], "kind": ["call", "call"],
...     "deadlines": [["2027-03-05T16:00:00Z"], ["2026-12-10T16:00:00Z"]]}))
>>> gloss = [T(fi="nuoret", en="youth", fi_synonyms=[], en_synonyms=[])]
>>> hits = search(frame, "nuorille", glossary=gloss, today="2026-11-28")
>>> hits[["identifier", "why", "days_left"]].values.tolist()
[['A-1', 'nuorille→youth', 97]]
"""

from __future__ import annotations

import datetime as dt
import difflib
import weakref
from collections import OrderedDict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from .dates import parse_day, reference_day
from .errors import InputError
from .i18n import check_lang, label
from .records import KINDS, STATUSES
from .textindex import TextIndex, build_index

if TYPE_CHECKING:
    import pandas as pd

KIND_FILTERS = {"all": KINDS, "calls": ("call",), "programmes": ("programme",)}

#: Profile name -> topic -> words (English and Finnish) that show the topic in a record.
PROFILES: dict[str, dict[str, tuple[str, ...]]] = {
    "polar": {
        "youth": ("youth", "young", "nuoret", "nuoriso", "nuori"),
        "environment": ("environment", "environmental", "ympäristö"),
        "climate": ("climate", "ilmasto"),
        "nature": ("nature", "biodiversity", "ecosystem", "luonto", "monimuotoisuus"),
        "rural": ("rural", "village", "countryside", "remote", "maaseutu", "kylä"),
        "arctic": (
            "arctic",
            "nordic",
            "northern",
            "barents",
            "sámi",
            "sami",
            "arktinen",
            "pohjoinen",
            "saamelainen",
            "lappi",
        ),
        "culture": ("culture", "cultural", "heritage", "kulttuuri", "perinne"),
    }
}
#: Grants up to this size count as "small" for the polar profile.
SMALL_GRANT_EUR = 500_000
_TOPIC_BOOST = 0.2
#: Score factor of a catalogue entry whose name the query contains.
NAME_BOOST = 1.5
#: A deadline within this many days adds :data:`_SOON_BOOST` under a profile.
SOON_DAYS = 60
_SOON_BOOST = 0.1
_MAX_TOPICS = 3

_CACHE_SIZE = 4


class IndexCache:
    """A small in-memory LRU of built indexes, keyed on the records' content and glossary.

    The key is a content fingerprint of the indexed text columns
    (:func:`polarguide.warmcache.fingerprint`) and of the glossary, so an equal copy of
    a frame reuses the index and a changed frame never gets a stale one. Hashing 10,000
    records takes tens of milliseconds, so the fingerprint is remembered per frame
    object together with a quick signature (shape and a sample of rows' text); a frame
    whose signature changed is fingerprinted again. Nothing is written to disk here:
    the command line keeps prepared indexes in its warm cache (:func:`put` primes this
    cache from there).

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> cache, frame, glossary = IndexCache(), conform(pd.DataFrame({"title": ["Youth"]})), []
    >>> cache.get(frame, glossary) is cache.get(frame.copy(), glossary), cache.builds
    (True, 1)
    """

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[tuple, Any] = OrderedDict()
        self._prints: dict[int, tuple[Any, tuple, str]] = {}
        self.builds = 0

    def content_key(self, df: pd.DataFrame, known_key: str | None = None) -> str:
        """The content fingerprint of ``df`` (remembered per frame object).

        ``known_key`` is a fingerprint the caller has just computed for ``df``.
        """
        from .warmcache import fingerprint, quick_signature

        signature = quick_signature(df)
        known = self._prints.get(id(df))
        if known is not None and known[0]() is df and known[1] == signature:
            return known[2]
        key = known_key or fingerprint(df)
        self._prints = {k: v for k, v in self._prints.items() if v[0]() is not None}
        self._prints[id(df)] = (weakref.ref(df), signature, key)
        return key

    def _lookup(self, key: tuple, build: Any) -> Any:
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
            return hit
        value = build()
        self._store(key, value)
        return value

    def _store(self, key: tuple, value: Any) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def get(self, df: pd.DataFrame, glossary: Any) -> TextIndex:
        """Return the index of ``df`` (built once per content and glossary)."""

        def build() -> TextIndex:
            self.builds += 1
            return build_index(df, glossary)

        return self._lookup(("index", self.content_key(df), _glossary_key(glossary)), build)

    def put(
        self, df: pd.DataFrame, glossary: Any, index: TextIndex, content: str | None = None
    ) -> None:
        """Remember a prepared ``index`` for ``df`` (e.g. one loaded from the warm cache);
        ``content`` is ``df``'s fingerprint when the caller has it."""
        key = ("index", self.content_key(df, content), _glossary_key(glossary))
        self._store(key, index)

    def deadlines(self, df: pd.DataFrame) -> DeadlineTable:
        """Return the flattened deadlines of ``df`` (built once per frame content)."""
        key = ("deadlines", self.content_key(df), _deadline_key(df))
        return self._lookup(key, lambda: DeadlineTable(df["deadlines"]))


def _glossary_key(glossary: Any) -> str:
    """A content key of a glossary (the bundled one: its file's fingerprint)."""
    import hashlib

    if glossary is None:
        from .glossary import DEFAULT_PATH

        stat = DEFAULT_PATH.stat()
        return f"bundled:{stat.st_size}:{stat.st_mtime_ns}"
    fields = ("fi", "en", "fi_synonyms", "en_synonyms")
    text = repr(
        [
            [t.get(f) if isinstance(t, dict) else getattr(t, f, None) for f in fields]
            for t in glossary
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _deadline_key(df: pd.DataFrame) -> int:
    return hash(tuple(len(d) for d in df["deadlines"])) ^ hash(
        tuple(str(d[0]) for d in df["deadlines"].iloc[:: max(1, len(df) // 64)] if len(d))
    )


class DeadlineTable:
    """Every deadline of every row as numpy arrays, for fast "next deadline" questions.

    >>> import pandas as pd
    >>> table = DeadlineTable(pd.Series([[pd.Timestamp("2026-12-01T22:30Z")], []]))
    >>> nxt, left = table.next_after(dt.date(2026, 11, 28))
    >>> str(nxt[0]), left.tolist()
    ('2026-12-01 22:30:00+00:00', [4.0, nan])
    """

    def __init__(self, deadlines: pd.Series) -> None:
        import pandas as pd

        lengths = np.fromiter((len(d) for d in deadlines), dtype=np.int64, count=len(deadlines))
        flat = [d for ds in deadlines for d in ds]
        stamps = pd.DatetimeIndex(pd.to_datetime(pd.Series(flat, dtype=object), utc=True))
        stamps = stamps.as_unit("ns")
        self.n = len(deadlines)
        self.rows = np.repeat(np.arange(self.n), lengths)
        self.ns = stamps.asi8 if len(stamps) else np.zeros(0, np.int64)
        local = stamps.tz_convert("Europe/Helsinki").tz_localize(None).normalize()
        self.days = local.to_numpy().astype("datetime64[D]").astype(np.int64)

    def next_after(self, today: dt.date) -> tuple[pd.Series, np.ndarray]:
        """Per row: the first deadline on/after ``today`` (Helsinki) and days left (NaN)."""
        import pandas as pd

        day = np.datetime64(today, "D").astype(np.int64)
        ok = self.days >= day
        big = np.iinfo(np.int64).max
        next_ns = np.full(self.n, big, np.int64)
        next_day = np.full(self.n, big, np.int64)
        np.minimum.at(next_ns, self.rows[ok], self.ns[ok])
        np.minimum.at(next_day, self.rows[ok], self.days[ok])
        missing = next_ns == big
        left = np.where(missing, np.nan, (next_day - day).astype(float))
        moments = pd.to_datetime(np.where(missing, np.iinfo(np.int64).min, next_ns), utc=True)
        return pd.Series(moments), left

    def last_days(self) -> np.ndarray:
        """Per row: the Helsinki day number of the last deadline (int64 min if none)."""
        last = np.full(self.n, np.iinfo(np.int64).min, np.int64)
        np.maximum.at(last, self.rows, self.days)
        return last


def status_on(df: pd.DataFrame, today: dt.date | str | None = None) -> np.ndarray:
    """The status of each record on ``today``, not on the day the data was fetched.

    A call that was open or forthcoming when fetched, but whose every deadline has
    passed since then, is ``closed`` today. A call that was already past its nominal
    deadlines when fetched and still open (a rolling call, such as a standing
    quality label) stays open: the portal's status code is the authority then. A recurring
    catalogue programme with no deadline ahead whose rounds make a pattern is ``expected``
    (its next round is a window computed by :mod:`polarguide.rounds`, not a confirmed date).

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> frame = conform(pd.DataFrame({"identifier": ["A", "B", "C"],
    ...     "status": ["open", "open", "forthcoming"],
    ...     "deadlines": [["2026-09-01"], ["2021-09-21"], ["2027-01-10"]],
    ...     "retrieved_at": ["2026-08-22"] * 3}))
    >>> status_on(frame, "2026-11-28").tolist()
    ['closed', 'open', 'forthcoming']
    """
    import pandas as pd

    day = np.datetime64(_as_today(today), "D").astype(np.int64)
    table = _INDEXES.deadlines(df)
    last = table.last_days()
    fetched = pd.DatetimeIndex(pd.to_datetime(df["retrieved_at"], utc=True))
    fetched_days = (
        fetched.tz_convert("Europe/Helsinki")
        .tz_localize(None)
        .normalize()
        .to_numpy()
        .astype("datetime64[D]")
        .astype(np.int64)
    )
    has_deadline = last != np.iinfo(np.int64).min
    ran_out = has_deadline & (last < day) & (last >= fetched_days)
    active = df["status"].isin(["open", "forthcoming"]).to_numpy()
    status = df["status"].to_numpy(dtype=object).copy()
    status[active & ran_out] = "closed"
    recurring = status == "recurring"
    if recurring.any():  # only a pattern's next round is expected, never a confirmed date
        from .rounds import expected_mask

        status[recurring & expected_mask(df, _as_today(today))] = "expected"
    return status


_INDEXES = IndexCache()


def _as_today(today: object) -> dt.date:
    if today is None:
        return reference_day()
    if isinstance(today, dt.datetime):
        return today.date()
    if isinstance(today, dt.date):
        return today
    return parse_day(str(today))


def _check_programmes(df: pd.DataFrame, programmes: Iterable[str]) -> set[str]:
    present = sorted({str(p) for p in df["programme"].dropna() if str(p)})
    by_upper = {p.upper(): p for p in present}
    wanted: set[str] = set()
    for name in [programmes] if isinstance(programmes, str) else programmes:
        found = by_upper.get(str(name).strip().upper())
        if found is None:
            close = difflib.get_close_matches(str(name).upper(), list(by_upper), n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(by_upper[c] for c in close)}?" if close else ""
            known = ", ".join(present[:12]) + (" …" if len(present) > 12 else "")
            raise InputError(f"unknown programme {name!r}{hint} (known: {known})")
        wanted.add(found)
    return wanted


def _check_statuses(status: str | Iterable[str]) -> set[str]:
    values = [status] if isinstance(status, str) else list(status)
    out = set()
    for value in values:
        value = str(value).strip().lower()
        if value not in STATUSES:
            raise InputError(f"unknown status {value!r}: use one of {', '.join(STATUSES)}")
        out.add(value)
    return out


def profile_points(
    index: TextIndex,
    df: pd.DataFrame,
    profile: str,
    lang: str = "fi",
    days_left: np.ndarray | None = None,
) -> tuple[np.ndarray, list[str]]:
    """Boost factor minus one per row, and the ``why`` note, for a named profile.

    Topics, small grants (by the amount, where known) and, given ``days_left``, a
    deadline within :data:`SOON_DAYS` days (a call closing next week before one closing
    next year) each add a step; the note names every reason that applies.

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> frame = conform(pd.DataFrame({"title": ["Rural youth", "Quantum chips"]}))
    >>> points, notes = profile_points(build_index(frame, []), frame, "polar", "en",
    ...                                np.array([10.0, 300.0]))
    >>> points.round(2).tolist(), notes
    ([0.5, 0.0], ['polar: youth, rural, closes in 10 days', ''])
    """
    topics = PROFILES.get(profile)
    if topics is None:
        close = difflib.get_close_matches(str(profile), list(PROFILES), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise InputError(f"unknown profile {profile!r}{hint} (known: {', '.join(PROFILES)})")
    key = ("profile", profile)
    masks = index.memo.get(key)
    if masks is None:
        masks = {name: index.matching(words) for name, words in topics.items()}
        index.memo[key] = masks
    names = list(masks)
    hits = np.column_stack([masks[n] for n in names]) if names else np.zeros((len(df), 0), bool)
    n_topics = np.minimum(hits.sum(axis=1), _MAX_TOPICS)
    small = _grant_size(df) <= SMALL_GRANT_EUR  # NaN (unknown) is never "small"
    left = np.full(len(df), np.nan) if days_left is None else np.asarray(days_left, float)
    with np.errstate(invalid="ignore"):
        soon = (left >= 0) & (left <= SOON_DAYS)
    points = _TOPIC_BOOST * n_topics + _TOPIC_BOOST * small + _SOON_BOOST * soon
    notes = []
    for row, is_small, is_soon, days in zip(hits, small, soon, left, strict=True):
        found = [label(f"topic.{n}", lang) for n, h in zip(names, row, strict=True) if h]
        if is_small:
            found.append(label("topic.small_grants", lang))
        if is_soon:
            found.append(f"päättyy {int(days)} päivän päästä" if lang == "fi" else
                         f"closes in {int(days)} days")  # fmt: skip
        notes.append(f"{profile}: {', '.join(found)}" if found else "")
    return points, notes


def _grant_size(df: pd.DataFrame) -> np.ndarray:
    """The largest grant per record where known: the maximum grant, else budget ÷ grants.

    A lump sum says how a grant is paid, not how big it is, so it does not count.

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> _grant_size(conform(pd.DataFrame({"max_grant_eur": [60000, None, None],
    ...     "budget_eur": [None, 3e6, 5e6], "expected_grants": [None, 2, None]}))).tolist()
    [60000.0, 1500000.0, nan]
    """
    largest = df["max_grant_eur"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = df["budget_eur"].to_numpy(float) / df["expected_grants"].to_numpy(float)
    share[~np.isfinite(share)] = np.nan
    return np.where(np.isnan(largest), share, largest)


def named_programmes(df: pd.DataFrame, query: str) -> np.ndarray:
    """Mask of catalogue entries (``kind == "programme"``) that the query names.

    A name is the first word of the entry's programme code (*Kolarctic*, *Barents*,
    *Nordplus*; *ncm*, not *arctic*, of NCM-ARCTIC) or a word written in capitals in its
    title (*NORDBUK*), in any inflection (*Barentsin*).

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> frame = conform(pd.DataFrame({"programme": ["KOLARCTIC", "NORDEN-0-30", "LIFE"],
    ...     "title": ["Kolarctic – ei enää rahoitusta", "Norden 0–30 (entinen NORDBUK)", "x"],
    ...     "kind": ["programme", "programme", "call"]}))
    >>> named_programmes(frame, "kolarcticin rahoitus").tolist()
    [True, False, False]
    >>> named_programmes(frame, "nordbuk").tolist()
    [False, True, False]
    """
    import re

    from .textindex import is_generic, stem, tokenize

    words = {w for w in tokenize(query) if len(w) >= 3}
    probes = words | {stem(w, "fi") for w in words} | {stem(w, "en") for w in words}
    mask = np.zeros(len(df), bool)
    if not probes:
        return mask

    def names(programme: str, title: str) -> set[str]:
        found = set(tokenize(programme)[:1])  # NCM-ARCTIC names "ncm", not "arctic"
        found |= {w.lower() for w in re.findall(r"\b[A-ZÅÄÖ]{3,}\b", title)}
        return {n for n in found if len(n) >= 3 and not n.isdigit() and not is_generic(n)}

    rows = np.flatnonzero(df["kind"].to_numpy() == "programme")
    for row in rows:
        key = (str(df["programme"].iat[row]), str(df["title"].iat[row]))
        if key not in _NAME_MEMO:
            _NAME_MEMO[key] = names(*key)
        mask[row] = bool(_NAME_MEMO[key] & probes)
    return mask


_NAME_MEMO: dict[Any, Any] = {}


def search(
    df: pd.DataFrame,
    query: str = "",
    *,
    status: str | Iterable[str] | None = None,
    programmes: Iterable[str] | None = None,
    within_days: int | None = None,
    kind: str = "all",
    profile: str | None = None,
    today: dt.date | str | None = None,
    lang: str = "fi",
    limit: int | None = None,
    glossary: Iterable[Any] | None = None,
) -> pd.DataFrame:
    """Search records; ranked by relevance, or by next deadline when ``query`` is empty.

    Filters: ``status`` (one or several of open/forthcoming/closed/recurring),
    ``programmes`` (short names such as ``"LIFE"``), ``within_days`` (next deadline in
    0..N days from ``today``), ``kind`` (``"all"``, ``"calls"``, ``"programmes"``).
    ``profile="polar"`` boosts youth, environment, climate, nature, rural, Arctic/Nordic,
    culture and small grants and says so in ``why``. Bad values raise
    :class:`~polarguide.errors.InputError`. The index is built once per frame and reused.

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> frame = conform(pd.DataFrame({"identifier": ["X"], "programme": ["LIFE"]}))
    >>> search(frame, programmes=["LIEF"], glossary=[])
    Traceback (most recent call last):
    ...
    polarguide.errors.InputError: unknown programme 'LIEF'; did you mean LIFE? (known: LIFE)
    """
    import pandas as pd

    check_lang(lang)
    if kind not in KIND_FILTERS:
        raise InputError(f"unknown kind {kind!r}: use one of {', '.join(KIND_FILTERS)}")
    if limit is not None and (not isinstance(limit, (int, np.integer)) or limit < 0):
        raise InputError(f"limit must be a whole number ≥ 0, got {limit!r}")
    if within_days is not None and (
        not isinstance(within_days, (int, np.integer)) or within_days < 0
    ):
        raise InputError(f"within_days must be a whole number ≥ 0, got {within_days!r}")
    day = _as_today(today)
    query = query or ""

    keep = np.ones(len(df), bool)
    status_today = status_on(df, day)
    named = named_programmes(df, query) if query.strip() else np.zeros(len(df), bool)
    if status is not None:  # a programme the query names is shown whatever its status
        keep &= np.isin(status_today, list(_check_statuses(status))) | named
    if programmes is not None:
        keep &= df["programme"].isin(_check_programmes(df, programmes)).to_numpy()
    if kind != "all":
        keep &= df["kind"].isin(KIND_FILTERS[kind]).to_numpy()

    nexts, left = _INDEXES.deadlines(df).next_after(day)
    if within_days is not None:
        keep &= (left >= 0) & (left <= within_days)

    needs_index = bool(query.strip()) or profile is not None
    score = np.zeros(len(df))
    why = [""] * len(df)
    if needs_index:
        index = _INDEXES.get(df, glossary)
        if query.strip():
            hits = index.search(query)
            matched = np.zeros(len(df), bool)
            matched[hits.ids] = True
            keep &= matched
            score[hits.ids] = hits.scores
            score[named & matched] *= NAME_BOOST  # a name is strong evidence, not the only one
            for i, words in zip(hits.ids, hits.why, strict=True):
                why[i] = ", ".join(words)
        else:
            score[:] = 1.0
        if profile is not None:
            points, notes = profile_points(index, df, profile, lang, left)
            score = score * (1 + points)
            why = ["; ".join(p for p in (w, n) if p) for w, n in zip(why, notes, strict=True)]
        if not query.strip():
            score = score - 1.0

    rows = np.flatnonzero(keep)
    out = df.iloc[rows].copy()
    out["next_deadline"] = pd.Series(nexts.iloc[rows].to_numpy(), index=out.index)
    out["status"] = status_today[rows]
    out["score"] = score[rows]
    out["why"] = [why[i] for i in rows]
    out["days_left"] = pd.array([None if np.isnan(v) else int(v) for v in left[rows]], "Int64")
    _add_expected(out, day, lang)
    order_keys = ["next_deadline", "identifier"]
    ascending = [True, True]
    if query.strip() or profile is not None:
        order_keys, ascending = ["score", *order_keys], [False, True, True]
    out = out.sort_values(order_keys, ascending=ascending, na_position="last", kind="stable")
    if limit is not None:
        out = out.head(limit)
    return out.reset_index(drop=True)


def _add_expected(out: pd.DataFrame, day: dt.date, lang: str) -> None:
    """Columns ``expected_from``/``expected_to``/``expected_around`` (days or ``None``) and a
    note in ``why`` for rows whose status is ``expected`` (see :mod:`polarguide.rounds`)."""
    from .rounds import expected_in, status_note

    found: list[Any] = [None] * len(out)
    rows = np.flatnonzero(out["status"].to_numpy() == "expected")
    if len(rows):
        for row, exp in zip(rows, expected_in(out.iloc[rows], day), strict=True):
            found[row] = exp
    out["expected_from"] = [e.start if e else None for e in found]
    out["expected_to"] = [e.end if e else None for e in found]
    out["expected_around"] = [e.around if e else None for e in found]
    # (the round's window first: a terminal table cuts long notes at the end)
    out["why"] = [
        "; ".join(p for p in (status_note(e, lang) if e else "", w) if p)
        for w, e in zip(out["why"], found, strict=True)
    ]
