"""`--hpo-release URL` end to end: the pinned release served on 127.0.0.1 gives the same answers."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from alskg.packaged import HPO_FILES

from .conftest import DATA


@pytest.fixture(scope="module")
def release_url(hpo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("served") / "hpo" / "2025-01-16"
    root.mkdir(parents=True)
    for name in HPO_FILES:
        (root / name).symlink_to(hpo_dir / name)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root.parents[1]))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hpo/2025-01-16/"
    finally:
        server.shutdown()
        server.server_close()


def alskg(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ALSKG_CACHE_DIR": str(cache), "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
    return subprocess.run([sys.executable, "-m", "alskg", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def test_diff_from_a_downloaded_release(release_url: str, tmp_path: Path) -> None:
    local = alskg("diff", "--format", "tsv", "--data-dir", str(DATA), cache=tmp_path)
    remote = alskg("diff", "--format", "tsv", "--data-dir", str(DATA), "--hpo-release", release_url, cache=tmp_path)
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout
    cached = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert len(cached) == 1
    assert sorted(p.name for p in cached[0].iterdir()) == sorted([*HPO_FILES, "SHA256SUMS"])


def test_hpo_dir_and_release_are_exclusive(release_url: str, tmp_path: Path, hpo_dir: Path) -> None:
    proc = alskg("diff", "--hpo-dir", str(hpo_dir), "--hpo-release", release_url, cache=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "alskg: error: give --hpo-dir or --hpo-release, not both"
