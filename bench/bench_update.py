"""Benchmark: concurrent vs sequential page fetching by ``polarguide.portal.PortalClient``.

A threaded HTTP server on 127.0.0.1 answers every search page after 200 ms, like a slow
portal. It serves the real captured search response (tests/fixtures/ftp/...) with
``totalResults`` set so the query has 12 pages of 100. Both runs happen in this process;
the target is concurrent (4 in flight) at least 3x faster than sequential (1 in flight).

Run: ``python bench/bench_update.py`` (exit status 1 if the target is missed).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from polarguide.portal import PortalClient

LATENCY = 0.200
PAGES = 12
PAGE_SIZE = 100
TARGET = 3.0
REPEATS = 3
CAPTURE = (
    Path(__file__).resolve().parent.parent
    / "tests"
    / "fixtures"
    / "ftp"
    / "search_ai_pagesize5_2025-12.json"
)


def make_handler(template: dict) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            number = int(parse_qs(urlparse(self.path).query)["pageNumber"][0])
            time.sleep(LATENCY)
            body = dict(template, totalResults=PAGES * PAGE_SIZE, pageNumber=number)
            if number > PAGES:
                body["results"] = []
            payload = json.dumps(body).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def timed_fetch(base_url: str, concurrency: int) -> float:
    client = PortalClient(base_url, concurrency=concurrency, max_retries=0)
    started = time.perf_counter()
    pages = client.fetch_pages()
    elapsed = time.perf_counter() - started
    if [p["pageNumber"] for p in pages] != list(range(1, PAGES + 1)):
        raise SystemExit(f"wrong pages fetched with concurrency={concurrency}")
    return elapsed


def main() -> int:
    template = json.loads(CAPTURE.read_text(encoding="utf-8"))
    template["pageSize"] = PAGE_SIZE
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(template))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}/rest"
    try:
        timed_fetch(base_url, 4)  # warm up imports and connections
        sequential = min(timed_fetch(base_url, 1) for _ in range(REPEATS))
        concurrent = min(timed_fetch(base_url, 4) for _ in range(REPEATS))
    finally:
        server.shutdown()
    ratio = sequential / concurrent
    print(f"pages: {PAGES} x {LATENCY * 1000:.0f} ms latency, best of {REPEATS}")
    print(f"sequential (concurrency=1): {sequential:.3f} s")
    print(f"concurrent (concurrency=4): {concurrent:.3f} s")
    print(f"speed-up: {ratio:.2f}x (target >= {TARGET:.1f}x)")
    if ratio < TARGET:
        print("FAILED: target missed", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
