"""Real projects from Lapland, Koillismaa and the Nordic north (``data/examples.yaml``).

The guide shows what people in the region have really done, not only invented examples.
Each project has its years, programme, places, what was done, the cost where the source
publishes it, and a source with a check date. Mistakes in the hand-edited file are reported
as ``file:line: ...`` (:class:`~polarguide.datafile.DataFileError`).

>>> ex = load_examples()
>>> len(ex.projects) >= 8, ex.get("polar-magnets").region
(True, 'koillismaa')
>>> [p.id for p in ex.select(region="koillismaa", programme="interreg-aurora")]
['clap-arctic-protected-areas']
>>> ex.get("from-lab-to-landmarks").years_text
'2023–2024'
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .datafile import DataFileError, Fields, file_version, read_file
from .errors import InputError
from .i18n import check_lang

#: Where the bundled examples live.
DEFAULT_PATH = Path(__file__).parent / "data" / "examples.yaml"
#: Where a project is: the guide's core area (Lapland, Koillismaa) or elsewhere in the north.
REGIONS = ("lapland", "koillismaa", "nordic-north")
#: The fields a project may have (anything else is reported as a typo).
PROJECT_KEYS = (
    "id",
    "name",
    "years",
    "programme",
    "catalogue_id",
    "region",
    "places",
    "what",
    "cost",
    "source_url",
    "more_sources",
    "checked",
)
#: The earliest year a project may start (older ones tell little about today's rules).
FIRST_YEAR = 1995


@dataclass(frozen=True)
class Project:
    """One real project. Text fields are ``{"fi": ..., "en": ...}``; read them with
    :meth:`text`. ``cost`` is empty when the source does not publish it; ``start`` is
    ``None`` when the source gives only the end.

    >>> p = load_examples().get("clap-arctic-protected-areas")
    >>> p.text("cost", "en"), p.in_core_area
    ('total budget EUR 1.98 million', True)
    """

    id: str
    name: dict[str, str]
    start: int | None
    end: int
    programme: dict[str, str]
    region: str
    places: dict[str, str]
    what: dict[str, str]
    source_url: str
    checked: dt.date
    cost: dict[str, str] | None = None
    catalogue_id: str = ""
    more_sources: tuple[str, ...] = ()
    line: int = 0

    def text(self, field: str, lang: str) -> str:
        """Field ``field`` (name, programme, places, what, cost) in ``lang`` ("" if none).

        >>> load_examples().get("talli-henkiin-taivalkoski").text("cost", "fi")
        ''
        """
        value = getattr(self, field) or {}
        return value.get(check_lang(lang), "")

    @property
    def years_text(self) -> str:
        """The years for reading: ``2017``, ``2023–2024`` or ``–2026`` (start not given).

        >>> load_examples().get("felles-fjellrev-aurora").years_text
        '–2026'
        """
        if self.start is None:
            return f"–{self.end}"
        return str(self.end) if self.start == self.end else f"{self.start}–{self.end}"

    @property
    def in_core_area(self) -> bool:
        """True for Lapland and Koillismaa (the Polar Magnets area)."""
        return self.region in ("lapland", "koillismaa")


@dataclass(frozen=True)
class Examples:
    """All projects of the file, newest first as written, and the file's check date."""

    checked: dt.date
    projects: tuple[Project, ...]
    name: str

    def get(self, project_id: str) -> Project:
        """The project with ``project_id`` (:class:`~polarguide.errors.InputError` if none)."""
        for project in self.projects:
            if project.id == project_id:
                return project
        raise InputError(f"unknown example project {project_id!r}")

    def select(
        self,
        *,
        region: str | None = None,
        programme: str | None = None,
        ids: list[str] | tuple[str, ...] | None = None,
    ) -> list[Project]:
        """Projects in ``region`` (a region or ``core`` for Lapland + Koillismaa), of the
        catalogue entry ``programme``, or exactly ``ids`` in that order.

        >>> [p.id for p in load_examples().select(ids=["talli-henkiin-taivalkoski"])]
        ['talli-henkiin-taivalkoski']
        >>> load_examples().select(region="antarctica")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        polarguide.errors.InputError: unknown region 'antarctica'; use core, lapland, ...
        """
        if ids:
            return [self.get(i) for i in ids]
        if region and region != "core" and region not in REGIONS:
            raise InputError(f"unknown region {region!r}; use core, {', '.join(REGIONS)}")
        found = list(self.projects)
        if region == "core":
            found = [p for p in found if p.in_core_area]
        elif region:
            found = [p for p in found if p.region == region]
        if programme:
            found = [p for p in found if p.catalogue_id == programme]
        return found


def _years(fields: Fields) -> tuple[int | None, int]:
    value = fields.raw.get("years")
    this_year = dt.date.today().year + 10
    ok = isinstance(value, list) and len(value) == 2
    start, end = (value if ok else (None, None)) if isinstance(value, list) else (None, None)
    for year in (start, end):
        if year is not None and (
            isinstance(year, bool)
            or not isinstance(year, int)
            or not FIRST_YEAR <= year <= this_year
        ):
            ok = False
    if not ok or end is None or (start is not None and start > end):
        raise fields.fail("years", "must be [first year, last year], e.g. [2024, 2026]")
    return start, end


def _project(raw: Any, name: str, newest: dt.date, catalogue_ids: set[str]) -> Project:
    fields = Fields(raw, name, "example")
    fields.known(PROJECT_KEYS)
    start, end = _years(fields)
    region = fields.text("region")
    if region not in REGIONS:
        raise fields.fail("region", f"has {region!r}; use one of: {', '.join(REGIONS)}")
    catalogue_id = fields.text("catalogue_id", required=False)
    if catalogue_id and catalogue_id not in catalogue_ids:
        raise fields.fail("catalogue_id", f"{catalogue_id!r} is not an entry of the catalogue")
    more = fields.raw.get("more_sources") or []
    if not isinstance(more, list):
        raise fields.fail("more_sources", "must be a list of web addresses")
    return Project(
        id=fields.id,
        name=fields.bilingual("name"),
        start=start,
        end=end,
        programme=fields.bilingual("programme"),
        region=region,
        places=fields.bilingual("places"),
        what=fields.bilingual("what"),
        cost=fields.bilingual("cost", required=False) or None,
        source_url=fields.url("source_url"),
        more_sources=tuple(fields.url("more_sources", value=url, where=raw) for url in more),
        checked=fields.checked(newest),
        catalogue_id=catalogue_id,
        line=fields.line,
    )


@functools.lru_cache(maxsize=8)
def _load(path: str, _mtime_ns: int) -> Examples:
    from .catalogue import load_catalogue

    doc, name = read_file(path)
    if not isinstance(doc, dict) or "examples" not in doc or "meta" not in doc:
        raise DataFileError(f"{name}:1: the file must have 'meta:' and 'examples:'")
    meta = doc["meta"]
    checked = meta.get("checked") if isinstance(meta, dict) else None
    if not isinstance(checked, dt.date):
        raise DataFileError(
            f"{name}:{getattr(meta, 'line', 1)}: meta: 'checked' must be YYYY-MM-DD"
        )
    raw_projects = doc["examples"]
    if not isinstance(raw_projects, list) or not raw_projects:
        raise DataFileError(f"{name}:{doc.line_of('examples')}: 'examples' must be a list")
    catalogue = load_catalogue()
    ids = {e.id for e in catalogue.all_entries}
    projects: list[Project] = []
    for raw in raw_projects:
        project = _project(raw, name, checked, ids)
        if any(p.id == project.id for p in projects):
            raise DataFileError(f"{name}:{project.line}: example '{project.id}' appears twice")
        projects.append(project)
    return Examples(checked=checked, projects=tuple(projects), name=name)


def load_examples(path: str | Path | None = None) -> Examples:
    """Read and check the examples file (the bundled one by default); cached per file
    version.

    >>> load_examples().checked.isoformat() >= "2026-12-05"
    True
    """
    return _load(*file_version(path, DEFAULT_PATH))
