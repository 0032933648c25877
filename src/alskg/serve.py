"""``alskg serve``: the built store behind a read-only SPARQL endpoint with a query UI.

Two layers, both read-only:

- the engine is Oxigraph's own server (the ``oxigraph`` binary of the PyPI package
  ``oxigraph``) in its ``serve-read-only`` mode, on a private loopback port: it never opens
  the store for writing, so no request can change it. It runs as a child that dies with its
  parent;
- in front, a small HTTP server of ours on the public address: it forwards SPARQL queries
  (``/query``, ``/sparql``; GET and POST) and the YASGUI files Oxigraph ships, answers
  everything else (``/update``, ``/store``, …) with 403, and serves its own page at ``/``:
  YASGUI configured with the project's prefixes (``/prefixes.json``, instead of prefix.cc,
  so the page makes no request off the machine) and the packaged queries
  (``/examples.json``) in a menu.

The build also holds the packaged queries as SPARQL examples in the named graph
``…/graph/queries`` (see :mod:`alskg.examples`), so SPARQL clients find them the way SIB's
endpoints publish theirs. The front binds to loopback unless the caller names another host
explicitly.
"""

from __future__ import annotations

import ctypes
import http.client
import ipaddress
import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from alskg.errors import InputError, UsageError
from alskg.store import STORE_DIRNAME

#: Seconds to wait for the server to accept connections before giving up.
READY_TIMEOUT = 10.0
_PR_SET_PDEATHSIG = 1


#: Oxigraph's own files the page uses, forwarded as they are.
ENGINE_FILES = ("/yasgui.min.js", "/yasgui.min.css", "/logo.svg")
QUERY_PATHS = ("/query", "/sparql")
#: Request bodies larger than this are refused (a query is text, not data).
MAX_REQUEST_BYTES = 1_000_000
ENGINE_TIMEOUT_MARGIN = 30


@dataclass
class Endpoint:
    """A running endpoint: its public base URL, SPARQL query URL, engine process and front."""

    base: str
    query: str
    process: subprocess.Popen[bytes]
    front: ThreadingHTTPServer | None = None
    thread: threading.Thread | None = field(default=None, repr=False)


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def oxigraph_binary() -> Path:
    """The ``oxigraph`` server binary: beside this Python first (the venv), then on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file():
        return beside
    found = shutil.which("oxigraph")
    if found is None:
        raise InputError("the Oxigraph server is not installed (pip install oxigraph)", value="oxigraph")
    return Path(found)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` now (the OS picks it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host.strip("[]"), 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> None:
    """In the child: ask Linux to send SIGTERM when the parent dies (no orphaned servers)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _wait_ready(host: str, port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode("utf-8", "replace").strip() if process.stderr else ""
            raise InputError(f"the Oxigraph server stopped at start: {err.splitlines()[-1] if err else process.returncode}",
                             value=f"{host}:{port}")
        try:
            with socket.create_connection((host.strip("[]"), port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise InputError(f"the Oxigraph server did not answer within {READY_TIMEOUT:.0f} s", value=f"{host}:{port}")


def check_host(host: str, public: bool) -> None:
    """Refuse a non-loopback host unless the caller said ``public`` explicitly."""
    if not is_loopback(host) and not public:
        raise UsageError("serving on a non-loopback host exposes the endpoint to the network: "
                         "add --public to do it on purpose", value=host)


def _start_engine(store: Path, timeout_s: int) -> tuple[subprocess.Popen[bytes], int]:
    """Oxigraph's read-only server over ``store`` on a private loopback port."""
    port = free_port()
    command = [str(oxigraph_binary()), "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}",
               "--timeout-s", str(timeout_s)]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, preexec_fn=_die_with_parent)
    _wait_ready("127.0.0.1", port, process)
    return process, port


def start(build_dir: Path, host: str = "127.0.0.1", port: int = 0, *, public: bool = False,
          timeout_s: int = 60) -> Endpoint:
    """Start the read-only endpoint over ``build_dir``'s store and wait until it answers.

    ``port`` 0 picks a free one. ``timeout_s`` caps each query on the engine.
    """
    check_host(host, public)
    store = build_dir / STORE_DIRNAME
    if not store.is_dir():
        raise InputError("no built store here: run `alskg build` first", store)
    process, engine_port = _start_engine(store, timeout_s)
    try:
        front = _Front((host.strip("[]"), port), _handler(engine_port, timeout_s + ENGINE_TIMEOUT_MARGIN))
    except OSError as exc:
        process.kill()
        process.wait()
        raise InputError(f"cannot listen there: {exc.strerror or exc}", value=f"{host}:{port}") from None
    thread = threading.Thread(target=front.serve_forever, name="alskg-serve", daemon=True)
    thread.start()
    bound = front.server_address[1]
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    base = f"http://{shown}:{bound}/"
    return Endpoint(base, base + "query", process, front, thread)


class _Front(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)


@cache
def page() -> bytes:
    """The UI page (``alskg/ui/index.html``)."""
    return (resources.files("alskg") / "ui" / "index.html").read_bytes()


@cache
def prefixes_json() -> bytes:
    """The project's prefixes in prefix.cc's format (``{prefix: namespace}``), for the editor."""
    from alskg import vocab

    conv = vocab.converter()
    return json.dumps({p: conv.bimap[p] for p in vocab.DUMP_PREFIXES}, indent=1, sort_keys=True).encode()


@cache
def examples_json() -> bytes:
    """The packaged queries, defaults bound, for the page's menu."""
    from alskg.queries import bind, catalogue

    return json.dumps([{"name": q.name, "title": q.title, "description": q.description,
                        "query": bind(q, {p.name: p.default for p in q.params})}
                       for q in sorted(catalogue().values(), key=lambda q: q.name)], indent=1).encode()


def _handler(engine_port: int, timeout: float) -> type[BaseHTTPRequestHandler]:
    """The front's request handler, bound to the engine's port."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "alskg-serve"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet by design
            return None

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            path = self.path.split("?", 1)[0]
            local = {"/": (page, "text/html; charset=utf-8"), "/index.html": (page, "text/html; charset=utf-8"),
                     "/prefixes.json": (prefixes_json, "application/json"),
                     "/examples.json": (examples_json, "application/json")}
            if path in local:
                make, kind = local[path]
                self._reply(200, make(), kind)
            elif path in QUERY_PATHS or path in ENGINE_FILES:
                self._forward("GET", b"")
            else:
                self._refuse()

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            if self.path.split("?", 1)[0] not in QUERY_PATHS:
                self._refuse()
            elif length > MAX_REQUEST_BYTES:
                self._reply(413, b"query too large\n", "text/plain")
            else:
                self._forward("POST", self.rfile.read(length))

        def do_PUT(self) -> None:  # noqa: N802
            self._refuse()

        do_DELETE = do_PATCH = do_PUT  # noqa: N815

        def _refuse(self) -> None:
            self._reply(403, b"alskg serve is read-only: only SPARQL queries (/query) are answered\n", "text/plain")

        def _reply(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _forward(self, method: str, body: bytes) -> None:
            path = self.path.replace("/sparql", "/query", 1) if self.path.startswith("/sparql") else self.path
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
            engine = http.client.HTTPConnection("127.0.0.1", engine_port, timeout=timeout)
            try:
                engine.request(method, path, body=body or None, headers=headers)
                answer = engine.getresponse()
                data = answer.read()
            except OSError as exc:
                self._reply(502, f"the engine did not answer: {exc}\n".encode(), "text/plain")
                return
            finally:
                engine.close()
            self._reply(answer.status, data, answer.getheader("Content-Type") or "application/octet-stream")

    return Handler


def terminate(process: subprocess.Popen[bytes], grace: float) -> None:
    """Stop a child server and wait for it: SIGTERM, then SIGKILL if it outlives ``grace`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def stop(endpoint: Endpoint) -> None:
    """Stop the front and the engine and wait for them (SIGTERM, then SIGKILL after 5 s)."""
    if endpoint.front is not None:
        endpoint.front.shutdown()
        endpoint.front.server_close()
    terminate(endpoint.process, grace=5)
    if endpoint.process.stderr:
        endpoint.process.stderr.close()


def serve_forever(endpoint: Endpoint, tell: Callable[[str], None]) -> int:
    """Block until the server exits or the user presses Ctrl-C; return the exit status."""
    try:
        status = endpoint.process.wait()
    except KeyboardInterrupt:
        tell("stopping the server")
        stop(endpoint)
        return 0
    stop(endpoint)
    return status
