"""Render query results as table, TSV, CSV or SPARQL JSON, the same for local and remote runs.

Bioinformaticians get plain TSV/CSV: a header without ``?``, plain values, IRIs shown as
CURIEs (``--iris`` for full IRIs). JSON is the W3C SPARQL 1.1 Query Results JSON format.
"""

from __future__ import annotations

import csv
import io
import json

from alskg import vocab
from alskg.queries import Results
from alskg.rdfmodel import BlankNode, Literal, NamedNode

FORMATS = ("table", "tsv", "csv", "json")
_STRING = vocab.XSD + "string"
_BOOLEAN = vocab.XSD + "boolean"
_INTEGERS = {vocab.XSD + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
_DECIMAL = vocab.XSD + "decimal"


def canonical(term: Literal) -> Literal:
    """A boolean or number in its XSD canonical form, whatever form the store wrote it in.

    Stores differ in the lexical form of the same value (Virtuoso answers ``"1"^^xsd:boolean``
    where Oxigraph answers ``"true"``), so output is rendered from the datatype and value, never
    from a store's text. Other literals, and values that do not parse, are returned as they are.
    """
    datatype = term.datatype.value
    text = term.value.strip()
    if datatype == _BOOLEAN and text in ("1", "0", "true", "false"):
        value = "true" if text in ("1", "true") else "false"
    elif datatype in _INTEGERS and text.lstrip("+-").isascii() and text.lstrip("+-").isdigit():
        value = str(int(text))
    elif datatype == _DECIMAL:
        value = _canonical_decimal(text)
    else:
        return term
    return term if value == term.value else Literal(value, datatype=term.datatype)


def _canonical_decimal(text: str) -> str:
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    out = format(number.normalize(), "f")  # XSD 1.1 canonical form, as Oxigraph writes it: 2, 2.5
    return "0" if out in ("-0", "0") else out


def plain(term: NamedNode | Literal | BlankNode | None, curies: bool = True) -> str:
    """A term as plain text: CURIE or IRI, a literal's lexical form, ``_:id``, or empty."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return vocab.compress(term.value) if curies else term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return canonical(term).value


def _tsv_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def tsv_line(cells: list[str]) -> str:
    """Cells as one TSV line (no line break), each escaped as :func:`_tsv_cell` does.

    Most lines have nothing to escape: the joined line is then checked once (it holds only
    the separating tabs and no backslash or line break) instead of every cell."""
    line = "\t".join(cells)
    if "\\" in line or "\n" in line or "\r" in line or line.count("\t") != len(cells) - 1:
        return "\t".join(map(_tsv_cell, cells))
    return line


def to_tsv(results: Results, curies: bool = True) -> str:
    lines = ["\t".join(results.variables)]
    lines += [tsv_line([plain(row[v], curies) for v in results.variables]) for row in results.rows]
    return "\n".join(lines) + "\n"


def to_csv(results: Results, curies: bool = True) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(results.variables)
    for row in results.rows:
        writer.writerow([plain(row[v], curies) for v in results.variables])
    return buffer.getvalue()


def _json_term(term: NamedNode | Literal | BlankNode) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": canonical(term).value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _STRING:
        out["datatype"] = term.datatype.value
    return out


def to_json(results: Results) -> str:
    """SPARQL 1.1 Query Results JSON, keys in a fixed order."""
    if results.boolean is not None:
        return json.dumps({"head": {}, "boolean": results.boolean}, indent=2) + "\n"
    bindings = [{v: _json_term(row[v]) for v in results.variables if row[v] is not None} for row in results.rows]
    doc = {"head": {"vars": results.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def to_table(results: Results, curies: bool = True, cell_width: int = 48) -> str:
    """An aligned text table (rich), one line a row, long cells cut with an ellipsis, then a
    row count. For complete values use tsv, csv or json."""
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for var in results.variables:
        table.add_column(var, no_wrap=True, overflow="ellipsis", max_width=cell_width)
    for row in results.rows:
        table.add_row(*(plain(row[v], curies) for v in results.variables))
    console = Console(file=io.StringIO(), width=100_000, color_system=None, force_terminal=False)
    console.print(table)
    text = "\n".join(line.rstrip() for line in console.file.getvalue().splitlines())  # type: ignore[attr-defined]
    return f"{text}\n{len(results.rows)} row(s)\n"


def render(results: Results, fmt: str, curies: bool = True) -> str:
    """Render results in one of :data:`FORMATS` (ASK → true/false, CONSTRUCT → N-Triples)."""
    if results.triples is not None:
        return "".join(line + "\n" for line in results.triples)
    if results.boolean is not None and fmt != "json":
        return ("true" if results.boolean else "false") + "\n"
    if fmt == "tsv":
        return to_tsv(results, curies)
    if fmt == "csv":
        return to_csv(results, curies)
    if fmt == "json":
        return to_json(results)
    return to_table(results, curies)
