"""Reading a submission written as RDF (Turtle or N-Triples) shaped like alskg's own associations.

Each node typed with one of the five HPOA association classes (``alskg.rdf.hpoa.ASPECTS``)
becomes one :class:`SubmittedRow`, read back through the mapping of ``docs/data-model.md``
(subject → database_id, rdfs:label of the subject → disease_name, negated → NOT, object →
hpo_id, publications + dct:source → reference, has_evidence → evidence, …, dct:contributor +
dct:created → biocuration), so the same rules apply as to a TSV row. The file's own triples
are what the SHACL pass validates.

Positions: pyoxigraph gives none for triples, so they are found in the text: in N-Triples a
value's line is the line of its triple (column of the object); in Turtle every value of a
node is reported where the node first appears. A syntax error is an :class:`InputError` with
the parser's line and column.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from alskg import rdfmodel, vocab
from alskg.errors import InputError
from alskg.rdf_guard import parser_limits
from alskg.rdf.hpoa import ASPECTS, EVIDENCE, SEX
from alskg.rdfmodel import BlankNode, Literal, NamedNode, Node, RdfFormat, Term, Triple
from alskg.sources.hpoa import COLUMNS

from .records import Position, Submission, SubmittedRow

_FORMATS = {"ttl": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES}
BL = vocab.BIOLINK
_RDF_TYPE = vocab.RDF + "type"
_LABEL = vocab.RDFS + "label"
_ASPECT_OF = {cls.strip("<>"): aspect for aspect, (cls, _) in ASPECTS.items()}
_EVIDENCE_OF = {vocab.expand(eco): code for code, eco in EVIDENCE.items()}
_SEX_OF = {vocab.expand(pato): sex for sex, pato in SEX.items()}
_NT_TRIPLE = re.compile(r"^\s*(<[^>\s]*>|_:\S+)\s+(<[^>\s]*>)\s+")
#: an IRI in angle brackets, or a run of the characters of prefixed names and blank-node labels
_TOKEN = re.compile(r"<[^<>\s]*>|[A-Za-z0-9_\-.:%]+")


def _text(term: Term | Triple) -> str:
    """A value as HPOA writes it: a CURIE where a prefix fits, else the IRI or literal text."""
    if isinstance(term, NamedNode):
        return vocab.compress(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        return term.value
    return f"<< {term} >>"  # an RDF 1.2 triple term


class TermLocator:
    """Finds where a node first appears in the text of an RDF file.

    The text is read once into an index of its tokens (each ``<IRI>`` and each run of name
    characters: prefixed names, blank-node labels) with the offset of their first
    occurrence, so locating every node of a file costs time linear in its size. (Searching
    the text for each node was quadratic: an anonymous ``[]`` node, whose label is not in the
    text, scanned the whole file.)
    """

    def __init__(self, text: str, prefixes: dict[str, str]) -> None:
        self.text = text
        self.prefixes = prefixes
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.known: dict[str, Position] = {}
        self._first_offsets: dict[str, int] | None = None

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def _forms(self, term: str) -> list[str]:
        if term.startswith("_:"):
            return [term]
        iri = term.strip("<>")
        forms = [f"<{iri}>"]
        forms += [f"{p}:{iri[len(ns):]}" for p, ns in self.prefixes.items() if iri.startswith(ns) and len(iri) > len(ns)]
        return forms

    def _offsets(self) -> dict[str, int]:
        """Each token of the text → the offset of its first occurrence (built once)."""
        if self._first_offsets is None:
            first: dict[str, int] = {}
            for match in _TOKEN.finditer(self.text):
                token = match.group(0)
                first.setdefault(token, match.start())
                if token.endswith(".") and not token.startswith("<"):  # `ex:a.` ends a statement
                    first.setdefault(token.rstrip("."), match.start())
            self._first_offsets = first
        return self._first_offsets

    def __call__(self, term: str) -> Position:
        """(line, column) of the first occurrence of an N-Triples term, or (0, 0)."""
        if term not in self.known:
            offsets = self._offsets()
            hits = [offsets[f] for f in self._forms(term) if f in offsets]
            self.known[term] = self.position(min(hits)) if hits else (0, 0)
        return self.known[term]


def _nt_positions(text: str) -> dict[tuple[str, str], Position]:
    """N-Triples: (subject term, predicate IRI) → (line, column of the object) of its first triple."""
    out: dict[tuple[str, str], Position] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        match = _NT_TRIPLE.match(line)
        if match:
            out.setdefault((match.group(1), match.group(2).strip("<>")), (number, match.end() + 1))
    return out


def parse_rdf(path: Path, data: bytes, fmt: str) -> tuple[list[Triple], dict[str, str]]:
    """All triples of the file and its prefixes; a syntax error is an InputError with its position."""
    try:
        with parser_limits(path):
            parser = rdfmodel.parse_rdf(data, format=_FORMATS[fmt])
            triples = [q.triple for q in parser]
    except SyntaxError as exc:
        raise InputError(f"{_FORMATS[fmt].name} syntax error: {exc.msg}", path, exc.lineno, exc.offset) from None
    return triples, dict(parser.prefixes or {})


class Graph:
    """The triples of a file indexed by subject and predicate."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.index: dict[Node, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            self.index[t.subject][t.predicate.value].append(t.object)

    def values(self, node: Node, predicate: str) -> list[Term]:
        found = self.index.get(node)
        return sorted(found.get(predicate, []), key=str) if found else []

    def first(self, node: Node, predicate: str) -> str:
        found = self.values(node, predicate)
        return _text(found[0]) if found else ""

    def associations(self) -> list[tuple[Node, str]]:
        out = []
        for node, props in self.index.items():
            aspects = sorted(_ASPECT_OF[c.value] for c in props.get(_RDF_TYPE, []) if c.value in _ASPECT_OF)
            if aspects:
                out.append((node, aspects[0]))
        return out


def _reference(term: Term) -> str:
    text = _text(term)
    return "ISBN:" + text.removeprefix("isbn:") if text.startswith("isbn:") else text


def _frequency(g: Graph, node: Node) -> str:
    if term := g.first(node, BL + "frequency_qualifier"):
        return term
    count, total = g.first(node, BL + "has_count"), g.first(node, BL + "has_total")
    if count or total:
        return f"{count}/{total}"
    percent = g.first(node, BL + "has_percentage")
    return f"{percent}%" if percent else ""


def _biocuration(g: Graph, node: Node) -> str:
    created = g.first(node, vocab.DCT + "created")
    items = []
    for curator in g.values(node, vocab.DCT + "contributor"):
        name = g.first(curator, _LABEL) if isinstance(curator, (NamedNode, BlankNode)) else ""
        items.append(f"{name or _text(curator)}[{created}]" if created else (name or _text(curator)))
    return ";".join(items)


def _values(g: Graph, node: Node, aspect: str) -> dict[str, str]:
    subjects = g.values(node, BL + "subject")
    disease = subjects[0] if subjects and not isinstance(subjects[0], Literal) else None
    name = (g.first(disease, _LABEL) or g.first(disease, BL + "name")) if disease is not None else ""
    negated = any(v.value in ("true", "1") for v in g.values(node, BL + "negated"))
    references = [_reference(v) for v in g.values(node, BL + "publications")]
    references += [_text(v) for v in g.values(node, vocab.DCT + "source")]
    evidence = [_EVIDENCE_OF.get(v.value, _text(v)) for v in g.values(node, BL + "has_evidence")]
    sex = [_SEX_OF.get(v.value, _text(v)) for v in g.values(node, BL + "sex_qualifier")]
    return {
        "database_id": _text(subjects[0]) if subjects else "",
        "disease_name": name,
        "qualifier": "NOT" if negated else "",
        "hpo_id": g.first(node, BL + "object"),
        "reference": ";".join(references),
        "evidence": evidence[0] if evidence else "",
        "onset": g.first(node, BL + "onset_qualifier"),
        "frequency": _frequency(g, node),
        "sex": sex[0] if sex else "",
        "modifier": ";".join(_text(v) for v in g.values(node, BL + "clinical_modifier_qualifier")),
        "aspect": aspect,
        "biocuration": _biocuration(g, node),
    }


#: Which predicate gives each column (for its position in N-Triples).
_COLUMN_PREDICATES = {
    "database_id": BL + "subject", "qualifier": BL + "negated", "hpo_id": BL + "object",
    "reference": BL + "publications", "evidence": BL + "has_evidence", "onset": BL + "onset_qualifier",
    "frequency": BL + "frequency_qualifier", "sex": BL + "sex_qualifier", "modifier": BL + "clinical_modifier_qualifier",
    "aspect": _RDF_TYPE, "biocuration": vocab.DCT + "contributor",
}


def read_rdf(path: Path, data: bytes, fmt: str, sha256: str) -> Submission:
    """Read a Turtle/N-Triples submission into rows (one per association node) with positions."""
    triples, prefixes = parse_rdf(path, data, fmt)
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    locate = TermLocator(text, prefixes)
    by_line = _nt_positions(text) if fmt == "nt" else {}
    g = Graph(triples)
    submission = Submission(path, fmt, sha256, locate=locate)
    submission.triples = triples
    for node, aspect in g.associations():
        term = str(node)
        here = locate(term)
        values = _values(g, node, aspect)
        positions = [by_line.get((term, _COLUMN_PREDICATES.get(name, "")), here) for name in COLUMNS]
        subjects = g.values(node, BL + "subject")
        if subjects:  # the disease name sits on the disease node
            positions[1] = by_line.get((str(subjects[0]), _LABEL), locate(str(subjects[0])))
        row = SubmittedRow(here[0], [values[c] for c in COLUMNS], [values[c] for c in COLUMNS], positions,
                           node=term, offsets=False)
        objects = g.values(node, BL + "object")
        label = g.first(objects[0], _LABEL) if objects and not isinstance(objects[0], Literal) else ""
        if label:
            row.label = label
            row.label_position = by_line.get((str(objects[0]), _LABEL), locate(str(objects[0])))
        submission.rows.append(row)
    submission.rows.sort(key=lambda r: (r.line, r.node))
    return submission
