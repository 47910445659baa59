"""The book's "open calls now" page: a chart, a table and budgets, generated at build time.

One job: the ```` ```{open-calls} ```` directive. It reads the data in use
(:func:`polarguide.store.load_current` plus the catalogue, as the finder does), takes
"today" from the build (config value ``polarguide_today``, else ``$POLARGUIDE_TODAY``,
else today in Helsinki: :func:`polarguide.finder.build_today`) and renders:

* the data date, with a plain note when the data is older than
  :data:`polarguide.store.STALE_AFTER_DAYS` days;
* a chart of deadlines per month (:func:`polarguide.charts.deadlines_per_month`) with
  its alt text and a caption;
* a table of the calls closing in the next ``:days:`` days (default 60) for the region
  (:func:`polarguide.search.search` with ``profile="polar"``), or a plain sentence that
  nothing closes then, with the data date and how to refresh the data;
* a chart of the known budget by programme (:func:`polarguide.charts.budget_by_programme`).

Generated text is in the edition's language and marked untranslatable. Chart files are
written next to the doctrees (``<build>/.polarguide-charts/``) and copied by Sphinx.

>>> heading_day("2026-08-22T05:41:38+00:00", "fi"), heading_day(None, "en")
('22.8.2026', 'unknown')
"""

from __future__ import annotations

import datetime as dt
import os
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from polarguide.dates import helsinki_day, parse_date

if TYPE_CHECKING:
    import pandas as pd
    from docutils import nodes
    from sphinx.application import Sphinx

TEXT: dict[str, dict[str, str]] = {
    "fi": {
        "data": "Tiedot haettu EU:n rahoitusportaalista {day}. Sivu on koottu {today}.",
        "stale": "Tiedot ovat {n} päivää vanhoja. Määräajat ovat voineet muuttua: tarkista ne "
        "aina haun omalta sivulta.",
        "none": "Seuraavan {days} päivän aikana ei sulkeudu yhtään hakua oppaan tiedoissa. "
        "Tiedot on haettu {day}, joten ne ovat todennäköisesti vanhentuneet. Päivitä tiedot "
        "komennolla polarguide update ja rakenna opas uudelleen, tai katso avoimet haut "
        "suoraan EU:n rahoitusportaalista.",
        "table": "Haut, jotka sulkeutuvat {days} päivän sisällä ({n} kpl)",
        "more": "Taulukossa on {shown} osuvinta. Kaikki {n} löydät hakukoneesta.",
        "deadline": "Määräaika",
        "left": "Päiviä",
        "call": "Haku",
        "programme": "Ohjelma",
        "budget": "Budjetti",
        "caption_deadlines": "Määräajat kuukausittain seuraavan 12 kuukauden aikana "
        "(tiedot haettu {day}).",
        "caption_budget": "Haettavissa olevien hakujen tunnettu budjetti ohjelmittain "
        "(tiedot haettu {day}).",
        "unknown": "tuntematon",
    },
    "en": {
        "data": "Data retrieved from the EU Funding & Tenders Portal on {day}. "
        "This page was built on {today}.",
        "stale": "The data is {n} days old. Deadlines may have changed: always check them on "
        "the call's own page.",
        "none": "No call in the guide's data closes in the next {days} days. The data was "
        "retrieved on {day}, so it is probably out of date. Refresh it with polarguide update "
        "and rebuild the guide, or look at the open calls on the EU Funding & Tenders Portal.",
        "table": "Calls closing within {days} days ({n})",
        "more": "The table shows the {shown} best matches. The finder lists all {n}.",
        "deadline": "Deadline",
        "left": "Days",
        "call": "Call",
        "programme": "Programme",
        "budget": "Budget",
        "caption_deadlines": "Deadlines per month over the next 12 months (data retrieved {day}).",
        "caption_budget": "Known budget of the calls still open, by programme "
        "(data retrieved {day}).",
        "unknown": "unknown",
    },
}
#: Rows in the table at most.
MAX_ROWS = 30


def heading_day(moment: Any, lang: str) -> str:
    """A retrieval moment as the reader's day: ``22.8.2026`` / ``22 August 2026``."""
    from pgfacts import format_date

    stamp = parse_date(moment)
    if stamp is None:
        return TEXT[lang]["unknown"]
    return format_date(helsinki_day(stamp), lang)


def closing_soon(
    frame: pd.DataFrame, today: dt.date, days: int = 60, lang: str = "fi"
) -> pd.DataFrame:
    """Calls and programmes with a deadline within ``days`` days, ranked for the region.

    >>> import pandas as pd
    >>> from polarguide.records import conform
    >>> frame = conform(pd.DataFrame({"identifier": ["A", "B"], "status": ["open"] * 2,
    ...     "title": ["Rural youth", "Quantum"], "kind": ["call"] * 2,
    ...     "deadlines": [["2026-12-01T16:00:00Z"], ["2026-12-02T16:00:00Z"]]}))
    >>> closing_soon(frame, dt.date(2026, 11, 28), lang="en")["identifier"].tolist()
    ['A', 'B']
    """
    from polarguide.search import search

    return search(
        frame, profile="polar", within_days=days, today=today, lang=lang,
        status=["open", "forthcoming", "recurring"], glossary=[],
    )  # fmt: skip


#: Text size of the page's charts, in points of a chart about 9 inches wide: a phone shows
#: the chart about 360 px wide, so matplotlib's 10 pt became 5 px letters.
PAGE_CHART_FONT_PT = 16


def _page_chart_style() -> Any:
    """Bigger letters for charts drawn for the web page (the notebooks keep the defaults).

    >>> import matplotlib
    >>> with _page_chart_style():
    ...     matplotlib.rcParams["font.size"]
    16.0
    """
    import matplotlib

    return matplotlib.rc_context({"font.size": PAGE_CHART_FONT_PT})


def _chart_dir(app: Any, lang: str) -> Path:
    folder = Path(app.doctreedir).parent / ".polarguide-charts" / lang
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _save(chart: Any, path: Path) -> None:
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": "polarguide", "svg.fonttype": "none"}):
        chart.save(str(path), format="svg", metadata={"Date": None})
    import matplotlib.pyplot as plt

    plt.close(chart.figure)


def _make_directive() -> type:
    from docutils import nodes
    from docutils.parsers.rst import directives
    from sphinx.util.docutils import SphinxDirective

    from pgfacts import _cell, _untranslatable, format_date

    class OpenCalls(SphinxDirective):
        """```{open-calls}``` with optional ``:days:`` (default 60)."""

        has_content = False
        option_spec: ClassVar[dict[str, Any]] = {"days": directives.nonnegative_int}

        def figure(self, chart: Any, name: str, caption: str) -> nodes.figure:
            lang = _lang(self.config)
            path = _chart_dir(self.env.app, lang) / name
            _save(chart, path)
            doc_dir = Path(self.env.doc2path(self.env.docname)).parent
            uri = os.path.relpath(path, doc_dir).replace(os.sep, "/")
            # The gettext builder offers alt text for translation (polarbook); generated
            # text is already in the edition's language, so it gets none there.
            alt = "" if self.env.app.builder.name == "gettext" else chart.alt_text
            image = nodes.image(uri=uri, alt=alt, candidates={"*": uri})
            figure = nodes.figure("", image, classes=["pg-chart"])
            figure += nodes.caption("", caption)
            return figure

        def run(self) -> list[nodes.Node]:
            from polarguide.charts import budget_by_programme, deadlines_per_month
            from polarguide.store import STALE_AFTER_DAYS

            from finder import _data_dependencies, build_today, finder_records

            lang = _lang(self.config)
            text = TEXT[lang]
            days = self.options.get("days", 60)
            today = build_today(self.config.polarguide_today)
            for path in _data_dependencies():
                self.env.note_dependency(str(path))
            frame, snap = finder_records(lang, today)
            day = heading_day(snap.retrieved_at, lang)
            out: list[nodes.Node] = []
            note = nodes.paragraph(
                "", text["data"].format(day=day, today=format_date(today, lang)),
                classes=["pg-data-date"],
            )  # fmt: skip
            out.append(note)
            age = (today - helsinki_day(snap.retrieved_at)).days if snap.retrieved_at else None
            if age is not None and age > STALE_AFTER_DAYS:
                out.append(nodes.paragraph("", text["stale"].format(n=age), classes=["pg-stale"]))
            calls = frame[frame["kind"] == "call"]
            with _page_chart_style():
                deadlines = deadlines_per_month(calls, lang=lang, today=today)
                budgets = budget_by_programme(calls, lang=lang)
            out.append(
                self.figure(
                    deadlines, "deadlines-per-month.svg",
                    text["caption_deadlines"].format(day=day),
                )
            )  # fmt: skip
            soon = closing_soon(frame, today, days, lang)
            if len(soon) == 0:
                out.append(nodes.paragraph("", text["none"].format(days=days, day=day)))
            else:
                out.append(self.table(soon.head(MAX_ROWS), text, lang, days, len(soon)))
                if len(soon) > MAX_ROWS:
                    out.append(
                        nodes.paragraph("", text["more"].format(shown=MAX_ROWS, n=len(soon)))
                    )
            out.append(
                self.figure(
                    budgets, "budget-by-programme.svg", text["caption_budget"].format(day=day),
                )
            )  # fmt: skip
            return [_untranslatable(node) for node in out]

        def table(
            self, soon: pd.DataFrame, text: dict[str, str], lang: str, days: int, total: int
        ) -> nodes.table:
            from polarguide.summary import format_day, format_eur

            table = nodes.table(classes=["pg-open-calls", "longtable"])
            table += nodes.title("", text["table"].format(days=days, n=total))
            group = nodes.tgroup(cols=5)
            table += group
            for width in (22, 8, 42, 12, 16):
                group += nodes.colspec(colwidth=width)
            head = nodes.row()
            for key in ("deadline", "left", "call", "programme", "budget"):
                head += _cell(nodes.paragraph("", text[key]))
            group += nodes.thead("", head)
            body = nodes.tbody()
            group += body
            for row in soon.to_dict(orient="records"):
                cells = nodes.row()
                cells += _cell(nodes.paragraph("", format_day(row["next_deadline"], lang)))
                cells += _cell(nodes.paragraph("", str(row["days_left"])))
                title = nodes.paragraph()
                title += nodes.reference("", str(row["title"]), refuri=str(row["url"]))
                cells += _cell(title)
                cells += _cell(nodes.paragraph("", str(row["programme"] or "")))
                budget = row["budget_eur"]
                cells += _cell(
                    nodes.paragraph("", format_eur(budget, lang) if budget == budget else "–")
                )
                body += cells
            return table

    return OpenCalls


def _lang(config: Any) -> str:
    return "en" if str(config.language or "fi").startswith("en") else "fi"


def setup(app: Sphinx) -> dict[str, Any]:
    """Register ``open-calls``."""
    if "polarguide_today" not in app.config.values:
        app.add_config_value("polarguide_today", "", "env", str)
    app.add_directive("open-calls", _make_directive())
    return {
        "version": "0.1",
        "env_version": zlib.crc32(Path(__file__).read_bytes()),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
