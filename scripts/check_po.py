"""Fail if a translation catalogue is incomplete: ``python scripts/check_po.py en``.

Checks every ``locales/<lang>/LC_MESSAGES/**/*.po`` (the book's page catalogues, not the
Finnish UI catalogues): each message translated, none fuzzy, no obsolete-only files.
With ``--pot DIR`` (default ``_build/gettext`` when it exists) it also checks that every
extracted ``.pot`` has a ``.po`` with all of its messages.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def problems(lang: str, pot_dir: Path | None, locales: Path = ROOT / "locales") -> list[str]:
    """One line per problem (empty when the catalogues are complete)."""
    base = locales / lang / "LC_MESSAGES"
    found: list[str] = []
    catalogues = sorted(base.rglob("*.po"))
    if not catalogues:
        return [f"no catalogues in {base}"]
    messages: dict[str, set[str]] = {}
    for po in catalogues:
        rel = po.relative_to(base).with_suffix("").as_posix()
        with po.open("rb") as handle:
            catalog = read_po(handle)
        messages[rel] = set()
        for message in catalog:
            if not message.id:
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            messages[rel].add(msgid)
            if message.fuzzy:
                found.append(f"{rel}.po: fuzzy: {msgid[:60]!r}")
            elif not (message.string if isinstance(message.string, str) else all(message.string)):
                found.append(f"{rel}.po: untranslated: {msgid[:60]!r}")
    if pot_dir and pot_dir.is_dir():
        for pot in sorted(pot_dir.rglob("*.pot")):
            if pot.name == "sphinx.pot" and pot.parent == pot_dir:
                continue  # template strings: English already (see build_site.update_po)
            rel = pot.relative_to(pot_dir).with_suffix("").as_posix()
            with pot.open("rb") as handle:
                template = read_po(handle)
            ids = {m.id for m in template if m.id}
            if rel not in messages:
                found.append(f"{rel}.pot has no {lang} catalogue (run: make update-po)")
                continue
            missing = ids - messages[rel]
            found += [
                f"{rel}.po: missing message {m[:60]!r} (run: make update-po)"
                for m in sorted(missing)
            ]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lang", nargs="?", default="en")
    parser.add_argument("--pot", type=Path, default=ROOT / "_build" / "gettext")
    args = parser.parse_args(argv)
    found = problems(args.lang, args.pot)
    for line in found:
        print(line)
    total = sum(1 for _ in (ROOT / "locales" / args.lang / "LC_MESSAGES").rglob("*.po"))
    print(f"check_po {args.lang}: {total} catalogues, {len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
