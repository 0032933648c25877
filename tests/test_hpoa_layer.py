"""The HPO layer of the ALS build matches the pinned release row for row."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from alskg.build import BuildResult
from alskg.rdf.hpoa import ASPECTS, annotation_key
from alskg.sources.hpoa import iter_annotations

ALS_IDS = ("ORPHA:803", "OMIM:105400")
#: The MONDO node each release id is normalised to (ADR 10; MONDO's exact-match mapping sets).
NODE = {"ORPHA:803": "http://purl.obolibrary.org/obo/MONDO_0004976",
        "OMIM:105400": "http://purl.obolibrary.org/obo/MONDO_0007103"}


@pytest.fixture(scope="module")
def store(dataset: ox.Store) -> ox.Store:
    return dataset


def _release_counts(hpo_dir: Path, disease: str) -> Counter[str]:
    rows = [r for r in iter_annotations(hpo_dir / "phenotype.hpoa") if r.database_id == disease]
    unique = {annotation_key(r): r for r in rows}
    return Counter(ASPECTS[r.aspect][0].strip("<>") for r in unique.values())


@pytest.mark.parametrize("disease", ALS_IDS)
def test_association_counts_match_the_release(store: ox.Store, hpo_dir: Path, disease: str) -> None:
    expected = _release_counts(hpo_dir, disease)
    rows = store.query(
        f"SELECT ?cls (COUNT(?a) AS ?n) WHERE {{ GRAPH <https://w3id.org/alskg/graph/hpoa> {{ "
        f"?a <https://w3id.org/biolink/vocab/subject> <{NODE[disease]}> ; "
        f"<https://w3id.org/biolink/vocab/original_subject> \"{disease}\" ; a ?cls }} }} GROUP BY ?cls")
    got = Counter({row["cls"].value: int(row["n"].value) for row in rows})
    assert got == expected
    assert sum(got.values()) == {"ORPHA:803": 47, "OMIM:105400": 16}[disease]


def test_orpha_803_laryngospasm_is_very_rare_in_2025(store: ox.Store) -> None:
    rows = list(store.query(
        "SELECT ?f WHERE { GRAPH <https://w3id.org/alskg/graph/hpoa> { ?a "
        "<https://w3id.org/biolink/vocab/subject> <http://purl.obolibrary.org/obo/MONDO_0004976> ; "
        "<https://w3id.org/biolink/vocab/original_subject> \"ORPHA:803\" ; "
        "<https://w3id.org/biolink/vocab/object> <http://purl.obolibrary.org/obo/HP_0025425> ; "
        "<https://w3id.org/biolink/vocab/frequency_qualifier> ?f } }"))
    assert [r["f"].value for r in rows] == ["http://purl.obolibrary.org/obo/HP_0040284"]


def test_direct_edges_point_to_hp_terms(store: ox.Store) -> None:
    """Regression: a loop variable shadowed the object, so direct edges pointed at references."""
    rows = list(store.query(
        "SELECT ?o WHERE { GRAPH <https://w3id.org/alskg/graph/hpoa> { ?s "
        "<https://w3id.org/biolink/vocab/has_phenotype>|<https://w3id.org/biolink/vocab/has_mode_of_inheritance> ?o "
        "FILTER(!STRSTARTS(STR(?o), 'http://purl.obolibrary.org/obo/HP_')) } }"))
    assert rows == []
