"""A release job run in a child process (:mod:`alskg.aside`), and the Turtle written
that way from the release's own ``.nt.gz``."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from alskg.aside import aside
from alskg.errors import InputError
from alskg.release import dumps

LINES = sorted([b'<https://e.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/biolink/vocab/Disease>',
                b'<https://e.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "a .\\n b"@en',
                b'<https://e.org/b> <http://www.w3.org/2000/01/rdf-schema#label> "b"',
                b'<https://e.org/b> <https://w3id.org/biolink/vocab/has_count> "3"^^<http://www.w3.org/2001/XMLSchema#integer>'])


def _fails() -> None:
    raise InputError("no such file", Path("missing.nt.gz"))


def test_the_job_s_value_comes_back() -> None:
    with aside("a power", pow, 2, 10) as job:
        assert job.result() == 1024


def test_the_job_s_error_is_raised_in_the_parent() -> None:
    with aside("a failing job", _fails) as job, pytest.raises(InputError) as error:
        job.result()
    assert str(error.value) == str(InputError("no such file", Path("missing.nt.gz")))


def _nested_power(base: int, exponent: int) -> int:
    with aside("an inner power", pow, base, exponent) as inner:
        return inner.result()


def test_a_job_run_aside_can_run_its_own_job_aside() -> None:
    """The release runs the build aside, and the build reads hp.obo aside: a daemonic child may
    not start children, so `alskg release` failed ("daemonic processes are not allowed to have
    children") once the build forked."""
    with aside("an outer job", _nested_power, 3, 4) as job:
        assert job.result() == 81


def test_a_child_that_dies_is_one_error_naming_the_job() -> None:
    with aside("the Turtle writer", os._exit, 3) as job, pytest.raises(InputError, match="the Turtle writer ended"):
        job.result()


def test_leaving_the_block_by_an_error_kills_the_child() -> None:
    with pytest.raises(RuntimeError), aside("a sleeper", time.sleep, 600) as job:
        raise RuntimeError("a check refused the release")
    assert not job._child.is_alive()
    assert job._child.exitcode is not None and job._child.exitcode < 0  # killed by a signal


def test_ntriples_lines_come_back_whole_whatever_the_chunk_size(tmp_path: Path) -> None:
    path = tmp_path / "x.nt.gz"
    assert dumps.write_ntriples(path, LINES) == len(LINES)
    for size in (1, 7, 64, 1 << 20):
        assert list(dumps.ntriples_lines(path, size)) == LINES


def test_turtle_from_the_nt_gz_is_the_turtle_of_the_lines(tmp_path: Path) -> None:
    dumps.write_ntriples(tmp_path / "x.nt.gz", LINES)
    assert dumps.write_turtle(tmp_path / "direct.ttl.gz", LINES) == len(LINES)
    with aside("the Turtle writer", dumps.turtle_of_ntriples, tmp_path / "x.nt.gz", tmp_path / "aside.ttl.gz") as job:
        assert job.result() == len(LINES)
    assert (tmp_path / "aside.ttl.gz").read_bytes() == (tmp_path / "direct.ttl.gz").read_bytes()


def _gone(pid: int) -> bool:
    """The process has exited (reaped, or a zombie waiting to be)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_killed_parent_takes_its_job_with_it() -> None:
    """A release killed with SIGKILL leaves no job running (PR_SET_PDEATHSIG)."""
    import signal
    import subprocess
    import sys

    code = ("import time\nfrom alskg.aside import aside\n"
            "with aside('a sleeper', time.sleep, 600) as job:\n"
            "    print(job._child.pid, flush=True)\n    time.sleep(600)\n")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert not _gone(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=30)
    for _ in range(200):
        if _gone(child):
            break
        time.sleep(0.05)
    assert _gone(child)


def _unpicklable_error() -> None:
    import threading

    raise ValueError(threading.Lock())  # an argument pickle refuses


def test_an_error_pickle_refuses_comes_back_as_its_text() -> None:
    with aside("a job", _unpicklable_error) as job, pytest.raises(InputError, match="lock"):
        job.result()
