"""Issue 10 §2: a release that fails a check writes nothing (one broken fixture per check)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from alskg.biolink import load_schema
from alskg.build import BuildResult
from alskg.release import write_release
from alskg.release.checks import ReleaseRefused, check_kgx, kgx_problems
from alskg.release.kgx import Twin, extract

from .conftest import broken_build

BL = "https://w3id.org/biolink/vocab/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _refused(build: Path, out: Path) -> ReleaseRefused:
    with pytest.raises(ReleaseRefused) as caught:
        write_release(build, out, "broken")
    assert not out.exists() or not list(out.iterdir()), "a refused release left files"
    return caught.value


def _an_association(built: BuildResult) -> str:
    for line in built.files["nt"].read_text(encoding="utf-8").splitlines():
        if f"<{RDF_TYPE}> <{BL}DiseaseToPhenotypicFeatureAssociation>" in line:
            return line.split(" ", 1)[0]
    raise AssertionError("no association in the build")


def test_shacl_violation_refuses_the_release(built: BuildResult, tmp_path: Path) -> None:
    assoc = _an_association(built)  # a second knowledge level: the shapes allow exactly one
    build = broken_build(built, tmp_path / "build", [f"{assoc} <{BL}knowledge_level> <{BL}not_provided> ."])
    refusal = _refused(build, tmp_path / "out")
    assert refusal.message.startswith("refused: SHACL validation found")
    assert any("knowledge_level" in line for line in refusal.findings)


def test_biolink_nonconformity_refuses_the_release(built: BuildResult, tmp_path: Path) -> None:
    # typed and categorised alike, so SHACL's category shape passes and only Biolink's schema knows
    extra = [f"<https://w3id.org/alskg/id/x-broken> <{RDF_TYPE}> <{BL}NoSuchClass> .",
             f"<https://w3id.org/alskg/id/x-broken> <{BL}category> <{BL}NoSuchClass> ."]
    refusal = _refused(broken_build(built, tmp_path / "build", extra), tmp_path / "out")
    assert refusal.message.startswith("refused: the graph does not conform to Biolink Model 4.4.6")
    assert any(line.startswith("unknown-class:") for line in refusal.findings)


def _twin(lines: list[str]) -> Twin:
    store = ox.Store()
    store.bulk_load(input=("\n".join(lines) + "\n").encode(), format=ox.RdfFormat.N_TRIPLES)
    return extract(store, load_schema())


HP = "http://purl.obolibrary.org/obo/HP_"
MONDO = "http://purl.obolibrary.org/obo/MONDO_"
A = "<https://w3id.org/alskg/id/assoc-1>"


def _edge(cls: str = "DiseaseToPhenotypicFeatureAssociation", predicate: str = "has_phenotype") -> list[str]:
    return [f"{A} <{RDF_TYPE}> <{BL}{cls}> .", f"{A} <{BL}subject> <{MONDO}0004976> .",
            f"{A} <{BL}predicate> <{BL}{predicate}> .", f"{A} <{BL}object> <{HP}0002180> ."]


TYPED = [f"<{MONDO}0004976> <{RDF_TYPE}> <{BL}Disease> .", f"<{HP}0002180> <{RDF_TYPE}> <{BL}PhenotypicFeature> ."]


def test_a_sound_twin_passes() -> None:
    twin = _twin(_edge() + TYPED)
    assert kgx_problems(twin, load_schema()) == []
    assert [row["category"] for row in twin.nodes.rows] == [[("biolink:PhenotypicFeature",) * 2],
                                                             [("biolink:Disease",) * 2]]


def test_dangling_edge_is_refused() -> None:
    twin = _twin(_edge() + TYPED)
    twin.nodes.rows = [row for row in twin.nodes.rows if row["id"][0][0] != "HP:0002180"]
    with pytest.raises(ReleaseRefused) as caught:
        check_kgx(twin, load_schema())
    assert caught.value.findings == ["dangling edge ALSKG:assoc-1: its object HP:0002180 is not a node"]


def test_duplicate_id_is_refused() -> None:
    twin = _twin(_edge() + TYPED)
    twin.edges.rows.append(twin.edges.rows[0])
    assert kgx_problems(twin, load_schema()) == ["duplicate edge id: ALSKG:assoc-1 (2 times)"]


def test_node_without_category_is_refused() -> None:
    twin = _twin(_edge() + TYPED[:1])
    assert kgx_problems(twin, load_schema()) == ["node HP:0002180 has no category"]


def test_category_outside_biolink_is_refused() -> None:
    twin = _twin(_edge(cls="DiseaseToNothingAssociation") + TYPED)
    assert kgx_problems(twin, load_schema()) == [
        "edge ALSKG:assoc-1: category biolink:DiseaseToNothingAssociation is not a Biolink 4.4.6 class"]


def test_predicate_outside_biolink_is_refused() -> None:
    twin = _twin(_edge(predicate="has_no_such_link") + TYPED)
    assert kgx_problems(twin, load_schema()) == [
        "edge ALSKG:assoc-1: predicate biolink:has_no_such_link is not a Biolink 4.4.6 predicate"]


def test_alskg_statements_go_to_the_other_files() -> None:
    lines = [f"{A} <{RDF_TYPE}> <https://w3id.org/alskg/vocab/DiseaseCharacteristic> .",
             f"{A} <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <{MONDO}0004976> .",
             f"{A} <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> <https://w3id.org/alskg/vocab/onset_age> .",
             f'{A} <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> "55" .'] + TYPED[:1]
    twin = _twin(lines)
    assert twin.edges.rows == [] and twin.nodes.rows == []
    assert [row["category"] for row in twin.other_edges.rows] == [[("alskg:DiseaseCharacteristic",) * 2]]
    assert [row["id"] for row in twin.other_nodes.rows] == [[("MONDO:0004976",) * 2]]
    assert kgx_problems(twin, load_schema()) == []
