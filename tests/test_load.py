"""`alskg load`: the ALS build into a real Oxigraph server on 127.0.0.1 through the Graph Store Protocol,
checked by counting each graph on the server (issue 11 §2)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from alskg.build import BuildResult
from alskg.errors import InputError, UsageError
from alskg.load import graph_store_url, load

from .servers import (
    Request,
    Writer,
    alskg,
    answer,
    assert_one_line_error,
    free_port,
    http_endpoint,
    oxigraph_server,
    post,
)

MERGED = "https://w3id.org/alskg/graph/merged"
HPOA = "https://w3id.org/alskg/graph/hpoa"
USER, PASSWORD = "loader", "s3cret-load"
CREDENTIALS = {"ALSKG_SPARQL_USER": USER, "ALSKG_SPARQL_PASSWORD": PASSWORD}


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[str]:
    """A fresh, empty, writable Oxigraph server; yields its base URL."""
    with oxigraph_server(tmp_path / "oxigraph") as base:
        yield base


@pytest.fixture(scope="module")
def per_graph(dataset: ox.Store) -> dict[str, int]:
    """The build's named graphs and their sizes, counted by pyoxigraph on the N-Quads dump."""
    rows = dataset.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in rows}


@pytest.fixture(scope="module")
def merged_size(built: BuildResult) -> int:
    return len(ox.Dataset(ox.parse(path=str(built.files["nt"]), format=ox.RdfFormat.N_TRIPLES)))


def server_counts(base: str) -> dict[str | None, int]:
    """What the server holds, per graph (None: the default graph), asked with plain urllib."""
    text = ("SELECT ?g (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g")
    body = post(f"{base}/query", ("query=" + quote(text)).encode(), "application/x-www-form-urlencoded",
                "application/sparql-results+json")
    rows = json.loads(body)["results"]["bindings"]
    return {row["g"]["value"] if "g" in row else None: int(row["n"]["value"]) for row in rows}


def test_named_graphs_land_with_the_builds_counts_in_chunks(server: str, built: BuildResult,
                                                            per_graph: dict[str, int]) -> None:
    report = load(f"{server}/query", built.files["nq"], named_graphs=True, chunk=4000, timeout=60)
    assert report.ok
    assert {g.graph: (g.expected, g.found) for g in report.graphs} == {g: (n, n) for g, n in per_graph.items()}
    assert server_counts(server) == per_graph
    assert report.requests == sum(math.ceil(n / 4000) for n in per_graph.values())
    assert report.statements == sum(per_graph.values()) == 20851


def test_merged_view_goes_to_the_default_graph_through_the_cli(server: str, built: BuildResult,
                                                               merged_size: int) -> None:
    proc = alskg("load", "--endpoint", f"{server}/query", "--build-dir", built.out_dir)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == f"ok       (default graph): expected {merged_size}, found {merged_size}"
    assert proc.stderr == ""  # piped: no progress
    assert server_counts(server) == {None: merged_size}


def test_replace_twice_gives_the_same_counts(server: str, built: BuildResult, merged_size: int) -> None:
    for _ in range(2):
        report = load(f"{server}/query", built.files["nt"], named_graphs=False, graph=MERGED, replace=True,
                      chunk=7000, timeout=60)
        assert [(g.graph, g.expected, g.found) for g in report.graphs] == [(MERGED, merged_size, merged_size)]
    assert server_counts(server) == {MERGED: merged_size}


def test_replace_drops_what_the_graph_held_before(server: str, built: BuildResult,
                                                  per_graph: dict[str, int]) -> None:
    post(f"{server}/store?graph={quote(HPOA, safe='')}", b'<http://example.org/stale> <http://example.org/p> "1" .\n',
         "application/n-triples")
    proc = alskg("load", "--endpoint", f"{server}/query", "--build-dir", built.out_dir, "--named-graphs",
                 "--replace")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert server_counts(server) == per_graph


def test_appending_twice_keeps_the_counts(server: str, built: BuildResult, per_graph: dict[str, int]) -> None:
    for _ in range(2):
        report = load(f"{server}/query", built.files["nq"], named_graphs=True, timeout=60)
        assert report.ok, report.lines()
    assert server_counts(server) == per_graph


def test_a_graph_holding_extra_triples_is_a_mismatch_exit_1(server: str, built: BuildResult,
                                                            per_graph: dict[str, int]) -> None:
    post(f"{server}/store?graph={quote(HPOA, safe='')}", b'<http://example.org/extra> <http://example.org/p> "1" .\n',
         "application/n-triples")
    proc = alskg("load", "--endpoint", f"{server}/query", "--build-dir", built.out_dir, "--named-graphs")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    expected = per_graph[HPOA]
    assert f"MISMATCH {HPOA}: expected {expected}, found {expected + 1}" in proc.stdout.splitlines()
    assert proc.stdout.splitlines()[-1].endswith(f"the store differs from the file in 1 graph(s): {HPOA}")
    assert sum(line.startswith("ok ") for line in proc.stdout.splitlines()) == len(per_graph) - 1


def test_gzipped_release_nquads_load(server: str, built: BuildResult, per_graph: dict[str, int],
                                     tmp_path: Path) -> None:
    release = tmp_path / "alskg-1.0"
    release.mkdir()
    with built.files["nq"].open("rb") as raw, gzip.open(release / "alskg-1.0.nq.gz", "wb") as packed:
        shutil.copyfileobj(raw, packed)
    (release / "alskg-1.0.ttl.gz").write_bytes(b"")  # other files of the release are not read
    proc = alskg("load", "--endpoint", f"{server}/query", "--release-dir", release, "--named-graphs")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "alskg-1.0.nq.gz" in proc.stdout.splitlines()[-1]
    assert server_counts(server) == per_graph


def test_blank_nodes_keep_their_identity_across_chunks_and_duplicates_count_once(server: str,
                                                                                  tmp_path: Path) -> None:
    lines = ['_:b1 <http://example.org/p> "one" .', '<http://example.org/a> <http://example.org/p> "1" .',
             '_:b1 <http://example.org/q> "two" .', '<http://example.org/b> <http://example.org/p> "2" .',
             '<http://example.org/b> <http://example.org/p> "2" .', "<http://example.org/c> <http://example.org/p> _:b1 ."]
    (tmp_path / "alskg-x.nt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = load(f"{server}/query", tmp_path / "alskg-x.nt", named_graphs=False, graph=MERGED, chunk=1, timeout=30)
    assert [(g.expected, g.found) for g in report.graphs] == [(5, 5)]
    assert report.requests == 4  # a, b, b one by one; the three blank-node statements together
    text = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { GRAPH ?g { { ?x ?p ?o } UNION { ?s ?p ?x } } FILTER isBlank(?x) }"
    body = post(f"{server}/query", ("query=" + quote(text)).encode(), "application/x-www-form-urlencoded",
                "application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "1"


def test_malformed_release_file_sends_nothing(server: str, tmp_path: Path) -> None:
    good = '<http://example.org/a> <http://example.org/p> "1" .\n'
    (tmp_path / "alskg-x.nt").write_text(good * 2 + "<http://example.org/a> <http://example.org/p> bad .\n" + good)
    proc = alskg("load", "--endpoint", f"{server}/query", "--release-dir", tmp_path, "--graph", MERGED,
                 "--chunk-triples", "1")
    assert_one_line_error(proc, "alskg-x.nt:3:", "not valid N-Triples")
    assert server_counts(server) == {}


def test_unreachable_store_is_one_line_exit_2(built: BuildResult) -> None:
    port = free_port()
    proc = alskg("load", "--endpoint", f"http://127.0.0.1:{port}/query", "--build-dir", built.out_dir)
    assert_one_line_error(proc, "POST to the store failed: Connection refused", f"http://127.0.0.1:{port}/store")
    assert proc.stdout == ""


def test_redirect_to_another_port_is_refused_and_credentials_stay_with_the_named_host(built: BuildResult) -> None:
    basic = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    with http_endpoint(answer("204 No Content", {}, b"")) as other:
        def script(request: Request, out: Writer) -> None:
            if "Authorization" not in request.headers:
                answer("401 Unauthorized", {"WWW-Authenticate": 'Basic realm="store"'}, b"")(request, out)
            else:
                answer("307 Temporary Redirect", {"Location": other.url}, b"")(request, out)

        with http_endpoint(script, path="/store") as named:
            proc = alskg("load", "--endpoint", named.url.replace("/store", "/query"), "--graph-store", named.url,
                         "--build-dir", built.out_dir, "--graph", MERGED, env=CREDENTIALS)
            assert_one_line_error(proc, "redirected to another host", f"127.0.0.1:{other.url.split(':')[2]}")
            assert PASSWORD not in proc.stderr
            assert [(r.method, r.headers.get("Authorization")) for r in named.requests] == [("POST", None),
                                                                                            ("POST", basic)]
            assert other.requests == []


def test_digest_challenge_is_answered_without_the_password(built: BuildResult, tmp_path: Path) -> None:
    """Virtuoso's Graph Store asks for Digest: the answer follows RFC 7616 (MD5, qop=auth)."""
    challenge = 'Digest realm="SPARQL", nonce="n0nce", opaque="0paque", qop="auth", algorithm="MD5"'

    counted = json.dumps({"head": {"vars": ["g", "n"]}, "results": {"bindings": [{
        "g": {"type": "uri", "value": MERGED},
        "n": {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "1"}}]}})

    def script(request: Request, out: Writer) -> None:
        if request.path == "/sparql":  # the count query
            answer("200 OK", {"Content-Type": "application/sparql-results+json"}, counted.encode())(request, out)
        elif request.headers.get("Authorization", "").startswith("Digest "):
            answer("201 Created", {}, b"")(request, out)
        else:
            answer("401 Unauthorized", {"WWW-Authenticate": challenge}, b"")(request, out)

    (tmp_path / "one.nt").write_text('<http://example.org/a> <http://example.org/p> "1" .\n')
    with http_endpoint(script, path="/sparql-graph-crud-auth") as named:
        proc = alskg("load", "--endpoint", named.url.replace("-graph-crud-auth", ""), "--release-dir", tmp_path,
                     "--graph", MERGED, env=CREDENTIALS)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.splitlines()[0] == f"ok       {MERGED}: expected 1, found 1"
        assert [(r.method, r.path.split("?")[0]) for r in named.requests] == [
            ("POST", "/sparql-graph-crud-auth"), ("POST", "/sparql-graph-crud-auth"), ("POST", "/sparql")]
        assert named.requests[0].path == f"/sparql-graph-crud-auth?graph={quote(MERGED, safe='')}"
        digest = named.requests[1].headers["Authorization"]
        assert PASSWORD not in digest and all(PASSWORD not in str(r.headers) for r in named.requests)
        fields = dict(part.strip().split("=", 1) for part in digest.removeprefix("Digest ").split(", "))
        fields = {k: v.strip('"') for k, v in fields.items()}
        assert (fields["username"], fields["realm"], fields["nonce"], fields["opaque"], fields["qop"], fields["nc"]) \
            == (USER, "SPARQL", "n0nce", "0paque", "auth", "00000001")
        assert fields["uri"] == named.requests[0].path

        def md5(text: str) -> str:
            return hashlib.md5(text.encode()).hexdigest()

        ha1, ha2 = md5(f"{USER}:SPARQL:{PASSWORD}"), md5(f"POST:{fields['uri']}")
        assert fields["response"] == md5(f"{ha1}:n0nce:00000001:{fields['cnonce']}:auth:{ha2}")


def test_graph_store_is_found_beside_the_endpoint_or_asked_for() -> None:
    assert graph_store_url("http://127.0.0.1:7878/query", None, False) == "http://127.0.0.1:7878/store"
    assert graph_store_url("http://h:8890/sparql?default-graph-uri=x", None, False) == "http://h:8890/sparql-graph-crud"
    assert graph_store_url("http://h:8890/sparql/", None, True) == "http://h:8890/sparql-graph-crud-auth"
    assert graph_store_url("http://h/q", "https://h/gsp", False) == "https://h/gsp"
    with pytest.raises(UsageError, match="give --graph-store"):
        graph_store_url("http://h/endpoint", None, False)
    with pytest.raises(UsageError, match="must not carry credentials"):
        graph_store_url("http://h/query", "http://u:p@h/store", False)


def test_bad_graph_iri_and_missing_build_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not an absolute IRI"):
        load("http://127.0.0.1:1/query", tmp_path / "x.nt", named_graphs=False, graph="no-scheme")
    proc = alskg("load", "--endpoint", "http://127.0.0.1:1/query", "--build-dir", tmp_path)
    assert_one_line_error(proc, "alskg.nt missing")
    proc = alskg("load", "--endpoint", "http://127.0.0.1:1/query", "--release-dir", tmp_path, "--named-graphs")
    assert_one_line_error(proc, "no .nq or .nq.gz files")
    assert issubclass(UsageError, InputError)
