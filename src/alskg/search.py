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
over phenotypes over genes, then to the shorter name and the id, so results are deterministic. One hit per node, with the name that matched.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rapidfuzz import fuzz, process

from alskg import vocab
from alskg.atomic import write_lines
from alskg.errors import UsageError
from alskg.progress import Step
from alskg.queries import Results
from alskg.resolve import KINDS, TIERS

INDEX_NAME = "search-index.tsv"
INDEX_VERSION = "1"
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
    """Lower case, no accents, no apostrophes, every other non-alphanumeric a single space."""
    decomposed = unicodedata.normalize("NFKD", text.replace("'", "").replace("\u2019", ""))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


def _iri(value: str) -> str:
    return str(ox.NamedNode(value))


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

    def __post_init__(self) -> None:
        self.norms = [normalize(t) for t in self.texts]
        self._padded = [f" {n} " for n in self.norms]
        self.by_norm: dict[str, list[int]] = {}
        self.by_kind: dict[str, list[int]] = {}
        self.labels: dict[str, str] = {}
        for i, (node, kind, name, text) in enumerate(zip(self.nodes, self.kinds, self.fields, self.texts)):
            self.by_norm.setdefault(self.norms[i], []).append(i)
            self.by_kind.setdefault(kind, []).append(i)
            if name == "label" and (node not in self.labels or text < self.labels[node]):
                self.labels[node] = text
        self._postings: dict[str, list[int]] | None = None
        self._vocabulary: list[str] = []

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
            if isinstance(node, ox.NamedNode) and cls_term is not None:
                kinds.setdefault(node.value, set()).add(kind_by_class[cls_term.value])
        rows = {(node, kind, "id", vocab.compress(node)) for node, found in kinds.items() for kind in found}
        for query, literal in ((texts_query, True), (ids_query, False)):
            for row in run(query).rows:
                node, pred, text = row["node"], row["field"], row["text"]
                if not isinstance(node, ox.NamedNode) or node.value not in kinds or pred is None or text is None:
                    continue
                name, value = ((NAME_FIELDS[pred.value][0], text.value) if literal
                               else ("equivalent id", vocab.compress(text.value)))
                rows.update((node.value, kind, name, value) for kind in kinds[node.value])
        return cls.from_rows(list(rows))

    def lines(self) -> list[str]:
        return [f"{n}\t{k}\t{f}\t{_escape(t)}" for n, k, f, t in zip(self.nodes, self.kinds, self.fields, self.texts)]

    @classmethod
    def from_lines(cls, lines: list[str]) -> SearchIndex:
        columns: tuple[list[str], list[str], list[str], list[str]] = ([], [], [], [])
        for line in lines:
            node, kind, name, text = line.split("\t")
            if kind not in KINDS or name not in FIELD_RANK:
                raise ValueError(f"not a search index line: {line!r}")
            for column, value in zip(columns, (node, kind, name, _unescape(text))):
                column.append(value)
        return cls(*columns)

    def _words(self) -> tuple[dict[str, list[int]], list[str]]:
        """Word → rows holding it, and the sorted vocabulary (built on the first near-miss search)."""
        if self._postings is None:
            postings: dict[str, list[int]] = {}
            for i, norm in enumerate(self.norms):
                for word in set(norm.split()):
                    postings.setdefault(word, []).append(i)
            self._postings, self._vocabulary = postings, sorted(postings)
        return self._postings, self._vocabulary

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
            if kind is not None and self.kinds[i] != kind:
                return
            key = (tier, -score, FIELD_RANK[self.fields[i]], KIND_RANK[self.kinds[i]], len(self.texts[i]),
                   self.texts[i])
            if self.nodes[i] not in best or key < best[self.nodes[i]][0]:
                best[self.nodes[i]] = (key, i, how)

        for i in self.by_norm.get(query, []):
            offer(i, 0, 100.0, "exact")
        words = query.split()
        whole, last = [f" {w} " for w in words[:-1]], f" {words[-1]}"
        for i in self.by_kind.get(kind, []) if kind else range(len(self.nodes)):
            padded = self._padded[i]
            if last in padded and all(w in padded for w in whole):
                offer(i, 1, round(100.0 * len(query) / len(self.norms[i]), 1), "words")
        if len(best) < limit:
            for i, score in self._near_misses(words):
                offer(i, 2, score, "fuzzy")
        ranked = sorted(best.items(), key=lambda item: (item[1][0], vocab.compress(item[0])))[:limit]
        return [self._hit(node, i, how, -key[1]) for node, (key, i, how) in ranked]

    def _near_misses(self, words: list[str]) -> list[tuple[int, float]]:
        """Rows holding, for every query word, a word spelled like it (rapidfuzz ratio ≥ the cutoff;
        words shorter than :data:`MIN_FUZZY_LENGTH` must match exactly), with the mean similarity
        times the share of the name the query covers."""
        postings, vocabulary = self._words()
        rows: dict[int, float] | None = None
        for word in words:
            if len(word) < MIN_FUZZY_LENGTH:
                similar = [(word, 100.0)] if word in postings else []
            else:
                similar = [(w, s) for w, s, _ in process.extract(word, vocabulary, scorer=fuzz.ratio,
                                                                 score_cutoff=FUZZY_CUTOFF, limit=20)]
            found: dict[int, float] = {}
            for similar_word, score in similar:
                for i in postings[similar_word]:
                    found[i] = max(found.get(i, 0.0), score)
            rows = found if rows is None else {i: rows[i] + s for i, s in found.items() if i in rows}
            if not rows:
                return []
        assert rows is not None
        length = len(" ".join(words))
        return [(i, round(total / len(words) * min(1.0, length / len(self.norms[i])), 1)) for i, total in rows.items()]

    def _hit(self, node: str, i: int, how: str, score: float) -> Hit:
        return Hit(vocab.compress(node), node, self.labels.get(node, ""), self.kinds[i], how, self.fields[i],
                   self.texts[i], score)

    def similar_ids(self, curie: str, kind: str, limit: int = 3) -> list[tuple[str, str]]:
        """Ids of nodes of ``kind`` spelled most like ``curie`` (same prefix): (CURIE, label) pairs."""
        prefix = curie.partition(":")[0] + ":"
        ids = {self.texts[i]: self.nodes[i] for i in self.by_kind.get(kind, [])
               if self.fields[i] in ("id", "equivalent id") and self.texts[i].startswith(prefix)}
        picked = process.extract(curie, sorted(ids), scorer=fuzz.ratio, limit=limit)
        return [(vocab.compress(ids[text]), self.labels.get(ids[text], "")) for text, _, _ in picked]


def hits_results(hits: list[Hit]) -> Results:
    """Hits as query results, for the usual formats: id, label, type, match, field, matched, score."""
    decimal = ox.NamedNode(vocab.XSD + "decimal")
    rows = [{"id": ox.NamedNode(h.iri), "label": ox.Literal(h.label), "type": ox.Literal(h.kind),
             "match": ox.Literal(h.match), "field": ox.Literal(h.field), "matched": ox.Literal(h.matched),
             "score": ox.Literal(f"{h.score:.1f}", datatype=decimal)} for h in hits]
    return Results(["id", "label", "type", "match", "field", "matched", "score"], rows)  # type: ignore[arg-type]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _unescape(text: str) -> str:
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

