"""Disease cliques: one node per disease, its MONDO IRI (ADR 10).

A disease id a source uses (OMIM, ORPHA, DECIPHER) is *normalised* to MONDO when MONDO's
exact-match mapping sets map it to exactly one live (non-obsolete) MONDO class; otherwise it
keeps its own id. The MONDO node then carries every id of its clique: ``skos:exactMatch`` to the
OMIM, OMIM phenotypic series, Orphanet, UMLS and MeSH ids of the exact-match sets,
``oboInOwl:hasDbXref`` to GARD ids, each also as ``biolink:xref``, with the label the mapping
set gives the target (``skos:altLabel``). These triples form the named graph ``…/graph/mondo``;
associations keep the id their source used as ``biolink:original_subject``/``original_object``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from alskg import vocab
from alskg.errors import InputError
from alskg.mondo import MONDO_FILES, mondo_path
from alskg.rdf import terms as t
from alskg.rdf.curated import source_node
from alskg.rdf.quads import QuadSink
from alskg.sources.sssom import Mapping, iter_mappings

GRAPH = vocab.ALSKG_GRAPH + "mondo"
#: Prefixes of the disease ids sources annotate with, normalised to MONDO when MONDO maps them.
NORMALISED_PREFIXES = frozenset({"OMIM", "ORPHA", "DECIPHER"})
_PREDICATES = {"skos:exactMatch": t.ns(vocab.SKOS, "exactMatch"), "oboInOwl:hasDbXref": t.ns(vocab.OIO, "hasDbXref")}


@dataclass(frozen=True, slots=True)
class CliqueMember:
    """One id of a MONDO class's clique, as one mapping set states it."""

    predicate: str  # skos:exactMatch or oboInOwl:hasDbXref
    id: str  # standardised CURIE (Orphanet:803 → ORPHA:803, mesh: → MESH:)
    label: str  # the target's label in the mapping set ("" when the set gives none)
    file: str


@dataclass
class Cliques:
    """MONDO's mappings indexed for normalising: source id → MONDO id, MONDO id → its clique."""

    to_mondo: dict[str, str] = field(default_factory=dict)
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    obsolete_only: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)
    members: dict[str, list[CliqueMember]] = field(default_factory=lambda: defaultdict(list))

    def node(self, disease: str) -> str:
        """The id of the graph node for ``disease``: its MONDO id when normalised, else itself."""
        return self.to_mondo.get(disease, disease)

    def is_normalised(self, disease: str) -> bool:
        return disease in self.to_mondo


@lru_cache(maxsize=None)
def _canonical_prefix(prefix: str) -> str:
    """The project's spelling of a prefix (``Orphanet`` → ``ORPHA``, ``mesh`` → ``MESH``)."""
    return vocab.standardize(f"{prefix}:0").partition(":")[0]


def _standard(curie: str, mapping: Mapping, path: Path) -> str:
    """``curie`` with the canonical prefix; InputError (file, line) for a malformed or unknown one."""
    if not vocab.is_curie(curie):
        raise InputError("malformed CURIE in a mapping set", path, mapping.line, value=curie)
    prefix, _, local = curie.partition(":")
    try:
        return f"{_canonical_prefix(prefix)}:{local}"
    except InputError as exc:
        raise InputError(exc.message, path, mapping.line, value=curie) from None


def add_mappings(cliques: Cliques, mappings: Iterable[Mapping], path: Path, name: str,
                 candidates: dict[str, set[str]],
                 obsolete: set[str]) -> None:
    """Index one mapping set: labels and members of live MONDO classes; normalisation candidates."""
    for m in mappings:
        if m.predicate_id not in _PREDICATES or not m.subject_id.startswith("MONDO:"):
            continue
        target = _standard(m.object_id, m, path)
        prefix = target.partition(":")[0]
        if m.obsolete:
            if prefix in NORMALISED_PREFIXES:
                obsolete.add(target)
            continue
        cliques.labels.setdefault(m.subject_id, m.subject_label)
        cliques.members[m.subject_id].append(CliqueMember(m.predicate_id, target, m.object_label, name))
        if m.predicate_id == "skos:exactMatch" and prefix in NORMALISED_PREFIXES:
            candidates[target].add(m.subject_id)


def load_cliques(folder: Path) -> Cliques:
    """Read the six mapping sets of ``folder`` (plain or gzipped) into :class:`Cliques`.

    An id exact-matched by one live MONDO class is normalised to it; by several, it is
    ambiguous and keeps its own id; matched only by obsolete classes, it keeps its own id too.
    """
    cliques = Cliques()
    candidates: dict[str, set[str]] = defaultdict(set)
    obsolete: set[str] = set()
    for name in MONDO_FILES:
        path = mondo_path(folder, name)
        add_mappings(cliques, iter_mappings(path), path, name, candidates, obsolete)
    for source_id, mondo_ids in candidates.items():
        if len(mondo_ids) == 1:
            cliques.to_mondo[source_id] = next(iter(mondo_ids))
        else:
            cliques.ambiguous[source_id] = tuple(sorted(mondo_ids))
    cliques.obsolete_only = obsolete - set(candidates)
    return cliques


def map_cliques(cliques: Cliques, nodes: Iterable[str], curated: set[str], sink: QuadSink) -> int:
    """Write the clique of each MONDO id in ``nodes`` into graph ``…/graph/mondo``; return how many.

    Each node is a ``biolink:Disease``; those not in the curated tables (``curated``) get
    MONDO's label as ``rdfs:label`` and ``biolink:name`` (the curated layer labels its own).
    """
    count = 0
    for mondo_id in sorted(set(nodes)):
        if mondo_id not in cliques.labels:
            continue
        count += 1
        d = t.curie(mondo_id)
        triples = [(d, t.RDF_TYPE, t.bl("Disease"))]
        if mondo_id not in curated:
            label = t.lit(cliques.labels[mondo_id])
            triples += [(d, t.RDFS_LABEL, label), (d, t.bl("name"), label)]
        for member in cliques.members[mondo_id]:
            o = t.curie(member.id)
            triples += [(d, _PREDICATES[member.predicate], o), (d, t.bl("xref"), o),
                        (d, t.PROV_DERIVED, source_node(f"mondo:{member.file}"))]
            if member.label:
                triples.append((o, t.ns(vocab.SKOS, "altLabel"), t.lit(member.label)))
        sink.add_all(GRAPH, triples)
    return count
