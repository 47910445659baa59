"""Search speed on 10,000 records: BM25F index vs a naive pandas ``str.contains`` scan.

The bundled snapshot (real calls) is repeated with new identifiers up to 10,000 rows.
~50 realistic Finnish and English queries run against the prebuilt index and, in the
same process, against a naive scan that looks for the same words (query words plus
their glossary translations) with ``str.contains`` over the same text columns and ranks
by the number of matching words.

Targets: median ≤ 5 ms per query and ≥ 20× faster than the naive scan; exits 1 if missed.

    python bench/bench_search.py [--records 10000]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "nuoret",
    "nuorille",
    "nuorisovaihto",
    "ilmastonmuutos",
    "ilmasto",
    "luonnon monimuotoisuus",
    "luonto",
    "ympäristö",
    "maaseutu",
    "kulttuuri",
    "kulttuuriperintö",
    "vapaaehtoistyö",
    "energia",
    "uusiutuva energia",
    "koulutus",
    "digitalisaatio",
    "terveys",
    "vesi",
    "metsä",
    "matkailu",
    "kiertotalous",
    "tasa-arvo",
    "demokratia",
    "osallisuus",
    "saamelaiskulttuuri",
    "arktinen",
    "pienet hankkeet",
    "kylätoiminta",
    "nuorten osallisuus",
    "ilmastonmuutokseen sopeutuminen",
    "youth",
    "youth exchange",
    "climate change adaptation",
    "biodiversity",
    "nature",
    "rural areas",
    "cultural heritage",
    "volunteering",
    "renewable energy",
    "circular economy",
    "digital skills",
    "health",
    "water",
    "forest",
    "tourism",
    "gender equality",
    "democracy",
    "arctic",
    "lump sum",
    "town twinning",
]

FALLBACK_GLOSSARY = [  # used only until polarguide/data/glossary.yaml exists
    ("nuoret", "youth", ["nuoriso", "nuori"], ["young people"]),
    ("ilmasto", "climate", [], []),
    ("muutos", "change", [], []),
    ("ilmastonmuutos", "climate change", [], []),
    ("sopeutuminen", "adaptation", [], []),
    ("vaihto", "exchange", [], []),
    ("luonto", "nature", [], []),
    ("luonnon monimuotoisuus", "biodiversity", [], []),
    ("ympäristö", "environment", [], []),
    ("maaseutu", "rural areas", [], ["rural"]),
    ("kulttuuri", "culture", [], []),
    ("kulttuuriperintö", "cultural heritage", [], []),
    ("perintö", "heritage", [], []),
    ("vapaaehtoistyö", "volunteering", [], []),
    ("energia", "energy", [], []),
    ("uusiutuva energia", "renewable energy", [], []),
    ("koulutus", "education", [], ["training"]),
    ("digitalisaatio", "digitalisation", [], []),
    ("terveys", "health", [], []),
    ("vesi", "water", [], []),
    ("metsä", "forest", [], []),
    ("matkailu", "tourism", [], []),
    ("kiertotalous", "circular economy", [], []),
    ("tasa-arvo", "equality", [], ["gender equality"]),
    ("demokratia", "democracy", [], []),
    ("osallisuus", "participation", [], ["inclusion"]),
    ("arktinen", "arctic", [], []),
    ("kylä", "village", [], []),
    ("toiminta", "activity", [], []),
    ("hanke", "project", [], []),
    ("saamelainen", "Sámi", [], []),
]


def load_glossary_or_fallback():
    """The real glossary if present, else the small fallback (reported in the output)."""
    from types import SimpleNamespace

    try:
        from polarguide.glossary import load_glossary

        return load_glossary(), "polarguide glossary"
    except (ImportError, OSError) as err:
        terms = [
            SimpleNamespace(fi=f, en=e, fi_synonyms=fs, en_synonyms=es)
            for f, e, fs, es in FALLBACK_GLOSSARY
        ]
        return terms, f"fallback glossary ({len(terms)} terms; {type(err).__name__})"


def scaled_records(n: int):
    """The bundled snapshot repeated to ``n`` rows, each copy with new identifiers."""
    import pandas as pd

    from polarguide.snapshot import load_snapshot

    base = load_snapshot(ROOT / "polarguide" / "data" / "snapshot.json.gz").records
    copies = []
    for k in range(-(-n // len(base))):
        copy = base.copy()
        copy["identifier"] = copy["identifier"] + f"-x{k}"
        copies.append(copy)
    return pd.concat(copies, ignore_index=True).head(n).reset_index(drop=True)


def naive_words(query: str, lexicon) -> list[str]:
    """The words a naive scan looks for: query words plus glossary translations."""
    from polarguide.textindex import analyze_query

    words: set[str] = set()
    for concept in analyze_query(query, lexicon):
        for alt in concept.alts:
            label = alt.label.split("→")[-1]
            words.update(w for w in re.split(r"[\s+]+", label) if len(w) > 2)
    return sorted(words)


def naive_search(df, words: list[str]):
    """Rank rows by how many of ``words`` appear (case-insensitive) in the text columns."""
    text = (
        df["title"].fillna("")
        + " "
        + df["keywords"].map(" ".join)
        + " "
        + df["summary"].fillna("")
        + " "
        + df["call_title"].fillna("")
        + " "
        + df["programme"].fillna("")
        + " "
        + df["type_of_action"].fillna("")
    )
    hits = sum(text.str.contains(re.escape(w), case=False, regex=True).astype(int) for w in words)
    hits = hits[hits > 0]
    return hits.sort_values(ascending=False).index


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    args = parser.parse_args(argv)

    from polarguide.search import search
    from polarguide.textindex import build_index

    glossary, glossary_note = load_glossary_or_fallback()
    df = scaled_records(args.records)
    start = time.perf_counter()
    index = build_index(df, glossary)
    build_s = time.perf_counter() - start

    index_ms, naive_ms, search_ms, hits_total = [], [], [], 0
    for query in QUERIES:
        index.search(query)  # warm the stem caches for this query
        runs = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            hits = index.search(query)
            runs.append((time.perf_counter() - t0) * 1000)
        index_ms.append(statistics.median(runs))
        hits_total += len(hits.ids)
        words = naive_words(query, index.lexicon)
        t0 = time.perf_counter()
        naive_search(df, words)
        naive_ms.append((time.perf_counter() - t0) * 1000)
    search(df, "nuoret", glossary=glossary, today="2026-11-28")  # builds the cached index
    for query in QUERIES:
        t0 = time.perf_counter()
        search(df, query, glossary=glossary, today="2026-11-28")
        search_ms.append((time.perf_counter() - t0) * 1000)

    median, p95 = statistics.median(index_ms), percentile(index_ms, 0.95)
    naive_median = statistics.median(naive_ms)
    speedup = naive_median / median
    print(f"records: {len(df)}  queries: {len(QUERIES)}  glossary: {glossary_note}")
    print(f"index build: {build_s:.2f} s  terms: {len(index.postings)}")
    print(
        f"index query: median {median:.2f} ms  p95 {p95:.2f} ms  "
        f"hits/query {hits_total / len(QUERIES):.0f}"
    )
    print(
        f"naive str.contains: median {naive_median:.1f} ms  p95 {percentile(naive_ms, 0.95):.1f} ms"
    )
    print(f"speed-up (median naive / median index): {speedup:.0f}x")
    print(
        f"search() end to end (filters, days left, DataFrame): median "
        f"{statistics.median(search_ms):.1f} ms  p95 {percentile(search_ms, 0.95):.1f} ms"
    )
    ok = median <= 5.0 and speedup >= 20
    print("targets (median ≤ 5 ms, ≥ 20x naive):", "MET" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
