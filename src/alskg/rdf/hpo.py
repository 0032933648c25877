"""HPO terms used by the graph, with all their ancestors, as RDF (graph ``alskg/graph/hpo``).

Source: ``hp.obo`` of the pinned HPO release. Each term gets its current label, definition,
synonyms with their scope and type, and ``rdfs:subClassOf`` parents, so queries can walk
the phenotype hierarchy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from alskg import vocab
from alskg.model import Ontology, OntologyTerm
from alskg.rdf import terms as t
from alskg.rdf.quads import QuadSink

GRAPH = vocab.ALSKG_GRAPH + "hpo"
MODE_OF_INHERITANCE = "HP:0000005"
_HP_IRI = re.compile(r"<http://purl\.obolibrary\.org/obo/HP_([0-9]{7})>")
_SCOPES = {"EXACT": "hasExactSynonym", "NARROW": "hasNarrowSynonym", "BROAD": "hasBroadSynonym",
           "RELATED": "hasRelatedSynonym"}


def used_terms(lines: Iterable[str]) -> set[str]:
    """HP ids that occur anywhere in the given N-Triples lines."""
    found: set[str] = set()
    for line in lines:
        found.update(f"HP:{m}" for m in _HP_IRI.findall(line))
    return found


def closure(ontology: Ontology, ids: Iterable[str]) -> set[str]:
    """The given terms (those the release knows) and all their ancestors."""
    out: set[str] = set()
    for term_id in ids:
        if term_id in ontology.terms:
            out.add(term_id)
            out |= ontology.ancestors(term_id)
    return out


def term_triples(term: OntologyTerm, inheritance: bool) -> Iterable[tuple[str, str, str]]:
    """The triples describing one HP term: types, label, definition, synonyms, parents."""
    s = t.curie(term.id)
    yield s, t.RDF_TYPE, t.OWL_CLASS
    yield s, t.RDF_TYPE, t.bl("GeneticInheritance" if inheritance else "PhenotypicFeature")
    if term.label:
        yield s, t.RDFS_LABEL, t.lit(term.label)
    if term.definition:
        yield s, t.SKOS_DEFINITION, t.lit(term.definition)
    for syn in term.synonyms:
        name = t.lit(syn.text)
        yield s, t.bl("synonym"), name
        yield s, t.ns(vocab.OIO, _SCOPES.get(syn.scope, "hasRelatedSynonym")), name
        if syn.type == "layperson":
            yield s, t.v("layperson_synonym"), name
    for parent in term.parents:
        yield s, t.RDFS_SUBCLASS, t.curie(parent)
    if term.obsolete:
        yield s, t.ns(vocab.OWL, "deprecated"), t.boolean(True)


def map_hpo_terms(ontology: Ontology, ids: Iterable[str], sink: QuadSink) -> int:
    """Write the given HP terms and their ancestors into ``sink``; return how many terms."""
    wanted = closure(ontology, ids)
    for term_id in sorted(wanted):
        inheritance = ontology.is_under(term_id, MODE_OF_INHERITANCE)
        sink.add_all(GRAPH, term_triples(ontology.terms[term_id], inheritance))
    return len(wanted)
