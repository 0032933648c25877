"""Is a downloaded HPO release file whole? Checks of content, not just of bytes.

A download that stops at a line boundary without a ``Content-Length`` looks complete to
HTTP. The files say enough about themselves to catch it:

- ``phenotype.hpoa`` declares its disease counts per source in its first line
  (``#description: "HPO annotations for rare diseases [8359: OMIM; 47: DECIPHER; 4283
  ORPHANET]"``); the distinct disease ids of its rows, counted per prefix, must match. The
  declaration is not exact: the 2025-01-16 release holds 8359 OMIM, 47 DECIPHER and 4281
  ORPHA ids, so counts within 0.1% (rounded up) of the declared ones are accepted, and a cut
  that removes more diseases than that is refused.
- ``hp.obo`` has ``format-version`` and ``data-version`` header lines and ends with a whole
  stanza (one with ``id`` and ``name``) and a line end.
- ``genes_to_phenotype.txt`` has its column header, and every row its six fields.

Every file must end with a line end (a cut inside a line), and every row must have its full
number of fields. Errors are :class:`~alskg.errors.InputError` naming file and line.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from alskg.errors import InputError
from alskg.sources.genes import HEADER as GENES_HEADER
from alskg.sources.hpoa import COLUMNS as HPOA_COLUMNS

#: How the ``#description`` line names each source, and the id prefix of its diseases.
DECLARED_SOURCES = {"OMIM": "OMIM", "DECIPHER": "DECIPHER", "ORPHANET": "ORPHA"}
#: Allowed difference between declared and counted diseases, as a fraction of the declared.
COUNT_TOLERANCE = 0.001
_HINT = "the download is incomplete or not an HPO release file: run again, or check the URL"


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Numbered lines (bytes, without their line end); refuses a file whose last line has none."""
    last, number = b"", 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            last = raw
            yield number, raw.rstrip(b"\r\n")
    if last and not last.endswith(b"\n"):
        raise InputError(f"the last line is cut (no line end): {_HINT}", path, number)


def _text(line: bytes, path: Path, number: int) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start}): {_HINT}", path, number) from None


def _fields(tabs: int, line: bytes, path: Path, number: int) -> InputError:
    found = line.count(b"\t") + 1
    return InputError(f"expected {tabs + 1} tab-separated fields, found {found}: {_HINT}", path, number)


def parse_declared(description: str, path: Path) -> dict[str, int]:
    """Disease counts per id prefix from a ``#description`` value ``"… [N: OMIM; N ORPHANET]"``."""
    _, bracket, rest = description.rpartition("[")
    body, closing, _ = rest.partition("]")
    if not bracket or not closing:
        raise InputError(f"#description declares no disease counts ('[N: OMIM; …]'): {_HINT}", path, 1,
                         value=description)
    declared: dict[str, int] = {}
    for item in body.split(";"):
        number, _, name = item.strip().partition(" ")
        number = number.rstrip(":")
        name = name.strip()
        if not (number.isascii() and number.isdigit()) or name not in DECLARED_SOURCES:
            raise InputError(f"cannot read the disease count {item.strip()!r} of #description: {_HINT}",
                             path, 1, value=description)
        declared[DECLARED_SOURCES[name]] = int(number)
    return declared


def check_hpoa(path: Path) -> None:
    """``phenotype.hpoa``: header counts against distinct disease ids per prefix."""
    declared: dict[str, int] | None = None
    seen: set[bytes] = set()
    header_seen, tabs = False, len(HPOA_COLUMNS) - 1
    for number, line in _lines(path):
        if line.startswith(b"#"):
            if number == 1 and line.startswith(b"#description:"):
                declared = parse_declared(_text(line, path, 1).partition(":")[2].strip().strip('"'), path)
            continue
        if not header_seen:
            if tuple(_text(line, path, number).split("\t")) != HPOA_COLUMNS:
                raise InputError(f"expected the column header {chr(9).join(HPOA_COLUMNS)!r}: {_HINT}",
                                 path, number, value=_text(line[:80], path, number))
            header_seen = True
            continue
        if line.count(b"\t") != tabs:
            raise _fields(tabs, line, path, number)
        seen.add(line[:line.index(b"\t")])
    if declared is None:
        raise InputError(f"line 1 is not the '#description: … [N: OMIM; …]' line: {_HINT}", path, 1)
    counted = Counter(disease.partition(b":")[0].decode("utf-8", "replace") for disease in seen)
    for prefix in sorted(set(declared) | set(counted)):
        want, have = declared.get(prefix, 0), counted.get(prefix, 0)
        if abs(want - have) > math.ceil(want * COUNT_TOLERANCE):
            raise InputError(f"the header declares {want} {prefix} diseases but the rows name {have}: {_HINT}",
                             path, 1)


def check_obo(path: Path) -> None:
    """``hp.obo``: format and data version in the header; the last stanza whole."""
    header: set[bytes] = set()
    stanza: set[bytes] = set()
    in_header, stanzas = True, 0
    for _, line in _lines(path):
        if line.startswith(b"["):
            in_header, stanza, stanzas = False, set(), stanzas + 1
            continue
        tag, colon, _ = line.partition(b":")
        if colon:
            (header if in_header else stanza).add(tag)
    for tag in (b"format-version", b"data-version"):
        if tag not in header:
            raise InputError(f"the header has no {tag.decode()} line: {_HINT}", path, 1)
    if not stanzas or not {b"id", b"name"} <= stanza:
        raise InputError(f"the last stanza is incomplete (no id or name): {_HINT}", path)


def check_genes(path: Path) -> None:
    """``genes_to_phenotype.txt``: the column header, then rows of six fields."""
    tabs = len(GENES_HEADER) - 1
    for number, line in _lines(path):
        if number == 1:
            if tuple(_text(line, path, 1).split("\t")) != GENES_HEADER:
                raise InputError(f"expected the column header {chr(9).join(GENES_HEADER)!r}: {_HINT}",
                                 path, 1, value=_text(line[:80], path, 1))
        elif line.count(b"\t") != tabs:
            raise _fields(tabs, line, path, number)


CHECKS: dict[str, Callable[[Path], None]] = {
    "hp.obo": check_obo,
    "phenotype.hpoa": check_hpoa,
    "genes_to_phenotype.txt": check_genes,
}


def check_sssom(path: Path) -> None:
    """A MONDO SSSOM mapping set: every line ends, and every row has the header's fields.

    A gzipped set carries its own length and CRC, which reading it whole checks."""
    from alskg.sources.sssom import iter_mappings

    if not path.name.endswith(".gz"):
        for _ in _lines(path):
            pass
    for _ in iter_mappings(path):
        pass


def check_release_file(name: str, path: Path) -> None:
    """Refuse ``path`` (release file ``name``) unless its content shows it whole."""
    CHECKS.get(name, check_sssom if name.endswith((".sssom.tsv", ".sssom.tsv.gz")) else _unknown)(path)


def _unknown(path: Path) -> None:
    raise InputError("not a file of a known release: no content check for it", path)
