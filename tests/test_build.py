"""The built ALS graph: exact content, reproducibility, metadata."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pyoxigraph as ox
import pytest

from alskg.build import BuildResult, build, release_date
from alskg.export import DUMP_FILES
from alskg.packaged import hpo_release_dir

from .conftest import DATA

HP = "http://purl.obolibrary.org/obo/HP_"
MONDO = "http://purl.obolibrary.org/obo/MONDO_"
BL = "https://w3id.org/biolink/vocab/"


def ask(store: ox.Store, query: str) -> list[ox.QuerySolution]:
    prefixes = (f"PREFIX biolink: <{BL}> PREFIX HP: <{HP}> PREFIX MONDO: <{MONDO}> "
                "PREFIX alskg: <https://w3id.org/alskg/vocab/> PREFIX ALSKG: <https://w3id.org/alskg/id/> "
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX void: <http://rdfs.org/ns/void#> "
                "PREFIX dct: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#> ")
    return list(store.query(prefixes + query))


@pytest.fixture(scope="module")
def store(built: BuildResult) -> ox.Store:
    return ox.Store.read_only(str(built.files["store"]))


@pytest.mark.trials
def test_two_builds_are_byte_identical(built: BuildResult, tmp_path: Path) -> None:
    again = build(tmp_path, DATA, hpo_release_dir(), dumps=tuple(DUMP_FILES))
    for name in ("nq", "nt", "ttl"):
        assert filecmp.cmp(built.files[name], again.files[name], shallow=False), name


def _count_in_graph(store: ox.Store, graph: str, cls: str) -> int:
    rows = ask(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH <https://w3id.org/alskg/graph/{graph}> "
                      f"{{ ?x a {cls} }} }}")
    return int(rows[0]["n"].value)


@pytest.mark.parametrize(
    ("graph", "cls", "count"),
    [
        ("gard", "biolink:Disease", 41),
        ("gard", "biolink:DiseaseToPhenotypicFeatureAssociation", 27),
        ("gard", "biolink:DiseaseOrPhenotypicFeatureToGeneticInheritanceAssociation", 44),
        ("gard", "biolink:GeneToDiseaseAssociation", 40),
        ("gard", "biolink:Gene", 35),
        ("gard", "biolink:Drug", 4),
        ("gard", "biolink:Publication", 8),
        ("gard", "alskg:RegulatoryApproval", 9),
        ("hpoa", "biolink:Disease", 0),  # all 38 release diseases of the ALS family are MONDO nodes typed by gard (ADR 10)
        ("genes", "biolink:GeneToDiseaseAssociation", 76),
    ],
)
def test_counts_per_graph(dataset: ox.Store, graph: str, cls: str, count: int) -> None:
    assert _count_in_graph(dataset, graph, cls) == count


def test_no_blank_nodes(built: BuildResult) -> None:
    assert "_:" not in built.files["nt"].read_text(encoding="utf-8")


def test_laryngospasm_is_occasional_on_the_page(store: ox.Store) -> None:
    rows = ask(store, """SELECT ?f ?label WHERE { ?a biolink:subject MONDO:0004976 ; biolink:object HP:0025425 ;
        biolink:frequency_qualifier ?f ; alskg:source_label ?label }""")
    assert [(r["f"].value, r["label"].value) for r in rows] == [(HP + "0040283", "Laryngospasm")]


def test_direct_triple_beside_each_association(store: ox.Store) -> None:
    rows = ask(store, """SELECT ?a WHERE { ?a a biolink:DiseaseToPhenotypicFeatureAssociation ;
        biolink:subject ?s ; biolink:predicate ?p ; biolink:object ?o . FILTER NOT EXISTS { ?s ?p ?o } }""")
    assert rows == []


def test_knowledge_values_are_iris(store: ox.Store) -> None:
    rows = ask(store, """SELECT ?v WHERE { ?a biolink:knowledge_level|biolink:agent_type|
        biolink:primary_knowledge_source|biolink:frequency_qualifier ?v FILTER(!isIRI(?v)) }""")
    assert rows == []


def test_subtypes_of_als(store: ox.Store) -> None:
    rows = ask(store, """SELECT ?d WHERE { ?d biolink:subclass_of MONDO:0004976 ; rdfs:subClassOf MONDO:0004976 ;
        alskg:disease_role alskg:PageSubtype }""")
    assert len(rows) == 13


def test_sections_date_statements(store: ox.Store) -> None:
    rows = ask(store, """SELECT ?date WHERE { ?a biolink:object HP:0025425 ; prov:wasDerivedFrom ?s .
        ?s dct:modified ?date }""")
    assert [r["date"].value for r in rows] == ["2020-07-01"]


def test_metadata_counts_match_the_dump(built: BuildResult, store: ox.Store, dataset: ox.Store) -> None:
    rows = ask(store, """SELECT ?triples ?issued WHERE { <https://w3id.org/alskg/dataset/alskg>
        void:triples ?triples ; dct:issued ?issued }""")
    assert len(rows) == 1
    nt_lines = built.files["nt"].read_text(encoding="utf-8").count("\n")
    metadata = len(ask(dataset, "SELECT * WHERE { GRAPH <https://w3id.org/alskg/graph/metadata> { ?s ?p ?o } }"))
    assert int(rows[0]["triples"].value) == nt_lines - metadata
    assert rows[0]["issued"].value == "2025-01-16"


def test_release_date_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert release_date(None, ["2017-05-09", "2025-01-16", ""]) == "2025-01-16"
    assert release_date("2026-01-01", ["2025-01-16"]) == "2026-01-01"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert release_date(None, ["2025-01-16"]) == "1970-01-01"


def test_hpo_terms_carry_labels_and_ancestors(store: ox.Store) -> None:
    rows = ask(store, "SELECT ?label WHERE { HP:0000716 rdfs:label ?label }")
    assert [r["label"].value for r in rows] == ["Depression"]
    assert ask(store, "SELECT ?x WHERE { HP:0000716 rdfs:subClassOf+ ?x FILTER(?x = HP:0000118) }")


def test_named_graphs_partition_the_merged_view(built: BuildResult) -> None:
    """Regression: a triple stated by two layers (a gene typed by the curated and the gene
    layer) was stored twice, and queries over the union of graphs returned duplicate rows."""
    lines = built.files["nq"].read_text(encoding="utf-8").splitlines()
    triples = [line.rsplit(" ", 2)[0] for line in lines]
    assert len(triples) == len(set(triples))
    assert len(set(triples)) == built.files["nt"].read_text(encoding="utf-8").count("\n")


def test_turtle_dump_equals_ntriples_dump(built: BuildResult) -> None:
    from_ttl = set(ox.parse(path=str(built.files["ttl"]), format=ox.RdfFormat.TURTLE))
    from_nt = set(ox.parse(path=str(built.files["nt"]), format=ox.RdfFormat.N_TRIPLES))
    assert from_ttl == from_nt


def test_malformed_hp_obo_read_aside_still_names_its_line(tmp_path: Path, hpo_dir: Path) -> None:
    """hp.obo is parsed in a child process beside the annotations: its error, file, line and
    column come back to the parent whole, and nothing is published."""
    from alskg.errors import InputError

    release = tmp_path / "hpo"
    release.mkdir()
    for name in ("phenotype.hpoa", "genes_to_phenotype.txt"):
        (release / name).symlink_to(hpo_dir / name)
    text = (hpo_dir / "hp.obo").read_text(encoding="utf-8")
    cut = text[: text.index("\n[Term]\n", 200_000) + 1]
    (release / "hp.obo").write_text(cut + "[Term]\nid: HP:9999999\nname x\n", encoding="utf-8")
    bad_line = cut.count("\n") + 3
    with pytest.raises(InputError) as error:
        build(tmp_path / "out", DATA, release)
    assert (Path(error.value.file or ""), error.value.line) == (release / "hp.obo", bad_line), str(error.value)
    assert "OBO syntax error" in str(error.value)
    assert not (tmp_path / "out" / "current").exists()
