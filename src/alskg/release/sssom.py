"""The disease mappings of the release as SSSOM/TSV (``alskg-V.sssom.tsv``).

They are the graph's own: every ``skos:exactMatch`` whose subject is a MONDO term, in the
merged view, which is what the disease normalisation resolves ids through. The columns are
those of MONDO's own mapping files (``subject_id, subject_label, predicate_id, object_id,
mapping_justification``), the justification MONDO's: ``semapv:ManualMappingCuration``. The
YAML header names the mapping set, its version (the release's), MONDO's release and the
licence (MONDO's, CC0: the mappings are MONDO's).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alskg import vocab
from alskg.atomic import atomic_path
from alskg.rdfmodel import DefaultGraph, NamedNode
from alskg.results import plain
from alskg.store import Store

MONDO = "http://purl.obolibrary.org/obo/MONDO_"
COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "mapping_justification")
JUSTIFICATION = "semapv:ManualMappingCuration"
LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"
#: prefixes of the header's curie_map besides those of the ids (fixed, so the header is stable)
_FIXED_PREFIXES = ("MONDO", "semapv", "skos")
_SEMAPV = "https://w3id.org/semapv/vocab/"


@dataclass(frozen=True, order=True)
class Mapping:
    subject_id: str
    object_id: str
    subject_label: str = ""


def mappings(store: Store) -> list[Mapping]:
    """The MONDO exact matches of the merged view, sorted by subject and object."""
    out = set()
    match = NamedNode(vocab.SKOS + "exactMatch")
    for q in store.quads_for_pattern(None, match, None, DefaultGraph()):
        if isinstance(q.subject, NamedNode) and q.subject.value.startswith(MONDO) \
                and isinstance(q.object, NamedNode):
            labels = sorted(plain(lq.object) for lq in store.quads_for_pattern(
                q.subject, NamedNode(vocab.RDFS + "label"), None, DefaultGraph()))
            out.add(Mapping(plain(q.subject), plain(q.object), labels[0] if labels else ""))
    return sorted(out)


def _cell(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def write_sssom(path: Path, rows: list[Mapping], set_id: str, version: str, mondo_version: str) -> int:
    """Write the mapping set (header, then rows); returns the row count."""
    conv = vocab.converter()
    prefixes = sorted({m.object_id.partition(":")[0] for m in rows} | set(_FIXED_PREFIXES), key=str.lower)
    uri = {p: (_SEMAPV if p == "semapv" else conv.bimap.get(p, "")) for p in prefixes}
    header = ["# curie_map:", *(f"#   {p}: {uri[p]}" for p in prefixes if uri[p]),
              f"# license: {LICENSE}",
              f"# mapping_set_id: {set_id}",
              f"# mapping_set_version: {version}",
              "# mapping_set_description: The disease mappings alskg's normalisation used: the skos:exactMatch "
              "links of MONDO terms in the graph.",
              "# subject_source: infores:mondo",
              f"# subject_source_version: {mondo_version}"]
    lines = [*header, "\t".join(COLUMNS)]
    lines += ["\t".join(_cell(x) for x in (m.subject_id, m.subject_label, "skos:exactMatch", m.object_id,
                                             JUSTIFICATION)) for m in rows]
    with atomic_path(path) as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    return len(rows)
