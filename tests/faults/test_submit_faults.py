"""Merges are serialised and committed by their record (issue 9, point 5).

Real ``alskg submit`` processes on one data folder that already holds 20,000 merged rows
(taken from the release, so writing the tables takes real time); SIGKILL at random moments.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import signal
import time
from pathlib import Path

import pytest

from alskg.lint import lint_tables
from alskg.sources.curated import read_curated
from alskg.sources.hpoa import COLUMNS
from alskg.sources.tables import TABLES, canonical_text

from ..conftest import DATA
from .helpers import alskg, start

GOOD = DATA / "examples" / "good-submission.tsv"
BULK_ID = "0" * 12
BULK_ROWS = 20_000


def _variant(tmp_path: Path) -> Path:
    """A second passing submission (one new ALS row), different from the example."""
    path = tmp_path / "variant.tsv"
    path.write_text("ORPHA:803\tAmyotrophic lateral sclerosis\t\tHP:0000217\tPMID:21145000\tPCS\t\t\t\t\tP"
                    "\tHPO:jdoe[2025-03-01]\n", encoding="utf-8")
    return path


@pytest.fixture()
def crowded_data(tmp_path: Path, hpo_dir: Path) -> Path:
    """A copy of data/ whose tables already hold 20,000 merged rows of one bulk submission."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    spec, rows, keys = TABLES["submitted_annotations"], [], set()
    for line in (hpo_dir / "phenotype.hpoa").read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if line.startswith("#") or fields[0] == "database_id" or fields[0] == "ORPHA:803":
            continue
        row = {**dict(zip(COLUMNS, fields, strict=True)), "submission": BULK_ID}
        key = tuple(row[c] for c in spec.key)
        if key not in keys:
            keys.add(key)
            rows.append(row)
        if len(rows) == BULK_ROWS:
            break
    (data / spec.filename).write_text(canonical_text(spec, rows), encoding="utf-8")
    record = {"id": BULK_ID, "file_name": "bulk.tsv", "sha256": "0" * 64, "curators": "HPO:bulk",
              "date": "2025-01-16", "annotations": str(BULK_ROWS)}
    (data / "submissions.tsv").write_text(canonical_text(TABLES["submissions"], [record]), encoding="utf-8")
    return data


def _submit(path: Path, data: Path, release: Path) -> list[str]:
    return ["submit", str(path), "--data-dir", str(data), "--hpo-dir", str(release), "--date", "2025-03-01"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _assert_committed(data: Path) -> dict[str, int]:
    """Every record's rows are all there (as many as it says), and no row lacks a record;
    returns rows per submission."""
    tables = read_curated(data)
    assert not tables.uncommitted
    per = {r["id"]: 0 for r in tables["submissions"]}
    for row in tables["submitted_annotations"]:
        per[row["submission"]] += 1
    assert {r["id"]: int(r["annotations"]) for r in tables["submissions"]} == per
    return per


@pytest.mark.trials
def test_concurrent_submits_keep_both_submissions(crowded_data: Path, small_release: Path, tmp_path: Path) -> None:
    files = [GOOD, _variant(tmp_path)]
    procs = [start(*_submit(path, crowded_data, small_release)) for path in files]
    outs = [proc.communicate(timeout=600) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], [err for _, err in outs]
    per = _assert_committed(crowded_data)
    assert per == {BULK_ID: BULK_ROWS, _sha(GOOD)[:12]: 7, _sha(files[1])[:12]: 1}


@pytest.mark.trials
def test_crash_between_renames_leaves_no_rows_without_record(crowded_data: Path, small_release: Path) -> None:
    """The state a merge killed between its two renames leaves: the rows in place, no record.
    Readers leave the rows out (a build still works), lint names them, and submitting the
    file again merges it whole, with a record that counts its rows."""
    ident = _sha(GOOD)[:12]
    spec = TABLES["submitted_annotations"]
    held = read_curated(crowded_data)["submitted_annotations"]
    lines = GOOD.read_text(encoding="utf-8").splitlines()
    orphans = [{**dict(zip(COLUMNS, line.split("\t")[:12], strict=True)), "submission": ident}
               for line in lines if line and not line.startswith(("#", "database_id\t"))]
    (crowded_data / spec.filename).write_text(canonical_text(spec, held + orphans), encoding="utf-8")
    data = read_curated(crowded_data)
    assert len(data.uncommitted) == 7 and len(data["submitted_annotations"]) == BULK_ROWS
    assert any("interrupted merge" in line and ident in line for line in lint_tables(crowded_data))
    proc = alskg(*_submit(GOOD, crowded_data, small_release))
    assert proc.returncode == 0, proc.stderr
    assert "7 annotations added" in proc.stdout
    assert _assert_committed(crowded_data) == {BULK_ID: BULK_ROWS, ident: 7}


# --- randomized trials (pytest -m faults) --------------------------------------------------------

KILL_TRIALS = 5


@pytest.mark.faults
def test_submits_killed_at_random_moments_never_lose_a_committed_merge(crowded_data: Path, small_release: Path,
                                                                       tmp_path: Path) -> None:
    rng = random.Random(20250301)
    variant = _variant(tmp_path)
    for _ in range(KILL_TRIALS):
        victim, survivor = rng.sample([GOOD, variant], 2)
        procs = {path: start(*_submit(path, crowded_data, small_release)) for path in (victim, survivor)}
        time.sleep(rng.uniform(0.5, 10.0))
        procs[victim].send_signal(signal.SIGKILL)
        for proc in procs.values():
            proc.communicate(timeout=600)
        assert procs[survivor].returncode == 0
        per = read_curated(crowded_data)
        committed = {r["id"] for r in per["submissions"]}
        assert _sha(survivor)[:12] in committed
        # whatever the kill interrupted, submitting the victim again completes it whole
        again = alskg(*_submit(victim, crowded_data, small_release))
        assert again.returncode == 0, again.stderr
        counts = _assert_committed(crowded_data)
        assert counts[_sha(GOOD)[:12]] == 7 and counts[_sha(variant)[:12]] == 1
        # start the next trial from the crowded tables alone
        spec = TABLES["submitted_annotations"]
        tables = read_curated(crowded_data)
        keep = [r for r in tables["submitted_annotations"] if r["submission"] == BULK_ID]
        (crowded_data / spec.filename).write_text(canonical_text(spec, keep), encoding="utf-8")
        records = [r for r in tables["submissions"] if r["id"] == BULK_ID]
        (crowded_data / "submissions.tsv").write_text(canonical_text(TABLES["submissions"], records),
                                                      encoding="utf-8")
