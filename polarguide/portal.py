"""Client for the EU Funding & Tenders Portal search API (SEDIA).

The portal answers ``POST {base}/search`` and ``POST {base}/facet`` with JSON. The
request body is ``multipart/form-data`` whose parts (``query``, ``languages``, ``sort``)
are each a file part named ``blob`` typed ``application/json``; a plain JSON body is
silently ignored by the portal. Results are paged (``pageNumber`` is 1-based) and the
portal serves at most :data:`MAX_RESULT_WINDOW` results per query, so bigger queries are
split by ``frameworkProgramme`` (then ``programmeDivision``) using facet counts.

>>> client = PortalClient("http://127.0.0.1:9/rest", concurrency=2)
>>> client.search_url(3)
'http://127.0.0.1:9/rest/search?apiKey=SEDIA&text=***&pageSize=100&pageNumber=3'
>>> [c["terms"] for c in default_query()["bool"]["must"]]
[{'type': ['1', '2', '8']}, {'status': ['31094501', '31094502']}]
"""

from __future__ import annotations

import copy
import datetime as dt
import email.utils
import json
import math
import random
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from .errors import DataError, NetworkError

if TYPE_CHECKING:
    import pandas as pd
    import requests

DEFAULT_BASE_URL = "https://api.tech.ec.europa.eu/search-api/prod/rest"
#: Results per page; the portal serves at most 100.
PAGE_SIZE = 100
#: The portal returns at most this many results for one query, whatever the page number.
MAX_RESULT_WINDOW = 10_000
#: Fields used, in order, to split a query that is bigger than the result window.
SPLIT_FIELDS = ("frameworkProgramme", "programmeDivision")
#: Grant topics (1), calls for proposals (2) and cascade funding calls (8).
CALL_TYPES = ("1", "2", "8")
#: Forthcoming (31094501) and open for submission (31094502).
OPEN_STATUSES = ("31094501", "31094502")
DEFAULT_SORT = {"field": "startDate", "order": "DESC"}
#: Longest wait honoured from a ``Retry-After`` header, in seconds.
MAX_RETRY_AFTER = 120.0
#: Longest back-off between two attempts, in seconds.
MAX_BACKOFF = 60.0
#: Connect timeout, in seconds (the read timeout is the client's ``timeout``).
CONNECT_TIMEOUT = 10.0
PRODUCT_NOTE = "Polar Magnets guide, Koillismaan Leader"


def default_query() -> dict[str, Any]:
    """Return the portal query for open and forthcoming grant topics and calls.

    >>> default_query()["bool"]["must"][1]
    {'terms': {'status': ['31094501', '31094502']}}
    """
    return {
        "bool": {
            "must": [
                {"terms": {"type": list(CALL_TYPES)}},
                {"terms": {"status": list(OPEN_STATUSES)}},
            ]
        }
    }


def with_term(query: dict[str, Any], field: str, value: str) -> dict[str, Any]:
    """Return a copy of ``query`` that also requires ``field`` to equal ``value``.

    >>> with_term(default_query(), "frameworkProgramme", "43353764")["bool"]["must"][-1]
    {'terms': {'frameworkProgramme': ['43353764']}}
    """
    narrowed = copy.deepcopy(query)
    narrowed.setdefault("bool", {}).setdefault("must", []).append({"terms": {field: [value]}})
    return narrowed


def user_agent() -> str:
    """Return the User-Agent sent to the portal.

    >>> user_agent().startswith("polarguide/")
    True
    """
    from . import __version__

    return f"polarguide/{__version__} ({PRODUCT_NOTE})"


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Parse a ``Retry-After`` header (seconds or HTTP-date), capped at :data:`MAX_RETRY_AFTER`.

    >>> retry_after_seconds("7")
    7.0
    >>> now = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.timezone.utc)
    >>> retry_after_seconds("Sat, 28 Nov 2026 12:00:30 GMT", now)
    30.0
    >>> retry_after_seconds("86400"), retry_after_seconds("soon")
    (120.0, None)
    """
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
        now = now or dt.datetime.now(dt.timezone.utc)
        seconds = (when - now).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def page_count(total: int, page_size: int = PAGE_SIZE, window: int = MAX_RESULT_WINDOW) -> int:
    """Number of pages needed for ``total`` results (never past the result window).

    >>> page_count(0), page_count(1), page_count(100), page_count(101), page_count(25_000)
    (0, 1, 1, 2, 100)
    """
    return math.ceil(min(max(total, 0), window) / page_size)


class _Retryable(Exception):
    """One failed attempt that may succeed when tried again."""

    def __init__(self, reason: str, *, data: bool = False, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.data = data
        self.wait = wait


class PortalClient:
    """Fetch search result pages and facets from the Funding & Tenders Portal.

    ``concurrency`` pages are fetched at once after the first. Failed attempts
    (connection errors, timeouts, HTTP 429 and 5xx, invalid JSON) are retried up to
    ``max_retries`` times with exponential back-off and full jitter (``backoff`` seconds
    doubled per attempt), honouring ``Retry-After``. ``sleep`` is injectable for tests.

    >>> PortalClient(concurrency=0)
    Traceback (most recent call last):
    ...
    ValueError: concurrency must be at least 1
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        concurrency: int = 4,
        timeout: float = 30,
        max_retries: int = 5,
        backoff: float = 1.0,
        session: requests.Session | None = None,
        progress: bool = False,
        sleep: Callable[[float], None] | None = None,
        page_size: int = PAGE_SIZE,
        max_window: int = MAX_RESULT_WINDOW,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.base_url = base_url.rstrip("/")
        self.concurrency = concurrency
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self.backoff = backoff
        self.progress = progress
        self.sleep = sleep or time.sleep  # (looked up when the client is made)
        self.page_size = page_size
        self.max_window = max_window
        self._session = session

    # -- URLs and requests -------------------------------------------------------------

    def search_url(self, page_number: int) -> str:
        """Return the search URL for one page (see the module example)."""
        return (
            f"{self.base_url}/search?apiKey=SEDIA&text=***"
            f"&pageSize={self.page_size}&pageNumber={page_number}"
        )

    def facet_url(self) -> str:
        """Return the facet URL.

        >>> PortalClient("http://x/rest").facet_url()
        'http://x/rest/facet?apiKey=SEDIA&text=***'
        """
        return f"{self.base_url}/facet?apiKey=SEDIA&text=***"

    def session(self) -> requests.Session:
        """Return the HTTP session (created on first use, sized for ``concurrency``).

        >>> client = PortalClient()
        >>> client.session() is client.session()
        True
        """
        if self._session is None:
            import requests

            session = requests.Session()
            adapter = requests.adapters.HTTPAdapter(
                pool_connections=1, pool_maxsize=max(self.concurrency, 10)
            )
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._session = session
        return self._session

    def search_page(
        self,
        page_number: int,
        query: dict[str, Any] | None = None,
        languages: Sequence[str] = ("en",),
    ) -> dict[str, Any]:
        """POST one search page and return its JSON payload (retrying as configured).

        >>> PortalClient("http://127.0.0.1:9/rest", max_retries=0).search_page(1)
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        polarguide.errors.NetworkError: could not fetch ...: connection failed ... after 1 tries;...
        """
        parts = {
            "query": query if query is not None else default_query(),
            "languages": list(languages),
            "sort": DEFAULT_SORT,
        }
        payload = self._post(self.search_url(page_number), parts)
        if not isinstance(payload.get("results"), list):
            raise DataError(f"{self.search_url(page_number)} answered without a results list")
        return payload

    def fetch_facets(
        self, query: dict[str, Any] | None = None, languages: Sequence[str] = ("en",)
    ) -> dict[str, Any]:
        """POST the facet request for ``query`` and return the portal's JSON payload.

        >>> PortalClient("http://127.0.0.1:9/rest", max_retries=0).fetch_facets()
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        polarguide.errors.NetworkError: could not fetch http://127.0.0.1:9/rest/facet?...
        """
        parts = {
            "query": query if query is not None else default_query(),
            "languages": list(languages),
        }
        payload = self._post(self.facet_url(), parts)
        if not isinstance(payload.get("facets"), list):
            raise DataError(f"{self.facet_url()} answered without a facets list")
        return payload

    def facet_counts(
        self, field: str, query: dict[str, Any] | None = None, languages: Sequence[str] = ("en",)
    ) -> list[tuple[str, int]]:
        """Return ``(rawValue, count)`` pairs of one facet for ``query``, biggest first.

        With the portal, e.g. ``[('43108390', 1004), ('43152860', 74), ...]``:

        >>> PortalClient("http://127.0.0.1:9/rest", max_retries=0).facet_counts("type")
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        polarguide.errors.NetworkError: could not fetch ...
        """
        facets = self.fetch_facets(query, languages)["facets"]
        for facet in facets:
            if facet.get("name") == field or facet.get("rawName") == field:
                pairs = [
                    (str(v.get("rawValue")), int(v.get("count") or 0))
                    for v in facet.get("values") or []
                    if v.get("rawValue") not in (None, "")
                ]
                return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
        return []

    def _post(self, url: str, parts: dict[str, Any]) -> dict[str, Any]:
        last: _Retryable | None = None
        for attempt in range(self.max_retries + 1):
            if attempt:
                assert last is not None
                cap = min(MAX_BACKOFF, self.backoff * 2 ** (attempt - 1))
                wait = last.wait if last.wait is not None else random.uniform(0, cap)
                self.sleep(wait)
            try:
                return self._attempt(url, parts)
            except _Retryable as failure:
                last = failure
        assert last is not None
        tries = self.max_retries + 1
        if last.data:
            raise DataError(
                f"{url} kept sending unreadable JSON ({last.reason}) after {tries} tries"
            )
        raise NetworkError(
            f"could not fetch {url}: {last.reason} after {tries} tries; "
            "check your connection and try again later"
        )

    def _attempt(self, url: str, parts: dict[str, Any]) -> dict[str, Any]:
        import requests

        files = {
            name: ("blob", json.dumps(value, ensure_ascii=False), "application/json")
            for name, value in parts.items()
        }
        try:
            response = self.session().post(
                url,
                files=files,
                headers={"User-Agent": user_agent(), "Accept": "application/json"},
                timeout=(min(CONNECT_TIMEOUT, self.timeout), self.timeout),
            )
            body = response.content  # reads the whole body inside the timeout handling
        except requests.Timeout:
            raise _Retryable(f"timed out after {self.timeout:g} s") from None
        except requests.RequestException as err:
            raise _Retryable(f"connection failed ({type(err).__name__})") from None
        status = response.status_code
        if status == 429 or status >= 500:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            raise _Retryable(f"last status HTTP {status}", wait=wait)
        if status >= 400:
            raise NetworkError(
                f"{url} refused the request with HTTP {status} {response.reason}; "
                "the portal API may have changed, please report it"
            )
        try:
            payload = json.loads(body)  # detects UTF-8/16/32 itself
        except (ValueError, UnicodeDecodeError) as err:
            raise _Retryable(f"invalid JSON: {err}", data=True) from None
        if not isinstance(payload, dict):
            raise _Retryable("JSON is not an object", data=True)
        return payload

    # -- whole queries -----------------------------------------------------------------

    def fetch_pages(
        self, query: dict[str, Any] | None = None, languages: Sequence[str] = ("en",)
    ) -> list[dict[str, Any]]:
        """Fetch every page of ``query`` and return the raw page payloads.

        ``pages[0]`` is always the first page of the query as asked; its ``totalResults``
        is what the portal reported. A query over the result window is split by
        programme (then division) and the sub-queries' pages follow; the same result can
        then appear more than once (dedupe by ``reference`` or ``identifier``).

        >>> PortalClient("http://127.0.0.1:9/rest", max_retries=0).fetch_pages()
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        polarguide.errors.NetworkError: could not fetch ...pageNumber=1: connection failed ...
        """
        query = query if query is not None else default_query()
        from tqdm import tqdm

        show = self.progress and sys.stderr.isatty()
        with (
            tqdm(total=0, unit="page", disable=not show, file=sys.stderr, leave=False) as bar,
            ThreadPoolExecutor(max_workers=self.concurrency) as pool,
        ):
            return self._collect(query, tuple(languages), SPLIT_FIELDS, pool, bar)

    def _collect(
        self,
        query: dict[str, Any],
        languages: tuple[str, ...],
        split_fields: tuple[str, ...],
        pool: ThreadPoolExecutor,
        bar: Any,
        expected: int | None = None,
    ) -> list[dict[str, Any]]:
        # Page 1 tells how many pages there are. To hide its latency, the next pages
        # are requested with it: as many as ``expected`` (a facet count) needs, or
        # ``concurrency`` pages when nothing is known. Unneeded ones are dropped.
        window_pages = page_count(self.max_window, self.page_size, self.max_window)
        guess = self.concurrency if expected is None else page_count(expected, self.page_size)
        inflight = {
            n: pool.submit(self.search_page, n, query, languages)
            for n in range(1, max(1, min(guess, window_pages)) + 1)
        }
        bar.total += len(inflight)
        bar.refresh()
        first = inflight[1].result()
        total = _int(first.get("totalResults"))
        needed = page_count(total, self.page_size, self.max_window)
        for n in [n for n in inflight if n > max(needed, 1)]:
            inflight.pop(n).cancel()
            bar.total -= 1
        bar.update(1)
        if total > self.max_window and split_fields:
            field, rest = split_fields[0], split_fields[1:]
            pages = [first]
            for value, count in self.facet_counts(field, query, languages):
                if count <= 0 or (count >= total and not rest):
                    continue  # empty, or a value that cannot narrow the query down any more
                sub = with_term(query, field, value)
                pages.extend(self._collect(sub, languages, rest, pool, bar, count))
            if len(unique_results(pages)) >= total:
                for n in [n for n in inflight if n > 1]:
                    inflight.pop(n).cancel()
                    bar.total -= 1
                return pages
            # Some results lack a value for the field (e.g. cascade calls without a
            # division): add what the unsplit query can serve, then report any gap.
            pages.extend(self._rest(inflight, needed, query, languages, pool, bar))
        else:
            pages = [first, *self._rest(inflight, needed, query, languages, pool, bar)]
        found = len(unique_results(pages))
        if found < total and total > self.max_window:
            warnings.warn(
                f"the portal has {total} results for one query but serves only "
                f"{self.max_window} at a time; {total - found} calls could not be fetched",
                stacklevel=2,
            )
        return pages

    def _rest(
        self,
        inflight: dict[int, Any],
        needed: int,
        query: dict[str, Any],
        languages: tuple[str, ...],
        pool: ThreadPoolExecutor,
        bar: Any,
    ) -> list[dict[str, Any]]:
        """Return pages 2..``needed`` in order, reusing pages already requested."""
        for n in range(2, needed + 1):
            if n not in inflight:
                inflight[n] = pool.submit(self.search_page, n, query, languages)
                bar.total += 1
        bar.refresh()
        pages = []
        for n in range(2, needed + 1):
            pages.append(inflight[n].result())
            bar.update(1)
        return pages


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def unique_results(pages: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the results of all ``pages`` once each, in order, keyed by ``reference``.

    >>> pages = [{"results": [{"reference": "1TOPICSen"}]},
    ...          {"results": [{"reference": "1TOPICSen"}, {"reference": "2TOPICSen"}]}]
    >>> [r["reference"] for r in unique_results(pages)]
    ['1TOPICSen', '2TOPICSen']
    """
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for page in pages:
        for result in page.get("results") or []:
            key = str(result.get("reference") or json.dumps(result, sort_keys=True))
            if key not in seen:
                seen.add(key)
                out.append(result)
    return out


def pages_to_records(
    pages: Sequence[dict[str, Any]], *, retrieved_at: str | dt.datetime | None = None
) -> pd.DataFrame:
    """Parse raw pages into one record frame, one row per topic ``identifier``.

    Results are deduplicated by ``reference`` first, then records by ``identifier``
    (the first seen wins, so the portal's sort order is kept).

    >>> pages_to_records([]).shape[0]
    0
    """
    from .parse import parse_search_response
    from .records import conform

    if not pages:
        return conform(None)
    merged = dict(pages[0])
    merged["results"] = unique_results(pages)
    frame = parse_search_response(merged, retrieved_at=retrieved_at)
    frame = frame.drop_duplicates(subset="identifier", keep="first")
    return conform(frame)


def fetch_calls(
    base_url: str = DEFAULT_BASE_URL,
    *,
    query: dict[str, Any] | None = None,
    languages: Sequence[str] = ("en",),
    **options: Any,
) -> pd.DataFrame:
    """Fetch open and forthcoming calls from the portal as a record frame.

    ``options`` go to :class:`PortalClient` (``concurrency``, ``timeout``, ...). Needs
    the network; the offline equivalent is ``polarguide.store.load_current().records``.

    >>> fetch_calls("http://127.0.0.1:9/rest", max_retries=0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    polarguide.errors.NetworkError: could not fetch ... check your connection and try again later
    """
    retrieved_at = dt.datetime.now(dt.timezone.utc)
    client = PortalClient(base_url, **options)
    pages = client.fetch_pages(query, languages)
    return pages_to_records(pages, retrieved_at=retrieved_at)
