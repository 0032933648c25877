"""Regenerate the checked-in query answers (tests/golden/*.tsv) from a fresh build.

Golden files fail the tests on any mismatch; this script is the explicit way to accept a
change. Review the diff before committing it.

    python scripts/update_golden.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

from alskg.build import build
from alskg.packaged import hpo_release_dir
from alskg.queries import catalogue, run_local
from alskg.results import render

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden"


def main() -> int:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        result = build(Path(tmp), REPO / "data", hpo_release_dir())
        store = ox.Store.read_only(str(result.files["store"]))
        queries = catalogue()
        for stale in set(p.stem for p in GOLDEN.glob("*.tsv")) - set(queries):
            (GOLDEN / f"{stale}.tsv").unlink()
            print(f"removed {stale}.tsv")
        for name, query in sorted(queries.items()):
            text = render(run_local(store, query.text), "tsv")
            path = GOLDEN / f"{name}.tsv"
            changed = not path.exists() or path.read_text(encoding="utf-8") != text
            path.write_text(text, encoding="utf-8")
            print(f"{'updated' if changed else 'same   '} {name}.tsv ({text.count(chr(10)) - 1} rows)")
        del store
    return 0


if __name__ == "__main__":
    sys.exit(main())
