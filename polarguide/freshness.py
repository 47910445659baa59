"""Facts that need a re-check: every catalogue fact whose check date is older than a limit.

Each fact in ``catalogue.yaml`` and ``facts/*.yaml`` carries ``checked`` (the day someone
last opened its source). :func:`stale_facts` lists those checked more than ``older_than``
days before ``today``, grouped by programme or topic, oldest first; the command line shows
them with ``polarguide facts --older-than DAYS`` and the nightly workflow reports them.

>>> facts = stale_facts(0, today="2030-01-01")
>>> len(facts) > 100, all(f.age_days > 0 for f in facts)
(True, True)
>>> stale_facts(-1)
Traceback (most recent call last):
...
polarguide.errors.InputError: older_than must be a whole number of days ≥ 0, got -1
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from typing import Any

from .dates import reference_day
from .errors import InputError
from .i18n import check_lang, format_date

#: The limit the monthly check uses (see MAINTAINING.md).
DEFAULT_OLDER_THAN = 90


@dataclass(frozen=True)
class StaleFact:
    """One fact that is due for a re-check."""

    entry_id: str
    entry_kind: str
    name: str
    key: str
    checked: dt.date
    age_days: int
    source_url: str
    value: str

    @property
    def ref(self) -> str:
        """The fact reference the book cites (``entry-id.key``)."""
        return f"{self.entry_id}.{self.key}"


def stale_facts(
    older_than: int = DEFAULT_OLDER_THAN,
    *,
    today: dt.date | str | None = None,
    lang: str = "fi",
    catalogue: Any = None,
) -> list[StaleFact]:
    """Facts checked more than ``older_than`` days before ``today``, by entry.

    Entries come in catalogue order (programmes first, then background topics); within an
    entry the oldest check comes first. ``older_than`` must be a whole number ≥ 0.

    >>> [f.ref for f in stale_facts(10_000)]
    []
    >>> any(f.ref == "norden-0-30.rounds_2021" for f in stale_facts(30, today="2027-03-01"))
    True
    """
    from .catalogue import load_catalogue

    if isinstance(older_than, bool) or not isinstance(older_than, int) or older_than < 0:
        raise InputError(f"older_than must be a whole number of days ≥ 0, got {older_than!r}")
    check_lang(lang)
    day = reference_day(today)
    cat = catalogue if catalogue is not None else load_catalogue()
    out: list[StaleFact] = []
    for entry in cat.all_entries:
        found = [
            StaleFact(
                entry_id=entry.id,
                entry_kind=entry.kind,
                name=entry.text("name", lang),
                key=key,
                checked=fact.checked,
                age_days=(day - fact.checked).days,
                source_url=fact.source_url,
                value=fact.value(lang),
            )
            for key, fact in entry.facts.items()
            if (day - fact.checked).days > older_than
        ]
        out.extend(sorted(found, key=lambda f: (-f.age_days, f.key)))
    return out


def by_entry(facts: list[StaleFact]) -> dict[str, list[StaleFact]]:
    """The facts grouped by entry id, in their order.

    >>> groups = by_entry(stale_facts(0, today="2030-01-01"))
    >>> "norden-0-30" in groups
    True
    """
    groups: dict[str, list[StaleFact]] = {}
    for fact in facts:
        groups.setdefault(fact.entry_id, []).append(fact)
    return groups


def to_table(
    facts: list[StaleFact], older_than: int, today: dt.date | str | None = None, lang: str = "fi"
) -> str:
    """A plain-text report: one heading per programme or topic, one line per fact.

    >>> print(to_table([], 90, "2026-12-05", "en"))
    No fact was checked more than 90 days before 5 December 2026.
    """
    day = reference_day(today)
    fi = check_lang(lang) == "fi"
    if not facts:
        return (
            f"Yhtäkään faktaa ei ole tarkistettu yli {older_than} päivää ennen "
            f"{format_date(day, lang)}."
            if fi
            else f"No fact was checked more than {older_than} days before {format_date(day, lang)}."
        )
    groups = by_entry(facts)
    lines = [
        f"{len(facts)} faktaa {len(groups)} kohdassa on tarkistettu yli {older_than} päivää "
        f"sitten ({format_date(day, lang)}). Avaa lähde, päivitä arvo ja checked-päivä."
        if fi
        else f"{len(facts)} facts in {len(groups)} entries were checked more than {older_than} "
        f"days ago ({format_date(day, lang)}). Open the source, update the value and 'checked'."
    ]
    for entry_id, items in groups.items():
        lines.append("")
        lines.append(f"{entry_id} – {items[0].name}")
        for fact in items:
            age = f"{fact.age_days} pv" if fi else f"{fact.age_days} d"
            lines.append(f"  {fact.key}  {fact.checked.isoformat()} ({age})  {fact.source_url}")
    return "\n".join(lines)


def to_json(facts: list[StaleFact], older_than: int, today: dt.date | str | None = None) -> str:
    """The report as JSON: the limit, the day and the facts grouped by entry.

    >>> doc = json.loads(to_json(stale_facts(0, today="2030-01-01"), 0, "2030-01-01"))
    >>> doc["older_than"], doc["today"], doc["count"] > 0
    (0, '2030-01-01', True)
    """
    groups = by_entry(facts)
    doc = {
        "older_than": older_than,
        "today": reference_day(today).isoformat(),
        "count": len(facts),
        "entries": [
            {
                "id": entry_id,
                "kind": items[0].entry_kind,
                "name": items[0].name,
                "facts": [
                    {
                        **{k: v for k, v in asdict(f).items() if k in ("key", "age_days")},
                        "ref": f.ref,
                        "checked": f.checked.isoformat(),
                        "source_url": f.source_url,
                        "value": f.value,
                    }
                    for f in items
                ],
            }
            for entry_id, items in groups.items()
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)
