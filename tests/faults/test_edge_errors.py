"""Issue 9, points 10, 12 and 13: tracebacks, silent failures and silent acceptance at the edges.

One regression test per bug, named for what broke. Each CLI case runs a real process: exit 2,
exactly one line on stderr, no traceback, nothing written half-way.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from pathlib import Path

import pytest

from alskg.rdf_guard import MAX_TOKEN_BYTES
from alskg.submission import rdf_reader
from alskg.submission.rdf_reader import TermLocator

from ..conftest import DATA
from ..test_cli import alskg, assert_one_line_error


# -- 13. OSError anywhere: one line naming the path -----------------------------------------
def test_build_out_on_a_file_gives_one_line(tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("keep me\n", encoding="utf-8")
    assert_one_line_error(alskg("build", "--out", target), str(target), "--out must be a folder")
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_build_out_under_dev_null_gives_one_line() -> None:
    assert_one_line_error(alskg("build", "--out", "/dev/null/x"), "/dev/null/x", "/dev/null is a file")


def test_build_out_under_a_file_gives_one_line(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    assert_one_line_error(alskg("build", "--out", tmp_path / "a-file" / "sub"), "a-file is a file, not a folder")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_diff_out_into_proc_gives_one_line() -> None:
    assert_one_line_error(alskg("diff", "--data-dir", DATA, "--out", "/proc/alskg-diff.tsv"),
                          "/proc/alskg-diff.tsv", "cannot write the differences")


def test_diff_out_under_a_file_gives_one_line(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    out = tmp_path / "a-file" / "diff.tsv"
    assert_one_line_error(alskg("diff", "--data-dir", DATA, "--out", out), str(out), "a-file is a file, not a folder")


def test_source_date_epoch_abc_gives_one_line(tmp_path: Path) -> None:
    proc = alskg_env({"SOURCE_DATE_EPOCH": "abc"}, "build", "--data-dir", DATA, "--out", tmp_path / "b")
    assert_one_line_error(proc, "SOURCE_DATE_EPOCH", "'abc'")
    assert not (tmp_path / "b").exists()


def alskg_env(env: dict[str, str], *args: str | Path) -> "subprocess.CompletedProcess[str]":
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "alskg", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


# -- 13. dates ---------------------------------------------------------------------------------
def test_build_date_feb_30_refused(tmp_path: Path) -> None:
    assert_one_line_error(alskg("build", "--date", "2025-02-30", "--out", tmp_path / "b"),
                          "not a real calendar date", "'2025-02-30'")
    assert not (tmp_path / "b").exists()


def test_build_date_year_only_refused(tmp_path: Path) -> None:
    """``--date 2025`` once built a graph (an xsd:gYear release date) that then failed validation."""
    assert_one_line_error(alskg("build", "--date", "2025", "--out", tmp_path / "b"), "YYYY-MM-DD", "'2025'")


def test_submit_date_without_dashes_refused(tmp_path: Path) -> None:
    """``date.fromisoformat`` alone takes 20250301 (and week dates); the merge date must be YYYY-MM-DD."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    before = (data / "submissions.tsv").read_bytes()
    proc = alskg("submit", "--data-dir", data, "--date", "20250301", DATA / "examples" / "good-submission.tsv")
    assert_one_line_error(proc, "--date must be YYYY-MM-DD", "'20250301'")
    assert (data / "submissions.tsv").read_bytes() == before


# -- 13. diff --out by extension ----------------------------------------------------------------
def test_diff_out_csv_not_silently_tsv(tmp_path: Path) -> None:
    out = tmp_path / "diff.csv"
    proc = alskg("diff", "--data-dir", DATA, "--format", "tsv", "--out", out)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    tsv_rows = [line.split("\t") for line in proc.stdout.splitlines()]
    assert rows[0][:3] == ["disease", "phenotype", "kind"]
    assert "\t" not in out.read_text(encoding="utf-8")
    assert rows == tsv_rows  # the same table, written as CSV


def test_diff_out_unknown_extension_refused(tmp_path: Path) -> None:
    out = tmp_path / "diff.txt"
    assert_one_line_error(alskg("diff", "--data-dir", DATA, "--out", out), "diff.txt", "unknown output extension")
    assert not out.exists()


# -- 13. what an error line echoes --------------------------------------------------------------
def test_newline_in_value_escaped_on_stderr(tmp_path: Path) -> None:
    proc = alskg("validate", tmp_path / "a\nb\x1b[31mc.ttl")
    assert_one_line_error(proc, "a\\nb\\x1b[31mc.ttl", "missing RDF file")
    assert "\x1b" not in proc.stderr


def test_bidi_override_in_query_name_escaped_on_stderr() -> None:
    proc = alskg("query", "run", "phenotypes\u202eof\nx")
    assert_one_line_error(proc, "unknown query")
    assert "\u202e" not in proc.stderr and "\\u202e" in proc.stderr


def test_long_value_cut_in_error_line() -> None:
    proc = alskg("query", "run", "q" * 5000)
    assert_one_line_error(proc, "(5,000 characters)")
    assert len(proc.stderr) < 400


# -- 10. a build never fails silently -------------------------------------------------------------
def test_build_with_a_term_over_16mib_says_why(tmp_path: Path) -> None:
    """A merged row with a 17-million-digit PMID (merged before submissions were capped) once made
    every build exit 1 with no message: the store loader died on the term and the build's write
    to it broke the pipe, which click turns into a silent exit 1."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    pmid = "PMID:" + "1" * (MAX_TOKEN_BYTES + 1)
    with (data / "submitted_annotations.tsv").open("a", encoding="utf-8") as handle:
        handle.write("\t".join(["ORPHA:803", "Amyotrophic lateral sclerosis", "", "HP:0002380", pmid, "PCS", "",
                                "12/20", "", "", "P", "HPO:jdoe[2025-03-01]", "0123456789ab"]) + "\n")
    with (data / "submissions.tsv").open("a", encoding="utf-8") as handle:
        handle.write("\t".join(["0123456789ab", "big.tsv", "0" * 64, "HPO:jdoe", "2025-03-01", "1"]) + "\n")
    proc = alskg("build", "--data-dir", data, "--out", tmp_path / "b")
    assert_one_line_error(proc, "the store loader failed", "longer than 16 MiB")
    assert not (tmp_path / "b" / "store").exists()


# -- 12. the locator reads the text once ----------------------------------------------------------
def test_anonymous_associations_located_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """Locating N anonymous nodes once searched the whole text for each (quadratic: 40,000 took
    75 s). Now the text is tokenised once, whatever the number of look-ups."""
    scans = []
    real = rdf_reader._TOKEN

    class Counting:
        def finditer(self, text: str):  # type: ignore[no-untyped-def]
            scans.append(len(text))
            return real.finditer(text)

    monkeypatch.setattr(rdf_reader, "_TOKEN", Counting())
    text = "@prefix ex: <http://example.org/> .\n" + "".join(
        f"[] ex:p ex:o{i} .\n" for i in range(2000))
    locate = TermLocator(text, {"ex": "http://example.org/"})
    assert [locate(f"_:anon{i}") for i in range(2000)] == [(0, 0)] * 2000
    assert locate("<http://example.org/o1999>") == (2001, 9)
    assert len(scans) == 1


def test_locator_finds_each_form_of_a_node() -> None:
    text = ("@prefix ex: <http://example.org/> .\n"
            "ex:a ex:p _:b1 .\n"
            "<http://example.org/c> ex:p ex:abc.\n"
            "ex:z ex:p ex:c .\n")
    locate = TermLocator(text, {"ex": "http://example.org/"})
    assert locate("<http://example.org/a>") == (2, 1)
    assert locate("_:b1") == (2, 11)
    assert locate("<http://example.org/c>") == (3, 1)
    assert locate("<http://example.org/abc>") == (3, 29)  # a prefixed name ending a statement with '.'
    assert locate("<http://example.org/ab>") == (0, 0)  # not a prefix of a longer name
    assert re.fullmatch(r"\(\d+, \d+\)", str(locate("<http://example.org/z>")))
