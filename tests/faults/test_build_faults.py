"""A build appears whole or not at all, and readers never see a switch (issue 9, points 6 and 7).

Real ``alskg build`` processes killed with SIGKILL, real queries racing real builds. Builds of
different ``--date`` differ in their metadata, so a mix of two builds is visible: every dump
and the store must state one date (:func:`.helpers.whole_build`).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from alskg.build import build
from alskg.layout import reading, resolve, sweep
from alskg.locks import locked

from ..conftest import DATA
from .helpers import alskg, loader_children, start, version_names, whole_build

OLD, NEW = "2025-01-01", "2030-01-01"
#: every dump, so whole_build() can check that all three and the store state one date
ALL = ("nq", "nt", "ttl")
EVERY_DUMP = ("--dumps", ",".join(ALL))


def _build(out: Path, release: Path, date: str) -> None:
    proc = alskg("build", "--out", out, "--data-dir", DATA, "--hpo-dir", release, "--date", date, *EVERY_DUMP)
    assert proc.returncode == 0, proc.stderr


def _start(out: Path, release: Path, date: str) -> subprocess.Popen[str]:
    return start("build", "--out", out, "--data-dir", DATA, "--hpo-dir", release, "--date", date, *EVERY_DUMP)


def _wait_for(predicate: Callable[[], object], limit: float = 120.0) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def _kill_and_check(out: Path, proc: subprocess.Popen[str]) -> str:
    """SIGKILL the build, then: one whole build is shown, and its loader child is gone."""
    staging = out / "versions" / f".tmp-{proc.pid}"
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert _wait_for(lambda: not loader_children(str(staging)), 10.0), "the store loader outlived its build"
    return whole_build(out)


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


@pytest.mark.trials
def test_killed_build_leaves_old_build_whole(tmp_path: Path, small_release: Path) -> None:
    out = tmp_path / "build"
    _build(out, small_release, OLD)
    before = (out / "alskg.nt").read_bytes()
    proc = _start(out, small_release, NEW)
    staging = out / "versions" / f".tmp-{proc.pid}"
    # kill it while it writes: the dumps and the store are both under way
    assert _wait_for(lambda: (staging / "store").is_dir() and loader_children(str(staging)))
    assert _kill_and_check(out, proc) == OLD
    assert (out / "alskg.nt").read_bytes() == before
    query = alskg("query", "run", "dataset-metadata", "--build-dir", out, "--format", "tsv")
    assert query.returncode == 0 and OLD in query.stdout, query.stderr
    # the next build sweeps the litter: the killed build's folder, and that of builds made
    # before versions/ (.alskg.nt.tmp-PID, .store.tmp-PID) whose PID is gone; a user's file stays
    assert staging.is_dir()
    gone = _dead_pid()
    (out / f".alskg.nt.tmp-{gone}").write_text("half\n", encoding="utf-8")
    (out / f".store.tmp-{gone}").mkdir()
    (out / "diff.tsv").write_text("kept\n", encoding="utf-8")
    _build(out, small_release, NEW)
    assert whole_build(out) == NEW
    assert version_names(out) == ["0002"]
    assert sorted(p.name for p in out.iterdir()) == ["alskg.nq", "alskg.nt", "alskg.ttl", "current", "diff.tsv",
                                                     "queries.ttl", "store", "versions"]


@pytest.mark.trials
def test_query_during_build_switch_sees_whole_build(tmp_path: Path, small_release: Path) -> None:
    """A reader that resolved the build before a switch keeps reading that whole build; the
    switch does not remove it while it is held, and it is swept once released."""
    out = tmp_path / "build"
    build(out, DATA, small_release, date=OLD, dumps=ALL)
    with reading(out) as held:
        store = ox.Store.read_only(str(held / "store"))
        build(out, DATA, small_release, date=NEW, dumps=ALL)  # switches while the reader holds the old one
        assert resolve(out) != held and held.is_dir()
        rows = list(store.query("SELECT ?d WHERE { ?x <http://purl.org/dc/terms/issued> ?d }"))
        assert [r["d"].value for r in rows] == [OLD]
        merged = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))  # the merged view
        assert merged == (held / "alskg.nt").read_text(encoding="utf-8").count("\n")
        query = alskg("query", "run", "dataset-metadata", "--build-dir", out, "--format", "tsv")
        assert query.returncode == 0 and NEW in query.stdout and OLD not in query.stdout
        del store
    assert version_names(out) == ["0001", "0002"]
    with locked(out / "versions"):
        assert sweep(out) == ["0001"]
    assert whole_build(out) == NEW


@pytest.mark.trials
def test_build_over_the_layout_before_versions(tmp_path: Path, small_release: Path) -> None:
    """A folder holding a build of the old layout (real files, a real store/) is read, then taken over."""
    out = tmp_path / "build"
    build(out, DATA, small_release, date=OLD, dumps=ALL)
    legacy = tmp_path / "legacy"
    subprocess.run(["cp", "-rL", str(resolve(out)), str(legacy)], check=True)
    assert whole_build(legacy) == OLD  # readers accept the old layout too
    build(legacy, DATA, small_release, date=NEW, dumps=ALL)
    assert whole_build(legacy) == NEW and os.readlink(legacy / "store") == "current/store"


# --- randomized trials (pytest -m faults) --------------------------------------------------------

KILL_TRIALS = 6
SWITCH_BUILDS = 4


@pytest.mark.faults
def test_builds_killed_at_random_moments_never_leave_a_mixed_build(tmp_path: Path, small_release: Path) -> None:
    out = tmp_path / "build"
    _build(out, small_release, OLD)
    rng = random.Random(20250116)
    for trial in range(KILL_TRIALS):
        date = f"203{trial}-01-01"
        before = whole_build(out)
        proc = _start(out, small_release, date)
        time.sleep(rng.uniform(0.2, 8.0))
        assert _kill_and_check(out, proc) in {before, date}
    _build(out, small_release, NEW)
    assert version_names(out) == [max(version_names(out))] and whole_build(out) == NEW


@pytest.mark.faults
def test_queries_racing_builds_always_see_a_whole_build(tmp_path: Path, small_release: Path) -> None:
    out = tmp_path / "build"
    _build(out, small_release, OLD)
    failures: list[str] = []

    def builds() -> None:
        for n in range(SWITCH_BUILDS):
            proc = alskg("build", "--out", out, "--data-dir", DATA, "--hpo-dir", small_release,
                         "--date", NEW if n % 2 == 0 else OLD)
            if proc.returncode:
                failures.append(proc.stderr)

    builder = threading.Thread(target=builds)
    builder.start()
    answers = []
    while builder.is_alive() and len(answers) < 200:
        proc = alskg("sparql", "SELECT ?d WHERE { ?x <http://purl.org/dc/terms/issued> ?d }", "--build-dir", out,
                     "--format", "tsv")
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
        answers.append(proc.stdout.splitlines()[1:])
    builder.join()
    assert not failures
    assert answers and all(a in ([f'"{OLD}"^^xsd:date'], [f'"{NEW}"^^xsd:date'], [OLD], [NEW]) for a in answers), \
        answers[:5]
