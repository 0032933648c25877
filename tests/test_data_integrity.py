"""Integrity of the curated tables against the HPO release and MONDO's mappings.

Each check names the table, line and what to change.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from alskg.model import Ontology
from alskg.sources.curated import CuratedData, read_curated
from alskg.sources.obo import read_obo
from alskg.sources.tables import TABLES, canonical_text, split_multi

from .conftest import DATA


@pytest.fixture(scope="module")
def data() -> CuratedData:
    return read_curated(DATA)


@pytest.fixture(scope="module")
def hpo(hpo_dir: Path) -> Ontology:
    return read_obo(hpo_dir / "hp.obo")


def _hp_cells(data: CuratedData) -> Iterator[tuple[str, str, str]]:
    for table, rows in data.tables.items():
        for column in TABLES[table].curie_columns:
            for row in rows:
                if row[column].startswith("HP:"):
                    yield f"{table}.tsv:{row['__line__']} {column}", row[column], row.get("page_label", "")


@pytest.mark.parametrize("name", sorted(TABLES))
def test_tables_are_canonical(name: str, data: CuratedData) -> None:
    spec = TABLES[name]
    text = (DATA / spec.filename).read_text(encoding="utf-8")
    assert text == canonical_text(spec, data[name]), f"{spec.filename} is not canonical: run `alskg data lint --fix`"


def test_counts_of_the_page(data: CuratedData) -> None:
    roles = [row["role"] for row in data["diseases"]]
    assert roles.count("disease") == 1
    assert roles.count("subtype") == 13  # ALS types 1-11, juvenile ALS, progressive bulbar palsy
    assert len(data["phenotypes"]) == 27  # 29 rows of the symptom table minus 2 inheritance rows
    page_modes = {row["mode"] for row in data["inheritance"] if row["disease"] == "MONDO:0004976"}
    assert page_modes == {"HP:0000006", "HP:0000007", "HP:0001423", "HP:0003829"}
    assert len(data["publications"]) == 8
    assert {row["id"] for row in data["drugs"] if row["kind"] == "drug"} == {"ALSKG:drug-riluzole",
                                                                                "ALSKG:drug-edaravone"}


def test_every_hp_id_is_current(data: CuratedData, hpo: Ontology) -> None:
    problems = []
    for where, term_id, _ in _hp_cells(data):
        term = hpo.terms.get(term_id)
        if term is None:
            primary = hpo.primary_id(term_id)
            problems.append(f"{where}: {term_id} is not in hp.obo" + (f"; use {primary}" if primary else ""))
        elif term.obsolete:
            problems.append(f"{where}: {term_id} is obsolete; replaced by {term.replaced_by or term.consider}")
    assert not problems, "\n".join(problems)


def test_label_differences_are_reported_not_replaced(data: CuratedData, hpo: Ontology) -> None:
    """The page's 2020 labels are kept; those that differ from HPO 2025-01-16 are exactly these."""
    differ = {
        row["phenotype"]: (row["page_label"], hpo.terms[row["phenotype"]].label)
        for row in data["phenotypes"]
        if row["page_label"] != hpo.terms[row["phenotype"]].label
    }
    assert differ == {"HP:0000716": ("Depressivity", "Depression")}


def test_frequency_terms_are_hpo_frequencies(data: CuratedData, hpo: Ontology) -> None:
    bands = {"100%": "HP:0040280", "80%-99%": "HP:0040281", "30%-79%": "HP:0040282", "5%-29%": "HP:0040283",
             "not available": ""}
    for row in data["phenotypes"]:
        assert row["frequency"] == bands[row["frequency_band"]], f"phenotypes.tsv:{row['__line__']}"
        if row["frequency"]:
            assert hpo.is_under(row["frequency"], "HP:0040279"), row["frequency"]


def test_modes_of_inheritance_are_under_hp_0000005(data: CuratedData, hpo: Ontology) -> None:
    for row in data["inheritance"]:
        assert hpo.is_under(row["mode"], "HP:0000005"), f"inheritance.tsv:{row['__line__']}: {row['mode']}"


def test_genes_come_from_the_release(data: CuratedData, hpo_dir: Path) -> None:
    pairs: dict[str, str] = {}
    with (hpo_dir / "genes_to_phenotype.txt").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            pairs[f"NCBIGene:{row['ncbi_gene_id']}"] = row["gene_symbol"]
    for row in data["genes"]:
        where = f"genes.tsv:{row['__line__']}"
        assert pairs.get(row["gene"]) == row["symbol"], f"{where}: {row['gene']} {row['symbol']} not in release"


def _sssom(mondo_dir: Path) -> set[tuple[str, str, str]]:
    out = set()
    for path in mondo_dir.glob("*.sssom.tsv"):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
        for row in csv.DictReader(lines, delimiter="\t"):
            prefix, _, local = row["object_id"].partition(":")
            prefix = {"Orphanet": "ORPHA", "mesh": "MESH"}.get(prefix, prefix)
            out.add((row["subject_id"], row["predicate_id"], f"{prefix}:{local}"))
    return out


def test_cross_references_agree_with_mondo(data: CuratedData, mondo_dir: Path) -> None:
    mappings = _sssom(mondo_dir)
    problems = []
    for row in data["xrefs"]:
        if row["predicate"] == "skos:closeMatch":
            # a close match must be an exact match of a disease we hold
            holders = {s for s, p, o in mappings if o == row["object"]}
            ok = bool(holders & {r["id"] for r in data["diseases"]})
        else:
            ok = (row["subject"], row["predicate"], row["object"]) in mappings
        if not ok:
            problems.append(f"xrefs.tsv:{row['__line__']}: {row['subject']} {row['predicate']} {row['object']} "
                            "is not in MONDO's SSSOM files")
    assert not problems, "\n".join(problems)


def test_every_mondo_mapping_of_our_diseases_is_curated(data: CuratedData, mondo_dir: Path) -> None:
    ours = {row["id"] for row in data["diseases"]}
    have = {(row["subject"], row["object"]) for row in data["xrefs"]}
    missing = sorted(f"{s} {p} {o}" for s, p, o in _sssom(mondo_dir) if s in ours and (s, o) not in have)
    assert not missing, "add to xrefs.tsv:\n" + "\n".join(missing)


def test_mondo_sources_are_cited_for_mondo_ids(data: CuratedData) -> None:
    for row in data["diseases"]:
        if row["id"].startswith("MONDO:"):
            assert any(s.startswith("mondo:") for s in split_multi(row["source"])), f"diseases.tsv:{row['__line__']}"


def _mondo_files_by_subject(mondo_dir: Path) -> dict[str, set[str]]:
    files: dict[str, set[str]] = {}
    for path in mondo_dir.glob("*.sssom.tsv"):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
        for row in csv.DictReader(lines, delimiter="\t"):
            files.setdefault(row["subject_id"], set()).add(f"mondo:{path.name}")
    return files


def test_disease_sources_name_every_mondo_file_of_their_id(data: CuratedData, mondo_dir: Path) -> None:
    """A disease row's ``mondo:`` sources are exactly the SSSOM files in which its id is a subject."""
    files = _mondo_files_by_subject(mondo_dir)
    problems = []
    for row in data["diseases"]:
        cited = {s for s in split_multi(row["source"]) if s.startswith("mondo:")}
        want = files.get(row["id"], set())
        if cited != want:
            problems.append(f"diseases.tsv:{row['__line__']} {row['id']}: add {sorted(want - cited)}, "
                            f"remove {sorted(cited - want)}")
    assert not problems, "\n".join(problems)


def test_no_close_match_from_als_to_the_omim_phenotypic_series(data: CuratedData) -> None:
    """MONDO maps OMIMPS:105400 to familial ALS only; ALS itself must not claim it (regression)."""
    assert not [row for row in data["xrefs"] if row["object"] == "OMIMPS:105400" and row["subject"] != "MONDO:0005144"]


def test_hedged_page_statements_keep_their_hedge(data: CuratedData) -> None:
    """'Death often results … within 2 to 10 years': the hedge is part of the fact (regression)."""
    hedges = {row["id"]: row["hedge"] for row in data["characteristics"]}
    assert hedges["survival-after-onset"] == hedges["cause-of-death"] == "often"
    assert {hedges[f"mode-share-{m}"] for m in ("autosomal-dominant", "autosomal-recessive", "x-linked-dominant")} \
        == {"most", "less-frequently", "rarely"}


def test_every_page_reference_is_cited(data: CuratedData) -> None:
    """Each entry of the page's reference list is cited by at least one row (reference 5 was not)."""
    cited = {ref for rows in data.tables.values() for row in rows for ref in split_multi(row.get("refs", ""))}
    assert cited == {row["ref"] for row in data["publications"]}
