"""Peak memory (RSS) of a fresh process holding 10,000 records and their search index.

Two fresh child processes, measured the same way (peak RSS from /proc/self/status
``VmHWM``, cross-checked with ``resource.getrusage``):

* baseline: ``import pandas`` only;
* workload: load the bundled snapshot, scale to 10,000 records (as in
  ``bench_search.py``), build the index and run one query.

Target: workload peak ≤ 300 MB; exits 1 if missed.

    python bench/bench_memory.py [--records 10000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PEAK = """
import json, resource
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
rusage_mb = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

BASELINE = (
    PEAK
    + """
import pandas
print(json.dumps({"peak_mb": peak_mb(), "ru_maxrss_mb": rusage_mb()}))
"""
)

WORKLOAD = (
    PEAK
    + """
import sys
sys.path.insert(0, {root!r}); sys.path.insert(0, {bench!r})
from bench_search import load_glossary_or_fallback, scaled_records
from polarguide.textindex import build_index
glossary, note = load_glossary_or_fallback()
df = scaled_records({n})
index = build_index(df, glossary)
hits = index.search("nuorisovaihto ilmastonmuutos")
print(json.dumps({{"peak_mb": peak_mb(), "ru_maxrss_mb": rusage_mb(), "records": len(df),
                  "terms": len(index.postings), "glossary": note}}))
"""
)


def run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--limit-mb", type=float, default=300.0)
    args = parser.parse_args(argv)
    base = run(BASELINE)
    work = run(WORKLOAD.format(root=str(ROOT), bench=str(ROOT / "bench"), n=args.records))
    print(f"baseline (import pandas): peak RSS {base['peak_mb']:.0f} MB")
    print(
        f"workload ({work['records']} records + index, {work['terms']} terms, "
        f"{work['glossary']}): peak RSS {work['peak_mb']:.0f} MB "
        f"(getrusage {work['ru_maxrss_mb']:.0f} MB)"
    )
    print(f"above baseline: {work['peak_mb'] - base['peak_mb']:.0f} MB")
    ok = work["peak_mb"] <= args.limit_mb
    print(f"target (≤ {args.limit_mb:.0f} MB):", "MET" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
