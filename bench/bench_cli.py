"""CLI start-up: `polarguide search … --format json` (bundled data) vs bare `import pandas`.

Both commands run as fresh processes, alternately, so machine load affects both alike;
the median wall time of each is compared. Target: the CLI within 1.5× of the baseline.

    python bench/bench_cli.py [--runs 9]

Exit status 1 if the target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

TARGET = 1.5
BASELINE = [sys.executable, "-c", "import pandas"]
CLI = [
    sys.executable, "-m", "polarguide", "--today", "2026-11-28",
    "search", "nuorisovaihto ilmastonmuutos", "--profile", "polar", "--format", "json",
]  # fmt: skip


def wall_time(command: list[str], env: dict[str, str]) -> float:
    """Seconds for one run of ``command`` (output discarded; must succeed)."""
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "POLARGUIDE_CACHE_DIR": cache}  # the bundled data, no user cache
        wall_time(BASELINE, env), wall_time(CLI, env)  # warm the OS file cache
        base, cli = [], []
        for _ in range(args.runs):
            base.append(wall_time(BASELINE, env))
            cli.append(wall_time(CLI, env))
    base_median, cli_median = statistics.median(base), statistics.median(cli)
    ratio = cli_median / base_median
    print(f"import pandas      median {base_median * 1000:7.0f} ms  (runs: {args.runs})")
    print(f"polarguide search  median {cli_median * 1000:7.0f} ms")
    print(f"ratio {ratio:.2f} (target ≤ {TARGET})  {'OK' if ratio <= TARGET else 'MISSED'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
