"""``alskg release``: one versioned, checked folder of every format of the graph (issue 10).

:func:`release` builds (:func:`alskg.build.build`) and hands over to :func:`write_release`,
which reads the build from its store (:mod:`alskg.release.source`), checks it (SHACL,
Biolink conformance, the KGX twin: :mod:`alskg.release.checks`) and only then writes
``OUT/alskg-V/``: the gzipped RDF (:mod:`~alskg.release.dumps`), the KGX twin
(:mod:`~alskg.release.kgx`), the SSSOM mappings (:mod:`~alskg.release.sssom`) and the
receipts (:mod:`~alskg.release.receipt`). Everything goes into a temporary sibling folder,
is fsynced, and is renamed into place at once: a refused or failed release leaves nothing.

The version, when not given, is the build's release date (``dct:issued``: the newest input
date, or ``--date``/``SOURCE_DATE_EPOCH``), with ``-als`` for the ALS scope: it is derived
from the inputs, never from the clock, so the same inputs give the same folder, byte for byte.
"""

from __future__ import annotations

import gzip
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

from alskg import vocab
from alskg.aside import aside
from alskg.biolink import load_schema
from alskg.build import build as run_build
from alskg.checksum import sha256_file
from alskg.errors import UsageError
from alskg.memory import collector_paused, give_back
from alskg.progress import Step, quiet
from alskg.rdf.metadata import DATASET
from alskg.rdf.metadata import GRAPH as METADATA_GRAPH
from alskg.rdfmodel import RdfFormat
from alskg.release import checks, dumps, kgx, receipt, sssom
from alskg.release.receipt import FileKind, ReleaseFile
from alskg.release.source import Snapshot, lines_store, read_snapshot
from alskg.results import plain
from alskg.store import QuerySolutions, Store

T = TypeVar("T")

_QUERY_PREFIXES = f"""PREFIX dct: <{vocab.DCT}>
PREFIX dcat: <{vocab.DCAT}>
PREFIX prov: <{vocab.PROV}>
PREFIX alskg: <{vocab.ALSKG_VOCAB}>
"""

NQ = FileKind("N-Quads, gzipped: every named graph (source layer)", "application/n-quads")
NT = FileKind("N-Triples, gzipped: the merged view, sorted", "application/n-triples")
TTL = FileKind("Turtle, gzipped: the merged view, one block per subject", "text/turtle")
TSV = FileKind("KGX TSV, gzipped", "text/tab-separated-values")
JSONL = FileKind("KGX JSON Lines, gzipped", "application/jsonl")
OTHER = FileKind("TSV, gzipped, KGX columns: alskg's own statements, outside Biolink", "text/tab-separated-values")
SSSOM = FileKind("SSSOM/TSV with its YAML header: MONDO's disease mappings used", "text/tab-separated-values",
                 gzip=False)
README = FileKind("Markdown: this folder's files and formats", "text/markdown", gzip=False)
METADATA = FileKind("Turtle: DCAT/VoID description of the release", "text/turtle", gzip=False)
RECEIPT = FileKind("JSON: build receipt", "application/json", gzip=False)


@dataclass
class ReleaseResult:
    """What a release wrote: its folder, version and files, and the counts it checked."""

    folder: Path
    version: str
    files: list[ReleaseFile] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def check_version(version: str) -> str:
    """A version usable in file names: ASCII letters, digits, ``.``, ``_`` and ``-``, starting
    with a letter or digit; anything else is a UsageError."""
    ok = bool(version) and version[0].isascii() and version[0].isalnum() and len(version) <= 64 and all(
        c.isascii() and (c.isalnum() or c in "._-") for c in version)
    if not ok:
        raise UsageError("a release version is 1-64 ASCII letters, digits, '.', '_' or '-', "
                         "starting with a letter or digit", value=version)
    return version


def default_version(issued: str, scope: str) -> str:
    """The version of a release not given one: the build's release date, ``-als`` for that scope."""
    return issued if scope == "all" else f"{issued}-{scope}"


def _rows(store: Store, query: str) -> list[dict[str, str]]:
    result = store.query(_QUERY_PREFIXES + query)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: plain(row[n]) for n in names if row[n] is not None} for row in result]


def _sources(store: Store, data_dir: Path | None) -> list[receipt.Source]:
    """The build's sources, from its metadata; a MONDO file found in ``data_dir`` (or its
    ``mondo/`` folder) gets its SHA-256 when the metadata has none."""
    rows = _rows(store, f"""SELECT ?s ?title ?version ?sha ?license
        (GROUP_CONCAT(DISTINCT ?file; separator="|") AS ?files) WHERE {{
        <{DATASET}> prov:wasDerivedFrom ?s .
        OPTIONAL {{ ?s dct:title ?title }} OPTIONAL {{ ?s dcat:version ?version }}
        OPTIONAL {{ ?s alskg:sha256 ?sha }} OPTIONAL {{ ?s dct:license ?license }}
        OPTIONAL {{ ?s alskg:file_name ?file }}
    }} GROUP BY ?s ?title ?version ?sha ?license ORDER BY ?s""")
    out = []
    for row in rows:
        files = sorted(f for f in row.get("files", "").split("|") if f)
        sha = row.get("sha", "")
        if not sha and data_dir is not None and len(files) == 1:
            for candidate in (data_dir / "mondo" / files[0], data_dir / files[0]):
                if candidate.is_file():
                    sha = sha256_file(candidate)
                    break
        out.append(receipt.Source(row["s"], row.get("title", ""), row.get("version", ""), sha,
                                  row.get("license", ""), files))
    return out


def _dataset(store: Store) -> dict[str, str]:
    rows = _rows(store, f"""SELECT ?issued ?scope ?version WHERE {{
        <{DATASET}> dct:issued ?issued . OPTIONAL {{ <{DATASET}> alskg:scope ?scope }}
        OPTIONAL {{ <{DATASET}> dcat:version ?version }} }} ORDER BY ?issued""")
    if not rows:
        raise UsageError("the build has no release metadata (dct:issued of the dataset): run `alskg build` again")
    return rows[0]


def _mondo_version(sources: list[receipt.Source]) -> str:
    """MONDO's release, as the build's metadata records it (every build reads MONDO's mapping sets)."""
    versions = sorted({s.version for s in sources if "MONDO" in s.title and s.version})
    if not versions:
        raise UsageError("the build's metadata records no MONDO release: run `alskg build` again")
    return versions[-1]


#: The KGX column of a source reference kept as written (:data:`alskg.rdf.hpoa.MALFORMED_REFERENCE`).
MALFORMED_COLUMN = vocab.compress(vocab.DCT + "bibliographicCitation")


def source_defects(twin: kgx.Twin) -> list[receipt.SourceDefect]:
    """The source's malformed references (a PMID with a letter, ...) that the graph keeps as
    written instead of as publications, one per edge and reference, sorted."""
    out = []
    for row in [*twin.edges.rows, *twin.other_edges.rows]:
        for reference, _ in row.get(MALFORMED_COLUMN, []):
            first = row.get("original_subject") or row.get("subject") or [("", "")]
            out.append(receipt.SourceDefect(row["id"][0][0], first[0][0], row.get("object", [("", "")])[0][0],
                                            reference))
    return sorted(out)


def _metadata_store(snapshot: Snapshot) -> Store:
    """The build's metadata graph alone, in a small store: enough to name the release."""
    return lines_store(snapshot.named.get(METADATA_GRAPH, []))


def _read_merged_store(path: Path) -> Store:
    """The merged view in an in-memory store (the checks' constraint queries run faster in
    memory; see :func:`alskg.validate.validate_build`), bulk-loaded from the release's own
    ``.nt.gz``, so the lines need not be held beside the store."""
    store = Store()
    with gzip.open(path, "rb") as stream:
        store.bulk_load(input=stream, format=RdfFormat.N_TRIPLES)
    return store


def _read_merged_lines(path: Path) -> list[bytes]:
    """The merged view's lines (without `` .``) from the release's own sorted ``.nt.gz``."""
    return list(dumps.ntriples_lines(path))


@dataclass
class _Named:
    """What a release is called and where its files go, known before any file is written."""

    version: str
    scope: str
    dataset: dict[str, str]
    folder: Path

    @property
    def stem(self) -> str:
        return f"alskg-{self.version}"

    def path(self, suffix: str) -> Path:
        return self.folder / f"{self.stem}{suffix}"


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.iterdir()):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


#: writer threads: zlib and hashlib release the GIL while they compress and hash, so the files
#: are compressed side by side; each file's bytes do not depend on the others or on the order.
WRITERS = max(2, min(4, os.cpu_count() or 2))


def _in_parallel(jobs: list[Callable[[], T]]) -> list[T]:
    """Run ``jobs`` on :data:`WRITERS` threads, longest first as listed; results in their order
    (the first error is raised once all have stopped)."""
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        futures = [pool.submit(job) for job in jobs]
    return [future.result() for future in futures]


def _write_rdf(named: _Named, snap: Snapshot) -> list[ReleaseFile]:
    """The gzipped N-Quads and N-Triples, side by side (zlib runs without the GIL). The Turtle
    is written afterwards from the ``.nt.gz``, beside the checks (:func:`_stage`)."""
    stem = named.stem
    nquads, ntriples = _in_parallel([partial(dumps.write_nquads, named.path(".nq.gz"), snap.named),
                                     partial(dumps.write_ntriples, named.path(".nt.gz"), snap.merged)])
    return [ReleaseFile(f"{stem}.nq.gz", NQ, nquads, "quads"), ReleaseFile(f"{stem}.nt.gz", NT, ntriples, "triples")]


def _write_kgx(named: _Named, twin: kgx.Twin) -> list[ReleaseFile]:
    """The KGX twin's TSV and JSON Lines (and the other statements' TSV). The largest file, the
    edges' JSON Lines, is written by a forked child (:mod:`alskg.aside`) while threads
    write the others: each is Python formatting, which one process does on one core at a time."""
    jobs: list[tuple[str, FileKind, Callable[[], int]]] = []
    for part, table in (("nodes", twin.nodes), ("edges", twin.edges)):
        jobs.append((f"{named.stem}_{part}.tsv.gz", TSV, partial(kgx.write_tsv, named.path(f"_{part}.tsv.gz"), table)))
        jobs.append((f"{named.stem}_{part}.jsonl.gz", JSONL,
                     partial(kgx.write_jsonl, named.path(f"_{part}.jsonl.gz"), table)))
    for part, table in (("other_nodes", twin.other_nodes), ("other_edges", twin.other_edges)):
        jobs.append((f"{named.stem}_{part}.tsv.gz", OTHER,
                     partial(kgx.write_tsv, named.path(f"_{part}.tsv.gz"), table)))
    largest = next(i for i, (file, _, _) in enumerate(jobs) if file.endswith("_edges.jsonl.gz"))
    with aside("the KGX edges writer", jobs[largest][2]) as edges:
        counted = _in_parallel([job for i, (_, _, job) in enumerate(jobs) if i != largest])
        counted.insert(largest, edges.result())
    return [ReleaseFile(file, kind, count, "rows") for (file, kind, _), count in zip(jobs, counted, strict=True)]


def _twin_columns(named: _Named, twin: kgx.Twin) -> dict[str, list[str]]:
    return {f"{named.stem}_{part}.tsv.gz": table.columns() for part, table in (
        ("nodes", twin.nodes), ("edges", twin.edges), ("other_nodes", twin.other_nodes),
        ("other_edges", twin.other_edges))}


def _write_receipts(named: _Named, facts: receipt.Facts, files: list[ReleaseFile], mappings: list[sssom.Mapping],
                    columns: dict[str, list[str]], defects: list[receipt.SourceDefect],
                    metadata: list[bytes]) -> list[ReleaseFile]:
    """The SSSOM mappings, README, metadata, receipt and checksums, after every other file."""
    folder, v, stem = named.folder, named.version, named.stem
    set_id = f"{DATASET}/{v}/{stem}.sssom.tsv"
    files = [*files, ReleaseFile(f"{stem}.sssom.tsv", SSSOM, sssom.write_sssom(
        named.path(".sssom.tsv"), mappings, set_id, v, facts.mondo_version), "rows")]
    (folder / "README.md").write_text(receipt.readme(facts, files, columns, defects), encoding="utf-8",
                                      newline="\n")
    files.append(ReleaseFile("README.md", README))
    _in_parallel([partial(f.measure, folder) for f in files])
    (folder / "metadata.ttl").write_text(receipt.metadata_turtle([line.decode("utf-8") for line in metadata],
                                                                 facts, files), encoding="utf-8", newline="\n")
    files.append(ReleaseFile("metadata.ttl", METADATA))
    files[-1].measure(folder)
    (folder / "release.json").write_text(receipt.release_json(facts, files), encoding="utf-8", newline="\n")
    files.append(ReleaseFile("release.json", RECEIPT))
    files[-1].measure(folder)
    (folder / "SHA256SUMS").write_text(receipt.sha256sums(files), encoding="utf-8", newline="\n")
    return files


def _stage(tmp: Path, snapshot: list[Snapshot], version: str | None, data_dir: Path | None,
           step: Step) -> tuple[_Named, list[ReleaseFile], dict[str, int]]:
    """Write and check the whole release in ``tmp``, in an order that keeps memory low: the
    gzipped N-Quads and N-Triples from the build's lines; the lines dropped; the merged view
    bulk-loaded from the new ``.nt.gz`` for SHACL and Biolink conformance, while a child process
    writes the Turtle from that file on the other core (:mod:`alskg.aside`); the store
    dropped; the lines read back for the KGX twin, which is checked and written; then the
    receipts. ``snapshot`` is a one-item list, emptied here so the lines can be freed. A refused check raises
    :class:`checks.ReleaseRefused`, and the caller removes ``tmp``."""
    snap = snapshot.pop()
    dataset = _dataset(_metadata_store(snap))
    scope = dataset.get("scope", "all")
    named = _Named(version or default_version(dataset["issued"], scope), scope, dataset, tmp)
    counts = {"merged_triples": len(snap.merged),
              "quads": sum(len(lines) for lines in snap.named.values()),
              **{f"quads:{vocab.compress(g)}": len(lines) for g, lines in sorted(snap.named.items())}}
    metadata = snap.named.get(METADATA_GRAPH, [])
    step("writing the compressed RDF")
    files = _write_rdf(named, snap)
    del snap  # the lines are the largest object until the store: gone before it is loaded
    give_back()
    with aside("the Turtle writer", dumps.turtle_of_ntriples, named.path(".nt.gz"), named.path(".ttl.gz")) as turtle:
        step("validating (SHACL)")
        store = _read_merged_store(named.path(".nt.gz"))
        checks.check_shacl(store)
        step("checking Biolink conformance")
        checks.check_conformance(store)
        sources = _sources(store, data_dir)
        mappings = sssom.mappings(store)
        del store
        give_back()  # the store's heap, before the lines of the KGX pass are read (alskg.memory)
        step("making the KGX twin")
        schema = load_schema()
        lines = _read_merged_lines(named.path(".nt.gz"))
        twin = kgx.extract_lines(lines, schema)
        del lines
        checks.check_kgx(twin, schema)
        files.append(ReleaseFile(f"{named.stem}.ttl.gz", TTL, turtle.result(), "triples"))
    counts.update({"kgx_nodes": len(twin.nodes.rows), "kgx_edges": len(twin.edges.rows),
                   "other_nodes": len(twin.other_nodes.rows), "other_edges": len(twin.other_edges.rows),
                   "sssom_mappings": len(mappings)})
    defects = source_defects(twin)
    counts["malformed_source_references"] = len(defects)
    step("writing the KGX twin")
    files += _write_kgx(named, twin)
    columns = _twin_columns(named, twin)
    del twin
    step("writing the SSSOM mappings and the receipts")
    facts = receipt.Facts(named.version, scope, dataset["issued"], dataset.get("version", ""), schema.version,
                          _mondo_version(sources), ["alskg", "release", "--scope", scope, "--version", named.version],
                          sources, counts)
    files = _write_receipts(named, facts, files, mappings, columns, defects, metadata)
    return named, files, counts


def write_release(build_dir: Path, out_dir: Path, version: str | None = None, data_dir: Path | None = None,
                  step: Step = quiet) -> ReleaseResult:
    """Check the build of ``build_dir`` and write its release into ``out_dir/alskg-V/`` (atomically:
    a temporary sibling folder, fsynced, renamed into place; an older folder of the same version
    is replaced). The files are written while the checks run (:func:`_stage`); a refused or failed
    release removes them all."""
    if version is not None:
        check_version(version)
    step("reading the build")
    snapshot = [read_snapshot(build_dir)]
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / f".alskg-release.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    final: Path | None = None
    aside: Path | None = None
    done = False
    try:
        with collector_paused():  # the KGX twin: millions of small containers without cycles
            named, files, counts = _stage(tmp, snapshot, version, data_dir, step)
        _fsync_tree(tmp)
        final = out_dir / named.stem
        aside = out_dir / f".{named.stem}.old-{os.getpid()}"
        if final.exists():
            final.rename(aside)
        tmp.rename(final)
        _fsync_dir(out_dir)
        done = True
    finally:
        if not done:
            shutil.rmtree(tmp, ignore_errors=True)
            if aside is not None and aside.exists() and final is not None and not final.exists():
                aside.rename(final)
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)
    assert final is not None
    return ReleaseResult(final, named.version, files, counts)


def release(out_dir: Path, data_dir: Path, hpo_dir: Path, *, scope: str = "als", version: str | None = None,
            build_dir: Path = Path("build"), step: Step = quiet) -> ReleaseResult:
    """Build the graph into ``build_dir`` (in a child process, :mod:`alskg.aside`), then
    check it and write its release (:func:`write_release`)."""
    if version is not None:
        check_version(version)  # a bad --version fails before the build
    step("building")
    # in a child process: the build's own heap (the HPO release read, the mappers' caches, about
    # 0.6 GiB at full scope) is given back whole before the release's stages start
    with aside("the build", partial(run_build, build_dir, data_dir, hpo_dir, scope=scope)) as built:
        built.result()
    return write_release(build_dir, out_dir, version, data_dir, step)
