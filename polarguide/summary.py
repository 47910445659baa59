"""Summaries of records: counts, upcoming deadlines, budget totals, one-call summaries.

>>> import pandas as pd
>>> from polarguide.records import conform
>>> frame = conform(pd.DataFrame({"identifier": ["A", "B", "C"],
...     "programme": ["LIFE", "LIFE", "CERV"], "status": ["open", "forthcoming", "open"]}))
>>> counts_by_programme(frame).values.tolist()
[['LIFE', 2], ['CERV', 1]]
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from .dates import HELSINKI, days_left, helsinki_day, is_date_only, next_deadline, parse_date
from .i18n import check_lang, label, month_name, status_label
from .records import STATUSES

if TYPE_CHECKING:
    import pandas as pd


def counts_by_programme(df: pd.DataFrame) -> pd.DataFrame:
    """Records per programme (columns ``programme``, ``count``), largest first.

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> counts_by_programme(conform(pd.DataFrame({"programme": ["", "LIFE"]}))).values.tolist()
    [['(none)', 1], ['LIFE', 1]]
    """
    names = df["programme"].fillna("").astype(str).replace("", "(none)")
    counts = names.value_counts().rename_axis("programme").reset_index(name="count")
    counts = counts.sort_values(["count", "programme"], ascending=[False, True], kind="stable")
    return counts.reset_index(drop=True)


def counts_by_status(df: pd.DataFrame) -> pd.DataFrame:
    """Records per status (columns ``status``, ``count``) in the order of ``STATUSES``.

    Statuses with no records are left out; unknown statuses come last.

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> frame = conform(pd.DataFrame({"status": ["open", "forthcoming", "open"]}))
    >>> counts_by_status(frame).values.tolist()
    [['open', 2], ['forthcoming', 1]]
    """
    counts = df["status"].fillna("").astype(str).value_counts()
    order = [s for s in STATUSES if s in counts.index]
    order += sorted(s for s in counts.index if s not in STATUSES)
    import pandas as pd

    return pd.DataFrame({"status": order, "count": [int(counts[s]) for s in order]})


def upcoming_deadlines(
    df: pd.DataFrame, days: int = 60, today: dt.date | str | None = None
) -> pd.DataFrame:
    """Records whose next deadline is within ``days`` days of ``today``, soonest first.

    Columns: ``identifier``, ``title``, ``programme``, ``status``, ``next_deadline``,
    ``days_left``, ``url``.

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> frame = conform(pd.DataFrame({"identifier": ["A", "B"],
    ...     "deadlines": [["2026-12-01T16:00:00Z"], ["2027-06-01T16:00:00Z"]]}))
    >>> soon = upcoming_deadlines(frame, 30, today="2026-11-28")
    >>> soon[["identifier", "days_left"]].values.tolist()
    [['A', 3]]
    """
    from .search import search

    found = search(df, within_days=days, today=today, glossary=[])
    columns = ["identifier", "title", "programme", "status", "next_deadline", "days_left", "url"]
    return found[columns]


def _unique_budgets(df: pd.DataFrame) -> pd.DataFrame:
    """One row per identifier; a budget repeated on every topic of a call counts once."""
    frame = df.drop_duplicates("identifier") if "identifier" in df else df
    frame = frame.assign(_call=frame["call_identifier"].fillna("").astype(str))
    known = frame[frame["budget_eur"].notna()]
    shared = known[known["_call"] != ""].drop_duplicates(["_call", "budget_eur"])
    alone = known[known["_call"] == ""]
    import pandas as pd

    return pd.concat([shared, alone]), frame[frame["budget_eur"].isna()]


def budget_totals(df: pd.DataFrame) -> pd.DataFrame:
    """Known budget per programme and how many records have no budget.

    Columns: ``programme``, ``budget_eur`` (sum of known budgets), ``known``, ``unknown``.
    The portal repeats a call's budget on each of its topics, so a budget that is the
    same on several topics of one call is counted once; duplicate identifiers once.

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> frame = conform(pd.DataFrame({"identifier": ["A", "B", "C"],
    ...     "call_identifier": ["L1", "L1", "C1"], "programme": ["LIFE", "LIFE", "CERV"],
    ...     "budget_eur": [5e6, 5e6, None]}))
    >>> budget_totals(frame).values.tolist()
    [['LIFE', 5000000.0, 1, 0], ['CERV', 0.0, 0, 1]]
    """
    import pandas as pd

    known, unknown = _unique_budgets(df)
    programmes = sorted(set(df["programme"].fillna("").astype(str)))
    sums = known.groupby(known["programme"].fillna("").astype(str))["budget_eur"].agg(
        ["sum", "count"]
    )
    missing = unknown["programme"].fillna("").astype(str).value_counts()
    rows = [
        {
            "programme": p or "(none)",
            "budget_eur": float(sums["sum"].get(p, 0.0)),
            "known": int(sums["count"].get(p, 0)),
            "unknown": int(missing.get(p, 0)),
        }
        for p in programmes
    ]
    out = pd.DataFrame(rows, columns=["programme", "budget_eur", "known", "unknown"])
    return out.sort_values(
        ["budget_eur", "programme"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def format_eur(amount: float | None, lang: str = "fi") -> str:
    """Format euros readably: ``1 500 000 €`` (fi) or ``€1,500,000`` (en).

    >>> format_eur(1500000, "fi"), format_eur(1500000, "en"), format_eur(None, "en")
    ('1 500 000 €', '€1,500,000', 'unknown')
    """
    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return label("unknown", lang)
    if lang == "fi":
        return f"{amount:,.0f}".replace(",", " ") + " €"
    return f"€{amount:,.0f}"


def format_day(moment: Any, lang: str = "fi") -> str:
    """A deadline as a Helsinki date and time: ``5.3.2027 klo 18.00`` / ``5 March 2027 18:00``.

    A deadline stored without a time of day (midnight UTC) is shown as a day only,
    with a reminder to check the time, rather than as an invented "02:00".

    >>> format_day(parse_date("2027-03-05T16:00:00Z"), "fi")
    '5.3.2027 klo 18.00'
    >>> format_day(parse_date("2027-03-05T16:00:00Z"), "en")
    '5 March 2027, 18:00 Helsinki time'
    >>> format_day(parse_date("2027-12-01T00:00:00Z"), "fi")
    '1.12.2027 (tarkista kellonaika haun sivulta)'
    """
    moment = parse_date(moment)
    local = moment.astimezone(HELSINKI)
    if is_date_only(moment):
        day = moment.astimezone(dt.timezone.utc)
        if lang == "fi":
            return f"{day.day}.{day.month}.{day.year} (tarkista kellonaika haun sivulta)"
        return (
            f"{day.day} {month_name(day.month, 'en')} {day.year} (check the time on the call page)"
        )
    if lang == "fi":
        return f"{local.day}.{local.month}.{local.year} klo {local:%H.%M}"
    return f"{local.day} {month_name(local.month, 'en')} {local.year}, {local:%H:%M} Helsinki time"


def _value(row: Any, key: str) -> Any:
    value = row.get(key) if hasattr(row, "get") else getattr(row, key, None)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "isoformat") and value != value:  # NaT
        return None
    return value


def call_summary(
    row: Any, lang: str = "fi", today: dt.date | str | None = None, *, days: bool = True
) -> str:
    """A short plain-language summary of one record (a row or a dict) in ``lang``.

    ``today`` picks the next deadline; ``days=False`` leaves out "N days left" (for
    texts read later, such as calendar events).

    >>> row = {"identifier": "LIFE-2026-SAP-NAT-NATURE", "title": "Nature and Biodiversity",
    ...        "programme": "LIFE", "status": "open", "budget_eur": 173500000.0,
    ...        "deadlines": [parse_date("2026-12-10T16:00:00Z")],
    ...        "url": "https://example.org/LIFE"}
    >>> print(call_summary(row, "fi", today="2026-11-28"))
    Nature and Biodiversity (LIFE-2026-SAP-NAT-NATURE)
    Ohjelma: LIFE. Tila: avoinna.
    Määräaika: 10.12.2026 klo 18.00 (12 päivää jäljellä).
    Budjetti: 173 500 000 €.
    Lisätietoa: https://example.org/LIFE
    """
    from .dates import parse_day, reference_day

    check_lang(lang)
    day = reference_day() if today is None else parse_day(str(today))
    fi = lang == "fi"
    title = _value(row, "title") or _value(row, "identifier") or "?"
    lines = [f"{title} ({_value(row, 'identifier')})"]
    programme = _value(row, "programme_name") or _value(row, "programme") or label("unknown", lang)
    status = status_label(_value(row, "status") or "", lang) or label("unknown", lang)
    lines.append(
        f"Ohjelma: {programme}. Tila: {status}."
        if fi
        else f"Programme: {programme}. Status: {status}."
    )
    deadlines = _value(row, "deadlines")
    if deadlines is None and _value(row, "next_deadline") is not None:
        deadlines = [_value(row, "next_deadline")]  # e.g. a row of upcoming_deadlines()
    deadlines = [] if deadlines is None else [parse_date(d) for d in deadlines]
    upcoming = next_deadline([d for d in deadlines if d is not None], day)
    if upcoming is not None:
        n = days_left(upcoming, day)
        when = format_day(upcoming, lang)
        rest = "" if not days else f" ({n} päivää jäljellä)" if fi else f" ({n} days left)"
        lines.append(f"Määräaika: {when}{rest}." if fi else f"Deadline: {when}{rest}.")
    elif deadlines:
        lines.append("Kaikki määräajat ovat menneet." if fi else "All deadlines have passed.")
    else:
        lines.append("Määräaikaa ei ole ilmoitettu." if fi else "No deadline given.")
    money = []
    if _value(row, "budget_eur") is not None:
        money.append(f"{label('budget', lang)}: {format_eur(_value(row, 'budget_eur'), lang)}")
    low, high = _value(row, "min_grant_eur"), _value(row, "max_grant_eur")
    if high is not None:
        size = format_eur(high, lang)
        if low is not None and low != high:
            size = f"{format_eur(low, lang)} – {size}"
        money.append(f"{label('grant_size', lang)}: {size}")
    if money:
        lines.append(". ".join(money) + ".")
    if _value(row, "kind") == "programme" and upcoming is None:
        from .rounds import expected_lines

        more = expected_lines(str(_value(row, "identifier")), day, lang)
        if more:  # a recurring programme between rounds: say what is expected, and from what
            lines[1] = lines[1].replace(status, status_label("expected", lang))
            lines[2:3] = more
    if _value(row, "url"):
        lines.append(f"{'Lisätietoa' if fi else 'More'}: {_value(row, 'url')}")
    return "\n".join(lines)


def overview(
    df: pd.DataFrame, today: dt.date | str | None = None, lang: str = "fi"
) -> dict[str, Any]:
    """Headline numbers for the CLI ``summary`` command and the book.

    Keys: ``today``, ``lang``, ``records``, ``calls``, ``programmes_in_catalogue``,
    ``by_status``, ``programme_count``, ``top_programmes``, ``deadlines_30``,
    ``deadlines_60``, ``deadlines_90``, ``next_deadline`` (dict or ``None``),
    ``budget_known_eur``, ``budget_unknown``, ``retrieved_at``.

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> frame = conform(pd.DataFrame({"identifier": ["A"], "programme": ["LIFE"],
    ...     "status": ["open"], "kind": ["call"], "deadlines": [["2026-12-01T16:00:00Z"]]}))
    >>> facts = overview(frame, today="2026-11-28")
    >>> facts["records"], facts["deadlines_30"], facts["next_deadline"]["days_left"]
    (1, 1, 3)
    """
    from .dates import parse_day, reference_day
    from .search import status_on

    check_lang(lang)
    day = reference_day() if today is None else parse_day(str(today))
    df = df.assign(status=status_on(df, day))  # the status today, not when fetched
    soon = upcoming_deadlines(df, 90, day)
    budgets = budget_totals(df)
    first = soon.iloc[0] if len(soon) else None
    stamps = df["retrieved_at"].dropna()
    return {
        "today": day.isoformat(),
        "lang": lang,
        "records": len(df),
        "calls": int((df["kind"] == "call").sum()),
        "programmes_in_catalogue": int((df["kind"] == "programme").sum()),
        "by_status": {
            status_label(s, lang): int(c) for s, c in counts_by_status(df).values.tolist()
        },
        "programme_count": int(df["programme"].replace("", None).dropna().nunique()),
        "top_programmes": counts_by_programme(df).head(5).values.tolist(),
        "deadlines_30": int((soon["days_left"] <= 30).sum()),
        "deadlines_60": int((soon["days_left"] <= 60).sum()),
        "deadlines_90": len(soon),
        "next_deadline": None
        if first is None
        else {
            "identifier": first["identifier"],
            "title": first["title"],
            "date": first["next_deadline"].astimezone(HELSINKI).date().isoformat(),
            "days_left": int(first["days_left"]),
        },
        "budget_known_eur": float(budgets["budget_eur"].sum()),
        "budget_unknown": int(budgets["unknown"].sum()),
        "retrieved_at": stamps.max().isoformat() if len(stamps) else None,
    }


def summary_text(
    df: pd.DataFrame, today: dt.date | str | None = None, lang: str = "fi", days: int = 60
) -> str:
    """The CLI ``summary`` report: counts, the calls closing within ``days``, budgets.

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> frame = conform(pd.DataFrame({"identifier": ["A"], "title": ["Nature"],
    ...     "programme": ["LIFE"], "status": ["open"], "kind": ["call"],
    ...     "deadlines": [["2026-12-01T16:00:00Z"]]}))
    >>> print(summary_text(frame, today="2026-11-28", lang="en"))
    1 calls: open 1. Programmes: 1 (LIFE 1).
    Deadlines within 60 days: 1
      2026-12-01 (3 d)  LIFE  A  Nature
    Known budgets in total: €0 (1 without a budget).
    """
    facts = overview(df, today=today, lang=lang)
    fi = lang == "fi"
    by_status = ", ".join(f"{name} {count}" for name, count in facts["by_status"].items())
    top = ", ".join(f"{name} {count}" for name, count in facts["top_programmes"])
    lines = [
        f"{facts['calls']} {'hakua' if fi else 'calls'}: {by_status}. "
        f"{'Ohjelmia' if fi else 'Programmes'}: {facts['programme_count']} ({top})."
    ]
    soon = upcoming_deadlines(df, days, facts["today"])
    lines.append(
        f"{'Määräaikoja seuraavan' if fi else 'Deadlines within'} {days} "
        f"{'päivän aikana' if fi else 'days'}: {len(soon)}"
    )
    unit = "pv" if fi else "d"
    for _, row in soon.head(15).iterrows():
        lines.append(
            f"  {helsinki_day(row['next_deadline']).isoformat()} "
            f"({int(row['days_left'])} {unit})  {row['programme']}  "
            f"{row['identifier']}  {str(row['title'])[:60]}"
        )
    if len(soon) > 15:
        lines.append(f"  … +{len(soon) - 15}")
    lines.append(
        f"{'Tunnetut budjetit yhteensä' if fi else 'Known budgets in total'}: "
        f"{format_eur(facts['budget_known_eur'], lang)} "
        f"({facts['budget_unknown']} {'ilman budjettia' if fi else 'without a budget'})."
    )
    return "\n".join(lines)
