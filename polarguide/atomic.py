"""Writing a file atomically: readers see the old file or the complete new one, never half.

One job, used by every writer of the library (exports, plans, the data cache, the warm
cache): write to a temporary file in the target's folder, flush it to disk, optionally
check it, then rename it over the target.

>>> import tempfile, os
>>> path = write_atomically(os.path.join(tempfile.mkdtemp(), "x.txt"), b"hei")
>>> path.read_bytes()
b'hei'
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from .errors import InputError

Writer = Callable[[IO[bytes]], None]


def write_atomically(
    path: str | Path,
    payload: bytes | Writer,
    *,
    verify: Callable[[Path], object] | None = None,
) -> Path:
    """Write ``payload`` (bytes, or a function that writes to a binary file) to ``path``.

    The data goes to a temporary file next to ``path``, is flushed to disk, checked with
    ``verify(temporary_path)`` if given (an exception keeps the old file), and renamed over
    ``path``. A failure never leaves a half-written or temporary file. Raises
    :class:`~polarguide.errors.InputError` if ``path`` is a folder or its folder does not
    exist; other I/O errors propagate as :class:`OSError`.

    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> write_atomically(os.path.join(folder, "a.txt"), lambda f: f.write(b"ok")).read_text()
    'ok'
    >>> write_atomically(folder, b"x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    polarguide.errors.InputError: output path '...' is a folder; give a file name
    >>> def refuse(path):
    ...     raise ValueError("unreadable")
    >>> write_atomically(os.path.join(folder, "a.txt"), b"bad", verify=refuse)
    Traceback (most recent call last):
    ...
    ValueError: unreadable
    >>> open(os.path.join(folder, "a.txt")).read(), sorted(os.listdir(folder))
    ('ok', ['a.txt'])
    """
    target = Path(path)
    if target.is_dir():
        raise InputError(f"output path {str(target)!r} is a folder; give a file name")
    if not target.parent.exists():
        raise InputError(f"folder {str(target.parent)!r} does not exist")
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(payload, (bytes, bytearray)):
                stream.write(payload)
            else:
                payload(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(target))  # mkstemp makes 0600; keep the usual mode
        if verify is not None:
            verify(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    _fsync_folder(target.parent)
    return target


def _mode_for(target: Path) -> int:
    """The replaced file's permissions, or what a new file gets under the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (not on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
