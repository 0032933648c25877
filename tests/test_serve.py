"""`alskg serve` and `alskg query export`: a real read-only Oxigraph server on 127.0.0.1.

The server is started by the tests on a free loopback port; every request loop is bounded.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from alskg import serve as server
from alskg.build import BuildResult
from alskg.cli import cli
from alskg.errors import UsageError
from alskg.examples import QUERIES_GRAPH, examples_turtle, query_form
from alskg.queries import catalogue

ALSKG = [sys.executable, "-m", "alskg"]


def _post(url: str, body: str, content_type: str, accept: str = "application/sparql-results+json") -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body.encode(), method="POST",
                                     headers={"Content-Type": content_type, "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _count(endpoint: str) -> int:
    status, body = _post(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "application/sparql-query")
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def endpoint(built: BuildResult):  # type: ignore[no-untyped-def]
    running = server.start(built.out_dir)
    yield running
    server.stop(running)


def test_served_endpoint_answers_like_the_embedded_store(endpoint: server.Endpoint, built: BuildResult) -> None:
    store = ox.Store.read_only(str(built.files["store"]))
    local = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    assert endpoint.base.startswith("http://127.0.0.1:")
    assert _count(endpoint.query) == local > 10_000


@pytest.mark.parametrize("update", [
    "DELETE WHERE { ?s ?p ?o }",
    "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
    "PREFIX x: <http://x/> # note\nDELETE WHERE { ?s ?p ?o }",
    "DROP ALL",
    "CLEAR DEFAULT",
])
def test_served_endpoint_refuses_every_update(endpoint: server.Endpoint, update: str) -> None:
    before = _count(endpoint.query)
    status, _ = _post(endpoint.base + "update", update, "application/sparql-update")
    assert status >= 400
    status, _ = _post(endpoint.base + "query", update, "application/sparql-query")
    assert status >= 400
    assert _count(endpoint.query) == before


def test_served_endpoint_refuses_graph_store_writes(endpoint: server.Endpoint) -> None:
    before = _count(endpoint.query)
    status, _ = _post(endpoint.base + "store?default", "<http://x/a> <http://x/b> <http://x/c> .", "text/turtle")
    assert status >= 400
    assert _count(endpoint.query) == before


def test_ui_page_is_served_offline(endpoint: server.Endpoint) -> None:
    with urllib.request.urlopen(endpoint.base, timeout=10) as page:
        html = page.read().decode()
    assert "yasgui" in html.lower()
    assert "https://" not in html.split("<body", 1)[0].lower().replace("https://w3id.org", "")


def test_examples_listed_from_the_endpoint(endpoint: server.Endpoint) -> None:
    query = catalogue()["query-examples"].text
    status, body = _post(endpoint.query, query, "application/sparql-query")
    assert status == 200
    names = [b["example"]["value"].rsplit("/", 1)[1] for b in json.loads(body)["results"]["bindings"]]
    assert names == sorted(catalogue())


def test_examples_graph_holds_every_query_text(built: BuildResult) -> None:
    store = ox.Store.read_only(str(built.files["store"]))
    rows = store.query(f"SELECT ?e ?text WHERE {{ GRAPH <{QUERIES_GRAPH}> {{ ?e <http://www.w3.org/ns/shacl#select> ?text }} }}")
    texts = {r["e"].value.rsplit("/", 1)[1]: r["text"].value for r in rows}
    assert sorted(texts) == sorted(catalogue())
    for name, text in texts.items():
        ox.Store().query(text)  # each example is a runnable query on its own
        assert text.strip() in catalogue()[name].text


def test_export_is_byte_stable_and_parses(tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["query", "export", "--format", "sparql-examples", "--target", "http://127.0.0.1:7878/query"])
    second = runner.invoke(cli, ["query", "export", "--out", str(tmp_path / "q.ttl"), "--target",
                                 "http://127.0.0.1:7878/query"])
    assert first.exit_code == second.exit_code == 0
    assert first.output == (tmp_path / "q.ttl").read_text(encoding="utf-8")
    triples = list(ox.parse(first.output.encode(), format=ox.RdfFormat.TURTLE))
    subjects = {t.subject.value for t in triples
                if t.object == ox.NamedNode("http://www.w3.org/ns/shacl#SPARQLExecutable")}
    assert subjects == {"https://w3id.org/alskg/query/" + n for n in catalogue()}
    targets = {t.object.value for t in triples if t.predicate.value == "https://schema.org/target"}
    assert targets == {"http://127.0.0.1:7878/query"}


def test_export_describes_parameters() -> None:
    text = examples_turtle([catalogue()["subtypes"]])
    assert 'rdfs:label "disease" ; alskg:parameter_type "disease" ; schema:defaultValue "MONDO:0004976"' in text


@pytest.mark.parametrize(("query", "form"), [
    ("PREFIX x: <http://x/> # SELECT\nASK { ?s ?p ?o }", "ask"),
    ("# ASK\nSELECT * WHERE { ?s ?p ?o }", "select"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "construct"),
    ("DESCRIBE <http://x/a>", "describe"),
])
def test_query_form_comes_from_the_parser(query: str, form: str) -> None:
    assert query_form(query) == form


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1", "example.org"])
def test_non_loopback_host_needs_public(host: str) -> None:
    with pytest.raises(UsageError, match="--public"):
        server.check_host(host, public=False)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1"])
def test_loopback_hosts_need_nothing(host: str) -> None:
    server.check_host(host, public=False)


def test_serve_cli_refuses_public_host_without_flag(built: BuildResult) -> None:
    done = subprocess.run([*ALSKG, "serve", "--build-dir", str(built.out_dir), "--host", "0.0.0.0"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "--public" in done.stderr and "Traceback" not in done.stderr


def test_serve_cli_without_a_build_is_one_line(tmp_path: Path) -> None:
    done = subprocess.run([*ALSKG, "serve", "--build-dir", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "run `alskg build` first" in done.stderr and done.stderr.count("\n") == 1


def test_serve_cli_prints_url_and_stops_cleanly_on_ctrl_c(built: BuildResult) -> None:
    port = server.free_port()
    process = subprocess.Popen([*ALSKG, "serve", "--build-dir", str(built.out_dir), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert f"http://127.0.0.1:{port}/query" in line
        assert _count(f"http://127.0.0.1:{port}/query") > 1000
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    for _ in range(50):  # bounded: the port is free again once the server has gone
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                time.sleep(0.1)
        except OSError:
            break
    else:
        pytest.fail("the server still listens after Ctrl-C")


def test_scale_out_doc_shows_the_generated_recipes() -> None:
    from alskg.scaleout import neptune_request, qleverfile, virtuoso_script

    doc = (Path(__file__).resolve().parents[1] / "docs" / "scale-out.md").read_text(encoding="utf-8")
    for block in (qleverfile("V"), virtuoso_script("V"), neptune_request("V")):
        assert block.rstrip() in doc, "docs/scale-out.md is stale: regenerate its blocks from alskg.scaleout"


def test_qleverfile_names_the_release_files() -> None:
    from alskg.scaleout import qleverfile

    text = qleverfile("2026-11-26")
    assert "INPUT_FILES     = alskg-2026-11-26.nt.gz" in text and "NAME        = alskg-2026-11-26" in text
