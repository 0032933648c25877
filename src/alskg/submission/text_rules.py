"""Rules on the characters of every value, before any rule reads what the value means.

- ``HPOA-STRUCT-LENGTH``: a value longer than :data:`MAX_VALUE_CHARS`. The release's longest
  cell has 363 characters; a 20-million-character PMID once passed every rule, was merged, and
  made every later build fail (the store's parser caps one term at 16 MiB). The other rules
  skip such a row, so no report repeats the value.
- ``HPOA-STRUCT-INVISIBLE``: a value holding a character that is not seen but changes what is
  compared, merged or shown: Unicode format characters (category Cf: zero-width space and
  joiners, bidi embeddings, overrides and isolates, soft hyphen…), controls (Cc: a newline or
  ESC in an RDF literal; the TSV reader already refuses them in a line) and line or paragraph
  separators (Zl, Zp). The finding's value shows the character escaped (``\\u202e``).

Every column is checked, and the ``hpo_label`` column (or the term's ``rdfs:label`` in RDF).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from alskg.errors import printable
from alskg.sources.hpoa import COLUMNS

from .records import SubmittedRow
from .rules import RuleFinding, finding

#: the longest value a submission may hold (characters)
MAX_VALUE_CHARS = 10_000
#: Unicode general categories of characters that are invisible or act on the text around them
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zl", "Zp"})
_SHOWN = 40


def invisible_at(value: str) -> int:
    """Index of the first invisible or control character of ``value``, or -1."""
    if value.isprintable():  # the common case, decided in C
        return -1
    for index, char in enumerate(value):
        if unicodedata.category(char) in INVISIBLE_CATEGORIES:
            return index
    return -1


def _fields(row: SubmittedRow) -> Iterator[tuple[str, str, int, int]]:
    """(field, text as written, line, column where it starts) of every value of the row."""
    for i, name in enumerate(COLUMNS):
        line, column = row.cell_start(i)
        yield name, row.raw[i], line, column
    if row.label:
        yield "hpo_label", row.label, *row.label_position


def text_findings(row: SubmittedRow) -> list[RuleFinding]:
    """The length and invisible-character findings of a row (at most one of each per value)."""
    out: list[RuleFinding] = []
    for name, text, line, column in _fields(row):
        if len(text) > MAX_VALUE_CHARS:
            out.append(finding("HPOA-STRUCT-LENGTH", line, column, name, text[:_SHOWN] + "...",
                               f"{name} is {len(text):,} characters long; the limit is {MAX_VALUE_CHARS:,}",
                               "shorten the value; a cell this long is almost always a paste gone wrong"))
            continue
        at = invisible_at(text)
        if at >= 0:
            char = text[at]
            what = unicodedata.name(char, "control character")
            where = column + at if row.offsets else column
            out.append(finding("HPOA-STRUCT-INVISIBLE", line, where, name, printable(text),
                               f"invisible character U+{ord(char):04X} ({what}) in {name}",
                               "delete it (retype the value by hand); it makes equal-looking values differ"))
    return out


def too_long(findings: list[RuleFinding]) -> bool:
    """True when a value of the row is over the length cap: the other rules then skip the row."""
    return any(f.rule == "HPOA-STRUCT-LENGTH" for f in findings)
