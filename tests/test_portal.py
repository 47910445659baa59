"""The portal client against a real HTTP server on 127.0.0.1 replaying real captures."""

from __future__ import annotations

import json
import socket
import threading
import time
import warnings
from typing import Any

import pytest
from werkzeug import Response

from polarguide import __version__
from polarguide.errors import DataError, NetworkError
from polarguide.portal import (
    DEFAULT_SORT,
    MAX_RETRY_AFTER,
    PortalClient,
    default_query,
    fetch_calls,
    unique_results,
)
from polarguide.records import COLUMNS


def client_for(base_url: str, waits: list[float] | None = None, **options: Any) -> PortalClient:
    options.setdefault("backoff", 0.5)
    sleep = waits.append if waits is not None else (lambda _s: None)
    return PortalClient(base_url, sleep=sleep, **options)


def page_bytes(ai_page: dict) -> bytes:
    return json.dumps(ai_page).encode("utf-8")


# -- request format ----------------------------------------------------------------------


def test_search_request_is_multipart_with_three_json_blob_parts(portal):
    client_for(portal.base_url).search_page(1)
    (seen,) = portal.requests
    assert seen["path"] == "/rest/search"
    assert seen["args"] == {"apiKey": "SEDIA", "text": "***", "pageSize": "100", "pageNumber": "1"}
    assert seen["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")
    assert seen["part_types"] == {p: "application/json" for p in ("query", "languages", "sort")}
    assert set(seen["filenames"].values()) == {"blob"}
    assert seen["parts"] == {"query": default_query(), "languages": ["en"], "sort": DEFAULT_SORT}


def test_facet_request_sends_query_and_languages_parts(portal):
    payload = client_for(portal.base_url).fetch_facets(languages=("fi", "en"))
    (seen,) = portal.requests
    assert seen["path"] == "/rest/facet"
    assert seen["args"] == {"apiKey": "SEDIA", "text": "***"}
    assert seen["part_types"] == {"query": "application/json", "languages": "application/json"}
    assert seen["parts"]["languages"] == ["fi", "en"]
    programmes = next(f for f in payload["facets"] if f["name"] == "frameworkProgramme")
    assert sum(v["count"] for v in programmes["values"]) == 723


def test_user_agent_names_polarguide_and_its_version(portal):
    client_for(portal.base_url).search_page(1)
    agent = portal.requests[0]["headers"]["User-Agent"]
    assert agent == f"polarguide/{__version__} (Polar Magnets guide, Koillismaan Leader)"


# -- pagination and concurrency ----------------------------------------------------------


def test_fetch_pages_follows_total_results_to_the_last_page(portal):
    pages = client_for(portal.base_url).fetch_pages()
    assert [p["pageNumber"] for p in pages] == list(range(1, 9))  # ceil(723 / 100)
    numbers = sorted(int(r["args"]["pageNumber"]) for r in portal.searches())
    assert numbers == list(range(1, 9))
    references = [r["reference"] for r in unique_results(pages)]
    assert references == [r["reference"] for r in portal.results]


def test_a_one_page_query_returns_one_page_whatever_was_requested_ahead(portal):
    portal.results = portal.results[:60]
    pages = client_for(portal.base_url, concurrency=4).fetch_pages()
    assert [len(p["results"]) for p in pages] == [60]
    assert 1 <= len(portal.searches()) <= 4  # pages 2-4 may be asked for ahead, then dropped


def test_sequential_client_asks_only_for_the_pages_it_needs(portal):
    pages = client_for(portal.base_url, concurrency=1).fetch_pages()
    assert len(pages) == 8
    assert [int(r["args"]["pageNumber"]) for r in portal.searches()] == list(range(1, 9))


def test_small_page_size_means_more_pages(portal):
    pages = client_for(portal.base_url, page_size=50).fetch_pages()
    assert len(pages) == 15
    assert sum(len(p["results"]) for p in pages) == 723


def test_no_more_requests_in_flight_than_concurrency(server, ai_page):
    state = {"now": 0, "peak": 0}
    lock = threading.Lock()

    def handler(request):
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(0.15)
        with lock:
            state["now"] -= 1
        body = dict(ai_page, totalResults=1000, pageNumber=int(request.args["pageNumber"]))
        return Response(json.dumps(body), content_type="application/json")

    server.expect_request("/rest/search").respond_with_handler(handler)
    pages = client_for(server.url_for("/rest"), concurrency=3).fetch_pages()
    assert len(pages) == 10
    assert 2 <= state["peak"] <= 3


# -- retries -----------------------------------------------------------------------------


def test_429_waits_for_retry_after_seconds_then_succeeds(portal, server):
    server.expect_oneshot_request("/rest/search").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    waits: list[float] = []
    page = client_for(portal.base_url, waits).search_page(1)
    assert waits == [7.0]
    assert page["totalResults"] == 723


def test_429_retry_after_http_date_and_huge_values_are_capped(server, ai_page):
    server.expect_oneshot_request("/rest/search").respond_with_data(
        "", status=429, headers={"Retry-After": "Fri, 31 Dec 2100 23:59:59 GMT"}
    )
    server.expect_oneshot_request("/rest/search").respond_with_data(
        "", status=503, headers={"Retry-After": "99999"}
    )
    server.expect_request("/rest/search").respond_with_json(ai_page)
    waits: list[float] = []
    client_for(server.url_for("/rest"), waits).search_page(1)
    assert waits == [MAX_RETRY_AFTER, MAX_RETRY_AFTER]


def test_500_is_retried_with_jittered_backoff(portal, server):
    server.expect_oneshot_request("/rest/search").respond_with_data("oops", status=500)
    server.expect_oneshot_request("/rest/search").respond_with_data("oops", status=502)
    waits: list[float] = []
    page = client_for(portal.base_url, waits, backoff=0.5).search_page(2)
    assert page["pageNumber"] == 2
    assert len(waits) == 2
    assert 0 <= waits[0] <= 0.5 and 0 <= waits[1] <= 1.0


def test_retries_exhausted_raise_network_error_naming_url_and_status(server):
    server.expect_request("/rest/search").respond_with_data("down", status=503)
    waits: list[float] = []
    client = client_for(server.url_for("/rest"), waits, max_retries=3, backoff=2)
    with pytest.raises(NetworkError) as caught:
        client.search_page(1)
    message = str(caught.value)
    assert "/rest/search?apiKey=SEDIA" in message and "HTTP 503" in message
    assert "4 tries" in message and "\n" not in message
    assert len(waits) == 3
    assert all(0 <= w <= 2 * 2**i for i, w in enumerate(waits))
    assert len(server.log) == 4


def test_client_error_fails_at_once(server):
    server.expect_request("/rest/search").respond_with_data("no", status=400)
    waits: list[float] = []
    with pytest.raises(NetworkError, match="HTTP 400"):
        client_for(server.url_for("/rest"), waits).search_page(1)
    assert waits == [] and len(server.log) == 1


def test_timeout_is_retried_then_reported(server, ai_page):
    def slow(request):
        time.sleep(1.0)
        return Response(json.dumps(ai_page), content_type="application/json")

    server.expect_request("/rest/search").respond_with_handler(slow)
    started = time.perf_counter()
    with pytest.raises(NetworkError, match=r"timed out after 0\.2 s"):
        client_for(server.url_for("/rest"), timeout=0.2, max_retries=1).search_page(1)
    assert time.perf_counter() - started < 1.5  # did not wait for the slow server


def test_timeout_then_success(server, ai_page):
    def slow(request):
        time.sleep(1.0)
        return Response("{}", content_type="application/json")

    server.expect_oneshot_request("/rest/search").respond_with_handler(slow)
    server.expect_request("/rest/search").respond_with_json(ai_page)
    waits: list[float] = []
    page = client_for(server.url_for("/rest"), waits, timeout=0.3).search_page(1)
    assert page["totalResults"] == ai_page["totalResults"] and len(waits) == 1


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("truncated", id="truncated"),
        pytest.param(b"<!DOCTYPE html><html><body>Service Unavailable</body></html>", id="html"),
        pytest.param(b"[1, 2, 3]", id="not-an-object"),
    ],
)
def test_bad_json_in_a_200_is_retried_then_data_error(server, ai_page, body):
    if body == "truncated":
        raw = page_bytes(ai_page)
        body = raw[: len(raw) // 2]
    server.expect_oneshot_request("/rest/search").respond_with_data(
        body, content_type="application/json"
    )
    server.expect_request("/rest/search").respond_with_json(ai_page)
    waits: list[float] = []
    assert client_for(server.url_for("/rest"), waits).search_page(1)["pageSize"] == 5
    assert len(waits) == 1

    server.clear()
    server.expect_request("/rest/search").respond_with_data(body, content_type="application/json")
    with pytest.raises(DataError, match="unreadable JSON"):
        client_for(server.url_for("/rest"), max_retries=2).search_page(1)


def test_utf16_page_is_decoded(server, ai_page):
    server.expect_request("/rest/search").respond_with_data(
        "\ufeff".encode("utf-16-le") + json.dumps(ai_page).encode("utf-16-le"),
        content_type="application/json",
    )
    page = client_for(server.url_for("/rest")).search_page(1)
    assert page["results"][0]["reference"] == "48400948TOPICSsv"


class ResettingServer:
    """A raw TCP server on 127.0.0.1 that resets the first ``resets`` connections."""

    def __init__(self, body: bytes, resets: int) -> None:
        self.body, self.resets, self.accepted = body, resets, 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/rest"
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            with conn:
                if self.accepted <= self.resets:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
                    continue  # closing with linger 0 sends RST
                request = b""
                while b"\r\n\r\n" not in request:
                    request += conn.recv(65536)
                head, _, rest = request.partition(b"\r\n\r\n")
                length = int(
                    next(
                        line.split(b":")[1]
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length")
                    )
                )
                while len(rest) < length:
                    rest += conn.recv(65536)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(self.body)}\r\nConnection: close\r\n\r\n".encode()
                    + self.body
                )

    def close(self) -> None:
        self.sock.close()


def test_connection_reset_is_retried_then_succeeds(ai_page):
    raw = ResettingServer(page_bytes(ai_page), resets=2)
    try:
        waits: list[float] = []
        page = client_for(raw.url, waits).search_page(1)
        assert page["totalResults"] == 21030
        assert raw.accepted == 3 and len(waits) == 2
    finally:
        raw.close()


def test_connection_reset_every_time_raises_network_error(ai_page):
    raw = ResettingServer(page_bytes(ai_page), resets=100)
    try:
        with pytest.raises(NetworkError, match=r"connection failed .* after 3 tries"):
            client_for(raw.url, max_retries=2).search_page(1)
        assert raw.accepted == 3
    finally:
        raw.close()


def test_nothing_listening_raises_network_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(NetworkError, match="check your connection"):
        client_for(f"http://127.0.0.1:{port}/rest", max_retries=1).search_page(1)


# -- splitting queries over the result window ----------------------------------------------


def test_query_over_the_window_is_split_by_programme_then_division(portal):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pages = client_for(portal.base_url, max_window=450).fetch_pages()
    assert pages[0]["totalResults"] == 723
    facets = [r for r in portal.requests if r["path"].endswith("/facet")]
    filters = [_terms(r["parts"]["query"]) for r in facets]
    assert {} in filters  # the whole query, split by programme
    assert {"frameworkProgramme": ["43108390"]} in filters  # HORIZON (509) split by division
    narrowed = [_terms(r["parts"]["query"]) for r in portal.searches()]
    assert any("programmeDivision" in t for t in narrowed)
    # 41 HORIZON cascade calls have no division: the unsplit HORIZON query is paged too
    horizon = [
        int(r["args"]["pageNumber"])
        for r in portal.searches()
        if _terms(r["parts"]["query"]) == {"frameworkProgramme": ["43108390"]}
    ]
    assert sorted(horizon) == [1, 2, 3, 4, 5]
    assert all(int(r["args"]["pageNumber"]) <= 5 for r in portal.searches())
    references = {r["reference"] for r in unique_results(pages)}
    assert references == {r["reference"] for r in portal.results}
    assert [str(w.message) for w in caught] == []


def test_split_that_cannot_cover_everything_warns(portal):
    with pytest.warns(UserWarning, match="serves only 100"):
        pages = client_for(portal.base_url, max_window=100).fetch_pages()
    assert len(unique_results(pages)) < 723


def _terms(query: dict) -> dict:
    base = {next(iter(c["terms"])) for c in default_query()["bool"]["must"]}
    return {
        field: values
        for clause in query["bool"]["must"]
        for field, values in clause["terms"].items()
        if field not in base
    }


# -- progress and the top-level function -------------------------------------------------


def test_progress_is_silent_when_stderr_is_not_a_tty(portal, capfd):
    client_for(portal.base_url, progress=True).fetch_pages()
    assert capfd.readouterr().err == ""


def test_fetch_calls_returns_one_record_per_topic(portal):
    frame = fetch_calls(portal.base_url, sleep=lambda _s: None)
    assert list(frame.columns)[: len(COLUMNS)] == list(COLUMNS)
    identifiers = {r["metadata"]["identifier"][0] for r in portal.results}
    assert len(frame) == len(identifiers) == 683
    assert set(frame["identifier"]) == identifiers
    assert set(frame["kind"]) == {"call"}
    assert frame["retrieved_at"].notna().all()
