"""The server's checkers: warm worker processes kept for the server's life, each upload one task.

The batch pool (check/batch.py) runs a fixed list of chunks to the end; the server needs the same workers,
budgets and replacement for a stream of uploads. ``LivePool`` is that pool driven by a thread of its own:
a request hands it a path and gets a future; the thread starts workers, hands out tasks and reads their
answers exactly as a batch does, so a file over its time or memory budget ends its worker (a fresh one
takes its place), is answered “超出处理上限（…）” and the server goes on.

Workers come from a fork server started before the web server has threads: a process with threads must
not fork itself (a lock held by another thread at the fork is held for ever in the child). The fork server
has the checker imported, so a replacement worker is ready in a fraction of a second.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import queue
import socket
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from multiprocessing.connection import wait
from pathlib import Path

from jixiao.check.batch import Options, _budget, _Pool, _Slot, _Task
from jixiao.errors import JixiaoError
from jixiao.findings import WorkbookResult
from jixiao.profile import Profile

# Imported once by the fork server, so each worker it forks starts warm.
PRELOAD = ["jixiao.check.runner", "jixiao.check.frames", "jixiao.check.tables", "jixiao.report.annotated",
           "jixiao.report.json_report", "jixiao.serve.jobs"]


class Busy(Exception):
    """Every worker is busy and the waiting line is full (the page answers 503)."""


class LivePool(_Pool):
    """``jobs`` warm workers and a waiting line of ``waiting`` uploads at most."""

    def __init__(self, profile: Profile, options: Options, waiting: int) -> None:
        super().__init__(profile, options, None)
        self.limit = options.jobs + waiting
        self.queued: queue.SimpleQueue[tuple[_Task, Future[list[WorkbookResult]]]] = queue.SimpleQueue()
        self.futures: dict[int, Future[list[WorkbookResult]]] = {}
        self.lock = threading.Lock()
        self.pending = 0  # submitted and not yet answered (waiting or being checked)
        self.stopping = False
        self._wake_recv, self._wake_send = socket.socketpair()
        self.thread = threading.Thread(target=self._loop, name="jixiao-checkers", daemon=True)

    def start(self) -> None:
        """Start the fork server and the workers (before the web server starts its threads)."""
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        self._assign(self.options.jobs)
        self.thread.start()

    def _new_slot(self) -> _Slot:
        return _Slot(self.profile, self.options, self.slots, method="forkserver")

    def submit(self, path: Path, bounded: bool = True) -> Future[list[WorkbookResult]]:
        """Check ``path`` (its results come in the future); Busy when the line is full (``bounded``)."""
        with self.lock:
            if bounded and self.pending >= self.limit:
                raise Busy
            self.pending += 1
        future: Future[list[WorkbookResult]] = Future()
        self.queued.put((_Task([path], alone=True), future))
        with contextlib.suppress(OSError):
            self._wake_send.send(b"x")
        return future

    def executor(self, paths: Sequence[Path], profile: Profile, options: Options,
                 progress: Callable[[int], None] | None = None) -> list[WorkbookResult]:
        """The pipeline's executor on the server (jixiao.pipeline.run): every path checked by the warm workers,
        each its own task, not bounded by the waiting line; results in path order. Blocks: call it from a thread.
        The workers check as they were started (the server's profile and options)."""
        futures = [self.submit(path, bounded=False) for path in paths]
        results: list[WorkbookResult] = []
        for future in futures:
            results.extend(future.result())
            if progress:
                progress(1)
        return results

    def stop(self) -> None:
        """End the workers and the thread (pending uploads are answered as not checked)."""
        self.stopping = True
        with contextlib.suppress(OSError):
            self._wake_send.send(b"x")
        self.thread.join(10)
        for slot in self.slots:
            slot.end()
        self.slots.clear()

    def _deliver(self, task: _Task, results: list[WorkbookResult]) -> None:
        future = self.futures.pop(id(task), None)
        with self.lock:
            self.pending -= 1
        if future is not None and not future.done():
            future.set_result(results)

    def _loop(self) -> None:
        while not self.stopping:
            try:
                while True:
                    task, future = self.queued.get_nowait()
                    self.futures[id(task)] = future
                    self.todo.append(task)
            except queue.Empty:
                pass
            try:
                self._assign(self.options.jobs)
                self._wait()
            except JixiaoError as exc:  # workers cannot start: every waiting upload is told, the server lives
                self._fail_all(str(exc))
                time.sleep(1)
        self._fail_all("服务器正在停止，未检查")

    def _fail_all(self, reason: str) -> None:
        for slot in self.slots:
            slot.end()
        self.slots.clear()
        tasks = list(self.todo)
        self.todo.clear()
        for task in tasks:
            self._deliver(task, [WorkbookResult(str(task.paths[0]), "unreadable", error=reason)])
        for key in list(self.futures):
            future = self.futures.pop(key)
            with self.lock:
                self.pending -= 1
            if not future.done():
                future.set_result([WorkbookResult("", "unreadable", error=reason)])

    def _wait(self) -> None:
        """Sleep until a worker speaks or dies, a budget runs out, or an upload arrives."""
        busy = [slot for slot in self.slots if slot.task is not None]
        now = time.monotonic()
        timeout = max(0.0, min(slot.since + _budget(slot) for slot in busy) - now) if busy else None
        ready = wait([self._wake_recv] + [s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout)
        if self._wake_recv in ready:
            with contextlib.suppress(OSError):
                self._wake_recv.recv(4096)
        for slot in busy:
            self._poll(slot)
