"""Guards in front of pyoxigraph's RDF parsers, for input that would crash or exhaust them.

Two dangers, one mechanism each, used wherever alskg parses RDF it did not write itself
(:func:`alskg.store.load_files` for ``alskg validate FILE`` and shapes files, the submission
reader of ``alskg check``/``submit``, the build's store loader):

- **XML entity declarations.** pyoxigraph's RDF/XML parser expands internal entities, so a
  file of a few hundred bytes with nested declarations ("billion laughs") grows to gigabytes
  and aborts the process. :func:`refuse_xml_entities` reads the prolog of an RDF/XML file
  with Python's expat parser and refuses the file at its first ``<!ENTITY`` declaration
  (general or parameter), before pyoxigraph sees a byte. Nothing is fetched: expat is told
  never to read external DTDs or entities. A DOCTYPE without entity declarations is allowed.
- **Terms over 16 MiB.** pyoxigraph's lexer holds one token (an IRI or a literal) in a buffer
  capped at :data:`MAX_TOKEN_BYTES` and raises ``MemoryError`` beyond it.
  :func:`parser_limits` turns that into an :class:`InputError` naming the file, and any other
  ``MemoryError`` while parsing into one as well ("out of memory"), so the user gets one line
  and exit 2 instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

from alskg.errors import InputError

#: pyoxigraph's cap on one token (IRI, literal) in its Turtle/N-Triples/N-Quads/TriG lexers.
MAX_TOKEN_BYTES = 16 * 1024 * 1024
_BUFFER_MESSAGE = "Reached the buffer maximal size"
_CHUNK = 64 * 1024


class _PrologEnd(Exception):
    """The root element started: the prolog, where entities are declared, is over."""


class _EntityDeclared(Exception):
    """The prolog declares an entity."""

    def __init__(self, name: str, parameter: bool) -> None:
        super().__init__(name)
        self.name = name
        self.parameter = parameter


def _entity_declared(name: str, is_parameter_entity: bool, *_: object) -> None:
    raise _EntityDeclared(name, bool(is_parameter_entity))


def _root_started(*_: object) -> None:
    raise _PrologEnd


def _prolog_parser() -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _entity_declared
    parser.StartElementHandler = _root_started
    return parser


def refuse_xml_entities(source: BinaryIO, path: Path | str) -> None:
    """Refuse an RDF/XML document whose prolog declares an entity; read it up to the root element only.

    ``source`` is read from its current position and rewound there afterwards. The decision is
    expat's (the XML parser of the standard library), not a pattern match: a declaration inside a
    comment is not one, and one spelled with odd spacing or in UTF-16 still is. XML that expat
    cannot read before the root element is refused too (fail closed), with expat's position.
    """
    start = source.tell()
    parser = _prolog_parser()
    try:
        while True:
            chunk = source.read(_CHUNK)
            parser.Parse(chunk, not chunk)
            if not chunk:
                return
    except _PrologEnd:
        return
    except _EntityDeclared as exc:
        kind = "parameter entity" if exc.parameter else "entity"
        raise InputError(f"RDF/XML declares the {kind} {exc.name!r}: entity declarations are refused "
                         "(they can expand to gigabytes); write the values out", path,
                         parser.CurrentLineNumber) from None
    except expat.ExpatError as exc:
        raise InputError(f"RDF/XML syntax error: {expat.ErrorString(exc.code)}", path, exc.lineno,
                         exc.offset + 1) from None
    finally:
        source.seek(start)


@contextmanager
def parser_limits(path: Path | str) -> Iterator[None]:
    """Run a pyoxigraph parse; a term over the parser's 16 MiB cap or memory running out is an InputError."""
    try:
        yield
    except MemoryError as exc:
        if str(exc).startswith(_BUFFER_MESSAGE):
            raise InputError(f"an IRI or literal longer than {MAX_TOKEN_BYTES // (1024 * 1024)} MiB, the "
                             "parser's limit on one term", path) from None
        raise InputError("out of memory while parsing the file", path) from None
