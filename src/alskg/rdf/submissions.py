"""Submitted annotations as alskg RDF: the same HPOA mapper, their own source node and graph.

Used twice: by ``alskg check`` (:mod:`alskg.submission.shacl_pass`: the SHACL pass validates
exactly what a merge would add) and by ``alskg build`` (merged submissions go into the named
graph :data:`GRAPH`); it lives with the mappers so that the build needs nothing of the checker. Every
association is ``prov:wasDerivedFrom`` the submission's record,
``ALSKG:source-submission-<first 12 hex digits of the file's SHA-256>``, described (title,
version = merge date, licence, checksum, file name) like the other sources of a release.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from alskg import vocab
from alskg.rdf import terms as t
from alskg.rdf.cliques import Cliques
from alskg.rdf.hpoa import HPOA_SOURCE, Block, HpoaMapper, group_duplicates
from alskg.rdf.metadata import LICENSE, SourceInfo
from alskg.sources.hpoa import COLUMNS, Annotation
from alskg.sources.table_records import MergedAnnotationRow, MergedSubmissionRow

GRAPH = vocab.ALSKG_GRAPH + "submissions"
_DERIVED = t.PROV_DERIVED
_PUBLICATION, _AGENT, _SUBJECT = t.bl("Publication"), t.ns(vocab.PROV, "Agent"), t.bl("subject")


@dataclass(frozen=True)
class SubmissionRecord:
    """One accepted (or checked) submission: the provenance its associations point to."""

    id: str  # first 12 hex digits of sha256
    file_name: str
    sha256: str
    curators: str
    date: str

    @property
    def curie(self) -> str:
        return f"ALSKG:source-submission-{self.id}"

    @property
    def title(self) -> str:
        return f"curator submission {self.file_name}"


def record_blocks(record: SubmissionRecord) -> list[Block]:
    """The record as a source node (the properties ``alskg.rdf.metadata`` gives every source)."""
    return [(t.curie(record.curie), [
        (t.RDF_TYPE, t.ns(vocab.DCAT, "Dataset")),
        (t.ns(vocab.DCT, "title"), t.lit(record.title)),
        (t.ns(vocab.DCAT, "version"), t.lit(record.date)),
        (t.ns(vocab.DCT, "license"), t.iri(LICENSE)),
        (t.v("sha256"), t.lit(record.sha256)),
        (t.v("file_name"), t.lit(record.file_name)),
    ])]


def _field_of(subject: str, pairs: list[tuple[str, str]], disease: str, node: str) -> str:
    """Which HPOA column produced a block (for locating SHACL results)."""
    if subject == node:
        return ""
    types = {o for p, o in pairs if p == t.RDF_TYPE}
    if _PUBLICATION in types:
        return "reference"
    if _AGENT in types:
        return "biocuration"
    return "database_id" if subject == disease else ""


def map_submitted(groups: Iterable[tuple[list[Annotation], str]], known_names: dict[str, str] | None = None,
                  cliques: Cliques | None = None) -> Iterator[tuple[Block, Annotation, str]]:
    """Blocks of annotation groups, each with the row it came from and the column it stands for.

    ``groups`` pairs each group of duplicate rows with the source node (CURIE) of its
    submission. ``known_names`` are diseases already named elsewhere in the graph (the
    release layer): they are not typed and labelled again, and another name becomes a synonym.
    ``cliques`` normalises diseases to their MONDO nodes, as the build does (ADR 10).
    """
    mapper = HpoaMapper(cliques)
    mapper.diseases.update(known_names or {})
    for rows, source in groups:
        node_source = t.curie(source)
        disease = t.curie(mapper.cliques.node(rows[0].database_id))
        for subject, pairs in mapper.association(rows):
            pairs = [(p, node_source if p == _DERIVED and o == HPOA_SOURCE else o) for p, o in pairs]
            node = subject if any(p == _SUBJECT for p, _ in pairs) else ""
            yield (subject, pairs), rows[0], _field_of(subject, pairs, disease, node)


def submission_groups(rows: Iterable[Annotation], source: str) -> list[tuple[list[Annotation], str]]:
    """Rows of one submission grouped as the mapper merges duplicates, each with its source."""
    return [(group, source) for group in group_duplicates(rows)]


def record_of(row: MergedSubmissionRow) -> SubmissionRecord:
    """A row of ``data/submissions.tsv`` as a record."""
    return SubmissionRecord(row.id, row.file_name, row.sha256, row.curators, row.date)


def source_info(record: SubmissionRecord) -> SourceInfo:
    """The record as one of the release's sources (described in the metadata graph)."""
    return SourceInfo(record.curie, record.title, record.date, license=LICENSE, sha256=record.sha256,
                      files=(record.file_name,))


class HeldTriples:
    """What an earlier layer (the release's annotations) already states, watched as it streams by:
    its association nodes, and every triple of its other nodes (diseases, publications, curators,
    direct edges), so merged submissions do not state them a second time."""

    def __init__(self) -> None:
        self.associations: set[str] = set()
        self.lines: set[str] = set()

    def watch(self, blocks: Iterable[Block]) -> Iterator[Block]:
        for subject, pairs in blocks:
            if any(p == _SUBJECT for p, _ in pairs):
                self.associations.add(subject)
            else:
                self.lines.update(f"{subject} {p} {o}" for p, o in pairs)
            yield subject, pairs


def merged_blocks(rows: list[MergedAnnotationRow], known_names: dict[str, str], held: HeldTriples,
                  cliques: Cliques | None = None) -> Iterator[Block]:
    """Blocks of the merged submissions (``data/submitted_annotations.tsv``) for the build:
    each association derived from its submission's record; nothing the release layer holds."""
    annotations = [(Annotation.from_row(r.line, [r[c] for c in COLUMNS]),
                    f"ALSKG:source-submission-{r.submission}") for r in rows]
    for (subject, pairs), _, _ in map_submitted((([a], source) for a, source in annotations), known_names, cliques):
        if subject in held.associations:  # the release states this very annotation
            continue
        fresh = [(p, o) for p, o in pairs if f"{subject} {p} {o}" not in held.lines]
        if fresh:
            yield subject, fresh
