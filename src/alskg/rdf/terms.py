"""N-Triples term encoders.

The mappers build quads as N-Triples term strings rather than objects: at the scale of the
full HPO release (over a million quads) this keeps the build in seconds. Every encoder
validates what it writes, so a bad IRI or literal can never reach a dump.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from alskg import vocab
from alskg.errors import InputError

_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_ESCAPE_RE = re.compile(r'[\\"\n\r]')


@lru_cache(maxsize=None)
def iri(value: str) -> str:
    """``<value>`` for an absolute IRI; raises InputError on characters IRIs cannot hold."""
    if ":" not in value or _BAD_IRI_CHARS.search(value):
        raise InputError("not a valid absolute IRI", value=value)
    return f"<{value}>"


@lru_cache(maxsize=None)
def curie(value: str) -> str:
    """The IRI term of a CURIE (or of an http(s) IRI given as is)."""
    return iri(vocab.expand(value))


def minted(kind: str, *key: str) -> str:
    """The IRI term of :func:`alskg.vocab.mint` (hex digits under the alskg namespace: always a
    valid IRI, so neither checked again nor cached: there is one per association)."""
    return f"<{vocab.mint_iri(kind, *key)}>"


def bl(local: str) -> str:
    """A Biolink term as N-Triples text (``vocab.biolink_node`` is the pyoxigraph NamedNode)."""
    return iri(vocab.BIOLINK + local)


def v(local: str) -> str:
    """A term of the alskg vocabulary as N-Triples text (``vocab.alskg_node`` is the NamedNode)."""
    return iri(vocab.ALSKG_VOCAB + local)


def ns(base: str, local: str) -> str:
    """A term of a W3C namespace (``ns(vocab.RDFS, "label")``)."""
    return iri(base + local)


def _escape(text: str) -> str:
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], text)


def lit(text: str, lang: str | None = None) -> str:
    """A plain string literal (xsd:string), or a language-tagged one."""
    return f'"{_escape(text)}"@{lang}' if lang else f'"{_escape(text)}"'


def typed(text: str, datatype: str) -> str:
    """A literal of an XSD datatype given by local name (``typed("3", "integer")``)."""
    return f'"{_escape(text)}"^^<{vocab.XSD}{datatype}>'


def boolean(value: bool) -> str:
    return typed("true" if value else "false", "boolean")


def integer(value: int) -> str:
    return typed(str(value), "integer")


def decimal(text: str) -> str:
    """An xsd:decimal in a canonical form (``56.0`` → ``56``), so equal values serialise equally."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InputError("not a decimal number", value=text) from None
    if not number.is_finite():
        raise InputError("not a finite number", value=text)
    return typed(format(number.normalize(), "f"), "decimal")


def double(text: str) -> str:
    """An xsd:double written in plain decimal notation (``56.0`` → ``56``), canonical as :func:`decimal`."""
    return decimal(text).replace(f"<{vocab.XSD}decimal>", f"<{vocab.XSD}double>")


_DATE_RES = {
    "date": re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),
    "gYearMonth": re.compile(r"^[0-9]{4}-[0-9]{2}\Z"),
    "gYear": re.compile(r"^[0-9]{4}\Z"),
}


@lru_cache(maxsize=1 << 14)
def date(text: str) -> str:
    """An ISO date, year-month or year as xsd:date, xsd:gYearMonth or xsd:gYear."""
    for datatype, pattern in _DATE_RES.items():
        if pattern.match(text):
            return typed(text, datatype)
    raise InputError("not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)", value=text)


RDF_TYPE = ns(vocab.RDF, "type")
RDFS_LABEL = ns(vocab.RDFS, "label")
RDFS_SUBCLASS = ns(vocab.RDFS, "subClassOf")
OWL_CLASS = ns(vocab.OWL, "Class")
SKOS_DEFINITION = ns(vocab.SKOS, "definition")
PROV_DERIVED = ns(vocab.PROV, "wasDerivedFrom")
DCT_MODIFIED = ns(vocab.DCT, "modified")
#: Biolink requires ``publication_type`` on a Publication; a PMID, ISBN or URL says only that the
#: work is text, so every publication is DCMI ``Text`` (Biolink's ``values_from`` lists dctypes).
PUBLICATION_TYPE = (bl("publication_type"), curie("dctypes:Text"))
