"""`alskg diff`: GARD page vs HPO release, on small fixtures and on the real ALS pair."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from alskg.diff import Difference, _pair, compare, frequency_term, to_json, to_tsv
from alskg.sources.table_records import PhenotypeRow
from alskg.model import Ontology, OntologyTerm
from alskg.sources.curated import read_curated
from alskg.sources.hpoa import Annotation, iter_annotations
from alskg.sources.obo import read_obo

from .conftest import DATA

GOLDEN = Path(__file__).parent / "golden" / "diff" / "als.tsv"


@pytest.mark.parametrize(
    ("value", "term"),
    [("HP:0040283", "HP:0040283"), ("1/1", "HP:0040280"), ("9/10", "HP:0040281"), ("1/2", "HP:0040282"),
     ("1/10", "HP:0040283"), ("1/50", "HP:0040284"), ("0/7", "HP:0040285"), ("25%", "HP:0040283"),
     ("100%", "HP:0040280"), ("", ""), ("often", "")],
)
def test_frequency_binning(value: str, term: str) -> None:
    assert frequency_term(value) == term


ONTOLOGY = Ontology(
    version="test",
    terms={
        "HP:0000001": OntologyTerm("HP:0000001", "Current label"),
        "HP:0000002": OntologyTerm("HP:0000002", "Old thing", obsolete=True, replaced_by=["HP:0000001"]),
        "HP:0000003": OntologyTerm("HP:0000003", "Primary", alt_ids=["HP:0000099"]),
    },
    alt_index={"HP:0000099": "HP:0000003"},
)


def ann(hp: str, frequency: str = "", qualifier: str = "") -> Annotation:
    return Annotation(1, "ORPHA:1", "X", qualifier, hp, "ORPHA:1", "TAS", "", frequency, "", "", "P", "HPO:x[2020-01-01]")


def page(hp: str, label: str, band: str, term: str) -> PhenotypeRow:
    return PhenotypeRow(disease="MONDO:1", phenotype=hp, page_label=label, frequency_band=band, frequency=term,
                        source="gard:symptoms", refs="")


def kinds(found: list[Difference]) -> list[str]:
    return sorted(d.kind for d in found)


@pytest.mark.parametrize(
    ("row", "anns", "expected"),
    [
        (page("HP:0000001", "Current label", "5%-29%", "HP:0040283"), [ann("HP:0000001", "HP:0040283")], []),
        (page("HP:0000001", "Current label", "5%-29%", "HP:0040283"), [ann("HP:0000001", "HP:0040284")],
         ["frequency-changed"]),
        (page("HP:0000001", "Current label", "5%-29%", "HP:0040283"), [ann("HP:0000001", "2/10")], []),
        (page("HP:0000001", "Current label", "not available", ""), [ann("HP:0000001", "HP:0040282")],
         ["frequency-changed"]),
        (page("HP:0000001", "Current label", "30%-79%", "HP:0040282"), [], ["only-on-page"]),
        (None, [ann("HP:0000001", "HP:0040282")], ["only-in-release"]),
        (page("HP:0000001", "Current label", "30%-79%", "HP:0040282"), [ann("HP:0000001", qualifier="NOT")],
         ["negated-in-release"]),
        (page("HP:0000001", "Older label", "30%-79%", "HP:0040282"), [ann("HP:0000001", "HP:0040282")],
         ["label-changed"]),
        (page("HP:0000002", "Old thing", "30%-79%", "HP:0040282"), [], ["obsolete", "only-on-page"]),
        (page("HP:0000099", "Primary", "30%-79%", "HP:0040282"), [], ["only-on-page", "replaced"]),
    ],
    ids=["same", "frequency-changed", "n/m-in-same-band", "band-added", "only-on-page", "only-in-release",
         "negated", "label-changed", "obsolete", "alt-id"],
)
def test_pair_rules(row: PhenotypeRow | None, anns: list[Annotation], expected: list[str]) -> None:
    hp = row["phenotype"] if row else anns[0].hpo_id
    assert kinds(_pair("MONDO:1", "ORPHA:1", hp, row, anns, ONTOLOGY)) == expected


def test_obsolete_detail_suggests_replacement() -> None:
    found = _pair("MONDO:1", "ORPHA:1", "HP:0000002", page("HP:0000002", "Old thing", "100%", "HP:0040280"),
                  [], ONTOLOGY)
    assert any("replaced by HP:0000001" in d.detail for d in found)


@pytest.fixture(scope="module")
def real(hpo_dir: Path) -> list[Difference]:
    return compare(read_curated(DATA), iter_annotations(hpo_dir / "phenotype.hpoa"), read_obo(hpo_dir / "hp.obo"))


def test_real_als_differences(real: list[Difference]) -> None:
    by = {(d.phenotype, d.kind): d for d in real}
    laryngospasm = by[("HP:0025425", "frequency-changed")]
    assert (laryngospasm.page_frequency, laryngospasm.release_frequency) == ("HP:0040283", "HP:0040284")
    depression = by[("HP:0000716", "label-changed")]
    assert (depression.page_label, depression.release_label) == ("Depressivity", "Depression")
    assert {d.release_disease for d in real} == {"ORPHA:803"}


def test_real_als_golden(real: list[Difference]) -> None:
    assert to_tsv(real) == GOLDEN.read_text(encoding="utf-8"), "run `alskg diff --format tsv > tests/golden/diff/als.tsv`"


def test_json_counts(real: list[Difference]) -> None:
    doc = json.loads(to_json(real))
    assert doc["counts"]["frequency-changed"] == 3
    assert doc["counts"]["label-changed"] == 1
    assert len(doc["differences"]) == len(real)


def test_cli_writes_tsv_and_json(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "alskg", "diff", "--data-dir", str(DATA), "--out",
                           str(tmp_path / "d.tsv"), "--out", str(tmp_path / "d.json")],
                          capture_output=True, text=True, check=True)
    assert proc.stdout.startswith("GARD page vs HPO release: 3 frequency-changed")
    assert (tmp_path / "d.tsv").read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")
    assert json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))["counts"]["only-in-release"] == 27
