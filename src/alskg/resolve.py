"""Resolve any equivalent id of a disease, phenotype or gene to the graph's node.

A user may name ALS as MONDO:0004976, ORPHA:803, GARD:0005786, UMLS:C0002736 or
MESH:D000690. The graph says which of these is its node: the one typed (``rdf:type`` or
``biolink:category``) as the kind asked for. The others reach it through the graph's own
equivalence triples, read in both directions, strongest first:

1. the id itself, when it is a node of that kind;
2. ``skos:exactMatch``, ``owl:sameAs``, ``owl:equivalentClass``, ``biolink:same_as``;
3. ``biolink:original_subject`` / ``original_object`` (an association that kept its source's id);
4. ``oboInOwl:hasDbXref``, ``biolink:xref``.

The first tier that reaches nodes of the kind decides; two or more nodes there is an
ambiguity, reported with the candidates. Close, related, broad and narrow matches never
resolve an id; they are offered as suggestions. Every failure is a UsageError whose one line
ends in "did you mean …?". Resolution runs as SPARQL through a runner, so it works the same on
the embedded store and on a remote endpoint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from alskg import vocab
from alskg.errors import InputError, UsageError
from alskg.queries import Results
from alskg.rdfmodel import Literal, NamedNode

BIOLINK, SKOS, OWL, OIO, RDF = vocab.BIOLINK, vocab.SKOS, vocab.OWL, vocab.OIO, vocab.RDF

#: The kinds a query parameter may take, and the Biolink class a node of that kind has.
KINDS: dict[str, str] = {
    "disease": BIOLINK + "Disease",
    "phenotype": BIOLINK + "PhenotypicFeature",
    "gene": BIOLINK + "Gene",
}
#: Which kind a prefix names, for the hint when an id is absent (UMLS and MeSH name several kinds).
PREFIX_KIND: dict[str, str] = {
    "MONDO": "disease", "OMIM": "disease", "ORPHA": "disease", "DECIPHER": "disease", "GARD": "disease",
    "OMIMPS": "disease", "HP": "phenotype", "NCBIGene": "gene", "HGNC": "gene",
}

SELF = "self"
TIERS: tuple[tuple[str, ...], ...] = (
    (SELF,),
    (SKOS + "exactMatch", OWL + "sameAs", OWL + "equivalentClass", BIOLINK + "same_as"),
    (BIOLINK + "original_subject", BIOLINK + "original_object"),
    (OIO + "hasDbXref", BIOLINK + "xref"),
)
SUGGESTING = (SKOS + "closeMatch", SKOS + "relatedMatch", SKOS + "narrowMatch", SKOS + "broadMatch")
_EQUIVALENCES = [p for tier in TIERS[1:] for p in tier if "original_" not in p] + list(SUGGESTING)

Runner = Callable[[str], Results]
Suggester = Callable[[str, str, str | None], list[tuple[str, str]]]


@dataclass(frozen=True)
class Resolution:
    """How a given id was resolved: the node used, its label, and the triple that linked them."""

    given: str
    kind: str
    node: str  # the node's IRI
    label: str | None
    via: str  # "self" or the predicate IRI
    name: str | None = None  # the parameter that took the id

    @property
    def node_curie(self) -> str:
        return vocab.compress(self.node)

    @property
    def changed(self) -> bool:
        """True when the node is not the id given (a line saying so is due)."""
        return self.via != SELF

    def describe(self) -> str:
        """One line for stderr: ``resolved disease=ORPHA:803 to MONDO:0004976 (label) via skos:exactMatch``,
        or ``… to ORPHA:803 (label), the id itself``."""
        given = f"{self.name}={self.given}" if self.name else self.given
        label = f" ({self.label})" if self.label else ""
        how = ", the id itself" if self.via == SELF else f" via {vocab.compress(self.via)}"
        return f"resolved {given} to {self.node_curie}{label}{how}"


@dataclass(frozen=True)
class _Candidate:
    node: str
    via: str
    types: frozenset[str]
    label: str | None


def _term(value: str) -> str:
    return str(NamedNode(value))


def candidates_query(iri: str, curie: str) -> str:
    """SPARQL for every node the id reaches in one step, how, with its types and label."""
    node, literal = _term(iri), str(Literal(curie))
    predicates = " ".join(_term(p) for p in _EQUIVALENCES)
    return f"""SELECT ?node ?via ?type ?label WHERE {{
  {{ VALUES ?node {{ {node} }} BIND ("{SELF}" AS ?via) }}
  UNION {{ VALUES ?via {{ {predicates} }} ?node ?via {node} }}
  UNION {{ VALUES ?via {{ {predicates} }} {node} ?via ?node }}
  UNION {{ VALUES (?via ?end) {{ ({_term(BIOLINK + "original_subject")} {_term(BIOLINK + "subject")})
                                ({_term(BIOLINK + "original_object")} {_term(BIOLINK + "object")}) }}
          VALUES ?original {{ {node} {literal} }}
          ?association ?via ?original ; ?end ?node }}
  OPTIONAL {{ ?node {_term(RDF + "type")}|{_term(BIOLINK + "category")} ?type }}
  OPTIONAL {{ ?node {_term(vocab.RDFS + "label")} ?label }}
}}"""


def _candidates(results: Results) -> list[_Candidate]:
    grouped: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for row in results.rows:
        node, via = row["node"], row["via"]
        if not isinstance(node, NamedNode) or via is None:
            continue
        types, labels = grouped.setdefault((node.value, via.value), (set(), set()))
        if row["type"] is not None:
            types.add(row["type"].value)
        if row["label"] is not None:
            labels.add(row["label"].value)
    return [_Candidate(node, via, frozenset(types), min(labels) if labels else None)
            for (node, via), (types, labels) in sorted(grouped.items())]


def _kind_of(types: Iterable[str]) -> str | None:
    for kind, cls in KINDS.items():
        if cls in types:
            return kind
    return None


def resolve(value: str, kind: str, run: Runner, suggest: Suggester | None = None, name: str | None = None) -> Resolution:
    """Resolve ``value`` (a CURIE or IRI) to the graph's node of ``kind``; a UsageError otherwise.

    ``name`` is the parameter's name, for the message; ``suggest(text, kind, curie)`` returns
    (CURIE, label) pairs for the "did you mean" part (search by label, or by a similar id).
    """
    if kind not in KINDS:
        raise UsageError(f"unknown kind (known: {', '.join(KINDS)})", value=kind)
    shown = f"{name}={value}" if name else value
    try:
        iri = vocab.expand(value)
    except InputError as exc:
        raise UsageError(f"bad {kind} id {shown}: {exc.message}", value=value) from None
    curie = vocab.compress(iri)
    found = _candidates(run(candidates_query(iri, curie)))
    for tier in TIERS:
        hits: dict[str, _Candidate] = {}
        for c in sorted(found, key=lambda c: (c.node, tier.index(c.via) if c.via in tier else len(tier))):
            if c.via in tier and KINDS[kind] in c.types:
                hits.setdefault(c.node, c)
        if len(hits) == 1:
            hit = next(iter(hits.values()))
            return Resolution(value, kind, hit.node, hit.label, hit.via, name)
        if hits:
            names = ", ".join(_shown(c.node, c.label) for c in hits.values())
            raise UsageError(f"{shown} is ambiguous: it names {len(hits)} {kind} nodes through "
                             f"{vocab.compress(next(iter(hits.values())).via)}; did you mean one of {names}?")
    raise UsageError(_failure(shown, curie, kind, found) + "; " + _did_you_mean(curie, kind, found, suggest))


def _shown(node: str, label: str | None) -> str:
    return f"{vocab.compress(node)} ({label})" if label else vocab.compress(node)


def _failure(shown: str, curie: str, kind: str, found: list[_Candidate]) -> str:
    own = next((c for c in found if c.via == SELF), None)
    if own is not None and own.types:
        other = _kind_of(own.types)
        what = f"a {other}" if other else "a node of another kind"
        label = f" ({own.label})" if own.label else ""
        return f"{shown} is {what}{label}, not a {kind}"
    # an id that is no node of its own (normalised away, ADR 10) but names one of another kind
    named = {(other, c.label) for c in found if c.via != SELF and (other := _kind_of(c.types)) and other != kind}
    if len(named) == 1:
        other, label = next(iter(named))
        return f"{shown} is a {other}{f' ({label})' if label else ''}, not a {kind}"
    if any(c.via != SELF for c in found) or (own is not None and own.label):
        return f"{shown} is in the graph, but is not a {kind} node nor an equivalent id of one"
    hint = PREFIX_KIND.get(curie.partition(":")[0])
    if hint and hint != kind:
        return f"{shown} is not in the graph ({curie.partition(':')[0]} ids name {hint}s, not {kind}s)"
    return f"{shown} is not in the graph"


def _did_you_mean(curie: str, kind: str, found: list[_Candidate], suggest: Suggester | None) -> str:
    offers: dict[str, str | None] = {}
    for c in found:
        if c.via in SUGGESTING and KINDS[kind] in c.types:
            offers.setdefault(c.node, c.label)
    own = next((c for c in found if c.via == SELF), None)
    named = [c.label for c in ([own] if own else []) + found if c.label]
    if suggest is not None and len(offers) < 3:
        for node_curie, label in suggest(named[0] if named else "", kind, curie):
            offers.setdefault(vocab.expand(node_curie), label)
    picked = list(offers.items())[:3]
    if not picked:
        return f"did you mean a {kind} id? `alskg search TEXT --type {kind}` finds them by name"
    return "did you mean " + ", ".join(_shown(node, label) for node, label in picked) + "?"
