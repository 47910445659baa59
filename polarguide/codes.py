"""Portal programme codes: ``frameworkProgramme`` numeric code → short name and clean label.

The table lives in ``polarguide/data/programme_codes.json`` and is built by
``scripts/build_programme_codes.py`` from real facet captures of the EU Funding &
Tenders Portal search API (provenance is kept inside the JSON). Programmes are
always mapped by their numeric code, never by label: the portal's 2026 labels
are partly URL-encoded ("Research Fund for Coal %26 Steel") or lose characters
("Erasmus  (ERASMUS )").

>>> programme_for_code("43353764").short
'ERASMUS'
>>> programme_from_value("LIFE").code
'43252405'
>>> repair_label("Research Fund for Coal %26 Steel (RFCS)")
'Research Fund for Coal & Steel (RFCS)'
"""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from .errors import DataError

DATA_FILE = "programme_codes.json"

_ABBREVIATION = re.compile(r"\(([^()]*)\)\s*$")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")


@dataclass(frozen=True)
class Programme:
    """One funding programme as the portal codes it.

    ``code`` is the portal's numeric ``frameworkProgramme`` value, ``short`` the
    abbreviation (``ERASMUS``; empty if the portal gives none), ``name`` the clean
    full name, ``legacy`` true for 2014-2020 programmes.
    """

    code: str
    short: str
    name: str
    legacy: bool = False


def repair_label(label: str) -> str:
    """Undo the 2026 facet label quirks: URL escapes, a ``+`` lost as a space, extra spaces.

    A lost ``+`` shows as a space before ``)`` ("(ERASMUS )") and, in the name, as an
    extra space before ``(``; three spaces before ``(`` are " + (" ("Fund   (ESF)").

    >>> repair_label("Erasmus  (ERASMUS )")
    'Erasmus+ (ERASMUS+)'
    >>> repair_label("European Social Fund   (ESF) ")
    'European Social Fund + (ESF)'
    >>> repair_label("Instrument %E2%80%93 Global Europe (NDICI)")
    'Instrument – Global Europe (NDICI)'
    """
    text = str(label)
    if _PERCENT.search(text):
        text = urllib.parse.unquote(text)
    text = re.sub(r"(\S) {3}\(", r"\1 + (", text)
    if re.search(r"\w \)\s*$", text):
        text = re.sub(r"(\w) \)(\s*)$", r"\1+)\2", text)
        text = re.sub(r"(\w) {2}\(", r"\1+ (", text)
    return " ".join(text.split())


def split_label(label: str) -> tuple[str, str, bool]:
    """Split a clean portal label into ``(short, name, legacy)``.

    >>> split_label("Horizon Europe (HORIZON)")
    ('HORIZON', 'Horizon Europe', False)
    >>> split_label("Creative Europe (CREA - 2014-2020)")
    ('CREA', 'Creative Europe (2014-2020)', True)
    >>> split_label("The European Union programme for education")
    ('', 'The European Union programme for education', False)
    """
    text = " ".join(str(label).split())
    match = _ABBREVIATION.search(text)
    if not match:
        return "", text, "2014-2020" in text
    inner = match.group(1).strip()
    name = text[: match.start()].strip()
    legacy = False
    if " - " in inner:
        inner, period = (part.strip() for part in inner.split(" - ", 1))
        legacy = period == "2014-2020"
        name = f"{name} ({period})"
    short = inner.rstrip("+").strip().upper()
    return short, name, legacy


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    try:
        text = resources.files("polarguide").joinpath("data", DATA_FILE).read_text("utf-8")
        document = json.loads(text)
    except (OSError, ValueError) as err:
        raise DataError(
            f"the programme code table {DATA_FILE} is missing or broken ({err}); "
            "rebuild it with: python scripts/build_programme_codes.py"
        ) from None
    programmes = [
        Programme(
            code=str(entry["code"]),
            short=str(entry["short"]),
            name=str(entry["name"]),
            legacy=bool(entry.get("legacy", False)),
        )
        for entry in document.get("programmes", [])
    ]
    by_code = {p.code: p for p in programmes}
    by_short: dict[str, Programme] = {}
    for programme in sorted(programmes, key=lambda p: p.legacy):  # current ones win
        if programme.short:
            by_short.setdefault(programme.short, programme)
    return {"programmes": programmes, "by_code": by_code, "by_short": by_short}


def known_programmes() -> list[Programme]:
    """Return every programme in the table, ordered by short name then code.

    >>> any(p.short == "CERV" for p in known_programmes())
    True
    """
    return sorted(_table()["programmes"], key=lambda p: (p.short or "~", p.code))


def programme_for_code(code: str) -> Programme | None:
    """Return the programme with portal numeric ``code``, or ``None`` if unknown.

    >>> programme_for_code("43251814").name
    'Creative Europe Programme'
    >>> programme_for_code("999") is None
    True
    """
    return _table()["by_code"].get(str(code).strip())


def programme_from_value(value: str) -> Programme | None:
    """Return the programme for a ``frameworkProgramme`` value: a numeric code or an abbreviation.

    Abbreviations ("HORIZON", as the portal sends in update notices) are matched
    against the table's short names only, never against labels; a current programme
    wins over its 2014-2020 predecessor.

    >>> programme_from_value("HORIZON").code
    '43108390'
    >>> programme_from_value(" esc ").short
    'ESC'
    >>> programme_from_value("Horizon Europe") is None
    True
    """
    text = str(value or "").strip()
    if not text:
        return None
    if text.isdigit():
        return programme_for_code(text)
    return _table()["by_short"].get(text.rstrip("+").strip().upper())
