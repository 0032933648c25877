"""The benchmark scripts stay runnable: their shared measurement helper and their --help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
sys.path.insert(0, str(SCRIPTS))

from benchlib import measure, scratch  # noqa: E402


def test_measure_reports_exit_code_output_and_usage() -> None:
    child = measure([sys.executable, "-c", "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"])
    assert (child.exit_code, child.stdout, child.stderr) == (3, "out\n", "err\n")
    assert child.wall_s > 0 and child.cpu_s >= 0 and child.peak_rss_mib > 1


def test_measure_sums_the_memory_of_processes_running_side_by_side() -> None:
    """wait4's peak is the largest single process's; the step is charged for parent and child together."""
    child_code = "b = bytearray(200 << 20); import time; time.sleep(1.5)"
    code = (f"import subprocess, sys, time; b = bytearray(200 << 20); "
            f"p = subprocess.Popen([sys.executable, '-c', {child_code!r}]); p.wait()")
    child = measure([sys.executable, "-c", code])
    assert child.exit_code == 0
    assert child.peak_rss_mib > 400  # each process alone holds about 210 MiB


def test_measure_counts_pages_a_fork_shares_once() -> None:
    """A forked child that only sleeps shares its parent's pages: PSS counts them once, RSS twice.

    Compared with the largest single process's own peak (``wait4``), not with a fixed figure:
    the kernel may still copy shared pages (huge-page collapse, memory tiering), and then a
    single process holds them twice too."""
    code = ("import os, time; b = bytearray(300 << 20); time.sleep(0.5); pid = os.fork()\n"
            "if pid == 0: time.sleep(1.5); os._exit(0)\n"
            "os.waitpid(pid, 0)")
    child = measure([sys.executable, "-c", code])
    assert child.exit_code == 0, child.stderr
    assert child.largest_rss_mib > 300, child
    assert child.peak_rss_mib < child.largest_rss_mib + 150, child  # summed RSS would add the 300 MiB again


def test_benchmark_scratch_folder_left_behind_is_removed_at_exit(tmp_path: Path) -> None:
    """A benchmark's temporary folder went with it (they piled up in /tmp); one given is kept."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from benchlib import scratch; "
            "work = scratch(None, 'alskg-bench-test-'); (work / 'f').write_text('x'); print(work); sys.exit(4)")
    proc = subprocess.run([sys.executable, "-c", code, str(SCRIPTS)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 4, proc.stderr
    work = Path(proc.stdout.strip())
    assert work.name.startswith("alskg-bench-test-") and not work.exists()
    given = tmp_path / "made" / "here"
    assert scratch(given, "unused-") == given and given.is_dir()


@pytest.mark.parametrize("script", ["bench_build.py", "bench_validate.py", "bench_locator.py", "bench_release.py"])
def test_bench_scripts_print_help(script: str) -> None:
    proc = subprocess.run([sys.executable, str(SCRIPTS / script), "--help"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("usage:"), proc.stderr


def test_generated_docs_are_fresh() -> None:
    """docs/queries.md's table is generated from the queries and goldens; stale means rerun the script."""
    proc = subprocess.run([sys.executable, str(SCRIPTS / "gen_docs.py"), "--check"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, f"run `python scripts/gen_docs.py`: {proc.stdout}{proc.stderr}"


def test_bench_release_unmapped_mondo_sets_keep_headers_and_no_mapping(tmp_path: Path) -> None:
    """The baseline without normalisation reads MONDO sets the build accepts, with no mapping row."""
    from bench_release import unmapped_mondo_dir

    from alskg.mondo import MONDO_FILES, describe
    from alskg.rdf.cliques import load_cliques

    folder = unmapped_mondo_dir(tmp_path / "mondo")
    assert [m.version for m in describe(folder)] == ["2026-08-04"] * len(MONDO_FILES)
    for name in MONDO_FILES:
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        assert [line for line in lines if not line.startswith("#")] == [lines[-1]]  # the column header
        assert lines[-1].startswith("subject_id\t")
    assert load_cliques(folder).node("OMIM:105400") == "OMIM:105400"
