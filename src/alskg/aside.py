"""One job run in a child process, beside the parent's work.

alskg's long commands are CPU-bound, and most of their stages hold one core: Python holds its
GIL, and so do Oxigraph's in-memory bulk load and fastobo's parser. A job run aside takes the
other core, or gives its memory back whole when it ends. The build reads ``hp.obo`` aside while
it reads the annotations and MONDO's mappings (:func:`alskg.build.build`); the release
(:func:`alskg.release.release`) runs three jobs:

- the build, whose heap (about 0.6 GiB at full scope) is then gone before the release's stages;
- the Turtle dump, written from the release's own ``.nt.gz`` (a few megabytes held) while the
  merged view is bulk-loaded for the checks;
- the KGX edges' JSON Lines, while threads write the twin's other files (the forked child reads
  the parent's rows copy-on-write).

:func:`aside` starts the job and yields a handle; :meth:`Aside.result` waits for the job's
return value or raises its error in the parent. Leaving the ``with`` block, by an error or
when the result was never asked for, kills the child, so a refused release never leaves a
writer behind in the folder it removes; the child also dies with its parent. On Linux the
child is forked (no store is open in the parent at these points); elsewhere it is spawned.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from alskg.errors import InputError
from alskg.store import die_with_parent

T = TypeVar("T")


class Aside(Generic[T]):
    """A running child job: :meth:`result` waits for its value."""

    def __init__(self, what: str, job: Callable[..., T], args: tuple[Any, ...]) -> None:
        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        self.what = what
        self._receiver, sender = context.Pipe(duplex=False)
        # Not daemonic: a daemonic child may not start children, and a job may run its own job
        # aside (the release's build reads hp.obo aside). The block's exit and the parent's death
        # end the child instead (:meth:`stop`, :func:`alskg.store.die_with_parent`).
        self._child = context.Process(target=_run, args=(sender, os.getpid(), job, args), daemon=False)
        self._child.start()
        sender.close()

    def result(self) -> T:
        """The job's return value, once it has finished; its exception, raised here."""
        try:
            status, payload = self._receiver.recv()
        except EOFError:
            self._child.join()
            raise InputError(f"{self.what} ended without an answer (exit {self._child.exitcode})") from None
        self._child.join()
        if status == "error":
            raise payload
        return payload  # type: ignore[no-any-return]

    def stop(self) -> None:
        """Kill the child if it still runs, and reap it."""
        if self._child.is_alive():
            self._child.kill()
        self._child.join()
        self._receiver.close()


@contextmanager
def aside(what: str, job: Callable[..., T], *args: Any) -> Iterator[Aside[T]]:
    """Run ``job(*args)`` in a child process while the block runs; ``what`` names it in errors.
    The child is killed when the block is left, whether or not its result was read."""
    handle: Aside[T] = Aside(what, job, args)
    try:
        yield handle
    finally:
        handle.stop()


def _run(sender: Connection, parent: int, job: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Child side: send ``("ok", value)`` or ``("error", exception)``. The child dies with its
    parent (a killed release leaves no job running), and leaves Ctrl-C to the parent, which
    stops it: no second report of the interruption."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        message: tuple[str, object] = ("ok", job(*args))
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
        message = ("error", exc)
    try:
        sender.send(message)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:  # a value or error pickle refuses
        sender.send(("error", InputError(f"{message[1] if message[0] == 'error' else exc}")))
    sender.close()
