"""DCAT/VoID description of a release (graph ``alskg/graph/metadata``).

It says what the release is (version, date, licence), what it was made from (each source
with its version, licence and checksum) and what it holds (triple, entity, class and
association counts, per named graph). Counts cover the content graphs, not this one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from alskg import __version__, vocab
from alskg.rdf import terms as t
from alskg.rdf.quads import QuadSink

GRAPH = vocab.ALSKG_GRAPH + "metadata"
DATASET = vocab.ALSKG_DATASET + "alskg"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class SourceInfo:
    """One input of the build: where it comes from and which version was read."""

    curie: str
    title: str
    version: str
    license: str = ""
    rights: str = ""
    sha256: str = ""
    files: tuple[str, ...] = ()


@dataclass
class GraphStats:
    """Counts of one set of N-Triples lines."""

    triples: int = 0
    subjects: int = 0
    properties: int = 0
    entities: int = 0
    classes: Counter[str] = field(default_factory=Counter)


def stats(lines: set[str] | list[str]) -> GraphStats:
    """Count triples, distinct subjects and properties, typed entities, and entities per class."""
    subjects: set[str] = set()
    properties: set[str] = set()
    typed: set[tuple[str, str]] = set()
    for line in lines:
        s, p, o = line.split(" ", 2)
        subjects.add(s)
        properties.add(p)
        if p == t.RDF_TYPE:
            typed.add((s, o))
    classes: Counter[str] = Counter(cls for _, cls in typed)
    return GraphStats(len(lines), len(subjects), len(properties), len({s for s, _ in typed}), classes)


def is_association_class(cls: str) -> bool:
    """Association and statement classes: Biolink ``*Association`` and our statement classes."""
    name = cls.strip("<>").rsplit("/", 1)[-1]
    return name.endswith(("Association", "Statement", "Characteristic", "Approval"))


def _describe_stats(sink: QuadSink, node: str, st: GraphStats) -> None:
    g = GRAPH
    sink.add(g, node, t.ns(vocab.VOID, "triples"), t.integer(st.triples))
    sink.add(g, node, t.ns(vocab.VOID, "distinctSubjects"), t.integer(st.subjects))
    sink.add(g, node, t.ns(vocab.VOID, "properties"), t.integer(st.properties))
    sink.add(g, node, t.ns(vocab.VOID, "entities"), t.integer(st.entities))
    sink.add(g, node, t.v("association_count"),
             t.integer(sum(n for cls, n in st.classes.items() if is_association_class(cls))))


def _describe_partitions(sink: QuadSink, node: str, st: GraphStats) -> None:
    for cls, count in sorted(st.classes.items()):
        part = t.iri(f"{node.strip('<>')}/class/{vocab.compress(cls.strip('<>')).replace(':', '-')}")
        sink.add(GRAPH, node, t.ns(vocab.VOID, "classPartition"), part)
        sink.add(GRAPH, part, t.ns(vocab.VOID, "class"), cls)
        sink.add(GRAPH, part, t.ns(vocab.VOID, "entities"), t.integer(count))


def _describe_source(sink: QuadSink, src: SourceInfo) -> str:
    node = t.curie(src.curie)
    g = GRAPH
    sink.add(g, node, t.RDF_TYPE, t.ns(vocab.DCAT, "Dataset"))
    sink.add(g, node, t.ns(vocab.DCT, "title"), t.lit(src.title))
    sink.add(g, node, t.ns(vocab.DCAT, "version"), t.lit(src.version))
    if src.license:
        sink.add(g, node, t.ns(vocab.DCT, "license"), t.iri(src.license))
    if src.rights:
        sink.add(g, node, t.ns(vocab.DCT, "rights"), t.lit(src.rights))
    if src.sha256:
        sink.add(g, node, t.v("sha256"), t.lit(src.sha256))
    for name in src.files:
        sink.add(g, node, t.v("file_name"), t.lit(name))
    return node


def describe_release(
    sink: QuadSink, release_date: str, sources: list[SourceInfo], scope: str,
    merged: GraphStats, graphs: dict[str, GraphStats],
) -> None:
    """Add the release's DCAT/VoID description to ``sink``: ``merged`` counts the merged
    content (all graphs but this one), ``graphs`` each named graph."""
    g = GRAPH
    ds = t.iri(DATASET)
    for cls in (t.ns(vocab.DCAT, "Dataset"), t.ns(vocab.VOID, "Dataset")):
        sink.add(g, ds, t.RDF_TYPE, cls)
    sink.add(g, ds, t.ns(vocab.DCT, "title"), t.lit("alskg: a knowledge graph of amyotrophic lateral sclerosis"))
    sink.add(g, ds, t.ns(vocab.DCT, "description"), t.lit(
        "Curated facts of the GARD page on ALS and the HPO release, as Biolink-typed RDF "
        f"(scope: {scope})."))
    sink.add(g, ds, t.ns(vocab.DCT, "license"), t.iri(LICENSE))
    sink.add(g, ds, t.ns(vocab.DCAT, "version"), t.lit(__version__))
    sink.add(g, ds, t.ns(vocab.OWL, "versionInfo"), t.lit(__version__))
    sink.add(g, ds, t.ns(vocab.DCT, "issued"), t.date(release_date))
    sink.add(g, ds, t.v("scope"), t.lit(scope))
    sink.add(g, ds, t.ns(vocab.VOID, "uriSpace"), t.lit(vocab.ALSKG_ID))
    for vocabulary in (vocab.BIOLINK, vocab.ALSKG_VOCAB):
        sink.add(g, ds, t.ns(vocab.VOID, "vocabulary"), t.iri(vocabulary))
    _describe_stats(sink, ds, merged)
    _describe_partitions(sink, ds, merged)
    for name, st in sorted(graphs.items()):
        sub = t.iri(name)
        sink.add(g, ds, t.ns(vocab.VOID, "subset"), sub)
        sink.add(g, sub, t.RDF_TYPE, t.ns(vocab.VOID, "Dataset"))
        _describe_stats(sink, sub, st)
    for src in sources:
        sink.add(g, ds, t.ns(vocab.PROV, "wasDerivedFrom"), _describe_source(sink, src))
