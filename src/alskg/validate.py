"""SHACL validation of the built graph or of any RDF files.

The default engine (:mod:`alskg.shacl`) compiles the shapes to SPARQL and runs them on
Oxigraph: the built store is opened read-only (nothing is re-parsed), files are parsed by
pyoxigraph (which never fetches remote documents or contexts and gives line/column on
syntax errors). ``engine="pyshacl"`` runs the reference implementation instead; the tests
check that both give the same results on every fixture.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, SH

from alskg import vocab
from alskg.errors import InputError
from alskg.layout import reading
from alskg.memory import collector_paused, keep_until_exit
from alskg.packaged import packaged_dir
from alskg.quadlines import TriplesOfQuads
from alskg.rdf_guard import parser_limits
from alskg.shacl import Compiled, Violation, compile_shapes, run
from alskg.rdfmodel import BlankNode, DefaultGraph, Literal, NamedNode, RdfFormat, serialize_rdf
from alskg.store import STORE_DIRNAME, Store, load_files, memory_store

REPORT_FORMATS = ("text", "json", "ttl")
ENGINES = ("sparql", "pyshacl")
_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True, order=True)
class ShaclFinding:
    """One SHACL result, as plain text (CURIEs where a prefix fits)."""

    severity: str
    focus: str
    path: str
    value: str
    message: str
    shape: str
    component: str = ""


@dataclass
class ValidationReport:
    """The outcome of a validation: verdict, findings, and how much data was checked."""

    conforms: bool
    findings: list[ShaclFinding] = field(default_factory=list)
    triples: int = 0

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(f.severity for f in self.findings).items(),
                           key=lambda kv: _SEVERITY_ORDER.get(kv[0], 9)))


def load_shapes(directory: Path | None = None, files: list[Path] | None = None) -> rdflib.Graph:
    """One shapes graph: the given shape ``files`` (any RDF syntax), else every ``*.ttl`` of
    ``directory`` (default: the packaged ``shapes/`` folder).

    Files are parsed by pyoxigraph (no remote fetches, line and column on syntax errors).
    """
    paths = list(files) if files else sorted((directory or packaged_dir("shapes")).glob("*.ttl"))
    for path in paths:
        if not path.is_file():
            raise InputError("missing shapes file", path)
    shapes = rdflib.Graph()
    for path in paths:
        shapes.parse(data=_to_ntriples(load_files([path])), format="nt")
    return shapes


@lru_cache(maxsize=1)
def compiled_shapes() -> Compiled:
    """The packaged shapes, compiled once per process."""
    return compile_shapes(load_shapes())


def shapes_graph(files: list[Path] | None = None) -> rdflib.Graph:
    """The shapes of ``--shapes`` files (default: the packaged shapes); files holding no
    SHACL term are refused, so a mistaken file never passes everything silently."""
    if not files:
        return load_shapes()
    shapes = load_shapes(files=files)
    if not any(str(p).startswith(str(SH)) for p in shapes.predicates()):
        raise InputError("no SHACL shapes in the --shapes files", ", ".join(str(f) for f in files))
    return shapes


def compile_for(files: list[Path] | None = None) -> Compiled:
    """Compiled checks of ``--shapes`` files (default: the packaged shapes, cached).

    Raises :class:`alskg.shacl.Unsupported` (one line, exit 2) for an unclaimed feature,
    before any data is read.
    """
    return compile_shapes(shapes_graph(files)) if files else compiled_shapes()


def _to_ntriples(store: Store) -> str:
    return serialize_rdf((q.triple for q in store), format=RdfFormat.N_TRIPLES).decode("utf-8")


def _text(term: NamedNode | Literal | BlankNode | rdflib.term.Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, (NamedNode, rdflib.URIRef)):
        return vocab.compress(term.value if isinstance(term, NamedNode) else str(term))
    if isinstance(term, (BlankNode, rdflib.BNode)):
        return f"_:{term.value if isinstance(term, BlankNode) else term}"
    return term.value if isinstance(term, Literal) else str(term)


def _finding(v: Violation) -> ShaclFinding:
    shape = v.shape if not v.shape.startswith("_:") else ""
    return ShaclFinding(v.severity, _text(v.focus), vocab.compress(v.path) if v.path else "", _text(v.value),
                   v.message, vocab.compress(shape) if shape else "", v.component)


def validate_store(store: Store, compiled: Compiled | None = None) -> ValidationReport:
    """Validate the default graph of a store with compiled shapes (default: the packaged ones)."""
    findings = sorted({_finding(v) for v in run(compiled or compiled_shapes(), store)},
                      key=lambda f: (_SEVERITY_ORDER.get(f.severity, 9), f))
    triples = len(store)
    return ValidationReport(not any(f.severity == "Violation" for f in findings), findings, triples)


def _pyshacl(store: Store, shapes: rdflib.Graph | None = None) -> ValidationReport:
    import pyshacl

    data = rdflib.Graph()
    data.parse(data=_to_ntriples(store), format="nt")
    shacl_graph = shapes if shapes is not None else load_shapes()
    _, results, _ = pyshacl.validate(data, shacl_graph=shacl_graph, inference="none", advanced=True)
    findings = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        shape = results.value(r, SH.sourceShape)
        findings.append(ShaclFinding(
            _text(results.value(r, SH.resultSeverity)).removeprefix("sh:"), _text(results.value(r, SH.focusNode)),
            _text(results.value(r, SH.resultPath)), _text(results.value(r, SH.value)),
            _text(results.value(r, SH.resultMessage)),
            _text(shape) if isinstance(shape, rdflib.URIRef) else "",
            _text(results.value(r, SH.sourceConstraintComponent)).removeprefix("sh:")))
    findings.sort(key=lambda f: (_SEVERITY_ORDER.get(f.severity, 9), f))
    return ValidationReport(not any(f.severity == "Violation" for f in findings), findings, len(data))


def _engine(engine: str, shape_files: list[Path] | None) -> Callable[[Store], ValidationReport]:
    """The validation to run; the shapes are loaded (and, for the sparql engine, compiled)
    first, so bad shapes are refused before any data is read."""
    if engine == "sparql":
        compiled = compile_for(shape_files)
        return lambda store: validate_store(store, compiled)
    shapes = shapes_graph(shape_files)
    return lambda store: _pyshacl(store, shapes)


def validate_files(files: list[Path], engine: str = "sparql", shape_files: list[Path] | None = None) -> ValidationReport:
    """Validate RDF files (Turtle, N-Triples, N-Quads, TriG, …) against the packaged shapes
    or ``shape_files``."""
    validation = _engine(engine, shape_files)
    for path in files:
        if not path.is_file():
            raise InputError("missing RDF file", path)
    return validation(load_files(files))


def validate_build(build_dir: Path, engine: str = "sparql", shape_files: list[Path] | None = None) -> ValidationReport:
    """Validate the merged view of a build.

    The merged view is bulk-loaded into an in-memory store: Oxigraph answers the join-heavy
    constraint queries 5-15 times faster in memory than on disk, which more than pays for the
    load at the size of the full release. It is read from ``alskg.nt`` when the build wrote
    one; else from ``alskg.nq``, whose named graphs' union is the merged view (streamed with
    each line's graph cut off, :mod:`alskg.quadlines`: several times faster than the store); else streamed
    out of the build's own store (which holds exactly the merged view).
    """
    validation = _engine(engine, shape_files)
    with collector_paused():
        store = _merged_view(build_dir)
        report = validation(store)
    keep_until_exit(store)  # a command-line run leaves without spending seconds freeing it
    return report


def _merged_view(build_dir: Path) -> Store:
    """The build's merged view in a new in-memory store (see :func:`validate_build`)."""
    with reading(build_dir) as folder:  # one whole build, held while it is read
        path = folder / "alskg.nt"
        if path.is_file():
            store = memory_store()
            with parser_limits(path):
                store.bulk_load(path=str(path), format=RdfFormat.N_TRIPLES, lenient=True)
            return store
        if (loaded := _load_nquads(folder / "alskg.nq")) is not None:
            return loaded
        if not (folder / STORE_DIRNAME).is_dir():
            raise InputError("no built graph here: run `alskg build` first", build_dir / STORE_DIRNAME)
        store = memory_store()
        _copy_store(folder / STORE_DIRNAME, store)
        return store


def _load_nquads(path: Path) -> Store | None:
    """The merged view of a build's N-Quads in a new in-memory store, streamed with each line's
    graph cut off (:class:`alskg.quadlines.TriplesOfQuads`); None when there is no such file or
    it is not of the shape a build writes.

    Whole chunks are cut at once; if the parser refuses that stream, the file is read again
    checking each line, so that a line a build never writes is declined (and a real syntax
    error reported) exactly as a line-by-line read would."""
    if not path.is_file():
        return None
    try:
        return _read_nquads(path, whole_chunks=True)
    except _Unchecked:
        return _read_nquads(path, whole_chunks=False)


class _Unchecked(Exception):
    """The parser refused a stream in which some chunk was cut whole (its lines' shape unchecked)."""


def _read_nquads(path: Path, whole_chunks: bool) -> Store | None:
    store = memory_store()
    with path.open("rb") as handle, parser_limits(path):
        reader = TriplesOfQuads(handle, whole_chunks=whole_chunks)
        try:
            store.bulk_load(input=reader, format=RdfFormat.N_TRIPLES, lenient=True)
        except SyntaxError:
            if reader.declined:
                pass  # the stream stopped inside a line at the line declined: the parser saw it cut short
            elif reader.whole_chunks:
                raise _Unchecked from None  # read again line by line (a file of no chunk cut whole is not)
            else:
                raise
    return None if reader.declined else store


def _copy_store(path: Path, target: Store) -> None:
    """Bulk-load the default graph of the on-disk store at ``path`` into ``target``.

    The store dumps N-Triples into a pipe from a second thread while ``target`` loads them,
    so the merged view is never written to disk nor held as text."""
    try:
        source = Store.read_only(str(path))
    except OSError as exc:
        raise InputError(f"cannot open the store: {exc}", path) from None
    read_fd, write_fd = os.pipe()
    failure: list[BaseException] = []

    def dump() -> None:
        with open(write_fd, "wb", buffering=1 << 20) as out:
            try:
                source.dump(out, format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph())
            except (OSError, ValueError) as exc:  # the loader stopped reading: it reports why
                failure.append(exc)

    writer = threading.Thread(target=dump, name="alskg-store-dump")
    writer.start()
    try:
        with open(read_fd, "rb", buffering=1 << 20) as feed:
            target.bulk_load(input=feed, format=RdfFormat.N_TRIPLES, lenient=True)
    finally:
        writer.join()
    if failure:
        raise InputError(f"cannot read the store: {failure[0]}", path)


def report_graph(report: ValidationReport) -> rdflib.Graph:
    """The report as a standard ``sh:ValidationReport`` (results as blank nodes)."""
    g = rdflib.Graph()
    g.bind("sh", SH)
    root = rdflib.BNode("report")
    g.add((root, RDF.type, SH.ValidationReport))
    g.add((root, SH.conforms, rdflib.Literal(report.conforms)))
    conv = vocab.converter()
    for n, f in enumerate(report.findings):
        node = rdflib.BNode(f"r{n}")
        g.add((root, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.resultSeverity, SH[f.severity]))
        g.add((node, SH.focusNode, _term(f.focus, conv)))
        if f.path:
            g.add((node, SH.resultPath, rdflib.URIRef(conv.expand(f.path) or f.path)))
        if f.value:
            g.add((node, SH.value, _term(f.value, conv)))
        g.add((node, SH.resultMessage, rdflib.Literal(f.message)))
        if f.component:
            g.add((node, SH.sourceConstraintComponent, SH[f.component]))
        if f.shape:
            g.add((node, SH.sourceShape, rdflib.URIRef(conv.expand(f.shape) or f.shape)))
    return g


def _term(text: str, conv: object) -> rdflib.term.Node:
    if text.startswith("_:"):
        return rdflib.BNode(text[2:])
    iri = conv.expand(text) if vocab.is_curie(text) else None  # type: ignore[attr-defined]
    if iri:
        return rdflib.URIRef(iri)
    return rdflib.URIRef(text) if text.startswith(("http://", "https://")) else rdflib.Literal(text)


def render_report(report: ValidationReport, fmt: str, source: str) -> str:
    """The report as text (summary, then one finding a line), JSON, or SHACL Turtle."""
    if fmt == "json":
        doc = {"source": source, "conforms": report.conforms, "triples": report.triples,
               "counts": report.counts(), "findings": [asdict(f) for f in report.findings]}
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if fmt == "ttl":
        return report_graph(report).serialize(format="turtle")
    verdict = "conforms" if report.conforms else "does NOT conform"
    counts = ", ".join(f"{n} {sev}" for sev, n in report.counts().items()) or "no findings"
    lines = [f"{source}: {report.triples} statements; {verdict} ({counts})"]
    for f in report.findings:
        where = f" {f.path}" if f.path else ""
        value = f" = {f.value}" if f.value and f.value != f.focus else ""
        shape = f" [{f.shape}]" if f.shape else ""
        lines.append(f"{f.severity}: {f.focus}{where}{value}: {f.message}{shape}")
    return "\n".join(lines) + "\n"
