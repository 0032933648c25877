"""A download is trusted for its content, not for the server closing the connection (issue 9, point 8).

Real HTTP servers on 127.0.0.1 in threads serve the pinned release, cut or altered; answers
end by closing the connection (HTTP/1.0, no Content-Length), as in the reported attack.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from alskg.download import SUMS_FILE, fetch_release, read_sums, release_cache_dir
from alskg.errors import InputError
from alskg.packaged import HPO_FILES

from .helpers import env_without_proxy

Bodies = dict[str, bytes]


@pytest.fixture
def serve() -> Iterator[Callable[[Bodies], str]]:
    """Serve ``{name: body}`` under /hpo/ without Content-Length; return the folder URL."""
    servers: list[ThreadingHTTPServer] = []

    def start(bodies: Bodies) -> str:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return None

            def do_GET(self) -> None:  # noqa: N802
                body = bodies.get(self.path.rsplit("/", 1)[-1])
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.end_headers()  # no Content-Length: the body ends when the connection closes
                self.wfile.write(body)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/hpo/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")


@pytest.fixture(scope="module")
def release(hpo_dir: Path) -> Bodies:
    return {name: (hpo_dir / name).read_bytes() for name in HPO_FILES}


def _cut_before(body: bytes, marker: bytes) -> bytes:
    """``body`` up to the line that starts with ``marker``: a cut at a line boundary."""
    return body[: body.index(b"\n" + marker) + 1]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_download_cut_at_line_boundary_is_refused(serve: Callable[[Bodies], str], release: Bodies,
                                                   tmp_path: Path) -> None:
    cut = _cut_before(release["phenotype.hpoa"], b"ORPHA:803\t")
    url = serve({**release, "phenotype.hpoa": cut})
    with pytest.raises(InputError, match=r"declares 4283 ORPHA diseases but the rows name \d+") as caught:
        fetch_release(url, tmp_path, progress=False)
    assert str(caught.value).startswith(f"{url}phenotype.hpoa:1: ")
    folder = release_cache_dir(url, tmp_path)
    assert not (folder / "phenotype.hpoa").exists() and not (folder / "phenotype.hpoa.part").exists()
    assert "phenotype.hpoa" not in read_sums(folder)  # never a checksum for a file that failed
    proc = subprocess.run([sys.executable, "-m", "alskg", "build", "--out", str(tmp_path / "b"), "--hpo-release",
                           url], capture_output=True, text=True, timeout=300,
                          env={**env_without_proxy(), "ALSKG_CACHE_DIR": str(tmp_path / "cache")})
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "declares 4283 ORPHA diseases" in proc.stderr
    assert not (tmp_path / "b").exists()


def test_obo_cut_inside_a_stanza_is_refused(serve: Callable[[Bodies], str], release: Bodies,
                                             tmp_path: Path) -> None:
    obo = release["hp.obo"]
    cut = obo[: obo.index(b"\nname: ", obo.index(b"id: HP:0003202")) + 1]  # [Term] and id, no name
    with pytest.raises(InputError, match="the last stanza is incomplete"):
        fetch_release(serve({**release, "hp.obo": cut}), tmp_path, progress=False)
    no_version = obo.replace(b"data-version: hp/releases/2025-01-16\n", b"", 1)
    with pytest.raises(InputError, match="no data-version line"):
        fetch_release(serve({**release, "hp.obo": no_version}), tmp_path, progress=False)


def test_download_cut_inside_a_line_is_refused(serve: Callable[[Bodies], str], release: Bodies,
                                               tmp_path: Path) -> None:
    genes = release["genes_to_phenotype.txt"]
    with pytest.raises(InputError, match="the last line is cut"):
        fetch_release(serve({**release, "genes_to_phenotype.txt": genes[:-3]}), tmp_path, progress=False)


def test_truncated_file_cached_before_the_checks_is_fetched_again(serve: Callable[[Bodies], str], release: Bodies,
                                                                   tmp_path: Path) -> None:
    """A cache of the earlier code: a truncated phenotype.hpoa with its checksum recorded."""
    url = serve(release)
    folder = release_cache_dir(url, tmp_path)
    folder.mkdir(parents=True)
    cut = _cut_before(release["phenotype.hpoa"], b"ORPHA:803\t")
    bodies = {**release, "phenotype.hpoa": cut}
    for name, body in bodies.items():
        (folder / name).write_bytes(body)
    (folder / SUMS_FILE).write_text("".join(f"{_sha(bodies[n])}  {n}\n" for n in HPO_FILES), encoding="utf-8")
    fetch_release(url, tmp_path, progress=False)
    assert (folder / "phenotype.hpoa").read_bytes() == release["phenotype.hpoa"]
    assert read_sums(folder)["phenotype.hpoa"] == _sha(release["phenotype.hpoa"])


def test_pinned_checksums_from_the_command_line(serve: Callable[[Bodies], str], release: Bodies,
                                                tmp_path: Path) -> None:
    url = serve(release)
    env = {**env_without_proxy(), "ALSKG_CACHE_DIR": str(tmp_path / "cache")}

    def diff(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "alskg", "diff", "--format", "tsv", *extra], capture_output=True,
                              text=True, timeout=300, env=env)

    wrong = diff("--hpo-release", url, "--hpo-sha256", f"phenotype.hpoa={'0' * 64}")
    assert wrong.returncode == 2 and "checksum mismatch for phenotype.hpoa" in wrong.stderr
    for bad in ("phenotype.hpoa=abc", "nosuch.txt=" + "0" * 64, "phenotype.hpoa"):
        proc = diff("--hpo-release", url, "--hpo-sha256", bad)
        assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    without = diff("--hpo-sha256", f"hp.obo={_sha(release['hp.obo'])}")
    assert without.returncode == 2 and "--hpo-release" in without.stderr
    pinned = [f"{n}={_sha(release[n])}" for n in HPO_FILES]
    good = diff("--hpo-release", url, *[arg for pin in pinned for arg in ("--hpo-sha256", pin)])
    assert good.returncode == 0, good.stderr
    assert os.listdir(tmp_path / "cache")
