"""Benchmark the full-scope build, validation and release against baselines measured in the same run.

Each step runs in its own child process (``benchlib.measure``: wall time, CPU time of the step
and every process it waited for, peak RSS summed over its processes), ``--runs N`` times, and the
median is reported:

  build      ``alskg build --scope all``                      target <= 20 s wall (issue 10),
             <= 30 s wall (issue 8: normalisation must not make it slower than that)
  unmapped   the same build with MONDO's mapping sets emptied (their headers kept, every row
             left out): no disease is normalised, so build/unmapped is what normalisation costs
  validate   ``alskg validate`` of that build                 target <= 30 s wall
  release    ``alskg release --scope all`` (if the command exists; skipped otherwise)
             target <= 90 s wall, <= 2.5 GB RSS
  baselines  pyoxigraph alone bulk-loading the build's canonical dump (alskg.nq) into a disk
             store and dumping Turtle (issue 10's baseline for the build); pyoxigraph alone
             bulk-loading the merged view's N-Triples (dumped from the build's store, untimed)
             into a disk store, which is the build's store loader without the build (its floor);
             the in-memory bulk load alone of the merged view from alskg.nq (the floor of alskg validate's
             own load)

The machine may be shared: CPU seconds are the fair figure; the load average is printed
beside the wall times.

    python scripts/bench_release.py --runs 3 --work /tmp/bench-release
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from benchlib import Measured, measure, scratch

PY = sys.executable
ALSKG = [PY, "-m", "alskg"]

#: pyoxigraph alone: the canonical dump into a fresh disk store, then Turtle out of it.
OXIGRAPH_BASELINE = r"""
import sys, pyoxigraph as ox
store = ox.Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS, lenient=True)
store.dump(sys.argv[3], format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
print(len(store))
"""

#: the merged view out of the build's store as N-Triples (preparation for LOADER_BASELINE, untimed).
MERGED_DUMP = r"""
import sys, pyoxigraph as ox
ox.Store.read_only(sys.argv[1]).dump(sys.argv[2], format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
"""

#: the build's store loader alone: the merged N-Triples bulk-loaded from a file into a disk store.
LOADER_BASELINE = r"""
import sys, pyoxigraph as ox
store = ox.Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES, lenient=True)
store.flush()
print(len(store))
"""

#: the in-memory bulk load alone of the merged view, streamed from the build's alskg.nq with each
#: line's graph cut off (what alskg validate does before its constraint queries on a build
#: without alskg.nt).
LOAD_BASELINE = r"""
import sys
from pathlib import Path
import pyoxigraph as ox
from alskg.quadlines import TriplesOfQuads
store = ox.Store()
with Path(sys.argv[1]).open("rb") as handle:
    store.bulk_load(input=TriplesOfQuads(handle), format=ox.RdfFormat.N_TRIPLES, lenient=True)
print(len(store))
"""


@dataclass
class Figure(Measured):
    """The median of one step over the runs."""

    load_avg: float
    runs: int
    note: str = ""


def run(name: str, argv: list[str], runs: int, ok: tuple[int, ...] = (0,), before=None) -> Figure:  # type: ignore[no-untyped-def]
    """Run ``argv`` ``runs`` times (``before`` cleans up first); the medians."""
    walls, cpus, rss, loads = [], [], [], []
    for _ in range(runs):
        if before is not None:
            before()
        loads.append(os.getloadavg()[0])
        child = measure(argv)
        if child.exit_code not in ok:
            last = child.stderr.strip().splitlines()[-1] if child.stderr.strip() else ""
            sys.exit(f"step {name} failed ({child.exit_code}): {last}")
        walls.append(child.wall_s)
        cpus.append(child.cpu_s)
        rss.append(child.peak_rss_mib)
    figure = Figure(name, statistics.median(walls), statistics.median(cpus), statistics.median(rss),
                    statistics.median(loads), runs)
    print(f"  {name}: {figure.wall_s:.1f} s wall, {figure.cpu_s:.1f} s CPU, {figure.peak_rss_mib:.0f} MiB "
          f"(load average {figure.load_avg:.1f})", flush=True)
    return figure


def unmapped_mondo_dir(folder: Path) -> Path:
    """The six packaged MONDO mapping sets with their headers and no mapping row (plain TSV, no
    manifest): a build reading them normalises no disease."""
    import gzip

    from alskg.mondo import MONDO_FILES, mondo_path, packaged_mondo_dir

    folder.mkdir(parents=True, exist_ok=True)
    for name in MONDO_FILES:
        kept: list[str] = []
        with gzip.open(mondo_path(packaged_mondo_dir(), name), "rt", encoding="utf-8") as handle:
            for line in handle:
                kept.append(line)
                if not line.startswith("#"):
                    break  # the column header
        (folder / name).write_text("".join(kept), encoding="utf-8")
    return folder


def release_available() -> bool:
    """``alskg release --help`` exits 0: the command exists in this checkout."""
    return measure([*ALSKG, "release", "--help"]).exit_code == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per step; the median is reported (default 1)")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    work = scratch(args.work, "alskg-bench-release-")
    build_dir = work / "build"
    figures: dict[str, Figure] = {}

    figures["build"] = run("alskg build --scope all", [*ALSKG, "build", "--scope", "all", "--out", str(build_dir)],
                           args.runs)
    unmapped_dir = work / "build-unmapped"
    figures["unmapped"] = run("the same build, no MONDO mapping (not normalised)",
                              [*ALSKG, "build", "--scope", "all", "--out", str(unmapped_dir),
                               "--mondo-dir", str(unmapped_mondo_dir(work / "mondo-unmapped"))], args.runs)
    nq = (build_dir / "alskg.nq").resolve()
    base_store, base_ttl = work / "baseline-store", work / "baseline.ttl"

    def clean() -> None:
        import shutil

        shutil.rmtree(base_store, ignore_errors=True)
        base_ttl.unlink(missing_ok=True)

    figures["oxigraph"] = run("pyoxigraph alone: bulk-load alskg.nq, dump Turtle",
                              [PY, "-c", OXIGRAPH_BASELINE, str(nq), str(base_store), str(base_ttl)],
                              args.runs, before=clean)
    clean()
    merged_nt, loader_store = work / "merged.nt", work / "loader-store"
    if measure([PY, "-c", MERGED_DUMP, str((build_dir / "store").resolve()), str(merged_nt)]).exit_code != 0:
        sys.exit("could not dump the merged view out of the build's store")

    def clean_loader() -> None:
        import shutil

        shutil.rmtree(loader_store, ignore_errors=True)

    figures["loader"] = run("pyoxigraph alone: bulk-load the merged .nt (loader)",
                            [PY, "-c", LOADER_BASELINE, str(merged_nt), str(loader_store)], args.runs,
                            before=clean_loader)
    clean_loader()
    merged_nt.unlink(missing_ok=True)
    # exit 1 = the graph has violations: a finding, not a failure of the step
    figures["validate"] = run("alskg validate (full scope)", [*ALSKG, "validate", "--build-dir", str(build_dir)],
                              args.runs, ok=(0, 1))
    figures["load"] = run("in-memory bulk load alone (from alskg.nq)",
                          [PY, "-c", LOAD_BASELINE, str((build_dir / "alskg.nq").resolve())], args.runs)
    if release_available():
        # only exit 0 is a release: 1 is one refused at a check (timed short of its files)
        figures["release"] = run("alskg release --scope all",
                                 [*ALSKG, "release", "--scope", "all", "--out", str(work / "release")], args.runs)
    else:
        print("  alskg release: skipped (this checkout has no `alskg release` command)")

    build, oxi, val, load = figures["build"], figures["oxigraph"], figures["validate"], figures["load"]
    loader, unmapped = figures["loader"], figures["unmapped"]
    rows = [
        (build, "<= 20 s (#10), <= 30 s (#8)", build.wall_s <= 20, f"{oxi.wall_s / build.wall_s:.2f}x faster than pyoxigraph alone; "
                                               f"{build.wall_s / loader.wall_s:.2f}x the wall, "
                                               f"{build.cpu_s / loader.cpu_s:.2f}x the CPU of its loader alone"),
        (unmapped, "baseline (no normalisation)", None,
         f"normalisation costs {build.wall_s / unmapped.wall_s - 1:+.0%} wall, "
         f"{build.cpu_s / unmapped.cpu_s - 1:+.0%} CPU; build <= 30 s: {'ok' if build.wall_s <= 30 else 'MISSED'}"),
        (oxi, "baseline", None, ""),
        (loader, "baseline (the build's floor)", None, ""),
        (val, "<= 30 s", val.wall_s <= 30, f"load alone is {load.wall_s / val.wall_s:.0%} of it"),
        (load, "baseline", None, ""),
    ]
    if "release" in figures:
        rel = figures["release"]
        rows.append((rel, "<= 90 s, <= 2.5 GB", rel.wall_s <= 90 and rel.peak_rss_mib <= 2.5 * 1024,
                     f"{rel.wall_s / build.wall_s:.1f}x the build"))
    print(f"\n{'step':50} {'wall s':>7} {'CPU s':>7} {'MiB':>6} {'load':>5}  target / ratio")
    for fig, target, met, ratio in rows:
        verdict = "" if met is None else (" ok" if met else " MISSED")
        print(f"{fig.name:50} {fig.wall_s:7.1f} {fig.cpu_s:7.1f} {fig.peak_rss_mib:6.0f} {fig.load_avg:5.1f}  "
              f"{target}{verdict}  {ratio}")
    print(f"(median of {args.runs} run(s); wall times on a shared machine: compare CPU seconds)")
    if args.json:
        args.json.write_text(json.dumps({k: asdict(v) for k, v in figures.items()}, indent=2) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
