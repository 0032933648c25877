"""The records a submission reader yields: rows with their positions in the file.

A :class:`SubmittedRow` keeps, for each of the 12 HPOA columns, the value (spaces around it
and around its ``;``-items removed) and where it starts in the file, so every rule can point
at the exact ``line:column`` of what it reports. Both readers (HPOA TSV and RDF) yield them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from alskg.rdfmodel import Triple
from alskg.sources.hpoa import COLUMNS, LIST_COLUMNS, Annotation

from .rules import RuleFinding

#: Extra, optional 13th column a curator may add (declared in the column header).
LABEL_COLUMNS = ("hpo_label", "hpo_name")
_INDEX = {name: i for i, name in enumerate(COLUMNS)}
#: spaces at either end of a cell or next to a ``;``: the only cells normalising changes
SPACED = re.compile(r"^\s|\s$|\s;|;\s")
Position = tuple[int, int]


class CellItem(NamedTuple):
    """One ``;``-separated item of a cell (or the whole cell), stripped, with its position."""

    text: str
    line: int
    column: int
    raw: str


@dataclass(slots=True)
class SubmittedRow:
    """One annotation of a submission: 12 values and where each starts.

    ``raw`` holds the cells as written (TSV) so list items can be located; ``node`` is the
    association IRI (an N-Triples term) for RDF input.
    """

    line: int
    values: list[str]
    raw: list[str]
    #: where each cell starts; None for TSV rows, where it is computed from the cells when needed
    positions: list[Position] | None = None
    label: str | None = None
    label_position: Position = (0, 0)
    node: str = ""
    #: False for RDF input: a value has no character offsets of its own (items share its position).
    offsets: bool = True

    def value(self, name: str) -> str:
        return self.values[_INDEX[name]]

    def cell_start(self, i: int) -> Position:
        """Where cell ``i`` starts (1-based column; cells are separated by one tab)."""
        if self.positions is not None:
            return self.positions[i]
        return self.line, 1 + sum(len(cell) + 1 for cell in self.raw[:i])

    def position(self, name: str) -> Position:
        """Where the value of column ``name`` starts (after any leading spaces)."""
        i = _INDEX[name]
        line, column = self.cell_start(i)
        raw = self.raw[i]
        return (line, column + len(raw) - len(raw.lstrip())) if self.offsets else (line, column)

    def items(self, name: str) -> list[CellItem]:
        """The ``;``-separated items of a list column (every item, empty ones too)."""
        i = _INDEX[name]
        line, column = self.cell_start(i)
        raw = self.raw[i]
        if not self.offsets:
            return [CellItem(part.strip(), line, column, part) for part in raw.split(";")]
        out, offset = [], 0
        for part in raw.split(";"):
            lead = len(part) - len(part.lstrip())
            out.append(CellItem(part.strip(), line, column + offset + lead, part))
            offset += len(part) + 1
        return out

    def key(self) -> tuple[str, ...]:
        """The row's :attr:`Annotation.key <alskg.sources.hpoa.Annotation.key>`: every column but
        disease_name and biocuration."""
        return self.annotation().key

    def item(self, name: str, index: int) -> CellItem:
        """The item ``index`` of a list column."""
        return self.items(name)[index]

    def annotation(self) -> Annotation:
        """The row as the HPOA mapper takes it."""
        return Annotation.from_row(self.line, self.values)


def normalise(name: str, raw: str) -> str:
    """The value of a cell: spaces around it (and around each item of a list) removed."""
    if not SPACED.search(raw):
        return raw
    if name in LIST_COLUMNS:
        return ";".join(part.strip() for part in raw.split(";")).strip()
    return raw.strip()


@dataclass
class Submission:
    """What a reader made of a file: rows, structural findings, and what the SHACL pass needs."""

    path: Path
    format: str
    sha256: str
    rows: list[SubmittedRow] = field(default_factory=list)
    findings: list[RuleFinding] = field(default_factory=list)
    header: dict[str, str] = field(default_factory=dict)
    #: RDF input: the file's triples (validated as given by the SHACL pass).
    triples: list[Triple] | None = None
    #: RDF input: where a node (N-Triples term) first appears in the file.
    locate: Callable[[str], Position] | None = None
    #: the file could not be read as a whole (binary, UTF-16): no rows, no emptiness finding.
    unreadable: bool = False
