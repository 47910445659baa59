"""pgexamples (Sphinx extension): real projects and a budget sum that finishes, from the
library's data, in the edition's language.

- ``real-examples`` directive: cards of real projects from ``polarguide/data/examples.yaml``
  (:mod:`polarguide.examples`). Options: ``:region:`` (``core``, ``lapland``,
  ``koillismaa``, ``nordic-north``), ``:programme:`` (a catalogue id), ``:ids:`` (ids in
  the order to show). Each card: name, years, programme, places, what was done, the cost
  where public, the source and its check date.
- ``org`` role: ``{org}`network-id``` renders an organisation of the network directory
  (``polarguide/data/network.yaml``) as its name linked to its web page, with a source
  marker (source and check date), so contacts are data, not typed into pages.
- ``budget-example`` directive: ``:total:`` (the project's costs in euros, an illustration)
  with ``:rate:`` (a fact whose value holds the aid rate in per cent), ``:hour:`` (a fact
  with the value of one hour of voluntary work) and optional ``:share:`` (a fact with the
  largest share of the own contribution that voluntary work may cover). It computes the
  grant, the own contribution and the hours of voluntary work with
  :mod:`polarguide.budget`, so the sum follows the catalogue when a fact changes.

Generated nodes are marked untranslatable (like ``pgfacts``): the text is already in the
edition's language, taken from the data's ``fi``/``en`` fields.

>>> euros(8000.0, "fi"), euros(1279202, "en")
('8\\xa0000\\xa0€', 'EUR 1,279,202')
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlparse

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective, SphinxRole

from polarguide.i18n import format_date

LABELS: dict[str, tuple[str, str]] = {
    "years": ("Vuodet", "Years"),
    "programme": ("Rahoitus", "Funding"),
    "places": ("Missä", "Where"),
    "cost": ("Kustannukset", "Cost"),
    "source": ("Lähde", "Source"),
    "checked": ("tarkistettu", "checked"),
    "total": ("Hankkeen kustannukset yhteensä", "Total costs of the project"),
    "grant": ("Tuki", "Grant"),
    "own": ("Omarahoitus", "Own contribution"),
    "hours": ("Omarahoitus talkootyönä", "Own contribution as voluntary work"),
    "hours_unit": ("tuntia", "hours"),
    "per_hour": ("/ tunti", "an hour"),
    "hours_cap": (
        "Talkootyöllä voi kattaa omarahoituksesta",
        "Voluntary work may cover of the own contribution",
    ),
    "people": ("esim.", "e.g."),
    "people_mid": ("henkilöä", "people"),
    "caption": ("Budjettiesimerkki", "Budget example"),
    "item": ("Erä", "Item"),
    "amount": ("Summa", "Amount"),
}


def label(key: str, lang: str) -> str:
    """The label ``key`` in ``lang``.

    >>> label("own", "en")
    'Own contribution'
    """
    fi, en = LABELS[key]
    return en if lang == "en" else fi


def euros(amount: float, lang: str) -> str:
    """An amount in whole euros, written the edition's way.

    >>> euros(2000, "en")
    'EUR 2,000'
    """
    whole = round(float(amount))
    if lang == "en":
        return f"EUR {whole:,}"
    return f"{whole:,}".replace(",", "\u00a0") + "\u00a0€"


def _lang(config: Any) -> str:
    return "en" if (config.language or "fi").startswith("en") else "fi"


def _source_line(lang: str, url: str, checked: Any) -> nodes.paragraph:
    host = urlparse(url).netloc or url
    para = nodes.paragraph(classes=["pg-example-source"])
    para += nodes.Text(f"{label('source', lang)}: ")
    para += nodes.reference("", host, refuri=url)
    para += nodes.Text(f", {label('checked', lang)} {format_date(checked, lang)}")
    return para


def _field(lang: str, key: str, text: str) -> nodes.paragraph:
    para = nodes.paragraph(classes=["pg-example-field"])
    para += nodes.strong("", f"{label(key, lang)}: ")
    para += nodes.Text(text)
    return para


class RealExamples(SphinxDirective):
    """```{real-examples}``` with ``:region:``, ``:programme:`` or ``:ids:``."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "region": directives.unchanged,
        "programme": directives.unchanged,
        "ids": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        from polarguide.examples import DEFAULT_PATH, load_examples

        from pgfacts import _untranslatable

        lang = _lang(self.config)
        self.env.note_dependency(str(DEFAULT_PATH))
        ids = [i for i in self.options.get("ids", "").replace(",", " ").split() if i]
        try:
            projects = load_examples().select(
                region=self.options.get("region"),
                programme=self.options.get("programme"),
                ids=ids or None,
            )
        except Exception as exc:  # bad option or data: a build error with the place
            raise self.error(f"real-examples: {exc}") from None
        if not projects:
            raise self.error("real-examples: no project matches these options")
        box = nodes.container(classes=["pg-examples"])
        for project in projects:
            card = nodes.container(classes=["pg-example"])
            title = nodes.paragraph(classes=["pg-example-title"])
            title += nodes.strong("", project.text("name", lang))
            card += title
            meta = nodes.paragraph(classes=["pg-example-meta"])
            parts = [
                ("years", project.years_text),
                ("programme", project.text("programme", lang)),
                ("places", project.text("places", lang)),
            ]
            for n, (key, text) in enumerate(parts):
                if n:
                    meta += nodes.Text(" · ")
                meta += nodes.strong("", f"{label(key, lang)}: ")
                meta += nodes.Text(text)
            card += meta
            card += nodes.paragraph("", project.text("what", lang))
            if project.cost:
                card += _field(lang, "cost", project.text("cost", lang))
            card += _source_line(lang, project.source_url, project.checked)
            box += card
        self.set_source_info(box)
        return [_untranslatable(box)]


class OrgRole(SphinxRole):
    """``{org}`network-id``` → the organisation's name linked to its web page + source."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        from polarguide.network import DEFAULT_PATH, load_network

        from pgfacts import _untranslatable, fact_source

        lang = _lang(self.config)
        self.env.note_dependency(str(DEFAULT_PATH))
        try:
            org = load_network().get(self.text.strip())
        except Exception as exc:
            msg = self.inliner.reporter.error(f"org {self.text!r}: {exc}", line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        wrapper = nodes.inline("", "", classes=["pg-org"])
        wrapper += nodes.reference("", org.text("name", lang), refuri=org.web)
        wrapper += fact_source(
            "", "lähde" if lang == "fi" else "source", url=org.source_url,
            checked=format_date(org.checked, lang), lang=lang,
        )  # fmt: skip
        return [_untranslatable(wrapper)], []


class BudgetExample(SphinxDirective):
    """```{budget-example}``` with ``:total:``, ``:rate:``, ``:hour:`` and ``:share:``."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "total": directives.positive_int,
        "rate": directives.unchanged_required,
        "hour": directives.unchanged_required,
        "share": directives.unchanged,
    }

    def _fact(self, key: str) -> Any:
        from pgfacts import _catalogue

        return _catalogue(self.env).fact(key)

    def _value(self, lang: str, text: str, key: str) -> nodes.inline:
        from pgfacts import fact_source

        fact = self._fact(key)
        node = nodes.inline("", "", classes=["pg-fact"])
        node += nodes.Text(text)
        node += fact_source(
            "", "lähde" if lang == "fi" else "source", url=fact.source_url,
            checked=format_date(fact.checked, lang), lang=lang,
        )  # fmt: skip
        return node

    def run(self) -> list[nodes.Node]:
        from polarguide import budget

        from pgfacts import _untranslatable

        lang = _lang(self.config)
        total = float(self.options["total"])
        try:
            rate = budget.number_in(self._fact(self.options["rate"]).value(lang)) / 100
            hour = budget.number_in(self._fact(self.options["hour"]).value(lang))
            share_key = self.options.get("share")
            share = budget.number_in(self._fact(share_key).value(lang)) / 100 if share_key else 1.0
            split = budget.real_costs_grant(total, rate)
            covered = split.own * min(share, 1.0)
            hours = budget.volunteer_hours(covered, hour)
        except Exception as exc:
            raise self.error(f"budget-example: {exc}") from None
        sep = "" if lang == "en" else "\u00a0"
        percent = f"{rate * 100:g}{sep}%"
        rows: list[tuple[str, nodes.Node]] = [
            (label("total", lang), nodes.Text(euros(split.total, lang))),
            (
                f"{label('grant', lang)} ({percent})",
                self._value(lang, euros(split.grant, lang), self.options["rate"]),
            ),
            (label("own", lang), nodes.Text(euros(split.own, lang))),
        ]
        if share_key:
            rows.append(
                (
                    label("hours_cap", lang),
                    self._value(lang, f"{share * 100:g}{sep}%", share_key),
                )
            )
        hours_text = (
            f"{hours} {label('hours_unit', lang)} ({euros(hour, lang)} {label('per_hour', lang)})"
        )
        if hours >= 20:  # ten volunteers share the hours (rounded up)
            each = -(-hours // 10)
            hours_text += (
                f" ({label('people', lang)} 10 {label('people_mid', lang)} × {each} "
                f"{label('hours_unit', lang)})"
            )
        rows.append((label("hours", lang), self._value(lang, hours_text, self.options["hour"])))
        table = nodes.table(classes=["pg-budget-example"])
        table += nodes.title("", label("caption", lang))
        group = nodes.tgroup(cols=2)
        table += group
        group += nodes.colspec(colwidth=55)
        group += nodes.colspec(colwidth=45)
        head = nodes.row()
        for key in ("item", "amount"):
            head += nodes.entry("", nodes.paragraph("", label(key, lang)))
        group += nodes.thead("", head)
        body = nodes.tbody()
        for name, value in rows:
            row = nodes.row()
            row += nodes.entry("", nodes.paragraph("", name))
            row += nodes.entry("", nodes.paragraph("", "", value))
            body += row
        group += body
        self.set_source_info(table)
        return [_untranslatable(table)]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("pgfacts")
    app.add_css_file("pgexamples.css")
    app.add_directive("real-examples", RealExamples)
    app.add_directive("budget-example", BudgetExample)
    app.add_role("org", OrgRole())
    return {
        "version": "0.1",
        "env_version": zlib.crc32(Path(__file__).read_bytes()),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
