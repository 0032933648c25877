"""Issue 10: source defects and the KGX extraction's cost at full scope.

HPO 2025-01-16 cites ``PMID:20037588P`` (phenotype.hpoa line 27134), a PubMed id with a letter:
as a ``biolink:publications`` IRI it is a SHACL violation that refused every full-scope release.
The mapper keeps it out of the publications, as the literal the source wrote, and the release
counts and lists it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from alskg.biolink import load_schema
from alskg.rdf.hpoa import MALFORMED_REFERENCE, map_annotations, reference_slots
from alskg.release import source_defects
from alskg.release.kgx import extract
from alskg.sources.hpoa import COLUMNS, iter_annotations
from alskg.validate import validate_store

BL = "https://w3id.org/biolink/vocab/"
#: the release's row, as HPO wrote it (line 27134 of phenotype.hpoa 2025-01-16)
ROW = ("OMIM:606071", "Hereditary motor and sensory neuropathy, type IIC", "", "HP:0000006", "PMID:20037588P",
       "PCS", "", "", "", "", "I", "HPO:iea[2009-02-17];HPO:probinson[2022-11-08]")


def _mapped(tmp_path: Path, reference: str) -> list[str]:
    path = tmp_path / "phenotype.hpoa"
    row = "\t".join((*ROW[:4], reference, *ROW[5:]))
    path.write_text("#version: 2025-01-16\n" + "\t".join(COLUMNS) + "\n" + row + "\n", encoding="utf-8")
    return [f"{s} {p} {o} ." for s, slots in map_annotations(iter_annotations(path), source=path) for p, o in slots]


def test_malformed_pmid_20037588P_is_kept_as_written_not_as_a_publication(tmp_path: Path) -> None:
    lines = _mapped(tmp_path, "PMID:20037588P")
    assert not [line for line in lines if f"<{BL}publications>" in line or "pubmed/20037588" in line]
    assert [line.split(" ", 1)[1] for line in lines if MALFORMED_REFERENCE in line] == [
        f'{MALFORMED_REFERENCE} "PMID:20037588P" .']
    store = ox.Store()
    store.bulk_load(input="\n".join(lines).encode(), format=ox.RdfFormat.N_TRIPLES)
    report = validate_store(store)  # the lone row lacks its disease and HP nodes: look at the reference only
    assert not [f for f in report.findings if "20037588" in f.focus or "publications" in f.path]


def test_a_well_formed_pmid_is_still_a_publication(tmp_path: Path) -> None:
    lines = _mapped(tmp_path, "PMID:20037588")
    assert [line.split(" ", 1)[1] for line in lines if f"<{BL}publications>" in line] == [
        f"<{BL}publications> <http://www.ncbi.nlm.nih.gov/pubmed/20037588> ."]
    assert not [line for line in lines if MALFORMED_REFERENCE in line]


def test_malformed_isbn_is_kept_as_written() -> None:
    assert reference_slots("ISBN:0-19-26289x-8") == (MALFORMED_REFERENCE, '"ISBN:0-19-26289x-8"')
    assert reference_slots("PMID:") == (MALFORMED_REFERENCE, '"PMID:"')


def test_release_lists_the_malformed_reference(tmp_path: Path) -> None:
    store = ox.Store()
    store.bulk_load(input="\n".join(_mapped(tmp_path, "PMID:20037588P")).encode(), format=ox.RdfFormat.N_TRIPLES)
    twin = extract(store, load_schema())
    defects = source_defects(twin)
    assert [(d.reference, d.original_subject, d.object) for d in defects] == [
        ("PMID:20037588P", "OMIM:606071", "HP:0000006")]
    assert defects[0].edge.startswith("ALSKG:assoc-")


class _CountingStore:
    """A store that records which of its methods are called."""

    def __init__(self, store: ox.Store) -> None:
        self.store, self.calls = store, []

    def __getattr__(self, name: str) -> object:
        self.calls.append(name)
        return getattr(self.store, name)


def test_kgx_extraction_reads_the_store_once_whatever_its_size() -> None:
    mondo, hp = "http://purl.obolibrary.org/obo/MONDO_", "http://purl.obolibrary.org/obo/HP_"
    for n in (1, 200):
        lines = [f"<{mondo}0004976> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{BL}Disease> ."]
        for i in range(n):
            a, phenotype = f"<https://w3id.org/alskg/id/assoc-{i}>", f"<{hp}{i:07d}>"
            lines += [f"{a} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                      f"<{BL}DiseaseToPhenotypicFeatureAssociation> .",
                      f"{a} <{BL}subject> <{mondo}0004976> .", f"{a} <{BL}predicate> <{BL}has_phenotype> .",
                      f"{a} <{BL}object> {phenotype} .",
                      f"{phenotype} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{BL}PhenotypicFeature> ."]
        store = ox.Store()
        store.bulk_load(input="\n".join(lines).encode(), format=ox.RdfFormat.N_TRIPLES)
        counting = _CountingStore(store)
        twin = extract(counting, load_schema())  # type: ignore[arg-type]
        assert (len(twin.edges.rows), len(twin.nodes.rows)) == (n, n + 1)
        assert counting.calls == ["dump"]
