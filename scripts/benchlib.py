"""Shared by the benchmark scripts: run one step in a child process and measure it.

``os.wait4`` gives the child's CPU time, which on Linux includes the processes it started and
waited for (the build's store loader, the release's writers). Its peak RSS is only the largest
single process's, so the process tree's memory is also sampled from ``/proc`` every
:data:`SAMPLE_S` seconds (RSS for one process; PSS summed over several, so pages a fork shares
are counted once), and the peak reported is the larger of the two: a step whose processes run
side by side is charged for all of them. The scripts import this module from
their own folder (``python scripts/bench_*.py``).
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: how often the process tree's resident memory is summed
SAMPLE_S = 0.05


def scratch(given: Path | None, prefix: str) -> Path:
    """The folder a benchmark writes in: ``given`` (made if need be, and kept for a look at what was
    written), or a new temporary one that is removed when the script exits, however it exits short
    of being killed (a full-scope benchmark leaves gigabytes)."""
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        return given
    work = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    return work


@dataclass(frozen=True)
class Child:
    """What one child process took and printed."""

    wall_s: float
    cpu_s: float
    #: the step's peak memory: the larger of the sampled sum over its process tree (RSS, or PSS
    #: while several processes run) and the largest single process's peak RSS (``wait4``, which
    #: sampling may miss between samples)
    peak_rss_mib: float
    exit_code: int
    stdout: str
    stderr: str
    #: the largest single process's peak (``wait4``)
    largest_rss_mib: float = 0.0


@dataclass
class Measured:
    """One measured step as the benchmarks print it: its name, wall time, CPU time and peak RSS.
    Each script's ``Figure`` extends it with what that script also reports."""

    name: str
    wall_s: float
    cpu_s: float
    peak_rss_mib: float


def tree_pids(root: int) -> list[int]:
    """``root`` and all its descendants, from ``/proc`` (empty once it has exited, or without ``/proc``)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        out.append(pid)
    return out


def _field_kib(pid: int, name: str, key: str) -> int:
    """One ``key: N kB`` line of ``/proc/PID/name``; 0 when the process is gone."""
    try:
        with open(f"/proc/{pid}/{name}", encoding="ascii", errors="replace") as handle:
            return next((int(line.split()[1]) for line in handle if line.startswith(key)), 0)
    except (OSError, ValueError):
        return 0


def _sample(pid: int, done: threading.Event, peak: list[int]) -> None:
    """Keep ``peak[0]`` at the largest memory of the tree seen: its RSS while one process runs;
    while several do, their summed PSS (proportional set size: each shared page split between
    the processes sharing it, so a fork's copy-on-write pages count once), read only when their
    summed RSS is above the peak, since reading PSS walks the page tables (about 40 ms for a
    1.5 GiB process)."""
    while not done.wait(SAMPLE_S):
        pids = tree_pids(pid)
        rss = sum(_field_kib(p, "status", "VmRSS:") for p in pids)
        if rss <= peak[0]:
            continue
        if len(pids) == 1:
            peak[0] = rss
            continue
        pss = [_field_kib(p, "smaps_rollup", "Pss:") for p in pids]
        if all(pss):  # else a process ended (or hides its PSS) meanwhile: its RSS would over-count
            peak[0] = max(peak[0], sum(pss))
        done.wait(10 * SAMPLE_S)  # reading PSS costs; sample less often while several processes run


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
                     os.waitstatus_to_exitcode(status), out.read(), err.read(), usage.ru_maxrss / 1024)
