"""``alskg build``: curated tables + HPO release + MONDO mappings → quads → dumps and the store.

Data flows one way: sources → records → N-Triples terms → files. Small graphs (curated
layer, HPO terms, ontology, metadata) are sorted; the HPO annotation and gene layers stream
in file order. Every output is written into a new version folder that is switched in whole
once complete (:mod:`alskg.layout`); the same inputs give byte-identical dumps (IRIs minted
from stable keys, a release date taken from the inputs unless given). Diseases are normalised
to MONDO through MONDO's mapping sets (ADR 10), and every node typed with a Biolink class also
gets it as ``biolink:category``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from alskg import vocab
from alskg.aside import aside
from alskg.atomic import write_text
from alskg.checksum import sha256_file
from alskg.dates import epoch_date, iso_date
from alskg.errors import InputError
from alskg.examples import QUERIES_GRAPH, examples_turtle
from alskg.export import DEFAULT_DUMPS, DUMP_FILES, Dumps
from alskg.layout import BuildFolder
from alskg.model import Ontology
from alskg.mondo import MondoFile, packaged_mondo_dir
from alskg.mondo import describe as describe_mondo
from alskg.packaged import HPO_FILES, packaged_dir
from alskg.progress import Step, quiet
from alskg.queries import catalogue
from alskg.rdfmodel import RdfFormat, parse_rdf
from alskg.rdf.categories import add_categories, categorised
from alskg.rdf.cliques import Cliques, load_cliques, map_cliques
from alskg.rdf.curated import GARD_PAGE, map_curated, source_node
from alskg.rdf.hpo import map_hpo_terms, used_terms
from alskg.rdf.hpoa import GENES_GRAPH, HPOA_GRAPH, map_annotations, map_gene_diseases
from alskg.rdf.metadata import GRAPH as METADATA_GRAPH
from alskg.rdf.metadata import LICENSE, SourceInfo, describe_release
from alskg.rdf.quads import QuadSink
from alskg.sources.curated import CuratedData, read_curated
from alskg.sources.genes import GeneDisease, read_gene_diseases
from alskg.sources.hpoa import COLUMNS, Annotation, iter_annotations, read_header
from alskg.sources.obo import read_obo
from alskg.store import STORE_DIRNAME, StoreLoader
from alskg.rdf.submissions import GRAPH as SUBMISSIONS_GRAPH
from alskg.rdf.submissions import HeldTriples, merged_blocks, record_of, source_info

ONTOLOGY_GRAPH = vocab.ALSKG_GRAPH + "ontology"
SCOPES = ("als", "all")


@dataclass
class BuildResult:
    """What a build wrote and what the graph holds."""

    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    triples: int = 0
    quads: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    diseases_annotated: int = 0
    loader_peak_rss_kib: int = 0


def fixed_date(explicit: str | None) -> str | None:
    """The release date given (a real YYYY-MM-DD) or set by ``SOURCE_DATE_EPOCH``; None if neither."""
    if explicit:
        return iso_date(explicit, "the release date (--date)").isoformat()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return epoch_date(epoch).isoformat() if epoch else None


def release_date(explicit: str | None, inputs: list[str]) -> str:
    """The release date: given, else ``SOURCE_DATE_EPOCH``, else the newest input date."""
    return fixed_date(explicit) or max(d for d in inputs if d)


def map_ontology(sink: QuadSink) -> None:
    """Add ``ontology/alskg.ttl`` (the alskg vocabulary) as its own named graph."""
    path = packaged_dir("ontology") / "alskg.ttl"
    try:
        triples = list(parse_rdf(path=str(path), format=RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise InputError(f"Turtle syntax error: {exc.msg}", path, exc.lineno, exc.offset) from None
    sink.add_all(ONTOLOGY_GRAPH, ((str(x.subject), str(x.predicate), str(x.object)) for x in triples))


def disease_ids_in_scope(data: CuratedData) -> set[str]:
    """The HPOA/gene-file disease ids of the ALS family: curated ids and their exact matches."""
    ids = {row["id"] for row in data["diseases"]}
    ids |= {vocab.standardize(row["object"]) for row in data["xrefs"] if row["predicate"] == "skos:exactMatch"}
    return ids


def annotation_terms(rows: list[Annotation]) -> set[str]:
    """HP ids an annotation set uses: phenotype, onset, frequency and modifier terms."""
    out: set[str] = set()
    for row in rows:
        out.add(row.hpo_id)
        if row.onset:
            out.add(row.onset)
        if row.frequency.startswith("HP:"):
            out.add(row.frequency)
        out.update(row.modifiers)
    return out


def _sources(data: CuratedData, hpo_dir: Path, ontology: Ontology, hpoa_version: str,
             mondo: list[MondoFile]) -> list[SourceInfo]:
    """The inputs: the page, the tables, the HPO release files and the MONDO mapping sets read."""
    tables = sorted(data.data_dir.glob("*.tsv"))
    digest = hashlib.sha256(b"".join(sha256_file(p).encode() for p in tables)).hexdigest()
    page_date = max(row["last_updated"] for row in data["sections"] if row["last_updated"])
    out = [
        SourceInfo(GARD_PAGE, "GARD page: Amyotrophic lateral sclerosis (sections updated 2017-2020)",
                   page_date, rights="Public-domain US government content"),
        SourceInfo("ALSKG:source-curated-tables", "alskg curated tables (data/*.tsv)",
                   page_date, license=LICENSE, sha256=digest, files=tuple(p.name for p in tables)),
    ]
    for name in HPO_FILES:
        curie = vocab.compress(source_node(f"hpo:{name}").strip("<>"))
        version = ontology.version if name == "hp.obo" else hpoa_version
        out.append(SourceInfo(curie, f"HPO release file {name}", version, license=ontology.license,
                              sha256=sha256_file(hpo_dir / name), files=(name,)))
    for item in mondo:
        curie = vocab.compress(source_node(f"mondo:{item.name}").strip("<>"))
        out.append(SourceInfo(curie, f"MONDO SSSOM mapping set {item.name}", item.version,
                              license=item.license, sha256=item.sha256, files=(item.name,)))
    out += [source_info(record_of(row)) for row in data["submissions"]]
    return out


def _check_hpo_dir(hpo_dir: Path) -> None:
    for name in HPO_FILES:
        if not (hpo_dir / name).is_file():
            raise InputError(f"HPO release folder lacks {name}", hpo_dir / name)


def disease_nodes(data: CuratedData, cliques: Cliques, source_ids: set[str]) -> set[str]:
    """The MONDO nodes of the graph: the curated diseases and the nodes source ids normalise to."""
    return {row["id"] for row in data["diseases"]} | {cliques.node(d) for d in source_ids}


def build(out_dir: Path, data_dir: Path, hpo_dir: Path, *, scope: str = "als",
          date: str | None = None, step: Step = quiet, mondo_dir: Path | None = None,
          dumps: tuple[str, ...] = DEFAULT_DUMPS) -> BuildResult:
    """Build the graph into ``out_dir``: the store and the ``dumps`` asked for (default
    ``alskg.nq`` alone, which holds every named graph; ``nt`` and ``ttl`` add the merged view).

    ``scope`` is ``als`` (the curated layer plus the HPO layer of the ALS family) or ``all``
    (every disease of the release). ``mondo_dir`` holds MONDO's six SSSOM mapping sets
    (default: the pinned copy in ``data/mondo``). ``step`` is told the name of each stage.
    """
    if scope not in SCOPES:
        raise InputError(f"unknown scope: choose one of {', '.join(SCOPES)}", value=scope)
    if not dumps or any(name not in DUMP_FILES for name in dumps):
        raise InputError(f"dumps must be some of {', '.join(DUMP_FILES)}", value=",".join(dumps))
    fixed_date(date)  # a bad --date or SOURCE_DATE_EPOCH fails before any work
    _check_hpo_dir(hpo_dir)
    mondo_dir = mondo_dir or packaged_mondo_dir()
    mondo = describe_mondo(mondo_dir)  # a missing or altered mapping set fails before any work
    step("reading curated tables")
    data = read_curated(data_dir)
    step("reading the HPO release")
    # hp.obo is parsed in a child on the other core (fastobo holds the GIL, so a thread would
    # not overlap) while this process reads the annotations and the mappings: the store loader
    # has nothing to load until this stage ends.
    with aside("reading hp.obo", read_obo, hpo_dir / "hp.obo") as obo:
        hpoa_version = read_header(hpo_dir / "phenotype.hpoa").version
        wanted = None if scope == "all" else disease_ids_in_scope(data)
        annotations = [r for r in iter_annotations(hpo_dir / "phenotype.hpoa")
                       if wanted is None or r.database_id in wanted]
        genes: list[GeneDisease] = [g for g in read_gene_diseases(hpo_dir / "genes_to_phenotype.txt")
                                    if wanted is None or g.disease in wanted]
        step("reading the MONDO mappings")
        cliques = load_cliques(mondo_dir)
        curated = {row["id"]: row["label"] for row in data["diseases"]}
        cliques.labels.update(curated)  # a curated disease keeps our label; MONDO's labels the rest
        step("mapping the curated layer and HPO terms")
        small = QuadSink()
        map_curated(data, small)
        submitted = [Annotation.from_row(int(r["__line__"]), [r[c] for c in COLUMNS])
                     for r in data["submitted_annotations"]]
        source_ids = ({r.database_id for r in annotations} | {g.disease for g in genes}
                      | {r.database_id for r in submitted})
        map_cliques(cliques, disease_nodes(data, cliques, source_ids), set(curated), small)
        ontology = obo.result()
    map_hpo_terms(ontology, used_terms(small.merged()) | annotation_terms(annotations) | annotation_terms(submitted),
                  small)
    map_ontology(small)
    add_categories(small)
    when = release_date(date, [ontology.version, hpoa_version,
                               *(r["last_updated"] for r in data["sections"])])
    result = BuildResult(out_dir)
    # exits run innermost first: the dumps are renamed, the loader finishes, then the
    # version folder is published (or, on any error, removed with everything in it)
    with BuildFolder(out_dir) as folder:
        examples = folder.path / "queries.ttl"
        with StoreLoader(folder.path / STORE_DIRNAME, {QUERIES_GRAPH: examples}) as loader, \
                Dumps(folder.path, turtle_prefixes(), tee=loader.stream, formats=dumps) as writer:
            writer.write_small({g: small.triples(g) for g in small.graphs()})
            step(f"mapping {len(annotations)} HPO annotations (loading the store alongside)")
            held = HeldTriples()
            hpoa_blocks = categorised(map_annotations(annotations, hpo_dir / "phenotype.hpoa", cliques))
            writer.write_stream(HPOA_GRAPH, held.watch(hpoa_blocks) if submitted else hpoa_blocks)
            writer.write_stream(GENES_GRAPH, categorised(map_gene_diseases(genes, cliques)))
            if submitted:
                step(f"mapping {len(submitted)} merged submission annotations")
                names = {r.database_id: r.disease_name for r in reversed(annotations)}
                writer.write_stream(SUBMISSIONS_GRAPH,
                                    categorised(merged_blocks(data["submitted_annotations"], names, held, cliques)))
            meta = QuadSink()
            merged = writer.merged.stats()  # the metadata graph is left out of these counts
            describe_release(meta, when, _sources(data, hpo_dir, ontology, hpoa_version, mondo), scope,
                             merged, {g: c.stats() for g, c in writer.graphs.items()})
            writer.write_small({METADATA_GRAPH: meta.triples(METADATA_GRAPH)}, merged=False)
            result.quads = sum(c.triples for c in writer.graphs.values())
            # The loader reads queries.ttl only once its input ends, and it is then still
            # catching up: parsing the catalogue here (2 CPU s) costs no wall time.
            write_text(examples, examples_turtle(catalogue().values()))
            step("finishing the store")
    result.triples = merged.triples + len(meta.triples(METADATA_GRAPH))
    result.counts = {vocab.compress(cls.strip("<>")): n for cls, n in sorted(merged.classes.items())}
    result.diseases_annotated = len({r.database_id for r in annotations})
    result.files = {**{name: out_dir / path.name for name, path in writer.paths.items()},
                    "queries": out_dir / "queries.ttl", "store": out_dir / STORE_DIRNAME}
    result.loader_peak_rss_kib = loader.peak_rss_kib
    return result


def turtle_prefixes() -> dict[str, str]:
    """The prefixes declared in Turtle dumps (a fixed set, so dumps are byte-stable)."""
    conv = vocab.converter()
    return {prefix: conv.bimap[prefix] for prefix in vocab.DUMP_PREFIXES}
