"""Fill the library reference's English catalogue with the generated English messages.

    python scripts/fill_reference_po.py          # after `make update-po`

The library reference (``book/liitteet/kirjasto.md``) shows the library's docstrings, which
are English in both editions. The gettext builder still offers their paragraphs for
translation, so after a docstring changes ``check_po`` reports them as missing or fuzzy.
This script gives every untranslated or fuzzy message *that comes from the library's
source* (its text occurs in a docstring or ``#:`` comment of ``polarguide/``, or it is
autodoc's ``Bases: ...`` line) its own ``msgid`` as translation. Messages of the page's own
Finnish text (the Markdown outside code blocks) are never touched: translate them by hand.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "book" / "liitteet" / "kirjasto.md"
PO = ROOT / "locales" / "en" / "LC_MESSAGES" / "book" / "liitteet" / "kirjasto.po"
DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def library_text(package: Path = ROOT / "polarguide") -> str:
    """The library's docstrings and ``#:`` comments, whitespace runs made single spaces."""
    parts = []
    for path in sorted(package.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, DOCUMENTED):
                parts.append(ast.get_docstring(node, clean=True) or "")
        parts += re.findall(r"(?m)^[ \t]*#:[ \t]?(.*)$", text)
    return _flat(" ".join(parts))


def page_blocks(page: Path = PAGE) -> set[str]:
    """The page's own (Finnish) messages: its headings, paragraphs and list items, from
    the Markdown outside fenced blocks."""
    text = re.sub(r"(?ms)^(`{3,}|~{3,}).*?^\1[ \t]*$", "\n", page.read_text(encoding="utf-8"))
    blocks = set()
    for chunk in re.split(r"\n[ \t]*\n", text):
        blocks |= {_flat(item) for item in re.split(r"(?m)^(?:#+ |[-*] |\d+\. )", chunk)}
    return blocks - {""}


def from_library(msgid: str, source: str, own: set[str]) -> bool:
    """Whether ``msgid`` is generated from the library (a docstring or autodoc's
    ``Bases:`` line) and is not one of the page's own messages."""
    flat = _flat(msgid)
    if flat in own:
        return False
    return flat.startswith("Bases: :py:class:") or flat in source


def fill(po: Path = PO) -> list[str]:
    """Fill ``po`` in place; return the msgids it filled."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    source, own = library_text(), page_blocks()
    filled = []
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        if (message.fuzzy or not message.string) and from_library(message.id, source, own):
            message.string = message.id
            message.flags.discard("fuzzy")
            message.previous_id = []
            filled.append(message.id)
    catalog.fuzzy = False
    with po.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False)
    return filled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("po", nargs="?", type=Path, default=PO)
    args = parser.parse_args(argv)
    filled = fill(args.po)
    print(f"fill_reference_po: {len(filled)} generated message(s) filled in {args.po.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
