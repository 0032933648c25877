"""Issue 9, point 4: truncated, malformed, endless and trickling answers were passed on as results.

Each endpoint below misbehaves in one way; each must give one line and exit 2 (in-process:
an EndpointError whose message is one line), never rows, a traceback or a hang. A
well-behaved answer from the same kind of server is read in full.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from alskg.errors import EndpointError
from alskg.remote import run_remote

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

QUERY = "SELECT ?x WHERE { ?x ?y ?z }"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
NTRIPLES = {"Content-Type": "application/n-triples"}
TRIPLES = b'<http://x/a> <http://x/b> "one" .\n<http://x/a> <http://x/b> "two" .\n'


def refused(script: Script, match: str, query: str = QUERY, **options: float) -> EndpointError:
    """Run ``query`` against the scripted endpoint; it must fail with a one-line EndpointError."""
    with http_endpoint(script) as endpoint:
        with pytest.raises(EndpointError, match=match) as caught:
            run_remote(endpoint.url, query, **{"timeout": 10, **options})  # type: ignore[arg-type]
    message = str(caught.value)
    assert "\n" not in message and "\x1b" not in message, message
    return caught.value


def test_max_rows_header_is_refused() -> None:
    with http_endpoint(answer("200 OK", {**JSON_HEADERS, "X-SPARQL-MaxRows": "10000"}, SELECT_JSON)) as endpoint:
        proc = alskg("sparql", QUERY, "--endpoint", endpoint.url)
        assert_one_line_error(proc, "marked its answer as incomplete", "X-SPARQL-MaxRows: 10000")
        assert proc.stdout == ""


def test_partial_result_header_is_refused() -> None:
    headers = {**JSON_HEADERS, "X-SQL-State": "S1TAT",
               "X-SQL-Message": "RC...: Returning incomplete results, query interrupted by result timeout."}
    refused(answer("200 OK", headers, SELECT_JSON), r"incomplete \(X-SQL-State: S1TAT\)")


def test_body_shorter_than_content_length_is_refused() -> None:
    cut = answer("200 OK", {**JSON_HEADERS, "Content-Length": str(len(SELECT_JSON) + 500)}, SELECT_JSON,
                 content_length=False)
    refused(cut, f"cut short: {len(SELECT_JSON)} of the {len(SELECT_JSON) + 500} bytes")


@pytest.mark.parametrize("body", [b'{"results":{"bindings":[]}}', b'{"head":{}}'], ids=["no-head", "no-results"])
def test_json_without_head_is_refused(body: bytes) -> None:
    refused(answer("200 OK", JSON_HEADERS, body), "not valid SPARQL JSON results")


def test_binding_without_type_is_refused() -> None:
    body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"value":"no type"}}]}}'
    refused(answer("200 OK", JSON_HEADERS, body), "not valid SPARQL JSON results: .*'type'")


def test_top_level_list_is_refused() -> None:
    refused(answer("200 OK", JSON_HEADERS, b"[1, 2, 3]"), "not valid SPARQL JSON results: .*object")


def test_truncated_json_is_refused() -> None:
    refused(answer("200 OK", JSON_HEADERS, SELECT_JSON[:-10]), "not valid SPARQL JSON results")


def test_boolean_answer_to_a_select_is_refused() -> None:
    refused(answer("200 OK", JSON_HEADERS, b'{"head":{},"boolean":true}'), "does not fit an SELECT query")


def _endless(request: Request, out: Writer) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nConnection: close\r\n\r\n"
    row = b'{"x":{"type":"literal","value":"' + b"y" * 60000 + b'"}},'
    if out.write(head + b'{"head":{"vars":["x"]},"results":{"bindings":['):
        while out.write(row):  # bounded by the Writer's step limit (about 12 MB)
            pass


def test_endless_answer_hits_size_cap() -> None:
    refused(_endless, "exceeds --max-bytes 1000000", max_bytes=1_000_000)


def test_endless_answer_hits_size_cap_on_the_command_line() -> None:
    with http_endpoint(_endless) as endpoint:
        proc = alskg("sparql", QUERY, "--endpoint", endpoint.url, "--max-bytes", "500000")
        assert_one_line_error(proc, "exceeds --max-bytes 500000")


def test_announced_oversize_answer_is_refused_before_reading() -> None:
    big = answer("200 OK", {**JSON_HEADERS, "Content-Length": "5000000000"}, b"", content_length=False)
    refused(big, "5000000000 bytes, over --max-bytes 1000000", max_bytes=1_000_000)


def _trickle_body(request: Request, out: Writer) -> None:
    body = SELECT_JSON * 3
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: {len(body)}\r\n\r\n"
    if out.write(head.encode()):
        for byte in body:
            if not out.write(bytes([byte]), pause=0.2):
                return


def _trickle_head(request: Request, out: Writer) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nX-Padding: " + b"p" * 1000:
        if not out.write(bytes([byte]), pause=0.2):
            return


def test_trickle_answer_hits_deadline() -> None:
    with http_endpoint(_trickle_body) as endpoint:
        proc = alskg("sparql", QUERY, "--endpoint", endpoint.url, "--timeout", "1", timeout=30)
        assert_one_line_error(proc, "no complete answer within --timeout 1 s")


def test_trickle_headers_hit_deadline() -> None:
    refused(_trickle_head, "no complete answer within --timeout 1 s", timeout=1)


def test_file_endpoint_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "results.srj"
    secret.write_bytes(SELECT_JSON)
    proc = alskg("sparql", QUERY, "--endpoint", secret.as_uri())
    assert_one_line_error(proc, "--endpoint must be an http:// or https:// URL")
    assert proc.stdout == ""


def test_ntriples_answer_without_a_marked_end_is_refused() -> None:
    refused(answer("200 OK", NTRIPLES, TRIPLES, content_length=False), "neither Content-Length nor chunked",
            query=CONSTRUCT)


def test_http_error_is_one_escaped_line() -> None:
    page = b"<html>\n<body>Internal\x1b[31m error\r\nsecond line</body></html>"
    error = refused(answer("500 Internal Server Error", {"Content-Type": "text/html"}, page),
                    "answered HTTP 500 Internal Server Error: <html> <body>Internal")
    assert "\\x1b" in str(error)


def test_html_instead_of_results_is_refused() -> None:
    refused(answer("200 OK", {"Content-Type": "text/html"}, b"<html>login</html>"),
            "answered text/html, not application/sparql-results\\+json")


def test_well_formed_answers_are_read_in_full() -> None:
    with http_endpoint(answer("200 OK", {"Content-Type": "application/sparql-results+json; charset=utf-8"},
                              SELECT_JSON)) as endpoint:
        results = run_remote(endpoint.url, QUERY, timeout=10)
    assert results.variables == ["x"]
    assert [str(row["x"]) for row in results.rows] == ['"remote row"']
    with http_endpoint(answer("200 OK", NTRIPLES, TRIPLES)) as endpoint:
        triples = run_remote(endpoint.url, CONSTRUCT, timeout=10).triples
    assert triples == ['<http://x/a> <http://x/b> "one" .', '<http://x/a> <http://x/b> "two" .']
    ask = answer("200 OK", JSON_HEADERS, b'{"head":{},"boolean":false}')
    with http_endpoint(ask) as endpoint:
        assert run_remote(endpoint.url, "ASK { ?s ?p ?o }", timeout=10).boolean is False
