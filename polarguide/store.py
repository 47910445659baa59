"""Where the data lives: the bundled snapshot and the user's cache of fresher data.

``polarguide update`` writes ``calls.json.gz`` (a :mod:`polarguide.snapshot` file) into
:func:`cache_dir`; everything else reads :func:`load_current`, which picks the fresher
of that cache and the snapshot bundled with the package. Writes are atomic and locked,
and a fetch that looks wrong never replaces good data unless forced.

Warnings (a corrupt cache, a missing bundled snapshot) go to the ``warn`` callback of
:func:`load_current` and :func:`save_snapshot`, one line each. By default they are
issued with :func:`warnings.warn`; the CLI passes a function that prints them to stderr.

>>> import os, tempfile
>>> os.environ["POLARGUIDE_CACHE_DIR"] = tempfile.mkdtemp()
>>> cache_path().name
'calls.json.gz'
>>> del os.environ["POLARGUIDE_CACHE_DIR"]
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .dates import helsinki_day
from .errors import DataError, SuspiciousFetchError
from .snapshot import Snapshot, dump_snapshot, load_snapshot

if TYPE_CHECKING:
    import pandas as pd

CACHE_ENV = "POLARGUIDE_CACHE_DIR"
CACHE_FILE = "calls.json.gz"
#: A new fetch with fewer records than this share of the data in use is refused.
MIN_RECORD_RATIO = 0.5
#: Data older than this many days gets a staleness message.
STALE_AFTER_DAYS = 14
#: Seconds to wait for another polarguide process holding the cache lock.
LOCK_TIMEOUT = 60.0

Warn = Callable[[str], None]


def default_warn(message: str) -> None:
    """Issue ``message`` as a :class:`UserWarning` (the default ``warn`` callback).

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     default_warn("ignoring the cache data: corrupt")
    >>> str(caught[0].message)
    'ignoring the cache data: corrupt'
    """
    warnings.warn(message, UserWarning, stacklevel=3)


def bundled_snapshot_path() -> Path:
    """Return the path of the snapshot shipped inside the package.

    >>> bundled_snapshot_path().parts[-2:]
    ('data', 'snapshot.json.gz')
    """
    from importlib.resources import files

    return Path(str(files("polarguide").joinpath("data", "snapshot.json.gz")))


def cache_dir() -> Path:
    """Return the user cache folder (``$POLARGUIDE_CACHE_DIR`` or the platform default).

    The folder is not created here; :func:`save_snapshot` creates it.

    >>> os.environ["POLARGUIDE_CACHE_DIR"] = "/tmp/pg-doctest"
    >>> str(cache_dir())
    '/tmp/pg-doctest'
    >>> del os.environ["POLARGUIDE_CACHE_DIR"]
    """
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("polarguide", appauthor=False))


def cache_path() -> Path:
    """Return the path of the cached snapshot, ``cache_dir() / "calls.json.gz"``."""
    return cache_dir() / CACHE_FILE


def _with_origin(snapshot: Snapshot, origin: str, path: Path) -> Snapshot:
    meta = {**snapshot.meta, "origin": origin, "path": str(path)}
    return Snapshot(records=snapshot.records, meta=meta)


def _try_load(path: Path, label: str, warn: Warn) -> Snapshot | None:
    if not path.exists():
        return None
    try:
        return _with_origin(load_snapshot(path), label, path)
    except DataError as err:
        warn(f"ignoring the {label} data: {err}")
        return None


def load_current(*, warn: Warn = default_warn) -> Snapshot:
    """Return the fresher (by ``retrieved_at``) of the cached and the bundled snapshot.

    A corrupt cache is ignored and reported through ``warn`` (one line). The returned
    snapshot's ``meta`` gains ``origin`` (``"cache"`` or ``"bundled"``) and ``path``.
    Raises :class:`~polarguide.errors.DataError` if neither can be read.

    >>> import os, tempfile, pandas as pd
    >>> os.environ["POLARGUIDE_CACHE_DIR"] = tempfile.mkdtemp()
    >>> frame = pd.DataFrame({"identifier": ["LIFE-2026-SAP-NAT-NATURE"]})
    >>> _ = save_snapshot(frame, {}, retrieved_at="2026-11-28T06:00:00Z", force=True)
    >>> messages = []
    >>> snap = load_current(warn=messages.append)
    >>> snap.meta["origin"], len(snap.records), messages
    ('cache', 1, [])
    >>> del os.environ["POLARGUIDE_CACHE_DIR"]
    """
    cached = _try_load(cache_path(), "cache", warn)
    bundled = _try_load(bundled_snapshot_path(), "bundled", warn)
    candidates = [s for s in (cached, bundled) if s is not None]
    if not candidates:
        raise DataError(
            f"no readable funding data (looked in {cache_path()} and {bundled_snapshot_path()}); "
            "run `polarguide update` or reinstall polarguide"
        )
    oldest = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    # max() keeps the first of equals, so the cache wins a tie.
    return max(candidates, key=lambda s: s.retrieved_at or oldest)


def check_fetch(new_count: int, old_count: int | None) -> None:
    """Raise :class:`SuspiciousFetchError` if ``new_count`` records should not replace the data.

    >>> check_fetch(700, 723)
    >>> try:
    ...     check_fetch(12, 723)
    ... except SuspiciousFetchError as err:
    ...     print(str(err)[:55])
    the portal returned only 12 calls but the data in use h
    """
    if new_count == 0:
        raise SuspiciousFetchError(
            "the portal returned no calls; kept the old data (use --force to replace it)"
        )
    if old_count and new_count < MIN_RECORD_RATIO * old_count:
        raise SuspiciousFetchError(
            f"the portal returned only {new_count} calls but the data in use has {old_count}; "
            "kept the old data (use --force to replace it)"
        )


def save_snapshot(
    records: pd.DataFrame,
    provenance: dict[str, Any],
    *,
    retrieved_at: str | dt.datetime,
    force: bool = False,
    warn: Warn = default_warn,
) -> Path:
    """Atomically write ``records`` as the cached snapshot and return its path.

    Holds a file lock (``calls.json.gz.lock``) so concurrent runs take turns. Unless
    ``force`` is true, refuses with :class:`SuspiciousFetchError` when ``records`` is
    empty or has fewer than :data:`MIN_RECORD_RATIO` of the records now in use. The
    file is written to a temporary file in the same folder, flushed to disk, read back,
    then renamed over the old one, so readers never see a half-written file.

    >>> import os, tempfile, pandas as pd
    >>> os.environ["POLARGUIDE_CACHE_DIR"] = tempfile.mkdtemp()
    >>> frame = pd.DataFrame({"identifier": ["CERV-2026-DAPHNE"]})
    >>> save_snapshot(frame, {"source": "doctest"}, retrieved_at="2026-11-28", force=True).name
    'calls.json.gz'
    >>> del os.environ["POLARGUIDE_CACHE_DIR"]
    """
    from filelock import FileLock, Timeout

    folder = cache_dir()
    target = folder / CACHE_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DataError(f"cannot create the cache folder {folder}: {err.strerror}") from None
    lock = FileLock(str(target) + ".lock", timeout=LOCK_TIMEOUT)
    try:
        with lock:
            if not force:
                try:
                    old_count: int | None = len(load_current(warn=warn).records)
                except DataError:
                    old_count = None
                check_fetch(len(records), old_count)
            _write_atomically(records, provenance, target, retrieved_at)
    except Timeout:
        raise DataError(
            f"another polarguide process is updating {target}; try again in a minute"
        ) from None
    return target


def _write_atomically(
    records: pd.DataFrame, provenance: dict[str, Any], target: Path, retrieved_at: Any
) -> None:
    """Write the snapshot through :func:`polarguide.atomic.write_atomically`; a file that
    cannot be read back is never installed."""
    from .atomic import write_atomically

    def write(handle: Any) -> None:
        dump_snapshot(records, provenance, handle, retrieved_at=retrieved_at)

    try:
        write_atomically(target, write, verify=load_snapshot)
    except OSError as err:
        raise DataError(f"cannot write {target}: {err.strerror or err}") from None


_MESSAGES = {
    "en": "The funding data is {days} days old (retrieved {day}); run `polarguide update`.",
    "fi": "Rahoitustiedot ovat {days} päivää vanhoja (haettu {day}); aja `polarguide update`.",
}
_UNKNOWN = {
    "en": "The age of the funding data is unknown; run `polarguide update`.",
    "fi": "Rahoitustietojen ikää ei tiedetä; aja `polarguide update`.",
}


def staleness_message(
    snapshot: Snapshot | dt.datetime | None, today: dt.date, lang: str = "en"
) -> str | None:
    """Return one line saying the data is old (over :data:`STALE_AFTER_DAYS` days), else None.

    ``snapshot`` is a :class:`Snapshot` or the moment its data was retrieved (``None``:
    unknown).

    >>> import pandas as pd
    >>> snap = Snapshot(pd.DataFrame(), {"retrieved_at": "2026-08-22T05:41:38+00:00"})
    >>> print(staleness_message(snap, dt.date(2026, 11, 28), lang="fi"))
    Rahoitustiedot ovat 98 päivää vanhoja (haettu 22.8.2026); aja `polarguide update`.
    >>> staleness_message(snap, dt.date(2026, 9, 5)) is None
    True
    """
    lang = "fi" if str(lang).lower().startswith("fi") else "en"
    stamp = snapshot.retrieved_at if isinstance(snapshot, Snapshot) else snapshot
    if stamp is None:
        return _UNKNOWN[lang]
    retrieved = helsinki_day(stamp)
    days = (today - retrieved).days
    if days <= STALE_AFTER_DAYS:
        return None
    day = (
        f"{retrieved.day}.{retrieved.month}.{retrieved.year}"
        if lang == "fi"
        else retrieved.isoformat()
    )
    return _MESSAGES[lang].format(days=days, day=day)
