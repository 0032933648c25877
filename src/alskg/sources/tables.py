"""Reader and linter of the curated TSV tables in ``data/``.

Each table has a :class:`TableSpec`: its columns in order, its key (which is also its sort
order), which columns hold CURIEs, which are required and which take a closed set of
values. Reading checks all of it and raises :class:`InputError` naming file, line and
column; :func:`canonical_text` gives the one canonical form that ``alskg data lint`` checks.

The spec is the single source of each table's typed record (:class:`TableRow`, one frozen
dataclass per table, e.g. ``DiseaseRow``): :func:`records_module_source` writes them into
:mod:`alskg.sources.table_records` (``python scripts/gen_records.py``; a test checks that the
module is fresh), and reading yields them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast

from alskg.errors import InputError
from alskg.sources import hpoa
from alskg.sources.page import SECTIONS as PAGE_SECTIONS
from alskg.sources.table_records import RECORDS, TableRow
from alskg.vocab import has_known_prefix, is_curie

R = TypeVar("R", bound=TableRow)

__all__ = ["TABLES", "TableRow", "TableSpec", "canonical_text", "parse_table", "read_rows", "read_table",
           "records_module_source", "sort_key", "split_multi"]


@dataclass(frozen=True)
class TableSpec:
    """The declared shape of one curated table, and the name of its record class."""

    name: str
    record: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    required: frozenset[str]
    curie_columns: frozenset[str] = frozenset()
    multi_curie_columns: frozenset[str] = frozenset()
    enums: dict[str, frozenset[str]] = field(default_factory=dict)
    numeric_key: bool = False

    @property
    def filename(self) -> str:
        return f"{self.name}.tsv"

    @property
    def record_class(self) -> type[TableRow]:
        """The generated record class of this table (:mod:`alskg.sources.table_records`)."""
        return RECORDS[self.name]


def _spec(name: str, record: str, columns: str, key: str, required: str, **kw: object) -> TableSpec:
    return TableSpec(name, record, tuple(columns.split()), tuple(key.split()),  # type: ignore[arg-type]
                     frozenset(required.split()), **kw)


_SCOPES = frozenset({"exact", "narrow", "broad", "related"})
#: The page's qualifying words, kept so that a hedged statement is not read as a certain one.
HEDGES = frozenset({"", "often", "may", "eventually", "usually", "most", "less-frequently", "rarely"})

TABLES: dict[str, TableSpec] = {
    s.name: s
    for s in (
        _spec("sections", "SectionRow", "section title last_updated description", "section", "section title"),
        _spec(
            "publications", "PublicationRow",
            "ref id authors title venue date volume issue pages bookshelf_id url source",
            "ref", "ref id title date source", numeric_key=True,
        ),
        _spec(
            "diseases", "DiseaseRow",
            "id label parent role definition source refs", "id", "id label role source",
            curie_columns=frozenset({"id", "parent"}),
            enums={"role": frozenset({"disease", "subtype", "family-member", "case-group"})},
        ),
        _spec(
            "synonyms", "SynonymRow",
            "entity synonym scope type source", "entity synonym", "entity synonym scope source",
            curie_columns=frozenset({"entity"}),
            enums={"scope": _SCOPES, "type": frozenset({"", "layperson", "abbreviation"})},
        ),
        _spec(
            "xrefs", "XrefRow", "subject predicate object object_label source", "subject object",
            "subject predicate object source",
            curie_columns=frozenset({"subject", "object"}),
            enums={"predicate": frozenset({"skos:exactMatch", "skos:closeMatch", "oboInOwl:hasDbXref"})},
        ),
        _spec(
            "phenotypes", "PhenotypeRow", "disease phenotype page_label frequency_band frequency source refs",
            "disease phenotype", "disease phenotype page_label frequency_band source",
            curie_columns=frozenset({"disease", "phenotype", "frequency"}),
            enums={
                "frequency_band": frozenset({"100%", "80%-99%", "30%-79%", "5%-29%", "1%-4%", "0%", "not available"}),
                "frequency": frozenset({"", *(f"HP:004028{i}" for i in range(6))}),
            },
        ),
        _spec(
            "inheritance", "InheritanceRow",
            "disease mode page_label source refs", "disease mode source", "disease mode source",
            curie_columns=frozenset({"disease", "mode"}),
        ),
        _spec(
            "characteristics", "CharacteristicRow",
            "id subject characteristic object value value_min value_max unit approximate hedge source refs",
            "id", "id subject characteristic approximate source",
            curie_columns=frozenset({"subject", "object"}),
            enums={
                "characteristic": frozenset(
                    {"proportion_of_cases", "mean_onset_age", "survival_after_onset", "usual_cause_of_death",
                     "early_symptom", "late_feature", "inheritance_mode_share", "recurrence_risk", "carrier_risk",
                     "mistaken_for_sporadic", "more_severe_in_males"}
                ),
                "unit": frozenset({"", "percent", "year"}),
                "approximate": frozenset({"true", "false"}),
                "hedge": HEDGES,
            },
        ),
        _spec(
            "genes", "GeneRow",
            "disease gene symbol predicate source", "disease gene", "disease gene symbol predicate source",
            curie_columns=frozenset({"disease", "gene"}),
            # Biolink's GeneToDiseasePredicateEnum, and causes (for a source that says a gene is causal)
            enums={"predicate": frozenset({"biolink:associated_with", "biolink:contributes_to", "biolink:affects",
                                           "biolink:causes"})},
        ),
        _spec(
            "drugs", "DrugRow",
            "id label kind active_ingredient dosage_form route description source refs", "id",
            "id label kind source",
            curie_columns=frozenset({"id", "active_ingredient"}),
            enums={"kind": frozenset({"drug", "product"})},
        ),
        _spec(
            "treatments", "TreatmentRow", "drug disease source refs", "drug disease", "drug disease source",
            curie_columns=frozenset({"drug", "disease"}),
        ),
        _spec(
            "approvals", "ApprovalRow",
            "drug jurisdiction agency status as_of source refs", "drug jurisdiction status",
            "drug jurisdiction status source",
            curie_columns=frozenset({"drug"}),
            enums={"status": frozenset({"approved", "pending"})},
        ),
        _spec(
            "care_roles", "CareRoleRow", "id label description source refs", "id", "id label source",
            curie_columns=frozenset({"id"}),
        ),
        _spec(
            "care_plan", "CarePlanRow",
            "id label kind description source refs", "id", "id label kind description source",
            curie_columns=frozenset({"id"}),
            enums={"kind": frozenset({"goal", "approach"})},
        ),
        _spec(
            "diagnostics", "DiagnosticRow",
            "id label kind purpose description source refs", "id purpose", "id label kind purpose source",
            curie_columns=frozenset({"id"}),
            enums={
                "kind": frozenset({"finding", "test"}),
                "purpose": frozenset(
                    {"upper-motor-neuron-sign", "lower-motor-neuron-sign", "rule-out", "after-diagnosis", "suspicion"}
                ),
            },
        ),
        _spec(
            "resources", "ResourceRow",
            "id label category maintainer description source", "id", "id label category source",
            curie_columns=frozenset({"id"}),
        ),
        # Every sentence or cell of the page (alskg.sources.page) and the rows that hold it; a unit with
        # no row is one that docs/curation-notes.md lists as deliberately left out. Not mapped to RDF.
        _spec(
            "page_sentences", "PageSentenceRow", "unit section text held_by", "unit", "unit section text",
            enums={"section": frozenset(PAGE_SECTIONS)},
        ),
        # Curator submissions merged by `alskg submit` (alskg.submission.merge): the 12 HPOA
        # columns plus the submission id, and one record per accepted submission.
        # (columns, required ones and coded values: alskg.sources.hpoa; the key is the annotation's
        # key in the table's sort order).
        _spec(
            "submitted_annotations", "MergedAnnotationRow",
            " ".join((*hpoa.COLUMNS, "submission")),
            "database_id hpo_id qualifier reference evidence onset frequency sex modifier aspect",
            " ".join((*hpoa.REQUIRED, "submission")),
            curie_columns=frozenset({"database_id", "hpo_id", "onset"}),
            enums={
                "qualifier": frozenset({"", *hpoa.QUALIFIERS}),
                "evidence": frozenset(hpoa.EVIDENCE_CODES),
                "sex": frozenset({"", *hpoa.SEXES}),
                "aspect": frozenset(hpoa.ASPECT_CODES),
            },
        ),
        _spec(
            "submissions", "MergedSubmissionRow", "id file_name sha256 curators date annotations", "id",
            "id file_name sha256 curators date annotations",
        ),
    )
}


def _check_curie(value: str, path: Path, line: int, col: int) -> None:
    if not is_curie(value):
        raise InputError("malformed CURIE: expected PREFIX:local with no spaces", path, line, col, value)
    if not has_known_prefix(value):
        raise InputError("unknown CURIE prefix", path, line, col, value)


def _check_row(spec: TableSpec, row: dict[str, str], path: Path, line: int) -> None:
    for col, name in enumerate(spec.columns, start=1):
        value = row[name]
        if value != value.strip():
            raise InputError(f"column {name!r} has leading or trailing spaces", path, line, col, value)
        if name in spec.required and not value:
            raise InputError(f"required column {name!r} is empty", path, line, col)
        if value and name in spec.curie_columns:
            _check_curie(value, path, line, col)
        allowed = spec.enums.get(name)
        if allowed is not None and value not in allowed:
            raise InputError(f"column {name!r} must be one of {sorted(allowed)}", path, line, col, value)
    if spec.numeric_key and not (row[spec.key[0]].isascii() and row[spec.key[0]].isdigit()):
        raise InputError(f"column {spec.key[0]!r} must be a whole number", path, line, 1, row[spec.key[0]])


def parse_table(spec: TableSpec, text: str, path: Path) -> list[TableRow]:
    """Parse and check the text of one table into its records; each keeps its 1-based ``line``."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise InputError("empty table: expected a header row", path, 1, 1)
    header = lines[0].rstrip("\r").split("\t")
    if tuple(header) != spec.columns:
        raise InputError(f"header must be: {chr(9).join(spec.columns)!r}", path, 1, 1, lines[0])
    rows: list[TableRow] = []
    seen: dict[tuple[str, ...], int] = {}
    for number, raw in enumerate(lines[1:], start=2):
        fields = raw.rstrip("\r").split("\t")
        if len(fields) != len(spec.columns):
            raise InputError(
                f"expected {len(spec.columns)} tab-separated fields, found {len(fields)}", path, number, 1, raw[:80]
            )
        row = dict(zip(spec.columns, fields))
        _check_row(spec, row, path, number)
        key = tuple(row[k] for k in spec.key)
        if key in seen:
            raise InputError(f"duplicate key {key} (first on line {seen[key]})", path, number, 1)
        seen[key] = number
        rows.append(spec.record_class(**row, line=number))
    return rows


def read_table(spec: TableSpec, data_dir: Path) -> list[TableRow]:
    """Read one table from ``data_dir``; a missing or undecodable file is an InputError."""
    path = data_dir / spec.filename
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("missing data table", path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path) from None
    return parse_table(spec, text, path)


def read_rows(record: type[R], data_dir: Path) -> list[R]:
    """Read the table whose record class is ``record`` (``read_rows(DiseaseRow, data_dir)``),
    typed as that class."""
    return cast(list[R], read_table(TABLES[record.TABLE], data_dir))


def sort_key(spec: TableSpec, row: TableRow | Mapping[str, str]) -> tuple[object, ...]:
    """The canonical order of rows: by key, numerically where the key is a number."""
    if spec.numeric_key:
        return (int(row[spec.key[0]]),)
    return tuple(row[k] for k in spec.key)


def canonical_text(spec: TableSpec, rows: Iterable[TableRow | Mapping[str, str]]) -> str:
    """The canonical rendering of a table: header, rows sorted by key, LF endings (rows are
    records, or plain mappings of column to cell)."""
    body = sorted(rows, key=lambda r: sort_key(spec, r))
    out = ["\t".join(spec.columns)] + ["\t".join(r[c] for c in spec.columns) for r in body]
    return "\n".join(out) + "\n"


def split_multi(value: str) -> list[str]:
    """Split a ``;``-separated cell into its non-empty parts."""
    return [part for part in value.split(";") if part]


_RECORDS_HEADER = '''"""Typed records of the curated tables: one frozen dataclass per table of ``data/``.

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
'''


def _wrapped(opening: str, items: list[str], closing: str, width: int = 100) -> list[str]:
    """``opening`` + items + ``closing`` on one line, or the items on indented lines when too long."""
    flat = opening + " ".join(items).rstrip(",") + ("," if len(items) == 1 else "") + closing
    if len(flat) <= width:
        return [flat]
    return [opening, *textwrap.wrap(" ".join(items), width, initial_indent=" " * 8,
                                    subsequent_indent=" " * 8, break_on_hyphens=False), "    " + closing]


def _docstring(text: str, width: int = 100) -> list[str]:
    """A class docstring, wrapped at ``width``."""
    lines = textwrap.wrap(text, width - 7, break_on_hyphens=False)
    if len(lines) == 1:
        return [f'    """{lines[0]}"""']
    return [f'    """{lines[0]}', *(f"    {line}" for line in lines[1:]), '    """']


def _record_class_source(spec: TableSpec) -> str:
    key = ", ".join(spec.key)
    lines = [
        "",
        "",
        "@dataclass(frozen=True, slots=True)",
        f"class {spec.record}(TableRow):",
        *_docstring(f"One row of ``data/{spec.filename}`` (key: {key})."),
        "",
        f'    TABLE: ClassVar[str] = "{spec.name}"',
        *_wrapped("    COLUMNS: ClassVar[tuple[str, ...]] = (", [f'"{c}",' for c in spec.columns], ")"),
        "",
        *(f"    {column}: str" for column in spec.columns),
        "    line: int = 0",
    ]
    return "\n".join(lines) + "\n"


def records_module_source(specs: Iterable[TableSpec] | None = None) -> str:
    """The text of :mod:`alskg.sources.table_records`: a record class per table spec and
    ``RECORDS`` (table name → class)."""
    specs = list(TABLES.values() if specs is None else specs)
    body = "".join(_record_class_source(spec) for spec in specs)
    index = "\n".join(f'    "{spec.name}": {spec.record},' for spec in specs)
    return (_RECORDS_HEADER + body + "\n\n#: Table name → its record class.\n"
            f"RECORDS: dict[str, type[TableRow]] = {{\n{index}\n}}\n")
