"""Benchmark how ``alskg check`` scales on Turtle submissions of N anonymous associations (issue 9, point 12).

Each step writes a Turtle file of N blank-node associations (``[] a
biolink:DiseaseToPhenotypicFeatureAssociation ; …``, every one with its own PMID so no row
repeats another) and runs ``python -m alskg check --format json`` on it in its own child
process (``benchlib.measure``: wall time, CPU time, peak RSS). The smallest N is the baseline
measured in the same run; for each N the script prints its wall and CPU time over the
baseline's ("wall x", "CPU x") beside N over the baseline's N ("N x"). A linear check keeps
the time ratios at or below "N x" (the start-up cost, reading the HPO release, is shared); a
quadratic one grows with its square. "CPU us/assoc" is the CPU cost of one association beyond
a one-association run (start-up and reference data): flat when the check is linear. CPU time
is the steadier figure on a shared machine; wall time is printed too.

    python scripts/bench_locator.py                   # N = 2,500 ... 40,000 (about 2 minutes)
    python scripts/bench_locator.py --sizes 1000 4000 --shacl always
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from benchlib import REPO, measure, scratch

ALSKG = [sys.executable, "-m", "alskg"]
SIZES = (2_500, 5_000, 10_000, 20_000, 40_000)
PREFIXES = """@prefix ALSKG: <https://w3id.org/alskg/id/> .
@prefix biolink: <https://w3id.org/biolink/vocab/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix ECO: <http://purl.obolibrary.org/obo/ECO_> .
@prefix HP: <http://purl.obolibrary.org/obo/HP_> .
@prefix ORPHA: <http://www.orpha.net/ORDO/Orphanet_> .
@prefix PMID: <http://www.ncbi.nlm.nih.gov/pubmed/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ORPHA:803 rdfs:label "Amyotrophic lateral sclerosis" .
ALSKG:curator-hpo-jdoe rdfs:label "HPO:jdoe" .
"""
#: one anonymous association; {pmid} makes every one distinct
ASSOCIATION = """[] a biolink:DiseaseToPhenotypicFeatureAssociation ;
    biolink:subject ORPHA:803 ;
    biolink:predicate biolink:has_phenotype ;
    biolink:object HP:0002380 ;
    biolink:publications PMID:{pmid} ;
    biolink:has_evidence ECO:0006017 ;
    biolink:has_count 12 ;
    biolink:has_total 20 ;
    dct:created "2025-03-01"^^xsd:date ;
    dct:contributor ALSKG:curator-hpo-jdoe .
"""


@dataclass
class Figure:
    """One measured size."""

    associations: int
    wall_s: float
    cpu_s: float
    peak_rss_mib: float
    rows: int


def write_turtle(n: int, target: Path) -> Path:
    """A Turtle file of ``n`` anonymous associations."""
    body = "".join(ASSOCIATION.format(pmid=10_000_000 + i) for i in range(n))
    target.write_text(PREFIXES + "\n" + body, encoding="utf-8")
    return target


def run(n: int, work: Path, shacl: str) -> Figure:
    """Check a file of ``n`` associations in a child process; exit 0 or 1 (findings) is success."""
    path = write_turtle(n, work / f"anonymous-{n}.ttl")
    child = measure([*ALSKG, "check", "--format", "json", "--shacl", shacl, "--data-dir", str(REPO / "data"),
                     str(path)])
    if child.exit_code not in (0, 1):
        sys.exit(f"check of {n} associations failed ({child.exit_code}): {child.stderr.strip()[-300:]}")
    rows = int(json.loads(child.stdout)["annotations"])
    if rows != n:
        sys.exit(f"check of {n} associations read {rows} rows")
    return Figure(n, child.wall_s, child.cpu_s, child.peak_rss_mib, rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), metavar="N",
                        help="numbers of associations; the smallest is the baseline [default: %(default)s]")
    parser.add_argument("--shacl", choices=("auto", "always", "never"), default="never",
                        help="SHACL pass of each check [default: %(default)s: the reader and rules alone]")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    args = parser.parse_args()
    sizes = sorted(set(args.sizes))
    work = scratch(None, "alskg-bench-locator-")
    start_up = run(1, work, args.shacl)
    print(f"start-up (1 association): {start_up.wall_s:.2f} s wall, {start_up.cpu_s:.2f} s CPU, "
          f"{start_up.peak_rss_mib:.0f} MiB", flush=True)
    print(f"{'associations':>12} {'wall s':>7} {'CPU s':>7} {'peak MiB':>9} {'wall x':>7} {'CPU x':>6} {'N x':>5}"
          f" {'CPU us/assoc':>12}")
    figures: list[Figure] = []
    for n in sizes:
        fig = run(n, work, args.shacl)
        figures.append(fig)
        base = figures[0]
        per_assoc = (fig.cpu_s - start_up.cpu_s) / max(n - 1, 1) * 1e6
        print(f"{n:12,} {fig.wall_s:7.2f} {fig.cpu_s:7.2f} {fig.peak_rss_mib:9.0f} {fig.wall_s / base.wall_s:7.2f} "
              f"{fig.cpu_s / base.cpu_s:6.2f} {n / base.associations:5.1f} {per_assoc:12.0f}", flush=True)
    if args.json:
        doc = {"start_up": asdict(start_up), "figures": [asdict(f) for f in figures]}
        args.json.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
