"""phenotype.hpoa and genes_to_phenotype.txt → Biolink blocks, checked on small hand-written fixtures.

The expected triples are written out below as readable CURIE tuples and expanded with
``alskg.vocab.expand``; association IRIs are recomputed here from the minting rule
(sha256 of the key columns, 16 hex digits), not taken from the code under test.
Fixture rows are listed in ``tests/fixtures/hpoa/README.md``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pytest

from alskg.errors import InputError
from alskg.rdf.hpoa import (
    ASPECTS,
    EVIDENCE,
    PRIMARY,
    SEX,
    curator_iri,
    frequency_slots,
    map_annotations,
    map_gene_diseases,
    reference_slots,
)
from alskg.sources.genes import GeneDisease, read_gene_diseases
from alskg.sources.hpoa import COLUMNS, REQUIRED, Annotation, iter_annotations, read_header
from alskg.vocab import expand

FIXTURES = Path(__file__).parent / "fixtures" / "hpoa"
HPOA = FIXTURES / "annotations.hpoa"  # a hand-written fixture in the phenotype.hpoa format
GENES = FIXTURES / "genes_to_phenotype.txt"
XSD = "http://www.w3.org/2001/XMLSchema#"
ASSOC_IRI = re.compile(r"^<https://w3id.org/alskg/id/assoc-[0-9a-f]{16}>$")


# --- N-Triples terms, written independently of alskg.rdf.terms -------------------------------

def term(value: str) -> str:
    """A CURIE (or http(s) IRI) as an IRI term; literals (built below) pass through."""
    return value if value.startswith('"') else f"<{expand(value)}>"


def string(text: str) -> str:
    return f'"{text}"'


def typed(text: str, datatype: str) -> str:
    return f'"{text}"^^<{XSD}{datatype}>'


def integer(n: int) -> str:
    return typed(str(n), "integer")


def double(text: str) -> str:
    return typed(text, "double")


def date(text: str) -> str:
    return typed(text, "date")


TRUE = typed("true", "boolean")


def fixture_fields(path: Path, line: int) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[line - 1].split("\t")


def hpoa_assoc(line: int) -> str:
    """The association IRI of a fixture row: every column but disease_name (2) and biocuration (12)."""
    f = fixture_fields(HPOA, line)
    key = "|".join(["hpoa", f[0], *f[2:11]])
    return f"<https://w3id.org/alskg/id/assoc-{hashlib.sha256(key.encode()).hexdigest()[:16]}>"


def genes_assoc(gene: str, disease: str) -> str:
    key = f"genes|{gene}|{disease}"
    return f"<https://w3id.org/alskg/id/assoc-{hashlib.sha256(key.encode()).hexdigest()[:16]}>"


def provenance(primary: str, source: str = "ALSKG:source-hpo-phenotype-hpoa") -> list[tuple[str, str]]:
    return [
        ("biolink:primary_knowledge_source", primary),
        ("biolink:aggregator_knowledge_source", "infores:hpo-annotations"),
        ("biolink:knowledge_level", "biolink:knowledge_assertion"),
        ("biolink:agent_type", "biolink:manual_agent"),
        ("prov:wasDerivedFrom", source),
    ]


def edge(cls: str, subject: str, predicate: str, obj: str) -> list[tuple[str, str]]:
    return [("rdf:type", cls), ("biolink:subject", subject), ("biolink:predicate", predicate), ("biolink:object", obj)]


PHENOTYPE = "biolink:DiseaseToPhenotypicFeatureAssociation"
HAS_PHENOTYPE = "biolink:has_phenotype"
PROBINSON, SKOEHLER = "ALSKG:curator-hpo-probinson", "ALSKG:curator-hpo-skoehler"
IEA_CURATOR, ORPHADATA = "ALSKG:curator-hpo-iea", "ALSKG:curator-orpha-orphadata"
ORCID = "ORCID:0000-0002-0736-9199"

# --- expected output of phenotype.hpoa, association by association (key: first fixture line) --

ASSOCIATIONS: dict[int, list[tuple[str, str]]] = {
    6: edge(PHENOTYPE, "OMIM:100100", HAS_PHENOTYPE, "HP:0001250") + [
        ("biolink:publications", "PMID:11111111"),
        ("biolink:has_evidence", "ECO:0006017"),
        ("biolink:has_count", integer(3)),
        ("biolink:has_total", integer(7)),
        ("biolink:has_quotient", double("0.428571")),
        ("biolink:has_percentage", double("42.857143")),
        ("biolink:sex_qualifier", "PATO:0000384"),
        ("biolink:clinical_modifier_qualifier", "HP:0012828"),
        ("biolink:clinical_modifier_qualifier", "HP:0012832"),
        *provenance("infores:omim"),
        ("dct:created", date("2019-03-01")),
        ("dct:contributor", PROBINSON),
    ],
    7: edge(PHENOTYPE, "OMIM:100100", HAS_PHENOTYPE, "HP:0001263") + [
        ("biolink:negated", TRUE),
        ("dct:source", "OMIM:100100"),
        ("biolink:has_evidence", "ECO:0000304"),
        *provenance("infores:omim"),
        ("dct:created", date("2015-06-01")),
        ("dct:contributor", SKOEHLER),
    ],
    8: edge(PHENOTYPE, "OMIM:100100", HAS_PHENOTYPE, "HP:0002360") + [
        ("biolink:publications", "PMID:22222222"),
        ("dct:source", "OMIM:100100"),
        ("dct:source", "ORPHA:900"),
        ("biolink:publications", "isbn:978-0-19-262896-1"),
        ("dct:source", "https://example.org/book?id=7&part=2"),
        ("biolink:has_evidence", "ECO:0000304"),
        ("biolink:onset_qualifier", "HP:0003593"),
        ("biolink:has_percentage", double("25")),
        ("biolink:has_quotient", double("0.25")),
        ("biolink:sex_qualifier", "PATO:0000383"),
        *provenance("infores:omim"),
        ("dct:created", date("2012-01-10")),
        ("dct:modified", date("2020-05-05")),
        ("dct:contributor", PROBINSON),
        ("dct:contributor", ORCID),
        ("dct:contributor", SKOEHLER),
    ],
    9: edge("biolink:DiseaseOrPhenotypicFeatureToGeneticInheritanceAssociation", "OMIM:100100",
            "biolink:has_mode_of_inheritance", "HP:0000006") + [
        ("dct:source", "OMIM:100100"),
        ("biolink:has_evidence", "ECO:0000501"),
        *provenance("infores:omim"),
        ("dct:created", date("2009-02-17")),
        ("dct:contributor", IEA_CURATOR),
    ],
    10: edge("alskg:DiseaseToClinicalCourseAssociation", "ORPHA:900", "alskg:has_clinical_course", "HP:0003680") + [
        ("dct:source", "ORPHA:900"),
        ("biolink:has_evidence", "ECO:0000304"),
        *provenance("infores:orphanet"),
        ("dct:created", date("2025-01-16")),
        ("dct:contributor", ORPHADATA),
    ],
    11: edge("alskg:DiseaseToClinicalModifierAssociation", "ORPHA:900", "alskg:has_clinical_modifier", "HP:0012828") + [
        ("dct:source", "ORPHA:900"),
        ("biolink:has_evidence", "ECO:0000304"),
        ("biolink:has_count", integer(0)),
        ("biolink:has_total", integer(4)),
        ("biolink:has_quotient", double("0")),
        ("biolink:has_percentage", double("0")),
        *provenance("infores:orphanet"),
        ("dct:created", date("2025-01-16")),
        ("dct:contributor", ORPHADATA),
    ],
    12: edge("alskg:DiseaseToPastMedicalHistoryAssociation", "DECIPHER:42", "alskg:has_past_medical_history",
             "HP:0100602") + [
        ("dct:source", "DECIPHER:42"),
        ("biolink:has_evidence", "ECO:0000501"),
        *provenance("infores:decipher"),
        ("dct:created", date("2013-05-29")),
        ("dct:contributor", SKOEHLER),
    ],
    13: edge(PHENOTYPE, "DECIPHER:42", HAS_PHENOTYPE, "HP:0000057") + [
        ("dct:source", "DECIPHER:42"),
        ("biolink:has_evidence", "ECO:0000501"),
        ("biolink:frequency_qualifier", "HP:0040281"),
        *provenance("infores:decipher"),
        ("dct:created", date("2013-05-29")),
        ("dct:contributor", SKOEHLER),
    ],
    14: edge(PHENOTYPE, "DECIPHER:42", HAS_PHENOTYPE, "HP:0004715") + [
        ("dct:source", "DECIPHER:42"),
        ("biolink:has_evidence", "ECO:0000501"),
        *provenance("infores:decipher"),
        ("dct:created", date("2013-05-29")),
        ("dct:contributor", SKOEHLER),
    ],
    15: edge(PHENOTYPE, "OMIM:200200", HAS_PHENOTYPE, "HP:0001263") + [  # lines 15 and 16 merged
        ("biolink:publications", "PMID:11111111"),
        ("biolink:has_evidence", "ECO:0006017"),
        ("biolink:has_count", integer(1)),
        ("biolink:has_total", integer(2)),
        ("biolink:has_quotient", double("0.5")),
        ("biolink:has_percentage", double("50")),
        *provenance("infores:omim"),
        ("dct:created", date("2018-02-03")),
        ("dct:modified", date("2021-06-21")),
        ("dct:contributor", PROBINSON),
        ("dct:contributor", ORCID),
    ],
}


def disease(name: str) -> list[tuple[str, str]]:
    return [("rdf:type", "biolink:Disease"), ("rdfs:label", string(name)), ("biolink:name", string(name)),
            ("prov:wasDerivedFrom", "ALSKG:source-hpo-phenotype-hpoa")]


OTHER_NODES: dict[str, list[tuple[str, str]]] = {
    "OMIM:100100": disease("Example syndrome A") + [
        ("oboInOwl:hasExactSynonym", string("Example syndrome A, variant name")),
        (HAS_PHENOTYPE, "HP:0001250"),  # no direct edge for the NOT row (HP:0001263)
        (HAS_PHENOTYPE, "HP:0002360"),
        ("biolink:has_mode_of_inheritance", "HP:0000006"),
    ],
    "ORPHA:900": disease("Example disease B") + [
        ("alskg:has_clinical_course", "HP:0003680"),
        ("alskg:has_clinical_modifier", "HP:0012828"),
    ],
    "DECIPHER:42": disease("Example deletion syndrome C") + [
        ("alskg:has_past_medical_history", "HP:0100602"),
        (HAS_PHENOTYPE, "HP:0000057"),
        (HAS_PHENOTYPE, "HP:0004715"),
    ],
    "OMIM:200200": disease("Example syndrome D") + [(HAS_PHENOTYPE, "HP:0001263")],
    PROBINSON: [("rdf:type", "prov:Agent"), ("rdfs:label", string("HPO:probinson"))],
    SKOEHLER: [("rdf:type", "prov:Agent"), ("rdfs:label", string("HPO:skoehler"))],
    IEA_CURATOR: [("rdf:type", "prov:Agent"), ("rdfs:label", string("HPO:iea"))],
    ORPHADATA: [("rdf:type", "prov:Agent"), ("rdfs:label", string("ORPHA:orphadata"))],
    ORCID: [("rdf:type", "prov:Agent"), ("rdfs:label", string(ORCID))],
    "PMID:11111111": [("rdf:type", "biolink:Publication"), ("biolink:publication_type", "dctypes:Text")],
    "PMID:22222222": [("rdf:type", "biolink:Publication"), ("biolink:publication_type", "dctypes:Text")],
    "isbn:978-0-19-262896-1": [("rdf:type", "biolink:Publication"), ("biolink:publication_type", "dctypes:Text")],
}

Triple = tuple[str, str, str]


def with_original(slots: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The slots plus biolink:original_subject, the disease id as the row writes it (ADR 10)."""
    subject = next(o for p, o in slots if p == "biolink:subject")
    return [*slots, ("biolink:original_subject", string(subject))]


def expected_hpoa() -> set[Triple]:
    out = {(hpoa_assoc(line), term(p), term(o)) for line, slots in ASSOCIATIONS.items() for p, o in with_original(slots)}
    out |= {(term(s), term(p), term(o)) for s, slots in OTHER_NODES.items() for p, o in slots}
    return out


def triples(blocks: Iterable[tuple[str, list[tuple[str, str]]]]) -> list[Triple]:
    return [(s, p, o) for s, slots in blocks for p, o in slots]


def slots_of(output: list[Triple], subject: str) -> set[tuple[str, str]]:
    return {(p, o) for s, p, o in output if s == subject}


def values(output: list[Triple], line: int, predicate: str) -> set[str]:
    return {o for p, o in slots_of(output, hpoa_assoc(line)) if p == term(predicate)}


@pytest.fixture(scope="module")
def rows() -> list[Annotation]:
    return list(iter_annotations(HPOA))


@pytest.fixture(scope="module")
def output(rows: list[Annotation]) -> list[Triple]:
    return triples(map_annotations(rows, source=HPOA))


# --- reader -----------------------------------------------------------------------------------

def test_read_header_returns_the_hash_lines() -> None:
    header = read_header(HPOA)
    assert header.version == "2025-01-16"
    assert set(header.fields) == {"description", "version", "tracker", "hpo-version"}
    assert header.fields["tracker"] == "https://github.com/obophenotype/human-phenotype-ontology/issues"


def test_reader_skips_headers_and_keeps_file_line_numbers(rows: list[Annotation]) -> None:
    assert [r.line for r in rows] == list(range(6, 17))
    assert rows[2].references == ["PMID:22222222", "OMIM:100100", "ORPHA:900", "ISBN-13:978-0-19-262896-1",
                                  "https://example.org/book?id=7&part=2"]
    assert rows[0].modifiers == ["HP:0012828", "HP:0012832"]
    assert [r.negated for r in rows[:2]] == [False, True]


def test_reader_rejects_a_row_with_11_fields() -> None:
    path = FIXTURES / "eleven_fields.hpoa"
    with pytest.raises(InputError, match="expected 12 tab-separated fields, found 11") as err:
        list(iter_annotations(path))
    assert (err.value.file, err.value.line, err.value.column) == (path, 7, 1)


def test_reader_rejects_an_empty_required_field_with_line_and_column() -> None:
    path = FIXTURES / "empty_required.hpoa"
    with pytest.raises(InputError, match="required column 'reference' is empty") as err:
        list(iter_annotations(path))
    assert (err.value.file, err.value.line, err.value.column) == (path, 7, 5)
    assert str(err.value).startswith(f"{path}:7:5: ")


@pytest.mark.parametrize("column", REQUIRED)
def test_reader_rejects_each_empty_required_column(tmp_path: Path, column: str) -> None:
    fields = fixture_fields(HPOA, 6)
    fields[COLUMNS.index(column)] = ""
    path = tmp_path / "phenotype.hpoa"
    path.write_text("#version: x\n" + "\t".join(fields) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        list(iter_annotations(path))
    assert (err.value.line, err.value.column) == (2, COLUMNS.index(column) + 1)


def test_reader_rejects_a_file_that_is_not_utf8() -> None:
    path = FIXTURES / "not_utf8.hpoa"
    with pytest.raises(InputError, match="not UTF-8") as err:
        list(iter_annotations(path))
    assert err.value.file == path


def test_reader_names_the_line_of_the_non_utf8_byte() -> None:
    path = FIXTURES / "not_utf8.hpoa"
    with pytest.raises(InputError) as err:
        list(iter_annotations(path))
    assert err.value.line == 7


# --- the whole mapped output --------------------------------------------------------------------

def test_mapped_output_is_exactly_the_expected_triples(output: list[Triple]) -> None:
    got, want = set(output), expected_hpoa()
    assert sorted(got - want) == [] and sorted(want - got) == []


@pytest.mark.parametrize("line", sorted(ASSOCIATIONS))
def test_association_of_row_has_exactly_its_triples(output: list[Triple], line: int) -> None:
    assert slots_of(output, hpoa_assoc(line)) == {(term(p), term(o)) for p, o in with_original(ASSOCIATIONS[line])}


def test_no_triple_is_written_twice(output: list[Triple]) -> None:
    assert [t for t, n in Counter(output).items() if n > 1] == []


# --- one rule per test --------------------------------------------------------------------------

def test_not_sets_negated_true_and_writes_no_direct_edge(output: list[Triple]) -> None:
    assert values(output, 7, "biolink:negated") == {TRUE}
    assert (term("OMIM:100100"), term(HAS_PHENOTYPE), term("HP:0001263")) not in output
    assert all(values(output, line, "biolink:negated") == set() for line in ASSOCIATIONS if line != 7)


def test_fraction_gives_count_total_quotient_and_percentage(output: list[Triple]) -> None:
    got = {p: values(output, 6, p) for p in ("biolink:has_count", "biolink:has_total",
                                              "biolink:has_quotient", "biolink:has_percentage")}
    assert got == {"biolink:has_count": {integer(3)}, "biolink:has_total": {integer(7)},
                   "biolink:has_quotient": {double("0.428571")}, "biolink:has_percentage": {double("42.857143")}}


def test_zero_fraction_is_kept_as_zero_counts(output: list[Triple]) -> None:
    assert values(output, 11, "biolink:has_count") == {integer(0)}
    assert values(output, 11, "biolink:has_quotient") == {double("0")}
    assert values(output, 11, "biolink:has_percentage") == {double("0")}


def test_percentage_gives_percentage_and_quotient(output: list[Triple]) -> None:
    assert values(output, 8, "biolink:has_percentage") == {double("25")}
    assert values(output, 8, "biolink:has_quotient") == {double("0.25")}
    assert values(output, 8, "biolink:has_count") == set()


def test_hp_frequency_term_becomes_frequency_qualifier(output: list[Triple]) -> None:
    assert values(output, 13, "biolink:frequency_qualifier") == {term("HP:0040281")}
    assert values(output, 13, "biolink:has_quotient") == set()


@pytest.mark.parametrize(("value", "quotient", "percentage"), [
    ("1/3", "0.333333", "33.333333"),
    ("2/3", "0.666667", "66.666667"),
    ("1/1", "1", "100"),
    ("12.5%", "0.125", "12.5"),
    ("100%", "1", "100"),
    ("33.3333333%", "0.333333", "33.3333333"),
], ids=["1of3", "2of3", "1of1", "12.5pct", "100pct", "long-pct"])
def test_quotient_is_a_double_with_at_most_6_places(value: str, quotient: str, percentage: str) -> None:
    slots = dict(frequency_slots(value))
    assert slots[term("biolink:has_quotient")] == double(quotient)
    assert slots[term("biolink:has_percentage")] == double(percentage)
    assert re.fullmatch(r'"\d+(\.\d{1,6})?"\^\^<.*#double>', slots[term("biolink:has_quotient")])


def test_empty_frequency_writes_nothing() -> None:
    assert frequency_slots("") == []


def test_evidence_table_is_the_field_notes_one() -> None:
    assert EVIDENCE == {"IEA": "ECO:0000501", "PCS": "ECO:0006017", "TAS": "ECO:0000304"}


@pytest.mark.parametrize(("line", "eco"), [(9, "ECO:0000501"), (6, "ECO:0006017"), (7, "ECO:0000304")],
                         ids=["IEA", "PCS", "TAS"])
def test_evidence_becomes_an_eco_iri(output: list[Triple], line: int, eco: str) -> None:
    assert values(output, line, "biolink:has_evidence") == {term(eco)}


@pytest.mark.parametrize(("line", "pato"), [(6, "PATO:0000384"), (8, "PATO:0000383")], ids=["MALE", "FEMALE"])
def test_sex_becomes_a_pato_sex_qualifier(output: list[Triple], line: int, pato: str) -> None:
    assert SEX == {"MALE": "PATO:0000384", "FEMALE": "PATO:0000383"}
    assert values(output, line, "biolink:sex_qualifier") == {term(pato)}


def test_modifiers_become_clinical_modifier_qualifiers(output: list[Triple]) -> None:
    assert values(output, 6, "biolink:clinical_modifier_qualifier") == {term("HP:0012828"), term("HP:0012832")}


def test_onset_becomes_onset_qualifier(output: list[Triple]) -> None:
    assert values(output, 8, "biolink:onset_qualifier") == {term("HP:0003593")}


ASPECT_ROWS = {"P": 6, "I": 9, "C": 10, "M": 11, "H": 12}


def test_aspect_table() -> None:
    assert ASPECTS == {
        "P": (term(PHENOTYPE), term(HAS_PHENOTYPE)),
        "I": (term("biolink:DiseaseOrPhenotypicFeatureToGeneticInheritanceAssociation"),
              term("biolink:has_mode_of_inheritance")),
        "C": (term("alskg:DiseaseToClinicalCourseAssociation"), term("alskg:has_clinical_course")),
        "M": (term("alskg:DiseaseToClinicalModifierAssociation"), term("alskg:has_clinical_modifier")),
        "H": (term("alskg:DiseaseToPastMedicalHistoryAssociation"), term("alskg:has_past_medical_history")),
    }


@pytest.mark.parametrize("aspect", ASPECT_ROWS)
def test_aspect_sets_class_predicate_and_direct_edge(output: list[Triple], aspect: str) -> None:
    line = ASPECT_ROWS[aspect]
    cls, predicate = ASPECTS[aspect]
    assert values(output, line, "rdf:type") == {cls}
    assert values(output, line, "biolink:predicate") == {predicate}
    (subject,) = values(output, line, "biolink:subject")
    (obj,) = values(output, line, "biolink:object")
    assert (subject, predicate, obj) in output


@pytest.mark.parametrize(("line", "infores"), [(6, "infores:omim"), (10, "infores:orphanet"),
                                               (12, "infores:decipher")], ids=["OMIM", "ORPHA", "DECIPHER"])
def test_primary_knowledge_source_follows_the_disease_prefix(output: list[Triple], line: int, infores: str) -> None:
    assert PRIMARY == {"OMIM": "infores:omim", "ORPHA": "infores:orphanet", "DECIPHER": "infores:decipher"}
    assert values(output, line, "biolink:primary_knowledge_source") == {term(infores)}
    assert values(output, line, "biolink:aggregator_knowledge_source") == {term("infores:hpo-annotations")}


LITERAL_PREDICATES = {term(p) for p in (
    "rdfs:label", "biolink:name", "biolink:symbol", "oboInOwl:hasExactSynonym", "biolink:negated",
    "biolink:has_count", "biolink:has_total", "biolink:has_quotient", "biolink:has_percentage",
    "dct:created", "dct:modified", "biolink:original_subject")}


def test_values_that_name_things_are_iris(output: list[Triple]) -> None:
    literal_slots = {p for _, p, o in output if o.startswith('"')}
    assert literal_slots <= LITERAL_PREDICATES
    naming = {term(p) for p in ("biolink:primary_knowledge_source", "biolink:aggregator_knowledge_source",
                                "biolink:has_evidence", "biolink:frequency_qualifier", "biolink:sex_qualifier",
                                "biolink:knowledge_level", "biolink:agent_type", "biolink:clinical_modifier_qualifier",
                                "biolink:onset_qualifier", "dct:contributor", "dct:source")}
    assert {p for _, p, _ in output} >= naming
    assert all(o.startswith("<") for _, p, o in output if p in naming)


def test_references_split_into_publications_and_sources(output: list[Triple]) -> None:
    assert values(output, 8, "biolink:publications") == {term("PMID:22222222"), term("isbn:978-0-19-262896-1")}
    assert values(output, 8, "dct:source") == {term("OMIM:100100"), term("ORPHA:900"),
                                               term("https://example.org/book?id=7&part=2")}


@pytest.mark.parametrize(("reference", "slot", "target"), [
    ("ISBN:0-19-262896-8", "biolink:publications", "isbn:0-19-262896-8"),
    ("ISBN-10:0-19-262896-8", "biolink:publications", "isbn:0-19-262896-8"),
    ("http://example.org/x", "dct:source", "http://example.org/x"),
    ("DECIPHER:16", "dct:source", "DECIPHER:16"),
], ids=["ISBN", "ISBN-10", "http-url", "DECIPHER"])
def test_reference_slots(reference: str, slot: str, target: str) -> None:
    assert reference_slots(reference) == (term(slot), term(target))


def test_each_publication_is_typed_once(output: list[Triple]) -> None:
    typed_pubs = Counter(s for s, p, o in output if o == term("biolink:Publication"))
    assert typed_pubs == Counter({term("PMID:11111111"): 1, term("PMID:22222222"): 1,
                                  term("isbn:978-0-19-262896-1"): 1})


def test_biocuration_gives_curators_and_date_span(output: list[Triple]) -> None:
    assert values(output, 8, "dct:contributor") == {term(PROBINSON), term(ORCID), term(SKOEHLER)}
    assert values(output, 8, "dct:created") == {date("2012-01-10")}
    assert values(output, 8, "dct:modified") == {date("2020-05-05")}
    assert values(output, 6, "dct:modified") == set()  # one date: no dct:modified


def test_curator_iris() -> None:
    assert curator_iri("HPO:probinson") == term(PROBINSON)
    assert curator_iri("ORCID:0000-0002-0736-9199") == "<https://orcid.org/0000-0002-0736-9199>"
    assert curator_iri("ORPHA:orphadata") == term(ORPHADATA)


def test_duplicate_rows_merge_into_one_association(output: list[Triple]) -> None:
    nodes = {s for s, p, o in output if p == term("biolink:subject") and o == term("OMIM:200200")}
    assert nodes == {hpoa_assoc(15)} == {hpoa_assoc(16)}
    assert values(output, 15, "dct:created") == {date("2018-02-03")}
    assert values(output, 15, "dct:modified") == {date("2021-06-21")}
    assert values(output, 15, "dct:contributor") == {term(PROBINSON), term(ORCID)}


def test_second_disease_name_becomes_exact_synonym(output: list[Triple]) -> None:
    omim = slots_of(output, term("OMIM:100100"))
    assert (term("rdfs:label"), string("Example syndrome A")) in omim
    assert {o for p, o in omim if p == term("oboInOwl:hasExactSynonym")} == {string("Example syndrome A, variant name")}
    assert {o for p, o in omim if p == term("rdfs:label")} == {string("Example syndrome A")}


def test_name_on_a_merged_duplicate_row_becomes_a_synonym(rows: list[Annotation]) -> None:
    renamed = replace(rows[10], disease_name="Example syndrome D, other name")  # line 16, duplicate of 15
    out = triples(map_annotations([*rows[:10], renamed], source=HPOA))
    assert (term("OMIM:200200"), term("oboInOwl:hasExactSynonym"), string("Example syndrome D, other name")) in out


def test_obsolete_and_alt_hp_ids_are_kept_as_given(output: list[Triple]) -> None:
    assert values(output, 13, "biolink:object") == {term("HP:0000057")}  # obsolete, replaced_by HP:0008665
    assert values(output, 14, "biolink:object") == {term("HP:0004715")}  # alt_id of HP:0000003
    assert (term("DECIPHER:42"), term(HAS_PHENOTYPE), term("HP:0004715")) in output
    assert all(term("HP:0008665") not in t and term("HP:0000003") not in t for t in output)


# --- association IRIs ---------------------------------------------------------------------------

def association_iris(rows: Iterable[Annotation]) -> list[str]:
    return [s for s, p, o in triples(map_annotations(rows)) if p == term("biolink:subject")]


def test_association_iris_have_the_minted_form(output: list[Triple]) -> None:
    iris = {s for s, p, o in output if p == term("biolink:subject")}
    assert len(iris) == len(ASSOCIATIONS)
    assert all(ASSOC_IRI.match(i) for i in iris)


def test_association_iris_are_the_same_on_a_second_run(rows: list[Annotation]) -> None:
    assert association_iris(rows) == association_iris(list(iter_annotations(HPOA)))


def test_association_iris_do_not_depend_on_row_order(rows: list[Annotation]) -> None:
    assert sorted(association_iris(reversed(rows))) == sorted(association_iris(rows))
    assert set(association_iris(rows)) == {hpoa_assoc(line) for line in ASSOCIATIONS}


# --- mapper errors ------------------------------------------------------------------------------

BAD_VALUES = [  # (column, bad cell, value the error reports)
    ("frequency", "5/3", "5/3"),
    ("frequency", "0/0", "0/0"),
    ("frequency", "120%", "120%"),
    ("frequency", "0%", "0%"),
    ("frequency", "often", "often"),
    ("aspect", "X", "X"),
    ("qualifier", "not", "not"),
    ("qualifier", "EXCLUDED", "EXCLUDED"),
    ("sex", "BOTH", "BOTH"),
    ("biocuration", "HPO:probinson", "HPO:probinson"),
    ("biocuration", "HPO:probinson[21-06-2021]", "HPO:probinson[21-06-2021]"),
    ("biocuration", "HPO:probinson[2021-06-21];probinson[2021-06-21]", "probinson[2021-06-21]"),
]


@pytest.mark.parametrize(("column", "bad", "reported"), BAD_VALUES, ids=[f"{c}={b}" for c, b, _ in BAD_VALUES])
def test_unmappable_value_raises_input_error_with_file_and_line(
        tmp_path: Path, column: str, bad: str, reported: str) -> None:
    good, broken = fixture_fields(HPOA, 6), fixture_fields(HPOA, 8)
    broken[COLUMNS.index(column)] = bad
    path = tmp_path / "phenotype.hpoa"
    path.write_text("#version: x\n" + "\t".join(good) + "\n" + "\t".join(broken) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        list(map_annotations(iter_annotations(path), source=path))
    assert (err.value.file, err.value.line, err.value.value) == (path, 3, reported)
    assert str(err.value).startswith(f"{path}:3: ")


def test_bad_biocuration_on_a_duplicate_row_names_that_row(tmp_path: Path) -> None:
    first = fixture_fields(HPOA, 15)
    other = fixture_fields(HPOA, 6)
    duplicate = [*first[:11], "HPO:probinson[2021/06/21]"]
    path = tmp_path / "phenotype.hpoa"
    path.write_text("#version: x\n" + "".join("\t".join(r) + "\n" for r in (first, other, duplicate)),
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        list(map_annotations(iter_annotations(path), source=path))
    assert (err.value.file, err.value.value) == (path, "HPO:probinson[2021/06/21]")
    assert err.value.line == 4


def test_unknown_evidence_code_raises_input_error(rows: list[Annotation]) -> None:
    with pytest.raises(InputError) as err:
        list(map_annotations([replace(rows[0], evidence="XYZ")], source=HPOA))
    assert (err.value.file, err.value.line) == (HPOA, 6)


# --- genes_to_phenotype.txt ---------------------------------------------------------------------

def test_read_gene_diseases_keeps_each_pair_once_at_its_first_line() -> None:
    assert read_gene_diseases(GENES) == [
        GeneDisease("NCBIGene:6647", "SOD1", "OMIM:105400", 2),
        GeneDisease("NCBIGene:6647", "SOD1", "ORPHA:803", 4),
        GeneDisease("NCBIGene:23435", "TARDBP", "OMIM:612069", 5),
    ]


def gene(symbol: str) -> list[tuple[str, str]]:
    return [("rdf:type", "biolink:Gene"), ("rdfs:label", string(symbol)), ("biolink:symbol", string(symbol))]


GENE_PAIRS = [("NCBIGene:6647", "OMIM:105400", "infores:omim"), ("NCBIGene:6647", "ORPHA:803", "infores:orphanet"),
              ("NCBIGene:23435", "OMIM:612069", "infores:omim")]


def expected_genes() -> set[Triple]:
    out = {(term(g), term(p), term(o)) for g, sym in (("NCBIGene:6647", "SOD1"), ("NCBIGene:23435", "TARDBP"))
           for p, o in gene(sym)}
    for g, d, infores in GENE_PAIRS:
        slots = edge("biolink:GeneToDiseaseAssociation", g, "biolink:associated_with", d) + \
            provenance(infores, "ALSKG:source-hpo-genes-to-phenotype-txt") + [("biolink:original_object", string(d))]
        out |= {(genes_assoc(g, d), term(p), term(o)) for p, o in slots}
        out.add((term(g), term("biolink:associated_with"), term(d)))
    return out


def test_map_gene_diseases_is_exactly_the_expected_triples() -> None:
    got = set(triples(map_gene_diseases(read_gene_diseases(GENES))))
    want = expected_genes()
    assert sorted(got - want) == [] and sorted(want - got) == []


def test_map_gene_diseases_types_each_gene_once_and_writes_one_association_per_pair() -> None:
    out = triples(map_gene_diseases(read_gene_diseases(GENES)))
    assert Counter(s for s, p, o in out if o == term("biolink:Gene")) == Counter(
        {term("NCBIGene:6647"): 1, term("NCBIGene:23435"): 1})
    assocs = [s for s, p, o in out if o == term("biolink:GeneToDiseaseAssociation")]
    assert sorted(assocs) == sorted(genes_assoc(g, d) for g, d, _ in GENE_PAIRS)
    assert all(ASSOC_IRI.match(a) for a in assocs)
