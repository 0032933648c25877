"""Is every unit of the GARD page either held by curated rows or listed as left out?

``data/page_sentences.tsv`` mirrors :func:`alskg.sources.page.page_units` and names, per unit,
the rows that hold it (``table:key``, key columns joined by ``|``). A unit with no rows must be
quoted in the "left out" part of ``docs/curation-notes.md``, one ``- "unit text"`` bullet each.
:func:`coverage_problems` returns every disagreement as one line; an empty list means the page
is covered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from alskg.sources.curated import CuratedData
from alskg.sources.page import PageUnit
from alskg.sources.table_records import PageSentenceRow
from alskg.sources.tables import TABLES, TableRow, split_multi

#: The heading in docs/curation-notes.md under which left-out units are quoted.
LEFT_OUT_HEADING = "## What the page says and the graph does not hold"


def left_out_quotes(notes: str) -> list[str]:
    """The ``- "…"`` bullets of the left-out part of the curation notes, unquoted."""
    _, found, rest = notes.partition(LEFT_OUT_HEADING + "\n")
    if not found:
        return []
    body = rest.split("\n## ", 1)[0]
    return [line[3:-1] for line in body.splitlines() if line.startswith('- "') and line.endswith('"')]


def _index(data: CuratedData) -> dict[str, TableRow]:
    """Every row of every table, by ``table:key``."""
    out: dict[str, TableRow] = {}
    for name, spec in TABLES.items():
        for row in data[name]:
            out[f"{name}:" + "|".join(row[k] for k in spec.key)] = row
    return out


def _mirror_problems(rows: list[PageSentenceRow], units: list[PageUnit]) -> Iterator[str]:
    have = {row.unit: row for row in rows}
    want = {unit.key: unit for unit in units}
    for key in sorted(want.keys() - have.keys()):
        yield f"page_sentences.tsv: unit {key} missing: {want[key].text[:60]!r}"
    for key in sorted(have.keys() - want.keys()):
        yield f"page_sentences.tsv:{have[key].line}: unit {key} is not on the page"
    for key in sorted(want.keys() & have.keys()):
        row, unit = have[key], want[key]
        if (row.section, row.text) != (unit.section, unit.text):
            yield f"page_sentences.tsv:{row.line}: unit {key} differs from the page: {unit.section} {unit.text!r}"


def _pointer_problems(data: CuratedData, units: dict[str, PageUnit]) -> Iterator[str]:
    index = _index(data)
    held: dict[str, list[PageUnit]] = defaultdict(list)
    for row in data.rows(PageSentenceRow):
        unit = units.get(row.unit)
        if unit is None:
            continue
        where = f"page_sentences.tsv:{row.line}"
        for pointer in split_multi(row.held_by):
            target = index.get(pointer)
            if target is None:
                yield f"{where}: {pointer} names no row"
                continue
            held[pointer].append(unit)
            table = pointer.split(":", 1)[0]
            if "source" in TABLES[table].columns:
                if f"gard:{unit.section}" not in split_multi(target["source"]):
                    yield f"{where}: {pointer} holds a {unit.section} unit but its source lacks gard:{unit.section}"
            elif table == "sections" and target["section"] != unit.section:
                yield f"{where}: {pointer} is not the unit's section {unit.section}"
        cited = {ref for p in split_multi(row.held_by) if p in index for ref in split_multi(index[p].get("refs"))}
        if row.held_by and unit.markers and not set(unit.markers) <= cited:
            yield f"{where}: the unit cites {list(unit.markers)} but no row holding it cites them all"
    for pointer, row in index.items():
        table = pointer.split(":", 1)[0]
        for item in split_multi(row.get("source")):
            section = item.removeprefix("gard:")
            if item.startswith("gard:") and not any(u.section == section for u in held.get(pointer, [])):
                yield (f"{TABLES[table].filename}:{row.line}: {pointer} cites {item} "
                       "but no unit of it is held by the row")
        refs = set(split_multi(row.get("refs")))
        context = {m for u in held.get(pointer, []) for m in u.line_markers}
        if refs and held.get(pointer) and not refs <= context:
            yield (f"{TABLES[table].filename}:{row.line}: {pointer} cites {sorted(refs - context)}, "
                   "which no paragraph holding it carries")


def _left_out_problems(data: CuratedData, units: dict[str, PageUnit], notes: str) -> Iterator[str]:
    left = {units[row.unit].text for row in data.rows(PageSentenceRow) if not row.held_by and row.unit in units}
    quoted = set(left_out_quotes(notes))
    for text in sorted(left - quoted):
        yield f"curation-notes.md: left-out unit not listed under {LEFT_OUT_HEADING!r}: {text!r}"
    for text in sorted(quoted - left):
        yield f"curation-notes.md: listed as left out but not a left-out unit of the page: {text!r}"


def coverage_problems(data: CuratedData, units: list[PageUnit], notes: str) -> list[str]:
    """Every way in which the page, ``page_sentences.tsv``, the tables and the notes disagree."""
    by_key = {unit.key: unit for unit in units}
    return [
        *_mirror_problems(data.rows(PageSentenceRow), units),
        *_pointer_problems(data, by_key),
        *_left_out_problems(data, by_key, notes),
    ]
