"""Issue 9, point 2: ``SERVICE`` made the embedded engine call out (SSRF), and could hang past --timeout.

A local query is parsed first; any ``SERVICE`` whose host ``--allow-service`` does not name is
refused before the engine sees the query (the endpoint below counts the requests it gets).
Local queries run in a child process that is killed at ``--timeout``, whether they wait on an
allowed service that never answers or just compute for too long.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from alskg.errors import UsageError
from alskg.readonly import check_query, refuse_services

from ..servers import (
    JSON_HEADERS,
    SELECT_JSON,
    Request,
    Writer,
    alskg,
    answer,
    assert_one_line_error,
    http_endpoint,
    tiny_build,
)

SERVICE_FORMS = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?x ?y ?z }} }}",
    "PREFIX r: <{url}>\nSELECT * WHERE {{ SERVICE r: {{ ?x ?y ?z }} }}",
    "BASE <{url}> # a comment\nSELECT * WHERE {{ SERVICE <> {{ ?x ?y ?z }} }}",
    "SELECT * WHERE {{ SERV\\u0049CE <{url}> {{ ?x ?y ?z }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }}",
    "ASK {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }} }}",
    "SELECT * WHERE {{ VALUES ?svc {{ <{url}> }} SERVICE ?svc {{ ?x ?y ?z }} }}",
]


def test_service_refused_in_local_query(tmp_path: Path) -> None:
    with http_endpoint(answer("200 OK", JSON_HEADERS, SELECT_JSON)) as remote:
        proc = alskg("sparql", SERVICE_FORMS[0].format(url=remote.url), "--build-dir", tiny_build(tmp_path))
        assert_one_line_error(proc, "SERVICE is refused", "--allow-service")
        assert proc.stdout == ""
        assert remote.requests == []


@pytest.mark.parametrize("form", SERVICE_FORMS)
def test_every_service_form_is_found_by_the_parser(form: str) -> None:
    query = check_query(form.format(url="http://127.0.0.1:9/sparql"))
    with pytest.raises(UsageError, match="SERVICE is refused"):
        refuse_services(query, ())
    with pytest.raises(UsageError, match="SERVICE is refused"):
        refuse_services(query, ("127.0.0.2",))


def test_service_with_a_variable_is_refused_even_when_a_host_is_allowed() -> None:
    query = check_query(SERVICE_FORMS[-1].format(url="http://127.0.0.1:9/sparql"))
    with pytest.raises(UsageError, match=re.escape("SERVICE ?variable")):
        refuse_services(query, ("127.0.0.1",))


def test_allowed_service_host_is_called(tmp_path: Path) -> None:
    with http_endpoint(answer("200 OK", JSON_HEADERS, SELECT_JSON)) as remote:
        host = remote.url.split("/")[2]
        query = f"SELECT ?x WHERE {{ SERVICE <{remote.url}> {{ ?x ?y ?z }} }}"
        proc = alskg("sparql", query, "--build-dir", tiny_build(tmp_path), "--format", "tsv", "--allow-service", host)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == "x\nremote row\n"
        assert len(remote.requests) == 1
        other_port = alskg("sparql", query, "--build-dir", tmp_path, "--allow-service", "127.0.0.1:9")
        assert_one_line_error(other_port, "SERVICE is refused")
        assert len(remote.requests) == 1


def _never_answers(request: Request, out: Writer) -> None:
    time.sleep(30)  # bounded: longer than any deadline below, then the thread ends


def test_service_that_never_answers_hits_timeout(tmp_path: Path) -> None:
    with http_endpoint(_never_answers) as remote:
        host = remote.url.split("/")[2]
        proc = alskg("sparql", f"SELECT * WHERE {{ SERVICE <{remote.url}> {{ ?x ?y ?z }} }}",
                     "--build-dir", tiny_build(tmp_path), "--allow-service", host, "--timeout", "1", timeout=25)
        assert_one_line_error(proc, "did not finish within --timeout 1 s")


def test_long_local_query_hits_timeout(tmp_path: Path) -> None:
    product = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # 400^4 rows
    proc = alskg("sparql", product, "--build-dir", tiny_build(tmp_path, 400), "--timeout", "1", timeout=25)
    assert_one_line_error(proc, "did not finish within --timeout 1 s")


def test_allow_service_takes_a_host() -> None:
    proc = alskg("sparql", "ASK {}", "--allow-service", "http://127.0.0.1/x")
    assert_one_line_error(proc, "--allow-service takes a host or host:port")
