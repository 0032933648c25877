"""The curated GARD layer: all tables of ``data/``, read, checked and cross-checked.

Source of the facts: the GARD page on ALS (``../shared/sources/gard-als-page.txt``),
the HPO release 2025-01-16 and MONDO's SSSOM mappings 2026-08-04, as each row's
``source`` column says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast

from alskg.errors import InputError
from alskg.sources.table_records import MergedAnnotationRow, MergedSubmissionRow
from alskg.sources.tables import TABLES, TableRow, read_table, split_multi

R = TypeVar("R", bound=TableRow)

HPO_FILES = frozenset({"hp.obo", "phenotype.hpoa", "genes_to_phenotype.txt"})
_MONDO_FILE = re.compile(r"^mondo_[a-z_]+\.sssom\.tsv$")


@dataclass
class CuratedData:
    """Every curated table, by name, each a list of checked records (:class:`TableRow`)."""

    data_dir: Path
    tables: dict[str, list[TableRow]]
    #: Rows of ``submitted_annotations.tsv`` whose merge never committed (no record): left out.
    uncommitted: list[MergedAnnotationRow] = field(default_factory=list)

    def __getitem__(self, name: str) -> list[TableRow]:
        return self.tables[name]

    def rows(self, record: type[R]) -> list[R]:
        """The rows of the table whose record class is ``record``, typed as such
        (``data.rows(DiseaseRow)``)."""
        return cast(list[R], self.tables[record.TABLE])

    def ids(self, name: str, column: str = "id") -> set[str]:
        """Every value of ``column`` in table ``name``."""
        return {row[column] for row in self.tables[name]}


def _fail(data: CuratedData, table: str, row: TableRow, column: str, message: str, value: str) -> InputError:
    spec = TABLES[table]
    col = spec.columns.index(column) + 1 if column in spec.columns else None
    return InputError(message, data.data_dir / spec.filename, row.line, col, value)


def _check_sources(data: CuratedData, sections: set[str], refs: set[str]) -> None:
    for table, rows in data.tables.items():
        columns = TABLES[table].columns
        for row in rows:
            if "source" in columns:
                for item in split_multi(row.get("source")):
                    kind, _, where = item.partition(":")
                    ok = (
                        (kind == "gard" and where in sections)
                        or (kind == "hpo" and where in HPO_FILES)
                        or (kind == "mondo" and bool(_MONDO_FILE.match(where)))
                    )
                    if not ok:
                        raise _fail(data, table, row, "source",
                                    "source must be gard:<section>, hpo:<release file> or mondo:<sssom file>", item)
            if "refs" in columns:
                for ref in split_multi(row.get("refs")):
                    if ref not in refs:
                        raise _fail(data, table, row, "refs", "reference number not in publications.tsv", ref)


_LINKS: tuple[tuple[str, str, str], ...] = (
    ("diseases", "parent", "diseases"),
    ("phenotypes", "disease", "diseases"),
    ("inheritance", "disease", "diseases"),
    ("characteristics", "subject", "diseases"),
    ("genes", "disease", "diseases"),
    ("treatments", "disease", "diseases"),
    ("treatments", "drug", "drugs"),
    ("approvals", "drug", "drugs"),
    ("drugs", "active_ingredient", "drugs"),
    ("xrefs", "subject", "diseases"),
    ("submitted_annotations", "submission", "submissions"),
)


def _check_links(data: CuratedData) -> None:
    for table, column, target in _LINKS:
        known = data.ids(target)
        for row in data[table]:
            value = row.get(column)
            if value and value not in known:
                raise _fail(data, table, row, column, f"unknown id: not in {target}.tsv", value)


def read_submitted(
    data_dir: Path,
) -> tuple[list[MergedSubmissionRow], list[MergedAnnotationRow], list[MergedAnnotationRow]]:
    """The merged submissions: (records, their rows, rows of merges that never committed).

    ``alskg submit`` renames the rows into place first and the record last, so the record is
    the commit point: rows whose submission has no record belong to a merge that was
    interrupted between the two renames, and are not part of the data. Reading the records
    *before* the rows gives a consistent view even while a submit renames them (a record
    read implies its rows were already in place)."""
    records = cast(list[MergedSubmissionRow], read_table(TABLES["submissions"], data_dir))
    rows = cast(list[MergedAnnotationRow], read_table(TABLES["submitted_annotations"], data_dir))
    committed = {record.id for record in records}
    return (records, [r for r in rows if r.submission in committed],
            [r for r in rows if r.submission not in committed])


def read_curated(data_dir: Path) -> CuratedData:
    """Read every table of ``data_dir`` and check the references between them."""
    if not data_dir.is_dir():
        raise InputError("data directory not found", data_dir)
    records, rows, uncommitted = read_submitted(data_dir)
    submitted: dict[str, list[TableRow]] = {"submissions": list(records), "submitted_annotations": list(rows)}
    data = CuratedData(data_dir, {name: submitted[name] if name in submitted else read_table(spec, data_dir)
                                  for name, spec in TABLES.items()}, uncommitted)
    _check_sources(data, data.ids("sections", "section"), data.ids("publications", "ref"))
    _check_links(data)
    return data
