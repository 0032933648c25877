"""The provenance slots of an association, written the same way by every mapper.

Biolink's knowledge-source slots (``primary_knowledge_source``, ``aggregator_knowledge_source``,
infores ids: :mod:`alskg.vocab`), its knowledge level and agent type (every fact alskg holds is a
curated assertion: ``knowledge_assertion``, ``manual_agent``), and ``prov:wasDerivedFrom`` to
the source records of the release (the page's sections, the HPO files, a curator submission).
"""

from __future__ import annotations

from functools import lru_cache

from alskg.rdf import terms as t

Slot = tuple[str, str]

PRIMARY_KNOWLEDGE_SOURCE = t.bl("primary_knowledge_source")
AGGREGATOR_KNOWLEDGE_SOURCE = t.bl("aggregator_knowledge_source")
#: Every association states a curated assertion, made by people.
KNOWLEDGE_LEVEL: Slot = (t.bl("knowledge_level"), t.bl("knowledge_assertion"))
AGENT_TYPE: Slot = (t.bl("agent_type"), t.bl("manual_agent"))


@lru_cache(maxsize=4096)
def provenance_slots(primary: str, aggregator: str | None = None,
                     derived_from: tuple[str, ...] = ()) -> tuple[Slot, ...]:
    """(predicate, object) pairs, as N-Triples terms, for an association's provenance.

    ``primary`` and ``aggregator`` are infores CURIEs; ``derived_from`` holds the source
    records' terms. Cached: the HPO release's 270,000 annotations share a handful of forms.
    """
    slots: list[Slot] = [(PRIMARY_KNOWLEDGE_SOURCE, t.curie(primary))]
    if aggregator:
        slots.append((AGGREGATOR_KNOWLEDGE_SOURCE, t.curie(aggregator)))
    slots += [KNOWLEDGE_LEVEL, AGENT_TYPE]
    slots += [(t.PROV_DERIVED, source) for source in derived_from]
    return tuple(slots)
