"""Fixtures of the store tests: the ALS build served by Oxigraph and loaded into Virtuoso."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from alskg import serve as server
from alskg.build import BuildResult
from alskg.examples import QUERIES_GRAPH
from tests.stores import virtuoso

#: The graph Virtuoso holds the merged view in (it has no default graph of its own).
MERGED_GRAPH = "https://w3id.org/alskg/graph/merged"


@pytest.fixture(scope="session")
def oxigraph_endpoint(built: BuildResult) -> Iterator[str]:
    running = server.start(built.out_dir)
    yield running.query
    server.stop(running)


@pytest.fixture(scope="session")
def virtuoso_server(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[virtuoso.Virtuoso]:
    if not virtuoso.available():
        pytest.skip("Virtuoso is not installed: `make test-stores` installs Debian's virtuoso-opensource")
    load = tmp_path_factory.mktemp("virtuoso-load")
    shutil.copy(built.files["nt"], load / "alskg.nt")
    shutil.copy(built.files["queries"], load / "queries.ttl")
    running = virtuoso.start(tmp_path_factory.mktemp("virtuoso"), load)
    try:
        running.bulk_load(load, "alskg.nt", MERGED_GRAPH)
        running.bulk_load(load, "queries.ttl", QUERIES_GRAPH)
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def virtuoso_endpoint(virtuoso_server: virtuoso.Virtuoso) -> str:
    """The SPARQL URL with the dataset named in it, so Virtuoso's system graphs stay out."""
    return (f"{virtuoso_server.endpoint}?default-graph-uri={quote(MERGED_GRAPH, safe='')}"
            f"&named-graph-uri={quote(QUERIES_GRAPH, safe='')}")
