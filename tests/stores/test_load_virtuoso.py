"""`alskg load` into a real Virtuoso 7.2 on 127.0.0.1 (`make test-stores`; marked `stores`).

Virtuoso's Graph Store (`/sparql-graph-crud-auth`) takes writes only from a user with SPARQL
update rights, through HTTP Digest: the throwaway database's `dba` (password `dba`), given to
alskg as ALSKG_SPARQL_USER / ALSKG_SPARQL_PASSWORD. alskg answers Virtuoso's Digest challenge;
nothing in the database is opened to anonymous writes. The Virtuoso is one of this module's own,
so the graphs loaded here never meet the same-answers tests' dataset.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from alskg.build import BuildResult
from tests.servers import alskg
from tests.stores import virtuoso

pytestmark = pytest.mark.stores
DBA = {"ALSKG_SPARQL_USER": "dba", "ALSKG_SPARQL_PASSWORD": "dba"}
LOADED = "https://w3id.org/alskg/graph/merged"


@pytest.fixture(scope="module")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[virtuoso.Virtuoso]:
    """A throwaway, empty Virtuoso on 127.0.0.1 for this module alone."""
    if not virtuoso.available():
        pytest.skip("Virtuoso is not installed: `make test-stores` installs Debian's virtuoso-opensource")
    running = virtuoso.start(tmp_path_factory.mktemp("virtuoso-load"), tmp_path_factory.mktemp("virtuoso-empty"))
    try:
        yield running
    finally:
        running.stop()


def test_named_graphs_load_into_virtuoso_with_the_builds_counts(virtuoso_server: virtuoso.Virtuoso,
                                                                built: BuildResult,
                                                                dataset: ox.Store) -> None:
    rows = dataset.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    per_graph = {row["g"].value: int(row["n"].value) for row in rows}
    for _ in range(2):  # the second run replaces: the same counts
        proc = alskg("load", "--endpoint", virtuoso_server.endpoint, "--build-dir", built.out_dir, "--named-graphs",
                     "--replace", "--chunk-triples", "4000", env=DBA, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "sparql-graph-crud-auth" in proc.stdout.splitlines()[-1]
        for graph, n in per_graph.items():
            assert f"ok       {graph}: expected {n}, found {n}" in proc.stdout.splitlines()
            assert virtuoso_server.count(graph) == n


def test_merged_view_loads_into_a_named_graph_and_appending_keeps_counts(virtuoso_server: virtuoso.Virtuoso,
                                                                          built: BuildResult) -> None:
    merged = len(ox.Dataset(ox.parse(path=str(built.files["nt"]), format=ox.RdfFormat.N_TRIPLES)))
    for _ in range(2):
        proc = alskg("load", "--endpoint", virtuoso_server.endpoint, "--build-dir", built.out_dir, "--graph", LOADED,
                     env=DBA, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert proc.stdout.splitlines()[0] == f"ok       {LOADED}: expected {merged}, found {merged}"
    assert virtuoso_server.count(LOADED) == merged


def test_without_credentials_virtuoso_refuses_the_write_in_one_line(virtuoso_server: virtuoso.Virtuoso,
                                                                     built: BuildResult) -> None:
    env = {"ALSKG_SPARQL_USER": "", "ALSKG_SPARQL_PASSWORD": ""}
    proc = alskg("load", "--endpoint", virtuoso_server.endpoint, "--build-dir", built.out_dir, "--graph", LOADED,
                 env=env)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "HTTP 403" in proc.stderr and "sparql-graph-crud" in proc.stderr
