"""Map HPO's phenotype.hpoa and genes_to_phenotype.txt to Biolink associations.

Every field of an annotation is kept, as Biolink's ingest of HPOA does (field notes §3), but
with IRIs wherever a value names a thing: aspect → association class, ``NOT`` →
``biolink:negated true`` (and no direct edge), PMID/ISBN references → ``biolink:publications``,
OMIM/ORPHA/DECIPHER/URL references → ``dct:source``, evidence → ECO, onset → onset_qualifier,
frequency → frequency_qualifier or has_count/has_total/has_quotient/has_percentage (doubles), sex →
PATO, modifiers → ``biolink:clinical_modifier_qualifier``, biocuration → curators and dates.
Gene–disease links of genes_to_phenotype.txt are ``biolink:GeneToDiseaseAssociation`` with
``biolink:associated_with``: the file lists genes by disease and does not say a gene is causal
(docs/decisions/0011-biolink-conformance.md).

Output is a stream of *blocks*, ``(subject, [(predicate, object), …])`` in N-Triples terms,
in file order, so the full release never has to be held as triples in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from alskg import vocab
from alskg.errors import InputError
from alskg.rdf import terms as t
from alskg.rdf.cliques import Cliques
from alskg.rdf.provenance import provenance_slots
from alskg.sources.genes import GeneDisease
from alskg.sources.hpoa import Annotation

HPOA_GRAPH = vocab.ALSKG_GRAPH + "hpoa"
GENES_GRAPH = vocab.ALSKG_GRAPH + "genes"
HPOA_SOURCE = t.curie("ALSKG:source-hpo-phenotype-hpoa")
GENES_SOURCE = t.curie("ALSKG:source-hpo-genes-to-phenotype-txt")
Block = tuple[str, list[tuple[str, str]]]

#: aspect → (association class, predicate); P and I are Biolink's, C/M/H are ours (ontology/alskg.ttl).
ASPECTS: dict[str, tuple[str, str]] = {
    "P": (t.bl("DiseaseToPhenotypicFeatureAssociation"), t.bl("has_phenotype")),
    "I": (t.bl("DiseaseOrPhenotypicFeatureToGeneticInheritanceAssociation"), t.bl("has_mode_of_inheritance")),
    "C": (t.v("DiseaseToClinicalCourseAssociation"), t.v("has_clinical_course")),
    "M": (t.v("DiseaseToClinicalModifierAssociation"), t.v("has_clinical_modifier")),
    "H": (t.v("DiseaseToPastMedicalHistoryAssociation"), t.v("has_past_medical_history")),
}
#: Aspect I with an n/m or p% frequency (the share of reported cases with that mode of
#: inheritance): Biolink's inheritance class has no has_count/has_total/has_quotient/
#: has_percentage, so such an association is also this alskg class, declared (ontology/alskg.ttl)
#: rdfs:subClassOf the inheritance class and biolink:FrequencyQuantifier, the mixin that has them.
INHERITANCE_FREQUENCY = t.v("DiseaseToGeneticInheritanceFrequencyAssociation")
_FREQUENCY_TERM = t.bl("frequency_qualifier")
#: evidence code → ECO (:data:`alskg.vocab.EVIDENCE_ECO`).
EVIDENCE = vocab.EVIDENCE_ECO
#: sex → PATO (field notes §3).
SEX = {"MALE": "PATO:0000384", "FEMALE": "PATO:0000383"}
#: disease prefix → primary knowledge source; the aggregator (:mod:`alskg.vocab`).
PRIMARY = vocab.PRIMARY_INFORES
AGGREGATOR = vocab.HPO_ANNOTATIONS_INFORES
FREQUENCY_TERMS = frozenset(f"HP:004028{i}" for i in range(6))
PUBLICATION_PREFIXES = {"PMID": "PMID", "ISBN": "isbn", "ISBN-10": "isbn", "ISBN-13": "isbn"}
# An ISBN keeps its HPOA spelling under Biolink's lower-case ``isbn`` prefix.
# Terms written for every annotation, built once.
_SUBJECT, _PREDICATE, _OBJECT = t.bl("subject"), t.bl("predicate"), t.bl("object")
_NEGATED, _PUBLICATIONS, _EVIDENCE = t.bl("negated"), t.bl("publications"), t.bl("has_evidence")
_ONSET, _SEX, _MODIFIER = t.bl("onset_qualifier"), t.bl("sex_qualifier"), t.bl("clinical_modifier_qualifier")
_CREATED, _MODIFIED, _CONTRIBUTOR = t.ns(vocab.DCT, "created"), t.ns(vocab.DCT, "modified"), t.ns(vocab.DCT, "contributor")
_TRUE = t.boolean(True)
_ORIGINAL_SUBJECT, _ORIGINAL_OBJECT = t.bl("original_subject"), t.bl("original_object")
_EXACT_SYNONYM = t.ns(vocab.OIO, "hasExactSynonym")
#: genes_to_phenotype.txt: association class and predicate (GeneToDiseasePredicateEnum).
GENE_ASSOCIATION, GENE_PREDICATE = t.bl("GeneToDiseaseAssociation"), t.bl("associated_with")
# ASCII digits only: ``\d`` also takes full-width and Arabic-Indic digits, which int() accepts
_CURATION = re.compile(r"^([A-Za-z]+):([^\[\]]+)\[([0-9]{4}-[0-9]{2}-[0-9]{2})\]\Z")
_FRACTION = re.compile(r"^([0-9]{1,9})/([0-9]{1,9})\Z")
_PERCENT = re.compile(r"^([0-9]{1,9}(?:\.[0-9]{1,9})?)%\Z")


def annotation_key(row: Annotation) -> tuple[str, ...]:
    """What makes an annotation one fact: every column but the disease name and biocuration
    (:attr:`alskg.sources.hpoa.Annotation.key`)."""
    return row.key


def _ratio(numerator: Decimal, denominator: Decimal) -> str:
    return format(round(numerator / denominator, 6).normalize(), "f")


def frequency_slots(value: str) -> list[tuple[str, str]]:
    """The Biolink slots for an HPOA frequency: an HP term, ``n/m`` or ``p%``."""
    return list(_frequency_slots(value))


@lru_cache(maxsize=1 << 16)
def _frequency_slots(value: str) -> tuple[tuple[str, str], ...]:
    """:func:`frequency_slots`, made once per distinct cell (the release has a few thousand
    among 270,000 rows; a bad value raises every time, since errors are not cached)."""
    if not value:
        return ()
    if value.startswith("HP:"):
        if value not in FREQUENCY_TERMS:
            raise InputError("a frequency term must be one of HP:0040280-HP:0040285", value=value)
        return ((_FREQUENCY_TERM, t.curie(value)),)
    match = _FRACTION.match(value)
    if match:
        n, m = Decimal(match.group(1)), Decimal(match.group(2))
        if m == 0 or n > m:
            raise InputError("frequency n/m needs 0 < m and n <= m", value=value)
        return ((t.bl("has_count"), t.integer(int(n))), (t.bl("has_total"), t.integer(int(m))),
                (t.bl("has_quotient"), t.typed(_ratio(n, m), "double")),
                (t.bl("has_percentage"), t.typed(_ratio(100 * n, m), "double")))
    match = _PERCENT.match(value)
    if match:
        p = Decimal(match.group(1))
        if not 0 < p <= 100:
            raise InputError("frequency p% needs 0 < p <= 100", value=value)
        return ((t.bl("has_percentage"), t.double(match.group(1))),
                (t.bl("has_quotient"), t.typed(_ratio(p, Decimal(100)), "double")))
    raise InputError("frequency must be an HP term, n/m or p%", value=value)


#: A PMID or ISBN reference whose id is malformed (``PMID:20037588P`` in HPO 2025-01-16) is no
#: publication: it is kept as written, a literal, under this property, and counted by the release.
MALFORMED_REFERENCE = t.ns(vocab.DCT, "bibliographicCitation")


def _well_formed(prefix: str, local: str) -> bool:
    """A PMID is ASCII digits; an ISBN ASCII digits, ``X`` and ``-`` (what the publication shape takes)."""
    allowed = "0123456789" if prefix == "PMID" else "0123456789X-"
    return bool(local) and all(c in allowed for c in local)


@lru_cache(maxsize=1 << 16)
def reference_slots(reference: str) -> tuple[str, str]:
    """A reference as ``biolink:publications`` (PMID, ISBN) or ``dct:source`` (OMIM, ORPHA, URLs);
    a malformed PMID or ISBN as the literal it is (:data:`MALFORMED_REFERENCE`)."""
    if reference.startswith(("http://", "https://")):
        return t.ns(vocab.DCT, "source"), t.iri(reference)
    prefix, _, local = reference.partition(":")
    if prefix in PUBLICATION_PREFIXES:
        if not _well_formed(prefix, local):
            return MALFORMED_REFERENCE, t.lit(reference)
        return t.bl("publications"), t.curie(f"{PUBLICATION_PREFIXES[prefix]}:{local}")
    return t.ns(vocab.DCT, "source"), t.curie(reference)


@dataclass
class Curation:
    """Curators and dates of one or more biocuration cells."""

    curators: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)

    def add(self, cell: str) -> None:
        for curator, day in _curation_items(cell):
            self.curators.add(curator)
            self.dates.add(day)


@lru_cache(maxsize=1 << 16)
def _curation_items(cell: str) -> tuple[tuple[str, str], ...]:
    """(curator, date) pairs of one biocuration cell, parsed once per distinct cell."""
    out = []
    for item in cell.split(";"):
        match = _CURATION.match(item.strip())  # the release has stray spaces around items
        if not match:
            raise InputError("biocuration must be PREFIX:name[YYYY-MM-DD]", value=item)
        out.append((f"{match.group(1)}:{match.group(2)}", match.group(3)))
    return tuple(out)


@lru_cache(maxsize=None)
def curator_iri(curator: str) -> str:
    """ORCID curators get their ORCID IRI; named ones (``HPO:probinson``) a minted ``ALSKG:curator-…``."""
    prefix, _, name = curator.partition(":")
    if prefix == "ORCID":
        return t.curie(curator)
    slug = re.sub(r"[^a-z0-9]+", "-", f"{prefix}-{name}".lower()).strip("-")
    return t.curie(f"ALSKG:curator-{slug}")


class HpoaMapper:
    """Turns annotations into blocks; remembers which diseases and curators it has described.

    With ``cliques``, a disease MONDO maps is written as its MONDO node (ADR 10): the
    association keeps the source's id as ``biolink:original_subject`` and the source's name
    becomes an exact synonym of the node when it differs from the node's label.
    """

    def __init__(self, cliques: Cliques | None = None) -> None:
        self.cliques = cliques or Cliques()
        self.diseases: dict[str, str] = {}
        self.nodes: set[str] = set()
        self._originals: dict[str, str] = {}
        self.names: set[tuple[str, str]] = set()
        self.curators: dict[str, str] = {}
        self.direct: set[tuple[str, str, str]] = set()
        self.publications: set[str] = set()

    def disease(self, s: str, rows: list[Annotation]) -> Iterator[Block]:
        """The disease node on first sight; a name other than the first becomes a synonym
        (also the name of a merged duplicate row)."""
        disease = rows[0].database_id
        if self.cliques.is_normalised(disease):
            yield from self._normalised_disease(s, rows)
            return
        for row in rows:
            if disease not in self.diseases:
                self.diseases[disease] = row.disease_name
                name = t.lit(row.disease_name)
                yield s, [(t.RDF_TYPE, t.bl("Disease")), (t.RDFS_LABEL, name), (t.bl("name"), name),
                          (t.PROV_DERIVED, HPOA_SOURCE)]
            elif self.diseases[disease] != row.disease_name and (disease, row.disease_name) not in self.names:
                self.names.add((disease, row.disease_name))
                yield s, [(t.ns(vocab.OIO, "hasExactSynonym"), t.lit(row.disease_name))]

    def original(self, disease: str) -> str:
        """The id a row used, as a string literal (made once per disease)."""
        term = self._originals.get(disease)
        if term is None:
            term = self._originals[disease] = t.lit(disease)
        return term

    def _normalised_disease(self, s: str, rows: list[Annotation]) -> Iterator[Block]:
        """A MONDO node the source names by another id: typed, derived from the release, and
        the source's names as exact synonyms (the label is MONDO's or the curated one)."""
        disease = rows[0].database_id
        for row in rows:
            if (s, row.disease_name) in self.names:  # the usual case: this name was seen before
                continue
            self.names.add((s, row.disease_name))
            self.diseases.setdefault(disease, row.disease_name)
            if s not in self.nodes:  # several source ids may share one MONDO node (ADR 10)
                self.nodes.add(s)
                yield s, [(t.RDF_TYPE, t.bl("Disease")), (t.PROV_DERIVED, HPOA_SOURCE)]
            if row.disease_name.casefold() != self.cliques.labels.get(self.cliques.node(disease), "").casefold():
                yield s, [(_EXACT_SYNONYM, t.lit(row.disease_name))]

    def association(self, rows: list[Annotation]) -> Iterator[Block]:
        """The blocks of one annotation (``rows`` are its duplicates, merged)."""
        row = rows[0]
        cls, predicate = ASPECTS.get(row.aspect, (None, None))
        if cls is None or predicate is None:
            raise InputError("aspect must be one of P, I, C, M, H", value=row.aspect)
        s = t.curie(self.cliques.node(row.database_id))
        o = t.curie(row.hpo_id)
        node = t.minted("assoc", "hpoa", *annotation_key(row))  # keyed by the source's id
        slots = [(t.RDF_TYPE, cls), (_SUBJECT, s), (_PREDICATE, predicate), (_OBJECT, o),
                 (_ORIGINAL_SUBJECT, self.original(row.database_id))]
        if row.negated:
            slots.append((_NEGATED, _TRUE))
        elif row.qualifier:
            raise InputError("qualifier must be NOT or empty", value=row.qualifier)
        publications: list[str] = []
        for ref in row.references:
            slot, target = reference_slots(ref)
            slots.append((slot, target))
            if slot == _PUBLICATIONS and target not in self.publications:
                self.publications.add(target)
                publications.append(target)
        if row.evidence not in EVIDENCE:
            raise InputError("evidence must be IEA, PCS or TAS", value=row.evidence)
        slots.append((_EVIDENCE, t.curie(EVIDENCE[row.evidence])))
        if row.onset:
            slots.append((_ONSET, t.curie(row.onset)))
        frequency = _frequency_slots(row.frequency)
        if row.aspect == "I" and any(slot != _FREQUENCY_TERM for slot, _ in frequency):
            slots.append((t.RDF_TYPE, INHERITANCE_FREQUENCY))  # counts need Biolink's frequency mixin (ADR 11)
        slots.extend(frequency)
        if row.sex:
            if row.sex.upper() not in SEX:
                raise InputError("sex must be MALE or FEMALE", value=row.sex)
            slots.append((_SEX, t.curie(SEX[row.sex.upper()])))
        slots.extend((_MODIFIER, t.curie(m)) for m in dict.fromkeys(row.modifiers))  # a modifier may be listed twice
        prefix = row.database_id.partition(":")[0]
        slots += provenance_slots(PRIMARY.get(prefix, AGGREGATOR), AGGREGATOR, (HPOA_SOURCE,))
        for publication in publications:
            yield publication, [(t.RDF_TYPE, t.bl("Publication")), t.PUBLICATION_TYPE]
        curation = Curation()
        for dup in rows:
            try:
                curation.add(dup.biocuration)
            except InputError as exc:
                exc.line = dup.line  # the merged duplicate that holds the bad cell
                raise
        dates = sorted(curation.dates)
        slots.append((_CREATED, t.date(dates[0])))
        if dates[-1] != dates[0]:
            slots.append((_MODIFIED, t.date(dates[-1])))
        for curator in sorted(curation.curators):
            iri = curator_iri(curator)
            slots.append((_CONTRIBUTOR, iri))
            if curator not in self.curators:
                self.curators[curator] = iri
                yield iri, [(t.RDF_TYPE, t.ns(vocab.PROV, "Agent")), (t.RDFS_LABEL, t.lit(curator))]
        yield from self.disease(s, rows)
        yield node, list(dict.fromkeys(slots))  # a cell listing a value twice states it once
        if not row.negated and (s, predicate, o) not in self.direct:
            self.direct.add((s, predicate, o))
            yield s, [(predicate, o)]


def group_duplicates(rows: Iterable[Annotation]) -> list[list[Annotation]]:
    """Annotations grouped by :func:`annotation_key`, in order of first appearance."""
    groups: dict[tuple[str, ...], list[Annotation]] = {}
    for row in rows:
        groups.setdefault(annotation_key(row), []).append(row)
    return list(groups.values())


def map_annotations(rows: Iterable[Annotation], source: Path | None = None,
                    cliques: Cliques | None = None) -> Iterator[Block]:
    """Blocks for every annotation, duplicates merged, in file order; a value that cannot be
    mapped raises InputError naming the file and line. ``cliques`` normalises diseases to MONDO."""
    mapper = HpoaMapper(cliques)
    for group in group_duplicates(rows):
        try:
            yield from mapper.association(group)
        except InputError as exc:
            exc.file = exc.file or source
            exc.line = exc.line or group[0].line
            raise


def map_gene_diseases(pairs: Iterable[GeneDisease], cliques: Cliques | None = None) -> Iterator[Block]:
    """Gene–disease associations of genes_to_phenotype.txt (gene nodes typed once); with
    ``cliques`` the disease is its MONDO node and the file's id ``biolink:original_object``."""
    genes: set[str] = set()
    direct: set[tuple[str, str]] = set()
    cliques = cliques or Cliques()
    for pair in pairs:
        g, d = t.curie(pair.gene), t.curie(cliques.node(pair.disease))
        if pair.gene not in genes:
            genes.add(pair.gene)
            yield g, [(t.RDF_TYPE, t.bl("Gene")), (t.RDFS_LABEL, t.lit(pair.symbol)), (t.bl("symbol"), t.lit(pair.symbol))]
        node = t.minted("assoc", "genes", pair.gene, pair.disease)
        prefix = pair.disease.partition(":")[0]
        yield node, [
            (t.RDF_TYPE, GENE_ASSOCIATION),
            (t.bl("subject"), g), (t.bl("predicate"), GENE_PREDICATE), (t.bl("object"), d),
            (_ORIGINAL_OBJECT, t.lit(pair.disease)),
            *provenance_slots(PRIMARY.get(prefix, AGGREGATOR), AGGREGATOR, (GENES_SOURCE,)),
        ]
        if (g, d) not in direct:  # two source ids of one MONDO node give one direct edge
            direct.add((g, d))
            yield g, [(GENE_PREDICATE, d)]
