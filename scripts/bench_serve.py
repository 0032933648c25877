"""Load test of ``alskg serve`` on loopback: concurrent clients run the packaged queries.

Starts the read-only Oxigraph server over a build (``--build-dir``, default ``build``; built at
ALS scope into a temporary folder when absent) on a free 127.0.0.1 port, then runs a bounded
load: ``--clients`` threads each send ``--rounds`` passes over every packaged query with its
defaults (POST, SPARQL JSON). It prints throughput and latency percentiles, per query and in
all, against a baseline measured in the same run: one client, one pass (the latency of the
queries without contention). Every answer must be HTTP 200 with parseable JSON: any error is
counted and makes the script exit 1.

    python scripts/bench_serve.py                       # 4 clients x 5 rounds
    python scripts/bench_serve.py --clients 8 --rounds 10 --build-dir /tmp/full
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from benchlib import REPO

sys.path.insert(0, str(REPO / "src"))

from alskg import serve as server  # noqa: E402
from alskg.queries import bind, catalogue  # noqa: E402

REQUEST_TIMEOUT = 120.0


@dataclass
class Tally:
    """Latencies (seconds) by query, and errors, shared by the client threads."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.setdefault(name, []).append(seconds)
            if error:
                self.errors.append(f"{name}: {error}")


def ask(endpoint: str, text: str) -> str | None:
    """POST one query; None when the answer is HTTP 200 with SPARQL JSON, else the error."""
    request = urllib.request.Request(endpoint, data=text.encode(), method="POST", headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as answer:
            json.loads(answer.read())["head"]
            return None if answer.status == 200 else f"HTTP {answer.status}"
    except (urllib.error.URLError, OSError, ValueError, KeyError) as exc:
        return str(exc)


def client(endpoint: str, queries: dict[str, str], rounds: int, tally: Tally) -> None:
    for _ in range(rounds):
        for name, text in queries.items():
            start = time.perf_counter()
            error = ask(endpoint, text)
            tally.add(name, time.perf_counter() - start, error)


def run(endpoint: str, queries: dict[str, str], clients: int, rounds: int) -> tuple[Tally, float]:
    tally = Tally()
    threads = [threading.Thread(target=client, args=(endpoint, queries, rounds, tally)) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - start


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(label: str, tally: Tally, wall: float) -> dict[str, float]:
    every = [s for values in tally.latencies.values() for s in values]
    figures = {"requests": len(every), "wall_s": wall, "throughput_qps": len(every) / wall,
               "p50_ms": 1000 * percentile(every, 50), "p95_ms": 1000 * percentile(every, 95),
               "p99_ms": 1000 * percentile(every, 99), "errors": len(tally.errors)}
    print(f"{label:28} {figures['requests']:6d} requests in {wall:6.2f} s  {figures['throughput_qps']:7.1f} q/s  "
          f"p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms  p99 {figures['p99_ms']:7.1f} ms  "
          f"errors {figures['errors']}")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", type=Path, default=REPO / "build")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="Also print the figures as JSON.")
    args = parser.parse_args()
    queries = {name: bind(q, {p.name: p.default for p in q.params}) for name, q in sorted(catalogue().items())}
    with tempfile.TemporaryDirectory() as tmp:
        build_dir = args.build_dir
        if not (build_dir / "store").is_dir():
            from alskg.build import build
            from alskg.packaged import hpo_release_dir

            build_dir = Path(tmp) / "build"
            print(f"no build at {args.build_dir}: building the ALS scope into {build_dir}")
            build(build_dir, REPO / "data", hpo_release_dir())
        endpoint = server.start(build_dir)
        try:
            print(f"server: {endpoint.query} over {build_dir} ({len(queries)} packaged queries)")
            base_tally, base_wall = run(endpoint.query, queries, 1, 1)
            base = report("baseline: 1 client x 1", base_tally, base_wall)
            load_tally, load_wall = run(endpoint.query, queries, args.clients, args.rounds)
            load = report(f"load: {args.clients} clients x {args.rounds}", load_tally, load_wall)
        finally:
            server.stop(endpoint)
    print(f"ratios to baseline: throughput x{load['throughput_qps'] / base['throughput_qps']:.2f}, "
          f"p50 x{load['p50_ms'] / base['p50_ms']:.2f}, p95 x{load['p95_ms'] / base['p95_ms']:.2f}")
    print("slowest queries under load (p95):")
    for name, values in sorted(load_tally.latencies.items(), key=lambda kv: -percentile(kv[1], 95))[:5]:
        print(f"  {name:36} p50 {1000 * statistics.median(values):7.1f} ms  p95 {1000 * percentile(values, 95):7.1f} ms")
    if args.json:
        print(json.dumps({"baseline": base, "load": load}, indent=2))
    for error in (base_tally.errors + load_tally.errors)[:10]:
        print(f"error: {error}", file=sys.stderr)
    return 1 if base_tally.errors or load_tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
