"""The command line as a user meets it: real processes, exit codes, one-line errors."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from alskg.build import BuildResult

from .conftest import DATA


def alskg(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alskg", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert lines[0].startswith("alskg: error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_help_and_version() -> None:
    proc = alskg("--help")
    assert proc.returncode == 0
    for command in ("build", "validate", "query", "sparql", "data"):
        assert command in proc.stdout
    assert alskg("--version").stdout.strip() == "alskg, version 0.1.0"


def test_build_cli_writes_everything(tmp_path: Path) -> None:
    proc = alskg("build", "--out", tmp_path / "b", "--data-dir", DATA)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # no progress output when piped
    out = tmp_path / "b"
    # the public names are stable symlinks through `current`, the pointer to the one whole build;
    # by default the one dump is alskg.nq (every named graph), beside the store
    assert sorted(p.name for p in out.iterdir()) == ["alskg.nq", "current", "queries.ttl", "store", "versions"]
    assert [p.name for p in (out / "versions").iterdir()] == ["0001"]
    assert os.readlink(out / "current") == "versions/0001"
    for name in ("alskg.nq", "queries.ttl", "store"):
        assert os.readlink(out / name) == f"current/{name}"
    assert sorted(p.name for p in (out / "current").iterdir()) == ["alskg.nq", "queries.ttl", "store"]


@pytest.mark.trials  # two whole builds in real processes; test_build_cli_writes_everything keeps one in make test
def test_build_cli_dumps_option_writes_every_dump_and_drops_them_again(tmp_path: Path) -> None:
    out = tmp_path / "b"
    proc = alskg("build", "--out", out, "--data-dir", DATA, "--dumps", "ttl,nq,nt")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (out / "current").iterdir()) == ["alskg.nq", "alskg.nt", "alskg.ttl", "queries.ttl",
                                                                       "store"]
    for name in ("alskg.nq", "alskg.nt", "alskg.ttl"):
        assert os.readlink(out / name) == f"current/{name}"
    nt_lines = (out / "alskg.nt").read_text(encoding="utf-8").count("\n")
    assert nt_lines == (out / "alskg.nq").read_text(encoding="utf-8").count("\n") > 20000
    # a later build without them leaves no public name pointing at a dump it did not write
    assert alskg("build", "--out", out, "--data-dir", DATA).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == ["alskg.nq", "current", "queries.ttl", "store", "versions"]


def test_build_cli_refuses_an_unknown_dump(tmp_path: Path) -> None:
    proc = alskg("build", "--out", tmp_path / "b", "--data-dir", DATA, "--dumps", "nq,rdfxml")
    assert_one_line_error(proc, "unknown dump 'rdfxml'", "nq, nt, ttl")
    assert not (tmp_path / "b").exists()


def test_missing_table(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "genes.tsv").unlink()
    proc = alskg("build", "--out", tmp_path / "out", "--data-dir", data_copy)
    assert_one_line_error(proc, "genes.tsv", "missing data table")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_malformed_table_row(data_copy: Path, tmp_path: Path) -> None:
    path = data_copy / "genes.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].rsplit("\t", 1)[0]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = alskg("build", "--out", tmp_path / "out", "--data-dir", data_copy)
    assert_one_line_error(proc, "genes.tsv:4:1", "expected 5 tab-separated fields, found 4")


def test_malformed_curie_row(data_copy: Path, tmp_path: Path) -> None:
    path = data_copy / "phenotypes.tsv"
    text = path.read_text(encoding="utf-8").replace("HP:0025425", "HP 0025425", 1)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "HP 0025425" in row)
    proc = alskg("build", "--out", tmp_path / "out", "--data-dir", data_copy)
    assert_one_line_error(proc, f"phenotypes.tsv:{line}:2", "malformed CURIE", "'HP 0025425'")


def test_failed_build_leaves_previous_outputs(data_copy: Path, tmp_path: Path, built: BuildResult) -> None:
    out = tmp_path / "out"
    # the previous outputs: a copy of the session's whole build of the same data (versions/, current
    # and the public symlinks as written), not a second build of it
    shutil.copytree(built.out_dir, out, symlinks=True)
    assert os.readlink(out / "alskg.nq") == "current/alskg.nq"
    before = (out / "alskg.nq").read_bytes()
    (data_copy / "drugs.tsv").write_text("garbage\n", encoding="utf-8")
    assert_one_line_error(alskg("build", "--out", out, "--data-dir", data_copy), "drugs.tsv:1:1", "header")
    assert (out / "alskg.nq").read_bytes() == before
    assert not [p for p in out.iterdir() if ".tmp" in p.name]


def test_turtle_syntax_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "unterminated .\n', encoding="utf-8")
    assert_one_line_error(alskg("validate", bad), "bad.ttl:2:", "syntax error")


def test_missing_rdf_file(tmp_path: Path) -> None:
    assert_one_line_error(alskg("validate", tmp_path / "nope.ttl"), "nope.ttl", "missing RDF file")


def test_unknown_query() -> None:
    assert_one_line_error(alskg("query", "run", "no-such-query"), "unknown query", "no-such-query")


def test_unknown_parameter(built: BuildResult) -> None:
    proc = alskg("query", "run", "disease-phenotypes-by-frequency", "--param", "colour=red",
                 "--build-dir", built.out_dir)
    assert_one_line_error(proc, "unknown parameter", "colour")


@pytest.mark.parametrize("value", ["not a curie", "NOSUCH:1", "<http://x>"])
def test_bad_iri_parameter(built: BuildResult, value: str) -> None:
    proc = alskg("query", "run", "disease-phenotypes-by-frequency", "-p", f"disease={value}",
                 "--build-dir", built.out_dir)
    assert_one_line_error(proc, "bad value for parameter 'disease' (disease)")


def test_bad_date_parameter(built: BuildResult) -> None:
    proc = alskg("query", "run", "statements-updated-before", "-p", "before=2018-13-45",
                 "--build-dir", built.out_dir)
    assert_one_line_error(proc, "bad value for parameter 'before' (date)", "2018-13-45")


def test_unreachable_endpoint() -> None:
    url = f"http://127.0.0.1:{_free_port()}/query"
    proc = alskg("query", "run", "dataset-metadata", "--endpoint", url, "--timeout", "5")
    assert_one_line_error(proc, "SPARQL endpoint failed", url)


def test_update_is_refused(built: BuildResult) -> None:
    proc = alskg("sparql", "PREFIX ex: <http://example.org/> INSERT DATA { ex:a ex:b ex:c }",
                 "--build-dir", built.out_dir)
    assert_one_line_error(proc, "update operations are refused")


def test_missing_store(tmp_path: Path) -> None:
    assert_one_line_error(alskg("query", "run", "dataset-metadata", "--build-dir", tmp_path), "alskg build")


def test_unknown_option() -> None:
    assert_one_line_error(alskg("build", "--bogus"), "--bogus")


def test_validate_build_conforms(built: BuildResult) -> None:
    proc = alskg("validate", "--build-dir", built.out_dir)
    assert proc.returncode == 0, proc.stdout
    assert "conforms" in proc.stdout.splitlines()[0]


def test_data_lint_clean() -> None:
    proc = alskg("data", "lint", "--data-dir", DATA)
    assert proc.returncode == 0
    assert proc.stdout.strip() == "data tables are canonical"


def test_data_lint_unsorted(data_copy: Path) -> None:
    path = data_copy / "genes.tsv"
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([header, *reversed(rows)]) + "\n", encoding="utf-8")
    proc = alskg("data", "lint", "--data-dir", data_copy)
    assert proc.returncode == 1
    assert "genes.tsv: not in canonical form" in proc.stdout
    assert alskg("data", "lint", "--fix", "--data-dir", data_copy).returncode == 0
    assert alskg("data", "lint", "--data-dir", data_copy).returncode == 0


def test_a_bug_exits_3_not_1_with_one_line_then_its_traceback() -> None:
    """An unexpected exception (the release once stopped on an AssertionError) left with
    Python's exit 1, which reads as "the graph has findings"; a pipeline could not tell."""
    code = ("import sys\nfrom alskg import cli\n"
            "@cli.cli.command('boom')\ndef boom() -> None:\n    raise RuntimeError('a bug')\n"
            "sys.argv = ['alskg', 'boom']\ncli.main()\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    first, *rest = proc.stderr.splitlines()
    assert first == ("alskg: error: internal error, a bug in alskg: RuntimeError: a bug "
                     "(please report it with the traceback below)")
    assert rest[0] == "Traceback (most recent call last):" and rest[-1] == "RuntimeError: a bug"
