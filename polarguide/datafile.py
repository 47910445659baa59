"""Hand-edited YAML data files (events, the network directory) read with line numbers.

People who do not program keep these files up to date, so every mistake is reported as
``file:line: what is wrong`` and raises :class:`DataFileError` (exit code 2 in the CLI:
the person at the keyboard can fix it).

>>> doc = read_text("a: 1\\nitems:\\n  - {id: x, url: http://e.org}\\n", "demo.yaml")
>>> doc["items"][0].line, doc.line_of("items")
(3, 2)
>>> read_text("a: 1\\na: 2\\n", "demo.yaml")
Traceback (most recent call last):
...
polarguide.datafile.DataFileError: demo.yaml:2: key 'a' appears twice
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from .errors import DataError, InputError

#: Languages every text field has.
LANGUAGES = ("fi", "en")
_URL = re.compile(r"^https?://[^\s]+$")
_TRACKING = re.compile(r"[?&](utm_[a-z]+|fbclid|gclid)=", re.IGNORECASE)


class DataFileError(InputError, DataError):
    """A mistake in a hand-edited data file, with the file and line where it is."""


class Mapping(dict):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        """The line of ``key`` (the mapping's own line if the key is missing).

        >>> m = Mapping(); m.line = 4; m.line_of("x")
        4
        """
        return self.key_lines.get(key, self.line)


def _loader(name: str) -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def construct_mapping(loader: Any, node: Any) -> Mapping:
        loader.flatten_mapping(node)
        mapping = Mapping()
        mapping.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in mapping:
                raise DataFileError(f"{name}:{line}: key {key!r} appears twice")
            try:
                mapping[key] = loader.construct_object(value_node, deep=True)
            except DataFileError:
                raise  # from an inner mapping: it already names its own line
            except (ValueError, OverflowError) as err:  # e.g. a date like 2026-13-45
                value_line = value_node.start_mark.line + 1
                raise DataFileError(
                    f"{name}:{value_line}: {key!r}: {value_node.value!r} is not a valid value "
                    f"({err}); dates are written YYYY-MM-DD"
                ) from None
            mapping.key_lines[key] = line
        return mapping

    Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    return Loader


def file_version(path: str | Path | None, default: Path) -> tuple[str, int]:
    """``(path, modification time in ns)`` of a data file (``default`` if ``path`` is None):
    the cache key of its loader, so an edited file is read again. A file that cannot be
    read gets 0; reading it then reports the problem with the file's name.

    >>> file_version(None, Path("/no/such/events.yaml"))
    ('/no/such/events.yaml', 0)
    """
    resolved = Path(path) if path is not None else default
    try:
        return str(resolved), resolved.stat().st_mtime_ns
    except OSError:
        return str(resolved), 0


def meta_checked(doc: Any, name: str) -> dt.date:
    """The ``meta: {checked: YYYY-MM-DD}`` date of a data file, or a file:line error.

    >>> meta_checked(read_text("meta: {checked: 2026-12-05}\\n", "x.yaml"), "x.yaml")
    datetime.date(2026, 12, 5)
    >>> meta_checked(read_text("meta: {}\\n", "x.yaml"), "x.yaml")
    Traceback (most recent call last):
    ...
    polarguide.datafile.DataFileError: x.yaml:1: 'meta: {checked: YYYY-MM-DD}' is missing
    """
    meta = doc.get("meta") if isinstance(doc, dict) else None
    checked = meta.get("checked") if isinstance(meta, dict) else None
    if not isinstance(checked, dt.date) or isinstance(checked, dt.datetime):
        line = doc.line_of("meta") if isinstance(doc, Mapping) else 1
        raise DataFileError(f"{name}:{line}: 'meta: {{checked: YYYY-MM-DD}}' is missing")
    return checked


def display_name(path: str | Path) -> str:
    """How a file is named in messages: relative to the working folder when inside it.

    >>> display_name(Path.cwd() / "x" / "events.yaml") == str(Path("x") / "events.yaml")
    True
    """
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(resolved)


def read_text(text: str, name: str) -> Any:
    """Parse YAML ``text`` (named ``name`` in messages) into :class:`Mapping` objects.

    >>> read_text("a: [1, 2\\n", "x.yaml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    polarguide.datafile.DataFileError: x.yaml:2: not valid YAML (...); check the indentation ...
    >>> read_text("start: 2026-13-45\\n", "x.yaml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    polarguide.datafile.DataFileError: x.yaml:1: 'start': '2026-13-45' is not a valid value ...
    """
    import yaml

    try:
        return yaml.load(text, Loader=_loader(name))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(err, "problem", None) or "syntax error"
        raise DataFileError(
            f"{name}:{line}: not valid YAML ({problem}); check the indentation and quotes"
        ) from None


def read_file(path: str | Path) -> tuple[Any, str]:
    """Read a data file; return ``(document, display name)``.

    >>> read_file("/no/such/events.yaml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    polarguide.datafile.DataFileError: /no/such/events.yaml: cannot read it (No such file ...)
    """
    name = display_name(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise DataFileError(f"{name}: cannot read it ({err.strerror})") from None
    except UnicodeDecodeError:
        raise DataFileError(f"{name}: is not UTF-8 text; save it as UTF-8") from None
    return read_text(text, name), name


class Fields:
    """Checks the fields of one entry, reporting ``file:line: entry 'id': ...``.

    >>> raw = read_text("id: x\\nname: {fi: Nimi}\\n", "n.yaml")
    >>> Fields(raw, "n.yaml", "organisation").bilingual("name")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    polarguide.datafile.DataFileError: n.yaml:2: organisation 'x': field 'name.en' is missing ...
    """

    def __init__(self, raw: Any, name: str, what: str) -> None:
        self.name = name
        self.what = what
        self.raw: Mapping = raw if isinstance(raw, Mapping) else Mapping()
        self.line = getattr(raw, "line", 0) or 1
        if not isinstance(raw, dict):
            raise DataFileError(f"{name}:{self.line}: each {what} must be a mapping (key: value)")
        ident = raw.get("id")
        if not isinstance(ident, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident):
            raise DataFileError(
                f"{name}:{self.raw.line_of('id')}: {what}: field 'id' is missing or not "
                "lowercase-with-hyphens"
            )
        self.id = ident

    def fail(self, key: str, problem: str, where: Any = None) -> DataFileError:
        """The error for field ``key`` (line of ``where`` or of the key itself)."""
        top = key.split(".")[0]
        line = getattr(where, "line", 0) or self.raw.line_of(top)
        return DataFileError(
            f"{self.name}:{line}: {self.what} '{self.id}': field '{key}' {problem}"
        )

    def known(self, allowed: tuple[str, ...]) -> None:
        """Report a key that is not one of ``allowed`` (a typo), with the closest one.

        >>> raw = read_text("id: x\\nsourceurl: https://e.org\\n", "n.yaml")
        >>> try:
        ...     Fields(raw, "n.yaml", "event").known(("id", "source_url"))
        ... except DataFileError as err:
        ...     print(str(err).split(": ", 1)[0], str(err).split(": ", 2)[2])
        n.yaml:2 field 'sourceurl' is unknown; did you mean 'source_url'?
        """
        import difflib

        for key in self.raw:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise self.fail(str(key), f"is unknown{hint}")

    def text(self, key: str, required: bool = True) -> str:
        """A one-line text field (empty string if optional and absent)."""
        value = self.raw.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "is missing or empty")
        return " ".join(value.split())

    def bilingual(self, key: str, required: bool = True) -> dict[str, str]:
        """A ``{fi: ..., en: ...}`` text field, spaces normalised."""
        value = self.raw.get(key)
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            raise self.fail(key, "needs both fi: and en: texts")
        out = {}
        for lang in LANGUAGES:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                raise self.fail(f"{key}.{lang}", "is missing or empty", value)
            out[lang] = " ".join(text.split())
        return out

    def url(self, key: str, required: bool = True, value: Any = None, where: Any = None) -> str:
        """A web address: starts with http(s)://, no spaces, no tracking parameters."""
        value = self.raw.get(key) if value is None and where is None else value
        if value in (None, "") and not required:
            return ""
        if not isinstance(value, str) or not _URL.match(value.strip()):
            raise self.fail(key, "must be a web address starting with https://", where)
        if _TRACKING.search(value):
            raise self.fail(key, "has a tracking parameter (utm_, fbclid …); remove it", where)
        return value.strip()

    def day(self, key: str, required: bool = True) -> dt.date | None:
        """A ``YYYY-MM-DD`` day."""
        value = self.raw.get(key)
        if value is None and not required:
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise self.fail(key, "must be a day written YYYY-MM-DD")
        return value

    def words(self, key: str, allowed: tuple[str, ...], required: bool = True) -> tuple[str, ...]:
        """A list of words, each one of ``allowed``."""
        value = self.raw.get(key)
        if value is None and not required:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise self.fail(key, f"must be a list of: {', '.join(allowed)}")
        for word in value:
            if word not in allowed:
                raise self.fail(key, f"has {word!r}; use one of: {', '.join(allowed)}")
        return tuple(value)

    def checked(self, newest: dt.date | None = None) -> dt.date:
        """The ``checked`` day (when someone last opened the source); not in the future."""
        day = self.day("checked")
        assert day is not None
        if newest is not None and day > newest:
            raise self.fail("checked", f"is in the future ({day}); write the day you checked")
        return day
