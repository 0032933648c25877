"""Find diseases, phenotypes and genes by name, synonym, lay name or id.

The index is every name of every node typed as a disease, phenotype or gene: labels,
Biolink names and gene symbols, the OBO synonyms (exact, related, broad, narrow),
``skos:altLabel``, ``biolink:synonym``, HPO's lay synonyms, the node's own id and its
equivalent ids (``skos:exactMatch``, ``oboInOwl:hasDbXref``, …). It is read from the graph
with one SPARQL query and, for a local build, kept beside the store in
``search-index.tsv`` (rebuilt when the store changes), so a search reads a file instead of
querying a full-scope store.

Ranking, on text compared case-, accent- and punctuation-blind: exact matches first, then
names holding every word of the query (the last word may be a prefix), the more of the name
the query covers the better, then near misses: names whose every word is spelled like a word of
the query (rapidfuzz's ratio). Ties go to
the stronger field (id, then label, then exact synonym, then other synonyms), then to diseases
over phenotypes over genes, then to the shorter name and the IRI, so results are deterministic. One hit per node, with the name that matched.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from alskg import vocab
from alskg.atomic import write_lines
from alskg.errors import UsageError
from alskg.progress import Step
from alskg.queries import Results
from alskg.rdfmodel import Literal, NamedNode
from alskg.resolve import KINDS, TIERS

INDEX_NAME = "search-index.tsv"
INDEX_VERSION = "2"
FUZZY_CUTOFF = 75.0
#: Shorter words match too much by accident (``als`` in ``palsy``): they must match exactly.
MIN_FUZZY_LENGTH = 4

#: Name-bearing predicates: field name and rank (lower ranks win ties).
NAME_FIELDS: dict[str, tuple[str, int]] = {
    vocab.RDFS + "label": ("label", 1),
    vocab.BIOLINK + "name": ("label", 1),
    vocab.BIOLINK + "symbol": ("symbol", 1),
    vocab.OIO + "hasExactSynonym": ("exact synonym", 2),
    vocab.SKOS + "altLabel": ("synonym", 3),
    vocab.BIOLINK + "synonym": ("synonym", 3),
    vocab.ALSKG_VOCAB + "layperson_synonym": ("lay synonym", 3),
    vocab.OIO + "hasRelatedSynonym": ("related synonym", 4),
    vocab.OIO + "hasBroadSynonym": ("broad synonym", 4),
    vocab.OIO + "hasNarrowSynonym": ("narrow synonym", 4),
}
FIELD_RANK: dict[str, int] = {"id": 0, "equivalent id": 1} | dict(NAME_FIELDS.values())
_NON_ALNUM = re.compile(r"[\W_]+")  # text normalisation for matching, not a decision on input
KIND_RANK: dict[str, int] = {kind: rank for rank, kind in enumerate(KINDS)}
_EQUIVALENT_IDS = [p for tier in TIERS[1:] for p in tier if "original_" not in p]

Runner = Callable[[str], Results]


@dataclass(frozen=True)
class Hit:
    """One node found: its id, label and kind, and the name that matched, how and how well."""

    id: str  # CURIE
    iri: str
    label: str
    kind: str
    match: str  # exact, words or fuzzy
    field: str
    matched: str
    score: float  # 100 for exact; the share of the name the query covers; rapidfuzz's WRatio


def normalize(text: str) -> str:
    """Lower case, no accents, no apostrophes, every other run of non-alphanumerics a single space."""
    text = text.replace("'", "").replace("\u2019", "")
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", text.casefold()).strip()


def _iri(value: str) -> str:
    return str(NamedNode(value))


def index_queries() -> tuple[str, str, str]:
    """SPARQL for the nodes of each kind, the names, and the equivalent ids (joined in Python:
    three simple scans are several times faster than one join on a full-scope store)."""
    classes = " ".join(_iri(c) for c in KINDS.values())
    names = " ".join(_iri(p) for p in NAME_FIELDS)
    ids = " ".join(_iri(p) for p in _EQUIVALENT_IDS)
    nodes = f"""SELECT ?node ?class WHERE {{
  VALUES ?class {{ {classes} }}
  {{ ?node {_iri(vocab.RDF + 'type')} ?class }} UNION {{ ?node {_iri(vocab.BIOLINK + 'category')} ?class }}
}}"""
    texts = f"SELECT ?node ?field ?text WHERE {{ VALUES ?field {{ {names} }} ?node ?field ?text FILTER (isLiteral(?text)) }}"
    equivalents = f"SELECT ?node ?field ?text WHERE {{ VALUES ?field {{ {ids} }} ?node ?field ?text FILTER (isIRI(?text)) }}"
    return nodes, texts, equivalents


@dataclass
class SearchIndex:
    """Parallel columns, one row per (node, kind, field, text), sorted; built once, searched many times."""

    nodes: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    norms: list[str] = field(default_factory=list)  # normalised texts; computed when not given

    def __post_init__(self) -> None:
        if len(self.norms) != len(self.texts):
            self.norms = [normalize(t) for t in self.texts]
        self._padded: list[str] | None = None
        self._labels: dict[str, str] | None = None
        self._vocabulary: list[str] | None = None
        self._joined: str | None = None
        self._starts: list[int] = []

    @property
    def padded(self) -> list[str]:
        """Each normalised text with a space either side, so ``" word "`` finds whole words."""
        if self._padded is None:
            self._padded = [f" {n} " for n in self.norms]
        return self._padded

    @property
    def labels(self) -> dict[str, str]:
        """Each node's label (the least, if it has several)."""
        if self._labels is None:
            labels: dict[str, str] = {}
            for node, name, text in zip(self.nodes, self.fields, self.texts):
                if name == "label" and (node not in labels or text < labels[node]):
                    labels[node] = text
            self._labels = labels
        return self._labels

    def _rows_holding(self, pattern: re.Pattern[str], scope: list[int] | range | None = None) -> list[int]:
        """The rows whose padded text ``pattern`` matches: one regex pass over all texts joined by
        newlines (a pattern never spans one), rows found from the match offsets."""
        if self._joined is None:
            self._joined = "\n".join(self.padded)
            self._starts = list(itertools.accumulate((len(p) + 1 for p in self.padded), initial=0))
        rows = sorted({bisect.bisect_right(self._starts, m.start()) - 1 for m in pattern.finditer(self._joined)})
        if scope is not None and not isinstance(scope, range):
            allowed = set(scope)
            rows = [i for i in rows if i in allowed]
        return rows

    @property
    def vocabulary(self) -> list[str]:
        """Every word of every name, sorted."""
        if self._vocabulary is None:
            self._vocabulary = sorted(set(" ".join(self.norms).split()))
        return self._vocabulary

    def rows_of(self, kind: str | None) -> list[int] | range:
        """The rows of one kind, or all."""
        return range(len(self.nodes)) if kind is None else [i for i, k in enumerate(self.kinds) if k == kind]

    # -- building ----------------------------------------------------------------------
    @classmethod
    def from_rows(cls, rows: list[tuple[str, str, str, str]]) -> SearchIndex:
        rows = sorted(set(rows))
        return cls([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows])

    @classmethod
    def from_graph(cls, run: Runner) -> SearchIndex:
        """Read the index from a graph (the embedded store or an endpoint)."""
        nodes_query, texts_query, ids_query = index_queries()
        kind_by_class = {cls_iri: kind for kind, cls_iri in KINDS.items()}
        kinds: dict[str, set[str]] = {}
        for row in run(nodes_query).rows:
            node, cls_term = row["node"], row["class"]
            if isinstance(node, NamedNode) and cls_term is not None:
                kinds.setdefault(node.value, set()).add(kind_by_class[cls_term.value])
        rows = {(node, kind, "id", vocab.compress(node)) for node, found in kinds.items() for kind in found}
        for query, literal in ((texts_query, True), (ids_query, False)):
            for row in run(query).rows:
                node, pred, text = row["node"], row["field"], row["text"]
                if not isinstance(node, NamedNode) or node.value not in kinds or pred is None or text is None:
                    continue
                name, value = ((NAME_FIELDS[pred.value][0], text.value) if literal
                               else ("equivalent id", vocab.compress(text.value)))
                rows.update((node.value, kind, name, value) for kind in kinds[node.value])
        return cls.from_rows(list(rows))

    def lines(self) -> list[str]:
        """One TSV line per row: node, kind, field, text, normalised text (escaped)."""
        return [f"{n}\t{k}\t{f}\t{_escape(t)}\t{_escape(m)}"
                for n, k, f, t, m in zip(self.nodes, self.kinds, self.fields, self.texts, self.norms)]

    @classmethod
    def from_lines(cls, lines: list[str]) -> SearchIndex:
        """The index from :meth:`lines`; a line of another shape is a ValueError."""
        rows = [line.split("\t") for line in lines]
        if any(len(row) != 5 for row in rows):
            raise ValueError("not a search index: a line without 5 fields")
        if not rows:
            return cls()
        nodes, kinds, fields, texts, norms = (list(column) for column in zip(*rows))
        if not set(kinds) <= set(KINDS) or not set(fields) <= set(FIELD_RANK):
            raise ValueError("not a search index: unknown kind or field")
        return cls(nodes, kinds, fields, [_unescape(t) for t in texts], [_unescape(m) for m in norms])

    # -- searching ---------------------------------------------------------------------
    def search(self, text: str, kind: str | None = None, limit: int = 10) -> list[Hit]:
        """The best ``limit`` nodes for ``text`` (of ``kind`` if given), best first."""
        if kind is not None and kind not in KINDS:
            raise UsageError(f"unknown type (known: {', '.join(KINDS)})", value=kind)
        if limit < 1:
            raise UsageError("--limit must be at least 1", value=str(limit))
        query = normalize(text)
        if not query:
            raise UsageError("search text has no letters or digits", value=text)
        best: dict[str, tuple[tuple[int, float, int, int, int, str], int, str]] = {}

        def offer(i: int, tier: int, score: float, how: str) -> None:
            key = (tier, -score, FIELD_RANK[self.fields[i]], KIND_RANK[self.kinds[i]], len(self.texts[i]),
                   self.texts[i])
            if self.nodes[i] not in best or key < best[self.nodes[i]][0]:
                best[self.nodes[i]] = (key, i, how)

        scope = self.rows_of(kind)
        padded, norms = self.padded, self.norms
        words = query.split()
        whole, last = [f" {w} " for w in words[:-1]], f" {words[-1]}"
        for i in self._rows_holding(re.compile(re.escape(last)), scope):
            if all(w in padded[i] for w in whole):
                if norms[i] == query:
                    offer(i, 0, 100.0, "exact")
                else:
                    offer(i, 1, round(100.0 * len(query) / len(norms[i]), 1), "words")
        if len(best) < limit:
            for i, score in self._near_misses(words, scope):
                offer(i, 2, score, "fuzzy")
        ranked = sorted(best.items(), key=lambda item: (item[1][0], item[0]))[:limit]
        return [self._hit(node, i, how, -key[1]) for node, (key, i, how) in ranked]

    def _near_misses(self, words: list[str], scope: list[int] | range) -> list[tuple[int, float]]:
        """Rows holding, for every query word, a word spelled like it (rapidfuzz ratio ≥ the cutoff;
        words shorter than :data:`MIN_FUZZY_LENGTH` must match exactly), scored by the mean
        similarity times the share of the name the query covers."""
        similar: list[dict[str, float]] = []
        for word in words:
            if len(word) < MIN_FUZZY_LENGTH:
                found = {word: 100.0}
            else:
                found = {w: float(s) for w, s, _ in process.extract(word, self.vocabulary, scorer=fuzz.ratio,
                                                                    score_cutoff=FUZZY_CUTOFF, limit=20)}
            if not found:
                return []
            similar.append({f" {w} ": s for w, s in found.items()})
        tests = [re.compile("|".join(re.escape(w) for w in sorted(options))) for options in similar]
        padded, length, out = self.padded, len(" ".join(words)), []
        for i in self._rows_holding(tests[0], scope):
            if all(test.search(padded[i]) for test in tests[1:]):
                total = sum(max(s for w, s in options.items() if w in padded[i]) for options in similar)
                out.append((i, round(total / len(words) * min(1.0, length / len(self.norms[i])), 1)))
        return out

    def _hit(self, node: str, i: int, how: str, score: float) -> Hit:
        return Hit(vocab.compress(node), node, self.labels.get(node, ""), self.kinds[i], how, self.fields[i],
                   self.texts[i], score)

    def similar_ids(self, curie: str, kind: str, limit: int = 3) -> list[tuple[str, str]]:
        """Ids of nodes of ``kind`` spelled most like ``curie`` (same prefix): (CURIE, label) pairs."""
        prefix = curie.partition(":")[0] + ":"
        ids = {self.texts[i]: self.nodes[i] for i in self.rows_of(kind)
               if self.fields[i] in ("id", "equivalent id") and self.texts[i].startswith(prefix)}
        picked = process.extract(curie, sorted(ids), scorer=fuzz.ratio, limit=limit)
        return [(vocab.compress(ids[text]), self.labels.get(ids[text], "")) for text, _, _ in picked]


def hits_results(hits: list[Hit]) -> Results:
    """Hits as query results, for the usual formats: id, label, type, match, field, matched, score."""
    decimal = NamedNode(vocab.XSD + "decimal")
    rows = [{"id": NamedNode(h.iri), "label": Literal(h.label), "type": Literal(h.kind),
             "match": Literal(h.match), "field": Literal(h.field), "matched": Literal(h.matched),
             "score": Literal(f"{h.score:.1f}", datatype=decimal)} for h in hits]
    return Results(["id", "label", "type", "match", "field", "matched", "score"], rows)  # type: ignore[arg-type]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append({"t": "\t", "n": "\n", "r": "\r"}.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def store_key(store_dir: Path) -> str:
    """Identifies one store: a rebuild swaps in a new folder (new inode, new time)."""
    stat = store_dir.stat()
    return f"{stat.st_ino}.{stat.st_mtime_ns}"


def cached_index(build_dir: Path, store_dir: Path, run: Runner, step: Step | None = None) -> SearchIndex:
    """The build's index, read from ``search-index.tsv`` when it matches the store, else rebuilt and saved.

    A build folder that cannot be written to is not an error: the index is then kept in memory only.
    """
    path = build_dir / INDEX_NAME
    header = f"# alskg search index {INDEX_VERSION} {store_key(store_dir)}"
    try:
        with path.open(encoding="utf-8") as handle:
            if handle.readline().rstrip("\n") == header:
                return SearchIndex.from_lines(handle.read().splitlines())
    except (OSError, ValueError):
        pass
    if step is not None:
        step("indexing names and ids (once per build)")
    index = SearchIndex.from_graph(run)
    try:
        write_lines(path, [header, *index.lines()])
    except OSError:
        pass
    return index

