"""Plain typed records that every reader yields and every mapper takes. No files, no RDF."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Synonym:
    """A name of a term: its text, OBO scope (EXACT, NARROW, BROAD, RELATED) and type."""

    text: str
    scope: str
    type: str | None = None


@dataclass
class OntologyTerm:
    """One term of an OBO ontology (HPO), as the release states it."""

    id: str
    label: str = ""
    definition: str = ""
    synonyms: list[Synonym] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    alt_ids: list[str] = field(default_factory=list)
    obsolete: bool = False
    replaced_by: list[str] = field(default_factory=list)
    consider: list[str] = field(default_factory=list)


@dataclass
class Ontology:
    """An OBO ontology release: its version and terms (keyed by primary id)."""

    version: str
    terms: dict[str, OntologyTerm]
    license: str = ""
    alt_index: dict[str, str] = field(default_factory=dict)

    def primary_id(self, term_id: str) -> str | None:
        """The primary id for a primary or alt id, or None if the release does not know it."""
        if term_id in self.terms:
            return term_id
        return self.alt_index.get(term_id)

    def ancestors(self, term_id: str) -> set[str]:
        """All is_a ancestors of a term (not including itself)."""
        seen: set[str] = set()
        stack = list(self.terms[term_id].parents) if term_id in self.terms else []
        while stack:
            parent = stack.pop()
            if parent not in seen:
                seen.add(parent)
                stack.extend(self.terms[parent].parents if parent in self.terms else [])
        return seen

    def is_under(self, term_id: str, root: str) -> bool:
        """True when ``term_id`` is ``root`` or one of its descendants."""
        return term_id == root or root in self.ancestors(term_id)
