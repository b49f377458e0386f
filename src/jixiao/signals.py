"""SIGTERM handled like Ctrl-C.

``timeout``, CI cancellation and service managers end a program with SIGTERM, whose default action kills
the process on the spot: temporary output files left behind, worker processes orphaned. Inside
``sigterm_as_interrupt()`` SIGTERM raises KeyboardInterrupt in the main thread instead, so the one
interrupt path runs (workers ended, temporary files removed, “已中断” printed, exit code 2).

Worker processes (check/batch.py) set SIGTERM back to its default and ignore SIGINT: the parent ends
them, and they die without a word — no traceback, no BrokenPipeError after the parent has returned.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises KeyboardInterrupt (main thread of the main process only; elsewhere,
    and where there is no SIGTERM, nothing changes). The previous handler is put back afterwards."""
    if not hasattr(signal, "SIGTERM") or threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def handler(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:  # a forked child that kept the handler: end quietly, as SIGTERM would
            os._exit(128 + signum)
        _interrupt(signum, frame)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
