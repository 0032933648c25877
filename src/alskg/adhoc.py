"""Ad-hoc SPARQL: where the text comes from, and the project's prefixes put in front of it.

A query may use the project's prefixes (:func:`alskg.vocab.query_prefix_map`) without
declaring them. Which prefixes a query declares itself is decided by parsing its prologue
(SPARQL 1.1 grammar rules [4]-[6]: ``(BaseDecl | PrefixDecl)*``, with the IRIREF and PNAME_NS
terminals, whitespace and ``#`` comments), never by searching the text: a ``PREFIX`` inside a
string, an IRI or a comment declares nothing. The project's prefixes the query does not declare
are put before its first character, one declaration a line, and the error positions the
engine or parser reports are moved back by that many lines (:func:`alskg.api.Graph.sparql`).
One line each, not all on the first line: rdflib's SPARQL parser, which guards every query,
misreads a ``#`` inside an IRI as a comment when more follows on the same line (``PREFIX dcat:
<http://www.w3.org/ns/dcat#> SELECT … { SERVICE …`` fails to parse).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from alskg import vocab
from alskg.errors import InputError

#: The largest query read from a file or standard input (a cap, as for every input).
MAX_QUERY_BYTES = 1_000_000
_WHITESPACE = " \t\r\n"
_IRI_FORBIDDEN = set('<>"{}|^`\\') | {chr(c) for c in range(0x21)}


@dataclass
class Prologue:
    """What a query's prologue declares: its BASE (the last one) and its prefixes, in order."""

    base: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)
    end: int = 0  # offset of the first character after the prologue


def _skip_blank(text: str, at: int) -> int:
    """Skip whitespace and ``#`` comments (a comment runs to the end of its line)."""
    while at < len(text):
        if text[at] in _WHITESPACE:
            at += 1
        elif text[at] == "#":
            newline = text.find("\n", at)
            at = len(text) if newline < 0 else newline + 1
        else:
            break
    return at


def _keyword(text: str, at: int) -> str | None:
    """``BASE`` or ``PREFIX`` (case-insensitive) at ``at``, followed by a non-name character."""
    for word in ("BASE", "PREFIX"):
        end = at + len(word)
        if text[at:end].upper() == word and (end >= len(text) or not (text[end].isalnum() or text[end] == "_")):
            return word
    return None


def _iriref(text: str, at: int) -> tuple[str, int] | None:
    """An IRIREF ``<…>`` at ``at``: its content and the offset after it."""
    if at >= len(text) or text[at] != "<":
        return None
    end = at + 1
    while end < len(text) and text[end] not in _IRI_FORBIDDEN:
        end += 1
    if end >= len(text) or text[end] != ">":
        return None
    return text[at + 1:end], end + 1


def _pname_ns(text: str, at: int) -> tuple[str, int] | None:
    """A PNAME_NS ``prefix:`` at ``at`` (PN_PREFIX may be empty): the prefix and the offset after the colon."""
    end = at
    while end < len(text) and (text[end].isalnum() or text[end] in "_-." or ord(text[end]) > 0x7F):
        end += 1
    name = text[at:end]
    if end >= len(text) or text[end] != ":" or name.startswith(("_", "-", ".")) or name.endswith("."):
        return None
    if name and not name[0].isalpha():
        return None
    return name, end + 1


def parse_prologue(text: str) -> Prologue:
    """Parse the prologue of a SPARQL query; stop at the first token that is not part of it.

    A malformed declaration ends the prologue where it starts: the engine then reports the
    syntax error at its real position.
    """
    prologue = Prologue()
    at = _skip_blank(text, 0)
    while True:
        word = _keyword(text, at)
        if word is None:
            break
        after = _skip_blank(text, at + len(word))
        name = ""
        if word == "PREFIX":
            pname = _pname_ns(text, after)
            if pname is None:
                break
            name, after = pname[0], _skip_blank(text, pname[1])
        iri = _iriref(text, after)
        if iri is None:
            break
        if word == "BASE":
            prologue.base = iri[0]
        else:
            prologue.prefixes[name] = iri[0]
        at = _skip_blank(text, iri[1])
    prologue.end = at
    return prologue


def prefix_declarations(text: str) -> str:
    """The ``PREFIX`` declarations to put in front of ``text``: the project's prefixes it does not declare."""
    declared = parse_prologue(text).prefixes
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in vocab.query_prefix_map().items()
                   if name not in declared)


def with_prefixes(text: str) -> str:
    """The query with the project's prefixes it does not declare itself declared first, one a line.

    The query's own declarations win: a prefix it declares is not declared again. Declaring
    prefixes before a ``BASE`` is allowed (the prologue is any sequence of both) and changes
    nothing, since every project namespace is an absolute IRI.
    """
    return prefix_declarations(text) + text


def read_query(source: str, stdin: BinaryIO | None = None) -> tuple[str, str | None]:
    """The query text of ``source`` and where it came from (a path, ``<stdin>``, or None for inline text).

    ``-`` reads standard input; an existing file (any extension) is read; a word with no
    whitespace and no ``{`` that is not a file is a missing file, not a query.
    """
    if source == "-":
        return _decode((stdin or sys.stdin.buffer).read(MAX_QUERY_BYTES + 1), "<stdin>"), "<stdin>"
    path = Path(source)
    if path.is_file():
        with path.open("rb") as handle:
            return _decode(handle.read(MAX_QUERY_BYTES + 1), path), str(path)
    if not any(c in source for c in _WHITESPACE + "{"):
        raise InputError("missing query file (give a query text, a file or - for standard input)", path)
    return source, None


def _decode(data: bytes, where: str | Path) -> str:
    if len(data) > MAX_QUERY_BYTES:
        raise InputError(f"query longer than {MAX_QUERY_BYTES} bytes", where)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(f"query is not UTF-8 (byte {exc.start + 1})", where) from None
