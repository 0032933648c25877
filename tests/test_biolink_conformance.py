"""The Biolink conformance checker (alskg.conformance): each rule on hand-made graphs, then the
ALS build (default suite) and the full build (``slow``).

The small graphs share one conforming base (which also holds every form ADR 0011 allows); each
rule has a failing variant that adds the one thing the rule forbids.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from alskg.build import BuildResult, build
from alskg.cli import cli
from alskg.conformance import RULES, ConformanceReport, check_store
from alskg.store import open_store

PREFIXES = """
@prefix alskg:    <https://w3id.org/alskg/vocab/> .
@prefix ALSKG:    <https://w3id.org/alskg/id/> .
@prefix biolink:  <https://w3id.org/biolink/vocab/> .
@prefix dct:      <http://purl.org/dc/terms/> .
@prefix dctypes:  <http://purl.org/dc/dcmitype/> .
@prefix HP:       <http://purl.obolibrary.org/obo/HP_> .
@prefix infores:  <https://w3id.org/information-resource-registry/> .
@prefix MONDO:    <http://purl.obolibrary.org/obo/MONDO_> .
@prefix NCBIGene: <http://identifiers.org/ncbigene/> .
@prefix PMID:     <http://www.ncbi.nlm.nih.gov/pubmed/> .
@prefix rdf:      <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:     <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:      <http://www.w3.org/2001/XMLSchema#> .
"""

#: A small conforming graph, holding each form ADR 0011 allows: biolink:subject, IRIs for
#: infores ids, frequency terms, publication types and enum values, an HP term (a phenotypic
#: feature) as onset qualifier, an alskg extension class and predicate, an rdf:Statement.
BASE = PREFIXES + """
MONDO:0000001 a biolink:Disease ; biolink:category biolink:Disease ; biolink:name "a disease" .
HP:0000001 a biolink:PhenotypicFeature ; biolink:category biolink:PhenotypicFeature .
HP:0003577 a biolink:PhenotypicFeature ; biolink:category biolink:PhenotypicFeature .
NCBIGene:1 a biolink:Gene ; biolink:category biolink:Gene ; biolink:symbol "G1" .
PMID:1 a biolink:Publication ; biolink:category biolink:Publication ;
    biolink:publication_type dctypes:Text ; biolink:authors ALSKG:author-a .
ALSKG:author-a a biolink:Agent ; biolink:category biolink:Agent ; biolink:name "A" .

ALSKG:assoc-1 a biolink:DiseaseToPhenotypicFeatureAssociation ;
    biolink:subject MONDO:0000001 ; biolink:predicate biolink:has_phenotype ; biolink:object HP:0000001 ;
    biolink:knowledge_level biolink:knowledge_assertion ; biolink:agent_type biolink:manual_agent ;
    biolink:primary_knowledge_source infores:omim ; biolink:aggregator_knowledge_source infores:hpo-annotations ;
    biolink:frequency_qualifier HP:0040281 ; biolink:onset_qualifier HP:0003577 ;
    biolink:has_count 1 ; biolink:has_total 2 ; biolink:has_quotient "0.5"^^xsd:double ;
    biolink:has_percentage "50"^^xsd:double ; biolink:negated false ; biolink:publications PMID:1 .
MONDO:0000001 biolink:has_phenotype HP:0000001 .

ALSKG:assoc-2 a biolink:GeneToDiseaseAssociation ;
    biolink:subject NCBIGene:1 ; biolink:predicate biolink:associated_with ; biolink:object MONDO:0000001 ;
    biolink:knowledge_level biolink:knowledge_assertion ; biolink:agent_type biolink:manual_agent ;
    biolink:primary_knowledge_source infores:omim .
NCBIGene:1 biolink:associated_with MONDO:0000001 .

alskg:DiseaseToClinicalCourseAssociation rdfs:subClassOf biolink:Association , biolink:FrequencyQuantifier .
alskg:has_clinical_course rdfs:subPropertyOf biolink:related_to_at_instance_level .
ALSKG:assoc-3 a alskg:DiseaseToClinicalCourseAssociation ;
    biolink:subject MONDO:0000001 ; biolink:predicate alskg:has_clinical_course ; biolink:object HP:0000001 ;
    biolink:knowledge_level biolink:knowledge_assertion ; biolink:agent_type biolink:manual_agent ;
    biolink:primary_knowledge_source infores:omim ; biolink:has_count 1 ; biolink:has_total 3 .

ALSKG:assoc-4 a alskg:CareTeamStatement ;
    rdf:subject MONDO:0000001 ; rdf:predicate alskg:has_care_role ; rdf:object ALSKG:role-nurse ;
    dct:source infores:gard ; dct:references PMID:1 .
"""

#: rule → what a failing graph adds to the base.
FAILING: dict[str, str] = {
    "unknown-class": "NCBIGene:2 a biolink:Gen ; biolink:category biolink:Gen .",
    "abstract-class": "NCBIGene:2 a biolink:BiologicalEntity ; biolink:category biolink:BiologicalEntity .",
    "unknown-slot": "MONDO:0000001 biolink:no_such_slot \"x\" .",
    "deprecated": "ALSKG:assoc-1 biolink:qualifiers HP:0000001 .",
    "category": "NCBIGene:2 a biolink:Gene ; biolink:symbol \"G2\" .",
    "association-predicate": """ALSKG:assoc-5 a biolink:GeneToDiseaseAssociation ;
        biolink:subject NCBIGene:1 ; biolink:predicate biolink:gene_associated_with_condition ;
        biolink:object MONDO:0000001 ; biolink:knowledge_level biolink:knowledge_assertion ;
        biolink:agent_type biolink:manual_agent .""",
    "domain-range": """ALSKG:assoc-5 a biolink:DiseaseToPhenotypicFeatureAssociation ;
        biolink:subject NCBIGene:1 ; biolink:predicate biolink:has_phenotype ; biolink:object HP:0000001 ;
        biolink:knowledge_level biolink:knowledge_assertion ; biolink:agent_type biolink:manual_agent .""",
    "required-slot": "PMID:2 a biolink:Publication ; biolink:category biolink:Publication .",
    "datatype": "ALSKG:assoc-2 biolink:has_quotient \"0.5\"^^xsd:decimal .",
    "enum-value": "ALSKG:assoc-2 biolink:aggregator_knowledge_source ALSKG:source-gard-als-page .",
}

#: Forms near the allowed ones that the checker must still refuse: rule → what the graph adds.
NOT_ALLOWED: dict[str, tuple[str, str]] = {
    "undeclared-extension-predicate": ("association-predicate", """ALSKG:assoc-5 a biolink:Association ;
        biolink:subject MONDO:0000001 ; biolink:predicate alskg:not_declared ; biolink:object HP:0000001 ;
        biolink:knowledge_level biolink:knowledge_assertion ; biolink:agent_type biolink:manual_agent ."""),
    "statement-with-biolink-slots": ("domain-range", """ALSKG:assoc-5 a alskg:CareTeamStatement ;
        biolink:subject MONDO:0000001 ; biolink:predicate alskg:has_care_role ; biolink:object ALSKG:role-nurse ."""),
    "frequency-iri-not-a-frequency-term": ("enum-value", "ALSKG:assoc-2 biolink:frequency_qualifier HP:0000001 ."),
    "knowledge-level-as-string": ("datatype", "ALSKG:assoc-2 biolink:knowledge_level \"knowledge_assertion\" ."),
    "knowledge-level-not-in-enum": ("enum-value", "ALSKG:assoc-2 biolink:knowledge_level biolink:made_up ."),
    "authors-as-strings": ("datatype", "PMID:1 biolink:authors \"Kinsley L\" ."),
    "onset-qualifier-of-a-gene": ("domain-range", "ALSKG:assoc-1 biolink:onset_qualifier NCBIGene:1 ."),
}


def _check(turtle: str) -> ConformanceReport:
    store = ox.Store()
    store.load(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return check_store(store)


def test_base_graph_with_the_allowed_forms_conforms() -> None:
    report = _check(BASE)
    assert report.findings == []
    assert report.biolink_version == "4.4.6"


@pytest.mark.parametrize("rule", RULES)
def test_rule_passes_on_the_base_graph(rule: str) -> None:
    assert _check(BASE).counts()[rule] == 0


@pytest.mark.parametrize("rule", RULES)
def test_rule_fails_on_its_failing_graph(rule: str) -> None:
    counts = _check(BASE + FAILING[rule]).counts()
    assert counts[rule] >= 1, counts


@pytest.mark.parametrize("case", sorted(NOT_ALLOWED))
def test_forms_beyond_the_adr_are_refused(case: str) -> None:
    rule, extra = NOT_ALLOWED[case]
    assert _check(BASE + extra).counts()[rule] >= 1


def test_findings_count_what_they_cover() -> None:
    extra = "\n".join(f"PMID:{n} a biolink:Publication ; biolink:category biolink:Publication ." for n in (2, 3, 4))
    report = _check(BASE + extra)
    assert [(f.rule, f.message, f.count) for f in report.findings] == [
        ("required-slot", "biolink:Publication without its required publication type", 3)]


def test_gene_to_disease_predicate_outside_the_enum_names_the_enum() -> None:
    report = _check(BASE + FAILING["association-predicate"])
    messages = [f.message for f in report.findings if f.rule == "association-predicate"]
    assert messages == ["biolink:gene_associated_with_condition is outside GeneToDiseasePredicateEnum "
                        "(gene to disease association)"]


# -- the real builds ----------------------------------------------------------------------
def _assert_conforms_but_categories(report: ConformanceReport) -> None:
    counts = report.counts()
    others = {rule: n for rule, n in counts.items() if rule != "category"}
    assert others == dict.fromkeys(others, 0), [f for f in report.findings if f.rule != "category"]


def test_als_build_conforms(built: BuildResult) -> None:
    _assert_conforms_but_categories(check_store(open_store(built.out_dir)))


def test_als_build_has_categories(built: BuildResult) -> None:
    assert check_store(open_store(built.out_dir)).counts()["category"] == 0


def test_genes_to_phenotype_never_says_causes(built: BuildResult) -> None:
    """Regression: the four ALS1 genes (and every other row from genes_to_phenotype.txt) were
    biolink:causes, though the file does not say a gene is causal."""
    store = open_store(built.out_dir)
    rows = list(store.query("""
        PREFIX biolink: <https://w3id.org/biolink/vocab/>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?a WHERE {
          ?a biolink:predicate biolink:causes ; prov:wasDerivedFrom ?source .
          FILTER(CONTAINS(STR(?source), "genes-to-phenotype"))
        }"""))
    assert rows == []
    sod1 = list(store.query("""
        PREFIX biolink: <https://w3id.org/biolink/vocab/>
        SELECT ?p WHERE { <http://identifiers.org/ncbigene/6647> ?p <http://purl.obolibrary.org/obo/MONDO_0007103> }"""))
    assert [str(r["p"]) for r in sod1] == ["<https://w3id.org/biolink/vocab/associated_with>"]


def _void_triples(nt_lines: list[str], nq: Path) -> int:
    text = nq.read_text(encoding="utf-8")
    match = re.search(r'<https://w3id.org/alskg/dataset/alskg> <http://rdfs.org/ns/void#triples> "(\d+)"', text)
    assert match
    return int(match.group(1))


def _merged_from_nquads(path: Path) -> str:
    """The merged N-Triples of a build that wrote only alskg.nq: each line without its graph."""
    return "".join(line.rsplit(" ", 2)[0] + " .\n" for line in path.read_text(encoding="utf-8").splitlines())


def _assert_no_duplicate_lines(result: BuildResult) -> None:
    merged = result.files.get("nt")
    text = merged.read_text(encoding="utf-8") if merged else _merged_from_nquads(result.files["nq"])
    lines = text.splitlines()
    duplicates = [line for line, n in Counter(lines).items() if n > 1]
    assert duplicates == []
    quads = result.files["nq"].read_text(encoding="utf-8").splitlines()
    assert [line for line, n in Counter(quads).items() if n > 1] == []
    metadata = sum(1 for q in quads if q.endswith("<https://w3id.org/alskg/graph/metadata> ."))
    assert _void_triples(lines, result.files["nq"]) == len(lines) - metadata


def test_als_dumps_have_no_duplicate_lines(built: BuildResult) -> None:
    _assert_no_duplicate_lines(built)


def test_cli_conformance_exits_1_on_findings_and_0_when_conforming(tmp_path: Path) -> None:
    bad, good = tmp_path / "bad.ttl", tmp_path / "good.ttl"
    bad.write_text(BASE + FAILING["deprecated"], encoding="utf-8")
    good.write_text(BASE, encoding="utf-8")
    runner = CliRunner()
    failing = runner.invoke(cli, ["conformance", str(bad)])
    assert failing.exit_code == 1
    assert "deprecated: slot biolink:qualifiers is deprecated: 1 (e.g. ALSKG:assoc-1)" in failing.output
    passing = runner.invoke(cli, ["conformance", str(good), "--format", "json"])
    assert passing.exit_code == 0
    assert '"conforms": true' in passing.output


@pytest.mark.slow
def test_full_build_conforms(tmp_path: Path, hpo_dir: Path) -> None:
    result = build(tmp_path / "all", Path(__file__).resolve().parents[1] / "data", hpo_dir, scope="all")
    _assert_no_duplicate_lines(result)
    report = check_store(open_store(result.out_dir))
    _assert_conforms_but_categories(report)
    assert report.counts()["category"] == 0  # every node categorised since the normalisation (ADR 10)


def test_modifier_listed_twice_in_a_row_is_written_once() -> None:
    """Regression: a release row listing a modifier twice gave a duplicate line in the full dumps
    (counted in void:triples)."""
    from alskg.rdf.hpoa import map_annotations
    from alskg.sources.hpoa import Annotation

    row = Annotation(2, "OMIM:105400", "ALS1", "", "HP:0002015", "PMID:1", "PCS", "", "", "", "HP:0012828;HP:0012828",
                     "P", "HPO:probinson[2020-01-01]")
    lines = [f"{s} {p} {o}" for s, pairs in map_annotations([row]) for p, o in pairs]
    modifier = [line for line in lines if "clinical_modifier_qualifier" in line]
    assert len(modifier) == 1 and modifier[0].endswith("<http://purl.obolibrary.org/obo/HP_0012828>")
    assert len(lines) == len(set(lines))


#: One row of the release (OMIM:142900 Holt-Oram syndrome, aspect I, 20/20) and one with a
#: percentage (OMIM:612001, 50%): inheritance annotations with a frequency.
INHERITANCE_ROWS = """#description: "inheritance annotations with frequencies, copied from phenotype.hpoa 2025-01-16"
database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\taspect\tbiocuration
OMIM:142900\tHolt-Oram syndrome\t\tHP:0000006\tPMID:12789647;PMID:8730285\tPCS\t\t20/20\t\t\tI\tHPO:probinson[2009-02-17]
OMIM:612001\tChromosome 15q13.3 microdeletion syndrome\t\tHP:0003829\tPMID:19898479\tPCS\t\t50%\t\t\tI\tHPO:probinson[2009-02-17]
OMIM:142900\tHolt-Oram syndrome\t\tHP:0000006\tOMIM:142900\tTAS\t\t\t\t\tI\tHPO:probinson[2009-02-17]
"""


def _inheritance_store(tmp_path: Path) -> ox.Store:
    """The blocks the HPOA mapper writes for INHERITANCE_ROWS, beside the alskg ontology and
    the typed ends an HPO layer gives them."""
    from alskg.packaged import packaged_dir
    from alskg.rdf.hpoa import map_annotations
    from alskg.sources.hpoa import iter_annotations

    path = tmp_path / "inheritance.hpoa"
    path.write_text(INHERITANCE_ROWS, encoding="utf-8")
    lines = [f"{s} {p} {o} ." for s, pairs in map_annotations(iter_annotations(path)) for p, o in pairs]
    store = ox.Store()
    store.load((packaged_dir("ontology") / "alskg.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    store.load("\n".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    store.load((PREFIXES + """
        HP:0000006 a biolink:GeneticInheritance ; biolink:category biolink:GeneticInheritance .
        HP:0003829 a biolink:GeneticInheritance ; biolink:category biolink:GeneticInheritance .
        <http://purl.obolibrary.org/obo/OMIM_142900> biolink:category biolink:Disease .
        <http://purl.obolibrary.org/obo/OMIM_612001> biolink:category biolink:Disease .
    """).encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return store


def test_inheritance_annotation_with_a_frequency_conforms(tmp_path: Path) -> None:
    """Regression: inheritance annotations of the release with an n/m or p% frequency carried
    has_count/has_total/has_quotient/has_percentage on biolink's inheritance class, which lacks
    them (168 domain-range findings at full scope)."""
    store = _inheritance_store(tmp_path)
    report = check_store(store)
    assert [f for f in report.findings if f.rule != "category"] == []
    typed = {str(r["a"]) for r in store.query("""SELECT ?a WHERE {
        ?a a <https://w3id.org/alskg/vocab/DiseaseToGeneticInheritanceFrequencyAssociation> ,
             <https://w3id.org/biolink/vocab/DiseaseOrPhenotypicFeatureToGeneticInheritanceAssociation> }""")}
    counted = {str(r["a"]) for r in store.query("""SELECT DISTINCT ?a WHERE {
        ?a <https://w3id.org/biolink/vocab/has_percentage> ?x }""")}
    assert len(typed) == 2 and typed == counted  # the row without a frequency keeps Biolink's class only


def test_counts_on_a_bare_inheritance_association_still_fail() -> None:
    """ADR 11 allows counts on an inheritance association only through the declared alskg class."""
    extra = """HP:0000006 a biolink:GeneticInheritance ; biolink:category biolink:GeneticInheritance .
    ALSKG:assoc-5 a biolink:DiseaseOrPhenotypicFeatureToGeneticInheritanceAssociation ;
        biolink:subject MONDO:0000001 ; biolink:predicate biolink:has_mode_of_inheritance ; biolink:object HP:0000006 ;
        biolink:knowledge_level biolink:knowledge_assertion ; biolink:agent_type biolink:manual_agent ;
        biolink:has_count 20 ; biolink:has_total 20 ."""
    report = _check(BASE + extra)
    assert [(f.rule, f.message, f.count) for f in report.findings] == [
        ("domain-range", "biolink:has_count has domain named thing; its subject is "
                         "biolink:DiseaseOrPhenotypicFeatureToGeneticInheritanceAssociation", 1),
        ("domain-range", "biolink:has_total has domain named thing; its subject is "
                         "biolink:DiseaseOrPhenotypicFeatureToGeneticInheritanceAssociation", 1)]



def test_rules_on_threads_give_the_serial_findings_in_the_same_order() -> None:
    """check_store runs its rules side by side; every failing graph at once gives the same
    findings, in the same order, with one worker as with four."""
    graph = BASE + "\n".join(FAILING.values()) + "\n".join(extra for _, extra in NOT_ALLOWED.values())
    store = ox.Store()
    store.load(graph.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    serial, parallel = check_store(store, workers=1), check_store(store, workers=4)
    assert {f.rule for f in serial.findings} == set(RULES)
    assert parallel.findings == serial.findings
