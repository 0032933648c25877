"""The rows of ``disease-page-phenotypes``, assembled in Python from two long tables.

``disease-page-phenotypes`` asks one OPTIONAL lookup per column and annotation; on a whole
release (~270k annotations, on disk) that runs for many minutes. The site instead reads
``disease-page-phenotype-values`` (association, property, value) and ``disease-page-node-values``
(node, property, value), each a plain scan, and pivots them here with the same semantics as the
packaged query: every combination of a multi-valued optional is a row, ``COALESCE`` takes the
first bound value, and rows are sorted by the query's ``ORDER BY`` with SPARQL's term order.
So the pages and their TSV downloads hold exactly the rows ``alskg query run
disease-page-phenotypes`` prints (``tests/site/test_phenotype_rows.py`` checks this).

A long table holds *cells*, each distinct term's text once (the engine's TSV text, or the
term's N-Triples form when rows come as terms), by property; each distinct cell becomes a term,
a sort key and the CLI's text once. A whole release has 2.6M values but few distinct ones, so
the pivot builds rows of cells and sorts and prints them through those tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from operator import itemgetter
from pathlib import Path

from alskg.errors import InputError
from alskg.rdfmodel import BlankNode, Literal, NamedNode
from alskg.results import plain
from alskg.site.ordering import order_key, string_key

Term = NamedNode | Literal | BlankNode
#: property IRI → key cell → value cells
Columns = dict[str, dict[str, list[str]]]

BIOLINK = "https://w3id.org/biolink/vocab/"
ALSKG = "https://w3id.org/alskg/vocab/"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
HAS_PHENOTYPE = BIOLINK + "has_phenotype"
FALSE = Literal("false", datatype=NamedNode(XSD + "boolean"))
#: Cells no engine writes: an unbound value, and the ``false`` that COALESCE puts for an unset ?negated.
UNBOUND, FALSE_CELL = "", "\x00false"

#: The packaged query's columns, in its SELECT order.
VARIABLES = ["disease", "phenotype", "phenotype_label", "negated", "frequency", "frequency_label", "count", "total",
             "onset", "onset_label", "sex", "evidence", "layer", "page_label", "frequency_band", "primary_source",
             "original_subject", "last_updated", "association"]
#: Its ORDER BY.
ORDER = ["disease", "phenotype", "association", "negated", "frequency", "frequency_label", "count", "total", "onset",
         "onset_label", "sex", "evidence", "layer", "page_label", "frequency_band", "primary_source",
         "original_subject", "last_updated", "phenotype_label"]
#: Columns read straight off the association: column → property IRI.
SIMPLE = {"count": BIOLINK + "has_count", "total": BIOLINK + "has_total", "sex": BIOLINK + "sex_qualifier",
          "evidence": BIOLINK + "has_evidence", "page_label": ALSKG + "source_label",
          "frequency_band": ALSKG + "frequency_band", "primary_source": BIOLINK + "primary_knowledge_source",
          "original_subject": BIOLINK + "original_subject"}
_ORDER_CELLS = itemgetter(*(VARIABLES.index(c) for c in ORDER))
#: The first three: disease, phenotype, association (an association's rows share them, unless
#: it has several subjects or objects).
_FIRST_CELLS = itemgetter(*(VARIABLES.index(c) for c in ORDER[:3]))
_NONE: list[str] = [UNBOUND]


@dataclass
class LongTable:
    """(key, property, value) rows: property IRI → key cell → value cells (in ``STR(?value)``
    order, the long-table queries' ORDER BY), and the term of every cell."""

    columns: Columns
    terms: dict[str, Term]

    def column(self, iri: str) -> dict[str, list[str]]:
        return self.columns.get(iri, {})

    def as_terms(self) -> dict[str, dict[str, list[Term]]]:
        """key → property IRI → values, as terms (the key as its IRI or blank node id)."""
        table: dict[str, dict[str, list[Term]]] = {}
        for prop, column in self.columns.items():
            for key, values in column.items():
                table.setdefault(self.terms[key].value, {})[prop] = [self.terms[v] for v in values]
        return table


def long_table(rows: Iterable[Mapping[str, Term | None]], key: str) -> LongTable:
    """The long table of (key, property, value) solutions given as terms, in any order."""
    columns: Columns = {}
    terms: dict[str, Term] = {}
    for row in rows:
        subject, prop, value = row[key], row["property"], row["value"]
        if subject is not None and isinstance(prop, NamedNode) and value is not None:
            s, v = str(subject), str(value)
            terms.setdefault(s, subject)
            terms.setdefault(v, value)
            columns.setdefault(prop.value, {}).setdefault(s, []).append(v)
    return _sorted_values(LongTable(columns, terms))


def _sorted_values(table: LongTable) -> LongTable:
    keys: dict[str, tuple[object, ...]] = {}
    for column in table.columns.values():
        for found in column.values():
            if len(found) > 1:
                for cell in found:
                    if cell not in keys:
                        keys[cell] = string_key(table.terms[cell])
                found.sort(key=keys.__getitem__)
    return table


def tsv_long_table(paths: Path | Sequence[Path], key: str) -> LongTable:
    """The long table of (key, property, value) answers the engine wrote as SPARQL TSV, one or
    more files (parts of one long table: their rows are taken together).

    A TSV line is one solution whose cells are separated by tabs (tabs and line breaks inside a
    literal are escaped), so lines are split on tabs; each distinct cell is then read once by
    the engine's SPARQL results parser (:func:`alskg.store.parse_query_results`), not here."""
    by_cell: dict[str, dict[str, list[str]]] = {}  # property cell → key cell → value cells
    seen: dict[str, str] = {}  # each distinct cell's text once (rows repeat few distinct terms)
    paths = [paths] if isinstance(paths, Path) else list(paths)
    for path in paths:
        _read_tsv(path, key, by_cell, seen)
    terms = _parse_cells([*seen, *by_cell], paths[0])
    columns: Columns = {}
    for prop, column in by_cell.items():
        term = terms[prop]
        if not isinstance(term, NamedNode):
            raise InputError("a TSV answer's property is not an IRI", paths[0], value=prop)
        columns[term.value] = column
    return _sorted_values(LongTable(columns, terms))


def _read_tsv(path: Path, key: str, by_cell: dict[str, dict[str, list[str]]], seen: dict[str, str]) -> None:
    """Add one TSV answer's rows to ``by_cell`` (property cell → key cell → value cells)."""
    with open(path, encoding="utf-8", newline="\n") as handle:
        if handle.readline() != f"?{key}\t?property\t?value\n":
            raise InputError(f"the answer's columns are not ?{key} ?property ?value", path)
        try:
            for line in handle:
                subject, prop, value = line[:-1].split("\t")
                column = by_cell.get(prop)
                if column is None:
                    column = by_cell[prop] = {}
                found = column.get(subject)
                if found is None:
                    column[seen.setdefault(subject, subject)] = [seen.setdefault(value, value)]
                else:
                    found.append(seen.setdefault(value, value))
        except ValueError:
            raise InputError("a TSV answer line has the wrong number of cells", path) from None


def _parse_cells(cells: list[str], path: Path) -> dict[str, Term]:
    """Each distinct TSV cell's term, read by the engine's SPARQL TSV results parser."""
    from alskg.store import QueryResultsFormat, parse_query_results

    if UNBOUND in cells:  # every cell of these answers is bound
        raise InputError("a TSV answer has an unbound cell", path)
    document = ("?t\n" + "".join(f"{cell}\n" for cell in cells)).encode("utf-8")
    parsed = [solution["t"] for solution in parse_query_results(document, format=QueryResultsFormat.TSV)]
    if len(parsed) != len(cells) or any(term is None for term in parsed):
        raise InputError("the TSV answer's cells did not parse one term each", path)
    return dict(zip(cells, parsed, strict=True))


def phenotype_rows(value_rows: Iterable[Mapping[str, Term | None]],
                   node_rows: Iterable[Mapping[str, Term | None]]) -> list[dict[str, str]]:
    """The rows of ``disease-page-phenotypes``, in its order, as plain text cells (as the CLI prints)."""
    return pivot(long_table(value_rows, "association"), long_table(node_rows, "node"))


class _Pivot:
    """The columns one association's rows are read from (see :func:`pivot`)."""

    def __init__(self, values: LongTable, nodes: LongTable) -> None:
        self.terms = {**nodes.terms, **values.terms}
        self.subject, self.object = values.column(BIOLINK + "subject"), values.column(BIOLINK + "object")
        self.negated = values.column(BIOLINK + "negated")
        self.frequency = values.column(BIOLINK + "frequency_qualifier")
        self.onset = values.column(BIOLINK + "onset_qualifier")
        self.derived = values.column(PROV + "wasDerivedFrom")
        self.modified, self.created = values.column(DCT + "modified"), values.column(DCT + "created")
        self.simple = [values.column(iri) for iri in SIMPLE.values()]
        self.labels = nodes.column(RDFS_LABEL)
        self.part_of, self.node_modified = nodes.column(DCT + "isPartOf"), nodes.column(DCT + "modified")

    def label_of(self, cell: str) -> list[str]:
        """A node's labels (an IRI's only), or one unbound cell."""
        return (self.labels.get(cell) or _NONE) if isinstance(self.terms[cell], NamedNode) else _NONE

    def with_label(self, cells: list[str] | None) -> list[tuple[str, str]]:
        """OPTIONAL { ?a p ?x . OPTIONAL { ?x rdfs:label ?l } }: (x, label) pairs, or one unbound pair."""
        if not cells:
            return [(UNBOUND, UNBOUND)]
        return [(cell, label) for cell in cells for label in self.label_of(cell)]

    def sources(self, cells: list[str] | None) -> list[tuple[str, str]]:
        """OPTIONAL { ?a prov:wasDerivedFrom ?d . OPTIONAL { ?d isPartOf ?p } OPTIONAL { ?d modified ?m } }:
        (layer, section date) pairs, layer = COALESCE(?p, ?d)."""
        if not cells:
            return [(UNBOUND, UNBOUND)]
        pairs = []
        for derived in cells:
            node = not isinstance(self.terms[derived], Literal)
            parts = (self.part_of.get(derived) or _NONE) if node else _NONE
            dates = (self.node_modified.get(derived) or _NONE) if node else _NONE
            pairs.extend((part or derived, date) for part, date in product(parts, dates))
        return pairs

    def rows(self, association: str) -> Iterator[tuple[str, ...]]:
        """The packaged query's rows of one association, as cells in its SELECT order."""
        simple = [column.get(association) or _NONE for column in self.simple]
        for disease, phenotype in product(self.subject.get(association, ()), self.object.get(association, ())):
            for (label, negated, (frequency, frequency_label), (onset, onset_label), (layer, section_date),
                 modified, created, count, total, sex, evidence, page_label, band, source, original) in product(
                    self.label_of(phenotype), self.negated.get(association) or _NONE,
                    self.with_label(self.frequency.get(association)), self.with_label(self.onset.get(association)),
                    self.sources(self.derived.get(association)), self.modified.get(association) or _NONE,
                    self.created.get(association) or _NONE, *simple):
                yield (disease, phenotype, label, negated or FALSE_CELL, frequency, frequency_label, count, total,
                       onset, onset_label, sex, evidence, layer, page_label, band, source, original,
                       modified or created or section_date, association)


def pivot(values: LongTable, nodes: LongTable) -> list[dict[str, str]]:
    """The rows of ``disease-page-phenotypes`` from the two long tables (association and node values).

    Sorted by the query's ORDER BY: each association's rows (one per combination of its values)
    by every column, then all rows, stably, by disease, phenotype and association alone, which
    leaves the rows of one association in their order (the full key starts with those three)."""
    table = _Pivot(values, nodes)
    terms: dict[str, Term | None] = {**table.terms, UNBOUND: None, FALSE_CELL: FALSE}
    keys, texts = _PerCell(terms, order_key), _PerCell(terms, plain)

    def ordered(row: tuple[str, ...]) -> tuple[tuple[object, ...], ...]:
        return tuple(map(keys.__getitem__, _ORDER_CELLS(row)))

    phenotype = {cell for cell, term in values.terms.items() if term == NamedNode(HAS_PHENOTYPE)}
    raw: list[tuple[str, ...]] = []
    for association, predicates in values.column(BIOLINK + "predicate").items():
        if not phenotype.isdisjoint(predicates):
            rows = list(table.rows(association))
            if len(rows) > 1:
                rows.sort(key=ordered)
            raw.extend(rows)
    raw.sort(key=lambda row: tuple(map(keys.__getitem__, _FIRST_CELLS(row))))
    return [dict(zip(VARIABLES, map(texts.__getitem__, row))) for row in raw]


class _PerCell(dict[str, object]):
    """A function of each cell's term, computed the first time the cell is looked up."""

    def __init__(self, terms: dict[str, Term | None], function: Callable[[Term | None], object]) -> None:
        super().__init__()
        self.terms, self.function = terms, function

    def __missing__(self, cell: str) -> object:
        found = self[cell] = self.function(self.terms[cell])
        return found
