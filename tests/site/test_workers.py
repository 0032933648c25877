"""The site written by two processes (alskg.site.workers) is the site written by one; a helper
that fails or dies fails the run with one error and leaves no site (the previous one stays)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from alskg.api import Graph
from alskg.build import BuildResult
from alskg.errors import AlskgError, InputError, UsageError
from alskg.queries import get_query
from alskg.site import build_site, workers
from alskg.site.ordering import unordered
from alskg.site.phenotypes import long_table, tsv_long_table


def files(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def test_one_and_two_processes_write_byte_identical_sites(built: BuildResult, tmp_path: Path) -> None:
    one = build_site(built.out_dir, tmp_path / "one", "als", workers=1)
    two = build_site(built.out_dir, tmp_path / "two", "als", workers=2)
    assert one.pages == two.pages == {"disease": 41, "phenotype": 213, "family": 1, "differences": 1,
                                      "release": 1, "index": 1}
    assert one.tables == two.tables == 534
    first, second = files(one.out), files(two.out)
    assert len(first) == 258 + 534 + 4  # pages, TSV tables, two static files and the search index twice
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_a_failing_helper_fails_the_run_and_keeps_the_previous_site(built: BuildResult, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build_site(built.out_dir, out, "als", workers=1)
    before = files(out)

    def broken(folder: Path) -> None:
        raise InputError("the helper could not read its table", "helper.tsv", value="x")

    monkeypatch.setattr(workers, "read_parts", broken)  # only the helper process calls it
    with pytest.raises(InputError) as caught:
        build_site(built.out_dir, out, "als", workers=2)
    assert str(caught.value) == "helper.tsv: the helper could not read its table (value: 'x')"
    assert files(out) == before
    assert leftovers(out) == []


def test_a_helper_that_dies_fails_the_run_and_writes_no_site(built: BuildResult, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    monkeypatch.setattr(workers, "Site", lambda *_: os._exit(3))  # the helper dies before its pages
    with pytest.raises(AlskgError) as caught:
        build_site(built.out_dir, out, "als", workers=2)
    assert str(caught.value) == "the site's helper process stopped (exit code 3)"
    assert not out.exists()
    assert leftovers(out) == []


def test_workers_other_than_one_or_two_are_a_usage_error(built: BuildResult, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="workers must be 1 or 2, not 3"):
        build_site(built.out_dir, tmp_path / "site", "als", workers=3)
    assert not (tmp_path / "site").exists()


def test_share_picks_every_other_page() -> None:
    pages = [f"p{i}" for i in range(5)]
    halves = [workers.Share(i, 2).pick(pages) for i in range(2)]
    assert halves == [["p0", "p2", "p4"], ["p1", "p3"]]
    assert workers.Share().pick(pages) == pages


@pytest.mark.parametrize(("name", "key"), [("disease-page-node-values", "node"),
                                           ("disease-page-phenotype-values", "association"),
                                           ("disease-page-annotation-provenance", "association")])
def test_the_tsv_long_table_equals_the_streamed_one(built: BuildResult, tmp_path: Path, name: str, key: str) -> None:
    graph = Graph.open(built.out_dir, timeout=None)
    text = unordered(get_query(name)).text
    graph.write_tsv(text, tmp_path / "answer.tsv")
    streamed = long_table(graph.stream(text)[1], key)
    read = tsv_long_table(tmp_path / "answer.tsv", key)
    assert len(read.as_terms()) == len(streamed.as_terms()) > 100
    assert read.as_terms() == streamed.as_terms()


def test_a_tsv_answer_with_other_columns_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "answer.tsv"
    path.write_text("?node\t?value\n<http://example.org/a>\t\"x\"\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"the answer's columns are not \?node \?property \?value"):
        tsv_long_table(path, "node")


@pytest.mark.parametrize("helper_fails", [False, True])
def test_the_shared_long_table_folder_is_removed(built: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 helper_fails: bool) -> None:
    """The folder where both processes write the phenotype table's parts is gone after a run,
    whether it succeeded or the helper failed."""
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    if helper_fails:
        def broken(folder: Path) -> None:
            raise InputError("the helper could not read its table", folder)

        monkeypatch.setattr(workers, "read_parts", broken)
        with pytest.raises(InputError):
            build_site(built.out_dir, tmp_path / "site", "als", workers=2)
    else:
        build_site(built.out_dir, tmp_path / "site", "als", workers=2)
    assert list(scratch.iterdir()) == []
