"""The KGX twin of a build: Biolink nodes and edges as TSV and JSON Lines.

Read from the built store (the merged view), never re-derived from the sources, so the KGX
files say exactly what the RDF says:

- an **edge** is an association node: an instance of a Biolink class with ``biolink:subject``,
  ``biolink:predicate`` and ``biolink:object``; its id is the graph's stable association id;
- a **node** is anything with a ``biolink:category`` (or, failing that, a Biolink ``rdf:type``)
  that is not an association, and everything an edge points at;
- the columns are the Biolink slots the node or edge carries (the local name of each
  ``biolink:`` property), plus ``name`` (``biolink:name``, else ``rdfs:label``) and
  ``description`` (``skos:definition`` or ``dcterms:description``), with IRIs as CURIEs;
- what has no Biolink reading (alskg's own statement classes and properties) is left out and
  counted in :attr:`Twin.left_out`, never written as ``biolink:related_to``.

Conventions follow Monarch's ingests (koza's writer): TSV columns ``id, category, name`` for
nodes and ``id, subject, predicate, object, category`` for edges, then the rest sorted;
multi-values joined with ``|`` in TSV and kept as lists in JSON Lines; rows sorted by id, so
two runs on the same build are byte-identical.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from alskg import vocab

BL = vocab.BIOLINK
RDF_TYPE = vocab.RDF + "type"
NODE_FIRST = ("id", "category", "name")
EDGE_FIRST = ("id", "subject", "predicate", "object", "category")
#: Non-Biolink properties read as Biolink slots (the slot's ``slot_uri`` or its usual RDF form).
SLOT_ALIASES = {vocab.RDFS + "label": "name", vocab.SKOS + "definition": "description",
                vocab.DCT + "description": "description"}
#: Slots that always hold one value (everything else is multivalued: a list in JSON Lines).
SINGLE = {"id", "name", "description", "subject", "predicate", "object", "negated", "has_count", "has_total",
          "has_quotient", "has_percentage", "knowledge_level", "agent_type", "primary_knowledge_source",
          "frequency_qualifier", "onset_qualifier", "sex_qualifier", "original_subject", "original_object",
          "symbol", "in_taxon"}
Record = dict[str, list[str]]


@dataclass
class Twin:
    """The nodes and edges of a build, and what was left out (class or property → count)."""

    nodes: dict[str, Record] = field(default_factory=dict)
    edges: dict[str, Record] = field(default_factory=dict)
    left_out: Counter[str] = field(default_factory=Counter)


def _text(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
    if isinstance(term, ox.NamedNode):
        return vocab.compress(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def _subjects(store: ox.Store) -> Iterator[tuple[ox.NamedNode, list[ox.Quad]]]:
    """Every subject of the default graph with its triples (the SPO index keeps them together)."""
    current: ox.NamedNode | ox.BlankNode | None = None
    block: list[ox.Quad] = []
    for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        if quad.subject != current:
            if block and isinstance(current, ox.NamedNode):
                yield current, block
            current, block = quad.subject, []
        block.append(quad)
    if block and isinstance(current, ox.NamedNode):
        yield current, block


def _record(subject: ox.NamedNode, quads: list[ox.Quad], left_out: Counter[str]) -> Record:
    record: Record = {"id": [vocab.compress(subject.value)]}
    for quad in quads:
        iri = quad.predicate.value
        slot = iri[len(BL):] if iri.startswith(BL) else SLOT_ALIASES.get(iri)
        if slot is None:
            if iri != RDF_TYPE:
                left_out[vocab.compress(iri)] += 1
            continue
        values = record.setdefault(slot, [])
        value = _text(quad.object)
        if value not in values:
            values.append(value)
    if "name" in record and len(record["name"]) > 1:  # biolink:name wins over rdfs:label
        record["name"] = sorted(record["name"])[:1]
    return record


def _types(quads: list[ox.Quad]) -> list[str]:
    return [q.object.value for q in quads if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode)]


def collect(store: ox.Store, associations: set[str]) -> Twin:
    """Read the store's merged view into a :class:`Twin`.

    ``associations`` is the set of Biolink association class IRIs (from the Biolink Model):
    a typed node with subject, predicate and object that is an instance of one is an edge.
    """
    twin = Twin()
    for subject, quads in _subjects(store):
        types = _types(quads)
        biolink_types = sorted(vocab.compress(t) for t in types if t.startswith(BL))
        predicates = {q.predicate.value for q in quads}
        is_edge = any(t in associations for t in types) and {BL + "subject", BL + "predicate"} <= predicates
        if is_edge:
            record = _record(subject, quads, twin.left_out)
            record["category"] = record.get("category") or biolink_types
            twin.edges[record["id"][0]] = record
        elif BL + "category" in predicates or biolink_types:
            record = _record(subject, quads, twin.left_out)
            record["category"] = record.get("category") or biolink_types
            twin.nodes[record["id"][0]] = record
        else:
            for t in types or ["(untyped)"]:
                twin.left_out[vocab.compress(t) if t.startswith("http") else t] += 1
    return twin


def columns(records: Iterable[Record], first: tuple[str, ...]) -> list[str]:
    """The TSV columns: ``first`` in order, then every other slot used, sorted."""
    seen: set[str] = set()
    for record in records:
        seen.update(record)
    return [*first, *sorted(seen - set(first))]


def tsv_lines(records: dict[str, Record], first: tuple[str, ...]) -> Iterator[str]:
    """A header and one line a record (sorted by id), multi-values joined with ``|``."""
    cols = columns(records.values(), first)
    yield "\t".join(cols) + "\n"
    for key in sorted(records):
        record = records[key]
        yield "\t".join(_cell("|".join(sorted(record.get(c, [])))) for c in cols) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def jsonl_lines(records: dict[str, Record], first: tuple[str, ...]) -> Iterator[str]:
    """One JSON object a record (sorted by id), keys in the TSV's order, lists where multivalued."""
    cols = columns(records.values(), first)
    for key in sorted(records):
        record = records[key]
        doc = {c: (_typed(c, record[c][0]) if c in SINGLE else [_typed(c, v) for v in sorted(record[c])])
               for c in cols if c in record}
        yield json.dumps(doc, ensure_ascii=False, sort_keys=False) + "\n"


def _typed(slot: str, value: str) -> object:
    """JSON values typed from the slot: booleans and numbers as JSON, everything else a string."""
    if slot == "negated":
        return value in ("true", "1")
    if slot in ("has_count", "has_total"):
        return int(value)
    if slot in ("has_quotient", "has_percentage"):
        return float(value)
    return value
