"""Prefix map, CURIE expansion and stable minting."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from alskg import vocab
from alskg.build import BuildResult
from alskg.errors import InputError


@pytest.mark.parametrize(
    ("curie", "iri"),
    [
        ("HP:0000006", "http://purl.obolibrary.org/obo/HP_0000006"),
        ("MONDO:0004976", "http://purl.obolibrary.org/obo/MONDO_0004976"),
        ("OMIM:105400", "http://purl.obolibrary.org/obo/OMIM_105400"),
        ("ORPHA:803", "http://www.orpha.net/ORDO/Orphanet_803"),
        ("Orphanet:803", "http://www.orpha.net/ORDO/Orphanet_803"),
        ("OMIMPS:105400", "https://omim.org/phenotypicSeries/PS105400"),
        ("GARD:0005786", "https://rarediseases.info.nih.gov/diseases/0005786"),
        ("NCBIGene:6647", "http://identifiers.org/ncbigene/6647"),
        ("PMID:28872912", "http://www.ncbi.nlm.nih.gov/pubmed/28872912"),
        ("mesh:D000690", "http://id.nlm.nih.gov/mesh/D000690"),
        ("infores:hpo-annotations", "https://w3id.org/information-resource-registry/hpo-annotations"),
    ],
)
def test_expand(curie: str, iri: str) -> None:
    assert vocab.expand(curie) == iri


@pytest.mark.parametrize(("given", "canonical"), [("Orphanet:803", "ORPHA:803"),
                                                  ("mesh:D000690", "MESH:D000690")])
def test_synonym_prefixes_standardise(given: str, canonical: str) -> None:
    assert vocab.standardize(given) == canonical


@pytest.mark.parametrize("bad", ["HP 0000006", "HP0000006", "NOSUCH:1", ":x", "HP:"])
def test_bad_curies_raise(bad: str) -> None:
    with pytest.raises(InputError):
        vocab.expand(bad)


def test_extra_prefixes_do_not_clash_with_biolink() -> None:
    prefix_map = vocab._biolink_prefix_map()
    for prefix, uri in vocab.EXTRA_PREFIXES.items():
        assert prefix_map.get(prefix, uri) == uri


def test_mint_is_stable_and_key_sensitive() -> None:
    a = vocab.mint("assoc", "gard", "MONDO:0004976", "HP:0003324")
    assert a == vocab.mint("assoc", "gard", "MONDO:0004976", "HP:0003324")
    assert a.value == "https://w3id.org/alskg/id/assoc-" + a.value.rsplit("-", 1)[1]
    assert len(a.value.rsplit("-", 1)[1]) == 16
    assert a != vocab.mint("assoc", "gard", "MONDO:0004976", "HP:0003325")


def _converters_answer(iri: str) -> str:
    curie = vocab.converter().compress(iri)
    return curie if curie is not None else iri


def test_compress_by_namespace_equals_the_converter_on_every_iri_of_a_build(built: BuildResult) -> None:
    """compress looks the URI prefix up once per namespace; the answer must be the converter's
    for every IRI of the ALS build (ids, vocabularies, publications, graphs, datasets)."""
    store = ox.Store.read_only(str(built.files["store"]))
    iris = {t.value for q in store for t in (q.subject, q.predicate, q.object, q.graph_name)
            if isinstance(t, ox.NamedNode)}
    assert len(iris) > 2000
    assert {iri: vocab.compress(iri) for iri in iris} == {iri: _converters_answer(iri) for iri in iris}


@pytest.mark.parametrize("iri", [
    "http://purl.obolibrary.org/obo/HP_0000006",      # a namespace some URI prefix extends (…/obo/ → …/obo/HP_)
    "http://purl.obolibrary.org/obo/",                 # the namespace itself
    "http://purl.obolibrary.org/obo/xx_1",             # no extension fits: the shorter prefix or none
    "http://www.orpha.net/ORDO/Orphanet_803",
    "https://w3id.org/alskg/id/assoc-0123456789abcdef",
    "https://w3id.org/alskg/id/",                      # an IRI equal to a URI prefix: an empty local part
    "https://w3id.org/alskg/id/a/b#c",
    "http://example.org/no/prefix/fits",
    "urn:x-no-slash",
    "https://w3id.org/biolink/vocab/has_phenotype",
    "http://id.nlm.nih.gov/mesh/D000690",
])
def test_compress_edge_cases_equal_the_converter(iri: str) -> None:
    assert vocab.compress(iri) == _converters_answer(iri)
