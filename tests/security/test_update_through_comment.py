"""Issue 9, point 1: an update hidden behind a comment emptied a writable Oxigraph server.

``PREFIX x: <http://x/> # note`` followed by ``DELETE WHERE`` slipped past a regex that
dropped only whole comment lines, and went to ``/update``. The form is now decided by a SPARQL
parser, and every update form is refused, remote (whatever the endpoint's path) and local.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from alskg.errors import UsageError
from alskg.queries import run_local
from alskg.remote import run_remote

from ..servers import alskg, assert_one_line_error, oxigraph_server, post, tiny_build

HIDDEN = "PREFIX x: <http://x/> # note\nDELETE WHERE { ?s ?p ?o }"
TRIPLES = b"<http://x/a> <http://x/b> <http://x/c> .\n<http://x/a> <http://x/b> <http://x/d> .\n"
UPDATES = [
    HIDDEN,
    "PREFIX x: <http://x/>\n# DELETE is only named in this comment\nDELETE DATA { x:a x:b x:c }",
    "# SELECT * WHERE { ?s ?p ?o }\nDELETE WHERE { ?s ?p ?o }",
    "BASE <http://x/> # a comment\nCLEAR ALL",
    "\\u0044ELETE WHERE { ?s ?p ?o }",
    "delete where { ?s ?p ?o }",
    "INSERT DATA { <http://x/e> <http://x/f> <http://x/g> }",
    "DELETE WHERE { ?s ?p ?o } ; INSERT DATA { <http://x/e> <http://x/f> <http://x/g> }",
    "WITH <http://x/g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR DEFAULT",
    "DROP ALL",
    "CREATE GRAPH <http://x/g>",
    "COPY DEFAULT TO <http://x/g>",
    "MOVE DEFAULT TO <http://x/g>",
    "ADD DEFAULT TO <http://x/g>",
]


def _fill(base: str) -> None:
    post(f"{base}/store?default", TRIPLES, "application/n-triples")


def _count(base: str) -> int:
    body = post(f"{base}/query", urlencode({"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}).encode(),
                "application/x-www-form-urlencoded", "application/sparql-results+json")
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A writable Oxigraph server holding two triples."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as base:
        _fill(base)
        yield base


def test_update_hidden_behind_comment_is_refused(tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "oxigraph") as base:
        _fill(base)
        proc = alskg("sparql", HIDDEN, "--endpoint", f"{base}/update")
        assert_one_line_error(proc, "update operations are refused")
        assert _count(base) == 2


@pytest.mark.parametrize("path", ["/update", "/query", "/store", "/"])
@pytest.mark.parametrize("update", UPDATES)
def test_update_refused_whatever_the_endpoint_path(writable: str, update: str, path: str) -> None:
    with pytest.raises(UsageError, match="update operations are refused"):
        run_remote(f"{writable}{path}", update, timeout=10)
    assert _count(writable) == 2


def test_query_behind_the_same_comment_still_runs(writable: str) -> None:
    results = run_remote(f"{writable}/query", "PREFIX x: <http://x/> # note\nSELECT ?o WHERE { x:a x:b ?o } ORDER BY ?o",
                         timeout=10)
    assert [str(row["o"]) for row in results.rows] == ["<http://x/c>", "<http://x/d>"]


@pytest.mark.parametrize("update", UPDATES)
def test_update_refused_locally(update: str) -> None:
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in ox.parse(TRIPLES, format=ox.RdfFormat.N_TRIPLES))
    with pytest.raises(UsageError, match="update operations are refused"):
        run_local(store, update)
    assert len(store) == 2


def test_update_refused_by_the_local_command(tmp_path: Path) -> None:
    proc = alskg("sparql", HIDDEN, "--build-dir", tiny_build(tmp_path))
    assert_one_line_error(proc, "update operations are refused")
