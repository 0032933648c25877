"""alskg validate reads a build's merged view from alskg.nt, else alskg.nq, else its store: the
same findings whichever it reads."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from alskg.build import BuildResult
from alskg.validate import ValidationReport, validate_build

BL = "https://w3id.org/biolink/vocab/"
HPOA = "https://w3id.org/alskg/graph/hpoa"


def _association(built: BuildResult) -> str:
    for line in built.files["nt"].read_text(encoding="utf-8").splitlines():
        if f"> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{BL}DiseaseToPhenotypicFeatureAssociation>" in line:
            return line.split(" ", 1)[0]
    raise AssertionError("no association in the build")


def _build(built: BuildResult, folder: Path, dumps: tuple[str, ...], in_store: bool = True) -> Path:
    """A build folder holding the session build plus a second knowledge level on one association
    (a violation), in the dumps named and (unless told otherwise) in its store."""
    extra = f"{_association(built)} <{BL}knowledge_level> <{BL}not_provided>"
    folder.mkdir(parents=True)
    nt = built.files["nt"].read_text(encoding="utf-8") + f"{extra} .\n"
    store = ox.Store(str(folder / "store"))
    store.bulk_load((nt if in_store else built.files["nt"].read_text(encoding="utf-8")).encode(),
                    format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    del store
    if "nt" in dumps:
        (folder / "alskg.nt").write_text(nt, encoding="utf-8")
    if "nq" in dumps:
        nq = built.files["nq"].read_text(encoding="utf-8") + f"{extra} <{HPOA}> .\n"
        (folder / "alskg.nq").write_text(nq, encoding="utf-8")
    return folder


def _found(report: ValidationReport) -> list[tuple[str, str, str, str]]:
    return sorted((f.severity, f.focus, f.path, f.message) for f in report.findings)


@pytest.fixture(scope="module")
def by_source(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> dict[str, ValidationReport]:
    root = tmp_path_factory.mktemp("validate-sources")
    return {name: validate_build(_build(built, root / name, dumps))
            for name, dumps in (("nt", ("nt", "nq")), ("nq", ("nq",)), ("store", ()))}


def test_nquads_give_the_findings_of_the_ntriples(by_source: dict[str, ValidationReport]) -> None:
    assert not by_source["nq"].conforms
    assert any(f.path.endswith("knowledge_level") for f in by_source["nq"].findings)
    assert _found(by_source["nq"]) == _found(by_source["nt"])


def test_the_store_gives_the_findings_of_the_ntriples(by_source: dict[str, ValidationReport]) -> None:
    assert _found(by_source["store"]) == _found(by_source["nt"])


@pytest.mark.parametrize("line", [
    "<https://e.org/a> <https://e.org/p> <https://e.org/o> .\n",
    # its object names a graph of the file: cutting that off whole chunks at once leaves two
    # terms, which the parser refuses; the file is then read line by line and declined
    "<https://e.org/a> <https://e.org/p> <https://w3id.org/alskg/graph/hpoa> .\n",
])
def test_nquads_of_another_shape_fall_back_to_the_store(built: BuildResult, tmp_path: Path, line: str) -> None:
    """A triple of the default graph in alskg.nq: not the build's shape, so the store is read
    (here a store without the violation the N-Quads hold)."""
    folder = _build(built, tmp_path / "b", ("nq",), in_store=False)
    assert not validate_build(folder).conforms
    text = (folder / "alskg.nq").read_text(encoding="utf-8")
    (folder / "alskg.nq").write_text(text + line * 3, encoding="utf-8")
    assert validate_build(folder).conforms
