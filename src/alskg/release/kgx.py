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
from bisect import bisect_left
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from alskg import vocab
from alskg.biolink import Schema
from alskg.rdfmodel import BlankNode, DefaultGraph, Literal, NamedNode, RdfFormat, parse_rdf
from alskg.release.dumps import gz_writer
from alskg.release.source import sorted_lines
from alskg.results import canonical, plain, tsv_line
from alskg.store import Store

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


def _value(term: NamedNode | Literal | BlankNode, enum: bool) -> Value:
    """A term as a cell: a CURIE (bare for a Biolink enum value), or a literal's canonical form."""
    text = plain(term)
    if isinstance(term, Literal):
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


def _term(token: bytes) -> NamedNode | Literal | BlankNode:
    """One N-Triples term (subject or object token of a canonical line) as an Oxigraph term."""
    quad = next(iter(parse_rdf(input=b"<x:s> <x:p> " + token + b" .\n", format=RdfFormat.N_TRIPLES)))
    return quad.object  # type: ignore[return-value]


def _plain_iri(token: bytes) -> str | None:
    """The IRI of an ``<…>`` token holding no escape, else None. In N-Triples' grammar
    (``IRIREF``) a backslash starts the only escape (``UCHAR``), so such a token's IRI is its
    text between the brackets; every token of a line has already been through Oxigraph's
    parser (the store it was dumped from), so only escapes need the parser again. This spares
    a parse per edge id, which is unique to its edge."""
    if token[:1] == b"<" and b"\\" not in token:
        return token[1:-1].decode("utf-8")
    return None


#: How a row takes one predicate: its column, the values of its objects by token (a cache shared
#: by every predicate of the same kind), whether it is multivalued, and whether it is an enum slot.
_Spec = tuple[str, dict[bytes, Value], bool, bool]


class _Terms:
    """Cell values and column facts of N-Triples tokens, each computed once per distinct token:
    a full-scope graph repeats few predicates and objects (knowledge sources, ECO and HP terms,
    dates) over millions of triples."""

    def __init__(self, cols: _Columns) -> None:
        self.cols = cols
        self._values: tuple[dict[bytes, Value], dict[bytes, Value]] = ({}, {})
        self._plain: dict[bytes, str] = {}
        self._iri: dict[bytes, str] = {}
        self._specs: dict[bytes, _Spec] = {}
        self._pred: dict[bytes, bool] = {}

    def iri(self, token: bytes) -> str:
        """The IRI of a ``<…>`` token."""
        iri = self._iri.get(token)
        if iri is None:
            iri = self._iri[token] = _plain_iri(token) or _term(token).value
        return iri

    def plain(self, token: bytes) -> str:
        """The token as a cell's text (:func:`alskg.results.plain`: a CURIE where a prefix fits)."""
        text = self._plain.get(token)
        if text is None:
            iri = _plain_iri(token)
            text = self._plain[token] = vocab.compress(iri) if iri is not None else plain(_term(token))
        return text

    def spec(self, p: bytes) -> _Spec:
        """Column, value cache, multivalued and enum flags of predicate ``p``."""
        spec = self._specs.get(p)
        if spec is None:
            iri = self.iri(p)
            enum = self.cols.is_enum(iri)
            spec = self._specs[p] = (self.cols.name(iri), self._values[enum], self.cols.multivalued(iri), enum)
        return spec

    def value(self, token: bytes, spec: _Spec) -> Value:
        value = spec[1].get(token)
        if value is None:
            value = spec[1][token] = _value(_term(token), spec[3])
        return value

    def is_predicate(self, p: bytes) -> bool:
        found = self._pred.get(p)
        if found is None:
            found = self._pred[p] = self.cols.is_predicate(self.iri(p))
        return found


def _token(iri: str) -> bytes:
    return f"<{iri}>".encode()


_TYPE_T, _CATEGORY_T = _token(_RDF_TYPE), _token(_CATEGORY)
_BIOLINK_T = b"<" + vocab.BIOLINK.encode()
_ENDS_T = {_token(iri): end for iri, end in {**_BL_ENDS, **_RDF_ENDS}.items()}
_PREDICATE_T = {_token(vocab.BIOLINK + "predicate"), _token(vocab.RDF + "predicate")}
_END_NODES_T = {t for t, end in _ENDS_T.items() if end in ("subject", "object")}
Pairs = list[tuple[bytes, bytes]]


def _subjects(lines: Iterable[bytes]) -> Iterator[tuple[bytes, Pairs]]:
    """``(subject, [(predicate, object), …])`` per subject of sorted N-Triples lines (``s p o``
    without the final `` .``): one pass, grouping neighbours, since sorted lines keep a subject's
    triples together."""
    subject: bytes | None = None
    pairs: Pairs = []
    for line in lines:
        s, p, o = line.split(b" ", 2)
        if s != subject:
            if subject is not None:
                yield subject, pairs
            subject, pairs = s, []
        pairs.append((p, o))
    if subject is not None:
        yield subject, pairs


def _pairs_of(lines: Sequence[bytes], subject: bytes) -> Pairs:
    """The ``(predicate, object)`` pairs of ``subject`` in sorted lines, found by binary search:
    a subject's lines are the contiguous run starting with ``subject`` and a space."""
    start = subject + b" "
    pairs: Pairs = []
    for i in range(bisect_left(lines, start), len(lines)):
        line = lines[i]
        if not line.startswith(start):
            break
        _, p, o = line.split(b" ", 2)
        pairs.append((p, o))
    return pairs


def _categories(pairs: Pairs, terms: _Terms, biolink_only: bool) -> list[Value]:
    """``biolink:category`` values and ``rdf:type``s (Biolink ones, or any when not ``biolink_only``)."""
    out = {terms.plain(o) for p, o in pairs
           if p == _CATEGORY_T or (p == _TYPE_T and (not biolink_only or o.startswith(_BIOLINK_T)))}
    return [(c, c) for c in sorted(out)]


def _row(pairs: Pairs, terms: _Terms, table: Table, skip: Container[bytes], ends: dict[bytes, str]) -> Row:
    """One row: the node's properties (but ``skip``), ``ends`` renamed (subject/predicate/object)."""
    cells: dict[str, set[Value]] = {}
    for p, o in pairs:
        if p in skip:
            continue
        spec = terms.spec(p)
        column = ends.get(p) or spec[0]
        value = spec[1].get(o) or terms.value(o, spec)
        cell = cells.get(column)
        if cell is None:
            cells[column] = {value}
        else:
            cell.add(value)
        if spec[2]:
            table.multivalued.add(column)
    row: Row = {}
    for column, values in cells.items():
        if len(values) == 1:
            row[column] = list(values)
        else:
            row[column] = sorted(values)
            table.multivalued.add(column)
    return row


_CLASS_SLOTS = frozenset({_TYPE_T, _CATEGORY_T})


def _node_row(node: str, pairs: Pairs, terms: _Terms, table: Table, biolink_only: bool, skip: set[bytes]) -> Row:
    row = _row(pairs, terms, table, skip, {})
    if "name" not in row and "rdfs:label" in row:
        row["name"] = row["rdfs:label"]
    row["id"] = [(node, node)]
    categories = _categories(pairs, terms, biolink_only)
    if categories:
        row["category"] = categories
    return row


def extract_lines(lines: Sequence[bytes], schema: Schema) -> Twin:
    """The twin of a merged view given as sorted canonical N-Triples lines (``s p o``, without the
    final `` .``, as :class:`alskg.release.source.Snapshot` holds them).

    One pass over the lines makes the edges (every subject with a ``biolink:subject`` or
    ``rdf:subject``) and collects their ends; each end's lines are then found by binary search
    (:func:`_pairs_of`) to make the nodes. Terms are parsed once per distinct token (:class:`_Terms`)."""
    terms = _Terms(_Columns(schema))
    twin = Twin(Table(NODE_LEAD, multivalued={"category"}), Table(EDGE_LEAD, multivalued={"category"}),
                Table(NODE_LEAD, multivalued={"category"}), Table(EDGE_LEAD, multivalued={"category"}))
    ends: dict[str, dict[str, bytes]] = {"main": {}, "other": {}}
    predicates: set[bytes] = set()
    edges: dict[str, list[tuple[bytes, Row]]] = {"main": [], "other": []}
    for subject, pairs in _subjects(lines):
        if not any(p in _ENDS_T and _ENDS_T[p] == "subject" for p, _ in pairs):
            continue
        # a Biolink edge is typed (rdf:type) with a Biolink class; alskg's own association
        # classes carry the category of their Biolink parent but alskg predicates: the other pair
        typed = any(p == _TYPE_T and o.startswith(_BIOLINK_T) for p, o in pairs)
        kind = "main" if typed else "other"
        table = twin.edges if typed else twin.other_edges
        row = _row(pairs, terms, table, _CLASS_SLOTS, _ENDS_T)
        row["id"] = [(terms.plain(subject),) * 2]
        row["category"] = _categories(pairs, terms, True) or _categories(pairs, terms, False)
        edges[kind].append((subject, row))
        for p, o in pairs:
            if p in _PREDICATE_T:
                predicates.add(o)
            elif p in _END_NODES_T and not o.startswith(b'"'):
                ends[kind][terms.plain(o)] = o
    twin.edges.rows = [row for _, row in sorted(edges["main"], key=lambda item: item[0])]
    twin.other_edges.rows = [row for _, row in sorted(edges["other"], key=lambda item: item[0])]
    found = {token: _pairs_of(lines, token) for token in {*ends["main"].values(), *ends["other"].values()}}
    # a node's direct triples that restate an edge are left out of its row: the edge carries them
    skip = {p for pairs in found.values() for p, _ in pairs
            if p in _CLASS_SLOTS or p in predicates or terms.is_predicate(p)}
    for node, token in sorted(ends["main"].items()):
        twin.nodes.rows.append(_node_row(node, found.get(token, []), terms, twin.nodes, True, skip))
    for node, token in sorted(ends["other"].items()):
        if node not in ends["main"]:
            twin.other_nodes.rows.append(_node_row(node, found.get(token, []), terms, twin.other_nodes, False, skip))
    return twin


def extract(store: Store, schema: Schema) -> Twin:
    """The twin of the merged view in ``store`` (its default graph), read in one dump."""
    return extract_lines(sorted_lines(store.dump(format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph())), schema)


def _tsv_text(values: list[Value]) -> str:
    """A cell's values as TSV text, joined with ``|`` (escaped by :func:`alskg.results.tsv_line`)."""
    return values[0][0] if len(values) == 1 else "|".join(v[0] for v in values)


def _batched(path: Path, lines: Iterator[str], size: int = 4096) -> None:
    """``lines`` (each with its line end) into the gzip file ``path``, ``size`` lines a write."""
    with gz_writer(path) as out:
        batch: list[str] = []
        for line in lines:
            batch.append(line)
            if len(batch) >= size:
                out.write("".join(batch).encode())
                batch = []
        out.write("".join(batch).encode())


def _tsv_lines(table: Table, columns: list[str]) -> Iterator[str]:
    """The header and one line per row; a row fills only its own columns' cells (rows use about
    half of a table's columns), the others stay empty."""
    yield "\t".join(columns) + "\n"
    index = {column: i for i, column in enumerate(columns)}
    blank = [""] * len(columns)
    for row in table.rows:
        cells = blank.copy()
        for column, values in row.items():
            cells[index[column]] = _tsv_text(values)
        yield tsv_line(cells) + "\n"


def write_tsv(path: Path, table: Table) -> int:
    """The table as gzipped TSV (header of column names); returns the row count."""
    _batched(path, _tsv_lines(table, table.columns()))
    return len(table.rows)


def _json_lines(table: Table, columns: list[str]) -> Iterator[str]:
    """One JSON object per row, keys in column order, absent and empty cells left out; a
    multivalued column's values as a list. One encoder serves every row."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    order = {column: i for i, column in enumerate(columns)}.__getitem__
    multivalued = table.multivalued
    for row in table.rows:
        obj = {c: [v[1] for v in row[c]] if c in multivalued else row[c][0][1]
               for c in sorted(row, key=order) if row[c]}
        yield encode(obj) + "\n"


def write_jsonl(path: Path, table: Table) -> int:
    """The table as gzipped JSON Lines (keys in column order, absent values left out)."""
    _batched(path, _json_lines(table, table.columns()))
    return len(table.rows)
