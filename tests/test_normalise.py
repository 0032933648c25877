"""One node per disease (ADR 10): the pinned MONDO input, its reader, cliques, and the built graph."""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from collections import Counter
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

from alskg.build import BuildResult, build
from alskg.download import fetch_mondo_release
from alskg.errors import InputError
from alskg.mondo import MONDO_FILES, content_sha256, describe, packaged_mondo_dir, read_manifest
from alskg.rdf.cliques import load_cliques
from alskg.rdf.hpoa import map_annotations, map_gene_diseases
from alskg.sources.genes import GeneDisease
from alskg.sources.hpoa import Annotation
from alskg.sources.sssom import Mapping, iter_mappings, read_header

from .conftest import DATA

BL = "https://w3id.org/biolink/vocab/"
MONDO = "http://purl.obolibrary.org/obo/MONDO_"
OMIM = "http://purl.obolibrary.org/obo/OMIM_"
PREFIXES = (f"PREFIX biolink: <{BL}> PREFIX MONDO: <{MONDO}> PREFIX HP: <http://purl.obolibrary.org/obo/HP_> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX prov: <http://www.w3.org/ns/prov#> "
            "PREFIX oio: <http://www.geneontology.org/formats/oboInOwl#> PREFIX dct: <http://purl.org/dc/terms/> "
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX alskg: <https://w3id.org/alskg/vocab/> ")
HEADER = ("# curie_map:\n#   MONDO: http://purl.obolibrary.org/obo/MONDO_\n"
          "# license: https://creativecommons.org/publicdomain/zero/1.0/\n"
          "# mapping_set_version: http://purl.obolibrary.org/obo/mondo/releases/2026-08-04/mappings/{name}\n")


def ask(store: ox.Store, query: str) -> list[ox.QuerySolution]:
    return list(store.query(PREFIXES + query))


@pytest.fixture(scope="module")
def store(built: BuildResult) -> ox.Store:
    return ox.Store.read_only(str(built.files["store"]))


@pytest.fixture(scope="module")
def cliques():  # type: ignore[no-untyped-def]
    return load_cliques(packaged_mondo_dir())


def write_sets(folder: Path, rows: dict[str, list[str]]) -> Path:
    """Six mapping sets in ``folder``: the given rows (tab-joined lines) or none."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in MONDO_FILES:
        body = "subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification\n"
        body += "".join(f"{line}\n" for line in rows.get(name, []))
        (folder / name).write_text(HEADER.format(name=name) + body, encoding="utf-8")
    return folder


def row(disease: str, name: str, hpo: str = "HP:0001250") -> Annotation:
    return Annotation(7, disease, name, "", hpo, "PMID:1", "PCS", "", "", "", "", "P", "HPO:probinson[2020-01-01]")


# --- the pinned input ---------------------------------------------------------------------------

def test_shipped_mapping_sets_match_their_manifest() -> None:
    folder = packaged_mondo_dir()
    manifest = read_manifest(folder)
    assert manifest is not None
    assert (manifest["version"], manifest["license"]) == ("2026-08-04",
                                                        "https://creativecommons.org/publicdomain/zero/1.0/")
    assert sorted(manifest["files"]) == sorted(MONDO_FILES)  # type: ignore[arg-type]
    for name, entry in manifest["files"].items():  # type: ignore[union-attr]
        gz = folder / entry["file"]
        assert hashlib.sha256(gz.read_bytes()).hexdigest() == entry["sha256_gz"], name
        assert content_sha256(gz) == entry["sha256"], name
        assert entry["source"] == f"http://purl.obolibrary.org/obo/mondo/releases/2026-08-04/mappings/{name}"
        with gz.open("rb") as handle:  # deterministic gzip: no file name, time stamp 0
            head = handle.read(10)
        assert head[3] & 0x08 == 0 and head[4:8] == b"\0\0\0\0", name


def test_shipped_copy_is_the_reference_unedited(mondo_dir: Path) -> None:
    """Curation check against ../shared/reference (skipped when absent)."""
    for name in MONDO_FILES:
        assert gzip.decompress((packaged_mondo_dir() / f"{name}.gz").read_bytes()) == (mondo_dir / name).read_bytes()


def test_describe_reports_release_licence_and_checksum() -> None:
    files = describe(packaged_mondo_dir())
    assert [(f.name, f.version, f.license) for f in files] == [
        (name, "2026-08-04", "https://creativecommons.org/publicdomain/zero/1.0/") for name in MONDO_FILES]
    manifest = read_manifest(packaged_mondo_dir())
    assert [f.sha256 for f in files] == [manifest["files"][n]["sha256"] for n in MONDO_FILES]  # type: ignore[index]


def test_an_edited_copy_with_the_manifest_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "mondo"
    folder.mkdir()
    for name in MONDO_FILES:
        (folder / name).write_bytes(gzip.decompress((packaged_mondo_dir() / f"{name}.gz").read_bytes()))
    (folder / "manifest.json").write_bytes((packaged_mondo_dir() / "manifest.json").read_bytes())
    assert len(describe(folder)) == 6  # plain files with the same content pass
    path = folder / "mondo_exactmatch_umls.sssom.tsv"
    path.write_text(path.read_text(encoding="utf-8") + "MONDO:9999999\tx\tskos:exactMatch\tUMLS:C9999999\tx\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match="differs from the manifest"):
        describe(folder)


def test_a_folder_without_a_set_is_an_input_error(tmp_path: Path) -> None:
    folder = write_sets(tmp_path / "mondo", {})
    (folder / "mondo_hasdbxref_gard.sssom.tsv").unlink()
    with pytest.raises(InputError, match="lacks mondo_hasdbxref_gard.sssom.tsv"):
        describe(folder)


# --- the reader -----------------------------------------------------------------------------------

def test_reader_yields_typed_rows_from_gzip_with_file_line_numbers() -> None:
    path = packaged_mondo_dir() / "mondo_exactmatch_orphanet.sssom.tsv.gz"
    als = [m for m in iter_mappings(path) if m.subject_id == "MONDO:0004976"]
    assert [(m.predicate_id, m.object_id, m.object_label, m.mapping_justification) for m in als] == [
        ("skos:exactMatch", "Orphanet:803", "Amyotrophic lateral sclerosis", "semapv:ManualMappingCuration")]
    assert als[0].line > 15 and not als[0].obsolete
    header = read_header(path)
    assert header.license == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert header.curie_map["MONDO"] == "http://purl.obolibrary.org/obo/MONDO_"


def test_reader_reads_sets_without_an_object_label_column(tmp_path: Path) -> None:
    path = tmp_path / "x.sssom.tsv"
    path.write_text("# license: x\nsubject_id\tsubject_label\tpredicate_id\tobject_id\tmapping_justification\n"
                    "MONDO:0004976\tALS\tskos:exactMatch\tmesh:D000690\tsemapv:ManualMappingCuration\n",
                    encoding="utf-8")
    assert list(iter_mappings(path)) == [Mapping(3, "MONDO:0004976", "ALS", "skos:exactMatch", "mesh:D000690", "",
                                                 "semapv:ManualMappingCuration")]


@pytest.mark.parametrize(("body", "message", "line"), [
    ("subject_id\tobject_id\nMONDO:1\tOMIM:1\n", "lacks column(s) predicate_id", 2),
    ("subject_id\tpredicate_id\tobject_id\nMONDO:1\tskos:exactMatch\n", "expected 3 tab-separated fields, found 2", 3),
    ("subject_id\tpredicate_id\tobject_id\nMONDO:1\t\tOMIM:1\n", "required column 'predicate_id' is empty", 3),
])
def test_reader_names_file_and_line_of_a_bad_row(tmp_path: Path, body: str, message: str, line: int) -> None:
    path = tmp_path / "bad.sssom.tsv"
    path.write_text("# license: x\n" + body, encoding="utf-8")
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")) as err:
        list(iter_mappings(path))
    assert (err.value.file, err.value.line) == (path, line)


def test_reader_refuses_a_broken_gzip(tmp_path: Path) -> None:
    path = tmp_path / "x.sssom.tsv.gz"
    path.write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match="not a readable gzip file"):
        list(iter_mappings(path))


# --- cliques --------------------------------------------------------------------------------------

def test_real_cliques_als_and_its_type_1(cliques) -> None:  # type: ignore[no-untyped-def]
    assert cliques.node("ORPHA:803") == "MONDO:0004976"
    assert cliques.node("OMIM:105400") == "MONDO:0007103"
    assert {(m.predicate, m.id) for m in cliques.members["MONDO:0004976"]} == {
        ("skos:exactMatch", "MESH:D000690"), ("skos:exactMatch", "ORPHA:803"),
        ("skos:exactMatch", "UMLS:C0002736"), ("oboInOwl:hasDbXref", "GARD:0005786")}


def test_real_one_to_n_clique_gathers_both_omim_entries(cliques) -> None:  # type: ignore[no-untyped-def]
    """ADR 10: MONDO:0001046 imperforate anus exact-matches OMIM:207500 and OMIM:301800."""
    assert cliques.node("OMIM:207500") == cliques.node("OMIM:301800") == "MONDO:0001046"
    blocks = list(map_annotations([row("OMIM:207500", "Anus, imperforate"),
                                   row("OMIM:301800", "Anus, imperforate", "HP:0002023")], cliques=cliques))
    lines = [(s, p, o) for s, pairs in blocks for p, o in pairs]
    node = f"<{MONDO}0001046>"
    assert Counter(lines)[(node, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{BL}Disease>")] == 1
    originals = sorted(o for s, p, o in lines if p == f"<{BL}original_subject>")
    assert originals == ['"OMIM:207500"', '"OMIM:301800"']
    assert {o for s, p, o in lines if p == f"<{BL}subject>"} == {node}
    # MONDO's label is "imperforate anus": the release's name differs, so it becomes a synonym, once
    assert [o for s, p, o in lines if p.endswith("hasExactSynonym>")] == ['"Anus, imperforate"']
    assert len(lines) == len(set(lines))


def test_real_obsolete_only_and_decipher_ids_keep_their_own_ids(cliques) -> None:  # type: ignore[no-untyped-def]
    """MONDO:0008807 'obsolete apnea, central sleep' is the only match of OMIM:107640."""
    assert cliques.node("OMIM:107640") == "OMIM:107640" and "OMIM:107640" in cliques.obsolete_only
    assert "MONDO:0008807" not in cliques.members
    assert cliques.node("DECIPHER:16") == "DECIPHER:16"
    blocks = list(map_annotations([row("OMIM:107640", "Apnea, central sleep")], cliques=cliques))
    lines = {(s, p, o) for s, pairs in blocks for p, o in pairs}
    assert (f"<{OMIM}107640>", "<http://www.w3.org/2000/01/rdf-schema#label>", '"Apnea, central sleep"') in lines
    assert any(p == f"<{BL}subject>" and o == f"<{OMIM}107640>" for _, p, o in lines)


def test_an_id_mondo_maps_to_two_diseases_is_not_normalised(tmp_path: Path) -> None:
    """ADR 10, n:1: no OMIM id of the 2026-08-04 sets has two MONDO classes; this generated one has."""
    folder = write_sets(tmp_path / "mondo", {"mondo_exactmatch_omim.sssom.tsv": [
        "MONDO:0000001\tdisease a\tskos:exactMatch\tOMIM:100001\ta\tsemapv:ManualMappingCuration",
        "MONDO:0000002\tdisease b\tskos:exactMatch\tOMIM:100001\ta\tsemapv:ManualMappingCuration",
        "MONDO:0000003\tdisease c\tskos:exactMatch\tOMIM:100002\tc\tsemapv:ManualMappingCuration",
        "MONDO:0000004\tobsolete disease d\tskos:exactMatch\tOMIM:100002\tc\tsemapv:ManualMappingCuration",
    ]})
    cliques = load_cliques(folder)
    assert cliques.ambiguous == {"OMIM:100001": ("MONDO:0000001", "MONDO:0000002")}
    assert cliques.node("OMIM:100001") == "OMIM:100001"
    assert cliques.node("OMIM:100002") == "MONDO:0000003"  # the obsolete class does not compete
    genes = list(map_gene_diseases([GeneDisease("NCBIGene:1", "G", "OMIM:100001", 2),
                                    GeneDisease("NCBIGene:1", "G", "OMIM:100002", 3)], cliques))
    objects = sorted(o for _, pairs in genes for p, o in pairs if p == f"<{BL}object>")
    assert objects == [f"<{MONDO}0000003>", f"<{OMIM}100001>"]


# --- the built ALS graph --------------------------------------------------------------------------

def test_als_node_has_page_and_release_phenotypes_side_by_side(store: ox.Store) -> None:
    rows = ask(store, """SELECT ?original (COUNT(DISTINCT ?a) AS ?n) WHERE {
        ?a biolink:subject MONDO:0004976 ; biolink:predicate biolink:has_phenotype .
        OPTIONAL { ?a biolink:original_subject ?original } } GROUP BY ?original""")
    assert sorted((r["original"].value if r["original"] else "", int(r["n"].value)) for r in rows) == [
        ("", 27), ("ORPHA:803", 47)]


def test_laryngospasm_of_both_layers_keeps_its_source_frequency_and_date(store: ox.Store) -> None:
    rows = ask(store, """SELECT ?source ?frequency ?original ?date WHERE {
        ?a biolink:subject MONDO:0004976 ; biolink:object HP:0025425 ; biolink:frequency_qualifier ?frequency ;
           prov:wasDerivedFrom ?source .
        OPTIONAL { ?a biolink:original_subject ?original }
        OPTIONAL { ?source dct:modified ?section_date } OPTIONAL { ?a dct:created ?created }
        BIND (COALESCE(?created, ?section_date) AS ?date) }""")
    got = sorted((r["source"].value.rsplit("/", 1)[1], r["frequency"].value.rsplit("_", 1)[1],
                  r["original"].value if r["original"] else "", r["date"].value) for r in rows)
    assert got == [("section-symptoms", "0040283", "", "2020-07-01"),
                   ("source-hpo-phenotype-hpoa", "0040284", "ORPHA:803", "2025-01-16")]


def test_release_ids_of_the_family_are_all_mondo_nodes(store: ox.Store) -> None:
    rows = ask(store, """SELECT DISTINCT ?s WHERE { ?a biolink:subject ?s ; biolink:original_subject ?o .
        FILTER (!STRSTARTS(STR(?s), STR(MONDO:))) }""")
    assert rows == []
    rows = ask(store, """SELECT ?original (COUNT(?a) AS ?n) WHERE { ?a biolink:subject MONDO:0007103 ;
        biolink:original_subject ?original } GROUP BY ?original""")
    assert [(r["original"].value, int(r["n"].value)) for r in rows] == [("OMIM:105400", 16)]


def test_node_keeps_its_ids_as_xrefs_from_mondo(store: ox.Store) -> None:
    rows = ask(store, """SELECT ?p ?x WHERE { MONDO:0011223 ?p ?x ; biolink:xref ?x . FILTER (?p != biolink:xref) }""")
    got = sorted((r["p"].value.rsplit("#", 1)[1], r["x"].value) for r in rows)
    assert got == [("exactMatch", "http://id.nlm.nih.gov/mesh/C566550"), ("exactMatch", "http://identifiers.org/umls/C1865409"),
                   ("exactMatch", f"{OMIM}602433"), ("exactMatch", "http://www.orpha.net/ORDO/Orphanet_357043"),
                   ("hasDbXref", "https://rarediseases.info.nih.gov/diseases/0010502")]


def test_juvenile_als_genes_and_inheritance_on_one_node(store: ox.Store) -> None:
    """Issue 8: which genes cause juvenile ALS, with which inheritance — no join over id spaces."""
    rows = ask(store, """SELECT ?disease ?symbol (GROUP_CONCAT(DISTINCT ?mode_label; separator="; ") AS ?modes)
        WHERE { ?disease rdfs:subClassOf* MONDO:0004976 ; rdfs:label|oio:hasExactSynonym ?name .
                FILTER (CONTAINS(LCASE(?name), "juvenile"))
                ?gene biolink:symbol ?symbol . ?a biolink:subject ?gene ; biolink:object ?disease .
                ?disease biolink:has_mode_of_inheritance ?mode . ?mode rdfs:label ?mode_label }
        GROUP BY ?disease ?symbol ORDER BY ?disease ?symbol""")
    got = [(r["disease"].value.rsplit("_", 1)[1], r["symbol"].value, r["modes"].value) for r in rows]
    assert got == [("0008780", "ALS2", "Autosomal recessive inheritance"),
                   ("0011196", "SPG11", "Autosomal recessive inheritance"),
                   ("0011223", "SETX", "Autosomal dominant inheritance"),
                   ("0013715", "SIGMAR1", "Autosomal recessive inheritance"),
                   ("0859529", "SPTLC1", "Autosomal dominant inheritance")]


def test_every_biolink_typed_node_has_its_category(store: ox.Store) -> None:
    missing = ask(store, f"""SELECT ?s ?c WHERE {{ ?s a ?c . FILTER (STRSTARTS(STR(?c), "{BL}"))
        FILTER NOT EXISTS {{ ?s biolink:category ?c }} }} LIMIT 5""")
    assert missing == []
    # our own classes take the Biolink class they sit under; our statements are rdf:Statements,
    # not Biolink associations (ADR 11), so they have no category at all
    rows = ask(store, """SELECT DISTINCT ?c WHERE { ?a biolink:category ?c ; a alskg:DiagnosticTest }""")
    assert [r["c"].value for r in rows] == [f"{BL}Procedure"]
    assert ask(store, """SELECT ?c WHERE { ?a biolink:category ?c ; a alskg:DiagnosticStatement } LIMIT 1""") == []


def test_metadata_records_each_mondo_set(store: ox.Store) -> None:
    rows = ask(store, """SELECT ?file ?version ?license ?sha WHERE { ?src alskg:file_name ?file ;
        <http://www.w3.org/ns/dcat#version> ?version ; dct:license ?license ; alskg:sha256 ?sha .
        FILTER (STRSTARTS(?file, "mondo_")) } ORDER BY ?file""")
    manifest = json.loads((packaged_mondo_dir() / "manifest.json").read_text(encoding="utf-8"))
    assert [(r["file"].value, r["version"].value, r["license"].value, r["sha"].value) for r in rows] == [
        (name, "2026-08-04", "https://creativecommons.org/publicdomain/zero/1.0/", manifest["files"][name]["sha256"])
        for name in MONDO_FILES]


def test_a_build_with_a_missing_mondo_set_fails_before_writing(tmp_path: Path, hpo_dir: Path) -> None:
    folder = write_sets(tmp_path / "mondo", {})
    (folder / "mondo_exactmatch_omim.sssom.tsv").unlink()
    with pytest.raises(InputError, match="MONDO folder lacks mondo_exactmatch_omim.sssom.tsv"):
        build(tmp_path / "out", DATA, hpo_dir, mondo_dir=folder)
    assert not (tmp_path / "out").exists()


# --- --mondo-release ------------------------------------------------------------------------------

class _Counting(SimpleHTTPRequestHandler):
    requests: Counter[str] = Counter()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet tests
        return None

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        type(self).requests[self.path] += 1
        super().do_GET()


def test_mondo_release_downloads_checks_and_reuses_the_cache(tmp_path: Path) -> None:
    served = tmp_path / "served" / "mappings"
    served.mkdir(parents=True)
    for name in MONDO_FILES:
        served.joinpath(name).write_bytes(gzip.decompress((packaged_mondo_dir() / f"{name}.gz").read_bytes()))
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Counting, directory=str(tmp_path / "served")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/mappings/"
        folder = fetch_mondo_release(url, tmp_path / "cache", progress=False)
        assert [f.sha256 for f in describe(folder)] == [content_sha256(served / n) for n in MONDO_FILES]
        assert sum(_Counting.requests.values()) == 6
        assert fetch_mondo_release(url, tmp_path / "cache", progress=False) == folder
        assert sum(_Counting.requests.values()) == 6  # complete cache: no request
        served.joinpath("mondo_exactmatch_mesh.sssom.tsv").write_text("<html>not found</html>\n", encoding="utf-8")
        (folder / "mondo_exactmatch_mesh.sssom.tsv").unlink()
        with pytest.raises(InputError, match="lacks column"):
            fetch_mondo_release(url, tmp_path / "cache", progress=False)
        assert not (folder / "mondo_exactmatch_mesh.sssom.tsv").exists()  # the bad file is not kept
    finally:
        server.shutdown()
        server.server_close()


# --- full scope (slow: builds the whole release) ---------------------------------------------------

@pytest.mark.slow
def test_full_scope_has_no_phenotype_subject_that_mondo_matches(tmp_path: Path, hpo_dir: Path, cliques) -> None:  # type: ignore[no-untyped-def]
    result = build(tmp_path / "all", DATA, hpo_dir, scope="all")
    store = ox.Store.read_only(str(result.files["store"]))
    rows = ask(store, f"""SELECT DISTINCT ?s WHERE {{ ?a biolink:predicate biolink:has_phenotype ; biolink:subject ?s .
        FILTER (!STRSTARTS(STR(?s), STR(MONDO:))) }}""")
    from alskg.vocab import compress

    kept = {compress(r["s"].value) for r in rows}
    assert kept and all(curie.split(":")[0] in {"OMIM", "ORPHA", "DECIPHER"} for curie in kept)
    assert sorted(c for c in kept if cliques.is_normalised(c)) == []
    assert {c for c in kept if c.startswith("DECIPHER:")}  # MONDO publishes no DECIPHER set: they keep their ids
