"""Portal JSON → record frames (the columns of :mod:`polarguide.records`).

Two inputs are understood:

* :func:`parse_search_response` - a raw response of the SEDIA search API
  (``POST .../search-api/prod/rest/search?apiKey=SEDIA``), as the portal sends it;
* :func:`parse_feed_snapshot` - the derived ``data/grants.json`` of the
  eu-grants-feed project, which the bundled snapshot is built from.

Both are pure functions: same input, same frame. :func:`read_payload` reads a
saved capture in whatever encoding it was saved with.

>>> payload = {"results": [{"language": "en", "metadata": {
...     "identifier": ["LIFE-2026-SAP-NAT"], "type": ["1"], "status": ["31094502"],
...     "frameworkProgramme": ["43252405"], "deadlineDate": ["2026-09-23T00:00:00.000+0000"],
...     "descriptionByte": ["<p>Nature <b>projects</b></p>"]}}]}
>>> row = parse_search_response(payload, retrieved_at="2026-08-01").iloc[0]
>>> row["identifier"], row["programme"], row["status"], row["summary"]
('LIFE-2026-SAP-NAT', 'LIFE', 'open', 'Nature projects')
"""

from __future__ import annotations

import datetime as dt
import html as _html
import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .codes import Programme, programme_for_code, programme_from_value, repair_label
from .dates import UTC, parse_date
from .errors import DataError
from .records import conform
from .sanitize import clean_html, html_to_text, text_from_clean_html

if TYPE_CHECKING:
    import pandas as pd

SEARCH_SOURCE = "EU Funding & Tenders Portal search API"
FEED_SOURCE = "eu-grants-feed snapshot (derived from the EU Funding & Tenders Portal search API)"
TOPIC_URL = (
    "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/"
    "topic-details/{identifier}"
)
SUMMARY_CHARS = 1500

#: Portal status codes and the labels seen for them.
STATUS_CODES = {"31094501": "forthcoming", "31094502": "open", "31094503": "closed"}
_STATUS_LABELS = {
    "forthcoming": "forthcoming",
    "open": "open",
    "open for submission": "open",
    "closed": "closed",
}
#: Result types that are not funding topics: 0 tenders, 6 update notices, 11 unlabelled.
SKIPPED_TYPES = frozenset({"0", "6", "11"})


# --------------------------------------------------------------------------- reading


def read_payload(path: str | Path) -> dict:
    """Read a saved JSON capture (UTF-8, UTF-8 with BOM, or UTF-16 LE/BE) into a dict.

    Raises :class:`~polarguide.errors.DataError` with one line if the file cannot be
    read, decoded or parsed, or is not a JSON object.

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     name = os.path.join(folder, "capture.json")
    ...     _ = open(name, "wb").write('{"totalResults": 1}'.encode("utf-16"))
    ...     read_payload(name)
    {'totalResults': 1}
    """
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        raise DataError(f"cannot read {name}: {err.strerror or err}") from None
    encoding = json.detect_encoding(raw)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as err:
        raise DataError(f"{name} is not valid {encoding} text (byte {err.start})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise DataError(
            f"{name} is not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}"
        ) from None
    if not isinstance(document, dict):
        raise DataError(f"{name} holds a JSON {type(document).__name__}, expected an object")
    return document


# --------------------------------------------------------------------------- helpers


def _strings(value: Any) -> list[str]:
    """Flatten a metadata value (string, number, list, nested lists) into stripped strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, bool):
        return [str(value).lower()]
    if isinstance(value, (int, float)):
        return [] if isinstance(value, float) and not math.isfinite(value) else [str(value)]
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            out.extend(_strings(item))
        return out
    return []


def _first(meta: dict, key: str) -> str:
    values = _strings(meta.get(key))
    return values[0].strip() if values else ""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _status(value: Any) -> str:
    """Map a status code or label to open / forthcoming / closed ("" if unknown)."""
    text = _one_line(value if isinstance(value, str) else (_strings(value) or [""])[0])
    return STATUS_CODES.get(text) or _STATUS_LABELS.get(text.lower(), "")


def _number(value: Any) -> float:
    """A positive finite number, else NaN (the portal writes 0 for unknown)."""
    if isinstance(value, bool) or value is None:
        return math.nan
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError, OverflowError):
        return math.nan
    return number if math.isfinite(number) and number > 0 else math.nan


def _timestamp(value: Any) -> dt.datetime | None:
    try:
        return parse_date(value)
    except (ValueError, OverflowError, OSError, TypeError):
        return None


def _next_deadline(deadlines: list[dt.datetime], now: dt.datetime) -> dt.datetime | None:
    upcoming = [d for d in deadlines if d >= now]
    if upcoming:
        return upcoming[0]
    return deadlines[-1] if deadlines else None


def _trim(text: str, limit: int = SUMMARY_CHARS) -> str:
    """Cut ``text`` to about ``limit`` characters at a paragraph (else word) boundary."""
    if len(text) <= limit:
        return text
    kept: list[str] = []
    size = 0
    for paragraph in text.split("\n\n"):
        if kept and size + len(paragraph) + 2 > limit:
            break
        kept.append(paragraph)
        size += len(paragraph) + 2
    out = "\n\n".join(kept)
    if len(out) > limit:
        out = out[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + " …"
    elif len(kept) < text.count("\n\n") + 1:
        out += "\n\n…"
    return out


def _budget(overview: str, identifier: str) -> dict[str, float]:
    """Budget fields for ``identifier`` from a call-wide ``budgetOverview`` JSON string.

    Only entries whose ``action`` starts with ``"<identifier> - "`` count; a truncated
    or invalid string gives NaN everywhere.
    """
    empty = {"budget_eur": math.nan, "expected_grants": math.nan}
    empty.update(min_grant_eur=math.nan, max_grant_eur=math.nan)
    if not overview or not identifier:
        return empty
    try:
        document = json.loads(overview)
    except (ValueError, RecursionError):
        return empty
    action_map = document.get("budgetTopicActionMap") if isinstance(document, dict) else None
    if not isinstance(action_map, dict):
        return empty
    prefix = f"{identifier} - "
    entries = [
        entry
        for group in action_map.values()
        if isinstance(group, list)
        for entry in group
        if isinstance(entry, dict) and str(entry.get("action", "")).startswith(prefix)
    ]
    if not entries:
        return empty
    budget = grants = 0.0
    minimums: list[float] = []
    maximums: list[float] = []
    for entry in entries:
        years = entry.get("budgetYearMap")
        if isinstance(years, dict):
            budget += sum(v for v in map(_number, years.values()) if v == v)
        value = _number(entry.get("expectedGrants"))
        grants += value if value == value else 0.0
        minimums += [v for v in [_number(entry.get("minContribution"))] if v == v]
        maximums += [v for v in [_number(entry.get("maxContribution"))] if v == v]
    return {
        "budget_eur": budget or math.nan,
        "expected_grants": grants or math.nan,
        "min_grant_eur": min(minimums) if minimums else math.nan,
        "max_grant_eur": max(maximums) if maximums else math.nan,
    }


def _programme_fields(value: str) -> dict[str, str]:
    programme = programme_from_value(value)
    if programme is not None:
        return {
            "programme": programme.short,
            "programme_code": programme.code,
            "programme_name": programme.name,
        }
    text = _one_line(value)
    if text.isdigit():
        return {"programme": "", "programme_code": text, "programme_name": ""}
    return {"programme": text.upper(), "programme_code": "", "programme_name": ""}


def _keywords(values: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}  # lower-case -> first spelling
    for value in values:
        text = html_to_text(value) if "<" in value else _html.unescape(value)
        for line in text.split("\n"):
            word = _one_line(line.removeprefix("- "))
            if word and word.lower() not in seen:
                seen[word.lower()] = word
    return list(seen.values())


def _topic_url(url: str, identifier: str) -> str:
    if url and not url.endswith(".json") and "/data/topicDetails/" not in url:
        return url
    return TOPIC_URL.format(identifier=identifier)


def _as_utc(retrieved_at: str | dt.datetime | None) -> dt.datetime:
    if retrieved_at is None:
        return dt.datetime.now(UTC).replace(microsecond=0)
    stamp = _timestamp(retrieved_at)
    if stamp is None:
        raise DataError(f"retrieved_at {retrieved_at!r} is not a date; use ISO 8601")
    return stamp


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    return conform(pd.DataFrame(rows) if rows else None)


# --------------------------------------------------------------------------- search API


def parse_search_response(
    payload: dict, *, retrieved_at: str | dt.datetime | None = None
) -> pd.DataFrame:
    """Turn a raw SEDIA search API response into one record per funding topic.

    Update notices (type 6), tenders (type 0) and results without an identifier are
    skipped. A topic returned once per language keeps its English version (else the
    first); a topic returned once per deadline gets all deadlines merged. Budgets come
    only from the topic's own entries of the call-wide ``budgetOverview``.

    Raises :class:`~polarguide.errors.DataError` if ``payload`` is not a search response.

    >>> parse_search_response({"results": []}).shape
    (0, 25)
    >>> parse_search_response({"totalResults": 3})
    Traceback (most recent call last):
    ...
    polarguide.errors.DataError: not a search API response: it has no 'results' list
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
        raise DataError("not a search API response: it has no 'results' list")
    now = _as_utc(retrieved_at)
    chosen: dict[str, tuple[dict, dict]] = {}
    deadlines: dict[str, set[dt.datetime]] = {}
    for result in payload["results"]:
        if not isinstance(result, dict) or not isinstance(result.get("metadata"), dict):
            continue
        meta = result["metadata"]
        identifier = _one_line(_first(meta, "identifier"))
        if not identifier or _first(meta, "type") in SKIPPED_TYPES:
            continue
        found = deadlines.setdefault(identifier, set())
        found.update(d for d in map(_timestamp, _strings(meta.get("deadlineDate"))) if d)
        language = _language(result, meta)
        if identifier not in chosen or (language == "en" and chosen[identifier][2] != "en"):
            chosen[identifier] = (result, meta, language)
    rows = [
        _search_row(identifier, result, meta, language, sorted(deadlines[identifier]), now)
        for identifier, (result, meta, language) in chosen.items()
    ]
    return _frame(rows)


def _language(result: dict, meta: dict) -> str:
    value = result.get("language")
    text = value.strip() if isinstance(value, str) else ""
    return (text or _first(meta, "language")).lower()


def _search_row(
    identifier: str,
    result: dict,
    meta: dict,
    language: str,
    deadlines: list[dt.datetime],
    now: dt.datetime,
) -> dict[str, Any]:
    description = _first(meta, "descriptionByte") or _first(meta, "description")
    safe = clean_html(description)  # sanitised once; the summary is read from it
    status = _status(meta.get("status"))
    opening = _timestamp(_first(meta, "startDate"))
    title = _first(meta, "title") or (
        result.get("summary") if isinstance(result.get("summary"), str) else ""
    )
    types = _strings(meta.get("typesOfAction"))
    url = result.get("url") if isinstance(result.get("url"), str) else ""
    row: dict[str, Any] = {
        "identifier": identifier,
        "call_identifier": _one_line(_first(meta, "callIdentifier")),
        "title": _one_line(title),
        "call_title": _one_line(_first(meta, "callTitle")),
        **_programme_fields(_first(meta, "frameworkProgramme")),
        "status": status,
        "type_of_action": "; ".join(dict.fromkeys(_one_line(t) for t in types)),
        "opening_date": opening,
        "deadlines": deadlines,
        "next_deadline": _next_deadline(deadlines, now),
        "deadline_model": _one_line(_first(meta, "deadlineModel")),
        **_budget(_first(meta, "budgetOverview"), identifier),
        "keywords": _keywords(_strings(meta.get("keywords")) + _strings(meta.get("tags"))),
        "summary": _trim(text_from_clean_html(safe)),
        "description_html": safe,
        "url": _topic_url(url.strip() or _first(meta, "url"), identifier),
        "language": language,
        "source": SEARCH_SOURCE,
        "retrieved_at": now,
        "kind": "call",
    }
    return row


# --------------------------------------------------------------------------- derived feed


def parse_feed_snapshot(doc: dict) -> pd.DataFrame:
    """Turn an eu-grants-feed ``data/grants.json`` document into records.

    The feed's ``grants[]`` are derived from the portal search API; programmes are
    mapped by their numeric code. Records sharing an identifier (cascade calls with
    several rounds) become one record with all deadlines. ``retrieved_at`` is the
    feed's ``generatedAt``.

    >>> doc = {"generatedAt": "2026-08-22T05:41:38.000Z", "grants": [{
    ...     "identifier": "CERV-2026-DAPHNE", "status": {"id": "31094501", "label": "Forthcoming"},
    ...     "frameworkProgrammes": [{"id": "43251589", "label": "x"}],
    ...     "deadlineDate": "2026-10-01T00:00:00.000Z", "budget": {"totalBudgetEur": 0}}]}
    >>> row = parse_feed_snapshot(doc).iloc[0]
    >>> row["programme"], row["status"], str(row["next_deadline"].date())
    ('CERV', 'forthcoming', '2026-10-01')
    >>> math.isnan(row["budget_eur"])  # the feed writes 0 for an unknown budget
    True
    """
    if not isinstance(doc, dict) or not isinstance(doc.get("grants"), list):
        raise DataError("not an eu-grants-feed document: it has no 'grants' list")
    retrieved = _timestamp(doc.get("generatedAt"))
    if retrieved is None:
        raise DataError("the eu-grants-feed document has no valid 'generatedAt' date")
    chosen: dict[str, dict] = {}
    deadlines: dict[str, set[dt.datetime]] = {}
    for grant in doc["grants"]:
        if not isinstance(grant, dict):
            continue
        identifier = _one_line(_first(grant, "identifier"))
        if not identifier:
            continue
        chosen.setdefault(identifier, grant)
        found = deadlines.setdefault(identifier, set())
        found.update(d for d in map(_timestamp, _strings(grant.get("deadlineDate"))) if d)
    rows = [
        _feed_row(identifier, grant, sorted(deadlines[identifier]), retrieved)
        for identifier, grant in chosen.items()
    ]
    return _frame(rows)


def _feed_programme(grant: dict) -> dict[str, str]:
    entries = grant.get("frameworkProgrammes")
    first = entries[0] if isinstance(entries, list) and entries else {}
    first = first if isinstance(first, dict) else {}
    code = _one_line(_first(first, "id"))
    programme: Programme | None = programme_for_code(code) if code else None
    if programme is not None:
        return {
            "programme": programme.short,
            "programme_code": programme.code,
            "programme_name": programme.name,
        }
    label = repair_label(_first(first, "label"))
    return {"programme": "", "programme_code": code, "programme_name": label}


def _feed_row(
    identifier: str, grant: dict, deadlines: list[dt.datetime], retrieved: dt.datetime
) -> dict[str, Any]:
    status = grant.get("status")
    status_value = ""
    if isinstance(status, dict):
        status_value = _status(status.get("id")) or _status(status.get("label"))
    else:
        status_value = _status(status)
    budget = grant.get("budget") if isinstance(grant.get("budget"), dict) else {}
    abstract = _first(grant, "abstract")
    opening = _timestamp(_first(grant, "plannedOpeningDate") or _first(grant, "startDate"))
    return {
        "identifier": identifier,
        "call_identifier": _one_line(_first(grant, "callIdentifier")),
        "title": _one_line(_first(grant, "title")),
        "call_title": _one_line(_first(grant, "callTitle")),
        **_feed_programme(grant),
        "status": status_value,
        "type_of_action": _one_line(_first(grant, "actionType")),
        "opening_date": opening,
        "deadlines": deadlines,
        "next_deadline": _next_deadline(deadlines, retrieved),
        "deadline_model": _one_line(_first(grant, "deadlineModel")),
        "budget_eur": _number(budget.get("totalBudgetEur")),
        "expected_grants": _number(budget.get("expectedGrants")),
        "min_grant_eur": _number(budget.get("minContributionEur")),
        "max_grant_eur": _number(budget.get("maxContributionEur")),
        "keywords": [],
        "summary": _trim(_text_paragraphs(abstract)),
        "description_html": "".join(
            f"<p>{_html.escape(p)}</p>" for p in _text_paragraphs(abstract).split("\n\n") if p
        ),
        "url": _topic_url(_first(grant, "url"), identifier),
        "language": "en",
        "source": FEED_SOURCE,
        "retrieved_at": retrieved,
        "kind": "call",
    }


def _text_paragraphs(text: str) -> str:
    """Normalise plain text: one blank line between paragraphs, spaces collapsed."""
    blocks = (" ".join(block.split()) for block in str(text).split("\n\n"))
    return "\n\n".join(b for b in blocks if b)
