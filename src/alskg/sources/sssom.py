"""Reader of SSSOM mapping tables (MONDO's ``mondo_*.sssom.tsv``, gzipped or plain).

Source: MONDO's mapping sets, release 2026-08-04, CC0 1.0
(``http://purl.obolibrary.org/obo/mondo/releases/2026-08-04/mappings/``), shipped unedited and
gzipped in ``data/mondo/`` with a manifest of their SHA-256 (:mod:`alskg.mondo`). Format: a
``#``-commented YAML header (curie_map, license, mapping_set_id, mapping_set_version, …), then a
tab-separated table whose header names the columns; MONDO's files have ``subject_id
subject_label predicate_id object_id [object_label] mapping_justification``.

The reader yields one typed :class:`Mapping` per row and raises InputError with file and line
on a missing required column, a wrong field count or text that is not UTF-8.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from alskg.errors import InputError

REQUIRED = ("subject_id", "predicate_id", "object_id")
#: The columns a :class:`Mapping` holds, in its field order.
COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification")
#: MONDO marks a retired class by its label (``obsolete …``); the SSSOM files carry no other flag.
OBSOLETE_PREFIX = "obsolete "


@dataclass(frozen=True, slots=True)
class Mapping:
    """One row of a mapping set, with its 1-based line number in the (uncompressed) file."""

    line: int
    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    mapping_justification: str

    @property
    def obsolete(self) -> bool:
        """True when the subject is a retired MONDO class (its label starts ``obsolete ``)."""
        return self.subject_label.startswith(OBSOLETE_PREFIX)


@dataclass(frozen=True)
class MappingSetHeader:
    """The ``# key: value`` lines of the header (nested YAML such as ``curie_map`` is kept apart)."""

    fields: dict[str, str]
    curie_map: dict[str, str]

    @property
    def version(self) -> str:
        """``mapping_set_version`` (MONDO writes the versioned URL of the file)."""
        return self.fields.get("mapping_set_version", "")

    @property
    def license(self) -> str:
        return self.fields.get("license", "")


def open_text(path: Path) -> IO[str]:
    """``path`` opened as UTF-8 text, decompressing a ``.gz`` file; InputError when missing."""
    try:
        raw: IO[bytes] = gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")
    except FileNotFoundError:
        raise InputError("missing SSSOM mapping file", path) from None
    return io.TextIOWrapper(raw, encoding="utf-8", newline="")


def _decoded(handle: IO[str], path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line without its newline), turning a bad byte or gzip stream into InputError."""
    number = 0
    try:
        for number, line in enumerate(handle, start=1):  # noqa: B007 - number is used after the loop
            yield number, line.rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text", path, number + 1, value=exc.object[exc.start:exc.start + 4].hex(" ")) from None
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise InputError(f"not a readable gzip file ({exc})", path, number + 1) from None


def read_header(path: Path) -> MappingSetHeader:
    """The ``#`` header of a mapping set (top-level keys and the ``curie_map`` entries)."""
    fields: dict[str, str] = {}
    curie_map: dict[str, str] = {}
    with open_text(path) as handle:
        for _, line in _decoded(handle, path):
            if not line.startswith("#"):
                break
            body = line[1:]
            key, _, value = body.strip().partition(":")
            if body.startswith("   ") and value:  # an entry of a nested map (curie_map)
                curie_map[key.strip()] = value.strip()
            elif value.strip():
                fields[key.strip()] = value.strip()
    return MappingSetHeader(fields, curie_map)


def iter_mappings(path: Path) -> Iterator[Mapping]:
    """Every mapping row in file order; columns found by name from the table's header row."""
    with open_text(path) as handle:
        columns: list[str] | None = None
        where: tuple[int, ...] = ()
        for number, line in _decoded(handle, path):
            if line.startswith("#") or not line:
                continue
            fields = line.split("\t")
            if columns is None:
                columns = list(fields)
                missing = [c for c in REQUIRED if c not in columns]
                if missing:
                    raise InputError(f"SSSOM header row lacks column(s) {', '.join(missing)}", path, number, 1)
                fields.append("")  # optional columns a set lacks read as empty
                where = tuple(columns.index(c) if c in columns else len(columns) for c in COLUMNS)
                continue
            if len(fields) != len(columns):
                raise InputError(f"expected {len(columns)} tab-separated fields, found {len(fields)}",
                                 path, number, 1)
            fields.append("")
            values = [fields[i] for i in where]
            for name in REQUIRED:
                if not values[COLUMNS.index(name)]:
                    raise InputError(f"required column {name!r} is empty", path, number, columns.index(name) + 1)
            yield Mapping(number, *values)
        if columns is None:
            raise InputError("SSSOM file has no header row", path)
