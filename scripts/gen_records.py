"""Regenerate ``src/alskg/sources/table_records.py``, the typed record of each curated table,
from the table specs of :mod:`alskg.sources.tables` (the single source of columns and names).

``--check`` exits 1 when the module is stale, without writing; without it the module is rewritten.

    python scripts/gen_records.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alskg.sources import table_records
from alskg.sources.tables import records_module_source

TARGET = Path(table_records.__file__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the module is stale; write nothing")
    args = parser.parse_args(argv)
    text = records_module_source()
    if TARGET.read_text(encoding="utf-8") == text:
        return 0
    if args.check:
        print(f"{TARGET} is stale: run python scripts/gen_records.py", file=sys.stderr)
        return 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
