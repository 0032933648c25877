"""Real processes for the fault trials: the CLI as a child process, whole-build checks, loader children."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from alskg.layout import resolve

ISSUED = "http://purl.org/dc/terms/issued"


def alskg_cmd(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "alskg", *map(str, args)]


def alskg(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(alskg_cmd(*args), capture_output=True, text=True, timeout=timeout)


def start(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(alskg_cmd(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def issued_dates(text: str) -> set[str]:
    """The release dates (``dct:issued``) stated in a dump's text."""
    return {line.split('"')[1] for line in text.splitlines() if ISSUED in line or "dct:issued" in line}


def whole_build(out: Path) -> str:
    """Check that ``out`` shows one whole build and return its release date: the three dumps
    and the store state the same date, and the store holds exactly the merged N-Triples."""
    folder = resolve(out)
    assert sorted(p.name for p in folder.iterdir()) == ["alskg.nq", "alskg.nt", "alskg.ttl", "queries.ttl", "store"]
    nt = (out / "alskg.nt").read_text(encoding="utf-8")
    dates = {name: issued_dates((out / name).read_text(encoding="utf-8")) for name in ("alskg.nq", "alskg.ttl")}
    dates["alskg.nt"] = issued_dates(nt)
    store = ox.Store.read_only(str(folder / "store"))
    dates["store"] = {s["d"].value for s in store.query(f"SELECT ?d WHERE {{ ?x <{ISSUED}> ?d }}")}
    assert len(set(map(frozenset, dates.values()))) == 1 and len(dates["store"]) == 1, dates
    assert sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())) == nt.count("\n")
    return next(iter(dates["store"]))


def loader_children(marker: str) -> list[int]:
    """PIDs of running store loaders (``python -m alskg.store``) whose command line names ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            status = (entry / "status").read_text()
        except OSError:
            continue
        if b"alskg.store" in cmdline and any(marker.encode() in part for part in cmdline) \
                and "State:\tZ" not in status:
            found.append(int(entry.name))
    return found


def version_names(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "versions").iterdir())


def env_without_proxy() -> dict[str, str]:
    return {**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
