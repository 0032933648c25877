"""``alskg serve``: the built store behind a read-only SPARQL endpoint with a query UI.

The server is Oxigraph's own (the ``oxigraph`` binary of the PyPI package ``oxigraph``) in its
``serve-read-only`` mode: it never opens the store for writing, so no request can change it,
and it ships YASGUI at ``/``, so the UI works offline. The build holds the packaged queries as
SPARQL examples in the named graph ``…/graph/queries`` (see :mod:`alskg.examples`), so the
endpoint lists them the way SIB's endpoints do. The server binds to loopback unless the caller
names another host explicitly; it runs as a child that dies with its parent.
"""

from __future__ import annotations

import ctypes
import ipaddress
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alskg.errors import InputError, UsageError
from alskg.store import STORE_DIRNAME

#: Seconds to wait for the server to accept connections before giving up.
READY_TIMEOUT = 10.0
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Endpoint:
    """Where a running server answers: its base URL, SPARQL query URL and process."""

    base: str
    query: str
    process: subprocess.Popen[bytes]


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


def start(build_dir: Path, host: str = "127.0.0.1", port: int = 0, *, public: bool = False,
          timeout_s: int = 60) -> Endpoint:
    """Start the read-only server over ``build_dir``'s store and wait until it answers.

    ``port`` 0 picks a free one. ``timeout_s`` caps each query on the server.
    """
    check_host(host, public)
    store = build_dir / STORE_DIRNAME
    if not store.is_dir():
        raise InputError("no built store here: run `alskg build` first", store)
    port = port or free_port(host)
    bind = f"[{host.strip('[]')}]:{port}" if ":" in host else f"{host}:{port}"
    command = [str(oxigraph_binary()), "serve-read-only", "--location", str(store), "--bind", bind,
               "--timeout-s", str(timeout_s)]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, preexec_fn=_die_with_parent)
    _wait_ready(host, port, process)
    base = f"http://{bind}/"
    return Endpoint(base, base + "query", process)


def stop(endpoint: Endpoint) -> None:
    """Stop the server and wait for it (SIGTERM, then SIGKILL after 5 s)."""
    if endpoint.process.poll() is None:
        endpoint.process.terminate()
        try:
            endpoint.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            endpoint.process.kill()
            endpoint.process.wait()
    if endpoint.process.stderr:
        endpoint.process.stderr.close()


def serve_forever(endpoint: Endpoint, tell: Callable[[str], None]) -> int:
    """Block until the server exits or the user presses Ctrl-C; return the exit status."""
    try:
        return endpoint.process.wait()
    except KeyboardInterrupt:
        tell("stopping the server")
        stop(endpoint)
        return 0
