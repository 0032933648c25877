"""The site's disease-page-phenotypes rows, pivoted in Python from two long-table queries
(alskg.site.phenotypes), are exactly the packaged query's rows in its order: pages and TSV
downloads stay what `alskg query run disease-page-phenotypes` prints."""

from __future__ import annotations

import pyoxigraph as ox

from alskg.api import Graph
from alskg.build import BuildResult
from alskg.results import plain
from alskg.site.gather import phenotype_table
from alskg.site.phenotypes import order_key, phenotype_rows


def test_pivoted_rows_equal_the_packaged_query(built: BuildResult) -> None:
    graph = Graph.open(built.out_dir, timeout=None)
    packaged = graph.query("disease-page-phenotypes").results
    table = phenotype_table(graph)
    assert table.variables == list(packaged.variables)
    expected = [{v: plain(row[v]) for v in packaged.variables} for row in packaged.rows]
    assert len(table.rows) == len(expected) > 500
    assert table.rows == expected


def test_multi_valued_optionals_give_one_row_per_combination() -> None:
    b, a = "https://w3id.org/biolink/vocab/", "http://example.org/a1"
    values = [{"association": ox.NamedNode(a), "property": ox.NamedNode(b + p), "value": v} for p, v in (
        ("predicate", ox.NamedNode(b + "has_phenotype")),
        ("subject", ox.NamedNode("http://purl.obolibrary.org/obo/MONDO_0004976")),
        ("object", ox.NamedNode("http://purl.obolibrary.org/obo/HP_0002380")),
        ("has_evidence", ox.NamedNode("http://purl.obolibrary.org/obo/ECO_1")),
        ("has_evidence", ox.NamedNode("http://purl.obolibrary.org/obo/ECO_0")),
        ("has_count", ox.Literal("10", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))))]
    rows = phenotype_rows(values, [])
    assert [(r["evidence"], r["count"], r["negated"], r["layer"]) for r in rows] == [
        ("ECO:0", "10", "false", ""), ("ECO:1", "10", "false", "")]


def test_order_key_sorts_numbers_by_value_not_text() -> None:
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    terms = [ox.Literal("10", datatype=integer), None, ox.Literal("9", datatype=integer)]
    assert [plain(t) for t in sorted(terms, key=order_key)] == ["", "9", "10"]
