"""The Polar Magnets network directory: organisations that work with young people,
international cooperation or the environment in the project area (organisations only,
never private persons), each with a source and a check date.

The data lives in ``polarguide/data/network.yaml`` (see ``docs/EVENTS.md``). The project
area is the municipalities of the five Leader groups listed there; :func:`gaps` tells which
of them have no organisation of a kind found yet, so the directory says what is missing
instead of hiding it.

>>> net = load_network()
>>> len(net.area)
23
>>> "Kuusamo" in [o.municipalities[0] for o in net.in_municipality("Kuusamo") if o.local]
True
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .datafile import DataFileError, Fields, Mapping, file_version, meta_checked, read_file
from .i18n import check_lang

#: Where the bundled directory lives.
DEFAULT_PATH = Path(__file__).parent / "data" / "network.yaml"
#: What kind of organisation an entry is.
KINDS = (
    "leader-group",
    "youth-services",
    "youth-council",
    "school",
    "research-station",
    "sami",
    "nature",
    "eu-information",
    "4h",
    "eurodesk",
    "village",
    "regional",
)
#: What an organisation works on.
THEMES = ("youth", "international", "environment", "rural", "sami-culture", "research")
#: The fields an organisation may have (anything else is reported as a typo).
ORGANISATION_KEYS = (
    "id",
    "kind",
    "name",
    "municipalities",
    "national",
    "country",
    "places",
    "themes",
    "does",
    "contact",
    "source_url",
    "checked",
    "funding_query",
    "more_sources",
)
#: A finder search that fits each kind of organisation when the entry names none.
KIND_QUERIES = {
    "leader-group": "leader",
    "youth-services": "nuorisovaihto",
    "youth-council": "nuorten osallistuminen",
    "school": "erasmus koulu",
    "research-station": "ympäristö tutkimus",
    "sami": "saamelainen kulttuuri",
    "nature": "luonto ympäristö",
    "eu-information": "erasmus nuoret",
    "4h": "nuoret yrittäjyys",
    "eurodesk": "nuorisovaihto",
    "village": "kylä yhteisö",
    "regional": "alueellinen yhteistyö",
}
#: Kinds that count as local youth work when :func:`gaps` looks for holes.
YOUTH_KINDS = ("youth-services", "youth-council", "4h", "eurodesk", "school")

_LABELS = {
    "name": ("Organisaatio", "Organisation"),
    "where": ("Kunnat", "Municipalities"),
    "kind": ("Tyyppi", "Kind"),
    "web": ("Verkkosivu", "Web page"),
    "none": ("Ei organisaatioita tällä valinnalla.", "No organisations for this choice."),
    "whole": ("koko alue", "whole area"),
    "abroad": ("ulkomailla", "abroad"),
    "gaps": (
        "Ei vielä lähteellistä nuorisotoimijaa näissä kunnissa",
        "No sourced youth organisation found yet in these municipalities",
    ),
}


def _label(key: str, lang: str) -> str:
    fi, en = _LABELS[key]
    return fi if check_lang(lang) == "fi" else en


@dataclass(frozen=True)
class Organisation:
    """One organisation of the directory.

    ``municipalities`` are the project-area municipalities it works in (empty for a partner
    abroad, which has ``country`` and ``places`` instead).

    >>> o = load_network().get("koillismaan-leader")
    >>> o.municipalities, o.local
    (('Kuusamo', 'Posio', 'Taivalkoski'), False)
    """

    id: str
    name: dict[str, str]
    kind: str
    does: dict[str, str]
    themes: tuple[str, ...]
    municipalities: tuple[str, ...]
    web: str
    source_url: str
    checked: dt.date
    email: str = ""
    phone: str = ""
    country: str = "FI"
    places: str = ""
    funding_query: str = ""
    #: further pages that back a claim of the entry (e.g. where its municipalities come from)
    more_sources: tuple[str, ...] = ()
    file: str = ""
    line: int = 0

    @property
    def local(self) -> bool:
        """True when it works in exactly one municipality of the area."""
        return len(self.municipalities) == 1

    def text(self, name: str, lang: str) -> str:
        """``name`` or ``does`` in ``lang``."""
        return getattr(self, name)[check_lang(lang)]


@dataclass(frozen=True)
class Network:
    """The directory: the project ``area`` and its ``organisations``.

    >>> net = load_network()
    >>> net.get("samediggi").municipalities
    ('Inari', 'Enontekiö', 'Utsjoki', 'Sodankylä')
    """

    checked: dt.date
    area: tuple[str, ...]
    area_source: str
    organisations: tuple[Organisation, ...]
    name: str

    def get(self, org_id: str) -> Organisation:
        """The organisation with ``org_id`` (:class:`~polarguide.errors.InputError` if none)."""
        from .errors import InputError

        for org in self.organisations:
            if org.id == org_id:
                return org
        raise InputError(f"unknown organisation {org_id!r}")

    def municipality(self, name: str) -> str:
        """The area's spelling of municipality ``name`` (any case), else InputError.

        >>> load_network().municipality("ROVANIEMI")
        'Rovaniemi'
        """
        from .errors import InputError

        for known in self.area:
            if known.casefold() == name.strip().casefold():
                return known
        import difflib

        close = difflib.get_close_matches(name, self.area, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise InputError(f"{name!r} is not a municipality of the project area{hint}")

    def in_municipality(self, name: str) -> list[Organisation]:
        """Organisations that work in municipality ``name``, local ones first.

        >>> [o.id for o in load_network().in_municipality("Enontekiö")][:1]
        ['kilpisjarvi-biological-station']
        """
        wanted = self.municipality(name)
        found = [o for o in self.organisations if wanted in o.municipalities]
        return sorted(found, key=lambda o: (len(o.municipalities), o.id))


def load_network(path: str | Path | None = None) -> Network:
    """Read and check the directory (the bundled one by default); cached per file.

    Mistakes raise :class:`~polarguide.datafile.DataFileError` naming file and line.

    >>> load_network().checked
    datetime.date(2026, 12, 5)
    """
    return _load_cached(*file_version(path, DEFAULT_PATH))


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, _mtime_ns: int) -> Network:
    doc, name = read_file(path)
    return parse_network(doc, name)


def parse_network(doc: Any, name: str = "network.yaml") -> Network:
    """Check a parsed directory document (see :func:`load_network`)."""
    if not isinstance(doc, Mapping):
        raise DataFileError(f"{name}:1: the file must have 'meta:', 'area:' and 'organisations:'")
    checked = meta_checked(doc, name)
    area_raw = doc.get("area")
    if not isinstance(area_raw, Mapping) or not isinstance(area_raw.get("municipalities"), list):
        raise DataFileError(
            f"{name}:{doc.line_of('area')}: 'area:' needs 'municipalities:' (a list)"
        )
    area = tuple(str(m) for m in area_raw["municipalities"])
    if len(set(area)) != len(area):
        raise DataFileError(f"{name}:{area_raw.line_of('municipalities')}: a municipality is twice")
    area_source = area_raw.get("source", "")
    if not isinstance(area_source, str) or not area_source.strip():
        raise DataFileError(
            f"{name}:{area_raw.line}: 'area:' needs 'source:' (where the list comes from)"
        )
    items = doc.get("organisations")
    if not isinstance(items, list):
        raise DataFileError(
            f"{name}:{doc.line_of('organisations')}: 'organisations:' must be a list"
        )
    orgs: list[Organisation] = []
    seen: dict[str, int] = {}
    for raw in items:
        org = _parse_org(raw, name, area, checked)
        if org.id in seen:
            raise DataFileError(
                f"{name}:{org.line}: organisation '{org.id}': the id is already used on line "
                f"{seen[org.id]}"
            )
        seen[org.id] = org.line
        orgs.append(org)
    return Network(checked, area, area_source.strip(), tuple(orgs), name)


def _parse_org(raw: Any, name: str, area: tuple[str, ...], newest: dt.date) -> Organisation:
    f = Fields(raw, name, "organisation")
    f.known(ORGANISATION_KEYS)
    kind = f.raw.get("kind")
    if kind not in KINDS:
        raise f.fail("kind", f"must be one of: {', '.join(KINDS)}")
    country = f.text("country", required=False) or "FI"
    places = f.text("places", required=False)
    munis = f.raw.get("municipalities", [])
    if not isinstance(munis, list) or not all(isinstance(m, str) for m in munis):
        raise f.fail("municipalities", "must be a list of municipalities, e.g. [Kuusamo]")
    for muni in munis:
        if muni not in area:
            raise f.fail(
                "municipalities",
                f"has {muni!r}, which is not in 'area:' (check the spelling; "
                "partners abroad use country: and places:)",
            )
    if country == "FI" and not munis and f.raw.get("national") is not True:
        raise f.fail("municipalities", "is empty: name where it works, or write national: true")
    if country != "FI" and not places:
        raise f.fail("places", "is missing: a partner abroad names its towns or region")
    contact = f.raw.get("contact")
    if not isinstance(contact, dict):
        raise f.fail("contact", "needs at least web: (the organisation's own page)")
    web = f.url("contact.web", value=contact.get("web"), where=contact)
    email = contact.get("email") or ""
    if email and (not isinstance(email, str) or ("@" not in email and "(at)" not in email)):
        raise f.fail("contact.email", "is not an e-mail address", contact)
    phone = contact.get("phone") or ""
    return Organisation(
        id=f.id,
        name=f.bilingual("name"),
        kind=kind,
        does=f.bilingual("does"),
        themes=f.words("themes", THEMES),
        municipalities=tuple(munis),
        web=web,
        email=str(email),
        phone=str(phone),
        source_url=f.url("source_url"),
        checked=f.checked(newest),
        country=country,
        places=places,
        funding_query=f.text("funding_query", required=False),
        more_sources=_more_sources(f),
        file=name,
        line=f.line,
    )


def _more_sources(f: Fields) -> tuple[str, ...]:
    raw = f.raw.get("more_sources") or []
    if not isinstance(raw, list):
        raise f.fail("more_sources", "must be a list of web addresses")
    return tuple(f.url("more_sources", value=url, where=f.raw) for url in raw)


def funding_query(org: Organisation) -> str:
    """The finder search that fits ``org``: its own ``funding_query``, else its kind's.

    >>> funding_query(load_network().get("oulanka-research-station"))
    'ympäristö tutkimus'
    """
    return org.funding_query or KIND_QUERIES.get(org.kind, "")


def select(
    orgs: Iterable[Organisation],
    *,
    municipality: str | None = None,
    kind: str | None = None,
    theme: str | None = None,
    network: Network | None = None,
) -> list[Organisation]:
    """Filter organisations by municipality (those working there), kind and theme.

    >>> net = load_network()
    >>> len([o for o in select(net.organisations, kind="leader-group") if o.country == "FI"])
    5
    >>> all("environment" in o.themes for o in select(net.organisations, theme="environment"))
    True
    """
    from .errors import InputError

    net = network or load_network()
    chosen = list(orgs)
    if municipality:
        wanted = net.municipality(municipality)
        chosen = [o for o in chosen if wanted in o.municipalities]
    if kind:
        if kind not in KINDS:
            raise InputError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
        chosen = [o for o in chosen if o.kind == kind]
    if theme:
        if theme not in THEMES:
            raise InputError(f"unknown theme {theme!r}: use one of {', '.join(THEMES)}")
        chosen = [o for o in chosen if theme in o.themes]
    return chosen


def coverage(network: Network | None = None) -> dict[str, list[str]]:
    """For each municipality of the area, the ids of organisations working there.

    >>> cov = coverage()
    >>> len(cov) == 23 and all(cov.values())  # every municipality has at least its Leader group
    True
    """
    net = network or load_network()
    return {m: [o.id for o in net.in_municipality(m)] for m in net.area}


def gaps(kinds: Sequence[str] = YOUTH_KINDS, network: Network | None = None) -> list[str]:
    """Municipalities with no organisation of ``kinds`` working there (in area order).

    >>> "Taivalkoski" in gaps()
    False
    """
    net = network or load_network()
    return [
        m
        for m in net.area
        if not any(o.kind in kinds and m in o.municipalities for o in net.organisations)
    ]


def as_rows(orgs: Iterable[Organisation], lang: str = "fi") -> list[dict[str, Any]]:
    """Plain dictionaries for JSON/CSV.

    >>> as_rows([load_network().get("taivalkoski-youth-council")], "en")[0]["municipalities"]
    ['Taivalkoski']
    """
    check_lang(lang)
    return [
        {
            "id": o.id,
            "name": o.text("name", lang),
            "kind": o.kind,
            "municipalities": list(o.municipalities),
            "country": o.country,
            "places": o.places,
            "does": o.text("does", lang),
            "themes": list(o.themes),
            "web": o.web,
            "email": o.email,
            "phone": o.phone,
            "source_url": o.source_url,
            "checked": o.checked.isoformat(),
            "more_sources": list(o.more_sources),
        }
        for o in orgs
    ]


def render(
    orgs: Sequence[Organisation], fmt: str, lang: str = "fi", network: Network | None = None
) -> str:
    """The organisations as ``table`` (with the gaps line), ``json`` or ``csv`` text.

    >>> render([], "table", "en").splitlines()[0]
    'No organisations for this choice.'
    """
    from .errors import InputError

    check_lang(lang)
    if fmt == "json":
        return json.dumps(as_rows(orgs, lang), ensure_ascii=False, indent=2)
    if fmt == "csv":
        import csv
        import io

        from .export import LIST_SEPARATOR

        rows = as_rows(orgs, lang)
        buffer = io.StringIO()
        fields = list(rows[0]) if rows else ["id", "name", "kind", "municipalities"]
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: LIST_SEPARATOR.join(v) if isinstance(v, list) else v for k, v in row.items()}
            )
        return buffer.getvalue()
    if fmt != "table":
        raise InputError(f"unknown format {fmt!r}: use table, json or csv")
    net = network or load_network()
    lines = [_table(orgs, lang, net)]
    missing = gaps(network=net)
    if missing:
        lines.append("")
        lines.append(f"{_label('gaps', lang)}: {', '.join(missing)}")
    return "\n".join(lines)


def _table(orgs: Sequence[Organisation], lang: str, net: Network) -> str:
    if not orgs:
        return _label("none", lang)
    header = [_label("name", lang), _label("where", lang), _label("web", lang)]
    rows = []
    for o in orgs:
        if o.country != "FI":
            where = f"{o.places} ({o.country})"
        elif not o.municipalities or len(o.municipalities) == len(net.area):
            where = _label("whole", lang)
        else:
            where = ", ".join(o.municipalities)
        rows.append([_cut(o.text("name", lang), 48), _cut(where, 40), o.web])
    sizes = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(s) for h, s in zip(header, sizes, strict=True)).rstrip()]
    lines.append("  ".join("-" * s for s in sizes))
    lines += ["  ".join(c.ljust(s) for c, s in zip(r, sizes, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ----------------------------------------------------------------- command line


def add_cli_parser(commands: Any, common: Any) -> None:
    """Add the ``network`` command to the ``polarguide`` command line's subparsers.

    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> common = argparse.ArgumentParser(add_help=False)
    >>> add_cli_parser(parser.add_subparsers(dest="command"), common)
    >>> parser.parse_args(["network", "--municipality", "Posio"]).municipality
    'Posio'
    """
    p = commands.add_parser(
        "network", parents=[common], help="organisations of the Polar Magnets network"
    )
    p.add_argument("--municipality", metavar="NAME", help="organisations working there")
    p.add_argument("--kind", choices=KINDS, help="only this kind of organisation")
    p.add_argument("--theme", choices=THEMES, help="only organisations working on this")
    p.add_argument("--file", metavar="PATH", help="directory file (default: the bundled one)")


def run_cli(args: Any, *, lang: str) -> int:
    """Run ``polarguide network`` with parsed ``args``; return the exit code.

    >>> import argparse
    >>> ns = argparse.Namespace(municipality="Taivalkoski", kind="youth-council", theme=None,
    ...                         file=None, format="json")
    >>> run_cli(ns, lang="en")  # doctest: +ELLIPSIS
    [
      {
        "id": "taivalkoski-youth-council",
    ...
    0
    """
    net = load_network(args.file)
    chosen = select(
        net.organisations,
        municipality=args.municipality,
        kind=args.kind,
        theme=args.theme,
        network=net,
    )
    print(render(chosen, getattr(args, "format", "table"), lang, network=net).rstrip("\n"))
    return 0
