"""Issue 9, points 9-11: input built to crash, exhaust or fool the readers.

One regression test per bug, named for what broke, the input generated in ``tmp_path``. Each
CLI case runs a real process and expects exit 2, exactly one line on stderr and no traceback.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from alskg import vocab
from alskg.errors import InputError, UsageError
from alskg.queries import Param, to_term
from alskg.rdf_guard import MAX_TOKEN_BYTES
from alskg.store import load_files
from alskg.submission.check import CheckOptions, check_submission, read_submission
from alskg.submission.merge import submit

from ..conftest import DATA
from ..test_cli import alskg, assert_one_line_error
from ..test_submission_support import TODAY, reference

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
HEADER = ("database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier"
          "\taspect\tbiocuration")
#: the fixtures' clean ALS row: ORPHA:803, Fasciculations, PMID:24562058, PCS, 12/20
ROW = dict(database_id="ORPHA:803", disease_name="Amyotrophic lateral sclerosis", qualifier="",
           hpo_id="HP:0002380", reference="PMID:24562058", evidence="PCS", onset="", frequency="12/20", sex="",
           modifier="", aspect="P", biocuration="HPO:jdoe[2025-03-01]")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def billion_laughs(levels: int = 10) -> str:
    """RDF/XML whose one literal expands to 10**levels characters through nested entities."""
    entities = ['<!ENTITY e0 "ha">'] + [f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, levels)]
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{chr(10).join(entities)}\n]>\n'
            f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://example.org/">\n'
            f'  <rdf:Description rdf:about="http://example.org/s"><ex:p>&e{levels - 1};</ex:p></rdf:Description>\n'
            "</rdf:RDF>\n")


# -- 9. billion laughs ----------------------------------------------------------------------
def test_billion_laughs_rdfxml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "laughs.rdf"
    path.write_text(billion_laughs(), encoding="utf-8")
    assert path.stat().st_size < 1200
    assert_one_line_error(alskg("validate", path), "laughs.rdf:3:", "declares the entity 'e0'", "refused")


def test_billion_laughs_in_utf16_rdfxml_is_refused(tmp_path: Path) -> None:
    """The XML parser reads the declared encoding: a byte pattern would miss UTF-16."""
    path = tmp_path / "laughs.xml"
    path.write_bytes(billion_laughs().replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16"))
    with pytest.raises(InputError, match="declares the entity 'e0'"):
        load_files([path])


def test_parameter_entity_rdfxml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "param.rdf"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY % p "x"> ]>\n'
                    f'<rdf:RDF xmlns:rdf="{RDF_NS}"/>\n', encoding="utf-8")
    with pytest.raises(InputError, match="declares the parameter entity 'p'"):
        load_files([path])


def test_entity_declaration_inside_a_comment_is_not_refused(tmp_path: Path) -> None:
    """The decision is the XML parser's: a declaration commented out is not one."""
    path = tmp_path / "commented.rdf"
    path.write_text(f'<?xml version="1.0"?>\n<!-- <!ENTITY e0 "ha"> -->\n'
                    f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://example.org/">\n'
                    '  <rdf:Description rdf:about="http://example.org/s"><ex:p>ok</ex:p></rdf:Description>\n'
                    "</rdf:RDF>\n", encoding="utf-8")
    store = load_files([path])
    assert [str(q.object) for q in store] == ['"ok"']


# -- 10. terms over 16 MiB ------------------------------------------------------------------
def _long_literal(path: Path) -> Path:
    with path.open("w", encoding="ascii") as handle:
        handle.write('<http://example.org/s> <http://example.org/p> "')
        handle.write("x" * (MAX_TOKEN_BYTES + 1024))
        handle.write('" .\n')
    return path


def test_token_over_16mib_gives_one_line(tmp_path: Path) -> None:
    assert_one_line_error(alskg("validate", _long_literal(tmp_path / "long.nt")), "long.nt:", "longer than 16 MiB")


def test_token_over_16mib_in_a_checked_submission_gives_one_line(tmp_path: Path) -> None:
    assert_one_line_error(alskg("check", _long_literal(tmp_path / "long.ttl")), "long.ttl:", "longer than 16 MiB")


def test_iri_over_16mib_gives_one_line(tmp_path: Path) -> None:
    path = tmp_path / "long-iri.ttl"
    path.write_text(f"<http://example.org/{'a' * (MAX_TOKEN_BYTES + 1)}> <http://example.org/p> 1 .\n",
                    encoding="ascii")
    with pytest.raises(InputError, match="longer than 16 MiB"):
        load_files([path])


def test_twenty_million_digit_pmid_refused_by_submit(tmp_path: Path) -> None:
    """Such a PMID once passed every rule, was merged, and broke every later build."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    before = {name: (data / name).read_bytes() for name in ("submissions.tsv", "submitted_annotations.tsv")}
    path = tmp_path / "submission.tsv"
    path.write_text(HEADER + "\n" + "\t".join({**ROW, "reference": "PMID:" + "1" * 20_000_000}.values()) + "\n",
                    encoding="utf-8")
    result = submit(path, data, reference(), CheckOptions(shacl="never", today=TODAY))
    assert result.status == "refused"
    assert [(f.rule, f.field) for f in result.report.findings] == [("HPOA-STRUCT-LENGTH", "reference")]
    assert {name: (data / name).read_bytes() for name in before} == before


def test_eleven_digit_pmid_is_not_a_pmid(tmp_path: Path) -> None:
    pmid = "PMID:12345678901"
    assert ("HPOA-VALUE-REFERENCE", "reference", pmid) in _findings(tmp_path, reference=pmid)


# -- 11. non-ASCII digits, invisible characters ----------------------------------------------
def _findings(tmp_path: Path, **values: str) -> set[tuple[str, str, str]]:
    """(rule, field, value) of every finding of a one-row HPOA submission, the SHACL pass off."""
    row = {**ROW, **values}
    path = tmp_path / "submission.tsv"
    path.write_text(HEADER + "\n" + "\t".join(row.values()) + "\n", encoding="utf-8")
    submission = read_submission(path, path.read_bytes(), "hpoa")
    report = check_submission(submission, reference(), CheckOptions(shacl="never", today=TODAY))
    return {(f.rule, f.field, f.value) for f in report.findings}


def test_clean_row_has_no_finding(tmp_path: Path) -> None:
    """The row the other tests vary is clean, so each finding below is the digits' alone."""
    assert _findings(tmp_path) == set()


def test_fullwidth_digits_rejected_as_pmid(tmp_path: Path) -> None:
    pmid = "PMID:" + "24562058".translate(FULLWIDTH)
    assert ("HPOA-VALUE-REFERENCE", "reference", pmid) in _findings(tmp_path, reference=pmid)


def test_arabic_indic_digits_rejected_as_orpha_id(tmp_path: Path) -> None:
    orpha = "ORPHA:" + "803".translate(ARABIC_INDIC)
    assert ("HPOA-ID-CURIE", "database_id", orpha) in _findings(tmp_path, database_id=orpha)


def test_fullwidth_digits_rejected_in_orcid(tmp_path: Path) -> None:
    curation = "ORCID:" + "0000-0002-1825-0097".translate(FULLWIDTH) + "[2025-03-01]"
    assert ("HPOA-VALUE-BIOCURATION", "biocuration", curation) in _findings(tmp_path, biocuration=curation)


def test_arabic_indic_digits_rejected_as_frequency(tmp_path: Path) -> None:
    frequency = "12/20".translate(ARABIC_INDIC)
    assert ("HPOA-VALUE-FREQUENCY", "frequency", frequency) in _findings(tmp_path, frequency=frequency)


def test_fullwidth_digits_rejected_as_hp_id(tmp_path: Path) -> None:
    term = "HP:" + "0002380".translate(FULLWIDTH)
    assert ("HPOA-ID-CURIE", "hpo_id", term) in _findings(tmp_path, hpo_id=term)


def test_fullwidth_digits_rejected_in_curation_date(tmp_path: Path) -> None:
    curation = "HPO:jdoe[" + "2025-03-01".translate(FULLWIDTH) + "]"
    assert ("HPOA-VALUE-BIOCURATION", "biocuration", curation) in _findings(tmp_path, biocuration=curation)


def test_non_ascii_digits_are_not_a_curie() -> None:
    """CURIE handling (curated tables, parameters, the mapper) never mints an IRI from them."""
    with pytest.raises(InputError, match="malformed CURIE"):
        vocab.expand("HP:" + "0002380".translate(FULLWIDTH))
    assert not vocab.is_curie("ORPHA:" + "803".translate(ARABIC_INDIC))


@pytest.mark.parametrize("kind, value", [("integer", "12".translate(FULLWIDTH)),
                                         ("decimal", "1.5".translate(ARABIC_INDIC))])
def test_non_ascii_digits_rejected_as_query_parameter(kind: str, value: str) -> None:
    with pytest.raises(UsageError, match="ASCII digits"):
        to_term(Param("n", kind, "1", ""), value)


def test_huge_exponent_rejected_as_decimal_parameter() -> None:
    """``Decimal("1e999999999")`` formatted as a plain decimal is a billion characters."""
    with pytest.raises(UsageError, match="no exponent"):
        to_term(Param("n", "decimal", "1", ""), "1e999999999")


def test_zero_width_space_in_a_value_is_a_finding(tmp_path: Path) -> None:
    curation = "HPO:jdoe\u200b[2025-03-01]"
    assert _findings(tmp_path, biocuration=curation) == {
        ("HPOA-STRUCT-INVISIBLE", "biocuration", "HPO:jdoe\\u200b[2025-03-01]")}


def test_bidi_override_in_a_value_is_a_finding(tmp_path: Path) -> None:
    name = "Amyotrophic lateral \u202esisorelcs"
    assert ("HPOA-STRUCT-INVISIBLE", "disease_name", "Amyotrophic lateral \\u202esisorelcs") in _findings(
        tmp_path, disease_name=name)


def test_newline_in_an_rdf_literal_is_a_finding(tmp_path: Path) -> None:
    """RDF input can carry a control character inside a literal, which a TSV line cannot."""
    path = tmp_path / "submission.ttl"
    path.write_text(
        "@prefix biolink: <https://w3id.org/biolink/vocab/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<http://purl.obolibrary.org/obo/HP_0002380> rdfs:label \"Fascicu\\nlations\" .\n"
        "[] a biolink:DiseaseToPhenotypicFeatureAssociation ;\n"
        "   biolink:subject <http://www.orpha.net/ORDO/Orphanet_803> ;\n"
        "   biolink:object <http://purl.obolibrary.org/obo/HP_0002380> .\n", encoding="utf-8")
    submission = read_submission(path, path.read_bytes(), "ttl")
    report = check_submission(submission, reference(), CheckOptions(shacl="never", today=TODAY))
    assert ("HPOA-STRUCT-INVISIBLE", "hpo_label", "Fascicu\\nlations") in {
        (f.rule, f.field, f.value) for f in report.findings}


def test_ox_parser_still_expands_entities() -> None:
    """Why the guard exists: pyoxigraph's RDF/XML parser expands internal entities itself."""
    doc = billion_laughs(levels=2).encode("utf-8")
    literal = next(iter(ox.parse(doc, format=ox.RdfFormat.RDF_XML))).object
    assert literal.value == "ha" * 10
