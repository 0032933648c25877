"""Finding and resolving ids: equivalent ids resolve to the graph's node, search finds names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph as ox
import pytest

from alskg import vocab
from alskg.api import Graph, to_python
from alskg.build import BuildResult
from alskg.errors import UsageError
from alskg.queries import NODE_KINDS, run_local
from alskg.resolve import KINDS, resolve
from alskg.search import INDEX_NAME, SearchIndex, normalize

ALS = "http://purl.obolibrary.org/obo/MONDO_0004976"


@pytest.fixture(scope="module")
def graph(built: BuildResult) -> Graph:
    return Graph.open(built.out_dir)


def _store(turtle: str) -> ox.Store:
    store = ox.Store()
    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in vocab.query_prefix_map().items())
    store.load((prefixes + turtle).encode(), format=ox.RdfFormat.TURTLE)
    return store


def _runner(store: ox.Store):  # type: ignore[no-untyped-def]
    return lambda text: run_local(store, text)


def test_kinds_are_the_parameter_kinds() -> None:
    assert tuple(KINDS) == NODE_KINDS


# -- on the ALS build ---------------------------------------------------------------------
@pytest.mark.parametrize(("given", "node", "via"), [
    ("MONDO:0004976", "MONDO:0004976", "self"),
    ("http://purl.obolibrary.org/obo/MONDO_0004976", "MONDO:0004976", "self"),
    ("UMLS:C0002736", "MONDO:0004976", "http://www.w3.org/2004/02/skos/core#exactMatch"),
    ("MESH:D000690", "MONDO:0004976", "http://www.w3.org/2004/02/skos/core#exactMatch"),
    ("GARD:0005786", "MONDO:0004976", "http://www.geneontology.org/formats/oboInOwl#hasDbXref"),
    ("OMIMPS:105400", "MONDO:0005144", "http://www.w3.org/2004/02/skos/core#exactMatch"),
])
def test_equivalent_disease_ids_resolve(graph: Graph, given: str, node: str, via: str) -> None:
    resolution = graph.resolve(given, "disease")
    assert (resolution.node_curie, resolution.via) == (node, via)


def test_orphanet_id_resolves_to_the_node_that_carries_it(graph: Graph) -> None:
    """Before normalisation ORPHA:803 is a disease node of its own (the release's annotations sit
    on it); once diseases are normalised to MONDO it is an exact match of MONDO:0004976."""
    resolution = graph.resolve("Orphanet:803", "disease")
    typed = graph.run(f"ASK {{ <{vocab.expand('ORPHA:803')}> a <{KINDS['disease']}> }}").boolean
    if typed:
        assert (resolution.node_curie, resolution.via) == ("ORPHA:803", "self")
    else:
        assert (resolution.node_curie, vocab.compress(resolution.via)) == ("MONDO:0004976", "skos:exactMatch")
    assert resolution.label == "Amyotrophic lateral sclerosis"


def test_phenotype_and_gene_resolve(graph: Graph) -> None:
    assert graph.resolve("HP:0002380", "phenotype").label == "Fasciculations"
    assert graph.resolve("NCBIGene:6647", "gene").label == "SOD1"


@pytest.mark.parametrize(("given", "kind", "needles"), [
    ("HP:0001250", "disease", ["HP:0001250 is not in the graph (HP ids name phenotypes, not diseases)",
                               "did you mean a disease id?"]),
    ("MONDO:9999999", "disease", ["MONDO:9999999 is not in the graph; did you mean MONDO:"]),
    ("HP:0007354", "disease", ["HP:0007354 is a phenotype (Amyotrophic lateral sclerosis), not a disease",
                               "did you mean MONDO:0004976 (Amyotrophic lateral sclerosis)"]),
    ("ORPHA:803", "phenotype", ["ORPHA:803 is a disease (Amyotrophic lateral sclerosis), not a phenotype",
                                "did you mean HP:0007354 (Amyotrophic lateral sclerosis)?"]),
    ("UMLS:C0002736", "gene", ["UMLS:C0002736 is a disease (Amyotrophic lateral sclerosis), not a gene",
                               "did you mean"]),
    ("not a curie", "disease", ["bad disease id", "malformed CURIE"]),
])
def test_unresolvable_ids_say_did_you_mean(graph: Graph, given: str, kind: str, needles: list[str]) -> None:
    with pytest.raises(UsageError) as caught:
        graph.resolve(given, kind)
    message = str(caught.value)
    assert "\n" not in message
    for needle in needles:
        assert needle in message, message


# -- on inline graphs: the shapes normalisation writes, and ambiguity ---------------------
NORMALISED = """
MONDO:0004976 a biolink:Disease ; rdfs:label "Amyotrophic lateral sclerosis" ;
    skos:exactMatch ORPHA:803 ; oboInOwl:hasDbXref GARD:0005786 ; skos:closeMatch OMIMPS:105400 .
ALSKG:assoc-1 biolink:subject MONDO:0004976 ; biolink:original_subject "OMIM:105400" .
ORPHA:357043 skos:exactMatch MONDO:0011223 .
MONDO:0011223 biolink:category biolink:Disease ; rdfs:label "Amyotrophic lateral sclerosis type 4" .
MONDO:0000001 a biolink:Disease ; skos:exactMatch OMIM:999999 .
MONDO:0000002 a biolink:Disease ; skos:exactMatch OMIM:999999 .
"""


@pytest.mark.parametrize(("given", "node", "via"), [
    ("ORPHA:803", "MONDO:0004976", "skos:exactMatch"),           # node → id
    ("ORPHA:357043", "MONDO:0011223", "skos:exactMatch"),        # id → node, kind from biolink:category
    ("OMIM:105400", "MONDO:0004976", "biolink:original_subject"),  # an association kept the source's id
    ("GARD:0005786", "MONDO:0004976", "oboInOwl:hasDbXref"),
])
def test_resolution_through_equivalence_triples(given: str, node: str, via: str) -> None:
    resolution = resolve(given, "disease", _runner(_store(NORMALISED)), name="disease")
    assert (resolution.node_curie, vocab.compress(resolution.via)) == (node, via)
    assert resolution.describe().startswith(f"resolved disease={given} to {node}")


def test_ambiguous_id_lists_the_candidates() -> None:
    with pytest.raises(UsageError) as caught:
        resolve("OMIM:999999", "disease", _runner(_store(NORMALISED)))
    assert str(caught.value) == ("OMIM:999999 is ambiguous: it names 2 disease nodes through skos:exactMatch; "
                                 "did you mean one of MONDO:0000001, MONDO:0000002?")


def test_close_match_is_a_suggestion_not_a_resolution() -> None:
    with pytest.raises(UsageError) as caught:
        resolve("OMIMPS:105400", "disease", _runner(_store(NORMALISED)), name="disease")
    assert str(caught.value) == (
        "disease=OMIMPS:105400 is in the graph, but is not a disease node nor an equivalent id of one; "
        "did you mean MONDO:0004976 (Amyotrophic lateral sclerosis)?")


# -- the API ------------------------------------------------------------------------------
def test_query_resolves_and_types_rows(graph: Graph) -> None:
    by_umls = graph.query("disease-phenotypes-by-frequency", disease="UMLS:C0002736")
    by_mondo = graph.query("disease-phenotypes-by-frequency", disease="MONDO:0004976")
    assert [r.describe() for r in by_umls.resolutions] == [
        "resolved disease=UMLS:C0002736 to MONDO:0004976 (Amyotrophic lateral sclerosis) via skos:exactMatch"]
    assert by_umls.rows == by_mondo.rows
    assert len(by_umls.rows) >= 27
    first = by_umls.rows[0]
    assert first["frequency"] == "HP:0040280" and first["negated"] is False


def test_query_rejects_unknown_parameters(graph: Graph) -> None:
    with pytest.raises(UsageError, match="unknown parameter"):
        graph.query("subtypes", colour="red")


def test_to_python_types() -> None:
    xsd = vocab.XSD
    assert to_python(ox.Literal("3", datatype=ox.NamedNode(xsd + "integer"))) == 3
    assert to_python(ox.Literal("2018-05-05", datatype=ox.NamedNode(xsd + "date"))) == dt.date(2018, 5, 5)
    assert to_python(ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean"))) is True
    assert to_python(ox.Literal("x13", datatype=ox.NamedNode(xsd + "integer"))) == "x13"
    assert to_python(ox.NamedNode(ALS)) == "MONDO:0004976"
    assert to_python(None) is None


def test_sparql_declares_prefixes(graph: Graph) -> None:
    results = graph.sparql("SELECT ?label WHERE { MONDO:0004976 rdfs:label ?label }")
    assert [r["label"].value for r in results.rows] == ["Amyotrophic lateral sclerosis"]  # type: ignore[union-attr]


# -- search -------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "kind", "top", "match"), [
    ("lou gehrig", None, "MONDO:0004976", "words"),
    ("Lou Gehrig's disease", None, "MONDO:0004976", "exact"),
    ("lou gerhig", None, "MONDO:0004976", "fuzzy"),
    ("lou gehrig", "phenotype", "HP:0007354", "words"),
    ("amyotrophic lateral sclerosys", "disease", "MONDO:0004976", "fuzzy"),
    ("ALS", None, "MONDO:0004976", "exact"),
    ("charcot", None, "MONDO:0004976", "words"),
    ("UMLS:C0002736", "disease", "MONDO:0004976", "exact"),
    ("sod1", None, "NCBIGene:6647", "exact"),
    ("fasciculations", "phenotype", "HP:0002380", "exact"),
    ("Fasciculatoins", "phenotype", "HP:0002380", "fuzzy"),
])
def test_search_top_hit(graph: Graph, text: str, kind: str | None, top: str, match: str) -> None:
    hit = graph.search(text, kind)[0]
    assert (hit.id, hit.match) == (top, match)
    if kind:
        assert all(h.kind == kind for h in graph.search(text, kind))


def test_search_ranks_exact_first_then_words(graph: Graph) -> None:
    hits = graph.search("amyotrophic lateral sclerosis", "disease", limit=5)
    # one node per disease: ORPHA:803, also named so, is now an id of MONDO:0004976 (ADR 10)
    assert [h.match for h in hits[:1]] == ["exact"]
    assert hits[0].id == "MONDO:0004976"
    assert all(h.match == "words" for h in hits[1:])
    assert all(h.matched.lower().startswith("amyotrophic lateral sclerosis") for h in hits)


def test_search_limit_and_bad_input(graph: Graph) -> None:
    assert len(graph.search("sclerosis", limit=3)) == 3
    with pytest.raises(UsageError, match="no letters or digits"):
        graph.search("?!")
    with pytest.raises(UsageError, match="unknown type"):
        graph.search("als", "drug")


def test_search_index_is_cached_and_rebuilt_when_stale(built: BuildResult, tmp_path: Path) -> None:
    graph = Graph.open(built.out_dir)
    graph.search("als")
    path = built.out_dir / INDEX_NAME
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    assert header.startswith("# alskg search index 2 ")
    assert len(lines) == len(graph.index().nodes) > 1000
    path.write_text("# alskg search index 2 stale\nnot\ta line\n", encoding="utf-8")
    assert Graph.open(built.out_dir).search("lou gehrig")[0].id == "MONDO:0004976"
    assert path.read_text(encoding="utf-8").splitlines()[0] == header


def test_search_index_round_trips_awkward_text() -> None:
    index = SearchIndex.from_rows([(ALS, "disease", "label", "tab\there\\ and\nnewline")])
    again = SearchIndex.from_lines(index.lines())
    assert again.texts == ["tab\there\\ and\nnewline"]


def test_normalize() -> None:
    assert normalize("Lou Gehrig’s  Disease") == "lou gehrigs disease"
    assert normalize("Sjögren-Larsson") == "sjogren larsson"


def test_search_from_runner_matches_cached_index(graph: Graph, built: BuildResult) -> None:
    store = ox.Store.read_only(str(built.files["store"]))
    fresh = SearchIndex.from_graph(lambda text: run_local(store, text))
    assert fresh.lines() == graph.index().lines()
    assert isinstance(fresh.search("als")[0].score, float)
