"""Benchmark ``alskg.conformance.check_store`` against a plain scan of the same store.

For each scope asked (the ALS build always; the full release with ``--scope all``), builds
the graph into a temporary folder (or uses ``--build-dir``), opens its store read-only and
times, in this one process:

  (0) baseline: ``SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }`` (one scan of every triple);
  (1) the conformance check (every rule), after a warm-up run of the baseline;

and prints the triple count, both times, their ratio and the findings per rule. The ratio is
the figure to compare across machines and loads; the target for the full store is a check
well under 60 s.

    python scripts/bench_conformance.py                     # ALS only (about a minute)
    python scripts/bench_conformance.py --scope all         # ALS and full (a full build first)
    python scripts/bench_conformance.py --build-dir build   # an existing build only
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from benchlib import REPO

sys.path.insert(0, str(REPO / "src"))

from alskg.build import build  # noqa: E402
from alskg.conformance import check_store  # noqa: E402
from alskg.packaged import hpo_release_dir  # noqa: E402
from alskg.store import open_store  # noqa: E402

BASELINE = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def measure(name: str, build_dir: Path) -> dict[str, object]:
    """Baseline and check on one built store; one row of figures."""
    store = open_store(build_dir)
    list(store.query(BASELINE))  # warm the store's caches for both
    start = time.perf_counter()
    triples = int(next(iter(store.query(BASELINE)))["n"].value)
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    report = check_store(store)
    check = time.perf_counter() - start
    return {"scope": name, "triples": triples, "baseline_s": round(baseline, 2), "check_s": round(check, 2),
            "ratio": round(check / baseline, 1) if baseline else None, "counts": report.counts()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scope", choices=["als", "all"], default="als", help="all: also the full release")
    parser.add_argument("--build-dir", type=Path, help="measure this existing build only")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    rows = []
    if args.build_dir:
        rows.append(measure(str(args.build_dir), args.build_dir))
    else:
        with tempfile.TemporaryDirectory(prefix="alskg-bench-conformance-") as tmp:
            for scope in ["als"] + (["all"] if args.scope == "all" else []):
                out = Path(tmp) / scope
                build(out, REPO / "data", hpo_release_dir(), scope=scope)
                rows.append(measure(scope, out))
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'scope':8} {'triples':>9} {'baseline s':>10} {'check s':>8} {'ratio':>6}  findings per rule")
    for row in rows:
        found = {rule: n for rule, n in row["counts"].items() if n}  # type: ignore[union-attr]
        print(f"{row['scope']:8} {row['triples']:>9} {row['baseline_s']:>10} {row['check_s']:>8} {row['ratio']:>6}  "
              f"{found or 'conforms'}")


if __name__ == "__main__":
    main()
