"""Typed records of the curated tables: one frozen dataclass per table of ``data/``.

GENERATED from the table specs in :mod:`alskg.sources.tables` by ``python scripts/gen_records.py``;
do not edit by hand (``tests/test_tables.py`` checks that this module is fresh). Every column
is a cell of text (``""`` when empty; ``;``-separated lists are split with
:func:`alskg.sources.tables.split_multi`); ``line`` is the row's 1-based line in its file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class TableRow:
    """One checked row of a curated table; ``row.column`` reads a cell.

    ``row["column"]`` and ``row.get("column", default)`` read one by name too, for code that
    picks the column at run time (a table's key, a shared ``refs`` column).
    """

    TABLE: ClassVar[str] = ""
    COLUMNS: ClassVar[tuple[str, ...]] = ()

    def __getitem__(self, column: str) -> str:
        if column == "__line__":  # the dict rows' line key, kept while build.py moves to ``row.line``
            return str(self.line)
        if column not in self.COLUMNS:
            raise KeyError(column)
        value: str = getattr(self, column)
        return value

    def get(self, column: str, default: str = "") -> str:
        """The cell of ``column``, or ``default`` when the table has no such column."""
        return self[column] if column in self.COLUMNS else default

    def cells(self) -> tuple[str, ...]:
        """The cells in the table's column order."""
        return tuple(self[c] for c in self.COLUMNS)

    def as_dict(self) -> dict[str, str]:
        """Column → cell, in the table's column order (``line`` left out)."""
        return {c: self[c] for c in self.COLUMNS}


@dataclass(frozen=True, slots=True)
class SectionRow(TableRow):
    """One row of ``data/sections.tsv`` (key: section)."""

    TABLE: ClassVar[str] = "sections"
    COLUMNS: ClassVar[tuple[str, ...]] = ("section", "title", "last_updated", "description")

    section: str
    title: str
    last_updated: str
    description: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class PublicationRow(TableRow):
    """One row of ``data/publications.tsv`` (key: ref)."""

    TABLE: ClassVar[str] = "publications"
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "ref", "id", "authors", "title", "venue", "date", "volume", "issue", "pages",
        "bookshelf_id", "url", "source",
    )

    ref: str
    id: str
    authors: str
    title: str
    venue: str
    date: str
    volume: str
    issue: str
    pages: str
    bookshelf_id: str
    url: str
    source: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class DiseaseRow(TableRow):
    """One row of ``data/diseases.tsv`` (key: id)."""

    TABLE: ClassVar[str] = "diseases"
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "id", "label", "parent", "role", "definition", "source", "refs",
    )

    id: str
    label: str
    parent: str
    role: str
    definition: str
    source: str
    refs: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class SynonymRow(TableRow):
    """One row of ``data/synonyms.tsv`` (key: entity, synonym)."""

    TABLE: ClassVar[str] = "synonyms"
    COLUMNS: ClassVar[tuple[str, ...]] = ("entity", "synonym", "scope", "type", "source")

    entity: str
    synonym: str
    scope: str
    type: str
    source: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class XrefRow(TableRow):
    """One row of ``data/xrefs.tsv`` (key: subject, object)."""

    TABLE: ClassVar[str] = "xrefs"
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "subject", "predicate", "object", "object_label", "source",
    )

    subject: str
    predicate: str
    object: str
    object_label: str
    source: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class PhenotypeRow(TableRow):
    """One row of ``data/phenotypes.tsv`` (key: disease, phenotype)."""

    TABLE: ClassVar[str] = "phenotypes"
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "disease", "phenotype", "page_label", "frequency_band", "frequency", "source", "refs",
    )

    disease: str
    phenotype: str
    page_label: str
    frequency_band: str
    frequency: str
    source: str
    refs: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class InheritanceRow(TableRow):
    """One row of ``data/inheritance.tsv`` (key: disease, mode, source)."""

    TABLE: ClassVar[str] = "inheritance"
    COLUMNS: ClassVar[tuple[str, ...]] = ("disease", "mode", "page_label", "source", "refs")

    disease: str
    mode: str
    page_label: str
    source: str
    refs: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class CharacteristicRow(TableRow):
    """One row of ``data/characteristics.tsv`` (key: id)."""

    TABLE: ClassVar[str] = "characteristics"
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "id", "subject", "characteristic", "object", "value", "value_min", "value_max", "unit",
        "approximate", "hedge", "source", "refs",
    )

    id: str
    subject: str
    characteristic: str
    object: str
    value: str
    value_min: str
    value_max: str
    unit: str
    approximate: str
    hedge: str
    source: str
    refs: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class GeneRow(TableRow):
    """One row of ``data/genes.tsv`` (key: disease, gene)."""

    TABLE: ClassVar[str] = "genes"
    COLUMNS: ClassVar[tuple[str, ...]] = ("disease", "gene", "symbol", "predicate", "source")

    disease: str
    gene: str
    symbol: str
    predicate: str
    source: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class DrugRow(TableRow):
    """One row of ``data/drugs.tsv`` (key: id)."""

    TABLE: ClassVar[str] = "drugs"
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "id", "label", "kind", "active_ingredient", "dosage_form", "route", "description", "source",
        "refs",
    )

    id: str
    label: str
    kind: str
    active_ingredient: str
    dosage_form: str
    route: str
    description: str
    source: str
    refs: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class TreatmentRow(TableRow):
    """One row of ``data/treatments.tsv`` (key: drug, disease)."""

    TABLE: ClassVar[str] = "treatments"
    COLUMNS: ClassVar[tuple[str, ...]] = ("drug", "disease", "source", "refs")

    drug: str
    disease: str
    source: str
    refs: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class ApprovalRow(TableRow):
    """One row of ``data/approvals.tsv`` (key: drug, jurisdiction, status)."""

    TABLE: ClassVar[str] = "approvals"
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "drug", "jurisdiction", "agency", "status", "as_of", "source", "refs",
    )

    drug: str
    jurisdiction: str
    agency: str
    status: str
    as_of: str
    source: str
    refs: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class CareRoleRow(TableRow):
    """One row of ``data/care_roles.tsv`` (key: id)."""

    TABLE: ClassVar[str] = "care_roles"
    COLUMNS: ClassVar[tuple[str, ...]] = ("id", "label", "description", "source", "refs")

    id: str
    label: str
    description: str
    source: str
    refs: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class CarePlanRow(TableRow):
    """One row of ``data/care_plan.tsv`` (key: id)."""

    TABLE: ClassVar[str] = "care_plan"
    COLUMNS: ClassVar[tuple[str, ...]] = ("id", "label", "kind", "description", "source", "refs")

    id: str
    label: str
    kind: str
    description: str
    source: str
    refs: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class DiagnosticRow(TableRow):
    """One row of ``data/diagnostics.tsv`` (key: id, purpose)."""

    TABLE: ClassVar[str] = "diagnostics"
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "id", "label", "kind", "purpose", "description", "source", "refs",
    )

    id: str
    label: str
    kind: str
    purpose: str
    description: str
    source: str
    refs: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class ResourceRow(TableRow):
    """One row of ``data/resources.tsv`` (key: id)."""

    TABLE: ClassVar[str] = "resources"
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "id", "label", "category", "maintainer", "description", "source",
    )

    id: str
    label: str
    category: str
    maintainer: str
    description: str
    source: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class PageSentenceRow(TableRow):
    """One row of ``data/page_sentences.tsv`` (key: unit)."""

    TABLE: ClassVar[str] = "page_sentences"
    COLUMNS: ClassVar[tuple[str, ...]] = ("unit", "section", "text", "held_by")

    unit: str
    section: str
    text: str
    held_by: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class MergedAnnotationRow(TableRow):
    """One row of ``data/submitted_annotations.tsv`` (key: database_id, hpo_id, qualifier,
    reference, evidence, onset, frequency, sex, modifier, aspect).
    """

    TABLE: ClassVar[str] = "submitted_annotations"
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "database_id", "disease_name", "qualifier", "hpo_id", "reference", "evidence", "onset",
        "frequency", "sex", "modifier", "aspect", "biocuration", "submission",
    )

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
    submission: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class MergedSubmissionRow(TableRow):
    """One row of ``data/submissions.tsv`` (key: id)."""

    TABLE: ClassVar[str] = "submissions"
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "id", "file_name", "sha256", "curators", "date", "annotations",
    )

    id: str
    file_name: str
    sha256: str
    curators: str
    date: str
    annotations: str
    line: int = 0


#: Table name → its record class.
RECORDS: dict[str, type[TableRow]] = {
    "sections": SectionRow,
    "publications": PublicationRow,
    "diseases": DiseaseRow,
    "synonyms": SynonymRow,
    "xrefs": XrefRow,
    "phenotypes": PhenotypeRow,
    "inheritance": InheritanceRow,
    "characteristics": CharacteristicRow,
    "genes": GeneRow,
    "drugs": DrugRow,
    "treatments": TreatmentRow,
    "approvals": ApprovalRow,
    "care_roles": CareRoleRow,
    "care_plan": CarePlanRow,
    "diagnostics": DiagnosticRow,
    "resources": ResourceRow,
    "page_sentences": PageSentenceRow,
    "submitted_annotations": MergedAnnotationRow,
    "submissions": MergedSubmissionRow,
}
