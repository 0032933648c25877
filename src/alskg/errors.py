"""The project's own errors, and the exit-code contract.

Readers raise :class:`InputError` with the position of the bad value; only the CLI turns
them into one line on stderr and an exit code, so everything below it stays a library.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
#: a bug in alskg, not in its input: neither 1 (findings) nor 2 (bad input) would be true
EXIT_INTERNAL = 3
#: longest value shown in an error line; longer ones are cut, with their length
SHOWN_VALUE_CHARS = 200
#: characters that would break the one line of an error or act on the terminal: controls
#: (newline, ESC…), format characters (bidi overrides, zero-width), line/paragraph separators,
#: and the lone surrogates that stand for undecodable bytes in file names
_UNPRINTABLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with every control, format or line-separator character escaped (``\\n``,
    ``\\x1b``, ``\\u202e``), so an error about a hostile value stays one inert line."""
    if text.isprintable():
        return text
    return "".join(_escape(c) if unicodedata.category(c) in _UNPRINTABLE else c for c in text)


def _escape(char: str) -> str:
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def shown(value: str) -> str:
    """A value as an error line quotes it: repr, cut to :data:`SHOWN_VALUE_CHARS` with its length."""
    if len(value) <= SHOWN_VALUE_CHARS:
        return repr(value)
    return f"{value[:SHOWN_VALUE_CHARS]!r}... ({len(value):,} characters)"


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
        quoted = f" (value: {shown(self.value)})" if self.value is not None else ""
        return f"{where}{self.message}{quoted}"


class UsageError(InputError):
    """A wrong option, query name or parameter given on the command line."""


class EndpointError(InputError):
    """A remote SPARQL endpoint that cannot be reached or answers with an error."""


def os_reason(exc: OSError) -> str:
    """The system's reason for an OSError, in words a user can act on."""
    if isinstance(exc, FileExistsError) and exc.filename is not None and not Path(exc.filename).is_dir():
        return "a file stands where a folder is needed"
    return exc.strerror or str(exc) or type(exc).__name__


def os_error_line(exc: OSError) -> str:
    """One line for an OSError the code did not foresee: the path(s) it names and the reason."""
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    return f"{' -> '.join(paths)}: {os_reason(exc)}" if paths else os_reason(exc)
