"""The KGX twin of the graph: nodes and edges as TSV and JSON Lines, Monarch's way.

Edges are the graph's association nodes: every node with ``biolink:subject`` (or, for the
alskg statements, ``rdf:subject``), its IRI compressed to a CURIE as the edge id, so edge ids
are the graph's stable association ids. An association typed with a Biolink class is an edge
of the twin; one typed only with alskg's own classes (``alskg:DiseaseCharacteristic``, ...)
goes to the *other* pair of files, never into the twin as ``biolink:related_to``. Nodes are
the ends of the edges, with ``category`` from their ``biolink:category`` values and their
Biolink ``rdf:type``s (both accepted). A node's direct triples that restate an edge (a Biolink
predicate, or the predicate of an association) are left out of its row: the edge carries them,
with its evidence. Every other property is kept as a column: Biolink
slots under their slot name (``has_evidence``), other properties under their CURIE
(``dct:created``). Columns follow koza's writer: ``id, category, name`` (nodes) or ``id,
subject, predicate, object, category`` (edges), then the rest sorted; TSV joins multiple
values with ``|``, JSON Lines keeps lists. Values are CURIEs through the project's converter
(:func:`alskg.vocab.compress`); Biolink enum values (``knowledge_level``, ``agent_type``)
are written bare (``knowledge_assertion``), as KGX does.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from alskg import vocab
from alskg.biolink import Schema
from alskg.release.dumps import gz_writer
from alskg.results import canonical, plain

NODE_LEAD = ("id", "category", "name")
EDGE_LEAD = ("id", "subject", "predicate", "object", "category")
_RDF_TYPE = vocab.RDF + "type"
_CATEGORY = vocab.BIOLINK + "category"
_BL_ENDS = {vocab.BIOLINK + "subject": "subject", vocab.BIOLINK + "predicate": "predicate",
            vocab.BIOLINK + "object": "object"}
_RDF_ENDS = {vocab.RDF + "subject": "subject", vocab.RDF + "predicate": "predicate", vocab.RDF + "object": "object"}
_LABEL = vocab.RDFS + "label"
_JSON_NUMBERS = {vocab.XSD + "integer": int, vocab.XSD + "double": float, vocab.XSD + "decimal": float,
                 vocab.XSD + "float": float}

#: One cell value: its text (TSV) and its JSON value (JSON Lines).
Value = tuple[str, "str | int | float | bool"]
Row = dict[str, list[Value]]


@dataclass
class Table:
    """Rows of one KGX file; ``lead`` columns first, then the others sorted."""

    lead: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)
    multivalued: set[str] = field(default_factory=set)

    def columns(self) -> list[str]:
        seen = {column for row in self.rows for column in row}
        return [*self.lead, *sorted(seen - set(self.lead))]

    def ids(self) -> list[str]:
        return [row["id"][0][0] for row in self.rows]


@dataclass
class Twin:
    """The KGX twin (Biolink nodes and edges) and the other pair (alskg's own statements)."""

    nodes: Table
    edges: Table
    other_nodes: Table
    other_edges: Table


def _value(term: ox.NamedNode | ox.Literal | ox.BlankNode, enum: bool) -> Value:
    """A term as a cell: a CURIE (bare for a Biolink enum value), or a literal's canonical form."""
    text = plain(term)
    if isinstance(term, ox.Literal):
        lit = canonical(term)
        datatype = lit.datatype.value
        if datatype == vocab.XSD + "boolean":
            return text, text == "true"
        if datatype in _JSON_NUMBERS:
            try:
                return text, _JSON_NUMBERS[datatype](text)
            except ValueError:
                return text, text
        return text, text
    if enum and text.startswith("biolink:"):
        text = text.removeprefix("biolink:")
    return text, text


class _Columns:
    """Column names and kinds of properties, from the Biolink schema."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema

    def name(self, iri: str) -> str:
        slot = self.schema.slot_by_iri.get(iri)
        return slot.replace(" ", "_") if slot else vocab.compress(iri)

    def is_enum(self, iri: str) -> bool:
        slot = self.schema.slot_by_iri.get(iri)
        return bool(slot) and self.schema.slot_range(slot) in self.schema.enums

    def is_predicate(self, iri: str) -> bool:
        slot = self.schema.slot_by_iri.get(iri)
        return bool(slot) and self.schema.is_predicate(slot)

    def multivalued(self, iri: str) -> bool:
        slot = self.schema.slot_by_iri.get(iri)
        return bool(slot) and bool(self.schema.slot_inherited(slot, "multivalued"))


def _triples(store: ox.Store, node: ox.NamedNode | ox.BlankNode) -> list[ox.Quad]:
    return list(store.quads_for_pattern(node, None, None, ox.DefaultGraph()))


def _categories(quads: list[ox.Quad], biolink_only: bool) -> list[Value]:
    """``biolink:category`` values and ``rdf:type``s (Biolink ones, or any when not ``biolink_only``)."""
    out = set()
    for q in quads:
        if q.predicate.value == _CATEGORY or (
                q.predicate.value == _RDF_TYPE and (not biolink_only or q.object.value.startswith(vocab.BIOLINK))):
            out.add(plain(q.object))
    return [(c, c) for c in sorted(out)]


def _row(quads: list[ox.Quad], cols: _Columns, table: Table, skip: set[str], ends: dict[str, str]) -> Row:
    """One row: the node's properties (but ``skip``), ``ends`` renamed (subject/predicate/object)."""
    cells: dict[str, set[Value]] = defaultdict(set)
    for q in quads:
        p = q.predicate.value
        if p in skip:
            continue
        column = ends.get(p) or cols.name(p)
        cells[column].add(_value(q.object, cols.is_enum(p)))
        if cols.multivalued(p):
            table.multivalued.add(column)
    row = {column: sorted(values) for column, values in cells.items()}
    table.multivalued.update(column for column, values in row.items() if len(values) > 1)
    return row


def _association_nodes(store: ox.Store) -> list[ox.NamedNode | ox.BlankNode]:
    found = set()
    for end in (vocab.BIOLINK + "subject", vocab.RDF + "subject"):
        found.update(q.subject for q in store.quads_for_pattern(None, ox.NamedNode(end), None, ox.DefaultGraph()))
    return sorted(found, key=str)


def _node_row(store: ox.Store, node: str, cols: _Columns, table: Table, biolink_only: bool,
              edge_predicates: set[str]) -> Row:
    term: ox.NamedNode | ox.BlankNode = (ox.BlankNode(node[2:]) if node.startswith("_:")
                                         else ox.NamedNode(vocab.expand(node)))
    quads = _triples(store, term)
    skip = {_RDF_TYPE, _CATEGORY} | {q.predicate.value for q in quads
                                     if q.predicate.value in edge_predicates or cols.is_predicate(q.predicate.value)}
    row = _row(quads, cols, table, skip, {})
    if "name" not in row and "rdfs:label" in row:
        row["name"] = row["rdfs:label"]
    row["id"] = [(node, node)]
    categories = _categories(quads, biolink_only)
    if categories:
        row["category"] = categories
    return row


def extract(store: ox.Store, schema: Schema) -> Twin:
    """The twin of the merged view in ``store``: Biolink edges and nodes, and the other pair."""
    cols = _Columns(schema)
    twin = Twin(Table(NODE_LEAD, multivalued={"category"}), Table(EDGE_LEAD, multivalued={"category"}),
                Table(NODE_LEAD, multivalued={"category"}), Table(EDGE_LEAD, multivalued={"category"}))
    ends: dict[str, set[str]] = {"main": set(), "other": set()}
    predicates: set[str] = set()
    for assoc in _association_nodes(store):
        quads = _triples(store, assoc)
        biolink = _categories(quads, biolink_only=True)
        # a Biolink edge is typed (rdf:type) with a Biolink class; alskg's own association
        # classes carry the category of their Biolink parent but alskg predicates: the other pair
        typed = any(q.predicate.value == _RDF_TYPE and q.object.value.startswith(vocab.BIOLINK) for q in quads)
        table, kind = (twin.edges, "main") if typed else (twin.other_edges, "other")
        row = _row(quads, cols, table, {_RDF_TYPE, _CATEGORY}, {**_BL_ENDS, **_RDF_ENDS})
        row["id"] = [(plain(assoc),) * 2]
        row["category"] = biolink or _categories(quads, biolink_only=False)
        table.rows.append(row)
        for q in quads:
            if q.predicate.value in (vocab.BIOLINK + "predicate", vocab.RDF + "predicate"):
                predicates.add(q.object.value)
            if (q.predicate.value in (vocab.BIOLINK + "subject", vocab.BIOLINK + "object", vocab.RDF + "subject",
                                      vocab.RDF + "object") and not isinstance(q.object, ox.Literal)):
                ends[kind].add(plain(q.object))
    for node in sorted(ends["main"]):
        twin.nodes.rows.append(_node_row(store, node, cols, twin.nodes, True, predicates))
    for node in sorted(ends["other"] - ends["main"]):
        twin.other_nodes.rows.append(_node_row(store, node, cols, twin.other_nodes, False, predicates))
    return twin


def _tsv_cell(values: list[Value]) -> str:
    text = "|".join(v[0] for v in values)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_tsv(path: Path, table: Table) -> int:
    """The table as gzipped TSV (header of column names); returns the row count."""
    columns = table.columns()
    with gz_writer(path) as out:
        out.write(("\t".join(columns) + "\n").encode())
        batch = []
        for row in table.rows:
            batch.append("\t".join(_tsv_cell(row.get(c, [])) for c in columns) + "\n")
            if len(batch) >= 4096:
                out.write("".join(batch).encode())
                batch = []
        out.write("".join(batch).encode())
    return len(table.rows)


def _json_value(column: str, values: list[Value], multivalued: set[str]) -> object:
    items = [v[1] for v in values]
    return items if column in multivalued else items[0]


def write_jsonl(path: Path, table: Table) -> int:
    """The table as gzipped JSON Lines (keys in column order, absent values left out)."""
    columns = table.columns()
    with gz_writer(path) as out:
        batch = []
        for row in table.rows:
            obj = {c: _json_value(c, row[c], table.multivalued) for c in columns if row.get(c)}
            batch.append(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
            if len(batch) >= 4096:
                out.write("".join(batch).encode())
                batch = []
        out.write("".join(batch).encode())
    return len(table.rows)
