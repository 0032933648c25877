"""The rules that compare rows: within the file, and with what the graph already holds.

- ``HPOA-CONSIST-DUPLICATE``: a row with the annotation key of an earlier row
  (``alskg.rdf.hpoa.annotation_key``: every column but disease_name and biocuration);
- ``HPOA-CONSIST-NEGATION``: the same disease and term both negated and asserted in the file;
- ``HPOA-CONSIST-GRAPH`` / ``-GRAPH-DUPLICATE``: against the release and merged submissions,
  a row that contradicts them or that they already hold. A contradiction is the opposite
  negation for the same disease and term, or, for the same disease, term and reference, a
  frequency in another HPO band (``alskg.diff.frequency_term``).

Negation is compared per disease–term pair, whatever the sex, onset or reference: alskg's
data model writes the direct edge ``disease has_phenotype term`` for an asserted pair and
forbids it beside a negated one (shape ``DirectEdgeConstraint``), so a pair cannot be both.
"""

from __future__ import annotations

from collections.abc import Iterator

from alskg.diff import frequency_term

from .records import SubmittedRow
from .reference import AnnotationStore, DiseaseFacts
from .rules import RuleFinding, finding


def within_file(rows: list[SubmittedRow]) -> Iterator[RuleFinding]:
    """Repeated rows, and pairs negated and asserted, inside one submission."""
    seen: dict[tuple[str, ...], int] = {}
    polarity: dict[tuple[str, str], dict[bool, int]] = {}
    for row in rows:
        key = row.key()
        if key in seen:
            yield finding("HPOA-CONSIST-DUPLICATE", row.line, row.position("database_id")[1], "row",
                          row.value("hpo_id"), f"the same annotation as line {seen[key]}",
                          f"delete this row or merge its biocuration into line {seen[key]}")
            continue
        seen[key] = row.line
        pair = (row.value("database_id"), row.value("hpo_id"))
        negated = row.value("qualifier") == "NOT"
        lines = polarity.setdefault(pair, {})
        if (not negated) in lines:
            line, column = row.position("qualifier")
            other = lines[not negated]
            yield finding("HPOA-CONSIST-NEGATION", line, column, "qualifier", row.value("qualifier") or "(empty)",
                          f"{pair[0]} {pair[1]} is {'asserted' if negated else 'negated'} on line {other} "
                          f"and {'negated' if negated else 'asserted'} here", "keep one of the two rows")
        lines.setdefault(negated, row.line)


def against_graph(rows: list[SubmittedRow], stores: list[AnnotationStore]) -> Iterator[RuleFinding]:
    """Rows the graph already holds (info) or contradicts (error)."""
    for row in rows:
        key = row.key()
        disease, term = row.value("database_id"), row.value("hpo_id")
        facts = [store.facts(disease) for store in stores if disease in store.rows]
        held = next((f.keys[key] for f in facts if key in f.keys), None)
        if held:
            yield finding("HPOA-CONSIST-GRAPH-DUPLICATE", row.line, row.position("database_id")[1], "row", term,
                          f"already in the graph ({held})", "nothing to merge; drop the row")
            continue
        yield from _contradictions(row, facts, disease, term)


def _contradictions(row: SubmittedRow, facts: list[DiseaseFacts], disease: str, term: str) -> Iterator[RuleFinding]:
    negated = row.value("qualifier") == "NOT"
    for fact in facts:
        where = fact.polarity.get(term, {}).get(not negated)
        if where:
            yield finding("HPOA-CONSIST-GRAPH", *row.position("qualifier"), "qualifier",
                          row.value("qualifier") or "(empty)",
                          f"{disease} {term} is {'asserted' if negated else 'negated'} in the graph ({where})",
                          "check the source; a pair cannot be both negated and asserted (raise it with HPO if the "
                          "graph is wrong)")
            return
    frequency = row.value("frequency")
    band = frequency_term(frequency)
    for ref in row.value("reference").split(";"):
        for fact in facts:
            for _, other_frequency, where in fact.by_reference.get((term, ref), []):
                other_band = frequency_term(other_frequency)
                if frequency and other_frequency and frequency != other_frequency and band != other_band:
                    line, column = row.position("frequency")
                    yield finding("HPOA-CONSIST-GRAPH", line, column, "frequency", frequency,
                                  f"{disease} {term} from {ref} has frequency {other_frequency} in the graph "
                                  f"({where}); {frequency} is another band",
                                  f"check the source; the graph says {other_frequency}")
                    return
