"""``polarguide update``: fetch fresh calls from the portal and store them in the cache.

One function, :func:`update`, does fetch → parse → sanity-check → atomic save. Every
failure is a :class:`~polarguide.errors.PolarGuideError` with a one-line message
(:class:`NetworkError`, :class:`DataError`, :class:`SuspiciousFetchError`), so the CLI
can print it as is.

>>> result = UpdateResult(old_count=723, new_count=731, path=Path("calls.json.gz"),
...                       retrieved_at=dt.datetime(2026, 11, 28, 6, 0, tzinfo=dt.timezone.utc))
>>> print(result.message())
Saved 731 calls (was 723), retrieved 2026-11-28 06:00 UTC, to calls.json.gz
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DataError
from .portal import DEFAULT_BASE_URL, DEFAULT_SORT, PortalClient, default_query, pages_to_records
from .store import Warn, default_warn, load_current, save_snapshot


@dataclass(frozen=True)
class UpdateResult:
    """What an update did: record counts before and after, where, and when fetched."""

    old_count: int | None
    new_count: int
    path: Path
    retrieved_at: dt.datetime

    def message(self, lang: str = "en") -> str:
        """One line for the user.

        >>> r = UpdateResult(None, 5, Path("c.json.gz"), dt.datetime(2026, 11, 28, 6, 0))
        >>> print(r.message("fi"))
        Tallennettiin 5 hakua (ennen -), haettu 2026-11-28 06:00 UTC, tiedostoon c.json.gz
        """
        old = "-" if self.old_count is None else str(self.old_count)
        when = self.retrieved_at.strftime("%Y-%m-%d %H:%M UTC")
        if str(lang).lower().startswith("fi"):
            return (
                f"Tallennettiin {self.new_count} hakua (ennen {old}), haettu {when}, "
                f"tiedostoon {self.path}"
            )
        return f"Saved {self.new_count} calls (was {old}), retrieved {when}, to {self.path}"

    def _repr_markdown_(self) -> str:
        """What a notebook shows after ``pg.update()``: the message in the notebook's language.

        >>> r = UpdateResult(None, 5, Path("c.json.gz"), dt.datetime(2026, 11, 28, 6, 0))
        >>> r._repr_markdown_().startswith(("Saved 5", "Tallennettiin 5"))
        True
        """
        from .i18n import current_language

        return self.message(current_language())


def provenance_for(pages: list[dict[str, Any]], base_url: str, count: int) -> dict[str, Any]:
    """Describe where a fetch came from, for the snapshot's ``provenance``.

    >>> p = provenance_for([{"apiVersion": "2.151", "totalResults": 1422}], "http://x/rest", 723)
    >>> p["reported_total_results"], p["stored_records"], p["search_url"]
    (1422, 723, 'http://x/rest/search?apiKey=SEDIA&text=***')
    """
    from . import __version__

    first = pages[0] if pages else {}
    return {
        "source": "EU Funding & Tenders Portal search API (SEDIA)",
        "search_url": f"{base_url.rstrip('/')}/search?apiKey=SEDIA&text=***",
        "query": default_query(),
        "languages": ["en"],
        "sort": DEFAULT_SORT,
        "api_version": first.get("apiVersion"),
        "reported_total_results": first.get("totalResults"),
        "pages": len(pages),
        "stored_records": count,
        "fetched_by": f"polarguide {__version__}",
    }


def update(
    base_url: str | None = None,
    *,
    force: bool = False,
    progress: bool = False,
    client: PortalClient | None = None,
    warn: Warn = default_warn,
) -> UpdateResult:
    """Fetch open and forthcoming calls, check them, and save them to the cache.

    Raises :class:`~polarguide.errors.NetworkError` if the portal cannot be reached,
    :class:`~polarguide.errors.DataError` if its answers cannot be read, and
    :class:`~polarguide.errors.SuspiciousFetchError` (old data kept) if the fetch is empty
    or far smaller than the data in use, unless ``force`` is true.

    >>> offline = PortalClient("http://127.0.0.1:9/rest", max_retries=0)
    >>> update(client=offline)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    polarguide.errors.NetworkError: could not fetch http://127.0.0.1:9/rest/search?...
    """
    base_url = base_url or (client.base_url if client else DEFAULT_BASE_URL)
    client = client or PortalClient(base_url, progress=progress)
    try:
        old_count: int | None = len(load_current(warn=warn).records)
    except DataError:
        old_count = None
    retrieved_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    pages = client.fetch_pages()
    records = pages_to_records(pages, retrieved_at=retrieved_at)
    path = save_snapshot(
        records,
        provenance_for(pages, client.base_url, len(records)),
        retrieved_at=retrieved_at,
        force=force,
        warn=warn,
    )
    return UpdateResult(old_count, len(records), path, retrieved_at)
