"""Keep derived data on disk between runs, so the command line starts fast.

Two things are kept: the search index (building it over ~700 calls and the catalogue
takes a few hundred milliseconds of Python work) and the records the CLI loads (the
snapshot in use plus the catalogue, with the warnings loading them gave). Each file's
name is a fingerprint of everything it was made from (record text, data files' sizes and
times, polarguide's version and code), so any change gives a new file and stale data is
never used. Files live in the user cache (:func:`polarguide.store.cache_dir`); an
unreadable file is ignored and rebuilt, and a failed write is not an error.

>>> import pandas as pd
>>> from polarguide.records import conform
>>> frame = conform(pd.DataFrame({"identifier": ["A"], "title": ["Youth"]}))
>>> len(fingerprint(frame)), fingerprint(frame) == fingerprint(frame.copy())
(24, True)
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: The record columns the index reads (textindex.record_documents) and so the fingerprint.
TEXT_COLUMNS = (
    "identifier", "call_identifier", "title", "call_title", "programme", "programme_name",
    "type_of_action", "keywords", "summary", "language", "search_text",
)  # fmt: skip
#: How many index files to keep (older ones are removed when a new one is written).
KEEP = 4


def fingerprint(df: pd.DataFrame) -> str:
    """A short hash of the records' indexed text, the glossary file and the index code."""
    from . import __version__, glossary, textindex

    digest = hashlib.sha256(__version__.encode())
    for module in (textindex, glossary):
        stat = Path(module.__file__).stat()
        digest.update(f"{module.__name__}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    glossary_file = Path(glossary.DEFAULT_PATH) if hasattr(glossary, "DEFAULT_PATH") else None
    if glossary_file is not None and glossary_file.exists():
        digest.update(glossary_file.read_bytes())
    digest.update(str(len(df)).encode())
    for column in TEXT_COLUMNS:
        if column in df.columns:
            digest.update(column.encode() + b"\x1e")
            digest.update("\x1f".join(map(str, df[column].tolist())).encode("utf-8", "replace"))
    return digest.hexdigest()[:24]


def quick_signature(df: pd.DataFrame, rows: int = 64) -> tuple:
    """A cheap signature of a frame: its shape and the text of up to ``rows`` sampled rows.

    Used to notice that a frame object changed since it was fingerprinted.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"title": ["a", "b"]})
    >>> quick_signature(frame) == quick_signature(frame.assign(title=["a", "c"]))
    False
    """
    step = max(1, len(df) // rows)
    columns = [c for c in TEXT_COLUMNS if c in df.columns]
    sample = df[columns].iloc[::step] if columns else df.iloc[:0]
    texts = tuple(map(str, sample.to_numpy().ravel().tolist()))
    return (df.shape, tuple(df.columns), hash(texts))


def prepared_index(df: pd.DataFrame) -> Any:
    """The search index of ``df`` with the bundled glossary, kept in the user cache.

    Loads the index stored under the records' fingerprint, or builds and stores it,
    then hands it to :mod:`polarguide.search`'s in-memory cache, so the next
    :func:`~polarguide.search.search` of these records starts at once. Only the command
    line calls this; ``search()`` itself never writes files.
    """
    from .search import _INDEXES
    from .textindex import TextIndex, build_index

    key = fingerprint(df)
    index = load_index(key)
    if not (isinstance(index, TextIndex) and index.n_docs == len(df)):
        index = build_index(df)
        save_index(key, index)
    _INDEXES.put(df, None, index, content=key)
    return index


def files_fingerprint(paths: list[Path], *parts: str) -> str:
    """A short hash of files' names, sizes and modification times plus ``parts``.

    >>> files_fingerprint([Path("/no/such/file")], "fi") == files_fingerprint([], "fi")
    False
    """
    from . import __version__

    digest = hashlib.sha256(__version__.encode())
    for path in paths:
        try:
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        except OSError:
            digest.update(f"{path}:missing".encode())
    for part in parts:
        digest.update(part.encode())
    return digest.hexdigest()[:24]


def _folder(kind: str) -> Path:
    from .store import cache_dir

    return cache_dir() / kind


def load_index(key: str, kind: str = "search-index") -> Any | None:
    """The object stored under ``key``, or ``None`` when there is none or it is unreadable.

    >>> load_index("no-such-key") is None
    True
    """
    path = _folder(kind) / f"{key}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)  # our own file in the user's own cache folder
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError):
        return None


def save_index(key: str, index: Any, kind: str = "search-index") -> Path | None:
    """Store ``index`` under ``key`` atomically; return the path, or ``None`` if it failed."""
    from .atomic import write_atomically

    folder = _folder(kind)
    target = folder / f"{key}.pickle"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(
            target, lambda stream: pickle.dump(index, stream, protocol=pickle.HIGHEST_PROTOCOL)
        )
    except (OSError, pickle.PicklingError, TypeError, AttributeError):  # a cache, not data
        return None
    old = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in old[KEEP:]:
        stale.unlink(missing_ok=True)
    return target
