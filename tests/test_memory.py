"""alskg.memory: freed heap memory goes back to the system between a long job's stages."""

from __future__ import annotations

import sys

import pyoxigraph as ox

from alskg.memory import give_back


def _rss_kib() -> int:
    for line in open("/proc/self/status", encoding="ascii"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_dropped_store_leaves_the_process() -> None:
    """A 150k-triple in-memory store, dropped, then given back: the RSS falls by most of what it took."""
    assert sys.platform.startswith("linux") and give_back()
    before = _rss_kib()
    store = ox.Store()
    text = "".join(f"<https://e.org/s{i}> <https://e.org/p{i % 7}> \"value number {i}\" .\n" for i in range(150_000))
    store.bulk_load(text.encode(), format=ox.RdfFormat.N_TRIPLES)
    del text
    loaded = _rss_kib()
    assert len(store) == 150_000 and loaded - before > 25_000
    del store
    give_back()
    assert _rss_kib() - before < (loaded - before) // 3
