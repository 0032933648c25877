"""Shared by the benchmark scripts: run one step in a child process and measure it.

``os.wait4`` gives the child's own resource usage, which on Linux includes the processes it
started and waited for (the build's store loader), so peak RSS covers the whole step. The
scripts import this module from their own folder (``python scripts/bench_*.py``).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


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


def measure(argv: list[str]) -> Child:
    """Run ``argv`` in the repository; its wall time, CPU time, peak RSS, exit code and output."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, text=True, cwd=REPO)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return Child(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                     os.waitstatus_to_exitcode(status), out.read(), err.read())
