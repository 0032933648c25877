"""Benchmark ``alskg check`` (curator submissions, issue #4): time and peak RSS, whole process.

Each step runs ``python -m alskg check`` in its own child process; ``os.wait4`` gives that
child's own CPU time and peak RSS. Steps:

  (0) baseline: one row (the first annotation of the release), --shacl always: the fixed cost
      of every check (interpreter start-up, reading hp.obo and phenotype.hpoa for the
      reference, the shapes). The other steps print their ratio to it and their cost per row
      beyond it;
  (a) 10,000 rows (the first 10,000 annotations of the pinned release's phenotype.hpoa, so
      each is compared with the release too), with the SHACL pass (--shacl always);
  (b) the full release (271,702 annotations) as a submission, --shacl auto (the SHACL pass is
      skipped above 50,000 rows; the report says so);
  (c) the full release with --shacl always, for the cost of the SHACL pass at that size
      (information; no target; skip with --quick).

Targets: (a) <= 5 s, (b) <= 60 s.

    python scripts/bench_validate.py            # about 2 minutes
    python scripts/bench_validate.py --quick    # (a) and (b) only
    python scripts/bench_validate.py --build-dir DIR   # only: alskg validate of a (full) build,
                                                       # against bulk-loading its alskg.nt alone
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from benchlib import REPO, Measured, measure, scratch
ALSKG = [sys.executable, "-m", "alskg"]


@dataclass
class Figure(Measured):
    """One measured step."""

    exit_code: int
    rows: int = 0
    summary: str = ""


def run_step(name: str, argv: list[str]) -> Figure:
    """Run a child process and measure it; exit 0 or 1 (a report with findings) is success."""
    child = measure(argv)
    if child.exit_code not in (0, 1):
        sys.exit(f"step {name} failed ({child.exit_code}): {child.stderr.strip()[-300:]}")
    summary = json.loads(child.stdout)
    note = (f"{summary['annotations']} rows; {summary['counts']}; SHACL "
            + ("ran" if summary["shacl"]["ran"] else "skipped") + f": {summary['shacl']['note'][:60]}")
    return Figure(name, child.wall_s, child.cpu_s, child.peak_rss_mib, child.exit_code,
                  int(summary["annotations"]), note)


def first_rows(release: Path, n: int, target: Path) -> Path:
    """The header and first ``n`` annotation rows of phenotype.hpoa."""
    out = []
    with release.open(encoding="utf-8") as handle:
        for line in handle:
            out.append(line)
            if not line.startswith(("#", "database_id")):
                n -= 1
                if n == 0:
                    break
    target.write_text("".join(out), encoding="utf-8")
    return target


LOAD_ALONE = ("import sys; from pyoxigraph import Store, RdfFormat; "
              "Store().bulk_load(path=sys.argv[1], format=RdfFormat.N_TRIPLES, lenient=True)")


def validate_build(build_dir: Path, runs: int = 1) -> int:
    """Time ``alskg validate`` of one build (issue 10 §3: <= 30 s at full scope), against a
    baseline measured in the same run: pyoxigraph alone bulk-loading the build's ``alskg.nt``
    into an in-memory store (the floor of a validation that reads the dump). Median of
    ``runs`` runs of each; run it under ``flock /tmp/fullscope.lock`` on a shared machine."""
    import os
    import statistics

    nt = build_dir / "alskg.nt"
    steps = [("(0) baseline: in-memory bulk load of alskg.nt", [sys.executable, "-c", LOAD_ALONE, str(nt)])]
    steps.append(("(1) alskg validate --build-dir", [*ALSKG, "validate", "--build-dir", str(build_dir)]))
    if not nt.is_file():
        steps = steps[1:]
    print(f"{'step':46} {'wall s':>7} {'CPU s':>7} {'peak MiB':>9} {'x base':>7}  load avg (start-end)")
    base: float | None = None
    for name, argv in steps:
        children = []
        loads = []
        for _ in range(runs):
            before = os.getloadavg()[0]
            child = measure(argv)
            loads.append((before, os.getloadavg()[0]))
            if child.exit_code not in (0, 1):
                sys.exit(f"{name} failed ({child.exit_code}): {child.stderr.strip()[-300:]}")
            children.append(child)
        wall = statistics.median(c.wall_s for c in children)
        cpu = statistics.median(c.cpu_s for c in children)
        rss = max(c.peak_rss_mib for c in children)
        base = base if base is not None else wall
        load = ", ".join(f"{a:.1f}-{b:.1f}" for a, b in loads)
        verdict = "" if not name.startswith("(1)") else f"  <= 30 s: {'ok' if wall <= 30 else 'MISSED'}"
        print(f"{name:46} {wall:7.1f} {cpu:7.1f} {rss:9.0f} {wall / base:7.2f}  {load}{verdict}", flush=True)
        if children[-1].stdout:
            print(f"    {children[-1].stdout.splitlines()[0][:110]}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip (c), the full release with --shacl always")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    parser.add_argument("--build-dir", type=Path, default=None,
                        help="instead: time `alskg validate --build-dir DIR` (CPU, wall, peak RSS, load average)"
                             " against the in-memory bulk load of its alskg.nt alone")
    parser.add_argument("--runs", type=int, default=1, help="with --build-dir: median of this many runs")
    args = parser.parse_args()
    if args.build_dir is not None:
        return validate_build(args.build_dir, max(1, args.runs))
    sys.path.insert(0, str(REPO / "src"))
    from alskg.packaged import hpo_release_dir

    release = hpo_release_dir() / "phenotype.hpoa"
    work = scratch(None, "alskg-bench-check-")
    one = first_rows(release, 1, work / "submission-1.tsv")
    sample = first_rows(release, 10_000, work / "submission-10000.tsv")
    check = [*ALSKG, "check", "--format", "json", "--data-dir", str(REPO / "data")]
    steps = [("(0) baseline: check 1 row, SHACL pass", [*check, "--shacl", "always", str(one)], None),
             ("(a) check 10,000 rows, SHACL pass", [*check, "--shacl", "always", str(sample)], 5.0),
             ("(b) check the full release, --shacl auto", [*check, str(release)], 60.0)]
    if not args.quick:
        steps.append(("(c) check the full release, --shacl always", [*check, "--shacl", "always", str(release)], None))
    figures: list[Figure] = []
    print(f"{'step':46} {'wall s':>7} {'CPU s':>7} {'peak MiB':>9} {'x base':>7} {'us/row':>7}  target")
    for name, argv, target in steps:
        fig = run_step(name, argv)
        figures.append(fig)
        base = figures[0]
        ratio = fig.wall_s / base.wall_s
        per_row = (fig.wall_s - base.wall_s) / max(fig.rows - base.rows, 1) * 1e6 if fig is not base else 0.0
        verdict = "" if target is None else f"<= {target:.0f} s: {'ok' if fig.wall_s <= target else 'MISSED'}"
        print(f"{fig.name:46} {fig.wall_s:7.2f} {fig.cpu_s:7.1f} {fig.peak_rss_mib:9.0f} {ratio:7.2f} {per_row:7.0f}"
              f"  {verdict}", flush=True)
        print(f"    {fig.summary}", flush=True)
    if args.json:
        args.json.write_text(json.dumps([asdict(f) for f in figures], indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
