"""The ``polarguide`` command line.

Every command works offline on the bundled snapshot (or the fresher cache that
``polarguide update`` writes). Bad input prints one line on stderr and exits
with 2; runtime failures (network, corrupt data) exit with 1. Never a traceback.

>>> main(["--today", "2026-11-28", "search", "x", "--within", "soon"])
2
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import InputError, PolarGuideError

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

PROG = "polarguide"
KINDS = ("all", "calls", "programmes")
FORMATS = ("table", "json", "csv")
JSON_FIELDS = (
    "identifier",
    "title",
    "programme",
    "kind",
    "status",
    "next_deadline",
    "days_left",
    "budget_eur",
    "url",
    "score",
    "why",
    "expected_from",
    "expected_to",
    "expected_around",
)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and raise :class:`InputError`."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise InputError(f"{message} (see '{PROG} --help')")


def _common_options() -> argparse.ArgumentParser:
    """Options accepted both before and after the command name."""
    common = argparse.ArgumentParser(add_help=False)
    suppress = argparse.SUPPRESS
    common.add_argument("--lang", choices=("fi", "en"), default=suppress, help="language (fi/en)")
    common.add_argument("--format", choices=FORMATS, default=suppress, help="output format")
    common.add_argument("--today", default=suppress, metavar="YYYY-MM-DD", help="reference day")
    common.add_argument("--quiet", action="store_true", default=suppress, help="no progress bar")
    return common


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (also used for the CLI reference in the book).

    >>> build_parser().parse_args(["search", "nuoret", "--limit", "3"]).limit
    3
    """
    common = _common_options()
    parser = _Parser(
        prog=PROG,
        description="Find funding calls for international cooperation (Polar Magnets guide).",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    search = commands.add_parser("search", parents=[common], help="search calls and programmes")
    search.add_argument("query", nargs="?", default="", help="words in Finnish or English")
    _add_filters(search)
    search.add_argument("--limit", type=_positive_int, default=20, help="at most N results")

    show = commands.add_parser("show", parents=[common], help="one call or programme in full")
    show.add_argument("identifier", metavar="ID")

    summary = commands.add_parser("summary", parents=[common], help="what is open, what closes")
    summary.add_argument("--days", type=_positive_int, default=60, help="deadlines within N days")

    commands.add_parser("programmes", parents=[common], help="the curated programme catalogue")

    export = commands.add_parser("export", parents=[common], help="write CSV, JSON or iCalendar")
    export.add_argument("export_format", choices=("csv", "json", "ics"), metavar="{csv,json,ics}")
    export.add_argument("--output", "-o", required=True, metavar="PATH")
    export.add_argument("--sep", default=",", help="CSV separator (';' for Finnish Excel)")
    export.add_argument("query", nargs="?", default="", help=argparse.SUPPRESS)
    _add_filters(export)

    plan = commands.add_parser(
        "plan", parents=[common], help="application checklist and timeline (Markdown or .ics)"
    )
    plan.add_argument("identifier", metavar="ID")
    plan.add_argument("--start", metavar="YYYY-MM-DD", help="when you begin (default: today)")
    plan.add_argument("--deadline", metavar="YYYY-MM-DD", help="deadline, if not in the data")
    plan.add_argument("--output", "-o", metavar="PATH", help="write plan.md or plan.ics")

    update = commands.add_parser("update", parents=[common], help="fetch fresh calls")
    update.add_argument("--base-url", default=None, metavar="URL", help="portal API base URL")
    update.add_argument("--force", action="store_true", help="store even a suspicious fetch")

    facts = commands.add_parser(
        "facts", parents=[common], help="catalogue facts due for a re-check, by programme"
    )
    facts.add_argument(
        "--older-than",
        type=_positive_int,
        default=90,
        metavar="DAYS",
        help="list facts checked more than DAYS days ago (default: 90)",
    )

    from . import events, network

    events.add_cli_parser(commands)
    network.add_cli_parser(commands, common)
    return parser


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--status",
        action="append",
        metavar="STATUS",
        help="open, forthcoming, recurring, expected, closed, paused or all "
        "(default: open, forthcoming, recurring and expected)",
    )
    parser.add_argument("--programme", action="append", metavar="NAME", help="e.g. ERASMUS, LIFE")
    parser.add_argument("--within", type=_positive_int, metavar="DAYS", help="deadline within N")
    parser.add_argument("--kind", choices=KINDS, default="all")
    parser.add_argument("--profile", choices=("polar",), default=None)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


DEFAULT_STATUSES = ["open", "forthcoming", "recurring", "expected"]


def _statuses(values: list[str] | None) -> list[str] | None:
    """The status filter: still-available records by default, ``all`` for every record.

    >>> _statuses(None), _statuses(["all"]), _statuses(["closed"])
    (['open', 'forthcoming', 'recurring', 'expected'], None, ['closed'])
    """
    chosen = _split_values(values)
    if chosen is None:
        return list(DEFAULT_STATUSES)
    return None if "all" in chosen else chosen


def _split_values(values: list[str] | None) -> list[str] | None:
    """``["open,forthcoming", "closed"]`` -> ``["open", "forthcoming", "closed"]``."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


class _Context:
    """What every command needs: options, language, today and the loaded records."""

    def __init__(self, args: argparse.Namespace) -> None:
        from .dates import reference_day
        from .i18n import current_language

        self.args = args
        self.lang: str = getattr(args, "lang", None) or current_language()
        self.format: str = getattr(args, "format", "table")
        self.quiet: bool = getattr(args, "quiet", False)
        raw_today = getattr(args, "today", None)
        self.today: dt.date = reference_day(raw_today or None)

    def records(self, kind: str = "all") -> pd.DataFrame:
        """Portal calls (snapshot or cache) and catalogue programmes, with staleness notes.

        What loading gives is kept in the warm cache (:mod:`polarguide.warmcache`), keyed
        on the data files and the loading code, so a repeated command starts fast; the
        warnings loading gave are kept with it and said again each time.
        """
        from .store import staleness_message
        from .warmcache import files_fingerprint, load_index, save_index

        key = files_fingerprint(_data_files(), kind, self.lang)
        stored = load_index(key, kind="records")
        if not (isinstance(stored, tuple) and len(stored) == 3):
            notes: list[str] = []
            frame = _load_records(kind, self.lang, notes.append)
            stored = (frame, dict(frame.attrs), notes)
            save_index(key, stored, kind="records")
        frame, attrs, notes = stored
        frame.attrs.update(attrs)
        for line in notes:
            _say(line)
        if kind != "programmes":
            note = staleness_message(attrs.get("retrieved_at"), self.today, lang=self.lang)
            if note:
                _say(note)
        return frame


def _data_files() -> list[Path]:
    """Every file whose change must reload the records: data, user cache, loading code."""
    from . import catalogue, store

    here = Path(__file__).parent  # named, not imported: importing parse would cost time
    names = ("api", "catalogue", "parse", "records", "snapshot", "store")
    code = [here / f"{name}.py" for name in names]
    facts = sorted(catalogue.FACTS_DIR.glob("*.yaml"))
    data = [store.bundled_snapshot_path(), store.cache_path(), catalogue.DEFAULT_PATH]
    return [*data, *facts, *code]


def _load_records(kind: str, lang: str, warn: Callable[[str], None]) -> pd.DataFrame:
    """The records of ``kind`` in ``lang`` (:func:`polarguide.load`), warnings to ``warn``."""
    from .api import load

    return load(lang, kind=kind, warn=warn)


def _say(line: str) -> None:
    print(line, file=sys.stderr)


def _filtered(ctx: _Context, limit: int | None = None) -> pd.DataFrame:
    """The records the search/export options select, ranked."""
    from .search import search

    args = ctx.args
    records = ctx.records(args.kind)
    if (args.query or "").strip() or args.profile:
        from .textindex import check_query
        from .warmcache import prepared_index

        check_query(args.query or "")  # a pasted 5,000-letter "word" is bad input
        prepared_index(records)  # the warm cache: the index is kept on disk between runs
    return search(
        records,
        args.query,
        status=_statuses(args.status),
        programmes=_split_values(args.programme),
        within_days=args.within,
        kind=args.kind,
        profile=args.profile,
        today=ctx.today,
        lang=ctx.lang,
        limit=limit,
    )


def _run_search(ctx: _Context) -> int:
    args = ctx.args
    found = _filtered(ctx, limit=args.limit)
    columns = ["identifier", "title", "programme", "status", "next_deadline", "days_left"]
    if args.query or args.profile or (found["status"] == "expected").any():
        columns.append("why")  # an expected round's window is in "why", never a deadline
    _emit(ctx, found, columns)
    return 0


def _find_record(records: pd.DataFrame, identifier: str) -> pd.DataFrame:
    """The row whose identifier is ``identifier`` (any case); else "unknown ID … did you mean"."""
    from .api import find

    return records.loc[[find(records, identifier).name]]


def _run_show(ctx: _Context) -> int:
    from .summary import call_summary

    match = _find_record(ctx.records("all"), ctx.args.identifier)
    row = match.iloc[0]
    if ctx.format == "json":
        from .export import to_json

        print(to_json(match.head(1)))
    elif ctx.format == "csv":
        from .export import to_csv

        sys.stdout.write((to_csv(match.head(1)) or "").lstrip("\ufeff"))
    else:
        print(call_summary(row, lang=ctx.lang, today=ctx.today))
        print(_show_details(row, ctx.lang))
    return 0


#: How much of a description ``show`` prints (the official page has the rest).
SHOW_TEXT_CHARS = 2500


def _show_details(row: Any, lang: str) -> str:
    """Key facts the summary line leaves out, and the description, wrapped for a terminal.

    >>> print(_show_details({"type_of_action": "Lump sum", "max_grant_eur": 60000.0,
    ...     "keywords": ["youth"], "summary": "Young people meet."}, "en"))
    Type of action: Lump sum. Largest grant: €60,000.
    Keywords: youth
    <BLANKLINE>
    Young people meet.
    """
    import textwrap

    from .records import is_missing

    fi = lang == "fi"
    facts = []
    kind = row.get("type_of_action")
    if not is_missing(kind) and kind:
        facts.append(f"{'Toimen tyyppi' if fi else 'Type of action'}: {kind}.")
    largest = row.get("max_grant_eur")
    if not is_missing(largest):
        amount = f"{largest:,.0f}"
        amount = f"{amount.replace(',', chr(0xA0))} €" if fi else f"€{amount}"
        facts.append(f"{'Suurin avustus' if fi else 'Largest grant'}: {amount}.")
    lines = [" ".join(facts)] if facts else []
    keywords = row.get("keywords")
    if keywords is not None and len(keywords):
        lines.append(f"{'Avainsanat' if fi else 'Keywords'}: {', '.join(map(str, keywords))}")
    text = row.get("summary")
    if not is_missing(text) and str(text).strip():
        text = str(text).strip()
        if len(text) > SHOW_TEXT_CHARS:
            text = text[:SHOW_TEXT_CHARS].rsplit(" ", 1)[0] + " …"
        lines.append("")
        for paragraph in text.split("\n"):
            lines.append(textwrap.fill(paragraph, 88) if paragraph.strip() else "")
    return "\n".join(lines).rstrip()


def _run_summary(ctx: _Context) -> int:
    from .summary import overview

    records = ctx.records("calls")
    if ctx.format == "table":
        from .summary import summary_text

        print(summary_text(records, today=ctx.today, lang=ctx.lang, days=ctx.args.days))
    else:
        facts = overview(records, today=ctx.today, lang=ctx.lang)
        print(json.dumps(facts, ensure_ascii=False, indent=2, default=str))
    return 0


def _run_programmes(ctx: _Context) -> int:
    records = ctx.records("programmes")
    _emit(ctx, records, ("identifier", "title", "programme", "status", "url"))
    return 0


def _run_export(ctx: _Context) -> int:
    from .export import write_export

    args = ctx.args
    selected = _filtered(ctx)
    path = write_export(selected, args.output, args.export_format, lang=ctx.lang, sep=args.sep)
    _say(f"{len(selected)} → {path}")
    return 0


def _run_plan(ctx: _Context) -> int:
    from .dates import parse_day
    from .plan import make_plan, plan_format

    args = ctx.args
    if args.output:
        plan_format(args.output)  # an unknown file type fails before any work
    start = parse_day(args.start) if args.start else None
    deadline = parse_day(args.deadline) if args.deadline else None
    row = _find_record(ctx.records("all"), args.identifier).iloc[0]
    plan = make_plan(row, lang=ctx.lang, today=ctx.today, start=start, deadline=deadline)
    if args.output:
        _say(f"{plan.identifier} → {plan.write(args.output)}")
    else:
        sys.stdout.write(plan.to_markdown())
    return 0


def _run_update(ctx: _Context) -> int:
    from .update import update

    result = update(
        base_url=ctx.args.base_url,
        force=ctx.args.force,
        progress=not ctx.quiet and sys.stderr.isatty(),
    )
    _say(result.message(ctx.lang))
    return 0


def _run_facts(ctx: _Context) -> int:
    from .freshness import stale_facts, to_json, to_table

    limit = ctx.args.older_than
    found = stale_facts(limit, today=ctx.today, lang=ctx.lang)
    if ctx.format == "json":
        print(to_json(found, limit, ctx.today))
    elif ctx.format == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["entry", "fact", "checked", "age_days", "source_url"])
        for fact in found:
            writer.writerow(
                [fact.entry_id, fact.key, fact.checked.isoformat(), fact.age_days, fact.source_url]
            )
        sys.stdout.write(buffer.getvalue())
    else:
        print(to_table(found, limit, ctx.today, ctx.lang))
    return 0


def _run_events(ctx: _Context) -> int:
    from .events import run_cli

    return run_cli(ctx.args, lang=ctx.lang, today=ctx.today)


def _run_network(ctx: _Context) -> int:
    from .network import run_cli

    return run_cli(ctx.args, lang=ctx.lang)


def _emit(ctx: _Context, frame: pd.DataFrame, table_columns: Sequence[str]) -> None:
    """Print records as a table, JSON list or CSV."""
    if ctx.format == "json":
        print(json.dumps(_json_rows(frame), ensure_ascii=False, indent=2))
    elif ctx.format == "csv":
        from .export import to_csv

        sys.stdout.write((to_csv(frame) or "").lstrip("\ufeff"))
    else:
        print(_table(frame, table_columns, ctx.lang, ctx.today))


def _json_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The ``search --format json`` objects (documented fields, ISO dates, null for missing)."""
    from .export import to_json

    rows = json.loads(to_json(frame))
    return [{field: row.get(field) for field in JSON_FIELDS if field in row} for row in rows]


def _table(frame: pd.DataFrame, columns: Sequence[str], lang: str, today: dt.date) -> str:
    """A plain-text table that fits a terminal; dates in Helsinki time."""
    from .dates import helsinki_day
    from .i18n import label
    from .records import is_missing

    if frame.empty:
        return label("no_results", lang)
    widths = {"identifier": 30, "title": 46, "programme": 12, "status": 16, "url": 60, "why": 72}
    header = [label(c, lang) for c in columns]
    rows = []
    for _, record in frame.iterrows():
        cells = []
        for column in columns:
            value = record.get(column)
            if is_missing(value) or value == "":
                text = ""
            elif column == "next_deadline":
                text = str(helsinki_day(value))
            elif column == "days_left":
                text = str(int(value))
            elif column == "status":
                text = label(f"status.{value}", lang)
            else:
                text = str(value)
            limit = widths.get(column, 14)
            cells.append(text if len(text) <= limit else text[: limit - 1] + "…")
        rows.append(cells)
    sizes = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(s) for h, s in zip(header, sizes, strict=True)).rstrip()]
    lines.append("  ".join("-" * s for s in sizes))
    lines += ["  ".join(c.ljust(s) for c, s in zip(r, sizes, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


COMMANDS = {
    "search": _run_search,
    "show": _run_show,
    "summary": _run_summary,
    "programmes": _run_programmes,
    "export": _run_export,
    "plan": _run_plan,
    "update": _run_update,
    "facts": _run_facts,
    "events": _run_events,
    "network": _run_network,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 runtime failure, 2 bad input)."""
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](_Context(args))
    except PolarGuideError as err:
        _say(f"{PROG}: {err}")
        return err.exit_code
    except KeyboardInterrupt:
        _say(f"{PROG}: interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as err:  # unwritable output path, full disk …
        _say(f"{PROG}: {err.strerror or err}: {err.filename or ''}".rstrip(": "))
        return 1
