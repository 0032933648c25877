"""Shared by the benchmark scripts: run one step in a child process and measure it.

``os.wait4`` gives the child's CPU time, which on Linux includes the processes it started and
waited for (the build's store loader, the release's writers). Its peak RSS is only the largest
single process's, so the process tree's resident memory is also summed from ``/proc`` every
:data:`SAMPLE_S` seconds, and the peak reported is the larger of the two: a step whose
processes run side by side is charged for all of them. The scripts import this module from
their own folder (``python scripts/bench_*.py``).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: how often the process tree's resident memory is summed
SAMPLE_S = 0.05
_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


@dataclass(frozen=True)
class Child:
    """What one child process took and printed."""

    wall_s: float
    cpu_s: float
    peak_rss_mib: float
    exit_code: int
    stdout: str
    stderr: str


@dataclass
class Measured:
    """One measured step as the benchmarks print it: its name, wall time, CPU time and peak RSS.
    Each script's ``Figure`` extends it with what that script also reports."""

    name: str
    wall_s: float
    cpu_s: float
    peak_rss_mib: float


def _parents() -> dict[int, int]:
    """Every process's parent, from ``/proc/PID/stat`` (empty where there is no ``/proc``)."""
    out = {}
    for name in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue
            out[int(name)] = int(stat[stat.rindex(")") + 2:].split()[1])  # after "(comm) state"
    return out


def tree_rss_kib(pid: int) -> int:
    """The summed resident memory of ``pid`` and all its descendants, in KiB."""
    parents = _parents()
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent and p not in tree]
        tree.update(children)
        frontier += children
    total = 0
    for p in tree:
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * _PAGE_KIB
        except (OSError, IndexError, ValueError):
            continue
    return total


def _sample(pid: int, done: threading.Event, peak: list[int]) -> None:
    while not done.wait(SAMPLE_S):
        peak[0] = max(peak[0], tree_rss_kib(pid))


def measure(argv: list[str]) -> Child:
    """Run ``argv`` in the repository; its wall time, CPU time, peak RSS (of the process tree,
    summed), exit code and output."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, text=True, cwd=REPO)
        done, peak = threading.Event(), [0]
        sampler = threading.Thread(target=_sample, args=(proc.pid, done, peak), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        return Child(wall, usage.ru_utime + usage.ru_stime, max(usage.ru_maxrss, peak[0]) / 1024,
                     os.waitstatus_to_exitcode(status), out.read(), err.read())
