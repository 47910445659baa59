"""Snapshot files: a record frame plus its provenance, stored as gzip-compressed JSON.

A snapshot is what `polarguide update` writes to the user cache and what ships
inside the package as the offline default (``polarguide/data/snapshot.json.gz``).
The file is self-describing::

    {"format": "polarguide-snapshot", "format_version": 1,
     "retrieved_at": "2026-08-22T05:41:38+00:00", "record_count": 723,
     "provenance": {...}, "records": [{...one object per record...}]}

Dates are ISO 8601 strings in UTC; missing values are ``null``.

>>> import io, pandas as pd
>>> from polarguide.records import conform
>>> frame = conform(pd.DataFrame({"identifier": ["X-1"], "deadlines": [["2026-02-12"]]}))
>>> buffer = io.BytesIO()
>>> dump_snapshot(frame, {"source": "doctest"}, buffer, retrieved_at="2026-01-01T00:00:00Z")
>>> snap = load_snapshot(io.BytesIO(buffer.getvalue()))
>>> snap.records.loc[0, "identifier"], snap.meta["record_count"], snap.meta["provenance"]
('X-1', 1, {'source': 'doctest'})
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .dates import parse_date
from .errors import DataError
from .records import COLUMNS, DATE_COLUMNS, conform, json_value

if TYPE_CHECKING:
    import pandas as pd

FORMAT = "polarguide-snapshot"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Snapshot:
    """Records plus metadata (``retrieved_at``, ``record_count``, ``provenance``)."""

    records: pd.DataFrame
    meta: dict[str, Any]

    @property
    def retrieved_at(self) -> dt.datetime | None:
        """When the data was retrieved from its source (tz-aware UTC)."""
        return parse_date(self.meta.get("retrieved_at"))


def records_to_json_list(records: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the records as a list of JSON-ready dicts (only :data:`COLUMNS`).

    >>> from polarguide.records import empty_records
    >>> records_to_json_list(empty_records())
    []
    """
    columns = [c for c in COLUMNS if c in records.columns]
    rows = records[columns].to_dict(orient="records")
    return [{k: json_value(v) for k, v in row.items()} for row in rows]


def dump_snapshot(
    records: pd.DataFrame,
    provenance: dict[str, Any],
    target: str | Path | IO[bytes],
    *,
    retrieved_at: str | dt.datetime,
) -> None:
    """Write ``records`` with ``provenance`` as a gzip JSON snapshot to a path or binary file.

    This writes directly; callers that replace an existing file should write to a
    temporary path and rename (``polarguide.store`` does).
    """
    stamp = parse_date(retrieved_at)
    if stamp is None:
        raise DataError(f"snapshot needs a valid retrieved_at, got {retrieved_at!r}")
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "retrieved_at": stamp.isoformat(),
        "record_count": len(records),
        "provenance": provenance,
        "records": records_to_json_list(records),
    }
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if isinstance(target, (str, Path)):
        with gzip.open(target, "wb", compresslevel=9) as handle:
            handle.write(payload)
    else:
        with gzip.GzipFile(fileobj=target, mode="wb", compresslevel=9, mtime=0) as handle:
            handle.write(payload)


def load_snapshot(source: str | Path | IO[bytes]) -> Snapshot:
    """Read a snapshot written by :func:`dump_snapshot`; :class:`DataError` if it is not one.

    The check is strict: wrong format marker, a record count that does not match,
    or records without identifiers all mean the file is corrupt.
    """
    name = str(source) if isinstance(source, (str, Path)) else "snapshot"
    try:
        if isinstance(source, (str, Path)):
            with gzip.open(source, "rb") as handle:
                raw = handle.read()
        else:
            with gzip.GzipFile(fileobj=source, mode="rb") as handle:
                raw = handle.read()
        document = json.loads(raw.decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DataError(f"{name} is not a readable snapshot: {err}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DataError(f"{name} is not a polarguide snapshot")
    if document.get("format_version") != FORMAT_VERSION:
        raise DataError(f"{name} has unsupported format_version {document.get('format_version')}")
    rows = document.get("records")
    if not isinstance(rows, list) or len(rows) != document.get("record_count"):
        raise DataError(f"{name} is incomplete: record count does not match")
    if any(not isinstance(r, dict) or not r.get("identifier") for r in rows):
        raise DataError(f"{name} has records without an identifier")
    import pandas as pd

    frame = pd.DataFrame(rows, columns=[c for c in COLUMNS if rows and c in rows[0]] or None)
    for column in DATE_COLUMNS:
        if column in frame.columns:
            frame[column] = pd.to_datetime(
                frame[column], utc=True, errors="coerce", format="ISO8601"
            )
    meta = {k: v for k, v in document.items() if k != "records"}
    return Snapshot(records=conform(frame), meta=meta)
