"""Real servers for the security and fault tests, all on 127.0.0.1, all bounded.

- :func:`oxigraph_server`: the real Oxigraph server (PyPI ``oxigraph``, a test dependency),
  writable, on a folder of the test's own.
- :func:`http_endpoint`: a small ``http.server`` in a thread whose answer a test scripts
  byte by byte (redirects, trickles, endless or truncated bodies, bad JSON). It records every
  request it gets, so a test can assert what was (not) sent where.
"""

from __future__ import annotations

import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

STEP_LIMIT = 200  # no scripted answer writes more than this many separate pieces


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _oxigraph() -> str:
    local = Path(sys.executable).parent / "oxigraph"
    found = str(local) if local.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server (PyPI package 'oxigraph') is not installed; it is a test dependency")
    return found


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """A writable Oxigraph server on 127.0.0.1; yields its base URL (``/query``, ``/update``, ``/store``)."""
    port = free_port()
    server = subprocess.Popen([_oxigraph(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("the oxigraph server did not start")
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def post(url: str, body: bytes, content_type: str, accept: str = "*/*") -> bytes:
    """A plain POST with urllib, for test set-up and checks (not the code under test)."""
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": content_type, "Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return bytes(response.read())


@dataclass
class Request:
    """What one request carried."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Endpoint:
    """A scripted endpoint: its URL and the requests it received."""

    url: str
    requests: list[Request] = field(default_factory=list)


Script = Callable[[Request, "Writer"], None]


class Writer:
    """Writes a scripted answer; stops quietly once the client has gone."""

    def __init__(self, wfile: object) -> None:
        self._wfile = wfile
        self.steps = 0

    def write(self, data: bytes, pause: float = 0.0) -> bool:
        """Write ``data`` (after ``pause`` seconds); False once the client hung up or the step limit is hit."""
        self.steps += 1
        if self.steps > STEP_LIMIT:
            return False
        if pause:
            time.sleep(pause)
        try:
            self._wfile.write(data)  # type: ignore[attr-defined]
            self._wfile.flush()  # type: ignore[attr-defined]
        except OSError:
            return False
        return True


def answer(status: str, headers: dict[str, str], body: bytes, content_length: bool = True) -> Script:
    """A script sending one complete answer (``status`` like ``"200 OK"``)."""
    def script(request: Request, out: Writer) -> None:
        lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items()), "Connection: close"]
        if content_length:
            lines.append(f"Content-Length: {len(body)}")
        out.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
    return script


@contextmanager
def http_endpoint(script: Script, path: str = "/sparql") -> Iterator[Endpoint]:
    """Serve ``script`` on 127.0.0.1 in a thread; yields the endpoint (URL ends with ``path``)."""
    endpoint = Endpoint("")

    class Handler(http.server.BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(self.command, self.path, dict(self.headers.items()), self.rfile.read(min(length, 1 << 20)))
            endpoint.requests.append(request)
            script(request, Writer(self.wfile))
            self.close_connection = True

        do_GET = do_POST = _handle

        def log_message(self, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        block_on_close = False

    server = Server(("127.0.0.1", 0), Handler)
    endpoint.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield endpoint
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


SELECT_JSON = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"remote row"}}]}}'
JSON_HEADERS = {"Content-Type": "application/sparql-results+json"}


def alskg(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real command line in a child process (exit code, stdout, stderr)."""
    import os

    return subprocess.run([sys.executable, "-m", "alskg", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout)


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 2, one line on stderr naming every needle, no traceback; returns the line."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert lines[0].startswith("alskg: error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def tiny_build(folder: Path, triples: int = 3) -> Path:
    """A build folder whose store holds ``triples`` triples ``<http://example.org/sN> ex:p "N"``."""
    import pyoxigraph as ox

    store = ox.Store(str(folder / "store"))
    p = ox.NamedNode("http://example.org/p")
    store.extend(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), p, ox.Literal(str(i))) for i in range(triples))
    store.flush()
    del store
    return folder
