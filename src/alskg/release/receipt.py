"""The release's receipts: ``metadata.ttl`` (DCAT/VoID), ``release.json``, ``SHA256SUMS``, ``README.md``.

``metadata.ttl`` is the build's own description (graph ``alskg/graph/metadata``: the dataset,
its sources with versions and checksums, VoID counts) extended with one ``dcat:Distribution``
per file of the folder (``dcat:downloadURL`` relative to the folder, so the file resolves
against its own location; ``dcat:mediaType``; ``dcat:byteSize``; an ``spdx:checksum``), the
Biolink Model version (``dct:conformsTo``) and the exact row and triple counts of each file.
``release.json`` holds the same facts as plain JSON for pipelines that read no RDF.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from alskg import vocab
from alskg.checksum import sha256_file
from alskg.export import Compactor, blocks_of
from alskg.rdf import terms as t
from alskg.rdf.metadata import DATASET
from alskg.release.dumps import turtle_prefixes

SPDX = "http://spdx.org/rdf/terms#"
IANA = "https://www.iana.org/assignments/media-types/"
BIOLINK_MODEL = "https://w3id.org/biolink/biolink-model"


@dataclass(frozen=True)
class FileKind:
    """What a release file is: its format's name and media type, whether it is gzipped."""

    title: str
    media_type: str
    gzip: bool = True


@dataclass
class ReleaseFile:
    """One written file: its name, kind, size, checksum and what it counts."""

    name: str
    kind: FileKind
    count: int | None = None  # triples, quads or rows
    count_of: str = ""  # "triples", "quads", "rows"
    size: int = 0
    sha256: str = ""

    def measure(self, folder: Path) -> None:
        self.size = (folder / self.name).stat().st_size
        self.sha256 = sha256_file(folder / self.name)


@dataclass
class Source:
    """A source of the build, as its metadata describes it."""

    id: str
    title: str
    version: str
    sha256: str = ""
    license: str = ""
    files: list[str] = field(default_factory=list)


@dataclass(frozen=True, order=True)
class SourceDefect:
    """A reference of a source annotation that is no well-formed id, kept as written on its edge."""

    edge: str
    original_subject: str
    object: str
    reference: str


@dataclass
class Facts:
    """What the receipts say about a release, beside its files."""

    version: str
    scope: str
    issued: str
    alskg_version: str
    biolink_version: str
    mondo_version: str
    command: list[str]
    sources: list[Source]
    counts: dict[str, int]


def _distribution(name: str, version: str) -> str:
    return t.iri(f"{DATASET}/{version}/{name}")


def _describe_file(lines: set[str], facts: Facts, f: ReleaseFile, index: int) -> None:
    d = _distribution(f.name, facts.version)
    checksum = f"_:checksum{index}"
    lines.update({
        f"{t.iri(DATASET)} {t.ns(vocab.DCAT, 'distribution')} {d}",
        f"{d} {t.RDF_TYPE} {t.ns(vocab.DCAT, 'Distribution')}",
        f"{d} {t.ns(vocab.DCT, 'title')} {t.lit(f.kind.title)}",
        f"{d} {t.ns(vocab.DCAT, 'downloadURL')} <{f.name}>",
        f"{d} {t.ns(vocab.DCAT, 'mediaType')} {t.iri(IANA + f.kind.media_type)}",
        f"{d} {t.ns(vocab.DCAT, 'byteSize')} {t.typed(str(f.size), 'nonNegativeInteger')}",
        f"{d} {t.ns(SPDX, 'checksum')} {checksum}",
        f"{checksum} {t.RDF_TYPE} {t.ns(SPDX, 'Checksum')}",
        f"{checksum} {t.ns(SPDX, 'algorithm')} {t.ns(SPDX, 'checksumAlgorithm_sha256')}",
        f"{checksum} {t.ns(SPDX, 'checksumValue')} {t.typed(f.sha256, 'hexBinary')}",
    })
    if f.kind.gzip:
        lines.add(f"{d} {t.ns(vocab.DCAT, 'compressFormat')} {t.iri(IANA + 'application/gzip')}")
    if f.count is not None:
        prop = t.ns(vocab.VOID, "triples") if f.count_of in ("triples", "quads") else t.ns(vocab.VOID, "entities")
        lines.add(f"{d} {prop} {t.integer(f.count)}")


def metadata_turtle(build_metadata: list[str], facts: Facts, files: list[ReleaseFile]) -> str:
    """The build's metadata triples plus the release's distributions, as sorted Turtle."""
    lines = set(build_metadata)
    ds = t.iri(DATASET)
    standard = t.iri(BIOLINK_MODEL)
    lines.update({
        f"{ds} {t.ns(vocab.DCT, 'identifier')} {t.lit('alskg-' + facts.version)}",
        f"{ds} {t.ns(vocab.DCT, 'conformsTo')} {standard}",
        f"{standard} {t.RDF_TYPE} {t.ns(vocab.DCT, 'Standard')}",
        f"{standard} {t.ns(vocab.DCT, 'title')} {t.lit('Biolink Model')}",
        f"{standard} {t.ns(vocab.DCAT, 'version')} {t.lit(facts.biolink_version)}",
    })
    for source in facts.sources:  # checksums found beside the build's own (MONDO's files)
        if source.sha256:
            lines.add(f"{t.curie(source.id)} {t.v('sha256')} {t.lit(source.sha256)}")
    for index, f in enumerate(sorted(files, key=lambda f: f.name)):
        _describe_file(lines, facts, f, index)
    compactor = Compactor({**turtle_prefixes(), "spdx": SPDX})
    return compactor.header() + "".join(compactor.block(s, pairs) for s, pairs in blocks_of(sorted(lines)))


def release_json(facts: Facts, files: list[ReleaseFile]) -> str:
    """The plain build receipt."""
    receipt = {
        "name": f"alskg-{facts.version}",
        "version": facts.version,
        "scope": facts.scope,
        "issued": facts.issued,
        "alskg_version": facts.alskg_version,
        "biolink_model_version": facts.biolink_version,
        "mondo_version": facts.mondo_version,
        "command": facts.command,
        "sources": [{"id": s.id, "title": s.title, "version": s.version, "sha256": s.sha256 or None,
                     "license": s.license or None, "files": s.files} for s in facts.sources],
        "counts": facts.counts,
        "files": [{"name": f.name, "format": f.kind.title, "media_type": f.kind.media_type, "gzip": f.kind.gzip,
                   "bytes": f.size, "sha256": f.sha256, **({f.count_of: f.count} if f.count is not None else {})}
                  for f in sorted(files, key=lambda f: f.name)],
    }
    return json.dumps(receipt, indent=2, ensure_ascii=False) + "\n"


def sha256sums(files: list[ReleaseFile]) -> str:
    """``sha256sum``'s format (two spaces: text mode), one line per file, by name."""
    return "".join(f"{f.sha256}  {f.name}\n" for f in sorted(files, key=lambda f: f.name))


def readme(facts: Facts, files: list[ReleaseFile], columns: dict[str, list[str]],
           defects: list[SourceDefect] | tuple[SourceDefect, ...] = ()) -> str:
    """A short README naming each file, its format and (for tables) its columns."""
    out = [f"# alskg-{facts.version}", "",
           f"alskg release {facts.version} (scope: {facts.scope}; issued {facts.issued}; alskg {facts.alskg_version};"
           f" Biolink Model {facts.biolink_version}; MONDO {facts.mondo_version}).",
           "Every file is listed with its SHA-256 in `SHA256SUMS` (check with `sha256sum -c SHA256SUMS`);",
           "`metadata.ttl` (DCAT/VoID) and `release.json` describe the sources, counts and files.",
           "Gzipped files are deterministic (no file name, mtime 0): two releases of the same inputs",
           "are byte-identical.", "", "| file | format |", "|---|---|"]
    for f in sorted(files, key=lambda f: f.name):
        out.append(f"| `{f.name}` | {f.kind.title} |")
    out += ["| `metadata.ttl` | DCAT/VoID description (Turtle; `dcat:downloadURL`s are relative to this folder) |",
            "| `release.json` | the same facts as JSON: versions, counts, checksums, the command line |",
            "| `SHA256SUMS` | checksums of every other file |",
            "| `README.md` | this file |", ""]
    for name, cols in sorted(columns.items()):
        out.append(f"Columns of `{name}`: " + ", ".join(f"`{c}`" for c in cols) + ".")
    out += ["", "TSV cells with several values join them with `|`; JSON Lines keeps lists.",
            "Edges are the graph's Biolink associations (edge id = association id); nodes are their ends.",
            "The `_other_` files hold alskg's own statements (classes outside Biolink), which the KGX files",
            "leave out. Everything else (ontology, page sections, metadata) is in the RDF files only.", ""]
    out += ["## Source defects", "",
            "References of the sources that are no well-formed identifier (e.g. a PubMed id with a letter) are",
            "kept as written, as `dct:bibliographicCitation` literals of their edge, never as `publications`.",
            f"This release has {len(defects)}" + (":" if defects else "."), ""]
    if defects:
        out += ["| edge | original subject | object | reference as written |", "|---|---|---|---|"]
        out += [f"| `{d.edge}` | `{d.original_subject}` | `{d.object}` | `{d.reference}` |" for d in defects]
        out.append("")
    return "\n".join(out)
