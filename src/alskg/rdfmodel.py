"""The RDF engine's terms and syntaxes (pyoxigraph): what every module builds terms with.

With :mod:`alskg.store` (opening, loading and querying stores) this is one of the two modules
that import the engine, so that swapping it touches these two (``tests/test_architecture.py``
pins the list). It re-exports the engine's term classes, its RDF formats and its streaming
parser and serialiser under their own names; it imports nothing of alskg, so that
:mod:`alskg.vocab` can mint :class:`NamedNode` terms from it.

:mod:`alskg.rdf.terms` is the other kind of term helper: N-Triples *text*, for the mappers'
fast path that never builds engine objects.
"""

from __future__ import annotations

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Triple
from pyoxigraph import parse as parse_rdf
from pyoxigraph import serialize as serialize_rdf

__all__ = ["BlankNode", "DefaultGraph", "Literal", "NamedNode", "Node", "Quad", "RdfFormat", "Term", "Triple",
           "parse_rdf", "serialize_rdf"]

#: A subject or object that is not a literal.
Node = NamedNode | BlankNode
#: A subject, predicate or object of an asserted triple (no quoted triples).
Term = NamedNode | BlankNode | Literal
