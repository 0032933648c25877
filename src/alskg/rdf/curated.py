"""Map the curated GARD layer (:class:`CuratedData`) to quads, one function per table.

Every fact becomes an association or statement node (``ALSKG:assoc-…``, minted from a
stable key) carrying subject, predicate, object and provenance; Biolink's direct edge is
written beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from alskg import vocab
from alskg.rdf import terms as t
from alskg.rdf.provenance import provenance_slots
from alskg.rdf.quads import QuadSink
from alskg.sources.curated import CuratedData
from alskg.sources.table_records import (
    ApprovalRow,
    CarePlanRow,
    CareRoleRow,
    CharacteristicRow,
    DiagnosticRow,
    DiseaseRow,
    DrugRow,
    GeneRow,
    InheritanceRow,
    PhenotypeRow,
    PublicationRow,
    ResourceRow,
    SectionRow,
    SynonymRow,
    TreatmentRow,
    XrefRow,
)
from alskg.sources.tables import TableRow, split_multi

GRAPH = vocab.ALSKG_GRAPH + "gard"
GARD_PAGE = "ALSKG:source-gard-als-page"
GARD_INFORES = vocab.GARD_INFORES  # the page as a Biolink knowledge source
HPO_ANNOTATIONS = vocab.HPO_ANNOTATIONS_INFORES
TAS = vocab.TAS_ECO  # traceable author statement (HPO's TAS), for statements of the page

_SCOPE_PREDICATES = {
    "exact": "hasExactSynonym",
    "narrow": "hasNarrowSynonym",
    "broad": "hasBroadSynonym",
    "related": "hasRelatedSynonym",
}
_ROLE = {"disease": "RootDisease", "subtype": "PageSubtype", "family-member": "FamilyMember", "case-group": "CaseGroup"}
_UNIT = {"percent": "Percent", "year": "Year"}
_STATUS = {"approved": "Approved", "pending": "ApprovalPending"}
_HEDGE = {
    "often": "HedgeOften", "may": "HedgeMay", "eventually": "HedgeEventually", "usually": "HedgeUsually",
    "most": "HedgeMost", "less-frequently": "HedgeLessFrequently", "rarely": "HedgeRarely",
}
#: Characteristics whose object is the fact itself (a phenotype), so the direct edge is written.
_DIRECT_CHARACTERISTICS = frozenset({"usual_cause_of_death", "early_symptom", "late_feature"})
_CARE_PLAN = {"goal": ("CareGoal", "has_care_goal"), "approach": ("CareApproach", "has_care_approach")}
_PURPOSE = {
    "upper-motor-neuron-sign": "UpperMotorNeuronSign",
    "lower-motor-neuron-sign": "LowerMotorNeuronSign",
    "rule-out": "RuleOutTest",
    "after-diagnosis": "AfterDiagnosisTest",
    "suspicion": "SuspicionBasis",
}


def source_node(item: str) -> str:
    """The IRI term of one ``source`` item: a page section or a release/reference file."""
    kind, _, where = item.partition(":")
    if kind == "gard":
        return t.curie(f"ALSKG:section-{where}")
    slug = where.replace("_", "-").replace(".", "-").lower()
    return t.curie(f"ALSKG:source-{kind}-{slug}")


class CuratedMapper:
    """Writes the quads of one :class:`CuratedData` into a :class:`QuadSink`."""

    def __init__(self, data: CuratedData, sink: QuadSink) -> None:
        self.data = data
        self.sink = sink
        self.publication_of = {row.ref: row.id for row in data.rows(PublicationRow)}

    # -- helpers -------------------------------------------------------------------------
    def add(self, s: str, p: str, o: str) -> None:
        self.sink.add(GRAPH, s, p, o)

    def typed(self, s: str, *classes: str) -> None:
        for cls in classes:
            self.add(s, t.RDF_TYPE, cls)

    def text(self, s: str, p: str, value: str) -> None:
        """Add a string literal only when there is one."""
        if value:
            self.add(s, p, t.lit(value))

    def provenance(self, node: str, row: TableRow, primary: str | None = None, aggregator: str | None = None) -> None:
        """Publications, evidence, and the provenance slots (:mod:`alskg.rdf.provenance`) of an
        association node.

        The primary knowledge source is the page for what the page states, HPO's annotations
        for rows read from the release, unless ``primary`` says otherwise.
        """
        sources = split_multi(row["source"])
        from_page = any(item.startswith("gard:") for item in sources)
        for ref in split_multi(row.get("refs")):
            self.add(node, t.bl("publications"), t.curie(self.publication_of[ref]))
        if from_page:
            self.add(node, t.bl("has_evidence"), t.curie(TAS))
        primary = primary or (GARD_INFORES if from_page else HPO_ANNOTATIONS)
        for p, o in provenance_slots(primary, aggregator, tuple(source_node(item) for item in sources)):
            self.add(node, p, o)

    def statement_provenance(self, node: str, row: TableRow) -> None:
        """Sections/files, publications and knowledge source of an alskg statement, in
        non-Biolink terms (``prov:wasDerivedFrom``, ``dct:references``, ``dct:source``)."""
        sources = split_multi(row["source"])
        for item in sources:
            self.add(node, t.PROV_DERIVED, source_node(item))
        for ref in split_multi(row.get("refs")):
            self.add(node, t.ns(vocab.DCT, "references"), t.curie(self.publication_of[ref]))
        from_page = any(item.startswith("gard:") for item in sources)
        self.add(node, t.ns(vocab.DCT, "source"), t.curie(GARD_INFORES if from_page else HPO_ANNOTATIONS))

    def association(
        self, cls: str, s: str, p: str, o: str | None, row: TableRow, *key: str,
        direct: bool = True, primary: str | None = None, aggregator: str | None = None,
        mint_object: str | None = None,
    ) -> str:
        """A reified edge: the association node, its slots, its provenance and the direct triple.

        ``key`` holds what distinguishes two statements of the same edge (a section, a slug);
        with the edge itself (``mint_object``, else ``o``) it is hashed into the node's IRI.
        A Biolink class (``cls`` without prefix) gets Biolink's association slots; an alskg
        statement class (``alskg:…``) is an ``rdf:Statement`` with ``rdf:subject``/``rdf:predicate``/
        ``rdf:object`` and no Biolink slot (docs/decisions/0011-biolink-conformance.md).
        """
        minted = mint_object if mint_object is not None else o or ""
        a = t.iri(vocab.mint("assoc", "gard", cls, s, p, minted, *key).value)
        statement = ":" in cls
        self.typed(a, t.curie(cls) if statement else t.bl(cls))
        slot = (lambda name: t.ns(vocab.RDF, name)) if statement else t.bl
        self.add(a, slot("subject"), s)
        self.add(a, slot("predicate"), p)
        if o is not None:
            self.add(a, slot("object"), o)
            if direct:
                self.add(s, p, o)
        if statement:
            self.statement_provenance(a, row)
        else:
            self.provenance(a, row, primary, aggregator)
        return a

    def quantity(self, row: CharacteristicRow) -> str:
        """The object of a characteristic that states only a number or range (a mean age, a
        survival time): ``ALSKG:quantity-<row id>``, an ``alskg:QuantityValue`` labelled with it."""
        node = t.curie(f"ALSKG:quantity-{row.id}")
        number = row.value or f"{row.value_min}-{row.value_max}"
        self.typed(node, t.v("QuantityValue"))
        self.add(node, t.RDFS_LABEL, t.lit(f"{number} {row.unit}".strip()))
        return node

    # -- tables --------------------------------------------------------------------------
    def sections(self) -> None:
        page = t.curie(GARD_PAGE)
        self.typed(page, t.ns(vocab.DCAT, "Resource"))
        self.add(page, t.RDFS_LABEL, t.lit("GARD page: Amyotrophic lateral sclerosis"))
        self.add(page, t.ns(vocab.FOAF, "primaryTopic"), t.curie("MONDO:0004976"))
        for row in self.data.rows(SectionRow):
            s = t.curie(f"ALSKG:section-{row.section}")
            self.typed(s, t.v("PageSection"))
            self.add(s, t.RDFS_LABEL, t.lit(row.title))
            self.add(s, t.ns(vocab.DCT, "isPartOf"), page)
            self.text(s, t.SKOS_DEFINITION, row.description)
            if row.last_updated:
                self.add(s, t.DCT_MODIFIED, t.date(row.last_updated))

    def publications(self) -> None:
        for row in self.data.rows(PublicationRow):
            p = t.curie(row.id)
            self.typed(p, t.bl("Publication"))
            self.add(p, *t.PUBLICATION_TYPE)
            self.add(p, t.ns(vocab.DCT, "title"), t.lit(row.title))
            self.add(p, t.RDFS_LABEL, t.lit(row.title))
            for author in split_multi(row.authors):
                self.add(p, t.bl("authors"), self.author(author))
            self.text(p, t.v("venue"), row.venue)
            self.add(p, t.ns(vocab.DCT, "date"), t.date(row.date))
            self.text(p, t.bl("volume"), row.volume)
            self.text(p, t.bl("issue"), row.issue)
            self.text(p, t.bl("pages"), row.pages)
            self.text(p, t.ns(vocab.DCT, "identifier"), row.bookshelf_id)
            if row.url:
                self.add(p, t.ns(vocab.FOAF, "page"), t.iri(row.url))
            self.add(p, t.v("page_reference_number"), t.integer(int(row.ref)))
            self.add(p, t.PROV_DERIVED, source_node(row.source))

    def author(self, name: str) -> str:
        """An author as a ``biolink:Agent`` node (Biolink's range of ``authors``), named as the page
        cites it (``Kinsley L``): ``ALSKG:author-<slug of the name>``."""
        node = t.curie("ALSKG:author-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"))
        self.typed(node, t.bl("Agent"))
        self.add(node, t.RDFS_LABEL, t.lit(name))
        self.add(node, t.bl("name"), t.lit(name))
        return node

    def references(self, node: str, row: TableRow) -> None:
        """``dct:references`` from an entity to the page references its row cites."""
        for ref in split_multi(row.get("refs", "")):
            self.add(node, t.ns(vocab.DCT, "references"), t.curie(self.publication_of[ref]))

    def diseases(self) -> None:
        for row in self.data.rows(DiseaseRow):
            d = t.curie(row.id)
            self.typed(d, t.bl("Disease"), t.OWL_CLASS)
            self.add(d, t.RDFS_LABEL, t.lit(row.label))
            self.add(d, t.bl("name"), t.lit(row.label))
            self.text(d, t.SKOS_DEFINITION, row.definition)
            self.add(d, t.v("disease_role"), t.v(_ROLE[row.role]))
            if row.parent:
                parent = t.curie(row.parent)
                self.add(d, t.RDFS_SUBCLASS, parent)
                self.add(d, t.bl("subclass_of"), parent)
            for item in split_multi(row.source):
                self.add(d, t.PROV_DERIVED, source_node(item))
            self.references(d, row)

    def synonyms(self) -> None:
        for row in self.data.rows(SynonymRow):
            e = t.curie(row.entity)
            name = t.lit(row.synonym)
            self.add(e, t.bl("synonym"), name)
            self.add(e, t.ns(vocab.OIO, _SCOPE_PREDICATES[row.scope]), name)
            if row.type == "layperson":
                self.add(e, t.v("layperson_synonym"), name)
            elif row.type == "abbreviation":
                self.add(e, t.v("abbreviation"), name)

    def xrefs(self) -> None:
        for row in self.data.rows(XrefRow):
            s, o = t.curie(row.subject), t.curie(row.object)
            self.add(s, t.curie(row.predicate), o)
            self.add(s, t.bl("xref"), o)
            # the label the mapping source gives the target; rdfs:label stays with the target's own source
            self.text(o, t.ns(vocab.SKOS, "altLabel"), row.object_label)

    def phenotypes(self) -> None:
        for row in self.data.rows(PhenotypeRow):
            d, hp = t.curie(row.disease), t.curie(row.phenotype)
            self.typed(hp, t.bl("PhenotypicFeature"))
            # The page says its symptom table comes from HPO: HPO is primary, the page aggregates.
            a = self.association(
                "DiseaseToPhenotypicFeatureAssociation", d, t.bl("has_phenotype"), hp, row, primary=HPO_ANNOTATIONS,
                aggregator=GARD_INFORES,
            )
            if row.frequency:
                self.add(a, t.bl("frequency_qualifier"), t.curie(row.frequency))
            self.add(a, t.v("source_label"), t.lit(row.page_label))
            self.add(a, t.v("frequency_band"), t.lit(row.frequency_band))

    def inheritance(self) -> None:
        for row in self.data.rows(InheritanceRow):
            d, mode = t.curie(row.disease), t.curie(row.mode)
            self.typed(mode, t.bl("GeneticInheritance"))
            a = self.association(
                "DiseaseOrPhenotypicFeatureToGeneticInheritanceAssociation", d, t.bl("has_mode_of_inheritance"),
                mode, row, row.source,
            )
            self.text(a, t.v("source_label"), row.page_label)

    def characteristics(self) -> None:
        for row in self.data.rows(CharacteristicRow):
            s = t.curie(row.subject)
            p = t.v(row.characteristic)
            o = t.curie(row.object) if row.object else self.quantity(row)
            # a direct triple (and a PhenotypicFeature type) only for a named object, never a quantity
            direct = row.characteristic in _DIRECT_CHARACTERISTICS and bool(row.object)
            if direct:
                self.typed(o, t.bl("PhenotypicFeature"))
            a = self.association("alskg:DiseaseCharacteristic", s, p, o, row, row.id, direct=direct,
                                 mint_object="" if not row.object else None)
            for column, value in (("value", row.value), ("value_min", row.value_min), ("value_max", row.value_max)):
                if value:
                    self.add(a, t.v(column), t.decimal(value))
            if row.unit:
                self.add(a, t.v("unit"), t.v(_UNIT[row.unit]))
            self.add(a, t.v("approximate"), t.boolean(row.approximate == "true"))
            if row.hedge:
                self.add(a, t.v("hedge"), t.v(_HEDGE[row.hedge]))

    def genes(self) -> None:
        for row in self.data.rows(GeneRow):
            g, d = t.curie(row.gene), t.curie(row.disease)
            self.typed(g, t.bl("Gene"))
            self.add(g, t.RDFS_LABEL, t.lit(row.symbol))
            self.add(g, t.bl("symbol"), t.lit(row.symbol))
            # causes only where a source says the gene is causal; otherwise a predicate of
            # Biolink's GeneToDiseasePredicateEnum on the plain gene-to-disease class
            causal = row.predicate == "biolink:causes"
            cls = "CausalGeneToDiseaseAssociation" if causal else "GeneToDiseaseAssociation"
            self.association(cls, g, t.curie(row.predicate), d, row)

    def drugs(self) -> None:
        # An active ingredient is also a biolink:MolecularEntity, the range of has_active_ingredient.
        ingredients = {row.active_ingredient for row in self.data.rows(DrugRow) if row.active_ingredient}
        for row in self.data.rows(DrugRow):
            drug = t.curie(row.id)
            self.typed(drug, t.bl("Drug"))
            if row.id in ingredients:
                self.typed(drug, t.bl("MolecularEntity"))
            self.add(drug, t.RDFS_LABEL, t.lit(row.label))
            self.text(drug, t.SKOS_DEFINITION, row.description)
            if row.active_ingredient:
                self.add(drug, t.bl("has_active_ingredient"), t.curie(row.active_ingredient))
            self.text(drug, t.v("dosage_form"), row.dosage_form)
            self.text(drug, t.v("route"), row.route)
            for item in split_multi(row.source):
                self.add(drug, t.PROV_DERIVED, source_node(item))
            self.references(drug, row)

    def treatments(self) -> None:
        for row in self.data.rows(TreatmentRow):
            self.association(
                "ChemicalOrDrugOrTreatmentToDiseaseOrPhenotypicFeatureAssociation",
                t.curie(row.drug), t.bl("treats"), t.curie(row.disease), row,
            )

    def approvals(self) -> None:
        for row in self.data.rows(ApprovalRow):
            a = self.association(
                "alskg:RegulatoryApproval", t.curie(row.drug), t.v("has_regulatory_status"),
                t.v(_STATUS[row.status]), row, row.jurisdiction, direct=False,
            )
            self.add(a, t.v("jurisdiction"), t.lit(row.jurisdiction))
            self.text(a, t.v("agency"), row.agency)
            if row.as_of:
                self.add(a, t.v("as_of"), t.date(row.as_of))

    def care_roles(self) -> None:
        als = t.curie("MONDO:0004976")
        for row in self.data.rows(CareRoleRow):
            role = t.curie(row.id)
            self.typed(role, t.v("CareRole"))
            self.add(role, t.RDFS_LABEL, t.lit(row.label))
            self.text(role, t.SKOS_DEFINITION, row.description)
            self.association("alskg:CareTeamStatement", als, t.v("has_care_role"), role, row)

    def care_plan(self) -> None:
        """Goals and approaches of the care the page describes, each linked to ALS by a statement."""
        als = t.curie("MONDO:0004976")
        for row in self.data.rows(CarePlanRow):
            item = t.curie(row.id)
            cls, predicate = _CARE_PLAN[row.kind]
            self.typed(item, t.v(cls))
            self.add(item, t.RDFS_LABEL, t.lit(row.label))
            self.text(item, t.SKOS_DEFINITION, row.description)
            self.association("alskg:CarePlanStatement", als, t.v(predicate), item, row)

    def diagnostics(self) -> None:
        als = t.curie("MONDO:0004976")
        for row in self.data.rows(DiagnosticRow):
            item = t.curie(row.id)
            finding = row.kind == "finding"
            self.typed(item, t.bl("PhenotypicFeature") if finding else t.v("DiagnosticTest"))
            if not row.id.startswith("HP:"):
                self.add(item, t.RDFS_LABEL, t.lit(row.label))
                self.text(item, t.SKOS_DEFINITION, row.description)
            predicate = {
                "finding": "has_diagnostic_sign",
                "rule-out": "has_exclusion_test",
                "after-diagnosis": "has_follow_up_test",
                "suspicion": "has_suspicion_basis",
            }["finding" if finding else row.purpose]
            a = self.association("alskg:DiagnosticStatement", als, t.v(predicate), item, row, row.purpose)
            self.add(a, t.v("diagnostic_purpose"), t.v(_PURPOSE[row.purpose]))
            if row.id.startswith("HP:"):  # HPO defines the term; our words describe its diagnostic use
                self.text(a, t.ns(vocab.DCT, "description"), row.description)

    def resources(self) -> None:
        als = t.curie("MONDO:0004976")
        for row in self.data.rows(ResourceRow):
            r = t.curie(row.id)
            category = t.curie("ALSKG:category-" + "-".join(row.category.lower().split()))
            self.typed(r, t.v("WebResource"))
            self.add(r, t.RDFS_LABEL, t.lit(row.label))
            self.add(r, t.v("resource_category"), category)
            self.typed(category, t.v("ResourceCategory"))
            self.add(category, t.RDFS_LABEL, t.lit(row.category))
            self.text(r, t.v("maintainer"), row.maintainer)
            self.text(r, t.SKOS_DEFINITION, row.description)
            self.add(r, t.ns(vocab.FOAF, "primaryTopic"), als)
            self.add(r, t.PROV_DERIVED, source_node(row.source))

    def run(self) -> None:
        steps: list[Callable[[], None]] = [
            self.sections, self.publications, self.diseases, self.synonyms, self.xrefs, self.phenotypes,
            self.inheritance, self.characteristics, self.genes, self.drugs, self.treatments, self.approvals,
            self.care_roles, self.care_plan, self.diagnostics, self.resources,
        ]
        for step in steps:
            step()


def map_curated(data: CuratedData, sink: QuadSink) -> None:
    """Write the GARD layer's quads into ``sink`` (graph ``alskg/graph/gard``)."""
    CuratedMapper(data, sink).run()
