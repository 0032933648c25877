"""Time and memory of ``alskg site``, against a baseline measured in the same run.

The baseline is the site's queries alone: a child process opens the build and runs every
query the site asks (``alskg.site.gather``), without writing a page. The site step is the whole
``alskg site`` command in a child process. Each step runs ``--runs`` times; the median wall and
CPU time and the largest peak RSS are printed, with the ratio site / queries (how much the pages,
plots and downloads add to the queries they need). Targets (issue 12): ALS scope ≤ 10 s; every
disease of the release (``--scope all`` on an all-scope build) ≤ 120 s and ≤ 2 GB, on 2 cores.

Memory: ``alskg site`` runs two processes (it forks a helper: ``alskg.site.workers``), and the
target counts the SUM of their memory: ``benchlib.measure`` samples ``/proc`` and reports the
largest sum over the command's whole process tree (``tree_rss_mib``: PSS while both run, so
pages the fork shares copy-on-write count once), beside the largest single process
(``largest_rss_mib``, from ``wait4``).

The differences page reads ``BUILD/diff.json`` (``make diff`` writes it); without it the site
computes the differences from the release files, which this script reports.

    python scripts/bench_site.py                                  # ALS build in a temporary folder
    python scripts/bench_site.py --build-dir /tmp/full --scope all --runs 1
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from benchlib import REPO, Child, measure

PY = sys.executable
ALSKG = [PY, "-m", "alskg"]
QUERIES_ONLY = ("import sys; from pathlib import Path; from alskg.api import Graph; "
                "from alskg.site.gather import gather; facts = gather(Graph.open(Path(sys.argv[1]), timeout=None), "
                "lambda _: None); print(sum(len(t.rows) for t in facts.tables.values()))")


def check(child: Child, what: str) -> Child:
    if child.exit_code != 0:
        sys.exit(f"{what} failed ({child.exit_code}): {child.stderr.strip()[-400:]}")
    return child


def summary(children: list[Child]) -> dict[str, float]:
    return {"wall_s": round(statistics.median(c.wall_s for c in children), 2),
            "cpu_s": round(statistics.median(c.cpu_s for c in children), 2),
            "peak_rss_mib": round(max(c.peak_rss_mib for c in children), 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=Path, default=None, help="a built graph (default: build ALS into a temp folder)")
    parser.add_argument("--scope", choices=["als", "all"], default="als", help="the site's scope")
    parser.add_argument("--runs", type=int, default=3, help="runs of each step (median)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        build_dir = args.build_dir
        if build_dir is None:
            build_dir = Path(tmp) / "build"
            check(measure([*ALSKG, "build", "--out", str(build_dir)]), "alskg build")
            check(measure([*ALSKG, "diff", "--out", str(build_dir / "diff.json")]), "alskg diff")
        load_before = os.getloadavg()
        rows = [check(measure([PY, "-c", QUERIES_ONLY, str(build_dir)]), "queries") for _ in range(args.runs)]
        sites = [check(measure([*ALSKG, "site", "--build-dir", str(build_dir), "--out",
                                str(Path(tmp) / f"site{i}"), "--scope", args.scope]), "alskg site")
                 for i in range(args.runs)]
        tree_rss = round(max(c.peak_rss_mib for c in sites), 1)
        load_after = os.getloadavg()
        baseline, site = summary(rows), {**summary(sites), "tree_rss_mib": tree_rss,
                                         "runs_wall_s": [round(c.wall_s, 1) for c in sites],
                                         "largest_rss_mib": round(max(c.largest_rss_mib for c in sites), 1),
                                         "runs_tree_rss_mib": [round(c.peak_rss_mib, 1) for c in sites]}
        figures = {"scope": args.scope, "build_dir": str(build_dir), "runs": args.runs,
                   "diff_json": (build_dir / "diff.json").is_file(), "query_rows": int(rows[0].stdout.strip()),
                   "written": sites[0].stdout.strip(), "queries_only": baseline, "site": site,
                   "ratio_wall": round(site["wall_s"] / baseline["wall_s"], 2),
                   "ratio_cpu": round(site["cpu_s"] / baseline["cpu_s"], 2),
                   "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in load_after]}
    print(f"alskg site --scope {args.scope} on {figures['build_dir']} ({args.runs} run(s), median; "
          f"diff.json {'present' if figures['diff_json'] else 'absent: differences computed'})")
    print(f"  {figures['written']}")
    print(f"  queries alone: {baseline['wall_s']} s wall, {baseline['cpu_s']} s CPU, {baseline['peak_rss_mib']} MiB "
          f"({figures['query_rows']} rows)")
    print(f"  whole site:    {site['wall_s']} s wall, {site['cpu_s']} s CPU (all processes), largest process "
          f"{site['largest_rss_mib']} MiB, sum over its processes {site['tree_rss_mib']} MiB (sampled /proc)")
    print(f"  each run: {', '.join(f'{w} s' for w in site['runs_wall_s'])} wall; "
          f"{', '.join(f'{r} MiB' for r in site['runs_tree_rss_mib'])} summed RSS")
    print(f"  ratio site / queries: {figures['ratio_wall']}x wall, {figures['ratio_cpu']}x CPU")
    print(f"  load average (1, 5, 15 min) before {figures['load_before']}, after {figures['load_after']} "
          f"({os.cpu_count()} cores): wall times are unfair under load, CPU times are not")
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    sys.exit(main())
