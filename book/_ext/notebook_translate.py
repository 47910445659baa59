"""notebook_translate: a workshop notebook in another edition's language, from its catalogue.

One job: turn a Finnish notebook (``notebooks/<name>.ipynb``) into the notebook a reader of
another edition downloads, using the same gettext catalogue Sphinx uses for the notebook's
page (``locales/<lang>/LC_MESSAGES/notebooks/<name>.po``), so the downloaded notebook says
exactly what the page says.

Granularity is Sphinx's: a message is the raw text of one paragraph, heading, list-item
paragraph, table cell or admonition title, line breaks joined with spaces
(``sphinx.util.nodes.extract_messages`` on the doctree that MyST builds). Here each markdown
cell is parsed with MyST's own markdown-it parser (the book's ``myst_enable_extensions``),
every block's text is looked up in the catalogue and replaced in place: the block's markup
(``## ``, ``- ``, indentation, the ``:::{admonition}`` fence and its options) stays; a
block that spanned several lines becomes one line. Directive bodies (admonitions) are
parsed recursively, like MyST does. Besides markdown cells:

- the figure caption and image alt text that myst-nb reads from a code cell's metadata
  (``mystnb.figure.caption``, ``mystnb.image.alt``) are translated too;
- code stays as it is (its comments are English or bilingual and the catalogues have no
  messages for code), with one exception: ``current_language()`` becomes
  ``current_language("<lang>")``, so the notebook prints in its own language even when
  ``POLARGUIDE_LANG`` is not set (it still wins when it is);
- outputs and execution counts are cleared (what a trainer runs; works offline).

Nothing is guessed: :class:`Report` lists the messages that were translated, the ones the
catalogue lacks (``missing``: an untranslated or fuzzy message, or a block this module
splits differently from Sphinx) and catalogue messages the notebook does not contain
(``unused``: e.g. text that only an output would show). ``book/_ext/notebook_launch.py``
warns on ``missing`` (the strict build fails); ``scripts/build_site.py`` puts the result
in the offline workshop bundle.

Command line (used by ``binder/postBuild``; exit status 1 if a message is missing)::

    python book/_ext/notebook_translate.py --lang en --out notebooks/en notebooks/*.ipynb
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
#: Where the catalogues live (``_config.yml`` → ``locale_dirs``).
LOCALES = ROOT / "locales"
SOURCE_LANGUAGE = "fi"
#: ``_config.yml`` → ``parse.myst_enable_extensions`` (a test keeps the two equal).
MYST_EXTENSIONS = ("colon_fence", "deflist", "substitution", "tasklist")
#: Directives whose argument is a translatable title and whose body is MyST text.
TITLED_DIRECTIVES = frozenset({"admonition"})
#: Directives whose body is MyST text (parsed recursively), without a translatable argument.
BODY_DIRECTIVES = frozenset(
    {"attention", "caution", "danger", "error", "hint", "important", "note", "seealso", "tip",
     "warning"}
)  # fmt: skip
#: Code-cell metadata that myst-nb turns into translatable text: (path, ...).
METADATA_TEXTS = (("mystnb", "figure", "caption"), ("mystnb", "image", "alt"))
LANGUAGE_CALL = re.compile(r"\bcurrent_language\(\)")
_DIRECTIVE = re.compile(r"^\{([\w:-]+)\}\s*(.*)$")
_OPTION = re.compile(r"^\s*:[\w-]+:")


@dataclass
class Report:
    """What happened to one notebook's messages.

    >>> report = Report("x.ipynb", translated=["Otsikko"], missing=["Uusi kappale"])
    >>> report.ok, str(report)
    (False, "x.ipynb: 1 translated, 1 missing: 'Uusi kappale'")
    """

    name: str
    translated: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every message of the notebook had a translation."""
        return not self.missing

    def __str__(self) -> str:
        text = f"{self.name}: {len(self.translated)} translated"
        if self.missing:
            text += f", {len(self.missing)} missing: " + "; ".join(
                repr(m[:70]) for m in self.missing
            )
        if self.unused:
            text += f", {len(self.unused)} unused in the catalogue"
        return text


@dataclass(frozen=True)
class Block:
    """One message's place in a markdown cell: lines ``start``..``end`` (exclusive), from
    column ``col`` of the first line to column ``end_col`` of the last line."""

    start: int
    end: int
    col: int
    end_col: int
    message: str


def read_catalogue(path: Path) -> dict[str, str]:
    """``{msgid: msgstr}`` of a ``.po`` file, as Sphinx uses it: no fuzzy or empty entries.

    >>> import tempfile
    >>> po = 'msgid "Hei"\\nmsgstr "Hello"\\n\\n#, fuzzy\\nmsgid "Moi"\\nmsgstr "Hi"\\n'
    >>> with tempfile.NamedTemporaryFile("w", suffix=".po", delete=False) as fh:
    ...     _ = fh.write(po)
    >>> read_catalogue(Path(fh.name))
    {'Hei': 'Hello'}
    """
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {
        m.id: m.string
        for m in catalog
        if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string
        and not m.fuzzy
    }  # fmt: skip


@lru_cache(maxsize=4)
def _parser(extensions: tuple[str, ...]) -> Any:
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions=set(extensions)), RendererHTML)


def _directive_body(content: str) -> tuple[int, str]:
    """``(first body line, body)`` of a directive's content: options (``:key: value`` lines
    or a ``---`` YAML block) are skipped, like MyST does."""
    lines = content.split("\n")
    skip = 0
    if lines and lines[0].strip() == "---":
        closing = [i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"]
        skip = closing[0] + 1 if closing else 0
    else:
        while skip < len(lines) and _OPTION.match(lines[skip]):
            skip += 1
    return skip, "\n".join(lines[skip:])


def _blocks(
    text: str, lines: list[str], offset: int, extensions: tuple[str, ...], cursor: dict[int, int]
) -> Iterator[Block | str]:
    """Every message of ``text`` (lines ``offset``… of ``lines``) as a :class:`Block`, or as
    the bare message when its text cannot be found in the source lines."""
    for token in _parser(extensions).parse(text):
        if token.type == "inline" and token.map and token.content.strip():
            start, end = token.map[0] + offset, max(token.map[1], token.map[0] + 1) + offset
            content = [part.strip() for part in token.content.strip().split("\n")]
            message = token.content.replace("\n", " ").strip()
            col = lines[start].find(content[0], cursor.get(start, 0))
            if col < 0:
                yield message
                continue
            if end - start == 1:
                end_col = col + len(content[0])
            else:
                last = lines[end - 1].rfind(content[-1])
                if last < 0:
                    yield message
                    continue
                end_col = last + len(content[-1])
            cursor[end - 1] = end_col
            yield Block(start, end, col, end_col, message)
        elif token.type in ("fence", "colon_fence") and token.map:
            found = _DIRECTIVE.match(token.info.strip())
            if not found:
                continue  # code: not translated
            name, argument = found.groups()
            fence = token.map[0] + offset
            if name in TITLED_DIRECTIVES and argument:
                col = lines[fence].find(argument, lines[fence].find("}") + 1)
                if col < 0:
                    yield argument
                else:
                    yield Block(fence, fence + 1, col, col + len(argument), argument)
            if name in TITLED_DIRECTIVES | BODY_DIRECTIVES:
                skip, body = _directive_body(token.content)
                yield from _blocks(body, lines, fence + 1 + skip, extensions, cursor)


def markdown_messages(
    source: str, extensions: Iterable[str] = MYST_EXTENSIONS
) -> list[Block | str]:
    """The messages of one markdown cell, in order, where Sphinx would see them.

    >>> cell = "## Otsikko\\n\\nEka rivi\\ntoka rivi.\\n\\n- kohta"
    >>> [b.message for b in markdown_messages(cell)]
    ['Otsikko', 'Eka rivi toka rivi.', 'kohta']
    """
    lines = source.split("\n")
    return list(_blocks(source, lines, 0, tuple(sorted(extensions)), {}))


def translate_markdown(
    source: str, catalogue: Mapping[str, str], extensions: Iterable[str] = MYST_EXTENSIONS
) -> tuple[str, list[str], list[str]]:
    """``(translated source, translated messages, missing messages)`` of one markdown cell.

    >>> cell = ("## Harjoitus\\n\\nKirjoita pitkä\\nkappale.\\n\\n:::{admonition} Ratkaisu\\n"
    ...         ":class: dropdown\\n\\n- Yksi\\n  kohta\\n:::")
    >>> en = {"Harjoitus": "Exercise", "Kirjoita pitkä kappale.": "Write a long paragraph.",
    ...       "Ratkaisu": "Solution", "Yksi kohta": "One item"}
    >>> text, done, missing = translate_markdown(cell, en)
    >>> print(text)
    ## Exercise
    <BLANKLINE>
    Write a long paragraph.
    <BLANKLINE>
    :::{admonition} Solution
    :class: dropdown
    <BLANKLINE>
    - One item
    :::
    >>> missing
    []
    """
    lines = source.split("\n")
    blocks = list(_blocks(source, lines, 0, tuple(sorted(extensions)), {}))
    translated = [b.message for b in blocks if isinstance(b, Block) and b.message in catalogue]
    missing = [b.message if isinstance(b, Block) else b for b in blocks]
    missing = [m for m in missing if m not in translated]
    placed = [b for b in blocks if isinstance(b, Block) and b.message in catalogue]
    # Right to left, bottom to top: earlier positions stay valid.
    for block in sorted(placed, key=lambda b: (b.start, b.col), reverse=True):
        head = lines[block.start][: block.col]
        tail = lines[block.end - 1][block.end_col :]
        lines[block.start : block.end] = [head + catalogue[block.message] + tail]
    return "\n".join(lines), translated, missing


def _source(cell: Mapping[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _as_lines(text: str) -> list[str]:
    """A cell source the way Jupyter stores it: a list of lines with their line ends."""
    return text.splitlines(keepends=True)


def strip_outputs(notebook: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``notebook`` with every output and execution count removed (nbformat style).

    >>> cell = {"cell_type": "code", "execution_count": 3, "metadata": {}, "source": "1",
    ...         "outputs": [{"output_type": "execute_result"}]}
    >>> strip_outputs({"cells": [cell], "nbformat": 4})["cells"][0]
    {'cell_type': 'code', 'execution_count': None, 'metadata': {}, 'source': '1', 'outputs': []}
    """
    result = copy.deepcopy(dict(notebook))
    for cell in result.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return result


def translate_notebook(
    notebook: Mapping[str, Any],
    catalogue: Mapping[str, str],
    lang: str,
    name: str = "notebook",
    extensions: Iterable[str] = MYST_EXTENSIONS,
) -> tuple[dict[str, Any], Report]:
    """A copy of ``notebook`` in ``lang`` (outputs cleared) and its :class:`Report`.

    >>> nb = {"cells": [
    ...     {"cell_type": "markdown", "metadata": {}, "source": ["# Haku\\n", "\\n", "Aja."]},
    ...     {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [{}],
    ...      "source": ["lang = i18n.current_language()  # fi | en"]}],
    ...     "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    >>> en, report = translate_notebook(nb, {"Haku": "Search", "Aja.": "Run."}, "en")
    >>> [c["source"] for c in en["cells"]]
    [['# Search\\n', '\\n', 'Run.'], ['lang = i18n.current_language("en")  # fi | en']]
    >>> en["cells"][1]["outputs"], en["cells"][1]["execution_count"], report.ok
    ([], None, True)
    """
    result = strip_outputs(notebook)
    report = Report(name)
    seen: set[str] = set()
    for cell in result.get("cells", []):
        if cell.get("cell_type") == "markdown":
            text, done, missing = translate_markdown(_source(cell), catalogue, extensions)
            cell["source"] = _as_lines(text)
            report.translated += done
            report.missing += missing
            seen.update(done + missing)
        elif cell.get("cell_type") == "code":
            if lang != SOURCE_LANGUAGE:
                code = LANGUAGE_CALL.sub(f'current_language("{lang}")', _source(cell))
                cell["source"] = _as_lines(code)
            for path in METADATA_TEXTS:
                *parents, key = path
                holder = cell.get("metadata", {})
                for part in parents:
                    holder = holder.get(part, {}) if isinstance(holder, dict) else {}
                text = holder.get(key) if isinstance(holder, dict) else None
                if not isinstance(text, str) or not text.strip():
                    continue
                message = text.replace("\n", " ").strip()
                seen.add(message)
                if message in catalogue:
                    holder[key] = catalogue[message]
                    report.translated.append(message)
                else:
                    report.missing.append(message)
    report.unused = [m for m in catalogue if m not in seen]
    return result, report


def catalogue_path(notebook: Path, lang: str, locales: Path = LOCALES, root: Path = ROOT) -> Path:
    """The ``.po`` of a notebook's page (``gettext_compact: false``: one per document).

    >>> catalogue_path(ROOT / "notebooks" / "01-haku.ipynb", "en").relative_to(ROOT).as_posix()
    'locales/en/LC_MESSAGES/notebooks/01-haku.po'
    """
    docname = notebook.resolve().relative_to(root).with_suffix("").as_posix()
    return locales / lang / "LC_MESSAGES" / f"{docname}.po"


def dumps(notebook: Mapping[str, Any]) -> str:
    """A notebook as JSON text, the way Jupyter writes it (UTF-8 text, one-space indent)."""
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"


def notebook_edition(
    notebook: Path,
    lang: str,
    catalogue: Path | None = None,
    extensions: Iterable[str] = MYST_EXTENSIONS,
) -> tuple[str, Report]:
    """The JSON text of ``notebook`` in ``lang`` and its :class:`Report`.

    The source language gets the notebook with outputs cleared; another language is
    translated with ``catalogue`` (default: :func:`catalogue_path`). Without a catalogue
    file every message is ``missing``.
    """
    data = json.loads(notebook.read_text(encoding="utf-8"))
    if lang == SOURCE_LANGUAGE:
        return dumps(strip_outputs(data)), Report(notebook.name)
    po = catalogue or catalogue_path(notebook, lang)
    messages = read_catalogue(po) if po.is_file() else {}
    translated, report = translate_notebook(data, messages, lang, notebook.name, extensions)
    return dumps(translated), report


def main(argv: list[str] | None = None) -> int:
    """Write ``--out/<name>.ipynb`` for each notebook; print one report line each.

    Exit status 1 if a message is missing, 2 (one line on stderr) if a notebook cannot be
    read or written; a file is replaced only by a complete new one."""
    from polarguide.errors import InputError
    from polarguide.export import write_atomically

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--out", type=Path, required=True, help="folder for the notebooks")
    args = parser.parse_args(argv)
    failed = 0
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        for path in args.notebooks:
            try:
                text, report = notebook_edition(path, args.lang)
            except ValueError as err:  # not JSON
                raise InputError(f"{path}: not a notebook ({err})") from None
            write_atomically(args.out / path.name, text.encode("utf-8"))
            print(report)
            failed += not report.ok
    except (OSError, InputError) as err:
        message = f"{err.filename}: {err.strerror}" if isinstance(err, OSError) else str(err)
        print(f"notebook_translate: {message}", file=sys.stderr)
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
