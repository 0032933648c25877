"""The site's whole-graph tables run without their ORDER BY and are sorted in Python
(alskg.site.ordering), because Oxigraph's sort reads every compared term back from the store
(minutes at full scope). The rows must still be exactly what `alskg query run` prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from alskg.api import Graph
from alskg.build import BuildResult
from alskg.errors import InputError, UsageError
from alskg.queries import Query, get_query
from alskg.results import plain
from alskg.site.gather import SORTED_HERE, sorted_here
from alskg.site.ordering import SortKey, unordered

LONG_TABLES = {"disease-page-phenotype-values", "disease-page-annotation-provenance", "disease-page-node-values"}


@pytest.mark.parametrize("name", sorted(SORTED_HERE))
def test_rows_sorted_in_python_equal_the_packaged_query(built: BuildResult, name: str) -> None:
    graph = Graph.open(built.out_dir, timeout=None)
    packaged = graph.query(name).results
    expected = [{v: plain(row[v]) for v in packaged.variables} for row in packaged.rows]
    table = sorted_here(graph, name)
    assert table.variables == list(packaged.variables)
    assert len(table.rows) == len(expected) > 0
    if name in LONG_TABLES:  # ORDER BY STR(?value) leaves equal strings of different terms in any order
        key = [v for v in packaged.variables]
        assert sorted(table.rows, key=lambda r: [r[k] for k in key]) == sorted(expected, key=lambda r: [r[k] for k in key])
        assert [(r[key[0]], r[key[1]]) for r in table.rows] == [(r[key[0]], r[key[1]]) for r in expected]
    else:
        assert table.rows == expected


def test_unordered_reads_the_order_by_with_the_parser() -> None:
    query = unordered(get_query("disease-page-synonyms"))
    assert "ORDER BY" not in query.text
    assert query.keys[:3] == (SortKey("disease"), SortKey("synonym", True), SortKey("synonym"))


def _query(text: str) -> Query:
    return Query("probe", "t", "d", [], [], text, Path("probe.rq"))


@pytest.mark.parametrize("text, why", [
    ("SELECT ?s WHERE { ?s ?p ?o }\n", "no ORDER BY"),
    ("SELECT ?s WHERE { ?s ?p ?o }\nORDER BY DESC(?s)\n", "ascending"),
    ("SELECT ?s WHERE { ?s ?p ?o }\nORDER BY ?s\nLIMIT 3\n", "last clause"),
    ("SELECT ?s WHERE { ?s ?p ?o }\nORDER BY LCASE(?s)\n", "neither"),
])
def test_a_query_whose_order_cannot_be_done_in_python_is_refused(text: str, why: str) -> None:
    with pytest.raises(InputError, match=why):
        unordered(_query(text))


def test_stream_needs_a_build_not_an_endpoint() -> None:
    with pytest.raises(UsageError, match="build's store"):
        Graph.remote("http://127.0.0.1:9/sparql").stream("SELECT * WHERE { ?s ?p ?o }")


def test_stream_yields_every_solution_of_the_store(built: BuildResult) -> None:
    graph = Graph.open(built.out_dir, timeout=None)
    variables, solutions = graph.stream("SELECT ?d WHERE { ?d a <https://w3id.org/biolink/vocab/Disease> }")
    streamed = sorted(plain(s["d"]) for s in solutions)
    listed = sorted(plain(r["d"]) for r in graph.run(
        "SELECT ?d WHERE { ?d a <https://w3id.org/biolink/vocab/Disease> }").rows)
    assert variables == ["d"] and streamed == listed and "MONDO:0004976" in streamed
