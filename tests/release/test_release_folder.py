"""`alskg release`: the folder, its determinism, checksums, gzip headers and receipts."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from alskg.release import ReleaseResult

from .conftest import VERSION

NAME = f"alskg-{VERSION}"
EXPECTED_FILES = sorted([
    f"{NAME}.nq.gz", f"{NAME}.nt.gz", f"{NAME}.ttl.gz", f"{NAME}_nodes.tsv.gz", f"{NAME}_edges.tsv.gz",
    f"{NAME}_nodes.jsonl.gz", f"{NAME}_edges.jsonl.gz", f"{NAME}_other_nodes.tsv.gz",
    f"{NAME}_other_edges.tsv.gz", f"{NAME}.sssom.tsv", "metadata.ttl", "release.json", "SHA256SUMS", "README.md",
])


def test_release_folder_holds_every_file(released: ReleaseResult) -> None:
    assert released.folder.name == NAME
    assert sorted(p.name for p in released.folder.iterdir()) == EXPECTED_FILES
    assert not [p for p in released.folder.parent.iterdir() if p.name.startswith(".")]  # no temporary left


def test_two_releases_are_byte_identical(released: ReleaseResult, released_again: ReleaseResult) -> None:
    for name in EXPECTED_FILES:
        assert (released.folder / name).read_bytes() == (released_again.folder / name).read_bytes(), name


def test_sha256sum_check_passes(released: ReleaseResult) -> None:
    result = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=released.folder, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": OK") == len(EXPECTED_FILES) - 1


def test_gzip_headers_have_no_name_and_mtime_zero(released: ReleaseResult) -> None:
    for path in sorted(released.folder.glob("*.gz")):
        header = path.read_bytes()[:10]
        assert header[:3] == b"\x1f\x8b\x08", path.name
        assert header[3] & 0x08 == 0, f"{path.name} has a file name in its header"
        assert header[4:8] == b"\0\0\0\0", f"{path.name} has an mtime"


def test_rdf_dumps_hold_the_graph(released: ReleaseResult, built: object) -> None:
    merged, quads, turtle = ox.Store(), ox.Store(), ox.Store()
    with gzip.open(released.folder / f"{NAME}.nt.gz") as handle:
        merged.bulk_load(input=handle.read(), format=ox.RdfFormat.N_TRIPLES)
    with gzip.open(released.folder / f"{NAME}.ttl.gz") as handle:
        turtle.bulk_load(input=handle.read(), format=ox.RdfFormat.TURTLE)
    with gzip.open(released.folder / f"{NAME}.nq.gz") as handle:
        quads.bulk_load(input=handle.read(), format=ox.RdfFormat.N_QUADS)
    assert len(merged) == len(turtle) == released.counts["merged_triples"] == built.triples  # type: ignore[attr-defined]
    assert len(quads) == released.counts["quads"]
    assert set(merged) == set(turtle)
    graphs = sorted(g.value for g in quads.named_graphs())
    assert [g.rsplit("/", 1)[-1] for g in graphs] == ["gard", "genes", "hpo", "hpoa", "metadata", "ontology"]


def test_release_json_matches_the_folder(released: ReleaseResult) -> None:
    receipt = json.loads((released.folder / "release.json").read_text(encoding="utf-8"))
    assert receipt["version"] == VERSION and receipt["scope"] == "als"
    assert receipt["biolink_model_version"] == "4.4.6"
    assert receipt["mondo_version"] == "2026-08-04"
    assert receipt["command"] == ["alskg", "release", "--scope", "als", "--version", VERSION]
    listed = {f["name"]: f for f in receipt["files"]}
    assert sorted(listed) == sorted(set(EXPECTED_FILES) - {"release.json", "SHA256SUMS"})
    sums = dict(reversed(line.split("  ")) for line in (released.folder / "SHA256SUMS").read_text().splitlines())
    for name, entry in listed.items():
        assert entry["sha256"] == sums[name]
        assert entry["bytes"] == (released.folder / name).stat().st_size
    hpoa = [s for s in receipt["sources"] if s["id"] == "ALSKG:source-hpo-phenotype-hpoa"]
    assert hpoa and hpoa[0]["version"] == "2025-01-16" and len(hpoa[0]["sha256"]) == 64
    assert receipt["counts"]["kgx_edges"] == listed[f"{NAME}_edges.tsv.gz"]["rows"]


def test_metadata_describes_each_file_with_a_relative_url(released: ReleaseResult) -> None:
    folder = released.folder
    graph = ox.Store()
    graph.load(path=str(folder / "metadata.ttl"), format=ox.RdfFormat.TURTLE, base_iri=folder.as_uri() + "/")
    rows = graph.query("""PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX spdx: <http://spdx.org/rdf/terms#>
        SELECT ?url ?size ?sum WHERE { ?d a dcat:Distribution ; dcat:downloadURL ?url ; dcat:byteSize ?size ;
            dcat:mediaType ?type ; spdx:checksum [ spdx:algorithm spdx:checksumAlgorithm_sha256 ;
            spdx:checksumValue ?sum ] }""")
    described = {Path(r["url"].value.removeprefix("file://")).name: (int(r["size"].value), r["sum"].value)
                 for r in rows}  # type: ignore[union-attr]
    assert sorted(described) == sorted(set(EXPECTED_FILES) - {"metadata.ttl", "release.json", "SHA256SUMS"})
    for name, (size, digest) in described.items():
        assert size == (folder / name).stat().st_size
        assert f"{digest}  {name}" in (folder / "SHA256SUMS").read_text()
    assert '"4.4.6"' in (folder / "metadata.ttl").read_text()


def test_sssom_header_and_rows(released: ReleaseResult) -> None:
    lines = (released.folder / f"{NAME}.sssom.tsv").read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    assert "# license: https://creativecommons.org/publicdomain/zero/1.0/" in header
    assert "# subject_source_version: 2026-08-04" in header
    assert any(line.startswith("# mapping_set_id: ") for line in header)
    body = [line.split("\t") for line in lines if not line.startswith("#")]
    assert body[0] == ["subject_id", "subject_label", "predicate_id", "object_id", "mapping_justification"]
    orpha = [row for row in body[1:] if row[3] == "ORPHA:803"]
    assert orpha == [["MONDO:0004976", "Amyotrophic lateral sclerosis", "skos:exactMatch", "ORPHA:803",
                      "semapv:ManualMappingCuration"]]
    assert body[1:] == sorted(body[1:]) and len(body) - 1 == released.counts["sssom_mappings"]


def test_cli_refuses_a_bad_version_before_any_work(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "alskg", "release", "--version", "../x", "--out",
                             str(tmp_path / "out"), "--build-dir", str(tmp_path / "b")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "release version" in result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "b").exists()


@pytest.mark.trials
def test_alskg_release_command_builds_and_writes_the_same_folder(released: ReleaseResult, tmp_path: Path) -> None:
    """The whole command (the build run aside, its hp.obo read aside in turn, then the release)
    writes the same bytes as the release of the session's build. It once stopped with a
    traceback: a daemonic child may not start children."""
    result = subprocess.run([sys.executable, "-m", "alskg", "release", "--scope", "als", "--version", VERSION,
                             "--out", str(tmp_path / "out"), "--build-dir", str(tmp_path / "b")],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    folder = tmp_path / "out" / NAME
    assert sorted(p.name for p in folder.iterdir()) == EXPECTED_FILES
    for name in EXPECTED_FILES:
        assert (folder / name).read_bytes() == (released.folder / name).read_bytes(), name
