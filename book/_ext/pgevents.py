"""Events and the Polar Magnets network in the book, from the library's data.

One job: put :mod:`polarguide.events` and :mod:`polarguide.network` on pages, in the
edition's language, and publish the calendar file.

* ```` ```{events-list} ```` – upcoming events by month from the build's "today" (every
  month up to the last known event is shown; an empty month says so), or ``:when: past``
  (newest first), or ``:limit: 3`` (the next three, for the front page). ``:filter:``
  adds a small municipality/audience filter in the HTML edition (without JavaScript every
  event stays visible).
* ```` ```{events-calendar} ```` – the link to the subscribable calendar file
  (HTML only): ``events.ics`` at the root of each edition, written when the HTML build
  finishes, with the stable UIDs of :func:`polarguide.events.to_ics`.
* ```` ```{network-directory} ```` – the organisations by municipality, the municipalities
  with no sourced youth organisation yet, regional and national bodies, partners abroad.

Each event and organisation shows its source and check date, and links to the funding
finder with a search that fits it (``funding_query``). "Today" is the build's:
config value ``polarguide_today``, else ``$POLARGUIDE_TODAY``, else today in Helsinki.
Generated text is marked untranslatable (the page's own prose is translated as usual).

>>> when_text(_event(dt.date(2027, 3, 23)), "fi"), when_text(_event(dt.date(2027, 3, 23)), "en")
('23.3.2027', '23 March 2027')
>>> when_text(_event(dt.date(2027, 10, 14), dt.date(2027, 10, 16)), "fi")
'14.–16.10.2027'
>>> slug("Enontekiö")
'enontekio'
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import urllib.parse
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from polarguide import events as ev
from polarguide import network as nw
from polarguide.dates import HELSINKI, reference_day
from polarguide.i18n import format_date, month_name

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The finder page the funding links open (with ``?q=``).
FINDER_DOC = "book/rahoitus/hakukone"

TEXT: dict[str, dict[str, str]] = {
    "fi": {
        "empty_month": "Tälle kuukaudelle ei ole vielä tiedossa tapahtumia.",
        "none_upcoming": "Tulevia tapahtumia ei ole vielä tiedossa.",
        "none_past": "Menneitä tapahtumia ei ole.",
        "register": "Ilmoittaudu",
        "more": "Tapahtuman sivu",
        "source": "Lähde",
        "checked": "tarkistettu",
        "funding": "Sopiva rahoitus",
        "online": "etänä",
        "everywhere": "kaikkialla",
        "organiser": "Järjestäjä",
        "deadline": "Rahoituksen määräaika",
        "calendar": "Tilattava kalenteri: events.ics",
        "filter": "Suodata tapahtumia",
        "municipality": "Kunta",
        "all_municipalities": "Kaikki kunnat",
        "audience": "Kenelle",
        "all_audiences": "Kaikille",
        "web": "Verkkosivu",
        "leader": "Leader-ryhmä",
        "no_youth": (
            "Nuorten kanssa toimivaa organisaatiota ei ole vielä löydetty lähteistä. "
            "Kysy kunnan nuorisotoimesta."
        ),
        "gaps": "Näistä kunnista ei ole vielä lähteellistä nuorisotoimijaa: {names}.",
        "national": "Koko Suomessa toimivat",
        "abroad": "Lähimmät kumppanit ulkomailla",
        "counts": "Hakemistossa on {orgs} organisaatiota {munis} kunnan alueelta.",
        "where_many": "Toimii: {names}.",
        "where_count": "Toimii {n} kunnassa.",
    },
    "en": {
        "empty_month": "No events are known for this month yet.",
        "none_upcoming": "No upcoming events are known yet.",
        "none_past": "No past events.",
        "register": "Register",
        "more": "Event page",
        "source": "Source",
        "checked": "checked",
        "funding": "Funding that fits",
        "online": "online",
        "everywhere": "everywhere",
        "organiser": "Organiser",
        "deadline": "Funding deadline",
        "calendar": "Subscribable calendar: events.ics",
        "filter": "Filter the events",
        "municipality": "Municipality",
        "all_municipalities": "All municipalities",
        "audience": "For whom",
        "all_audiences": "Everyone",
        "web": "Web page",
        "leader": "Leader group",
        "no_youth": (
            "No organisation working with young people has been found in the sources yet. "
            "Ask the municipality's youth services."
        ),
        "gaps": "No sourced youth organisation has been found yet in: {names}.",
        "national": "Working all over Finland",
        "abroad": "Nearest partners abroad",
        "counts": "The directory has {orgs} organisations from {munis} municipalities.",
        "where_many": "Works in: {names}.",
        "where_count": "Works in {n} municipalities.",
    },
}

AUDIENCE_LABELS = {
    "youth": ("nuoret", "young people"),
    "youth-workers": ("nuorisotyöntekijät", "youth workers"),
    "communities": ("kylät ja yhteisöt", "villages and communities"),
    "organisations": ("järjestöt ja organisaatiot", "associations and organisations"),
    "schools": ("koulut", "schools"),
}


def _lang(config: Any) -> str:
    return "en" if str(config.language or "fi").startswith("en") else "fi"


def _today(config: Any) -> dt.date:
    return reference_day(getattr(config, "polarguide_today", "") or None)


def slug(name: str) -> str:
    """A municipality as a CSS class part (no accents, lowercase)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in plain.lower())


def _event(start: dt.date, end: dt.date | None = None) -> ev.Event:
    return ev.Event("x", {"fi": "", "en": ""}, {"fi": "", "en": ""}, start, end or start)


def when_text(event: ev.Event, lang: str) -> str:
    """The event's day(s) and time as readers write them."""
    first, last = event.first_day, event.last_day
    if event.all_day:
        if first == last:
            return format_date(first, lang)
        if lang == "fi":
            if (first.year, first.month) == (last.year, last.month):
                return f"{first.day}.–{last.day}.{last.month}.{last.year}"
            return f"{format_date(first, lang)}–{format_date(last, lang)}"
        if (first.year, first.month) == (last.year, last.month):
            return f"{first.day}–{format_date(last, lang)}"
        return f"{format_date(first, lang)} – {format_date(last, lang)}"
    start = event.start.astimezone(HELSINKI)  # type: ignore[union-attr]
    end = event.end.astimezone(HELSINKI)  # type: ignore[union-attr]
    day = format_date(start.date(), lang)
    if lang == "fi":
        return f"{day} klo {start:%H.%M}–{end:%H.%M}"
    return f"{day}, {start:%H:%M}–{end:%H:%M} (Helsinki time)"


def _finder_link(env: Any, docname: str, query: str, lang: str) -> nodes.Node | None:
    if not query or getattr(env.app.builder, "format", "") != "html":
        return None  # the PDF has no finder to open
    base = env.app.builder.get_relative_uri(docname, FINDER_DOC)
    uri = f"{base}?q={urllib.parse.quote(query)}"
    return nodes.reference("", TEXT[lang]["funding"], refuri=uri, classes=["pg-funding"])


def _source(url: str, checked: dt.date | None, lang: str) -> list[nodes.Node]:
    text = TEXT[lang]
    out: list[nodes.Node] = [nodes.reference("", text["source"], refuri=url)]
    if checked:
        out.append(nodes.Text(f" ({text['checked']} {format_date(checked, lang)})"))
    return out


def _links(parts: list[list[nodes.Node] | nodes.Node | None]) -> nodes.paragraph:
    para = nodes.paragraph(classes=["pg-links"])
    first = True
    for part in parts:
        if part is None:
            continue
        if not first:
            para += nodes.Text(" · ")
        first = False
        for node in part if isinstance(part, list) else [part]:
            para += node
    return para


def _untranslatable(node: nodes.Node) -> nodes.Node:
    from pgfacts import _untranslatable as mark

    return mark(node)


class EventsList(SphinxDirective):
    """```` ```{events-list} ```` – see the module docstring."""

    option_spec = {  # noqa: RUF012 - Sphinx's API
        "when": lambda arg: directives.choice(arg, ("upcoming", "past")),
        "limit": directives.positive_int,
        "filter": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        lang = _lang(self.config)
        today = _today(self.config)
        for path in (ev.DEFAULT_PATH, nw.DEFAULT_PATH):
            self.env.note_dependency(str(path))
        calendar = ev.calendar(today)
        past = self.options.get("when") == "past"
        chosen = ev.past(calendar, today) if past else ev.upcoming(calendar, today)
        limit = self.options.get("limit")
        out: list[nodes.Node] = []
        if "filter" in self.options:
            out.append(self.filter_form(chosen, lang))
        if limit:
            out.append(self.items(chosen[:limit], lang))
        elif not chosen:
            key = "none_past" if past else "none_upcoming"
            out.append(nodes.paragraph("", TEXT[lang][key]))
        else:
            out += self.by_month(chosen, today, past, lang)
        return [_untranslatable(node) for node in out]

    def by_month(
        self, events: list[ev.Event], today: dt.date, past: bool, lang: str
    ) -> list[nodes.Node]:
        months: dict[tuple[int, int], list[ev.Event]] = {}
        for event in events:
            day = max(event.first_day, today) if not past else event.first_day
            months.setdefault((day.year, day.month), []).append(event)
        if past:
            keys = sorted(months, reverse=True)
        else:  # every month from this one to the last known event; empty months say so
            keys, (year, month) = [], (today.year, today.month)
            while (year, month) <= max(months):
                keys.append((year, month))
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        out: list[nodes.Node] = []
        for year, month in keys:
            out.append(
                nodes.rubric(
                    "", f"{month_name(month, lang).capitalize()} {year}", classes=["pg-month"]
                )
            )
            if (year, month) in months:
                out.append(self.items(months[(year, month)], lang))
            else:
                out.append(nodes.paragraph("", TEXT[lang]["empty_month"], classes=["pg-empty"]))
        return out

    def items(self, events: list[ev.Event], lang: str) -> nodes.bullet_list:
        listing = nodes.bullet_list(classes=["pg-events"])
        for event in events:
            listing += self.item(event, lang)
        return listing

    def item(self, event: ev.Event, lang: str) -> nodes.list_item:
        text = TEXT[lang]
        munis = f"pg-m-{slug(event.municipality)}" if event.municipality else ""
        if not event.municipality and not event.place.city:
            munis = "pg-m-any"
        classes = ["pg-event", f"pg-kind-{event.kind}"]
        classes += [munis] if munis else []
        classes += [f"pg-a-{a}" for a in event.audience]
        item = nodes.list_item(classes=classes)
        anchor = f"ev-{event.id}"  # the programme table links a programme's next round here
        if anchor not in self.state.document.ids:
            item["ids"].append(anchor)
            self.state.document.ids[anchor] = item
        head = nodes.paragraph()
        head += nodes.strong("", event.text("title", lang))
        where = event.where(lang)
        details = [when_text(event, lang), where]
        if event.organiser:
            details.append(f"{text['organiser']}: {event.organiser}")
        if event.kind == "deadline":
            details.append(text["deadline"])
        head += nodes.Text(" – " + ", ".join(d for d in details if d))
        item += head
        if event.text("description", lang):
            item += nodes.paragraph("", event.text("description", lang))
        register = (
            nodes.reference("", text["register"], refuri=event.registration)
            if event.registration
            else None
        )
        more = (
            nodes.reference("", text["more"], refuri=event.url)
            if event.url and event.url != event.source_url
            else None
        )
        funding = _finder_link(self.env, self.env.docname, event.funding_query, lang)
        item += _links([register, more, _source(event.source_url, event.checked, lang), funding])
        return item

    def filter_form(self, events: list[ev.Event], lang: str) -> nodes.Node:
        text = TEXT[lang]
        area = nw.load_network().area
        options = "".join(f'<option value="{slug(m)}">{m}</option>' for m in area)
        audiences = "".join(
            f'<option value="{key}">{AUDIENCE_LABELS[key][0 if lang == "fi" else 1]}</option>'
            for key in ev.AUDIENCES
            if key != "everyone"
        )
        html = (
            f'<form class="pg-filter" hidden aria-label="{text["filter"]}">'
            f'<label for="pg-f-m">{text["municipality"]}</label> '
            f'<select id="pg-f-m"><option value="">{text["all_municipalities"]}</option>'
            f"{options}</select> "
            f'<label for="pg-f-a">{text["audience"]}</label> '
            f'<select id="pg-f-a"><option value="">{text["all_audiences"]}</option>'
            f"{audiences}</select></form>"
            "<script>(function(){var f=document.querySelector('.pg-filter');if(!f)return;"
            "f.hidden=false;function apply(){"
            "var m=document.getElementById('pg-f-m').value,"
            "a=document.getElementById('pg-f-a').value;"
            "document.querySelectorAll('li.pg-event').forEach(function(li){var c=li.classList;"
            "var okM=!m||c.contains('pg-m-'+m)||c.contains('pg-m-any');"
            "var okA=!a||c.contains('pg-a-'+a)||c.contains('pg-a-everyone');"
            "li.hidden=!(okM&&okA);});}"
            "f.addEventListener('change',apply);})();</script>"
        )
        only = addnodes.only(expr="html")
        only += nodes.raw("", html, format="html")
        return only


class EventsCalendar(SphinxDirective):
    """```` ```{events-calendar} ```` – the link to ``events.ics`` (HTML edition only)."""

    def run(self) -> list[nodes.Node]:
        lang = _lang(self.config)
        depth = self.env.docname.count("/")
        para = nodes.paragraph(classes=["pg-calendar"])
        para += nodes.reference("", TEXT[lang]["calendar"], refuri="../" * depth + "events.ics")
        only = addnodes.only(expr="html")
        only += para
        return [_untranslatable(only)]


class NetworkDirectory(SphinxDirective):
    """```` ```{network-directory} ```` – see the module docstring."""

    def run(self) -> list[nodes.Node]:
        lang = _lang(self.config)
        text = TEXT[lang]
        self.env.note_dependency(str(nw.DEFAULT_PATH))
        net = nw.load_network()
        orgs = net.organisations
        in_area = {m for o in orgs for m in o.municipalities}
        out: list[nodes.Node] = [
            nodes.paragraph("", text["counts"].format(orgs=len(orgs), munis=len(in_area)))
        ]
        missing = nw.gaps(network=net)
        if missing:
            out.append(nodes.paragraph("", text["gaps"].format(names=", ".join(missing))))
        for municipality in net.area:
            out.append(nodes.rubric("", municipality, classes=["pg-municipality"]))
            here = [o for o in orgs if municipality in o.municipalities]
            leader = [o for o in here if o.kind == "leader-group"]
            local = sorted(  # local ones first, then those that work in several municipalities
                (o for o in here if o.kind != "leader-group"),
                key=lambda o: (len(o.municipalities), o.id),
            )
            para = nodes.paragraph()
            for group in leader:
                para += nodes.Text(f"{text['leader']}: ")
                para += nodes.reference("", group.text("name", lang), refuri=group.web)
            out.append(para)
            if local:
                out.append(self.listing(local, lang, net))
            if municipality in missing:
                out.append(nodes.paragraph("", text["no_youth"], classes=["pg-empty"]))
        sections = (
            ("national", [o for o in orgs if not o.municipalities and o.country == "FI"]),
            ("abroad", [o for o in orgs if o.country != "FI"]),
        )
        for key, group in sections:
            if group:
                out.append(nodes.rubric("", text[key]))
                out.append(self.listing(group, lang, net, where=True))
        return [_untranslatable(node) for node in out]

    def listing(
        self, orgs: list[nw.Organisation], lang: str, net: nw.Network, where: bool = False
    ) -> nodes.bullet_list:
        text = TEXT[lang]
        listing = nodes.bullet_list(classes=["pg-network"])
        for org in orgs:
            item = nodes.list_item(classes=["pg-org", f"pg-kind-{org.kind}"])
            head = nodes.paragraph()
            head += nodes.strong("", org.text("name", lang))
            head += nodes.Text(" – " + org.text("does", lang))
            item += head
            if len(org.municipalities) > 6:  # a long list would repeat on every municipality
                item += nodes.paragraph("", text["where_count"].format(n=len(org.municipalities)))
            elif len(org.municipalities) > 1:
                names = ", ".join(org.municipalities)
                item += nodes.paragraph("", text["where_many"].format(names=names))
            elif where and org.places:
                item += nodes.paragraph("", f"{org.places} ({org.country})")
            item += _links(
                [
                    nodes.reference("", text["web"], refuri=org.web),
                    _source(org.source_url, org.checked, lang),
                    _finder_link(self.env, self.env.docname, nw.funding_query(org), lang),
                ]
            )
            listing += item
        return listing


def write_calendar(app: Sphinx, exception: Exception | None) -> None:
    """Write ``events.ics`` at the root of the HTML edition (stable UIDs, all-day days)."""
    if exception is not None or app.builder.format != "html":
        return
    lang = _lang(app.config)
    calendar = ev.calendar(_today(app.config))
    Path(app.outdir, "events.ics").write_bytes(ev.to_ics(calendar, lang))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register ``events-list``, ``events-calendar`` and ``network-directory``."""
    if "polarguide_today" not in app.config.values:
        app.add_config_value("polarguide_today", "", "env", str)
    app.add_directive("events-list", EventsList)
    app.add_directive("events-calendar", EventsCalendar)
    app.add_directive("network-directory", NetworkDirectory)
    app.connect("build-finished", write_calendar)
    return {
        "version": "0.1",
        "env_version": zlib.crc32(Path(__file__).read_bytes()),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
