"""`pg.view`'s Markdown form, which the PDF build shows as a real table: it must be a table
of the same shape whose cells read exactly as the DataFrame's, whatever the text holds."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pandas as pd
import pytest
from markdown_it import MarkdownIt

import polarguide as pg
from polarguide.viewtable import ViewTable

TRICKY = [
    "Youth *exchanges* and _camps_",
    "a|b || c",
    "<b>bold</b> & co",
    "1. not a list",
    "# not a heading",
    "$5$ and \\ backslash",
    "[link](http://x) `code` ~strike~",
    "line\nbreak",
]


class Cells(HTMLParser):
    """The text of every <th>/<td>, row by row."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.tables = 0
        self._cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif self._cell is not None:
            self._cell.append(f"<{tag}>")  # markup inside a cell: the text was not literal

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def rendered(table: ViewTable) -> Cells:
    return Cells(MarkdownIt("commonmark").enable("table").render(table._repr_markdown_()))


def test_markdown_form_is_the_same_table_with_literal_text() -> None:
    frame = ViewTable(pd.DataFrame({"Title": TRICKY, "Why": list(reversed(TRICKY))}))
    frame.index = range(1, len(frame) + 1)
    cells = rendered(frame)
    assert cells.tables == 1
    assert cells.rows[0] == ["", "Title", "Why"]
    expected = [
        [str(i), " ".join(a.split()), " ".join(b.split())]
        for i, a, b in zip(frame.index, frame["Title"], frame["Why"], strict=True)
    ]
    assert [[html.unescape(c) for c in row] for row in cells.rows[1:]] == expected


def test_an_empty_table_has_no_markdown_form() -> None:
    """A heading-only table is not a table to Sphinx's LaTeX writer (it failed the PDF build
    when a search found nothing): it is shown as plain text instead."""
    empty = ViewTable(pd.DataFrame({"Identifier": [], "Days left": []}))
    assert empty._repr_markdown_() is None
    assert repr(empty).startswith("Empty DataFrame")


def test_markdown_form_leaves_missing_values_empty_and_shows_lists() -> None:
    cells = [None, pd.NaT, float("nan"), ["LIFE", "CEF"]]
    frame = ViewTable(pd.DataFrame({"Deadline": cells}, index=[1, 2, 3, 4]))
    shown = [html.unescape(row[1]) for row in rendered(frame).rows[1:]]
    assert shown == ["", "", "", "['LIFE', 'CEF']"]


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_view_returns_a_table_with_a_markdown_form(lang: str) -> None:
    records = pg.load(lang, kind="programmes")
    shown = pg.view(records.head(4), ["title", "status"], lang=lang)
    assert isinstance(shown, pd.DataFrame) and hasattr(shown, "_repr_markdown_")
    cells = rendered(shown)
    assert len(cells.rows) == 1 + 4 and all(len(row) == 3 for row in cells.rows)
    assert [row[1] for row in cells.rows[1:]] == list(records.head(4)["title"])
    # any operation gives a plain DataFrame again (the Markdown form is only for showing)
    assert type(shown.head(2)) is pd.DataFrame
