"""The KGX twin: counts equal the RDF's, no dangling edges, column order, JSON Lines, and the
ORPHA:803 / MONDO:0004976 edges column by column against the HPO release and the page's table."""

from __future__ import annotations

import csv
from pathlib import Path

from alskg.api import Graph
from alskg.build import BuildResult
from alskg.release import ReleaseResult
from alskg.release.kgx import Table

from ..conftest import DATA
from .conftest import VERSION, read_jsonl, read_tsv

NAME = f"alskg-{VERSION}"
#: HPOA evidence codes as Biolink's has_evidence (field notes §3, Monarch's HPOA ingest)
EVIDENCE = {"IEA": "ECO:0000501", "PCS": "ECO:0006017", "TAS": "ECO:0000304"}


def _count(graph: Graph, query: str) -> int:
    return int(graph.sparql(query).rows[0]["n"].value)  # type: ignore[union-attr]


def test_kgx_counts_equal_the_rdf(released: ReleaseResult, built: BuildResult) -> None:
    graph = Graph.open(built.out_dir)
    biolink_type = 'FILTER(STRSTARTS(STR(?t), "https://w3id.org/biolink/vocab/"))'
    edges = _count(graph, f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a biolink:subject ?s ; a ?t {biolink_type} }}")
    nodes = _count(graph, f"""SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?a a ?t {biolink_type}
        {{ ?a biolink:subject ?x }} UNION {{ ?a biolink:object ?x }} }}""")
    _, edge_rows = read_tsv(released.folder / f"{NAME}_edges.tsv.gz")
    _, node_rows = read_tsv(released.folder / f"{NAME}_nodes.tsv.gz")
    assert len(edge_rows) == edges == released.counts["kgx_edges"] > 700
    assert len(node_rows) == nodes == released.counts["kgx_nodes"]
    assert len(read_jsonl(released.folder / f"{NAME}_edges.jsonl.gz")) == edges
    assert len(read_jsonl(released.folder / f"{NAME}_nodes.jsonl.gz")) == nodes


def test_no_dangling_edges_and_unique_ids(released: ReleaseResult) -> None:
    _, edges = read_tsv(released.folder / f"{NAME}_edges.tsv.gz")
    _, nodes = read_tsv(released.folder / f"{NAME}_nodes.tsv.gz")
    ids = {n["id"] for n in nodes}
    assert len(ids) == len(nodes) and len({e["id"] for e in edges}) == len(edges)
    assert all(e["subject"] in ids and e["object"] in ids for e in edges)
    assert all(n["category"].startswith("biolink:") for n in nodes)
    assert not [e for e in edges if "related_to" in e["predicate"]]


def test_column_order(released: ReleaseResult) -> None:
    for part, lead in (("nodes", ["id", "category", "name"]),
                       ("edges", ["id", "subject", "predicate", "object", "category"])):
        header, _ = read_tsv(released.folder / f"{NAME}_{part}.tsv.gz")
        assert header[:len(lead)] == lead
        assert header[len(lead):] == sorted(header[len(lead):])
    header, _ = read_tsv(released.folder / f"{NAME}_edges.tsv.gz")
    for slot in ("primary_knowledge_source", "aggregator_knowledge_source", "knowledge_level", "agent_type",
                 "frequency_qualifier", "has_count", "has_total", "has_quotient", "has_percentage",
                 "publications", "has_evidence"):
        assert slot in header


def test_every_edge_has_its_knowledge_source_and_level(released: ReleaseResult) -> None:
    _, edges = read_tsv(released.folder / f"{NAME}_edges.tsv.gz")
    for column in ("primary_knowledge_source", "knowledge_level", "agent_type"):
        assert all(e[column] for e in edges), column
    assert {e["knowledge_level"] for e in edges} <= {"knowledge_assertion", "not_provided", "observation",
                                                     "statistical_association", "prediction", "logical_entailment"}


def test_one_jsonl_line_parses(released: ReleaseResult) -> None:
    first = read_jsonl(released.folder / f"{NAME}_edges.jsonl.gz")[0]
    assert list(first)[:5] == ["id", "subject", "predicate", "object", "category"]
    assert isinstance(first["category"], list) and first["category"][0].startswith("biolink:")
    assert isinstance(first["id"], str) and first["id"].startswith("ALSKG:assoc-")
    counted = [e for e in read_jsonl(released.folder / f"{NAME}_edges.jsonl.gz") if "has_count" in e]
    assert counted and all(isinstance(e["has_count"], int) and isinstance(e["has_quotient"], float)
                           for e in counted)


def _hpoa_rows(hpo_dir: Path, disease: str) -> list[dict[str, str]]:
    """The release's rows of one disease, read straight from the file (not the mapper)."""
    with (hpo_dir / "phenotype.hpoa").open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t"))
    return [row for row in rows if row["database_id"] == disease]


def _edges_of(released: ReleaseResult, built: BuildResult, original: str) -> list[dict[str, str]]:
    """The twin's edges whose subject is the graph's node for ``original`` and which were stated of
    ``original`` itself (original_subject after normalisation, else the subject)."""
    node = Graph.open(built.out_dir).resolve(original, "disease").node_curie
    _, edges = read_tsv(released.folder / f"{NAME}_edges.tsv.gz")
    return [e for e in edges if e["subject"] == node and (e.get("original_subject") or e["subject"]) == original]


def test_orpha_803_release_annotations_column_by_column(released: ReleaseResult, built: BuildResult,
                                                         hpo_dir: Path) -> None:
    raw = _hpoa_rows(hpo_dir, "ORPHA:803")
    assert len(raw) == 47
    edges = {e["object"]: e for e in _edges_of(released, built, "ORPHA:803")
             if e["aggregator_knowledge_source"] == "infores:hpo-annotations"}
    assert len(edges) == 47
    for row in raw:
        edge = edges[row["hpo_id"]]
        assert row["aspect"] == "P"
        assert edge["predicate"] == "biolink:has_phenotype"
        assert edge["category"] == "biolink:DiseaseToPhenotypicFeatureAssociation"
        assert edge.get("negated", "") in ({"true"} if row["qualifier"] == "NOT" else {"", "false"})
        assert edge["has_evidence"] == EVIDENCE[row["evidence"]]
        assert edge["frequency_qualifier"] == row["frequency"]
        assert edge.get("onset_qualifier", "") == row["onset"]
        assert edge.get("sex_qualifier", "") == ""
        assert edge["publications"] == "|".join(r for r in row["reference"].split(";") if r.startswith("PMID:"))
        assert edge["dct:source"] == row["reference"]
        assert edge["primary_knowledge_source"] == "infores:orphanet"
        assert edge["knowledge_level"] == "knowledge_assertion" and edge["agent_type"] == "manual_agent"
        assert edge["dct:created"] == row["biocuration"].split("[")[1].rstrip("]")
        assert edge["id"].startswith("ALSKG:assoc-")


def test_page_phenotype_rows_column_by_column(released: ReleaseResult, built: BuildResult) -> None:
    with (DATA / "phenotypes.tsv").open(encoding="utf-8") as handle:
        page = list(csv.DictReader(handle, delimiter="\t"))
    assert len(page) == 27
    disease = page[0]["disease"]
    edges = {e["object"]: e for e in _edges_of(released, built, disease)
             if e["aggregator_knowledge_source"] == "infores:gard" and e["predicate"] == "biolink:has_phenotype"}
    assert len(edges) == 27
    for row in page:
        edge = edges[row["phenotype"]]
        assert edge["category"] == "biolink:DiseaseToPhenotypicFeatureAssociation"
        assert edge["alskg:source_label"] == row["page_label"]
        assert edge["alskg:frequency_band"] == row["frequency_band"]
        assert edge.get("frequency_qualifier", "") == row["frequency"]
        assert edge["prov:wasDerivedFrom"] == "ALSKG:section-" + row["source"].partition(":")[2]
        assert edge["publications"] == row["refs"].replace(";", "|")
        assert edge["primary_knowledge_source"] == "infores:hpo-annotations"
        assert edge["has_evidence"] == "ECO:0000304"
        assert edge["knowledge_level"] == "knowledge_assertion" and edge["agent_type"] == "manual_agent"


def test_pairs_of_a_subject_stop_at_a_longer_subject_sharing_its_prefix() -> None:
    """The node pass finds a subject's lines by binary search: ``<…/1>`` must not take ``<…/10>``'s."""
    from alskg.release.kgx import _pairs_of

    lines = sorted([b"<https://e.org/1> <https://e.org/p> <https://e.org/a>",
                    b"<https://e.org/1> <https://e.org/q> \"x y\"",
                    b"<https://e.org/10> <https://e.org/p> <https://e.org/b>",
                    b"<https://e.org/0> <https://e.org/p> <https://e.org/c>"])
    assert _pairs_of(lines, b"<https://e.org/1>") == [(b"<https://e.org/p>", b"<https://e.org/a>"),
                                                       (b"<https://e.org/q>", b"\"x y\"")]
    assert _pairs_of(lines, b"<https://e.org/2>") == []


def test_an_escaped_iri_token_is_read_by_the_parser_not_cut_by_bytes() -> None:
    """Cell text of an IRI token is cut from its bytes only when it holds no escape (``UCHAR``)."""
    from alskg.biolink import load_schema
    from alskg.release.kgx import _Columns, _plain_iri, _Terms

    assert _plain_iri(b"<http://purl.obolibrary.org/obo/HP_0002015>") == "http://purl.obolibrary.org/obo/HP_0002015"
    assert _plain_iri(b"<https://e.org/caf\\u00E9>") is None
    assert _plain_iri(b"\"x\"") is None
    terms = _Terms(_Columns(load_schema()))
    assert terms.plain(b"<http://purl.obolibrary.org/obo/HP_0002015>") == "HP:0002015"
    assert terms.plain(b"<https://e.org/caf\\u00E9>") == "https://e.org/caf\u00e9"
    assert terms.iri(b"<https://e.org/caf\\u00E9>") == "https://e.org/caf\u00e9"


def _table() -> Table:
    from alskg.release.kgx import EDGE_LEAD

    return Table(EDGE_LEAD, [
        {"id": [("X:1", "X:1")], "subject": [("A:1", "A:1")], "has_count": [("3", 3)],
         "category": [("biolink:Association", "biolink:Association")],
         "publications": [("PMID:1", "PMID:1"), ("PMID:2", "PMID:2")], "negated": [("true", True)]},
        {"zz": [("tab\there", "tab\there")], "id": [("X:2", "X:2")], "has_percentage": [("12.5", 12.5)],
         "category": [("biolink:Association", "biolink:Association")], "publications": [("PMID:3", "PMID:3")]},
    ], {"category", "publications"})


def test_jsonl_rows_equal_each_row_encoded_whole_in_column_order() -> None:
    import json

    from alskg.release.kgx import _json_lines

    table = _table()
    columns = table.columns()
    assert columns == ["id", "subject", "predicate", "object", "category", "has_count", "has_percentage",
                       "negated", "publications", "zz"]
    assert list(_json_lines(table, columns)) == [
        json.dumps({"id": "X:1", "subject": "A:1", "category": ["biolink:Association"], "has_count": 3,
                    "negated": True, "publications": ["PMID:1", "PMID:2"]},
                   ensure_ascii=False, separators=(",", ":")) + "\n",
        '{"id":"X:2","category":["biolink:Association"],"has_percentage":12.5,"publications":["PMID:3"],'
        '"zz":"tab\\there"}\n']


def test_tsv_rows_fill_their_own_cells_and_leave_the_others_empty() -> None:
    from alskg.release.kgx import _tsv_lines

    table = _table()
    assert list(_tsv_lines(table, table.columns())) == [
        "id\tsubject\tpredicate\tobject\tcategory\thas_count\thas_percentage\tnegated\tpublications\tzz\n",
        "X:1\tA:1\t\t\tbiolink:Association\t3\t\ttrue\tPMID:1|PMID:2\t\n",
        "X:2\t\t\t\tbiolink:Association\t\t12.5\t\tPMID:3\ttab\\there\n"]
