"""The project's own errors, and the exit-code contract.

Readers raise :class:`InputError` with the position of the bad value; only the CLI turns
them into one line on stderr and an exit code, so everything below it stays a library.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


@dataclass
class AlskgError(Exception):
    """Base of every error alskg raises on purpose."""

    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class InputError(AlskgError):
    """Bad input: a missing or malformed file, a bad CURIE, an unknown name or value.

    ``file``/``line``/``column`` locate the problem (1-based) when known; ``value`` is the
    offending text.
    """

    file: str | Path | None = None
    line: int | None = None
    column: int | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        shown = f" (value: {self.value!r})" if self.value is not None else ""
        return f"{where}{self.message}{shown}"


class UsageError(InputError):
    """A wrong option, query name or parameter given on the command line."""


class EndpointError(InputError):
    """A remote SPARQL endpoint that cannot be reached or answers with an error."""
