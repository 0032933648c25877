"""SHACL validation of the built graph or of any RDF file, with pySHACL.

Files are parsed by pyoxigraph (which never fetches remote documents or contexts and gives
line/column on syntax errors) and handed to pySHACL as N-Triples. Findings are flattened
into :class:`Finding` records, sorted, and rendered as text, JSON or a SHACL report in Turtle.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

from alskg import vocab
from alskg.errors import InputError
from alskg.packaged import packaged_dir
from alskg.store import load_files

REPORT_FORMATS = ("text", "json", "ttl")


@dataclass(frozen=True, order=True)
class Finding:
    """One SHACL result, as plain text (CURIEs where a prefix fits)."""

    severity: str
    focus: str
    path: str
    value: str
    message: str
    shape: str


@dataclass
class Report:
    """The outcome of a validation: verdict, findings and the raw SHACL report graph."""

    conforms: bool
    findings: list[Finding] = field(default_factory=list)
    graph: rdflib.Graph | None = None
    triples: int = 0

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(f.severity for f in self.findings).items()))


def load_shapes(directory: Path | None = None) -> rdflib.Graph:
    """All ``*.ttl`` shape files of the packaged ``shapes/`` folder as one graph."""
    folder = directory or packaged_dir("shapes")
    shapes = rdflib.Graph()
    for path in sorted(folder.glob("*.ttl")):
        shapes.parse(data=_to_ntriples(load_files([path])), format="nt")
    return shapes


def _to_ntriples(store: ox.Store) -> str:
    return ox.serialize((q.triple for q in store), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def data_graph(files: list[Path]) -> rdflib.Graph:
    """Parse RDF files (merging named graphs) into one rdflib graph for pySHACL."""
    graph = rdflib.Graph()
    graph.parse(data=_to_ntriples(load_files(files)), format="nt")
    return graph


def _text(node: rdflib.term.Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, rdflib.URIRef):
        return vocab.compress(str(node))
    return str(node)


def _findings(results: rdflib.Graph) -> list[Finding]:
    out = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        out.append(Finding(
            severity=_text(results.value(result, SH.resultSeverity)).removeprefix("sh:"),
            focus=_text(results.value(result, SH.focusNode)),
            path=_text(results.value(result, SH.resultPath)),
            value=_text(results.value(result, SH.value)),
            message=_text(results.value(result, SH.resultMessage)),
            shape=_text(results.value(result, SH.sourceShape)),
        ))
    return sorted(out)


def validate_graph(data: rdflib.Graph, shapes: rdflib.Graph | None = None) -> Report:
    """Validate ``data`` against the shapes; warnings and infos do not break conformance."""
    import pyshacl

    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=shapes if shapes is not None else load_shapes(),
        inference="none", advanced=True, allow_warnings=True, allow_infos=True,
    )
    return Report(bool(conforms), _findings(results), results, len(data))


def validate_files(files: list[Path]) -> Report:
    """Validate RDF files (Turtle, N-Triples, N-Quads, TriG, …)."""
    for path in files:
        if not path.is_file():
            raise InputError("missing RDF file", path)
    return validate_graph(data_graph(files))


def validate_build(build_dir: Path) -> Report:
    """Validate the merged graph of a build (``alskg.nt``)."""
    path = build_dir / "alskg.nt"
    if not path.is_file():
        raise InputError("no built graph here: run `alskg build` first", path)
    return validate_files([path])


def render_report(report: Report, fmt: str, source: str) -> str:
    """The report as text (summary, then one finding a line), JSON, or SHACL Turtle."""
    if fmt == "json":
        doc = {"source": source, "conforms": report.conforms, "triples": report.triples,
               "counts": report.counts(), "findings": [asdict(f) for f in report.findings]}
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if fmt == "ttl":
        assert report.graph is not None
        return report.graph.serialize(format="turtle")
    verdict = "conforms" if report.conforms else "does NOT conform"
    counts = ", ".join(f"{n} {sev}" for sev, n in report.counts().items()) or "no findings"
    lines = [f"{source}: {report.triples} triples; {verdict} ({counts})"]
    for f in report.findings:
        where = f" {f.path}" if f.path else ""
        value = f" = {f.value}" if f.value else ""
        shape = f" [{f.shape}]" if f.shape and not f.shape.startswith(("N", "_:")) else ""
        lines.append(f"{f.severity}: {f.focus}{where}{value}: {f.message}{shape}")
    return "\n".join(lines) + "\n"
