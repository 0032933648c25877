"""A throwaway Virtuoso 7.2 (Debian `virtuoso-opensource`) on 127.0.0.1, for the store tests.

Its own database folder, loopback-only ports (Virtuoso listens on every interface by default),
results uncut below 1,000,000 rows (`ResultSetMaxRows`), and N-Triples loaded with the bulk
loader (`ld_dir` + `rdf_loader_run`; a Turtle upload over HTTP hung in earlier trials). Stopped
and deleted by the fixture that started it; every wait is bounded.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from alskg.serve import terminate

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
READY_SECONDS = 60.0

INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {db}, {load}
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
ThreadsPerQuery = 2
MaxQueryMem = 1G
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 120
"""


def available() -> bool:
    """True when the Virtuoso server and its isql client are installed."""
    return shutil.which(VIRTUOSO) is not None and shutil.which(ISQL) is not None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Virtuoso:
    """One running server: its folder, ports and process."""

    root: Path
    sql_port: int
    http_port: int
    process: subprocess.Popen[bytes]

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def isql(self, script: str, timeout: float = 600) -> str:
        """Run an SQL script as dba through isql; a failure raises with Virtuoso's message."""
        done = subprocess.run([ISQL, str(self.sql_port), "dba", "dba", "BANNER=OFF", "PROMPT=OFF", "ERRORS=STDOUT"], input=script.encode(), capture_output=True, timeout=timeout)
        out = done.stdout.decode("utf-8", "replace")
        if done.returncode != 0 or "*** Error" in out:
            raise RuntimeError(f"isql failed: {out.strip()[-500:]} {done.stderr.decode()[-300:]}")
        return out

    def bulk_load(self, folder: Path, pattern: str, graph: str) -> None:
        """Load every file of ``folder`` matching ``pattern`` into ``graph`` with the bulk loader."""
        self.isql(f"ld_dir('{folder}', '{pattern}', '{graph}');\nrdf_loader_run();\ncheckpoint;\n")
        errors = self.isql("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;\n")
        if "\n0 Rows." not in errors:
            raise RuntimeError(f"bulk load failed: {errors.strip()[-500:]}")

    def count(self, graph: str) -> int:
        """Triples in ``graph``, counted by Virtuoso."""
        out = self.isql(f"SPARQL SELECT COUNT(*) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }};\n")
        return int(next(line for line in out.splitlines() if line.strip().isdigit()))

    def stop(self) -> None:
        terminate(self.process, grace=30)


def start(root: Path, load_dir: Path) -> Virtuoso:
    """Start Virtuoso on loopback with a fresh database under ``root``; wait until SQL answers."""
    db = root / "db"
    db.mkdir(parents=True)
    sql_port, http_port = _free_port(), _free_port()
    ini = root / "virtuoso.ini"
    ini.write_text(INI.format(db=db, load=load_dir, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    process = subprocess.Popen([VIRTUOSO, "-f", "-c", str(ini)], cwd=db, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Virtuoso(root, sql_port, http_port, process)
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (db / "virtuoso.log").read_text(errors="replace")[-800:] if (db / "virtuoso.log").exists() else ""
            raise RuntimeError(f"Virtuoso exited at start ({process.returncode}): {log}")
        try:
            with socket.create_connection(("127.0.0.1", http_port), timeout=0.5):
                server.isql("SELECT 1;\n", timeout=10)
                return server
        except (OSError, RuntimeError, subprocess.TimeoutExpired):
            time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"Virtuoso did not answer within {READY_SECONDS:.0f} s")
