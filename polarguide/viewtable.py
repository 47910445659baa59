"""The table :func:`polarguide.view` returns: a DataFrame that can also show itself as Markdown.

Jupyter and the HTML guide show a DataFrame's HTML. A Markdown table is what the book's PDF
build takes when a notebook output has no HTML it can use (myst-nb prefers ``text/markdown``
to plain text for LaTeX): a real table whose long cells wrap, instead of pandas' 80-column
text that cuts cells with "..." and splits wide tables into blocks.

>>> import pandas as pd
>>> table = ViewTable(pd.DataFrame({"Title": ["Youth *exchanges*"], "Why": ["a|b"]}, index=[1]))
>>> print(table._repr_markdown_())
|  | Title | Why |
|---:|---|---|
| 1 | Youth \\*exchanges\\* | a\\|b |
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from .records import is_missing

#: ASCII punctuation that Markdown (MyST) could read as markup; CommonMark lets any of it be
#: escaped with a backslash, so escaping it keeps every cell literal text.
_MARKUP = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&$:=])")


def markdown_cell(value: Any) -> str:
    """One cell as literal Markdown text on one line (missing values empty).

    >>> markdown_cell("a_b [c]")
    'a\\\\_b \\\\[c\\\\]'
    >>> markdown_cell(None)
    ''
    """
    if is_missing(value):
        return ""
    return _MARKUP.sub(r"\\\1", " ".join(str(value).split()))


class ViewTable(pd.DataFrame):
    """A DataFrame with a Markdown form (``_repr_markdown_``); any operation on it gives a
    plain DataFrame again."""

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame

    def __repr__(self) -> str:
        return repr(pd.DataFrame(self))  # (pandas would name the class: "Empty ViewTable")

    def _repr_markdown_(self) -> str | None:
        if self.empty:
            return None  # (a table of headings only is no table: shown as plain text instead)
        header = ["", *(markdown_cell(c) for c in self.columns)]
        lines = ["| " + " | ".join(header) + " |", "|---:|" + "---|" * len(self.columns)]
        for label, row in self.iterrows():
            cells = [markdown_cell(label), *(markdown_cell(v) for v in row)]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)
