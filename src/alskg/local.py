"""Local queries under a deadline: the embedded engine runs in a child process that can be killed.

An Oxigraph query cannot be cancelled from Python: a thread would keep running (and keep
calling an allowed ``SERVICE``) after its caller gave up. So the CLI runs each local query in
a child process that opens the store, parses and runs the query, and sends the rows back
through a pipe; at the deadline the parent kills it and reports one line. On Linux the child
is forked, which costs a few milliseconds (the parent has imported everything it needs and
has not opened the store, so no engine state is shared across the fork); elsewhere it is
spawned. The child also arms an alarm of its own, so it dies even if the parent is killed.
"""

from __future__ import annotations

import math
import multiprocessing
import signal
import sys
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from alskg.errors import AlskgError, InputError
from alskg.queries import Results, run_local
from alskg.readonly import parse_host

GRACE_SECONDS = 1  # the child's own alarm rings this long after the parent's deadline


def run_local_with_deadline(build_dir: Path, text: str, timeout: float, allow_service: Sequence[str] = (),
                            packaged: bool = False) -> Results:
    """Run ``text`` on the built store in a child process; kill it if it outlives ``timeout`` seconds.

    ``packaged`` is :func:`alskg.queries.run_local`'s: a bound packaged query, checked by the tests.
    """
    for spec in allow_service:
        parse_host(spec)  # a malformed --allow-service is a usage error even when no SERVICE is used
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, build_dir, text, tuple(allow_service), packaged, timeout),
                            daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise InputError(f"the query did not finish within --timeout {timeout:g} s (stopped)")
        try:
            status, payload = receiver.recv()
        except EOFError:
            raise InputError(f"the query process ended without an answer (exit {child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if status == "error":
        raise payload
    return payload


def _child(sender: Connection, build_dir: Path, text: str, allow_service: tuple[str, ...], packaged: bool,
           timeout: float) -> None:
    """Child side: open the store read-only, run the query, send ("ok", Results) or ("error", AlskgError)."""
    from alskg.store import open_store

    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(math.ceil(timeout) + GRACE_SECONDS)
    try:
        message: tuple[str, object] = ("ok", run_local(open_store(build_dir), text, allow_service, packaged))
    except AlskgError as exc:
        message = ("error", exc)
    sender.send(message)
    sender.close()
