"""Benchmark alskg at the size of the full HPO release, against a plain-rdflib baseline.

Runs, in one invocation on this machine, each step in its own child process (so wall time,
CPU time and peak RSS are the step's own, including the processes it starts):

  (a) ``alskg build --scope all``: release files → store + Turtle + N-Triples (+ N-Quads)
  (b) the same triples built and serialised with a plain ``rdflib.Graph`` (the baseline)
  (c) ``alskg validate`` of the --scope all graph
  (d) every packaged query against the --scope all store, warm (second run timed)
  (e) ``alskg query run`` on an ALS-scope store, as a whole process

and prints the figures, the targets of issue #3, the ratio (b)/(a), the triple count, and the
build at 10%, 50% and 100% of the release (cost should grow linearly).

    python scripts/bench_build.py               # everything (about 15 minutes, ~8 GB for rdflib)
    python scripts/bench_build.py --baseline-fraction 0.1   # rdflib on 10% only, compared at 10%
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from benchlib import Measured, measure, scratch
GIB = 1024 * 1024  # KiB per GiB


@dataclass
class Figure(Measured):
    """One measured step."""

    note: str = ""


def run_step(name: str, argv: list[str], note: str = "", ok: tuple[int, ...] = (0,)) -> tuple[Figure, str]:
    """Run a child process; measure its wall time, CPU time and peak RSS.

    ``wait4`` gives the child's own resource usage, which on Linux includes the processes it
    started and waited for (the build's store loader), so peak RSS covers the whole step.
    """
    child = measure(argv)
    if child.exit_code not in ok:
        last = child.stderr.strip().splitlines()[-1] if child.stderr.strip() else ""
        sys.exit(f"step {name} failed ({child.exit_code}): {last}")
    return Figure(name, child.wall_s, child.cpu_s, child.peak_rss_mib, note), child.stdout


PY = sys.executable
ALSKG = [PY, "-m", "alskg"]


def subset_release(fraction: float, target: Path) -> Path:
    """A release folder with the first ``fraction`` of phenotype.hpoa's rows (and the full
    hp.obo and genes file), for the scaling run."""
    from alskg.packaged import hpo_release_dir

    source = hpo_release_dir()
    target.mkdir(parents=True, exist_ok=True)
    for name in ("hp.obo", "genes_to_phenotype.txt"):
        link = target / name
        if not link.exists():
            link.symlink_to(source / name)
    lines = (source / "phenotype.hpoa").read_text(encoding="utf-8").splitlines(keepends=True)
    header = [line for line in lines if line.startswith("#") or line.startswith("database_id")]
    rows = lines[len(header):]
    (target / "phenotype.hpoa").write_text("".join(header + rows[: int(len(rows) * fraction)]), encoding="utf-8")
    return target


BASELINE = r"""
import sys, rdflib
g = rdflib.Graph()
with open(sys.argv[1], encoding="utf-8") as handle:
    g.parse(handle, format="nt")
g.serialize(destination=sys.argv[2] + "/baseline.ttl", format="turtle")
g.serialize(destination=sys.argv[2] + "/baseline.nt", format="nt")
print(len(g))
"""

QUERIES = r"""
import sys, time, json
import pyoxigraph as ox
from alskg.queries import catalogue, run_local
store = ox.Store.read_only(sys.argv[1])
out = {}
for name, q in sorted(catalogue().items()):
    run_local(store, q.text)
    t = time.perf_counter(); rows = run_local(store, q.text).rows; out[name] = (time.perf_counter() - t, len(rows))
print(json.dumps(out))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--baseline-fraction", type=float, default=1.0,
                        help="share of the release the rdflib baseline runs on (compared with alskg at that share)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    args = parser.parse_args()
    work = scratch(args.work, "alskg-bench-")
    figures: list[Figure] = []
    scaling: list[tuple[float, Figure, int]] = []

    for fraction in (0.1, 0.5, 1.0):
        release = subset_release(fraction, work / f"release-{int(fraction * 100)}")
        out_dir = work / f"build-{int(fraction * 100)}"
        fig, text = run_step(f"(a) build --scope all at {fraction:.0%}",
                             [*ALSKG, "build", "--scope", "all", "--hpo-dir", str(release), "--out", str(out_dir)])
        triples = int(text.split()[1])
        scaling.append((fraction, fig, triples))
        print(f"  {fig.name}: {fig.wall_s:.1f} s wall, {fig.cpu_s:.1f} s CPU, {fig.peak_rss_mib:.0f} MiB, "
              f"{triples} triples", flush=True)
    build_fig, full_triples = scaling[-1][1], scaling[-1][2]
    figures.append(build_fig)

    base_fraction = args.baseline_fraction
    base_dir = work / f"build-{int(base_fraction * 100)}"
    if not base_dir.exists():
        release = subset_release(base_fraction, work / f"release-{int(base_fraction * 100)}")
        run_step("(a) at baseline share", [*ALSKG, "build", "--scope", "all", "--hpo-dir", str(release),
                                             "--out", str(base_dir)])
    compare = next((f for frac, f, _ in scaling if abs(frac - base_fraction) < 1e-9), None)
    if compare is None:
        compare, _ = run_step("(a) at baseline share", [*ALSKG, "build", "--scope", "all", "--hpo-dir",
                                                          str(work / f"release-{int(base_fraction * 100)}"),
                                                          "--out", str(base_dir)])
    baseline_out = work / "baseline"
    baseline_out.mkdir(exist_ok=True)
    base_fig, _ = run_step(f"(b) rdflib.Graph baseline at {base_fraction:.0%}",
                           [PY, "-c", BASELINE, str(base_dir / "alskg.nt"), str(baseline_out)])
    figures.append(base_fig)
    print(f"  {base_fig.name}: {base_fig.wall_s:.1f} s wall, {base_fig.peak_rss_mib:.0f} MiB", flush=True)

    # exit 1 = the release has violations (a finding, not a failure of the step)
    val_fig, text = run_step("(c) validate --scope all", [*ALSKG, "validate", "--build-dir", str(work / "build-100")],
                             ok=(0, 1))
    val_fig.note = text.splitlines()[0]
    figures.append(val_fig)

    query_fig, text = run_step("(d) packaged queries, warm", [PY, "-c", QUERIES, str(work / "build-100" / "store")])
    per_query = json.loads(text)
    slowest = max(per_query.items(), key=lambda kv: kv[1][0])
    query_fig.note = f"{len(per_query)} queries; slowest {slowest[0]} {slowest[1][0]:.2f} s"
    figures.append(query_fig)

    als = work / "build-als"
    run_step("build --scope als", [*ALSKG, "build", "--out", str(als)])
    cli_times = []
    for _ in range(5):
        fig, _ = run_step("(e) query run, whole process", [*ALSKG, "query", "run", "disease-phenotypes-by-frequency",
                                                            "--build-dir", str(als), "--format", "tsv"])
        cli_times.append(fig.wall_s)
    cli_fig = Figure("(e) `alskg query run` on the ALS store, whole process", min(cli_times), 0.0, 0.0,
                     f"best of 5; median {sorted(cli_times)[2]:.2f} s")
    figures.append(cli_fig)

    ratio = base_fig.wall_s / compare.wall_s
    print()
    print(f"triples (--scope all): {full_triples}")
    print(f"{'figure':58} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9}  target / note")
    targets = {
        build_fig.name: f"<= 20 s wall, <= 1536 MiB ({'ok' if build_fig.wall_s <= 20 else 'MISSED'} / "
                        f"{'ok' if build_fig.peak_rss_mib <= 1536 else 'MISSED'})",
        val_fig.name: f"<= 60 s ({'ok' if val_fig.wall_s <= 60 else 'MISSED'}); {val_fig.note}",
        query_fig.name: f"each <= 1 s warm ({'ok' if slowest[1][0] <= 1 else 'MISSED'}); {query_fig.note}",
        cli_fig.name: f"<= 0.5 s ({'ok' if cli_fig.wall_s <= 0.5 else 'MISSED'}); {cli_fig.note}",
        base_fig.name: f"(b)/(a) at {base_fraction:.0%} = {ratio:.1f}x (target >= 10x: "
                       f"{'ok' if ratio >= 10 else 'MISSED'})",
    }
    for fig in figures:
        print(f"{fig.name:58} {fig.wall_s:8.2f} {fig.cpu_s:8.1f} {fig.peak_rss_mib:9.0f}  {targets.get(fig.name, '')}")
    print("\nscaling of (a):")
    for fraction, fig, triples in scaling:
        print(f"  {fraction:>4.0%}: {fig.wall_s:6.1f} s  {triples:>9} triples  "
              f"{fig.wall_s / triples * 1e6:.2f} µs/triple")
    print("\nper query (warm, --scope all):")
    for name, (seconds, rows) in sorted(per_query.items(), key=lambda kv: -kv[1][0]):
        print(f"  {name:36} {seconds:6.3f} s  {rows:>7} rows")
    if args.json:
        args.json.write_text(json.dumps({"triples": full_triples, "figures": [asdict(f) for f in figures],
                                         "ratio_b_over_a": ratio, "per_query": per_query,
                                         "scaling": [(fr, asdict(f), n) for fr, f, n in scaling]}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
