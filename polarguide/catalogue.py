"""The curated catalogue: programmes the portal does not list well, with keyed, sourced facts.

The data lives in ``polarguide/data/catalogue.yaml`` (one file a non-programmer can
edit; see ``docs/EDITING-DATA.md``). :func:`load_catalogue` reads and validates it;
:func:`catalogue_records` turns the programmes into records (see
:mod:`polarguide.records`) so they can be searched together with portal calls.
The book cites numbers with a fact reference ``"entry-id.fact_key"``.

>>> cat = load_catalogue()
>>> cat.get("erasmus-youth-exchanges-ka152").programme
'ERASMUS'
>>> cat.fact("erasmus-youth-exchanges-ka152.age_range").value("en")
'13–30 years; group leader at least 18'
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DataError, InputError
from .rounds import Pattern, Series

if TYPE_CHECKING:  # pandas is imported lazily to keep the CLI start fast
    import pandas as pd

#: Where the bundled catalogue lives.
DEFAULT_PATH = Path(__file__).parent / "data" / "catalogue.yaml"
#: Background facts by topic (environment, region …), same format as the ``context`` list.
FACTS_DIR = DEFAULT_PATH.parent / "facts"
#: Languages every text field must have.
LANGUAGES = ("fi", "en")
#: Who a programme suits (the book's "routes by who you are").
ROUTES = ("youth", "community", "regional", "environment")
#: Catalogue status values.
STATUSES = ("recurring", "open", "closed", "paused")
#: Text fields every programme entry has in both languages.
PROGRAMME_TEXT_FIELDS = (
    "name",
    "summary",
    "who_can_apply",
    "amounts",
    "deadline_pattern",
    "apply_via",
)
#: Value of the ``source`` record column for catalogue rows.
SOURCE_LABEL = "polarguide curated catalogue"

_HEADINGS = {
    "fi": {"who": "Kuka voi hakea", "amounts": "Rahoitus", "deadlines": "Määräajat"},
    "en": {"who": "Who can apply", "amounts": "Funding", "deadlines": "Deadlines"},
}


@dataclass(frozen=True)
class Fact:
    """One sourced fact, in Finnish and English, with where and when it was checked.

    >>> f = Fact("13–30 vuotta", "13–30 years", "https://example.org", "not shown",
    ...          dt.date(2026, 11, 28), False)
    >>> f.value("fi"), f.value("en")
    ('13–30 vuotta', '13–30 years')
    """

    value_fi: str
    value_en: str
    source_url: str
    source_date: str
    checked: dt.date
    secondary: bool
    ref: str = ""

    def value(self, lang: str) -> str:
        """Return the value in ``lang`` (``"fi"`` or ``"en"``).

        >>> Fact("kyllä", "yes", "https://x.org", "2025", dt.date(2026, 1, 1), True).value("en")
        'yes'
        """
        return self.value_fi if _check_lang(lang) == "fi" else self.value_en


@dataclass(frozen=True)
class Entry:
    """A catalogue programme (``kind == "programme"``) or background topic (``"context"``).

    Text fields are ``{"fi": ..., "en": ...}`` dicts; read them with :meth:`text`.

    >>> e = load_catalogue().get("kolarctic-status")
    >>> e.status, e.kind
    ('closed', 'programme')
    >>> e.text("name", "en")
    'Kolarctic CBC (Finland–Sweden–Norway–Russia) – no longer funding'
    """

    id: str
    kind: str
    name: dict[str, str]
    summary: dict[str, str]
    facts: dict[str, Fact]
    url: str = ""
    unknown: dict[str, str] = field(default_factory=dict)
    programme: str = ""
    route: str = ""
    status: str = ""
    who_can_apply: dict[str, str] = field(default_factory=dict)
    age_min: int | None = None
    age_max: int | None = None
    amounts: dict[str, str] = field(default_factory=dict)
    deadline_pattern: dict[str, str] = field(default_factory=dict)
    next_deadline: dt.date | None = None
    deadline_fact: str | None = None
    apply_via: dict[str, str] = field(default_factory=dict)
    keywords: tuple[str, ...] = ()
    rounds: Pattern | None = None

    def text(self, field_name: str, lang: str) -> str:
        """Return text field ``field_name`` in ``lang`` ("" if the entry has none).

        >>> load_catalogue().get("discovereu").text("unknown", "fi")[:20]
        'Vuosien 2025–2026 ha'
        """
        value = getattr(self, field_name)
        return (value or {}).get(_check_lang(lang), "")


@dataclass(frozen=True)
class Catalogue:
    """The whole catalogue: ``meta``, programme ``entries`` and background ``context``.

    >>> cat = load_catalogue()
    >>> len(cat.entries) > 20, len(cat.context) > 5
    (True, True)
    """

    meta: dict[str, Any]
    entries: tuple[Entry, ...]
    context: tuple[Entry, ...]

    @property
    def all_entries(self) -> tuple[Entry, ...]:
        """Programmes and context entries together.

        >>> cat = load_catalogue()
        >>> len(cat.all_entries) == len(cat.entries) + len(cat.context)
        True
        """
        return self.entries + self.context

    @property
    def checked(self) -> dt.date:
        """The date the catalogue as a whole was checked (``meta.checked``): the day its
        newest fact was checked.

        >>> cat = load_catalogue()
        >>> cat.checked == max(f.checked for e in cat.all_entries for f in e.facts.values())
        True
        """
        return self.meta["checked"]

    def get(self, entry_id: str) -> Entry:
        """Return the programme or context entry with ``entry_id``.

        Raises :class:`InputError` with close matches if there is no such entry.

        >>> load_catalogue().get("norden-0-30").programme
        'NORDEN-0-30'
        >>> try:
        ...     load_catalogue().get("norden-030")
        ... except InputError as err:
        ...     print(err)
        unknown catalogue entry 'norden-030'; did you mean norden-0-30?
        """
        for entry in self.all_entries:
            if entry.id == entry_id:
                return entry
        ids = [e.id for e in self.all_entries]
        raise InputError(_unknown("catalogue entry", entry_id, ids))

    def fact(self, ref: str) -> Fact:
        """Return the fact ``"entry-id.fact_key"`` (what the book's ``{fact}`` role cites).

        >>> load_catalogue().fact("interreg-aurora.co_financing_rate").source_url
        'https://www.interregaurora.eu/programme-manual/plan-your-project/funding/'
        >>> try:
        ...     load_catalogue().fact("interreg-aurora.cofinancing_rate")
        ... except InputError as err:
        ...     print(str(err).split("; ")[1])
        did you mean interreg-aurora.co_financing_rate?
        """
        entry_id, dot, key = str(ref).partition(".")
        if not dot or not key:
            raise InputError(f"bad fact reference {ref!r}: use 'entry-id.fact_key'")
        entry = self.get(entry_id)
        if key not in entry.facts:
            raise InputError(_unknown("fact", ref, list(entry.facts), prefix=f"{entry.id}."))
        return entry.facts[key]


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and validate the catalogue YAML (the bundled one by default); cached per file.

    A broken file raises :class:`~polarguide.errors.DataError` with one line naming the
    entry and field.

    >>> len(load_catalogue().entries) > 20
    True
    >>> import tempfile, os
    >>> bad = "meta: {checked: 2026-11-28}\\nprogrammes: [{id: x}]\\ncontext: []\\n"
    >>> with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
    ...     _ = fh.write(bad)
    >>> load_catalogue(fh.name)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    polarguide.errors.DataError: ....yaml: entry 'x': field 'name' is missing
    >>> os.unlink(fh.name)
    """
    resolved = Path(path) if path is not None else DEFAULT_PATH
    files = [resolved]
    if path is None:  # the bundled catalogue also reads the background facts by topic
        files += sorted(FACTS_DIR.glob("*.yaml"))
    try:
        stamps = tuple(f.stat().st_mtime_ns for f in files)
    except OSError as err:
        raise DataError(f"cannot read catalogue {err.filename}: {err.strerror}") from None
    return _load_cached(tuple(str(f) for f in files), stamps)


@functools.lru_cache(maxsize=8)
def _load_cached(paths: tuple[str, ...], _mtimes_ns: tuple[int, ...]) -> Catalogue:
    doc = _read_yaml(paths[0])
    for extra in paths[1:]:
        more = _read_yaml(extra)
        if not isinstance(more, dict) or not isinstance(more.get("context"), list):
            raise DataError(f"{Path(extra).name}: top level must be a mapping with 'context'")
        if isinstance(doc, dict) and isinstance(doc.get("context"), list):
            doc["context"] = doc["context"] + more["context"]
    return parse_catalogue(doc, name=Path(paths[0]).name)


def _read_yaml(path: str) -> Any:
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(
                fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            )  # libyaml: fast
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        raise DataError(f"catalogue {path} is not valid YAML{line}") from None


def parse_catalogue(doc: Any, name: str = "catalogue") -> Catalogue:
    """Validate an already-parsed catalogue document and build a :class:`Catalogue`.

    >>> doc = {"meta": {"checked": dt.date(2026, 11, 28)}, "programmes": [],
    ...        "context": [{"id": "c", "name": {"fi": "a", "en": "b"},
    ...                     "summary": {"fi": "a", "en": "b"}, "facts": {}}]}
    >>> parse_catalogue(doc).get("c").kind
    'context'
    >>> doc["context"].append(doc["context"][0])
    >>> parse_catalogue(doc)
    Traceback (most recent call last):
    ...
    polarguide.errors.DataError: catalogue: entry 'c': field 'id' is a duplicate
    """
    if not isinstance(doc, dict):
        raise DataError(f"{name}: top level must be a mapping with meta, programmes, context")
    meta = doc.get("meta")
    if not isinstance(meta, dict) or not isinstance(meta.get("checked"), dt.date):
        raise DataError(f"{name}: field 'meta.checked' must be a date (YYYY-MM-DD)")
    entries: list[Entry] = []
    seen: set[str] = set()
    for section, kind in (("programmes", "programme"), ("context", "context")):
        items = doc.get(section)
        if not isinstance(items, list):
            raise DataError(f"{name}: field '{section}' must be a list")
        for index, raw in enumerate(items):
            entry = _parse_entry(raw, kind, name, index, section)
            if entry.id in seen:
                raise DataError(f"{name}: entry '{entry.id}': field 'id' is a duplicate")
            seen.add(entry.id)
            entries.append(entry)
    _check_round_facts(entries, name)
    return Catalogue(
        meta=dict(meta),
        entries=tuple(e for e in entries if e.kind == "programme"),
        context=tuple(e for e in entries if e.kind == "context"),
    )


def catalogue_records(lang: str = "fi", catalogue: Catalogue | None = None) -> pd.DataFrame:
    """Return the catalogue programmes as records in ``lang`` (``kind == "programme"``).

    Columns are :data:`polarguide.records.COLUMNS` followed by ``route``, ``age_min``,
    ``age_max``, ``who_can_apply``, ``search_text`` (both languages, so Finnish
    and English queries both hit) and ``round_pattern`` (the recurring rounds as JSON text,
    "" if none; ``polarguide.rounds`` reads it to find the next expected round).

    >>> frame = catalogue_records("en")
    >>> row = frame.set_index("identifier").loc["esc-solidarity-projects"]
    >>> row["programme"], row["route"], int(row["age_min"]), row["kind"]
    ('ESC', 'youth', 18, 'programme')
    >>> "solidaarisuushanke" in row["search_text"]
    True
    """
    import pandas as pd

    from .dates import parse_date
    from .records import conform
    from .rounds import COLUMN as ROUNDS_COLUMN
    from .rounds import to_json as rounds_json

    lang = _check_lang(lang)
    cat = catalogue if catalogue is not None else load_catalogue()
    heads = _HEADINGS[lang]
    rows = []
    for e in cat.entries:
        deadline = parse_date(e.next_deadline) if e.next_deadline else None
        summary = "\n\n".join(
            part
            for part in (
                e.text("summary", lang),
                f"{heads['who']}: {e.text('who_can_apply', lang)}",
                f"{heads['amounts']}: {e.text('amounts', lang)}",
                f"{heads['deadlines']}: {e.text('deadline_pattern', lang)}",
            )
            if part
        )
        rows.append(
            {
                "identifier": e.id,
                "title": e.text("name", lang),
                "programme": e.programme,
                "programme_name": e.text("name", lang),
                "status": e.status,
                "deadlines": [deadline] if deadline else [],
                "next_deadline": deadline,
                "keywords": list(e.keywords),
                "summary": summary,
                "url": e.url,
                "language": lang,
                "source": SOURCE_LABEL,
                "retrieved_at": parse_date(cat.checked),
                "kind": "programme",
                "route": e.route,
                "age_min": e.age_min,
                "age_max": e.age_max,
                "who_can_apply": e.text("who_can_apply", lang),
                "search_text": _search_text(e),
                ROUNDS_COLUMN: rounds_json(e.rounds),
            }
        )
    frame = conform(pd.DataFrame(rows))
    for column in ("age_min", "age_max"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _search_text(entry: Entry) -> str:
    parts: list[str] = [entry.id, entry.programme]
    for field_name in ("name", "summary", "who_can_apply"):
        parts.extend(entry.text(field_name, lang) for lang in LANGUAGES)
    parts.extend(entry.keywords)
    return "\n".join(p for p in parts if p)


# ----------------------------------------------------------------- validation


def _parse_entry(raw: Any, kind: str, name: str, index: int, section: str) -> Entry:
    if not isinstance(raw, dict):
        raise DataError(f"{name}: {section}[{index}] must be a mapping")
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not entry_id.strip():
        raise DataError(f"{name}: {section}[{index}]: field 'id' is missing")

    def fail(field_name: str, problem: str) -> DataError:
        return DataError(f"{name}: entry '{entry_id}': field '{field_name}' {problem}")

    def bilingual(field_name: str, required: bool = True) -> dict[str, str]:
        value = raw.get(field_name)
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            raise fail(field_name, "is missing" if value is None else "must have fi and en")
        for lang in LANGUAGES:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                raise fail(f"{field_name}.{lang}", "is missing or empty")
        return {lang: " ".join(value[lang].split()) for lang in LANGUAGES}

    text_fields = PROGRAMME_TEXT_FIELDS if kind == "programme" else ("name", "summary")
    texts = {f: bilingual(f) for f in text_fields}
    unknown = bilingual("unknown", required=False)
    facts = _parse_facts(raw.get("facts"), entry_id, fail)
    url = raw.get("url", "") or ""
    if url and not str(url).startswith("http"):
        raise fail("url", "must start with http")
    common: dict[str, Any] = {"id": entry_id, "kind": kind, "facts": facts, "url": url}
    common.update(texts)
    common["unknown"] = unknown
    if kind == "context":
        return Entry(**common)

    for key in ("programme", "route", "status"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise fail(key, "is missing")
    if raw["route"] not in ROUTES:
        raise fail("route", f"must be one of {', '.join(ROUTES)}")
    if raw["status"] not in STATUSES:
        raise fail("status", f"must be one of {', '.join(STATUSES)}")
    ages = {}
    for key in ("age_min", "age_max"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise fail(key, "must be a whole number or null")
        ages[key] = value
    low, high = ages["age_min"], ages["age_max"]
    if low is not None and high is not None and low > high:
        raise fail("age_min", "is larger than age_max")
    deadline = raw.get("next_deadline")
    if deadline is not None and not (
        isinstance(deadline, dt.date) and not isinstance(deadline, dt.datetime)
    ):
        raise fail("next_deadline", "must be a date (YYYY-MM-DD) or null")
    deadline_fact = raw.get("deadline_fact")
    if deadline is not None and deadline_fact not in facts:
        raise fail("deadline_fact", "must name the fact that is the source of next_deadline")
    if deadline_fact is not None and deadline_fact not in facts:
        raise fail("deadline_fact", f"names no fact of this entry ({deadline_fact!r})")
    keywords = raw.get("keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        raise fail("keywords", "must be a list of words")
    return Entry(
        **common,
        programme=raw["programme"].strip(),
        route=raw["route"],
        status=raw["status"],
        age_min=ages["age_min"],
        age_max=ages["age_max"],
        next_deadline=deadline,
        deadline_fact=deadline_fact,
        keywords=tuple(k.strip() for k in keywords if k.strip()),
        rounds=_parse_rounds(raw.get("rounds"), entry_id, facts, fail),
    )


def _parse_rounds(raw: Any, entry_id: str, facts: dict[str, Fact], fail: Any) -> Pattern | None:
    """The ``rounds:`` block of an entry: past deadlines per series, each with its fact.

    A ``fact`` is a key of this entry or a full reference ``other-entry.key`` (checked once
    the whole catalogue is read).
    """
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("series"), list) or not raw["series"]:
        raise fail("rounds", "must be a mapping with a non-empty 'series' list")
    confirm = raw.get("confirm")
    if not isinstance(confirm, dict) or not all(
        isinstance(confirm.get(lang), str) and confirm[lang].strip() for lang in LANGUAGES
    ):
        raise fail("rounds.confirm", "must say where to confirm, in fi and en")
    confirm_url = raw.get("confirm_url")
    if not isinstance(confirm_url, str) or not confirm_url.startswith("http"):
        raise fail("rounds.confirm_url", "is missing or does not start with http")

    def ref(key: Any, where: str) -> str:
        if not isinstance(key, str) or not key:
            raise fail(where, "must name a fact")
        if "." in key:
            return key
        if key not in facts:
            raise fail(where, f"names no fact of this entry ({key!r})")
        return f"{entry_id}.{key}"

    series = []
    for i, spec in enumerate(raw["series"]):
        where = f"rounds.series[{i}]"
        if not isinstance(spec, dict) or not isinstance(spec.get("key"), str):
            raise fail(where, "must be a mapping with a 'key'")
        name = spec.get("name")
        if not isinstance(name, dict) or not all(
            isinstance(name.get(lang), str) and name[lang].strip() for lang in LANGUAGES
        ):
            raise fail(f"{where}.name", "must have fi and en")
        days, refs = [], []
        for j, item in enumerate(spec.get("deadlines") or []):
            day = item.get("date") if isinstance(item, dict) else None
            if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
                raise fail(f"{where}.deadlines[{j}].date", "must be a date (YYYY-MM-DD)")
            days.append(day)
            refs.append(ref(item.get("fact"), f"{where}.deadlines[{j}].fact"))
        order = sorted(range(len(days)), key=days.__getitem__)
        rule, rule_fact = None, ""
        every = spec.get("every_year")
        if every is not None:
            text = every.get("day") if isinstance(every, dict) else None
            try:
                month, day_of_month = (int(part) for part in str(text).split("-"))
                dt.date(2000, month, day_of_month)
            except ValueError:
                raise fail(f"{where}.every_year.day", "must be MM-DD") from None
            rule = (month, day_of_month)
            rule_fact = ref(every.get("fact"), f"{where}.every_year.fact")
        item = Series(
            key=spec["key"],
            name={lang: " ".join(name[lang].split()) for lang in LANGUAGES},
            deadlines=tuple(days[k] for k in order),
            facts=tuple(refs[k] for k in order),
            every_year=rule,
            every_year_fact=rule_fact,
        )
        if not item.is_pattern:
            raise fail(where, "needs deadlines in two different years or an every_year rule")
        series.append(item)
    return Pattern(
        tuple(series),
        confirm={lang: " ".join(confirm[lang].split()) for lang in LANGUAGES},
        confirm_url=confirm_url,
    )


def _check_round_facts(entries: list[Entry], name: str) -> None:
    """Every fact a round names exists (also those of other entries)."""
    known = {f"{e.id}.{key}" for e in entries for key in e.facts}
    for entry in entries:
        for series in entry.rounds.series if entry.rounds else ():
            for ref in (*series.facts, series.every_year_fact):
                if ref and ref not in known:
                    raise DataError(
                        f"{name}: entry '{entry.id}': field 'rounds' names no fact {ref!r}"
                    )


def _parse_facts(raw: Any, entry_id: str, fail: Any) -> dict[str, Fact]:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise fail("facts", "must be a mapping of fact keys")
    facts: dict[str, Fact] = {}
    for key, spec in raw.items():
        where = f"facts.{key}"
        if not isinstance(spec, dict):
            raise fail(where, "must be a mapping")
        value = spec.get("value")
        if not isinstance(value, dict):
            raise fail(f"{where}.value", "is missing (needs fi and en)")
        for lang in LANGUAGES:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                raise fail(f"{where}.value.{lang}", "is missing or empty")
        url = spec.get("source_url")
        if not isinstance(url, str) or not url.startswith("http"):
            raise fail(f"{where}.source_url", "is missing or does not start with http")
        if spec.get("source_date") in (None, ""):
            raise fail(f"{where}.source_date", "is missing (write 'not shown' if none)")
        checked = spec.get("checked")
        if not isinstance(checked, dt.date) or isinstance(checked, dt.datetime):
            raise fail(f"{where}.checked", "must be a date (YYYY-MM-DD)")
        secondary = spec.get("secondary", False)
        if not isinstance(secondary, bool):
            raise fail(f"{where}.secondary", "must be true or false")
        facts[str(key)] = Fact(
            value_fi=value["fi"].strip(),
            value_en=value["en"].strip(),
            source_url=url,
            source_date=str(spec["source_date"]),
            checked=checked,
            secondary=secondary,
            ref=f"{entry_id}.{key}",
        )
    return facts


def _check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}: use fi or en")
    return lang


def _unknown(what: str, given: str, choices: list[str], prefix: str = "") -> str:
    probe = str(given)[len(prefix) :] if prefix else str(given)
    close = difflib.get_close_matches(probe, choices, n=3, cutoff=0.75)
    hint = f"; did you mean {', '.join(prefix + c for c in close)}?" if close else ""
    return f"unknown {what} {given!r}{hint}"
