"""The SHACL pass: the submission as alskg RDF, validated with the project's shapes.

HPOA rows without errors are mapped with the HPOA mapper (:mod:`alskg.rdf.submissions`), RDF submissions
are taken as written; both get the HP terms they use, with their ancestors, labels and types
(as the build's ``hpo`` graph gives them), so class and label constraints see what the built
graph would. The shapes run on the compiled engine (:mod:`alskg.shacl`). Each result is
mapped back to the file through the node it is about: an association to its row, a disease,
publication, curator or HP term to the first row that brought it in, and the result's path to
the column (``biolink:object`` → hpo_id, ``biolink:publications`` → reference, …).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from alskg import vocab
from alskg.rdf import terms as t
from alskg.rdf.hpo import MODE_OF_INHERITANCE, used_terms
from alskg.rdf.hpo import term_triples
from alskg.rdf.submissions import SubmissionRecord, map_submitted, record_blocks, submission_groups
from alskg.rdfmodel import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple
from alskg.shacl import Violation, run
from alskg.store import Store, memory_store
from alskg.validate import compiled_shapes

from .records import Position, Submission, SubmittedRow
from .reference import ReferenceData
from .rules import SHACL_SEVERITY, RuleFinding, shacl_rule_id

BL = vocab.BIOLINK
SHAPES = "https://w3id.org/alskg/shapes/"
_HP_NODE = "<http://purl.obolibrary.org/obo/HP_"
#: Result path → the HPOA column it comes from.
PATH_FIELDS = {
    BL + "subject": "database_id", BL + "object": "hpo_id", BL + "predicate": "aspect",
    vocab.RDF + "type": "aspect", BL + "negated": "qualifier", BL + "publications": "reference",
    vocab.DCT + "source": "reference", BL + "has_evidence": "evidence", BL + "onset_qualifier": "onset",
    BL + "frequency_qualifier": "frequency", BL + "has_count": "frequency", BL + "has_total": "frequency",
    BL + "has_quotient": "frequency", BL + "has_percentage": "frequency", BL + "sex_qualifier": "sex",
    BL + "clinical_modifier_qualifier": "modifier", vocab.DCT + "contributor": "biocuration", vocab.DCT + "created": "biocuration",
    vocab.DCT + "modified": "biocuration", vocab.RDFS + "label": "disease_name", BL + "name": "disease_name",
}
_TERM_FIELDS = ("hpo_id", "onset", "frequency")


@dataclass
class ShaclSummary:
    """What the SHACL pass did, for the report's summary."""

    ran: bool
    note: str
    rows: int = 0
    left_out: int = 0
    triples: int = 0
    results: int = 0


def _rows(n: int) -> str:
    return f"{n} row" + ("" if n == 1 else "s")


class Owners:
    """Which row (and column) brought each node into the graph."""

    def __init__(self) -> None:
        self.nodes: dict[str, tuple[SubmittedRow, str]] = {}

    def add(self, node: str, row: SubmittedRow, field: str) -> None:
        self.nodes.setdefault(node, (row, field))

    def add_terms(self, row: SubmittedRow) -> None:
        for field in _TERM_FIELDS:
            value = row.value(field)
            if value.startswith("HP:"):
                self.add(t.curie(value), row, field)
        for item in row.items("modifier"):
            if item.text.startswith("HP:"):
                self.add(t.curie(item.text), row, "modifier")


def _text(term: NamedNode | BlankNode | Literal | Triple | None) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return vocab.compress(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, Literal) else f"<< {term} >>"


class GraphLoader:
    """Loads N-Triples lines (our own, valid by construction) into an in-memory store in chunks,
    noting the HP terms they use, so the full release never sits in memory as one string."""

    CHUNK = 100_000

    def __init__(self) -> None:
        self.store = memory_store()
        self.terms: set[str] = set()
        self.count = 0
        self._chunk: list[str] = []

    def add(self, lines: Iterable[str]) -> None:
        self._chunk.extend(lines)
        if len(self._chunk) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        if self._chunk:
            self.terms |= used_terms(self._chunk)
            self.count += len(self._chunk)
            self.store.bulk_load(input=(" .\n".join(self._chunk) + " .\n").encode("utf-8"),
                                 format=RdfFormat.N_TRIPLES)
            self._chunk = []

    def add_triples(self, triples: list[Triple]) -> None:
        """Parsed triples (RDF input, which may hold RDF 1.2 triple terms) go in as they are."""
        self.terms |= used_terms(str(t) for t in triples)
        self.count += len(triples)
        self.store.extend(Quad(t.subject, t.predicate, t.object) for t in triples)

    def finish(self, reference: ReferenceData) -> Store:
        """Add the HP terms used (see :func:`_hpo_lines`) and the categories a build writes beside
        every Biolink type (:mod:`alskg.rdf.categories`), and return the store: a submission is
        checked as it would be merged."""
        self.flush()
        self.add(_hpo_lines(reference, self.terms))
        self.flush()
        self.store.update(f"INSERT {{ ?s <{vocab.BIOLINK}category> ?c }} WHERE {{ ?s a ?c "
                          f"FILTER (STRSTARTS(STR(?c), \"{vocab.BIOLINK}\")) }}")
        return self.store


def _hpo_lines(reference: ReferenceData, term_ids: Iterable[str]) -> list[str]:
    """HP terms described as the build's hpo graph describes them (label, definition, synonyms,
    parents, type: GeneticInheritance under HP:0000005, else PhenotypicFeature; owl:deprecated
    when obsolete). Their ancestors, which the build adds for queries, are left out: no shape
    needs them, and they would double the graph."""
    terms = reference.hpo.ontology.terms
    inheritance = reference.hpo.subtrees[MODE_OF_INHERITANCE]
    out: list[str] = []
    for term_id in sorted(term_ids):
        if term_id in terms:
            out += [f"{s} {p} {o}" for s, p, o in term_triples(terms[term_id], term_id in inheritance)]
    return out


class FocusLocator:
    """Turns a SHACL result into a position, a column name and a finding."""

    def __init__(self, submission: Submission, owners: Owners, reference: ReferenceData) -> None:
        self.sub = submission
        self.owners = owners
        self.ref = reference

    def where(self, v: Violation) -> tuple[Position, str]:
        focus = str(v.focus)
        path_field = PATH_FIELDS.get(v.path or "", "")
        if path_field == "disease_name" and focus.startswith(_HP_NODE):
            path_field = "hpo_label"
        owner = self.owners.nodes.get(focus)
        if owner is not None:
            row, field = owner
            if not field or (field == "database_id" and path_field == "disease_name"):
                field = path_field
            return (row.position(field) if field else (row.line, 1)), field
        if self.sub.locate is not None:
            return self.sub.locate(focus), path_field
        return (0, 0), path_field

    def finding(self, v: Violation) -> RuleFinding:
        (line, column), field = self.where(v)
        value = _text(v.value) if v.value is not None else _text(v.focus)
        shape = "" if not v.shape or v.shape.startswith("_:") else vocab.compress(v.shape).replace(SHAPES, "alskgsh:")
        label = self.ref.hpo.label(value) if value.startswith("HP:") else ""
        return RuleFinding(shacl_rule_id(v.component), SHACL_SEVERITY.get(v.severity, "error"), line, column,
                       field, value, v.message, f"see shape {shape}" if shape else "", label,
                       v.focus.value if isinstance(v.focus, NamedNode) else str(v.focus))


def _validate(store: Store, locator: FocusLocator) -> list[RuleFinding]:
    return sorted({locator.finding(v) for v in run(compiled_shapes(), store)}, key=RuleFinding.sort_key)


def shacl_hpoa(submission: Submission, rows: list[SubmittedRow], clean: list[SubmittedRow],
               reference: ReferenceData, record: SubmissionRecord) -> tuple[list[RuleFinding], ShaclSummary]:
    """Map the rows without errors with the HPOA mapper and validate them (plus their HP terms)."""
    by_line = {row.line: row for row in clean}
    owners = Owners()
    loader = GraphLoader()
    for (subject, pairs), annotation, field in map_submitted(
            submission_groups((r.annotation() for r in clean), record.curie)):
        owners.add(subject, by_line[annotation.line], field)
        loader.add(f"{subject} {p} {o}" for p, o in pairs)
    for row in clean:
        owners.add_terms(row)
    for subject, pairs in record_blocks(record):
        loader.add(f"{subject} {p} {o}" for p, o in pairs)
    findings = _validate(loader.finish(reference), FocusLocator(submission, owners, reference))
    left_out = len(rows) - len(clean)
    note = f"{_rows(len(clean))} converted with the HPOA mapper" + (
        f" ({_rows(left_out)} with errors left out)" if left_out else "")
    return findings, ShaclSummary(True, note, len(clean), left_out, loader.count, len(findings))


def _original_subjects(triples: list[Triple]) -> list[Triple]:
    """``biolink:original_subject`` for associations written without it: a merge maps the row
    again and records the disease id the curator wrote (ADR 10), so the check does the same."""
    subject, original = NamedNode(vocab.BIOLINK + "subject"), NamedNode(vocab.BIOLINK + "original_subject")
    have = {t.subject for t in triples if t.predicate == original}
    return [Triple(t.subject, original, Literal(vocab.compress(t.object.value)))
            for t in triples if t.predicate == subject and t.subject not in have and isinstance(t.object, NamedNode)]


def shacl_rdf(submission: Submission, reference: ReferenceData) -> tuple[list[RuleFinding], ShaclSummary]:
    """Validate an RDF submission as written (plus the HP terms it uses)."""
    owners = Owners()
    for row in submission.rows:
        owners.add(row.node, row, "")
    triples = submission.triples or []
    loader = GraphLoader()
    loader.add_triples(triples + _original_subjects(triples))
    findings = _validate(loader.finish(reference), FocusLocator(submission, owners, reference))
    note = f"the file's {len(triples)} triples validated as written"
    return findings, ShaclSummary(True, note, len(submission.rows), 0, loader.count, len(findings))
