"""The build's per-value caches (rdf/hpoa.py, rdf/terms.py, examples.py) give what the uncached code gave."""

from __future__ import annotations

import pytest

from alskg import vocab
from alskg.errors import InputError
from alskg.examples import declared_prefixes, query_form
from alskg.rdf import terms as t
from alskg.rdf.hpoa import Curation, curator_iri, frequency_slots


def test_minted_term_is_the_minted_iri() -> None:
    key = ("assoc", "hpoa", "key-a", "key-b")
    assert t.minted(*key) == t.iri(vocab.mint(*key).value)
    assert t.minted(*key).startswith("<https://w3id.org/alskg/id/assoc-")


def test_cached_frequency_slots_are_a_fresh_list_each_call() -> None:
    first = frequency_slots("3/4")
    first.append(("x", "y"))
    assert frequency_slots("3/4") == [
        (t.bl("has_count"), t.integer(3)), (t.bl("has_total"), t.integer(4)),
        (t.bl("has_quotient"), t.typed("0.75", "double")), (t.bl("has_percentage"), t.typed("75", "double"))]


def test_a_bad_frequency_raises_on_every_call() -> None:
    for _ in range(2):
        with pytest.raises(InputError, match="n/m needs"):
            frequency_slots("5/4")


def test_a_bad_biocuration_cell_raises_on_every_call() -> None:
    for _ in range(2):
        with pytest.raises(InputError, match="biocuration"):
            Curation().add("HPO:probinson[2020-13]")


def test_cached_biocuration_cells_add_up() -> None:
    curation = Curation()
    curation.add("HPO:probinson[2009-02-17]; ORCID:0000-0000-0000-0001[2021-06-01]")
    curation.add("HPO:probinson[2009-02-17]")
    assert curation.curators == {"HPO:probinson", "ORCID:0000-0000-0000-0001"}
    assert curation.dates == {"2009-02-17", "2021-06-01"}
    assert curator_iri("HPO:probinson") == t.curie("ALSKG:curator-hpo-probinson")


def test_parsed_query_prefixes_are_a_fresh_dict_each_call() -> None:
    text = "PREFIX ex: <http://example.org/>\nASK { ex:a ex:b ex:c }"
    first = declared_prefixes(text)
    first["other"] = "http://example.com/"
    assert declared_prefixes(text) == {"ex": "http://example.org/"}
    assert query_form(text) == "ask"
