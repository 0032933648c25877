"""Canonical form of the curated tables (``alskg data lint``)."""

from __future__ import annotations

from pathlib import Path

from alskg.atomic import write_text
from alskg.locks import locked
from alskg.sources.curated import read_curated
from alskg.sources.tables import TABLES, canonical_text


def lint_tables(data_dir: Path, fix: bool = False) -> list[str]:
    """Names of tables not in canonical form (rewritten when ``fix``); parse errors raise.

    Rows of an interrupted merge (no record in submissions.tsv) are reported; ``fix`` drops
    them. A fix holds the data folder's lock, like ``alskg submit``."""
    if not fix:
        return _lint(data_dir, False)
    with locked(data_dir):
        return _lint(data_dir, True)


def _lint(data_dir: Path, fix: bool) -> list[str]:
    data = read_curated(data_dir)
    problems = []
    if data.uncommitted:
        ids = ", ".join(sorted({row["submission"] for row in data.uncommitted}))
        problems.append(f"{data_dir / TABLES['submitted_annotations'].filename}: {len(data.uncommitted)} rows of an "
                        f"interrupted merge (submission {ids} has no record in submissions.tsv) are ignored; "
                        "submit the file again")
    for name, spec in TABLES.items():
        path = data_dir / spec.filename
        expected = canonical_text(spec, data[name])
        if path.read_text(encoding="utf-8") != expected:
            problems.append(f"{path}: not in canonical form (rows sorted by {', '.join(spec.key)})")
            if fix:
                write_text(path, expected)
    return problems
