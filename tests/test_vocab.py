"""Prefix map, CURIE expansion and stable minting."""

from __future__ import annotations

import pytest

from alskg import vocab
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
