"""``alskg check`` and ``alskg submit`` as a curator meets them, and merged submissions in the build.

Real processes for the exit-code contract and the saved example reports; ``CliRunner`` in
process (the HPO release is read once) for options; the merge and the build on a copy of
data/ in ``tmp_path``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from alskg.build import build
from alskg.cli import cli
from alskg.lint import lint_tables
from alskg.packaged import hpo_release_dir
from alskg.sources.curated import read_curated
from alskg.submission import merge as merge_module
from alskg.submission.check import CheckOptions
from alskg.submission.merge import submit
from alskg.validate import validate_build

from .conftest import DATA
from .test_submission_support import FIXTURES, TODAY, reference

REPO = DATA.parent
EXAMPLES = DATA / "examples"
GOOD, BAD = EXAMPLES / "good-submission.tsv", EXAMPLES / "bad-submission.tsv"


def alskg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alskg", *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, timeout=120)


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def _saved_report(name: str) -> str:
    text = (EXAMPLES / f"{name}.report.txt").read_text(encoding="utf-8")
    return text


@pytest.mark.parametrize(("name", "code"), [("good-submission", 0), ("bad-submission", 1)])
def test_examples_give_their_saved_reports(name: str, code: int) -> None:
    """Regenerate with: alskg check data/examples/NAME.tsv > data/examples/NAME.report.txt"""
    proc = alskg("check", f"data/examples/{name}.tsv")
    assert proc.returncode == code, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout == _saved_report(name)


def test_unreadable_submissions_exit_2_with_one_line(tmp_path: Path) -> None:
    proc = alskg("check", tmp_path / "missing.tsv")
    assert proc.returncode == 2 and proc.stderr.startswith("alskg: error: ") and "missing submission file" in proc.stderr
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix a: <http://a/> .\na:b a:c\n", encoding="utf-8")
    proc = alskg("check", broken)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert f"{broken}:3:1: Turtle syntax error" in proc.stderr and "Traceback" not in proc.stderr


def test_fail_on_threshold() -> None:
    warned = FIXTURES / "HPOA-LABEL-DISEASE--fail.tsv"  # one warning
    assert invoke("check", warned).exit_code == 0
    assert invoke("check", warned, "--fail-on", "warning").exit_code == 1
    assert invoke("check", BAD, "--fail-on", "none").exit_code == 0
    assert invoke("check", FIXTURES / "HPOA-CONSIST-GRAPH-DUPLICATE--fail.tsv", "--fail-on", "warning").exit_code == 0


@pytest.mark.parametrize("fmt", ["json", "tsv", "ttl"])
def test_report_formats(fmt: str) -> None:
    result = invoke("check", BAD, "--format", fmt)
    assert result.exit_code == 1
    if fmt == "json":
        assert json.loads(result.output)["counts"]["error"] == 12
    elif fmt == "tsv":
        assert result.output.count("\tHPOA-") == 15
    else:
        assert len(list(ox.parse(result.output.encode(), format=ox.RdfFormat.TURTLE))) > 100


def test_input_format_option_and_help() -> None:
    assert invoke("check", FIXTURES / "SHACL--pass.ttl", "--input-format", "ttl").exit_code == 0
    help_text = invoke("check", "--help").output
    assert "--input-format" in help_text and "format of the submission read" in " ".join(help_text.split())
    assert invoke("check", "--list-rules").output.startswith("| rule | severity |")


# --- submit and build ---------------------------------------------------------------------------

def _tables(data_dir: Path) -> dict[str, bytes]:
    return {name: (data_dir / f"{name}.tsv").read_bytes() for name in ("submitted_annotations", "submissions")}


def test_submit_merges_once_and_records_provenance(data_copy: Path) -> None:
    result = invoke("submit", GOOD, "--data-dir", data_copy, "--date", "2025-03-01")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("merged submission ")
    data = read_curated(data_copy)
    [record] = data["submissions"]
    sha = __import__("hashlib").sha256(GOOD.read_bytes()).hexdigest()
    assert {k: record[k] for k in ("id", "file_name", "sha256", "curators", "date", "annotations")} == {
        "id": sha[:12], "file_name": "good-submission.tsv", "sha256": sha, "curators": "ORCID:0000-0002-1825-0097",
        "date": "2025-03-01", "annotations": "7"}
    assert len(data["submitted_annotations"]) == 7
    assert {row["submission"] for row in data["submitted_annotations"]} == {sha[:12]}
    assert lint_tables(data_copy) == []
    before = _tables(data_copy)
    again = invoke("submit", GOOD, "--data-dir", data_copy)
    assert again.exit_code == 0 and "already merged" in again.output
    assert _tables(data_copy) == before


def test_submit_refuses_errors_and_changes_nothing(data_copy: Path) -> None:
    before = _tables(data_copy)
    result = invoke("submit", BAD, "--data-dir", data_copy)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "refused: the submission has errors; nothing was changed"
    assert _tables(data_copy) == before


def test_submit_skips_rows_already_merged_or_in_the_release(data_copy: Path, tmp_path: Path) -> None:
    ref = reference()
    first = submit(GOOD, data_copy, ref, CheckOptions(today=TODAY))
    assert (first.status, first.added) == ("merged", 7)
    overlap = tmp_path / "overlap.tsv"
    lines = GOOD.read_text(encoding="utf-8").splitlines()
    release_row = ("ORPHA:803\tAmyotrophic lateral sclerosis\t\tHP:0003202\tORPHA:803\tTAS\t\tHP:0040282\t\t\tP"
                   "\tHPO:jdoe[2025-03-01]\tSkeletal muscle atrophy")
    overlap.write_text("\n".join(lines[:5] + [release_row]) + "\n", encoding="utf-8")
    second = submit(overlap, data_copy, ref, CheckOptions(today=TODAY))
    assert (second.status, second.added, second.skipped) == ("merged", 0, 3)
    assert len(read_curated(data_copy)["submissions"]) == 2


def test_a_failed_write_leaves_both_tables_unchanged(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _tables(data_copy)
    real = merge_module.canonical_text

    def failing(spec: object, rows: object) -> str:
        if getattr(spec, "name", "") == "submissions":
            raise OSError("disk full")
        return real(spec, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(merge_module, "canonical_text", failing)
    with pytest.raises(OSError):
        submit(GOOD, data_copy, reference(), CheckOptions(today=TODAY))
    assert _tables(data_copy) == before
    assert not [p for p in data_copy.iterdir() if ".tmp-" in p.name]


def test_build_maps_merged_submissions_into_their_graph(data_copy: Path, tmp_path: Path) -> None:
    result = submit(GOOD, data_copy, reference(), CheckOptions(today=TODAY))
    variant = tmp_path / "variant-name.tsv"  # another spelling of ALS: a warning, so it merges
    variant.write_text("ORPHA:803\tALS\t\tHP:0000217\tPMID:21145000\tPCS\t\t\t\t\tP\tHPO:jdoe[2025-03-01]\n",
                       encoding="utf-8")
    assert submit(variant, data_copy, reference(), CheckOptions(today=TODAY)).status == "merged"
    built = build(tmp_path / "build", data_copy, hpo_release_dir())
    store = ox.Store()
    store.bulk_load(path=str(built.files["nq"]), format=ox.RdfFormat.N_QUADS)
    source = f"https://w3id.org/alskg/id/source-submission-{result.submission}"
    rows = list(store.query(f"""
        PREFIX biolink: <https://w3id.org/biolink/vocab/> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?a ?negated WHERE {{ GRAPH <https://w3id.org/alskg/graph/submissions> {{
            ?a biolink:subject ?s ; prov:wasDerivedFrom <{source}> OPTIONAL {{ ?a biolink:negated ?negated }} }} }}"""))
    assert len(rows) == 7 and sum(1 for r in rows if r["negated"] is not None) == 1
    names = list(store.query("""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
        SELECT ?label ?synonym WHERE { <http://purl.obolibrary.org/obo/MONDO_0004976> rdfs:label ?label ;
            oboInOwl:hasExactSynonym ?synonym FILTER (?synonym = "ALS") }""", use_default_graph_as_union=True))
    # ORPHA:803 is MONDO:0004976's node (ADR 10): the curated label stays the only label, and the
    # submitted name "ALS" is an exact synonym (the curated layer states it already, so it is stored once)
    assert [(r["label"].value, r["synonym"].value) for r in names] == [("Amyotrophic lateral sclerosis", "ALS")]
    described = list(store.query(f"""
        PREFIX alskg: <https://w3id.org/alskg/vocab/> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?sha WHERE {{ GRAPH <https://w3id.org/alskg/graph/metadata> {{
            <https://w3id.org/alskg/dataset/alskg> prov:wasDerivedFrom <{source}> . <{source}> alskg:sha256 ?sha }} }}"""))
    assert [r["sha"].value for r in described] == [__import__("hashlib").sha256(GOOD.read_bytes()).hexdigest()]
    report = validate_build(built.out_dir)
    assert report.conforms, [f for f in report.findings if f.severity == "Violation"]
    lines = built.files["nq"].read_text(encoding="utf-8").splitlines()
    triples = [line.rsplit(" ", 2)[0] for line in lines]
    assert len(triples) == len(set(triples))  # the named graphs still partition the merged view
