"""``alskg submit``: merge a passing submission into the curated tables.

A submission with any error is refused and nothing changes. A passing one adds its rows to
``data/submitted_annotations.tsv`` (the 12 HPOA columns, values without stray spaces, plus
``submission``, the first 12 hex digits of the file's SHA-256) and one record to
``data/submissions.tsv`` (id, file name, SHA-256, curators from the biocuration column, merge
date, number of annotations added). Rows the graph already holds (the release or an earlier
submission) and repeated rows are not added again, so the same file twice adds nothing the
second time (its checksum is already recorded).

Concurrent submits are serialised by an exclusive lock on the data folder (``flock(2)`` on
the folder itself, released by the kernel even on ``kill -9``), and the tables are re-read
under the lock, so no merge works from a stale copy. The record is the commit point: both
tables are written in canonical form to temporary files (flushed to disk), the rows are
renamed into place first and the record last. A crash between the two renames leaves rows
whose submission has no record: every reader leaves them out
(:func:`alskg.sources.curated.read_submitted`), the next submit removes them, and submitting
the file again merges it whole.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from alskg.atomic import atomic_path
from alskg.locks import locked
from alskg.sources.curated import read_submitted
from alskg.sources.hpoa import COLUMNS
from alskg.sources.table_records import MergedAnnotationRow, MergedSubmissionRow, TableRow
from alskg.sources.tables import TABLES, canonical_text, parse_table

from .check import CheckOptions, check_submission, read_bytes, read_submission
from .records import SubmittedRow
from .reference import ReferenceData
from .report import SubmissionReport

ANNOTATIONS, RECORDS = "submitted_annotations", "submissions"
_CURATOR = re.compile(r"^([^\[\]]+)\[")


@dataclass
class MergeResult:
    """What ``submit`` did: ``merged``, ``refused`` (errors) or ``already-merged``."""

    status: str
    report: SubmissionReport
    submission: str = ""
    added: int = 0
    skipped: int = 0
    files: list[Path] = field(default_factory=list)


def curators(rows: list[SubmittedRow]) -> str:
    """Every curator named in the biocuration column, sorted, ``;``-separated."""
    names = {m.group(1) for row in rows for item in row.value("biocuration").split(";")
             if (m := _CURATOR.match(item))}
    return ";".join(sorted(names))


def _merge_biocuration(first: str, other: str) -> str:
    items = first.split(";")
    return ";".join(items + [i for i in other.split(";") if i not in items])


def new_rows(rows: list[SubmittedRow], existing: list[MergedAnnotationRow], reference: ReferenceData,
             submission: str) -> tuple[list[MergedAnnotationRow], int]:
    """Rows to add (duplicates in the file merged, biocuration items united), and how many were skipped."""
    spec = TABLES[ANNOTATIONS]
    held = {tuple(row[c] for c in spec.key) for row in existing}
    added: dict[tuple[str, ...], MergedAnnotationRow] = {}
    skipped = 0
    for row in rows:
        key = row.key()
        facts = reference.release.facts(key[0]) if key[0] in reference.release.rows else None
        table_key = tuple(row.value(c) for c in spec.key)
        if table_key in held or (facts is not None and key in facts.keys):
            skipped += 1
        elif table_key in added:
            kept = added[table_key]
            added[table_key] = replace(kept, biocuration=_merge_biocuration(kept.biocuration, row.value("biocuration")))
            skipped += 1
        else:
            added[table_key] = MergedAnnotationRow(**{c: row.value(c) for c in COLUMNS}, submission=submission)
    return list(added.values()), skipped


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_tables(data_dir: Path, tables: dict[str, list[TableRow]]) -> list[Path]:
    """Write each table canonically to a temporary file (checked by re-parsing, flushed to
    disk), then rename: the rows first, the record (the commit point) last."""
    paths = []
    # contexts exit innermost first: the annotations are renamed into place before the record
    with atomic_path(data_dir / TABLES[RECORDS].filename) as tmp_record, \
            atomic_path(data_dir / TABLES[ANNOTATIONS].filename) as tmp_rows:
        for name, tmp in ((ANNOTATIONS, tmp_rows), (RECORDS, tmp_record)):
            spec = TABLES[name]
            text = canonical_text(spec, tables[name])
            parse_table(spec, text, data_dir / spec.filename)  # what we write must read back
            with tmp.open("w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            paths.append(data_dir / spec.filename)
    _sync_folder(data_dir)  # the renames themselves reach the disk
    return paths


def submit(path: Path, data_dir: Path, reference: ReferenceData, options: CheckOptions = CheckOptions(),
           merge_date: date | None = None) -> MergeResult:
    """Check ``path``; merge it into ``data_dir`` if it has no error (see the module docstring)."""
    submission = read_submission(path, read_bytes(path), options.input_format)
    report = check_submission(submission, reference, options)
    if report.fails("error"):
        return MergeResult("refused", report)
    ident = submission.sha256[:12]
    with locked(data_dir):  # one merge at a time; everything below reads the tables afresh
        records, existing, uncommitted = read_submitted(data_dir)
        if any(r.sha256 == submission.sha256 for r in records):
            if uncommitted:  # repair: drop the rows of an interrupted merge
                _write_tables(data_dir, {ANNOTATIONS: [*existing], RECORDS: [*records]})
            return MergeResult("already-merged", report, ident, 0, len(submission.rows))
        added, skipped = new_rows(submission.rows, existing, reference, ident)
        record = MergedSubmissionRow(id=ident, file_name=path.name, sha256=submission.sha256,
                                     curators=curators(submission.rows),
                                     date=(merge_date or date.today()).isoformat(), annotations=str(len(added)))
        # `existing` leaves out rows of an interrupted merge: rewriting the table drops them
        files = _write_tables(data_dir, {ANNOTATIONS: [*existing, *added], RECORDS: [*records, record]})
    return MergeResult("merged", report, ident, len(added), skipped, files)
