"""Canonical form of the curated tables (``alskg data lint``)."""

from __future__ import annotations

from pathlib import Path

from alskg.atomic import write_text
from alskg.sources.curated import read_curated
from alskg.sources.tables import TABLES, canonical_text


def lint_tables(data_dir: Path, fix: bool = False) -> list[str]:
    """Names of tables not in canonical form (rewritten when ``fix``); parse errors raise."""
    data = read_curated(data_dir)
    problems = []
    for name, spec in TABLES.items():
        path = data_dir / spec.filename
        expected = canonical_text(spec, data[name])
        if path.read_text(encoding="utf-8") != expected:
            problems.append(f"{path}: not in canonical form (rows sorted by {', '.join(spec.key)})")
            if fix:
                write_text(path, expected)
    return problems
