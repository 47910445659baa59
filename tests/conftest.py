"""Shared fixtures: real portal captures and a fake portal on 127.0.0.1 that replays them.

See tests/fixtures/ftp/README.md for where each capture comes from.
"""

from __future__ import annotations

import gzip
import json
import math
import threading
from pathlib import Path
from typing import Any

import pytest

FTP_FIXTURES = Path(__file__).parent / "fixtures" / "ftp"


def read_fixture(name: str) -> Any:
    """Read a JSON (or gzip JSON) file from tests/fixtures/ftp."""
    path = FTP_FIXTURES / name
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rb") as handle:
        return json.loads(handle.read())


@pytest.fixture(scope="session")
def universe() -> dict[str, Any]:
    """723 raw-shaped results and the raw facet values of the 2026-08-22 capture."""
    return read_fixture("universe_2026-08-22.json.gz")


@pytest.fixture(scope="session")
def ai_page() -> dict[str, Any]:
    """The RAW search response for text 'AI', pageSize 5 (2025-12)."""
    return read_fixture("search_ai_pagesize5_2025-12.json")


def _matches(result: dict[str, Any], query: dict[str, Any]) -> bool:
    metadata = result.get("metadata") or {}
    for clause in query.get("bool", {}).get("must", []):
        for field, wanted in clause.get("terms", {}).items():
            if not set(metadata.get(field) or []) & {str(w) for w in wanted}:
                return False
    return True


class PortalFake:
    """Answers /search and /facet like the portal, from a list of real results.

    Every request is recorded in ``requests`` as a dict with ``path``, ``args``, ``parts``
    (decoded JSON), ``part_types`` (content types), ``filenames`` and ``headers``.
    """

    def __init__(self, results: list[dict], facets: dict[str, list[dict]], template: dict):
        self.results = results
        self.facets = facets
        self.template = template
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def handle(self, request: Any) -> Any:
        from werkzeug import Response

        parts = {name: json.loads(f.read()) for name, f in request.files.items()}
        seen = {
            "path": request.path,
            "args": dict(request.args),
            "parts": parts,
            "part_types": {n: f.content_type for n, f in request.files.items()},
            "filenames": {n: f.filename for n, f in request.files.items()},
            "headers": dict(request.headers),
        }
        with self.lock:
            self.requests.append(seen)
        matching = [r for r in self.results if _matches(r, parts.get("query", {}))]
        if request.path.endswith("/facet"):
            body = self.facet_payload(matching)
        else:
            size = int(request.args.get("pageSize", 10))
            number = int(request.args["pageNumber"])
            body = dict(self.template)
            body.update(
                totalResults=len(matching),
                pageNumber=number,
                pageSize=size,
                results=matching[(number - 1) * size : number * size],
            )
        return Response(json.dumps(body), content_type="application/json")

    def facet_payload(self, matching: list[dict]) -> dict[str, Any]:
        facets = []
        for name, values in self.facets.items():
            counts: dict[str, int] = {}
            for result in matching:
                for value in result["metadata"].get(name) or []:
                    counts[value] = counts.get(value, 0) + 1
            out = [dict(v, count=counts[v["rawValue"]]) for v in values if v["rawValue"] in counts]
            facet = {"name": name, "rawName": name, "database": "SEDIA", "count": len(out)}
            facets.append(dict(facet, values=out))
        return {"apiVersion": self.template.get("apiVersion"), "terms": "***", "facets": facets}

    def searches(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"].endswith("/search")]

    def pages_needed(self, page_size: int) -> int:
        return math.ceil(len(self.results) / page_size)


@pytest.fixture
def server() -> Any:
    """A threaded pytest-httpserver on 127.0.0.1 (pages are fetched concurrently)."""
    from pytest_httpserver import HTTPServer

    httpserver = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    httpserver.start()
    yield httpserver
    httpserver.clear()
    if httpserver.is_running():
        httpserver.stop()


@pytest.fixture
def portal(server: Any, universe: dict, ai_page: dict) -> PortalFake:
    """A fake portal at ``server.url_for('/rest')`` serving the 723 real results."""
    httpserver = server
    template = {k: v for k, v in ai_page.items() if k != "results"}
    template["apiVersion"] = "2.151"
    fake = PortalFake(universe["results"], universe["facets"], template)
    for endpoint in ("/rest/search", "/rest/facet"):
        httpserver.expect_request(endpoint, method="POST").respond_with_handler(fake.handle)
    fake.base_url = httpserver.url_for("/rest")
    return fake


@pytest.fixture(scope="session")
def make_records(universe: dict[str, Any]) -> Any:
    """``make_records(n)``: the first n real topics as a record frame."""
    return lambda count: records_from(universe, count)


def records_from(universe: dict[str, Any], count: int) -> Any:
    """The first ``count`` real topics as a record frame (columns of polarguide.records)."""
    import pandas as pd

    from polarguide.records import conform

    rows = [
        {
            "identifier": r["metadata"]["identifier"][0],
            "title": r["metadata"]["title"][0],
            "url": r["url"],
            "kind": "call",
        }
        for r in universe["results"]
    ]
    frame = pd.DataFrame(rows).drop_duplicates("identifier").head(count)
    return conform(frame)


@pytest.fixture
def store_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, universe: dict) -> dict[str, Path]:
    """Cache in tmp_path/cache and a bundled snapshot (300 real records, 2026-08-22)."""
    from polarguide import store
    from polarguide.snapshot import dump_snapshot

    cache = tmp_path / "cache"
    bundled = tmp_path / "bundled" / "snapshot.json.gz"
    bundled.parent.mkdir()
    dump_snapshot(
        records_from(universe, 300),
        {"source": "test bundled"},
        bundled,
        retrieved_at="2026-08-22T05:41:38Z",
    )
    monkeypatch.setenv("POLARGUIDE_CACHE_DIR", str(cache))
    monkeypatch.setattr(store, "bundled_snapshot_path", lambda: bundled)
    return {"cache": cache, "bundled": bundled, "cache_file": cache / "calls.json.gz"}
