"""``biolink:category`` beside ``rdf:type``, for readers (KGX) that take categories only from it.

KGX's RDF reader reads a node's categories from ``biolink:category`` alone; a node with only
``rdf:type`` comes out ``biolink:NamedThing``. So every node typed with a Biolink class gets
that class as its category too; a node typed with one of our classes gets the Biolink class
our ontology puts it under (``rdfs:subClassOf``, e.g. ``alskg:DiagnosticTest`` →
``biolink:Procedure``, our statement classes → ``biolink:Association``), and a curator
(``prov:Agent``) gets ``biolink:Agent``. Classes of no Biolink kind (the page, its sections,
roles, resources, the release metadata, ontology terms) get none: they are not Biolink nodes.
Categories are added here, after mapping, so every mapper stays as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache


from alskg import vocab
from alskg.biolink import class_iri, load_schema
from alskg.packaged import packaged_dir
from alskg.rdf import terms as t
from alskg.rdf.quads import QuadSink
from alskg.rdfmodel import NamedNode, RdfFormat, parse_rdf

CATEGORY = t.bl("category")
_TYPE = t.RDF_TYPE
Block = tuple[str, list[tuple[str, str]]]
_BIOLINK = "<" + vocab.BIOLINK
_FIXED = {t.ns(vocab.PROV, "Agent"): t.bl("Agent")}


@lru_cache(maxsize=1)
def category_map() -> dict[str, str]:
    """Our classes (IRI terms) → the Biolink class they are under in ``ontology/alskg.ttl``.

    A class under a Biolink class and a Biolink mixin (``biolink:FrequencyQuantifier``) takes
    the class: a category names what a node is, and no node may be an abstract class or a
    mixin (Biolink's ``instantiable``, which the conformance check enforces).
    """
    path = packaged_dir("ontology") / "alskg.ttl"
    subclass = vocab.RDFS + "subClassOf"
    parents: dict[str, set[str]] = {}
    for triple in parse_rdf(path=str(path), format=RdfFormat.TURTLE):
        parent = triple.object
        if (triple.predicate.value == subclass and isinstance(parent, NamedNode)
                and parent.value.startswith(vocab.BIOLINK) and isinstance(triple.subject, NamedNode)):
            parents.setdefault(triple.subject.value, set()).add(parent.value)
    concrete = instantiable_classes()
    out = dict(_FIXED)
    for cls, found in parents.items():
        usable = sorted(found & concrete)
        if usable:
            out[t.iri(cls)] = t.iri(usable[0])
    return out


@lru_cache(maxsize=1)
def instantiable_classes() -> frozenset[str]:
    """IRIs of the Biolink classes a node may be typed with (neither abstract nor a mixin)."""
    schema = load_schema()
    return frozenset(class_iri(name) for name in schema.classes if schema.instantiable(name))


def category_of(cls: str) -> str | None:
    """The category term for a class term: itself when Biolink's, its Biolink parent, or None."""
    if cls.startswith(_BIOLINK):
        return cls
    return category_map().get(cls)


_PAIRS: dict[str, tuple[str, str] | None] = {}


def _category_pair(cls: str) -> tuple[str, str] | None:
    if cls not in _PAIRS:
        category = category_of(cls)
        _PAIRS[cls] = None if category is None else (CATEGORY, category)
    return _PAIRS[cls]


def with_categories(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``pairs`` plus a ``(biolink:category, C)`` for each leading ``(rdf:type, class)`` that has one.

    Every mapper writes a block's types first, so only the leading run is read: at the scale of
    the full release (over half a million blocks) this keeps the cost near zero. The SHACL
    shape ``alskgsh:CategoryShape`` checks that no typed node was missed.
    """
    if not pairs or pairs[0][0] != _TYPE:
        return pairs
    extra = []
    for p, o in pairs:
        if p != _TYPE:
            break
        pair = _category_pair(o)
        if pair is not None:
            extra.append(pair)
    return pairs + extra if extra else pairs


def categorised(blocks: Iterable[Block]) -> Iterator[Block]:
    """The blocks of a stream, each with its categories."""
    for subject, pairs in blocks:
        yield subject, with_categories(pairs)


def add_categories(sink: QuadSink) -> None:
    """Add a category line beside every ``rdf:type`` line of every graph of ``sink`` that has one."""
    type_term = f" {t.RDF_TYPE} "
    for graph in sink.graphs():
        extra = []
        for line in sink.triples(graph):
            if type_term in line:
                s, _, o = line.split(" ", 2)
                category = category_of(o)
                if category is not None:
                    extra.append((s, CATEGORY, category))
        sink.add_all(graph, extra)
