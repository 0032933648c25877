"""``alskg build``: curated tables + HPO release → quads → dumps and the on-disk store.

Data flows one way: sources → records → quads (sorted N-Triples/N-Quads lines) → files.
Every output is written to a temporary file and renamed; the same inputs give
byte-identical dumps (sorted lines, IRIs minted from stable keys, a release date taken
from the inputs unless given).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from alskg import vocab
from alskg.atomic import atomic_path, write_lines
from alskg.errors import InputError
from alskg.packaged import packaged_dir
from alskg.progress import Step
from alskg.rdf.curated import GARD_PAGE, map_curated, source_node
from alskg.rdf.hpo import map_hpo_terms, used_terms
from alskg.rdf.metadata import GRAPH as METADATA_GRAPH
from alskg.rdf.metadata import LICENSE, SourceInfo, describe_release, stats
from alskg.rdf.quads import QuadSink
from alskg.sources.curated import CuratedData, read_curated
from alskg.sources.obo import read_obo
from alskg.sources.tables import split_multi
from alskg.store import write_store

ONTOLOGY_GRAPH = vocab.ALSKG_GRAPH + "ontology"
SCOPES = ("als",)
#: MONDO SSSOM release the curated cross-references were checked against (from the files'
#: ``mapping_set_version`` headers) and its licence (their ``license`` header).
MONDO_RELEASE = "2026-08-04"
MONDO_LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"


def _no_progress(_: str) -> None:
    return None


@dataclass
class BuildResult:
    """What a build wrote and what the graph holds."""

    out_dir: Path
    files: dict[str, Path] = field(default_factory=dict)
    triples: int = 0
    quads: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _hpoa_version(path: Path) -> str:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            if line.startswith("#version:"):
                return line.split(":", 1)[1].strip()
    return ""


def release_date(explicit: str | None, inputs: list[str]) -> str:
    """The release date: given, else ``SOURCE_DATE_EPOCH``, else the newest input date."""
    if explicit:
        return explicit
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), UTC).date().isoformat()
    return max(d for d in inputs if d)


def map_ontology(sink: QuadSink) -> None:
    """Add ``ontology/alskg.ttl`` (the alskg vocabulary) as its own named graph."""
    path = packaged_dir("ontology") / "alskg.ttl"
    try:
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise InputError(f"Turtle syntax error: {exc.msg}", path, exc.lineno, exc.offset) from None
    sink.add_all(ONTOLOGY_GRAPH, ((str(x.subject), str(x.predicate), str(x.object)) for x in triples))


def _curated_sources(data: CuratedData, hpo_dir: Path, hpo_version: str, hpo_license: str) -> list[SourceInfo]:
    """The inputs of the GARD layer: the page, the tables, and every release/reference file rows cite."""
    tables = sorted(data.data_dir.glob("*.tsv"))
    digest = hashlib.sha256(b"".join(_sha256(p).encode() for p in tables)).hexdigest()
    sections = data["sections"]
    page_date = max(row["last_updated"] for row in sections if row["last_updated"])
    out = [
        SourceInfo(GARD_PAGE, "GARD page: Amyotrophic lateral sclerosis (sections updated 2017-2020)",
                   page_date, rights="Public-domain US government content"),
        SourceInfo("ALSKG:source-curated-tables", "alskg curated tables (data/*.tsv)",
                   page_date, license=LICENSE, sha256=digest, files=tuple(p.name for p in tables)),
    ]
    cited: set[str] = set()
    for rows in data.tables.values():
        for row in rows:
            cited.update(item for item in split_multi(row.get("source", "")) if not item.startswith("gard:"))
    cited.add("hpo:hp.obo")
    for item in sorted(cited):
        kind, _, name = item.partition(":")
        curie = vocab.compress(source_node(item).strip("<>"))
        if kind == "hpo":
            path = hpo_dir / name
            out.append(SourceInfo(curie, f"HPO release file {name}", hpo_version, license=hpo_license,
                                  sha256=_sha256(path) if path.is_file() else "", files=(name,)))
        else:
            out.append(SourceInfo(curie, f"MONDO SSSOM mapping set {name}", MONDO_RELEASE,
                                  license=MONDO_LICENSE, files=(name,)))
    return out


def build(out_dir: Path, data_dir: Path, hpo_dir: Path, *, scope: str = "als",
          date: str | None = None, step: Step = _no_progress) -> BuildResult:
    """Build the graph into ``out_dir``: alskg.nq, alskg.nt, alskg.ttl and the store.

    ``step`` is told the name of each stage (the CLI shows it on a terminal).
    """
    if scope not in SCOPES:
        raise InputError(f"unknown scope: choose one of {', '.join(SCOPES)}", value=scope)
    step("reading curated tables")
    data = read_curated(data_dir)
    step("reading hp.obo")
    ontology = read_obo(hpo_dir / "hp.obo")
    sink = QuadSink()
    step("mapping to RDF")
    map_curated(data, sink)
    map_hpo_terms(ontology, used_terms(sink.merged()), sink)
    map_ontology(sink)
    hpoa_version = _hpoa_version(hpo_dir / "phenotype.hpoa") if (hpo_dir / "phenotype.hpoa").is_file() else ""
    sources = _curated_sources(data, hpo_dir, ontology.version, ontology.license)
    when = release_date(date, [ontology.version, hpoa_version, *(r["last_updated"] for r in data["sections"])])
    describe_release(sink, when, sources, scope)
    step("writing dumps and store")
    return write_outputs(sink, out_dir)


def write_outputs(sink: QuadSink, out_dir: Path) -> BuildResult:
    """Write the dumps and the store from a finished sink, each atomically."""
    result = BuildResult(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    nq = out_dir / "alskg.nq"
    result.quads = write_lines(nq, sink.nquads())
    merged = sink.merged()
    result.triples = write_lines(out_dir / "alskg.nt", (f"{line} ." for line in merged))
    turtle = out_dir / "alskg.ttl"
    with atomic_path(turtle) as tmp:
        triples = ox.parse(path=str(out_dir / "alskg.nt"), format=ox.RdfFormat.N_TRIPLES)
        tmp.write_bytes(_sorted_prefixes(ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                                                      prefixes=turtle_prefixes())))
    write_store(nq, out_dir)
    result.files = {"nq": nq, "nt": out_dir / "alskg.nt", "ttl": turtle, "store": out_dir / "store"}
    content = set(merged) - sink.triples(METADATA_GRAPH)
    st = stats(content)
    result.counts = {vocab.compress(cls.strip("<>")): n for cls, n in sorted(st.classes.items())}
    return result


def _sorted_prefixes(turtle: bytes) -> bytes:
    """Put the ``@prefix`` lines in sorted order: the serialiser does not promise one."""
    lines = turtle.split(b"\n")
    count = next(i for i, line in enumerate(lines) if not line.startswith(b"@prefix"))
    return b"\n".join(sorted(lines[:count]) + lines[count:])


def turtle_prefixes() -> dict[str, str]:
    """The prefixes declared in Turtle dumps (a fixed set, so dumps are byte-stable)."""
    conv = vocab.converter()
    return {prefix: conv.bimap[prefix] for prefix in vocab.DUMP_PREFIXES}
