"""Search relevance on judged queries: precision@5, nDCG@10 and best answer in the top 5.

The queries and their graded judgments live in ``bench/relevance/queries.yaml`` (written
from the users' point of view and judged by reading the records, before any tuning).
Two systems are measured on the bundled data (snapshot calls + catalogue programmes),
with the command line's default status filter (``polarguide.cli.DEFAULT_STATUSES``:
open, forthcoming, recurring and expected) on the snapshot's day:

* ``library`` – :func:`polarguide.search.search`;
* ``baseline`` – a naive scan: a record matches if any query word (≥ 2 letters) is a
  case-insensitive substring of its text; ranked by the number of matching words, then
  by the next deadline.

Metrics per query (grade ≥ 2 counts as relevant):

* ``P@5`` – relevant records among the first five, divided by ``min(5, R)``, where R is
  the number of relevant records the judgments name in the data (so a query with only
  two right answers can still score 1.0, and showing fewer results never helps);
* ``nDCG@10`` – gains ``2**grade - 1``, log2 discount, ideal order from the judgments;
* ``best@5`` – one of the query's best answers (grade 3) is among the first five;
* ``first`` – the grade of the first result (``-`` when there is none).

    python bench/relevance/evaluate.py            # both systems, per query and means
    python bench/relevance/evaluate.py --system library --json
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUERIES = Path(__file__).with_name("queries.yaml")


def _default_statuses() -> tuple[str, ...]:
    """The command line's default status filter (what a user sees without --status)."""
    from polarguide.cli import DEFAULT_STATUSES

    return tuple(DEFAULT_STATUSES)


STATUSES = _default_statuses()
TEXT_COLUMNS = (
    "identifier", "title", "call_title", "programme", "programme_name", "type_of_action",
    "summary", "search_text",
)  # fmt: skip

#: A ranking function: (records, query, today, lang) -> identifiers, best first.
Ranker = Callable[[Any, str, str, str], list[str]]


@dataclass
class Judged:
    """One query with its judgments (identifier or ``re:`` pattern -> grade)."""

    query: str
    who: str
    style: str
    rules: list[tuple[str, int]]

    def grade(self, identifier: str) -> int:
        """The grade of a record (the highest rule that matches; 0 if none).

        >>> Judged("q", "", "", [("A-1", 3), ("re:B-.*", 2)]).grade("B-7")
        2
        """
        best = 0
        for rule, value in self.rules:
            if rule.startswith("re:"):
                hit = re.fullmatch(rule[3:], identifier) is not None
            else:
                hit = rule == identifier
            if hit:
                best = max(best, value)
        return best

    def best(self, identifiers: Sequence[str]) -> set[str]:
        """The records of ``identifiers`` graded 3."""
        return {i for i in identifiers if self.grade(i) == 3}


@dataclass
class Score:
    """The figures of one query for one system."""

    query: str
    p5: float
    ndcg10: float
    best5: bool
    first: int | None
    top: list[str] = field(default_factory=list)


@dataclass
class Report:
    """Per-query scores and their means for one system."""

    system: str
    scores: list[Score]

    @property
    def p5(self) -> float:
        return sum(s.p5 for s in self.scores) / len(self.scores)

    @property
    def ndcg10(self) -> float:
        return sum(s.ndcg10 for s in self.scores) / len(self.scores)

    @property
    def best5(self) -> float:
        return sum(s.best5 for s in self.scores) / len(self.scores)

    @property
    def bad_first(self) -> list[str]:
        """Queries whose first result is not useful (grade 0) or missing."""
        return [s.query for s in self.scores if not s.first]


def load_queries(path: Path = QUERIES) -> tuple[list[Judged], str, str]:
    """The judged queries, the evaluation day and the record language."""
    import yaml

    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for item in doc["queries"]:
        rules = [(str(r), g) for key, g in (("best", 3), ("relevant", 2), ("marginal", 1))
                 for r in item.get(key) or []]  # fmt: skip
        if not any(g == 3 for _, g in rules):
            raise ValueError(f"query {item['query']!r} has no best answer")
        out.append(Judged(item["query"], item.get("who", ""), item.get("style", ""), rules))
    return out, str(doc["today"]), str(doc.get("lang", "fi"))


@lru_cache(maxsize=2)
def load_records(lang: str = "fi") -> Any:
    """The bundled snapshot's calls and the catalogue's programmes (never the user cache)."""
    import pandas as pd

    from polarguide.catalogue import catalogue_records
    from polarguide.snapshot import load_snapshot
    from polarguide.store import bundled_snapshot_path

    calls = load_snapshot(bundled_snapshot_path()).records
    return pd.concat([calls, catalogue_records(lang)], ignore_index=True)


def library_ranking(df: Any, query: str, today: str, lang: str) -> list[str]:
    """The library's ranking, as the command line calls it."""
    from polarguide.search import search

    hits = search(df, query, status=list(STATUSES), today=today, lang=lang, limit=10)
    return hits["identifier"].tolist()


def baseline_ranking(df: Any, query: str, today: str, lang: str) -> list[str]:
    """Naive substring scan: any query word matches; more words, then earlier deadline."""
    from polarguide.search import search

    visible = search(df, "", status=list(STATUSES), today=today, lang=lang)
    text = visible[[c for c in TEXT_COLUMNS if c in visible.columns]].fillna("").astype(str)
    joined = text.agg(" ".join, axis=1) + " " + visible["keywords"].map(" ".join)
    joined = joined.str.casefold()
    words = {w for w in re.findall(r"[^\W_]+", query.casefold()) if len(w) >= 2}
    count = sum(joined.str.contains(w, regex=False).astype(int) for w in words)
    if not words:
        return []
    ranked = visible.assign(_n=count)[lambda f: f["_n"] > 0]
    ranked = ranked.sort_values(
        ["_n", "next_deadline", "identifier"], ascending=[False, True, True], kind="stable"
    )
    return ranked["identifier"].head(10).tolist()


SYSTEMS: dict[str, Ranker] = {"library": library_ranking, "baseline": baseline_ranking}


def score_query(judged: Judged, ranked: list[str], all_ids: Sequence[str]) -> Score:
    """The figures of one ranking against the judgments (see the module docstring)."""
    grades = [judged.grade(i) for i in ranked]
    pool = sorted((judged.grade(i) for i in all_ids), reverse=True)
    relevant_total = sum(g >= 2 for g in pool)
    p5 = sum(g >= 2 for g in grades[:5]) / max(1, min(5, relevant_total))
    dcg = sum((2**g - 1) / math.log2(k + 2) for k, g in enumerate(grades[:10]))
    ideal = sum((2**g - 1) / math.log2(k + 2) for k, g in enumerate(pool[:10]))
    best = judged.best(all_ids)
    return Score(
        query=judged.query,
        p5=p5,
        ndcg10=dcg / ideal if ideal else 0.0,
        best5=bool(best & set(ranked[:5])),
        first=grades[0] if grades else None,
        top=ranked[:5],
    )


def evaluate(system: str | Ranker = "library", path: Path = QUERIES) -> Report:
    """Run every judged query through ``system`` and score it."""
    judged, today, lang = load_queries(path)
    df = load_records(lang)
    rank = SYSTEMS[system] if isinstance(system, str) else system
    name = system if isinstance(system, str) else getattr(system, "__name__", "custom")
    all_ids = df["identifier"].tolist()
    scores = [score_query(j, rank(df, j.query, today, lang), all_ids) for j in judged]
    return Report(name, scores)


def _table(reports: list[Report]) -> str:
    lines = []
    head = f"{'query':42} " + " ".join(f"{r.system[:8]:>8} P@5 nDCG b5 1st" for r in reports)
    lines.append(head)
    for k, score in enumerate(reports[0].scores):
        cells = []
        for report in reports:
            s = report.scores[k]
            first = "-" if s.first is None else str(s.first)
            cells.append(f"{'':>8} {s.p5:.2f} {s.ndcg10:.2f} {'y' if s.best5 else 'n'} {first:>3}")
        lines.append(f"{score.query[:42]:42} " + " ".join(cells))
    lines.append("")
    for report in reports:
        lines.append(
            f"{report.system}: queries {len(report.scores)}  mean P@5 {report.p5:.3f}  "
            f"mean nDCG@10 {report.ndcg10:.3f}  best in top 5 {report.best5:.1%}  "
            f"irrelevant or no first result {len(report.bad_first)}"
            + (f" ({'; '.join(report.bad_first)})" if report.bad_first else "")
        )
    if len(reports) == 2:
        lines.append(f"P@5 lead of {reports[0].system}: {reports[0].p5 - reports[1].p5:+.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--system", choices=[*SYSTEMS, "both"], default="both")
    parser.add_argument("--json", action="store_true", help="per-query figures as JSON")
    parser.add_argument("--top", action="store_true", help="also print each query's top 5")
    args = parser.parse_args(argv)
    names = list(SYSTEMS) if args.system == "both" else [args.system]
    reports = [evaluate(name) for name in names]
    if args.json:
        out = {
            r.system: {
                "p5": r.p5,
                "ndcg10": r.ndcg10,
                "best5": r.best5,
                "bad_first": r.bad_first,
                "queries": [asdict(s) for s in r.scores],
            }
            for r in reports
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(_table(reports))
    if args.top:
        for report in reports:
            print(f"\n== {report.system}")
            for s in report.scores:
                print(f"{s.query}: {', '.join(s.top)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
