"""A small SPARQL 1.1 protocol client that keeps alskg's promises about remote endpoints.

General-purpose clients (SPARQLWrapper over urllib) follow a 302 as a GET, dropping the query
and sending Basic credentials to whatever host the redirect names; they read an answer
without bound; and their timeout applies to each socket read, so a server trickling a byte a
second never times out. This client, on http.client, instead:

- speaks http and https only, to the host named in ``--endpoint``; credentials
  (``ALSKG_SPARQL_USER``/``ALSKG_SPARQL_PASSWORD``, never in the URL) go to that origin only;
- parses the query first (:mod:`alskg.readonly`): an update is refused whatever the
  endpoint's path, and the text is sent as the protocol's ``query=`` form field;
- follows a redirect only when it keeps the method (307, 308) and the origin (scheme, host,
  port), at most :data:`MAX_REDIRECTS` times; any other redirect is an error;
- answers one HTTP Digest challenge (RFC 7616, ``qop=auth``; Virtuoso's authenticated endpoints
  ask for it) with the same credentials, to the same origin: the password never travels in it;
- reads the whole answer under one deadline (``--timeout``) and a size cap (``--max-bytes``);
- refuses an answer the server marks as cut (Virtuoso's ``X-SPARQL-MaxRows`` when it hit its
  row limit, ``X-SQL-State`` on an anytime query's partial result), a body shorter than its
  Content-Length, an N-Triples body whose end is not marked, and anything that is not
  well-formed SPARQL JSON results (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE) by
  Oxigraph's strict parsers.

Every failure is an :class:`~alskg.errors.EndpointError`: one line, exit 2. :func:`send` is the
same transport for other requests (``alskg load``'s Graph Store PUT and POST).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urljoin, urlsplit
from urllib.request import parse_http_list, parse_keqv_list

from alskg import __version__
from alskg.errors import EndpointError, UsageError

if TYPE_CHECKING:  # http.client, ssl and the catalogue load only when a query runs, not with the CLI
    import http.client
    import socket
    from email.message import Message

    from alskg.queries import Results

DEFAULT_MAX_BYTES = 100_000_000  # 100 MB: far above any packaged query's answer on the full release
MAX_REDIRECTS = 5
USER_AGENT = f"alskg/{__version__} (+https://w3id.org/alskg)"
TRUNCATION_HEADERS = ("X-SPARQL-MaxRows", "X-SQL-State")
JSON_TYPES = ("application/sparql-results+json", "application/json")
NTRIPLES_TYPES = ("application/n-triples", "text/plain")
REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 1 << 16


@dataclass(frozen=True)
class Target:
    """An endpoint URL split into what the client needs; ``shown`` carries no credentials."""

    scheme: str
    host: str
    port: int
    path: str
    shown: str

    @property
    def origin(self) -> tuple[str, str, int]:
        return self.scheme, self.host, self.port


@dataclass(frozen=True)
class Answer:
    """A response as read: status, headers and the whole body."""

    status: int
    reason: str
    headers: Message
    body: bytes


class Deadline:
    """One deadline for a whole exchange: every socket operation gets only the time left."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        remaining = self.at - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        return remaining


def parse_endpoint(url: str) -> Target:
    """Check ``--endpoint``: an http(s) URL with a host and no credentials in it."""
    masked = _masked(url)
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        raise UsageError("--endpoint must be a URL without spaces or control characters", value=masked)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UsageError(f"--endpoint is not a usable URL: {exc}", value=masked) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UsageError("--endpoint must be an http:// or https:// URL", value=masked)
    if not parts.hostname:
        raise UsageError("--endpoint names no host", value=masked)
    shown = f"{scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"
    if parts.username is not None or parts.password is not None:
        raise UsageError("--endpoint must not carry credentials: set ALSKG_SPARQL_USER and ALSKG_SPARQL_PASSWORD",
                         value=shown)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80), path, shown)


def _masked(url: str) -> str:
    """The URL as it may be printed: any user:password before the host replaced by ``***``."""
    scheme, sep, rest = url.partition("://")
    authority, slash, tail = rest.partition("/")
    if not sep or "@" not in authority:
        return url
    return f"{scheme}{sep}***@{authority.rpartition('@')[2]}{slash}{tail}"


def run_remote(endpoint: str, text: str, timeout: float = 60.0, max_bytes: int = DEFAULT_MAX_BYTES) -> Results:
    """Run a read-only query on a SPARQL 1.1 endpoint: the whole answer within ``timeout`` s and ``max_bytes``."""
    import http.client

    from alskg.readonly import check_query

    deadline = Deadline(timeout)
    target = parse_endpoint(endpoint)
    query = check_query(text)
    accept = JSON_TYPES[0] if query.form in ("SELECT", "ASK") else NTRIPLES_TYPES[0]
    headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": USER_AGENT}
    authorization = _authorization()
    if authorization:
        headers["Authorization"] = authorization
    body = urlencode({"query": text}).encode("ascii")
    try:
        answer = _post(target, body, headers, deadline, max_bytes)
    except TimeoutError:
        raise EndpointError(f"SPARQL endpoint failed: no complete answer within --timeout {timeout:g} s",
                            value=target.shown) from None
    except (OSError, http.client.HTTPException) as exc:
        raise EndpointError(f"SPARQL endpoint failed: {_reason(exc)}", value=target.shown) from None
    return _results(answer, query.form, target)


def has_credentials() -> bool:
    """True when ``ALSKG_SPARQL_USER`` and ``ALSKG_SPARQL_PASSWORD`` are both set."""
    return _authorization() is not None


def _authorization() -> str | None:
    user, password = os.environ.get("ALSKG_SPARQL_USER"), os.environ.get("ALSKG_SPARQL_PASSWORD")
    if not (user and password):
        return None
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def send(target: Target, method: str, body: bytes, content_type: str, timeout: float, max_bytes: int) -> Answer:
    """Send ``body`` with ``method`` (PUT, POST) under the same rules as a query; the answer's body is not read
    beyond an excerpt (a Graph Store answer says nothing but its status).

    Credentials are sent only when the server asks (a 401 challenge, Digest preferred): Virtuoso
    answers a Basic header it did not ask for with a 401 that carries no Digest challenge.
    """
    import http.client

    headers = {"Accept": "*/*", "Content-Type": content_type, "User-Agent": USER_AGENT}
    try:
        return _post(target, body, headers, Deadline(timeout), max_bytes, method=method, whole=False)
    except TimeoutError:
        raise EndpointError(f"{method} to the store failed: no answer within --timeout {timeout:g} s",
                            value=target.shown) from None
    except (OSError, http.client.HTTPException) as exc:
        raise EndpointError(f"{method} to the store failed: {_reason(exc)}", value=target.shown) from None


def _post(target: Target, body: bytes, headers: dict[str, str], deadline: Deadline, max_bytes: int,
          method: str = "POST", whole: bool = True) -> Answer:
    """Send to the target, following only method- and origin-keeping redirects and answering one Digest challenge."""
    answered = False
    for _ in range(MAX_REDIRECTS + 1):
        answer = _exchange(target, body, headers, deadline, max_bytes, method, whole)
        credentials = None if answered or answer.status != 401 else _challenged(answer, method, target, headers)
        if credentials:
            headers, answered = {**headers, "Authorization": credentials}, True
            answer = _exchange(target, body, headers, deadline, max_bytes, method, whole)
        if answer.status not in REDIRECTS:
            return answer
        target = _redirect(target, answer, method)
    raise EndpointError(f"SPARQL endpoint failed: more than {MAX_REDIRECTS} redirects", value=target.shown)


def _challenged(answer: Answer, method: str, target: Target, headers: dict[str, str]) -> str | None:
    """The ``Authorization`` answering a 401: Digest when offered, else Basic when offered and not sent yet."""
    schemes = {c.strip().partition(" ")[0].lower() for c in answer.headers.get_all("WWW-Authenticate") or []}
    if "digest" in schemes:
        return _digest(answer, method, target)
    if "basic" in schemes and "Authorization" not in headers:
        return _authorization()
    return None


def _digest(answer: Answer, method: str, target: Target) -> str | None:
    """The Digest ``Authorization`` answering a 401's challenge (RFC 7616, qop=auth), or None when the
    server asks for none, or no credentials are set. The challenge is read with the standard library's
    parser of HTTP lists; one it cannot read, or asking for what alskg does not speak, is an error."""
    user, password = os.environ.get("ALSKG_SPARQL_USER"), os.environ.get("ALSKG_SPARQL_PASSWORD")
    challenges = [c.strip().partition(" ") for c in answer.headers.get_all("WWW-Authenticate") or []]
    params = next((rest for scheme, _, rest in challenges if scheme.lower() == "digest"), None)
    if params is None or not (user and password):
        return None
    try:
        fields = {k.lower(): v for k, v in parse_keqv_list(parse_http_list(params)).items()}
    except ValueError:
        raise EndpointError("endpoint sent a malformed Digest challenge", value=target.shown) from None
    algorithm = fields.get("algorithm", "MD5").upper()
    hashes = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}
    qops = [q.strip() for q in fields.get("qop", "auth").split(",")]
    if algorithm.removesuffix("-SESS") not in hashes or "auth" not in qops or "nonce" not in fields:
        raise EndpointError(f"endpoint asks for Digest {_printable(algorithm)} qop={_printable(fields.get('qop', ''))}"
                            f", which alskg does not speak (it answers MD5 or SHA-256 with qop=auth)",
                            value=target.shown)

    def h(text: str) -> str:
        return hashes[algorithm.removesuffix("-SESS")](text.encode("utf-8")).hexdigest()

    realm, nonce, cnonce, count = fields.get("realm", ""), fields["nonce"], secrets.token_hex(16), "00000001"
    secret = h(f"{user}:{realm}:{password}")
    if algorithm.endswith("-SESS"):
        secret = h(f"{secret}:{nonce}:{cnonce}")
    response = h(f"{secret}:{nonce}:{count}:{cnonce}:auth:{h(f'{method}:{target.path}')}")
    quoted = {"username": user, "realm": realm, "nonce": nonce, "uri": target.path, "response": response,
              "cnonce": cnonce, **({"opaque": fields["opaque"]} if "opaque" in fields else {})}
    items = [f'{k}="{_quoted(v)}"' for k, v in quoted.items()]
    return "Digest " + ", ".join([*items, f"algorithm={algorithm}", "qop=auth", f"nc={count}"])


def _quoted(value: str) -> str:
    """A value as the inside of an HTTP quoted-string."""
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _redirect(target: Target, answer: Answer, method: str = "POST") -> Target:
    location = answer.headers.get("Location")
    if not location:
        raise EndpointError(f"SPARQL endpoint answered HTTP {answer.status} without a Location", value=target.shown)
    try:
        following = parse_endpoint(urljoin(target.shown, location.strip()))
    except UsageError:
        raise EndpointError("SPARQL endpoint redirected to a URL alskg does not follow",
                            value=_printable(location)) from None
    if following.origin != target.origin:
        raise EndpointError(f"SPARQL endpoint redirected to another host ({following.shown}): refused; queries "
                            f"and credentials go only to the host in --endpoint", value=target.shown)
    if answer.status not in (307, 308):
        raise EndpointError(f"SPARQL endpoint redirected (HTTP {answer.status}) to {following.shown}, which turns "
                            f"the {method} into a GET: refused; give the final URL as --endpoint", value=target.shown)
    return following


class _DeadlineSocket:
    """What http.client uses of a socket (sendall, makefile, close), every operation under the deadline.

    As with a real socket's makefile, the socket closes when both the connection and every
    reader made from it are closed (http.client hands a closing connection to its response).
    """

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self._sock, self._deadline = sock, deadline
        self._readers, self._closed = 0, False

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(self._deadline.left())
        self._sock.sendall(data)

    def recv_into(self, buffer: memoryview) -> int:
        self._sock.settimeout(self._deadline.left())
        return self._sock.recv_into(buffer)

    def makefile(self, mode: str = "rb", *args: object, **kwargs: object) -> io.BufferedReader:
        self._readers += 1
        return io.BufferedReader(_DeadlineReader(self))

    def reader_closed(self) -> None:
        self._readers -= 1
        self._close_when_unused()

    def close(self) -> None:
        self._closed = True
        self._close_when_unused()

    def _close_when_unused(self) -> None:
        if self._closed and self._readers <= 0:
            self._sock.close()


class _DeadlineReader(io.RawIOBase):
    """The read side of a :class:`_DeadlineSocket`, for http.client's buffered reads."""

    def __init__(self, owner: _DeadlineSocket) -> None:
        self._owner = owner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        return self._owner.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            self._owner.reader_closed()
        super().close()


def _connection(target: Target, deadline: Deadline) -> http.client.HTTPConnection:
    """A connection whose socket is wrapped in the deadline once connected (and, for https, verified)."""
    import http.client
    import ssl

    base = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection

    class Connection(base):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            self.timeout = deadline.left()  # bounds the TCP connect, then the whole TLS handshake
            super().connect()
            self.sock = _DeadlineSocket(self.sock, deadline)

    if target.scheme == "https":
        return Connection(target.host, target.port, timeout=deadline.left(), context=ssl.create_default_context())
    return Connection(target.host, target.port, timeout=deadline.left())


def _exchange(target: Target, body: bytes, headers: dict[str, str], deadline: Deadline, max_bytes: int,
              method: str = "POST", whole: bool = True) -> Answer:
    """One request and its whole response (the body of a redirect or an error only in part; of any
    answer only in part unless ``whole``)."""
    connection = _connection(target, deadline)
    response: http.client.HTTPResponse | None = None
    try:
        try:
            connection.request(method, target.path, body=body, headers=headers)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered before reading the whole body (a 401 to a large upload): read that answer
        response = connection.getresponse()
        if response.status in REDIRECTS:
            return Answer(response.status, response.reason, response.headers, b"")
        if response.status != 200 or not whole:
            excerpt = response.read(2048) if response.status >= 400 else b""
            return Answer(response.status, response.reason, response.headers, excerpt)
        _check_headers(response, target, max_bytes)
        return Answer(response.status, response.reason, response.headers, _read_body(response, target, max_bytes))
    finally:
        if response is not None:
            response.close()
        connection.close()


def _check_headers(response: http.client.HTTPResponse, target: Target, max_bytes: int) -> None:
    """Refuse, before reading on, an answer the server marks as cut, encoded, or too large."""
    for name in TRUNCATION_HEADERS:
        if response.headers.get(name) is not None:
            raise EndpointError(f"SPARQL endpoint marked its answer as incomplete ({name}: "
                                f"{_printable(response.headers[name])}): refused, not shown as a result",
                                value=target.shown)
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding != "identity":
        raise EndpointError(f"SPARQL endpoint answered with Content-Encoding {_printable(encoding)}, which alskg "
                            f"did not ask for", value=target.shown)
    declared = _content_length(response, target)
    if declared is not None and declared > max_bytes:
        raise EndpointError(f"SPARQL endpoint's answer is {declared} bytes, over --max-bytes {max_bytes}",
                            value=target.shown)


def _content_length(response: http.client.HTTPResponse, target: Target) -> int | None:
    values = {v.strip() for v in response.headers.get_all("Content-Length") or []}
    if not values:
        return None
    value = values.pop()
    if values or not (value.isascii() and value.isdigit()):
        raise EndpointError("SPARQL endpoint sent a malformed Content-Length", value=target.shown)
    return int(value)


def _read_body(response: http.client.HTTPResponse, target: Target, max_bytes: int) -> bytes:
    """The whole body, at most ``max_bytes``; one shorter than its Content-Length is an error."""
    declared = _content_length(response, target)
    chunks: list[bytes] = []
    total = 0
    while chunk := response.read(CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise EndpointError(f"SPARQL endpoint's answer exceeds --max-bytes {max_bytes}", value=target.shown)
        chunks.append(chunk)
    if declared is not None and total != declared:
        raise EndpointError(f"SPARQL endpoint's answer was cut short: {total} of the {declared} bytes its "
                            f"Content-Length announced", value=target.shown)
    if declared is None and not response.chunked and not _self_delimiting(response):
        raise EndpointError("SPARQL endpoint's N-Triples answer has neither Content-Length nor chunked encoding, "
                            "so a cut could not be told from its end", value=target.shown)
    return b"".join(chunks)


def _self_delimiting(response: http.client.HTTPResponse) -> bool:
    """JSON results cannot be cut without breaking their syntax; N-Triples can, at any line."""
    return _media_type(response.headers) in JSON_TYPES


def _media_type(headers: Message) -> str:
    return (headers.get("Content-Type") or "").split(";")[0].strip().lower()


def _results(answer: Answer, form: str, target: Target) -> Results:
    """Turn a 200 answer into Results with Oxigraph's strict parsers; anything else is an error."""
    if answer.status != 200:
        excerpt = " ".join(answer.body.decode("utf-8", "replace").split())[:160]
        detail = f": {_printable(excerpt)}" if excerpt else ""
        raise EndpointError(f"SPARQL endpoint answered HTTP {answer.status} {_printable(answer.reason)}{detail}",
                            value=target.shown)
    media = _media_type(answer.headers)
    expected = JSON_TYPES if form in ("SELECT", "ASK") else NTRIPLES_TYPES
    if media not in expected:
        raise EndpointError(f"SPARQL endpoint answered {_printable(media or 'no Content-Type')}, not "
                            f"{expected[0]}", value=target.shown)
    parsed = _parse(answer.body, form)
    if isinstance(parsed, str):
        raise EndpointError(f"SPARQL endpoint's answer {parsed}", value=target.shown)
    return parsed


def _parse(body: bytes, form: str) -> Results | str:
    """The Results in a body, or what is wrong with it.

    Errors are returned, not raised, so that no parser object outlives this call inside a
    traceback: pyoxigraph's result iterators must be dropped on the thread that made them.
    """
    from alskg.rdfmodel import RdfFormat, Triple, parse_rdf
    from alskg.store import QueryBoolean, QueryResultsFormat, parse_query_results

    from alskg.queries import Results

    try:
        if form in ("CONSTRUCT", "DESCRIBE"):
            quads = parse_rdf(body, format=RdfFormat.N_TRIPLES)
            return Results(triples=sorted(f"{Triple(q.subject, q.predicate, q.object)} ." for q in quads))
        parsed = parse_query_results(body, format=QueryResultsFormat.JSON)
        if isinstance(parsed, QueryBoolean) != (form == "ASK"):
            return f"does not fit an {form} query"
        if isinstance(parsed, QueryBoolean):
            return Results(boolean=bool(parsed))
        variables = [v.value for v in parsed.variables]
        return Results(variables, [{name: solution[name] for name in variables} for solution in parsed])
    except SyntaxError as exc:
        what = "N-Triples" if form in ("CONSTRUCT", "DESCRIBE") else "SPARQL JSON results"
        return f"is not valid {what}: {_printable(str(exc.msg))}"


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return _printable(str(reason).splitlines()[0] if str(reason).strip() else type(exc).__name__)


def _printable(text: str, limit: int = 200) -> str:
    """Server-given text as one safe line: control characters escaped, length bounded."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text[:limit])
