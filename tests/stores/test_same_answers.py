"""Every packaged query gives byte-identical TSV, CSV and JSON on the embedded store, an Oxigraph
server and Virtuoso 7.2 (`make test-stores`; marked `stores`)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from alskg.build import BuildResult
from alskg.queries import catalogue, run_local, run_remote
from alskg.results import render
from tests.stores.conftest import MERGED_GRAPH

pytestmark = pytest.mark.stores
QUERIES = catalogue()
FORMATS = ("tsv", "csv", "json")


@pytest.fixture(scope="module")
def embedded(built: BuildResult) -> dict[str, dict[str, str]]:
    store = ox.Store.read_only(str(built.files["store"]))
    return {name: {fmt: render(run_local(store, q.text), fmt) for fmt in FORMATS} for name, q in QUERIES.items()}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_oxigraph_server_gives_the_same_bytes(name: str, embedded: dict[str, dict[str, str]],
                                              oxigraph_endpoint: str) -> None:
    results = run_remote(oxigraph_endpoint, QUERIES[name].text, 60)
    for fmt in FORMATS:
        assert render(results, fmt) == embedded[name][fmt], f"{name} differs in {fmt}"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_virtuoso_gives_the_same_bytes(name: str, embedded: dict[str, dict[str, str]],
                                       virtuoso_endpoint: str) -> None:
    results = run_remote(virtuoso_endpoint, QUERIES[name].text, 120)
    for fmt in FORMATS:
        assert render(results, fmt) == embedded[name][fmt], f"{name} differs in {fmt}"


def test_virtuoso_holds_the_whole_build(virtuoso_server, built: BuildResult) -> None:  # type: ignore[no-untyped-def]
    store = ox.Store.read_only(str(built.files["store"]))
    local = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    assert virtuoso_server.count(MERGED_GRAPH) == local
