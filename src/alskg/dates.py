"""Dates given by users: strict ISO calendar dates and ``SOURCE_DATE_EPOCH``.

``datetime.date.fromisoformat`` alone is too lenient for a release date (it takes ``20250101``
and week dates such as ``2025-W01-1``), and ``--date 2025`` was once written into the graph as
an ``xsd:gYear`` that then failed validation. Every date a user gives goes through here.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from alskg.errors import UsageError

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_EPOCH = re.compile(r"[0-9]{1,12}", re.ASCII)


def iso_date(text: str, what: str = "the date") -> date:
    """``YYYY-MM-DD`` (ASCII digits) naming a real calendar day; anything else is a UsageError."""
    if not _ISO_DATE.fullmatch(text):
        raise UsageError(f"{what} must be YYYY-MM-DD", value=text)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{what} is not a real calendar date", value=text) from None


def epoch_date(text: str) -> date:
    """The UTC day of ``SOURCE_DATE_EPOCH`` (whole seconds since 1970-01-01, reproducible-builds.org)."""
    if not _EPOCH.fullmatch(text):
        raise UsageError("SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01", value=text)
    try:
        return datetime.fromtimestamp(int(text), UTC).date()
    except (OverflowError, OSError, ValueError):
        raise UsageError("SOURCE_DATE_EPOCH is out of range", value=text) from None
