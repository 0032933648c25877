"""Knowledge kept in one place (issue 8 §5): the HPOA row type, coded values, provenance slots."""

from __future__ import annotations

import pytest

from alskg import vocab
from alskg.errors import InputError
from alskg.rdf import hpoa as hpoa_mapper
from alskg.rdf import terms as t
from alskg.rdf.provenance import provenance_slots
from alskg.sources import hpoa
from alskg.sources.tables import TABLES
from alskg.submission.records import SubmittedRow

ROW = ["ORPHA:803", "Amyotrophic lateral sclerosis", "NOT", "HP:0002015", "PMID:1;ORPHA:803", "TAS", "",
       "HP:0040281", "MALE", "HP:0012828", "P", "HPO:probinson[2020-01-01]"]


def test_annotation_from_row_and_key() -> None:
    row = hpoa.Annotation.from_row(7, ROW)
    assert (row.line, row.database_id, row.biocuration) == (7, "ORPHA:803", "HPO:probinson[2020-01-01]")
    assert row.key == ("ORPHA:803", "NOT", "HP:0002015", "PMID:1;ORPHA:803", "TAS", "", "HP:0040281", "MALE",
                       "HP:0012828", "P")
    assert row.key == tuple(getattr(row, c) for c in hpoa.KEY_COLUMNS)
    assert hpoa_mapper.annotation_key(row) == row.key


def test_annotation_from_row_refuses_a_short_row() -> None:
    with pytest.raises(InputError, match="expected 12 tab-separated fields, found 11") as caught:
        hpoa.Annotation.from_row(3, ROW[:11])
    assert caught.value.line == 3


def test_a_submitted_row_has_the_annotation_key() -> None:
    row = SubmittedRow(5, list(ROW), list(ROW))
    assert row.annotation() == hpoa.Annotation.from_row(5, ROW)
    assert row.key() == hpoa.Annotation.from_row(5, ROW).key


def test_coded_values_agree_with_the_mappers_and_the_table() -> None:
    assert hpoa.EVIDENCE_CODES == tuple(vocab.EVIDENCE_ECO) == tuple(hpoa_mapper.EVIDENCE)
    assert hpoa.ASPECT_CODES == tuple(hpoa_mapper.ASPECTS)
    assert hpoa.SEXES == tuple(hpoa_mapper.SEX)
    spec = TABLES["submitted_annotations"]
    assert spec.columns == (*hpoa.COLUMNS, "submission")
    assert set(spec.key) == set(hpoa.KEY_COLUMNS)


def test_provenance_slots() -> None:
    source = t.curie("ALSKG:source-hpo-phenotype-hpoa")
    assert provenance_slots("infores:orphanet", vocab.HPO_ANNOTATIONS_INFORES, (source,)) == (
        ("<https://w3id.org/biolink/vocab/primary_knowledge_source>",
         "<https://w3id.org/information-resource-registry/orphanet>"),
        ("<https://w3id.org/biolink/vocab/aggregator_knowledge_source>",
         "<https://w3id.org/information-resource-registry/hpo-annotations>"),
        ("<https://w3id.org/biolink/vocab/knowledge_level>", "<https://w3id.org/biolink/vocab/knowledge_assertion>"),
        ("<https://w3id.org/biolink/vocab/agent_type>", "<https://w3id.org/biolink/vocab/manual_agent>"),
        ("<http://www.w3.org/ns/prov#wasDerivedFrom>", source),
    )
    assert [p for p, _ in provenance_slots(vocab.GARD_INFORES)] == [
        t.bl("primary_knowledge_source"), t.bl("knowledge_level"), t.bl("agent_type")]
