"""The GARD page as a list of units (sentences and table cells), each placed in its section.

The curated tables hold what the page says; ``data/page_sentences.tsv`` says, for every unit
this module finds, which rows hold it (or, left empty, that ``docs/curation-notes.md`` lists it as
deliberately left out). Splitting is plain text work on a pinned page, so it is kept simple and
deterministic: a unit is a sentence of a prose line, or the whole of a short line (a heading, a
table cell, a reference).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Sections in page order; each but the last ends at a landmark line (see :func:`_section_ends`).
SECTIONS = ("names", "summary", "symptoms", "inheritance", "diagnosis", "treatment", "resources", "references")

_MARKER = re.compile(r"\[(\d+)\]")
_BULLET = re.compile(r"^\s*•\s*")
_REFERENCE = re.compile(r"^\s*\d+\.\s")
#: A sentence ends at . ? or ! (with any [n] markers after it) before a space and a capital letter,
#: a digit or a quote, unless the period closes an initial or an abbreviation such as "U.S.".
_BOUNDARY = re.compile(r"(?<=[.?!])((?:\[\d+\])*)\s+(?=[A-Z0-9\"“])")
_NO_BREAK = re.compile(r"(?:\b[A-Z]|\bU\.S|\bInc|\bDr|\bSt)\.$")


@dataclass(frozen=True)
class PageUnit:
    """One sentence or cell of the page: where it is, what it says, which [n] markers it and its line carry.

    ``line_markers`` are the markers of the unit's paragraph; a bullet line counts as part of the
    paragraph above it, so a bullet inherits that paragraph's markers.
    """

    line: int
    n: int
    section: str
    text: str
    markers: tuple[str, ...]
    line_markers: tuple[str, ...]

    @property
    def key(self) -> str:
        """``LLL.NN``: page line and position in the line, zero-padded so keys sort in page order."""
        return f"{self.line:03d}.{self.n:02d}"


def _section_ends(lines: list[str]) -> list[int]:
    """The last line (1-based) of each section but the last.

    ``names`` ends at the line after "Subtypes:"; summary to treatment each end at a
    "Last updated:" line; ``resources`` ends before the first numbered reference.
    """
    ends = [lines.index("Subtypes:") + 2]
    updated = [i + 1 for i, line in enumerate(lines) if line.startswith("Last updated:")]
    ends += updated[:5]
    first_ref = next(i for i, line in enumerate(lines) if _REFERENCE.match(line))
    ends.append(first_ref)
    return ends


def split_sentences(text: str) -> list[str]:
    """Split one line of prose into sentences, keeping each sentence's [n] markers with it."""
    out: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end(1)
        if _NO_BREAK.search(text[start:match.start(1)]):
            continue
        out.append(text[start:end].strip())
        start = match.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def page_units(text: str) -> list[PageUnit]:
    """Every unit of the page, in page order."""
    lines = text.split("\n")
    ends = _section_ends([line.rstrip() for line in lines])
    units: list[PageUnit] = []
    paragraph_markers: tuple[str, ...] = ()
    for number, raw in enumerate(lines, start=1):
        line = _BULLET.sub("", raw).strip()
        if not line:
            continue
        section = SECTIONS[sum(1 for end in ends if number > end)]
        pieces = [line] if section == "references" else split_sentences(line)
        line_markers = tuple(_MARKER.findall(line))
        if _BULLET.match(raw):  # a bullet list goes on with the paragraph above it, and its citations
            line_markers = paragraph_markers + line_markers
        else:
            paragraph_markers = line_markers
        for n, piece in enumerate(pieces, start=1):
            units.append(PageUnit(number, n, section, piece, tuple(_MARKER.findall(piece)), line_markers))
    return units
