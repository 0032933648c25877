"""``alskg.download``: fetch an HPO release from a real HTTP server on 127.0.0.1, offline.

The server serves three small synthetic release files. One handler honours ``Range``
(206 + ``Content-Range``), one ignores it (always 200); both record every request so the
tests can say exactly what was fetched, with which ``Range`` and ``User-Agent``.
"""

from __future__ import annotations

import hashlib
import re
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from alskg import __version__
from alskg.download import (RELEASE_FILES, SUMS_FILE, default_cache_dir, fetch_release,
                            read_sums, release_cache_dir, release_files_present)
from alskg.errors import EndpointError, InputError

PREFIX = "/hpo/2025-01-16/"

OBO = "format-version: 1.2\ndata-version: hp/releases/2025-01-16\nontology: hp\n\n" + "".join(
    f"[Term]\nid: HP:{n:07d}\nname: Synthetic phenotype {n}\nis_a: HP:0000118 ! Phenotypic abnormality\n\n"
    for n in range(1, 40))
HPOA = ("#description: \"HPO annotations for rare diseases [1: OMIM; 0: DECIPHER; 0 ORPHANET]\"\n#date: 2025-01-16\n"
        "#tracker: https://github.com/obophenotype/human-phenotype-ontology/issues\n"
        "database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex"
        "\tmodifier\taspect\tbiocuration\n"
        "OMIM:105400\tAmyotrophic lateral sclerosis 1\t\tHP:0007354\tOMIM:105400\tTAS\t\t\t\t\tP"
        "\tHPO:probinson[2009-02-17]\n"
        "OMIM:105400\tAmyotrophic lateral sclerosis 1\t\tHP:0002380\tOMIM:105400\tTAS\t\tHP:0040282"
        "\t\t\tP\tHPO:probinson[2009-02-17]\n") + "#" + "padding " * 300 + "\n"
GENES = ("ncbi_gene_id\tgene_symbol\thpo_id\thpo_name\tfrequency\tdisease_id\n"
         "6647\tSOD1\tHP:0007354\tAmyotrophic lateral sclerosis\t-\tOMIM:105400\n"
         "6647\tSOD1\tHP:0002380\tFasciculations\t-\tOMIM:105400\n") * 20
FILES = {"hp.obo": OBO.encode(), "phenotype.hpoa": HPOA.encode(), "genes_to_phenotype.txt": GENES.encode()}


@dataclass
class Served:
    """What a test server serves and what it saw."""

    root: Path
    url: str = ""
    counts: Counter[str] = field(default_factory=Counter)
    ranges: dict[str, list[str | None]] = field(default_factory=dict)
    agents: set[str | None] = field(default_factory=set)
    truncate: set[str] = field(default_factory=set)  # names whose body stops half-way
    delay: float = 0.0  # seconds to wait before answering
    released: threading.Event = field(default_factory=threading.Event)

    def bytes_of(self, name: str) -> bytes:
        return (self.root / PREFIX.strip("/") / name).read_bytes()


class _Handler(BaseHTTPRequestHandler):
    """Serve files under ``Served.root``; subclasses decide what ``Range`` means."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet tests
        return None

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        served: Served = self.server.served  # type: ignore[attr-defined]
        name = self.path.rsplit("/", 1)[-1]
        served.counts[name] += 1
        served.ranges.setdefault(name, []).append(self.headers.get("Range"))
        served.agents.add(self.headers.get("User-Agent"))
        if served.delay:
            served.released.wait(served.delay)
            if served.released.is_set():
                return
        path = served.root / self.path.lstrip("/")
        if not self.path.startswith(PREFIX) or not path.is_file():
            self.send_error(404)
            return
        self.answer(path.read_bytes(), truncated=name in served.truncate)

    def answer(self, data: bytes, truncated: bool) -> None:
        self.send(200, data, {}, truncated)

    def send(self, status: int, body: bytes, headers: dict[str, str], truncated: bool = False) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if truncated else body)


class RangeHandler(_Handler):
    """Honours ``Range: bytes=N-``: 206 with ``Content-Range``, 416 past the end."""

    def answer(self, data: bytes, truncated: bool) -> None:
        match = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
        if not match:
            return self.send(200, data, {}, truncated)
        start = int(match.group(1))
        if start >= len(data):
            return self.send(416, b"", {"Content-Range": f"bytes */{len(data)}"})
        self.send(206, data[start:], {"Content-Range": f"bytes {start}-{len(data) - 1}/{len(data)}"},
                  truncated)


class NoRangeHandler(_Handler):
    """Ignores ``Range``: always the whole file with 200."""


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """Start servers on 127.0.0.1 (a free port each); all are shut down at teardown."""
    running: list[tuple[ThreadingHTTPServer, threading.Thread, Served]] = []

    def start(handler: type[_Handler] = RangeHandler, files: dict[str, bytes] = FILES) -> Served:
        root = tmp_path / f"served{len(running)}"
        (root / PREFIX.strip("/")).mkdir(parents=True)
        for name, data in files.items():
            (root / PREFIX.strip("/") / name).write_bytes(data)
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        served = Served(root, f"http://127.0.0.1:{server.server_address[1]}{PREFIX}")
        server.served = served  # type: ignore[attr-defined]
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        running.append((server, thread, served))
        return served

    yield start
    for server, thread, served in running:
        served.released.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep urllib away from any proxy configured in the environment."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- 1, 2, 3: fetch, cache hit, repair --------------------------------------------------


def test_first_fetch_downloads_the_release(serve: Callable[..., Served], tmp_path: Path) -> None:
    served = serve()
    folder = fetch_release(served.url, tmp_path / "cache", progress=False)
    assert folder == release_cache_dir(served.url, tmp_path / "cache")
    assert folder.parent == tmp_path / "cache"
    assert release_files_present(folder)
    for name in RELEASE_FILES:
        assert (folder / name).read_bytes() == served.bytes_of(name)
    assert served.counts == Counter(RELEASE_FILES)
    assert served.ranges == {name: [None] for name in RELEASE_FILES}
    assert served.agents == {f"alskg/{__version__}"}
    sums = (folder / SUMS_FILE).read_text(encoding="utf-8")
    assert sums == "".join(f"{_sha(FILES[n])}  {n}\n" for n in RELEASE_FILES)
    assert not list(folder.glob("*.part"))


def test_second_fetch_makes_no_request(serve: Callable[..., Served], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    served = serve()
    first = fetch_release(served.url, tmp_path, progress=False)
    served.counts.clear()
    stamp = (first / SUMS_FILE).stat().st_mtime_ns
    assert fetch_release(served.url.rstrip("/"), tmp_path, progress=True) == first
    assert sum(served.counts.values()) == 0
    assert (first / SUMS_FILE).stat().st_mtime_ns == stamp
    assert capsys.readouterr() == ("", "")


def test_a_corrupted_cached_file_is_fetched_again(serve: Callable[..., Served], tmp_path: Path) -> None:
    served = serve()
    folder = fetch_release(served.url, tmp_path, progress=False)
    (folder / "phenotype.hpoa").write_bytes(b"corrupted\n")
    served.counts.clear()
    assert fetch_release(served.url, tmp_path, progress=False) == folder
    assert served.counts == Counter({"phenotype.hpoa": 1})
    assert (folder / "phenotype.hpoa").read_bytes() == FILES["phenotype.hpoa"]
    assert read_sums(folder) == {n: _sha(FILES[n]) for n in RELEASE_FILES}


# --- 4: resume ----------------------------------------------------------------------


def _half_part(url: str, cache: Path) -> tuple[Path, int]:
    """Leave the first half of phenotype.hpoa as an interrupted run would."""
    folder = release_cache_dir(url, cache)
    folder.mkdir(parents=True)
    half = len(FILES["phenotype.hpoa"]) // 2
    (folder / "phenotype.hpoa.part").write_bytes(FILES["phenotype.hpoa"][:half])
    return folder, half


def test_resume_asks_only_for_the_rest(serve: Callable[..., Served], tmp_path: Path) -> None:
    served = serve(RangeHandler)
    folder, half = _half_part(served.url, tmp_path)
    fetch_release(served.url, tmp_path, progress=False)
    assert served.ranges["phenotype.hpoa"] == [f"bytes={half}-"]
    assert served.ranges["hp.obo"] == [None]
    assert (folder / "phenotype.hpoa").read_bytes() == FILES["phenotype.hpoa"]
    assert not (folder / "phenotype.hpoa.part").exists()


def test_resume_restarts_when_the_server_ignores_range(serve: Callable[..., Served], tmp_path: Path) -> None:
    served = serve(NoRangeHandler)
    folder, half = _half_part(served.url, tmp_path)
    fetch_release(served.url, tmp_path, progress=False)
    assert served.ranges["phenotype.hpoa"] == [f"bytes={half}-"]
    assert (folder / "phenotype.hpoa").read_bytes() == FILES["phenotype.hpoa"]


def test_a_part_longer_than_the_file_starts_over(serve: Callable[..., Served], tmp_path: Path) -> None:
    served = serve(RangeHandler)
    folder = release_cache_dir(served.url, tmp_path)
    folder.mkdir(parents=True)
    (folder / "hp.obo.part").write_bytes(b"x" * (len(FILES["hp.obo"]) + 10))
    fetch_release(served.url, tmp_path, progress=False)
    assert served.ranges["hp.obo"] == [f"bytes={len(FILES['hp.obo']) + 10}-", None]
    assert (folder / "hp.obo").read_bytes() == FILES["hp.obo"]


def test_an_interrupted_download_resumes_on_the_next_run(serve: Callable[..., Served], tmp_path: Path) -> None:
    served = serve(RangeHandler)
    served.truncate = {"phenotype.hpoa"}
    with pytest.raises(EndpointError, match="run again to resume") as caught:
        fetch_release(served.url, tmp_path, progress=False)
    folder = release_cache_dir(served.url, tmp_path)
    half = len(FILES["phenotype.hpoa"]) // 2
    assert (folder / "phenotype.hpoa.part").read_bytes() == FILES["phenotype.hpoa"][:half]
    assert served.url + "phenotype.hpoa" in str(caught.value)
    assert not (folder / SUMS_FILE).exists()
    served.truncate, served.counts = set(), Counter()
    fetch_release(served.url, tmp_path, progress=False)
    assert served.counts == Counter({"phenotype.hpoa": 1, "genes_to_phenotype.txt": 1})
    assert served.ranges["phenotype.hpoa"][-1] == f"bytes={half}-"
    assert (folder / "phenotype.hpoa").read_bytes() == FILES["phenotype.hpoa"]
    assert read_sums(folder) == {n: _sha(FILES[n]) for n in RELEASE_FILES}


# --- 5: checksums -------------------------------------------------------------------


def test_a_checksum_mismatch_leaves_nothing_behind(serve: Callable[..., Served], tmp_path: Path) -> None:
    served = serve()
    with pytest.raises(InputError, match="checksum mismatch for phenotype.hpoa") as caught:
        fetch_release(served.url, tmp_path, progress=False, checksums={"phenotype.hpoa": "0" * 64})
    folder = release_cache_dir(served.url, tmp_path)
    assert not (folder / "phenotype.hpoa").exists()
    assert not (folder / "phenotype.hpoa.part").exists()
    assert not (folder / SUMS_FILE).exists()
    assert caught.value.value == served.url + "phenotype.hpoa"


def test_matching_checksums_are_accepted(serve: Callable[..., Served], tmp_path: Path) -> None:
    served = serve()
    checksums = {n: _sha(FILES[n]).upper() for n in RELEASE_FILES}
    folder = fetch_release(served.url, tmp_path, progress=False, checksums=checksums)
    served.counts.clear()
    assert fetch_release(served.url, tmp_path, progress=False, checksums=checksums) == folder
    assert sum(served.counts.values()) == 0


def test_checksums_for_unknown_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown file"):
        fetch_release("http://127.0.0.1:9/hpo/", tmp_path, checksums={"hp.owl": "0" * 64})


# --- 6: errors ----------------------------------------------------------------------


def test_a_missing_file_names_its_url(serve: Callable[..., Served], tmp_path: Path) -> None:
    served = serve(files={k: v for k, v in FILES.items() if k != "genes_to_phenotype.txt"})
    with pytest.raises(InputError, match="HTTP 404") as caught:
        fetch_release(served.url, tmp_path, progress=False)
    assert type(caught.value) is InputError
    message = str(caught.value)
    assert served.url + "genes_to_phenotype.txt" in message
    assert "\n" not in message


def test_a_closed_port_is_an_endpoint_error(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(EndpointError, match="cannot download") as caught:
        fetch_release(f"http://127.0.0.1:{port}/hpo/", tmp_path, progress=False, timeout=2)
    assert f"127.0.0.1:{port}/hpo/hp.obo" in str(caught.value)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/hpo/", "hpo/2025-01-16/",
                                 "http:///nohost/", "http://127.0.0.1:99999/hpo/",
                                 "http://127.0.0.1/hpo/?token=abc", "http://127.0.0.1/a b/"])
def test_bad_urls_are_refused(url: str, tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        fetch_release(url, tmp_path, progress=False)
    assert type(caught.value) is InputError
    assert "token=abc" not in str(caught.value)
    assert not any(tmp_path.iterdir())


def test_credentials_are_refused_and_never_shown(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="credentials") as caught:
        fetch_release("https://alice:s3cret@example.org/hpo/", tmp_path, progress=False)
    assert "s3cret" not in str(caught.value) and "alice" not in str(caught.value)


def test_a_slow_server_times_out(serve: Callable[..., Served], tmp_path: Path) -> None:
    served = serve()
    served.delay = 5.0
    with pytest.raises(EndpointError, match="no answer within 0.5 s"):
        fetch_release(served.url, tmp_path, progress=False, timeout=0.5)


# --- 7: progress and cache location --------------------------------------------------


def test_progress_false_is_silent(serve: Callable[..., Served], tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    fetch_release(serve().url, tmp_path, progress=False)
    assert capsys.readouterr() == ("", "")


def test_progress_true_draws_on_stderr_only(serve: Callable[..., Served], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    fetch_release(serve().url, tmp_path, progress=True)
    out, err = capsys.readouterr()
    assert out == ""
    assert all(name in err for name in RELEASE_FILES)


def test_the_cache_follows_the_environment(serve: Callable[..., Served], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALSKG_CACHE_DIR", str(tmp_path / "own"))
    served = serve()
    assert fetch_release(served.url, progress=False).parent == tmp_path / "own"
    monkeypatch.delenv("ALSKG_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "alskg"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "alskg"


def test_releases_get_separate_folders(tmp_path: Path) -> None:
    one = release_cache_dir("https://example.org/hpo/2025-01-16/", tmp_path)
    assert one == release_cache_dir("https://example.org/hpo/2025-01-16", tmp_path)
    assert one != release_cache_dir("https://example.org/hpo/2025-03-03/", tmp_path)


def test_release_files_present(tmp_path: Path) -> None:
    assert not release_files_present(tmp_path)
    for name in RELEASE_FILES[:-1]:
        (tmp_path / name).write_text("x")
    assert not release_files_present(tmp_path)
    (tmp_path / RELEASE_FILES[-1]).write_text("x")
    assert release_files_present(tmp_path)


def test_the_file_names_match_the_build() -> None:
    from alskg.build import HPO_FILES

    assert RELEASE_FILES == HPO_FILES
