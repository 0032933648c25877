"""Regenerate the parts of the docs that are facts of the code, so they never drift.

- ``docs/queries.md``: the table of packaged queries (name, title, parameters with their kind
  and default, the answer's columns and row count at ALS scope), from ``queries/*.rq`` and the
  checked-in answers in ``tests/golden/``.

Each generated part sits between ``<!-- generated: NAME -->`` and ``<!-- end: NAME -->``;
everything else in the file is written by hand. ``--check`` exits 1 when a file is stale
(the tests run it), without it the files are rewritten.

    python scripts/gen_docs.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from alskg.queries import Query, catalogue

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _golden(name: str) -> tuple[list[str], int] | None:
    """The columns and row count of a query's checked-in answer, or None if it has none."""
    path = GOLDEN / f"{name}.tsv"
    if not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[0].split("\t"), len(lines) - 1


def queries_table(queries: dict[str, Query]) -> str:
    """The Markdown table of the packaged queries, in catalogue (name) order."""
    out = ["| name | title | parameters (default) | columns | rows at ALS scope |", "|---|---|---|---|---|"]
    for name, query in sorted(queries.items()):
        params = ", ".join(f"`{p.name}` {p.type} (`{p.default}`)" for p in query.params) or "—"
        golden = _golden(name)
        columns = ", ".join(f"`{c}`" for c in golden[0]) if golden else "—"
        rows = str(golden[1]) if golden else "—"
        out.append(f"| `{name}` | {_cell(query.title)} | {params} | {columns} | {rows} |")
    return "\n".join(out) + "\n"


GENERATED: dict[Path, dict[str, Callable[[], str]]] = {
    REPO / "docs" / "queries.md": {"queries-table": lambda: queries_table(catalogue())},
}


def render(text: str, parts: dict[str, Callable[[], str]], path: Path) -> str:
    """``text`` with each generated part replaced by its fresh content."""
    for name, make in parts.items():
        start, end = f"<!-- generated: {name} -->\n", f"<!-- end: {name} -->"
        head, found, rest = text.partition(start)
        body, closed, tail = rest.partition(end)
        if not found or not closed:
            raise SystemExit(f"{path}: markers for {name!r} are missing")
        text = head + start + make() + end + tail
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated part is stale; write nothing")
    args = parser.parse_args(argv)
    stale = []
    for path, parts in GENERATED.items():
        text = path.read_text(encoding="utf-8")
        fresh = render(text, parts, path)
        if fresh != text:
            stale.append(path)
            if not args.check:
                path.write_text(fresh, encoding="utf-8")
    for path in stale:
        print(f"{'stale' if args.check else 'updated'}: {path.relative_to(REPO)}")
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
