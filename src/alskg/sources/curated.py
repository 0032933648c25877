"""The curated GARD layer: all tables of ``data/``, read, checked and cross-checked.

Source of the facts: the GARD page on ALS (``../shared/sources/gard-als-page.txt``),
the HPO release 2025-01-16 and MONDO's SSSOM mappings 2026-08-04, as each row's
``source`` column says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from alskg.errors import InputError
from alskg.sources.tables import TABLES, Row, read_table, split_multi

HPO_FILES = frozenset({"hp.obo", "phenotype.hpoa", "genes_to_phenotype.txt"})
_MONDO_FILE = re.compile(r"^mondo_[a-z_]+\.sssom\.tsv$")


@dataclass
class CuratedData:
    """Every curated table, by name, each a list of checked rows."""

    data_dir: Path
    tables: dict[str, list[Row]]

    def __getitem__(self, name: str) -> list[Row]:
        return self.tables[name]

    def ids(self, name: str, column: str = "id") -> set[str]:
        return {row[column] for row in self.tables[name]}


def _fail(data: CuratedData, table: str, row: Row, column: str, message: str, value: str) -> InputError:
    spec = TABLES[table]
    col = spec.columns.index(column) + 1 if column in spec.columns else None
    return InputError(message, data.data_dir / spec.filename, int(row["__line__"]), col, value)


def _check_sources(data: CuratedData, sections: set[str], refs: set[str]) -> None:
    for table, rows in data.tables.items():
        columns = TABLES[table].columns
        for row in rows:
            if "source" in columns:
                for item in split_multi(row["source"]):
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
                for ref in split_multi(row["refs"]):
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
            value = row[column]
            if value and value not in known:
                raise _fail(data, table, row, column, f"unknown id: not in {target}.tsv", value)


def read_curated(data_dir: Path) -> CuratedData:
    """Read every table of ``data_dir`` and check the references between them."""
    if not data_dir.is_dir():
        raise InputError("data directory not found", data_dir)
    data = CuratedData(data_dir, {name: read_table(spec, data_dir) for name, spec in TABLES.items()})
    _check_sources(data, data.ids("sections", "section"), data.ids("publications", "ref"))
    _check_links(data)
    return data
