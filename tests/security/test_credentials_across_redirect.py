"""Issue 9, point 3: Basic credentials crossed a redirect to another host.

With ``ALSKG_SPARQL_USER``/``ALSKG_SPARQL_PASSWORD`` set, a 302 to another host was followed
as a GET: the query was dropped, the credentials went to the new host and its rows were shown
with exit 0. alskg's own client now follows only redirects that keep the method (307, 308)
and the origin (scheme, host, port), a bounded number of times; anything else is one line, exit 2.
"""

from __future__ import annotations

import base64
from urllib.parse import parse_qs

import pytest

from alskg.errors import EndpointError
from alskg.remote import MAX_REDIRECTS, run_remote

from ..servers import (
    JSON_HEADERS,
    SELECT_JSON,
    Request,
    Script,
    Writer,
    alskg,
    answer,
    assert_one_line_error,
    http_endpoint,
)

USER, PASSWORD = "curator", "s3cret-pass"
CREDENTIALS = {"ALSKG_SPARQL_USER": USER, "ALSKG_SPARQL_PASSWORD": PASSWORD}
BASIC = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
QUERY = "SELECT ?x WHERE { ?x ?y ?z } LIMIT 1"


def redirect(status: str, location: str) -> Script:
    return answer(status, {"Location": location}, b"")


def test_credentials_not_sent_across_redirect() -> None:
    with http_endpoint(answer("200 OK", JSON_HEADERS, SELECT_JSON)) as other:
        elsewhere = other.url.replace("127.0.0.1", "localhost")
        with http_endpoint(redirect("302 Found", elsewhere)) as named:
            proc = alskg("sparql", QUERY, "--endpoint", named.url, env=CREDENTIALS)
            line = assert_one_line_error(proc, "redirected to another host", "localhost")
            assert PASSWORD not in proc.stderr and PASSWORD not in line
            assert proc.stdout == ""
            assert other.requests == []
            assert [(r.method, r.headers.get("Authorization")) for r in named.requests] == [("POST", BASIC)]


@pytest.mark.parametrize("status", ["301 Moved Permanently", "302 Found", "303 See Other"])
def test_redirect_that_turns_post_into_get_is_refused(status: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALSKG_SPARQL_USER", USER)
    monkeypatch.setenv("ALSKG_SPARQL_PASSWORD", PASSWORD)
    with http_endpoint(redirect(status, "/elsewhere")) as named:
        with pytest.raises(EndpointError, match="turns the POST into a GET") as caught:
            run_remote(named.url, QUERY, timeout=10)
        assert "\n" not in str(caught.value)
        assert [r.path for r in named.requests] == ["/sparql"]


def test_redirect_to_another_port_of_the_same_host_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALSKG_SPARQL_USER", USER)
    monkeypatch.setenv("ALSKG_SPARQL_PASSWORD", PASSWORD)
    with http_endpoint(answer("200 OK", JSON_HEADERS, SELECT_JSON)) as other:
        with http_endpoint(redirect("307 Temporary Redirect", other.url)) as named:
            with pytest.raises(EndpointError, match="redirected to another host"):
                run_remote(named.url, QUERY, timeout=10)
            assert other.requests == []


def test_redirect_to_https_or_file_is_refused() -> None:
    for location in ("https://127.0.0.1:1/sparql", "file:///etc/passwd"):
        with http_endpoint(redirect("307 Temporary Redirect", location)) as named:
            with pytest.raises(EndpointError, match="redirected"):
                run_remote(named.url, QUERY, timeout=10)


def test_same_origin_307_keeps_the_post_the_query_and_the_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALSKG_SPARQL_USER", USER)
    monkeypatch.setenv("ALSKG_SPARQL_PASSWORD", PASSWORD)
    final = answer("200 OK", JSON_HEADERS, SELECT_JSON)

    def script(request: Request, out: Writer) -> None:
        if request.path == "/sparql":
            redirect("307 Temporary Redirect", "/v2/sparql")(request, out)
        else:
            final(request, out)

    with http_endpoint(script) as named:
        results = run_remote(named.url, QUERY, timeout=10)
        assert [str(row["x"]) for row in results.rows] == ['"remote row"']
        assert [(r.method, r.path, r.headers.get("Authorization")) for r in named.requests] == [
            ("POST", "/sparql", BASIC), ("POST", "/v2/sparql", BASIC)]
        assert [parse_qs(r.body.decode())["query"] for r in named.requests] == [[QUERY], [QUERY]]


def test_redirect_loop_is_bounded() -> None:
    with http_endpoint(redirect("308 Permanent Redirect", "/sparql")) as named:
        with pytest.raises(EndpointError, match=f"more than {MAX_REDIRECTS} redirects"):
            run_remote(named.url, QUERY, timeout=10)
        assert len(named.requests) == MAX_REDIRECTS + 1


def test_credentials_in_the_endpoint_url_are_refused_and_not_echoed() -> None:
    with http_endpoint(answer("200 OK", JSON_HEADERS, SELECT_JSON)) as named:
        with_password = named.url.replace("http://", f"http://{USER}:{PASSWORD}@")
        proc = alskg("sparql", QUERY, "--endpoint", with_password)
        assert_one_line_error(proc, "must not carry credentials", "ALSKG_SPARQL_USER")
        assert PASSWORD not in proc.stderr
        assert named.requests == []
    proc = alskg("sparql", QUERY, "--endpoint", f"ftp://{USER}:{PASSWORD}@127.0.0.1/sparql")
    assert_one_line_error(proc, "must be an http:// or https:// URL", "***@127.0.0.1")
    assert PASSWORD not in proc.stderr
