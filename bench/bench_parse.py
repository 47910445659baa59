"""Benchmark: parse_search_response on full real topic records vs the bare floor.

Run from the repository root::

    python bench/bench_parse.py [--records 500] [--repeat 7]

The real type-1 topic records of captures 1 and 2 (tests/fixtures, ~35-40 KB each) are
replicated to ``--records`` records (each copy gets its own identifier, also inside its
budgetOverview, so no copy is merged away) and serialised into one response body.

* parse  = ``json.loads`` of the body + ``parse_search_response`` (records → DataFrame)
* floor  = ``json.loads`` of the body + ``nh3.clean`` (default settings) of every HTML field
  of every record (descriptionByte, topicConditions, supportInfo, destinationDetails,
  sepTemplate)

Both run in this process, alternately, best of ``--repeat`` each. Target: parse rate
≥ 2/3 of the floor rate; the exit status is 1 if the target is missed.
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import sys
import time
from pathlib import Path

import nh3

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from polarguide.parse import parse_search_response, read_payload  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
CAPTURES = [
    FIXTURES / "sedia-search_text-AI_pageSize5_noFilter_apiv2.143.3_2025-12_NMMonteiro.json",
    FIXTURES
    / "sedia-search_text-AI_pageSize10_noFilter_apiv2.143.3_2025-12_NMMonteiro_UTF16LE.json",
]
HTML_FIELDS = (
    "descriptionByte",
    "topicConditions",
    "supportInfo",
    "destinationDetails",
    "sepTemplate",
)
TARGET = 2 / 3


def make_body(count: int) -> tuple[str, int]:
    """Return the JSON body of ``count`` replicated real topic records and its mean record size."""
    originals = [
        result
        for path in CAPTURES
        for result in read_payload(path)["results"]
        if result["metadata"].get("type") == ["1"]
    ]
    results = []
    for index in range(count):
        result = copy.deepcopy(originals[index % len(originals)])
        meta = result["metadata"]
        old = meta["identifier"][0]
        new = f"{old}-COPY{index}"
        meta["identifier"] = [new]
        meta["budgetOverview"] = [meta["budgetOverview"][0].replace(f"{old} - ", f"{new} - ")]
        results.append(result)
    body = json.dumps({"results": results}, ensure_ascii=False)
    size = sum(len(json.dumps(r, ensure_ascii=False)) for r in originals) // len(originals)
    return body, size


def run_parse(body: str) -> int:
    """json.loads + parse_search_response; return the number of records."""
    frame = parse_search_response(json.loads(body), retrieved_at="2026-11-28T00:00:00Z")
    return len(frame)


def run_floor(body: str) -> int:
    """json.loads + nh3.clean of every HTML field; return the number of records."""
    payload = json.loads(body)
    for result in payload["results"]:
        meta = result["metadata"]
        for field in HTML_FIELDS:
            for value in meta.get(field) or []:
                nh3.clean(value)
    return len(payload["results"])


def best_rates(body: str, repeat: int) -> tuple[float, float]:
    """Best records/s of parse and of floor, measured alternately so load hits both alike."""
    best = {run_parse: float("inf"), run_floor: float("inf")}
    counts = {run_parse: 0, run_floor: 0}
    for _ in range(repeat):
        for function in (run_floor, run_parse):
            start = time.perf_counter()
            counts[function] = function(body)
            best[function] = min(best[function], time.perf_counter() - start)
    return counts[run_parse] / best[run_parse], counts[run_floor] / best[run_floor]


def main(argv: list[str] | None = None) -> int:
    """Measure and print both rates and their ratio; 1 if the target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    body, size = make_body(args.records)
    run_parse(body)  # warm up: imports pandas, loads the code table
    run_floor(body)
    parse_rate, floor_rate = best_rates(body, args.repeat)
    ratio = parse_rate / floor_rate
    machine = f"{platform.machine()} {platform.processor() or ''}".strip()
    print(f"machine: {machine}, Python {platform.python_version()}")
    print(f"records: {args.records} (mean real record {size / 1000:.1f} KB), best of {args.repeat}")
    print(f"floor (json.loads + nh3.clean of HTML fields): {floor_rate:8.0f} records/s")
    print(f"parse (json.loads + parse_search_response):    {parse_rate:8.0f} records/s")
    print(f"ratio parse/floor: {ratio:.2f} (target >= {TARGET:.2f})")
    if ratio < TARGET:
        print("TARGET MISSED", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
