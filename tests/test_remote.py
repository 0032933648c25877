"""Every packaged query gives the same answer on a real Oxigraph server as on the embedded store."""

from __future__ import annotations

import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from alskg.build import BuildResult
from alskg.examples import QUERIES_GRAPH
from alskg.queries import catalogue, run_local, run_remote
from alskg.results import render

from .servers import oxigraph_server

QUERIES = catalogue()


@pytest.fixture(scope="module")
def endpoint(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server on 127.0.0.1 holding the merged N-Triples dump in its default graph."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as base:
        request = urllib.request.Request(f"{base}/store?default", data=built.files["nt"].read_bytes(),
                                         method="POST", headers={"Content-Type": "application/n-triples"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status in (200, 201, 204)
        # the query catalogue in its named graph, as the build's store holds it
        graph = urllib.parse.quote(QUERIES_GRAPH, safe="")
        request = urllib.request.Request(f"{base}/store?graph={graph}", data=built.files["queries"].read_bytes(),
                                         method="POST", headers={"Content-Type": "text/turtle"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status in (200, 201, 204)
        yield f"{base}/query"


@pytest.fixture(scope="module")
def store(built: BuildResult) -> ox.Store:
    return ox.Store.read_only(str(built.files["store"]))


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_remote_equals_local(name: str, endpoint: str, store: ox.Store) -> None:
    text = QUERIES[name].text
    local, remote = run_local(store, text), run_remote(endpoint, text, timeout=30)
    for fmt in ("tsv", "json", "csv"):
        assert render(remote, fmt) == render(local, fmt), f"{name} ({fmt})"


def test_cli_remote_run_matches_local(built: BuildResult, endpoint: str) -> None:
    def run(*extra: str) -> str:
        proc = subprocess.run([sys.executable, "-m", "alskg", "query", "run", "subtypes", "--format", "tsv",
                               "--build-dir", str(built.out_dir), *extra], capture_output=True, text=True, check=True)
        return proc.stdout

    assert run("--endpoint", endpoint) == run()
