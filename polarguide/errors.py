"""The exceptions polarguide raises, one hierarchy so callers can catch them all.

The command line turns each into one line on stderr and an exit code:
:class:`InputError` (the user asked for something wrong) exits with 2,
every other :class:`PolarGuideError` with 1.

>>> try:
...     raise InputError("unknown programme 'ERASMSU'; did you mean ERASMUS?")
... except PolarGuideError as err:
...     print(err.exit_code, err)
2 unknown programme 'ERASMSU'; did you mean ERASMUS?
"""

from __future__ import annotations


class PolarGuideError(Exception):
    """Base class of every error polarguide raises on purpose."""

    exit_code = 1


class InputError(PolarGuideError, ValueError):
    """Bad input from the user: an unknown option value, date, programme or ID."""

    exit_code = 2


class DataError(PolarGuideError):
    """Data that cannot be read or does not look right (corrupt cache, invalid JSON)."""


class NetworkError(PolarGuideError):
    """The portal could not be reached, or kept failing after all retries."""


class SuspiciousFetchError(PolarGuideError):
    """A fetch looked wrong (empty, or far fewer records than before) and was not stored."""
