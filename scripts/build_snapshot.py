"""Build the bundled offline snapshot polarguide/data/snapshot.json.gz from a feed capture.

The default source is the newest capture in shared/data/ftp-samples (file 7 of its
PROVENANCE.md): MichelNivard/eu-grants-feed ``data/grants.json`` at commit
cc355a79622e07e0c9d43a53024091b9d7f0a9a5, generated 2026-08-22. Its records are
DERIVED from the EU Funding & Tenders Portal search API by that project's script.

Usage::

    python scripts/build_snapshot.py [--source PATH] [--output PATH]

Idempotent: the same source gives a byte-identical output (gzip mtime 0, sorted keys
where order is ours to choose).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from polarguide.atomic import write_atomically  # noqa: E402
from polarguide.parse import parse_feed_snapshot, read_payload  # noqa: E402
from polarguide.snapshot import dump_snapshot  # noqa: E402

DEFAULT_SOURCE = (
    ROOT.parent
    / "shared"
    / "data"
    / "ftp-samples"
    / "eu-grants-feed_derived-calls+raw-facets_2026-08-22_MichelNivard.json"
)
DEFAULT_OUTPUT = ROOT / "polarguide" / "data" / "snapshot.json.gz"

SOURCE_REPO = "MichelNivard/eu-grants-feed"
SOURCE_PATH = "data/grants.json"
SOURCE_COMMIT = "cc355a79622e07e0c9d43a53024091b9d7f0a9a5"


def provenance(doc: dict, source: Path, record_count: int) -> dict:
    """Return the provenance block stored inside the snapshot."""
    meta = doc.get("source") if isinstance(doc.get("source"), dict) else {}
    return {
        "source_repo": SOURCE_REPO,
        "source_path": SOURCE_PATH,
        "source_commit": SOURCE_COMMIT,
        "source_file": source.name,
        "copied_via": "shared/data/ftp-samples (file 7 of its PROVENANCE.md, blob-hash checked)",
        "generatedAt": doc.get("generatedAt"),
        "reportedTotalResults": meta.get("reportedTotalResults"),
        "storedResults": meta.get("storedResults"),
        "records_in_source": len(doc.get("grants", [])),
        "records_in_snapshot": record_count,
        "derived": (
            "The records are DERIVED: built by the eu-grants-feed project's script from live "
            "EU Funding & Tenders Portal search API data (open and forthcoming calls, types "
            "1, 2 and 8, English), not raw API output. Cascade-call rounds sharing one "
            "identifier are merged into one record with all deadlines."
        ),
        "search_api": meta.get("searchUrl"),
        "built_by": "scripts/build_snapshot.py (polarguide.parse.parse_feed_snapshot)",
    }


def build_bytes(source: Path) -> tuple[bytes, int]:
    """Return the gzip snapshot bytes for ``source`` and the number of records."""
    doc = read_payload(source)
    records = parse_feed_snapshot(doc)
    buffer = io.BytesIO()
    dump_snapshot(
        records,
        provenance(doc, source, len(records)),
        buffer,  # a file object: dump_snapshot then writes gzip with mtime=0
        retrieved_at=doc["generatedAt"],
    )
    return buffer.getvalue(), len(records)


def main(argv: list[str] | None = None) -> int:
    """Build the snapshot and write it atomically; print its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    data, count = build_bytes(args.source)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(args.output, data)
    print(f"wrote {args.output}: {count} records, {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
