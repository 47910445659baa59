"""Build polarguide/data/programme_codes.json from the real frameworkProgramme facet captures.

Inputs (see shared/data/ftp-samples/PROVENANCE.md, files 4, 6 and 7):

* file 4, the 2023 facet response (apiVersion 2.96) - clean labels, preferred;
* files 6 and 7, the 2026 eu-grants-feed snapshots whose ``facets.frameworkProgramme``
  are the API's facet value arrays unchanged (apiVersion 2.145.3 and 2.151) - their
  labels are repaired with :func:`polarguide.codes.repair_label` and used only for
  codes without a usable 2023 label.

Usage::

    python scripts/build_programme_codes.py [--samples DIR] [--output PATH]

The output is deterministic: the same inputs give a byte-identical file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from polarguide.codes import repair_label, split_label  # noqa: E402

DEFAULT_SAMPLES = ROOT.parent / "shared" / "data" / "ftp-samples"
DEFAULT_OUTPUT = ROOT / "polarguide" / "data" / "programme_codes.json"

SOURCES = [
    {
        "file": 4,
        "name": "sedia-facet_text-all_noQuery_apiv2.96_2023-01_Psychless.json",
        "repo": "Psychless/fiverr-API-1",
        "path": "Facet_API_JSON_output.txt",
        "commit": "ac5e0ec5a1ca8529689534d3c878ec050b8aec44",
        "kind": "RE-SERIALISED facet response (apiVersion 2.96, 2023-01)",
    },
    {
        "file": 6,
        "name": "eu-grants-feed_derived-calls+raw-facets_2026-03-13_MichelNivard.json",
        "repo": "MichelNivard/eu-grants-feed",
        "path": "data/grants.json",
        "commit": "1c15b43a5a74d891a75877d04102461a16ae867e",
        "kind": "RAW facet value arrays inside a derived feed (apiVersion 2.145.3, 2026-03-13)",
    },
    {
        "file": 7,
        "name": "eu-grants-feed_derived-calls+raw-facets_2026-08-22_MichelNivard.json",
        "repo": "MichelNivard/eu-grants-feed",
        "path": "data/grants.json",
        "commit": "cc355a79622e07e0c9d43a53024091b9d7f0a9a5",
        "kind": "RAW facet value arrays inside a derived feed (apiVersion 2.151, 2026-08-22)",
    },
]


def facet_values(document: dict, file_number: int) -> list[dict]:
    """Return the frameworkProgramme facet values of a facet response or a feed file."""
    if file_number == 4:
        for facet in document["facets"]:
            if facet.get("name") == "frameworkProgramme":
                return facet["values"]
        raise SystemExit("file 4 has no frameworkProgramme facet")
    return document["facets"]["frameworkProgramme"]


def build(samples: Path, paths: dict[int, Path] | None = None) -> dict:
    """Return the programme code table built from the captures in ``samples``.

    ``paths`` may name other copies of files 4, 6 and 7 (the tests pass trimmed copies
    that keep the frameworkProgramme facet values unchanged).
    """
    labels: dict[str, dict[str, str]] = {}
    for source in SOURCES:
        path = (paths or {}).get(source["file"], samples / source["name"])
        document = json.loads(Path(path).read_text("utf-8"))
        for value in facet_values(document, source["file"]):
            code = str(value["rawValue"]).strip()
            labels.setdefault(code, {})[str(source["file"])] = str(value["value"])

    entries = []
    for code, seen in labels.items():
        clean_2023 = seen.get("4", "").strip()
        if clean_2023 and clean_2023 != code:
            label, label_from = clean_2023, "file 4 (2023, clean)"
        else:
            newest = seen.get("7") or seen.get("6") or code
            label, label_from = repair_label(newest), "files 6/7 (2026, repaired)"
        short, name, legacy = split_label(label)
        entries.append(
            {
                "code": code,
                "short": short,
                "name": name,
                "legacy": legacy,
                "label": " ".join(label.split()),
                "label_from": label_from,
                "raw_labels": {f"file {k}": v for k, v in sorted(seen.items())},
            }
        )

    # A 2014-2020 programme that shares its abbreviation with a current one gets a suffix,
    # so every short name in the table names exactly one programme.
    current = {e["short"] for e in entries if e["short"] and not e["legacy"]}
    for entry in entries:
        if entry["legacy"] and entry["short"] in current:
            entry["short"] = f"{entry['short']}-2014-2020"
    entries.sort(key=lambda e: (e["legacy"], e["short"] or "~", e["code"]))
    return {
        "description": (
            "EU Funding & Tenders Portal frameworkProgramme codes -> short name and clean "
            "name. Built by scripts/build_programme_codes.py from real facet captures; map "
            "programmes by code, never by label."
        ),
        "label_rule": (
            "2023 label (file 4) when present; otherwise the newest 2026 label with "
            "URL escapes, lost '+' and extra spaces repaired"
        ),
        "copied_via": "shared/data/ftp-samples (see its PROVENANCE.md)",
        "sources": SOURCES,
        "programmes": entries,
    }


def main(argv: list[str] | None = None) -> int:
    """Build the table and write it; print a one-line summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    document = build(args.samples)
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} with {len(document['programmes'])} programmes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
