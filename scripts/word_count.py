"""Words of prose per page of the guide, as the course's quality bar counts them.

Counts the Finnish source pages listed in ``_toc.yml``: everything before the page's
"Lähteet" heading, without code blocks, directive options, table rows, web addresses and
``{role}`content``` (facts, terms and links the library fills in).

Usage::

    python scripts/word_count.py            # one line per page, then the total
    python scripts/word_count.py --min 700  # also list the pages below 700 words

>>> prose_words("Tämä on lause. {fact}`a.b` ja https://x.org\\n| taulu | rivi |\\n")
4
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = re.compile(r"^#+ Lähteet\s*$", re.M)
CODE = re.compile(r"```.*?```", re.S)
NOT_PROSE_LINE = re.compile(r"^:::.*$|^\|.*$|^:[a-z-]+:.*$", re.M)
ROLE = re.compile(r"\{[a-z-]+\}`[^`]*`")
URL = re.compile(r"https?://\S+")
WORD = re.compile(r"[A-Za-zÅÄÖåäöŠšŽž][\wÅÄÖåäö\-–]*")


def prose_words(markdown: str) -> int:
    """The number of prose words in one page's MyST source."""
    text = SOURCES.split(markdown)[0]
    for pattern in (CODE, NOT_PROSE_LINE, ROLE, URL):
        text = pattern.sub(" ", text)
    text = re.sub(r"^```.*$", " ", text, flags=re.M)  # a code fence left without a pair
    return len(WORD.findall(text))


def toc_pages(root: Path = ROOT) -> list[str]:
    """The toc's files in reading order (``book/...`` without ``.md``).

    >>> toc_pages()[0]
    'book/index'
    """
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key in ("root", "file"):
                if key in node:
                    found.append(str(node[key]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(toc)
    return list(dict.fromkeys(found))


def page_words(root: Path = ROOT) -> dict[str, int]:
    """Prose words of every Markdown page in the toc (notebooks are not counted)."""
    counts = {}
    for page in toc_pages(root):
        path = root / f"{page}.md"
        if path.is_file():
            counts[page] = prose_words(path.read_text(encoding="utf-8"))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min", type=int, default=700, help="the bar for one page")
    args = parser.parse_args(argv)
    counts = page_words()
    for page, words in counts.items():
        print(f"{words:6d}  {page}{'' if words >= args.min else '  (below the bar)'}")
    above = sum(words >= args.min for words in counts.values())
    print(f"{sum(counts.values()):6d}  words on {len(counts)} pages; {above} pages ≥ {args.min}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
