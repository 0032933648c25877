"""alskg.memory: freed heap memory goes back to the system between a long job's stages; the
cycle collector paused for bulk work; a command-line run leaves without freeing its store."""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from alskg import memory
from alskg.build import BuildResult
from alskg.memory import give_back
from alskg.validate import validate_build
from alskg.vocab import compress

BL = "https://w3id.org/biolink/vocab/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


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


def test_the_collector_is_paused_and_restored() -> None:
    """collector_paused: off inside, back as it was after (also after an error); freeze moves
    what is alive out of the collector's sight."""
    assert gc.isenabled()
    with memory.collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(KeyError), memory.collector_paused():
        raise KeyError("x")
    assert gc.isenabled()
    gc.disable()
    try:
        with memory.collector_paused():
            pass
        assert not gc.isenabled()  # a caller's own pause is kept
    finally:
        gc.enable()
    before = gc.get_freeze_count()
    with memory.collector_paused(freeze=True):
        kept = [[i] for i in range(1000)]
    try:
        assert gc.get_freeze_count() >= before + len(kept)
    finally:
        gc.unfreeze()


def test_a_library_caller_keeps_nothing_for_the_exit(built: BuildResult) -> None:
    """Outside the command line keep_until_exit does nothing: validate_build's store is freed."""
    report = validate_build(built.out_dir)
    assert report.conforms and not memory.kept()


def test_validate_leaves_without_freeing_and_still_reports_whole(built: BuildResult, tmp_path: Path) -> None:
    """`alskg validate` keeps its in-memory store to the end and leaves without the teardown:
    its report still comes out whole (flushed), with the exit code of the findings (1)."""
    build = tmp_path / "build"
    shutil.copytree(built.out_dir, build, symlinks=True)
    nt = build / "alskg.nt"
    assert nt.resolve().is_file()
    association = next(line.split(" ", 1)[0] for line in nt.read_text(encoding="utf-8").splitlines()
                       if f"<{RDF_TYPE}> <{BL}DiseaseToPhenotypicFeatureAssociation>" in line)
    with nt.resolve().open("a", encoding="utf-8") as out:  # a second knowledge level: one is allowed
        out.write(f"{association} <{BL}knowledge_level> <{BL}not_provided> .\n")
    proc = subprocess.run([sys.executable, "-m", "alskg", "validate", "--build-dir", str(build), "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["conforms"] is False
    assert [f["focus"] for f in report["findings"] if f["path"].endswith("knowledge_level")] == [compress(association[1:-1])]
