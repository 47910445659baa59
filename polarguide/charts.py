"""Charts with Finnish or English labels, alt text written from the data, safe colours.

Every chart function returns a :class:`Chart`: the matplotlib ``figure``, its
``title`` and an ``alt_text`` that describes what the data shows, for screen readers
and the book's figure directives. Colours are the Okabe–Ito palette, which stays
distinguishable with the common kinds of colour blindness.

>>> import pandas as pd
>>> from polarguide.records import conform
>>> frame = conform(pd.DataFrame({"identifier": ["A", "B"], "programme": ["LIFE", "LIFE"],
...     "deadlines": [["2027-03-05T16:00:00Z"], ["2027-03-20T16:00:00Z"]]}))
>>> chart = deadlines_per_month(frame, lang="en", today="2026-11-28")
>>> chart.alt_text.split(". ")[1]
'Most deadlines fall in March 2027 (2)'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .dates import HELSINKI, parse_day, reference_day
from .i18n import check_lang, label, month_name

if TYPE_CHECKING:
    import pandas as pd

#: Okabe & Ito (2008) colour-blind-safe palette, without black (kept for text).
OKABE_ITO = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermilion
    "#CC79A7",  # reddish purple
    "#999999",  # grey, for "other"
)


@dataclass
class Chart:
    """A figure with its title and alt text."""

    figure: Any
    alt_text: str
    title: str

    def save(self, path: str, **kwargs: Any) -> None:
        """Save the figure (format from the file suffix)."""
        self.figure.savefig(path, bbox_inches="tight", **kwargs)


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _month_label(year: int, month: int, lang: str) -> str:
    return f"{month_name(month, lang)} {year}"


def deadline_months(
    df: pd.DataFrame, today: dt.date | str | None = None, months: int = 12
) -> pd.DataFrame:
    """Count deadlines per Helsinki month and programme, from this month on.

    Every deadline counts (a two-stage topic counts twice); deadlines before ``today``
    are left out. Columns: ``month`` (``YYYY-MM``), ``programme``, ``count``.

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> frame = conform(pd.DataFrame({"programme": ["LIFE"],
    ...     "deadlines": [["2026-11-01T16:00:00Z", "2026-12-31T23:30:00Z"]]}))
    >>> deadline_months(frame, today="2026-11-28").values.tolist()
    [['2027-01', 'LIFE', 1]]
    """
    import pandas as pd

    day = reference_day() if today is None else parse_day(str(today))
    start = dt.date(day.year, day.month, 1)
    end_index = start.year * 12 + start.month - 1 + months
    end = dt.date(end_index // 12, end_index % 12 + 1, 1)
    rows = []
    for programme, deadlines in zip(df["programme"], df["deadlines"], strict=True):
        for moment in deadlines:
            local = moment.astimezone(HELSINKI).date()
            if day <= local < end:
                rows.append((f"{local:%Y-%m}", programme or "?"))
    frame = pd.DataFrame(rows, columns=["month", "programme"])
    counts = frame.value_counts(["month", "programme"]).rename("count").reset_index()
    return counts.sort_values(["month", "count"], ascending=[True, False]).reset_index(drop=True)


def deadlines_per_month(
    df: pd.DataFrame,
    lang: str = "fi",
    today: dt.date | str | None = None,
    months: int = 12,
    top: int = 6,
) -> Chart:
    """Stacked bars of deadlines per month for the ``top`` programmes plus "other"."""
    check_lang(lang)
    day = reference_day() if today is None else parse_day(str(today))
    counts = deadline_months(df, day, months)
    table = counts.pivot_table(
        index="month", columns="programme", values="count", aggfunc="sum", fill_value=0
    )
    all_months = []
    for k in range(months):
        idx = day.year * 12 + day.month - 1 + k
        all_months.append(f"{idx // 12:04d}-{idx % 12 + 1:02d}")
    table = table.reindex(all_months, fill_value=0)
    order = table.sum().sort_values(ascending=False, kind="stable").index.tolist()
    keep = order[:top]
    rest = [p for p in order if p not in keep]
    other = label("other", lang)
    if rest:
        table[other] = table[rest].sum(axis=1)
        table = table.drop(columns=rest)
        keep = [*keep, other]
    table = table[keep] if keep else table

    plt = _pyplot()
    figure, ax = plt.subplots(figsize=(9, 4.5))
    bottom = [0] * len(table)
    for i, programme in enumerate(keep):
        colour = OKABE_ITO[-1] if programme == other else OKABE_ITO[i % (len(OKABE_ITO) - 1)]
        values = table[programme].tolist()
        ax.bar(range(len(table)), values, bottom=bottom, label=programme, color=colour)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ticks = [
        f"{month_name(int(m[5:]), lang)[:3]} {m[2:4]}" if lang == "en" else f"{int(m[5:])}/{m[2:4]}"
        for m in table.index
    ]
    ax.set_xticks(range(len(table)), ticks, rotation=45, ha="right")
    ax.set_ylim(0, max(max(bottom, default=0) * 1.1, 1))  # headroom: the tallest bar stays whole
    title = label("chart.deadlines_per_month", lang)
    ax.set_title(title)
    ax.set_xlabel(label("axis.month", lang))
    ax.set_ylabel(label("axis.deadlines", lang))
    if keep:
        ax.legend(title=label("programme", lang), fontsize="small", frameon=False)
    figure.tight_layout()
    totals = table.sum(axis=1) if keep else None
    alt = _deadline_alt(totals, counts, lang, all_months)
    return Chart(figure=figure, alt_text=alt, title=title)


def _deadline_alt(totals: Any, counts: pd.DataFrame, lang: str, months: list[str]) -> str:
    first = _month_label(int(months[0][:4]), int(months[0][5:]), lang)
    last = _month_label(int(months[-1][:4]), int(months[-1][5:]), lang)
    total = int(totals.sum()) if totals is not None else 0
    if lang == "fi":
        head = f"Pylväskaavio: määräajat kuukausittain {first}–{last}, yhteensä {total}"
    else:
        head = f"Bar chart: deadlines per month from {first} to {last}, {total} in total"
    if not total:
        return head + (". Ei määräaikoja tällä välillä." if lang == "fi" else ". None fall here.")
    peak = totals.idxmax()
    peak_name = _month_label(int(peak[:4]), int(peak[5:]), lang)
    by_programme = counts.groupby("programme")["count"].sum().sort_values(ascending=False)
    top_name, top_count = by_programme.index[0], int(by_programme.iloc[0])
    empty = int((totals == 0).sum())
    if lang == "fi":
        return (
            f"{head}. Eniten määräaikoja on {peak_name.replace('kuu ', 'kuussa ')}"
            f" ({int(totals.max())}). Eniten määräaikoja on ohjelmalla {top_name}"
            f" ({top_count}). Kuukausia ilman määräaikoja: {empty}."
        )
    return (
        f"{head}. Most deadlines fall in {peak_name} ({int(totals.max())}). "
        f"The programme with most deadlines is {top_name} ({top_count}). "
        f"Months without deadlines: {empty}."
    )


def budget_by_programme(df: pd.DataFrame, lang: str = "fi", top: int = 10) -> Chart:
    """Horizontal bars of known budget (million EUR) per programme, largest on top.

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> frame = conform(pd.DataFrame({"identifier": ["A", "B"], "programme": ["LIFE", "CERV"],
    ...     "budget_eur": [173.5e6, 21e6]}))
    >>> budget_by_programme(frame, "en").alt_text.split(". ")[1]
    'LIFE has the largest known budget, 173.5 million euros (89% of the total)'
    """
    from .summary import budget_totals

    check_lang(lang)
    totals = budget_totals(df)
    shown = totals[totals["budget_eur"] > 0].head(top).iloc[::-1]
    plt = _pyplot()
    figure, ax = plt.subplots(figsize=(8, 0.45 * max(len(shown), 2) + 1.5))
    colours = [OKABE_ITO[4]] * len(shown)
    ax.barh(shown["programme"], shown["budget_eur"] / 1e6, color=colours)
    title = label("chart.budget_by_programme", lang)
    ax.set_title(title)
    ax.set_xlabel(label("axis.budget_meur", lang))
    ax.set_ylabel(label("programme", lang))
    figure.tight_layout()
    total = float(totals["budget_eur"].sum())
    unknown = int(totals["unknown"].sum())
    if lang == "fi":
        alt = f"Vaakapylväskaavio: tunnettu budjetti ohjelmittain, {len(shown)} ohjelmaa"
    else:
        alt = f"Horizontal bar chart: known budget by programme, {len(shown)} programmes"
    if len(shown):
        best = shown.iloc[-1]
        share = best["budget_eur"] / total * 100
        meur = f"{best['budget_eur'] / 1e6:.1f}"
        if lang == "fi":
            alt += (
                f". Suurin tunnettu budjetti on ohjelmalla {best['programme']},"
                f" {meur.replace('.', ',')} miljoonaa euroa ({share:.0f} % kaikesta)"
                f". {unknown} haulla budjetti on tuntematon."
            )
        else:
            alt += (
                f". {best['programme']} has the largest known budget, {meur} million euros"
                f" ({share:.0f}% of the total). {unknown} records have no known budget."
            )
    return Chart(figure=figure, alt_text=alt, title=title)
