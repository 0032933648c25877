"""The checks a release passes before anything is written (issue 10 §2).

A release is refused (:class:`ReleaseRefused`, exit 1) when SHACL validation finds a
violation, when the Biolink conformance check has findings, or when the KGX twin is not
sound: an edge whose subject or object is not a node, an id used twice, a node without a
category, or a category or predicate that Biolink Model 4.4.6 does not define.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from alskg.biolink import Schema
from alskg.conformance import check_store
from alskg.errors import AlskgError
from alskg.release.kgx import Table, Twin
from alskg.store import Store
from alskg.validate import validate_store
from alskg.vocab import BIOLINK

#: findings listed in the refusal message; the rest are counted
SHOWN_FINDINGS = 10


@dataclass
class ReleaseRefused(AlskgError):
    """A check failed: nothing was written. ``findings`` are one line each."""

    findings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        shown = self.findings[:SHOWN_FINDINGS]
        more = len(self.findings) - len(shown)
        return "\n".join([self.message, *(f"  {line}" for line in shown),
                          *([f"  ... and {more} more"] if more > 0 else [])])


def check_shacl(store: Store) -> None:
    """SHACL validation of the merged view with the packaged shapes: no violation allowed."""
    report = validate_store(store)
    if not report.conforms:
        lines = [f"{f.severity}: {f.focus} {f.path}: {f.message}" for f in report.findings
                 if f.severity == "Violation"]
        raise ReleaseRefused(f"refused: SHACL validation found {len(lines)} violations; nothing was written", lines)


def check_conformance(store: Store) -> None:
    """Biolink Model conformance of the merged view: no finding allowed."""
    report = check_store(store)
    if not report.conforms:
        lines = [f"{f.rule}: {f.message}: {f.count}" + (f" (e.g. {f.example})" if f.example else "")
                 for f in report.findings]
        raise ReleaseRefused(
            f"refused: the graph does not conform to Biolink Model {report.biolink_version}; nothing was written",
            lines)


def _duplicates(table: Table, what: str) -> list[str]:
    return [f"duplicate {what} id: {i} ({n} times)" for i, n in sorted(Counter(table.ids()).items()) if n > 1]


def _single(table: Table, columns: tuple[str, ...], what: str) -> list[str]:
    out = []
    for row in table.rows:
        for column in columns:
            if len(row.get(column, [])) != 1:
                out.append(f"{what} {row['id'][0][0]} has {len(row.get(column, []))} values of {column}")
    return out


def _biolink_class(schema: Schema, curie: str) -> bool:
    return curie.startswith("biolink:") and BIOLINK + curie[8:] in schema.class_by_iri


def _biolink_predicate(schema: Schema, curie: str) -> bool:
    slot = schema.slot_by_iri.get(BIOLINK + curie[8:]) if curie.startswith("biolink:") else None
    return slot is not None and schema.is_predicate(slot)


def kgx_problems(twin: Twin, schema: Schema) -> list[str]:
    """What makes the twin unsound (empty when sound); the other pair is checked for ids and ends."""
    problems = _duplicates(twin.nodes, "node") + _duplicates(twin.edges, "edge")
    problems += _single(twin.edges, ("subject", "predicate", "object"), "edge")
    node_ids = set(twin.nodes.ids())
    for row in twin.edges.rows:
        for end in ("subject", "object"):
            for value, _ in row.get(end, []):
                if value not in node_ids:
                    problems.append(f"dangling edge {row['id'][0][0]}: its {end} {value} is not a node")
        for value, _ in row.get("predicate", []):
            if not _biolink_predicate(schema, value):
                problems.append(f"edge {row['id'][0][0]}: predicate {value} is not a Biolink "
                                f"{schema.version} predicate")
        problems += _categories(schema, row, "edge")
    for row in twin.nodes.rows:
        if not row.get("category"):
            problems.append(f"node {row['id'][0][0]} has no category")
        problems += _categories(schema, row, "node")
    problems += _duplicates(twin.other_edges, "other edge") + _duplicates(twin.other_nodes, "other node")
    problems += [f"duplicate id in the twin and the other edges: {i}"
                 for i in sorted(set(twin.edges.ids()) & set(twin.other_edges.ids()))]
    return problems


def _categories(schema: Schema, row: dict[str, list[tuple[str, object]]], what: str) -> list[str]:
    return [f"{what} {row['id'][0][0]}: category {value} is not a Biolink {schema.version} class"
            for value, _ in row.get("category", []) if not _biolink_class(schema, value)]


def check_kgx(twin: Twin, schema: Schema) -> None:
    """Refuse an unsound twin (see :func:`kgx_problems`)."""
    problems = kgx_problems(twin, schema)
    if problems:
        raise ReleaseRefused(f"refused: the KGX twin has {len(problems)} problems; nothing was written", problems)
