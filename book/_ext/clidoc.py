"""Sphinx extension: the command line's ``--help`` texts in the book, generated at build time.

One job: render ``polarguide --help`` and each subcommand's help from
:func:`polarguide.cli.build_parser` as a literal block, so the book's CLI reference can never
drift from the command. Add ``polarguide.clidoc`` to ``extensions`` and write::

    ```{cli-help}
    ```

    ```{cli-help} search
    ```

The text is argparse's own ``format_help()`` at a fixed width (:data:`WIDTH`), so the build
does not depend on the terminal it runs in. It is English in both editions and marked
untranslatable (a literal block; ``gettext`` does not extract it).

>>> print(help_text("show").splitlines()[0])
usage: polarguide show [-h] [--lang {fi,en}] [--format {table,json,csv}]
>>> {"search", "show", "export", "plan"} <= set(subcommands())
True
"""

from __future__ import annotations

import argparse
import functools
import zlib
from pathlib import Path
from typing import Any

#: Line width of the rendered help (fits a phone screen with little sideways scrolling).
WIDTH = 78


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse has no public API for this
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _fixed_width(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.formatter_class = functools.partial(argparse.HelpFormatter, width=WIDTH)
    return parser


def subcommands() -> list[str]:
    """The CLI's subcommand names, in the order ``polarguide --help`` lists them.

    >>> subcommands()[0]
    'search'
    """
    from polarguide.cli import build_parser

    return list(_subparsers(build_parser()))


def help_text(command: str | None = None) -> str:
    """``polarguide --help`` (``command=None``) or ``polarguide COMMAND --help`` as text.

    Raises :class:`KeyError` for an unknown command.

    >>> "--within DAYS" in help_text("search")
    True
    """
    from polarguide.cli import build_parser

    parser = _fixed_width(build_parser())
    if command:
        parser = _fixed_width(_subparsers(parser)[command])
    return parser.format_help().rstrip() + "\n"


def _make_directive() -> type:
    from docutils import nodes
    from sphinx.util.docutils import SphinxDirective

    from polarguide import cli

    class CliHelp(SphinxDirective):
        """``cli-help [COMMAND]``: the help text of ``polarguide [COMMAND]``."""

        optional_arguments = 1
        has_content = False

        def run(self) -> list[nodes.Node]:
            command = self.arguments[0] if self.arguments else None
            try:
                text = help_text(command)
            except KeyError:
                known = ", ".join(subcommands())
                message = f"cli-help: unknown command {command!r} (known: {known})"
                raise self.error(message) from None
            self.env.note_dependency(cli.__file__)
            block = nodes.literal_block(text, text, language="text")
            block["classes"].append("pg-cli-help")
            block["translatable"] = False
            self.set_source_info(block)
            return [block]

    return CliHelp


def setup(app: Any) -> dict[str, Any]:
    """Register the ``cli-help`` directive."""
    app.add_directive("cli-help", _make_directive())
    return {
        "version": "0.1",
        "env_version": zlib.crc32(Path(__file__).read_bytes()),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
