"""Downloads have a size cap (issue 9, point 8): an endless answer is cut off, not stored.

A real HTTP server on 127.0.0.1 streams without end (bounded by the test: it stops after
64 MiB or when the client hangs up)."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from alskg.download import MIB, fetch_release, release_cache_dir
from alskg.errors import InputError

from ..faults.helpers import env_without_proxy

SERVER_LIMIT = 64 * MIB


class _Endless(BaseHTTPRequestHandler):
    sent: list[int] = []
    length: str | None = None  # a Content-Length to announce, if any

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return None

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        if self.length is not None:
            self.send_header("Content-Length", self.length)
        self.end_headers()
        block, sent = b"HP:0000001\tphenotype\n" * 4096, 0
        try:
            while sent < SERVER_LIMIT:
                self.wfile.write(block)
                sent += len(block)
        except (BrokenPipeError, ConnectionResetError):
            pass
        type(self).sent.append(sent)


@pytest.fixture
def endless(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, type[_Endless]]]:
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    handler = type("Handler", (_Endless,), {"sent": [], "length": None})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hpo/", handler
    server.shutdown()
    server.server_close()


def test_endless_download_hits_size_cap(endless: tuple[str, type[_Endless]], tmp_path: Path) -> None:
    url, handler = endless
    with pytest.raises(InputError, match="larger than the download cap of 1 MiB"):
        fetch_release(url, tmp_path, progress=False, max_bytes=MIB)
    folder = release_cache_dir(url, tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == []  # no .part left to grow on a resume


def test_announced_size_over_the_cap_is_refused_before_reading(endless: tuple[str, type[_Endless]],
                                                              tmp_path: Path) -> None:
    url, handler = endless
    handler.length = str(10 * MIB)
    with pytest.raises(InputError, match="larger than the download cap of 2 MiB"):
        fetch_release(url, tmp_path, progress=False, max_bytes=2 * MIB)


def test_size_cap_option_of_the_command_line(endless: tuple[str, type[_Endless]], tmp_path: Path) -> None:
    url, _ = endless
    proc = subprocess.run([sys.executable, "-m", "alskg", "build", "--out", str(tmp_path / "b"), "--hpo-release",
                           url, "--max-download-mib", "1"], capture_output=True, text=True, timeout=120,
                          env={**env_without_proxy(), "ALSKG_CACHE_DIR": str(tmp_path / "cache")})
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert "larger than the download cap of 1 MiB" in proc.stderr and "--max-download-mib" in proc.stderr
