"""Batch runs: many workbooks, in chunks, over ``--jobs`` worker processes, results in path order.

Each worker reads and checks a chunk of files and returns only WorkbookResults (findings and scores, no
DataFrames), so memory stays bounded as the batch grows. The report is the same for any number of jobs:
results are put back in path order whatever order chunks finish in.

Every file is bounded. Chunks run in worker processes — one with ``--jobs 1`` too — that the parent
watches: a file that takes longer than FILE_SECONDS, or a worker that passes its memory budget (RLIMIT_AS,
on Linux) or dies, costs that one file, reported unreadable “超出处理上限（…）”; the worker is replaced and
the batch goes on. The parent never waits on a worker without a deadline, so a lost worker cannot hang it.
Where there is no fork (Windows) chunks are checked in this process, without those budgets.
"""

from __future__ import annotations

import contextlib
import gc
import math
import multiprocessing as mp
import os
import signal
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from jixiao import __version__
from jixiao.check.runner import check_chunk
from jixiao.errors import JixiaoError
from jixiao.findings import Report, RunInfo, WorkbookResult
from jixiao.incidents import Incident, new_ref
from jixiao.profile import Profile
from jixiao.read import limits

if TYPE_CHECKING:
    from jixiao.pair import TargetIndex

MAX_CHUNK = 250  # 1,000 template workbooks: 2.29 s against 2.38 s at 100; 10,000: 194 MB against 181 MB


@dataclass(frozen=True)
class Options:
    """How a batch runs."""

    jobs: int = 1
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    year: int | None = None
    fixed_profile: bool = False  # --profile given: every table is scored by it, whatever its layout
    isolate: bool = True  # check in worker processes that bound each file's time and memory (see below)
    # What a worker does with a task's paths (None: check_chunk). ``jixiao serve`` also writes each upload's
    # annotated copy and JSON there, so a hostile workbook costs a worker, never the server.
    job: Callable[[Sequence[Path], Profile, Options], list[WorkbookResult]] | None = None
    # A file's time and a worker's memory budget (None: limits.FILE_SECONDS, limits.WORKER_MEMORY_BYTES);
    # a deployment of ``jixiao serve`` may set its own.
    file_seconds: float | None = None
    memory_bytes: int | None = None
    targets: TargetIndex | None = None  # --targets: the approved tables every table is compared with
    facts: bool = False  # keep what each table states (a run with a 自评报告 in it: R001)
    sample: str | None = None  # --sample: the 复核 sample's share (“20%”) or count (“15”); None: no sample
    seed: int | None = None  # --seed: the draw to repeat (None: a new seed, written on the sheet)

    @property
    def seconds(self) -> float:
        """A file's time budget."""
        return limits.FILE_SECONDS if self.file_seconds is None else self.file_seconds

    @property
    def memory(self) -> int:
        """A worker's memory budget, in bytes above what it starts with."""
        return limits.WORKER_MEMORY_BYTES if self.memory_bytes is None else self.memory_bytes


# One worker for every FILES_PER_WORKER files, up to the cores this process may use. Each worker loads
# pandas and pandera itself (~95 MB), in parallel with the others. Measured on 2 cores, template workbooks
# (docs/performance.md, 2026-11-27): 200 files 0.83 s with one worker and 0.76 s with two, 500 files 1.39 s
# and 1.11 s, 1,000 files 2.31 s and 1.62 s; a second worker costs about 90 MB.
FILES_PER_WORKER = 200
MAX_START_FAILURES = 3  # workers in a row dying before they are ready: the installation is broken


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def default_jobs(n_files: int) -> int:
    """How many processes to check ``n_files`` with when ``--jobs`` is not given."""
    return max(1, min(usable_cores(), n_files // FILES_PER_WORKER))


def chunked(paths: Sequence[Path], jobs: int) -> list[list[Path]]:
    """Split into chunks: big enough that pandera's per-call cost is spread, small enough to balance."""
    size = max(1, min(MAX_CHUNK, math.ceil(len(paths) / (jobs * 4))))
    return [list(paths[i:i + size]) for i in range(0, len(paths), size)]


@contextlib.contextmanager
def gc_tuned() -> Iterator[None]:
    """Fewer garbage-collector passes while checking.

    A batch allocates millions of small objects with hardly any reference cycles; with the default
    thresholds the collector's passes over the growing heap measured ~25% of the run.
    """
    before = gc.get_threshold()
    gc.freeze()  # what is alive now (imported modules) is never scanned again
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def check_files(paths: Sequence[Path], profile: Profile, options: Options,
                progress: Callable[[int], None] | None = None) -> Report:
    """Check every path (the pipeline: jixiao.pipeline.run, with this module's workers); ``progress(n)`` is called
    as each chunk of ``n`` files finishes."""
    from jixiao.pipeline import run

    return run(paths, profile, options, options.targets, progress=progress)


def check_chunks(paths: Sequence[Path], profile: Profile, options: Options,
                 progress: Callable[[int], None] | None = None) -> list[WorkbookResult]:
    """The pipeline's executor on the command line: every path checked, in path order, each table's results
    without the batch rules. A batch runs in watched worker processes (budgets per file, see above); one file
    (an agency checking its own table) is checked in this process: the reader's own limits bound it, and a worker
    would only add its start-up to the wait. Where there is no fork (Windows): in this process, unbounded."""
    with gc_tuned():
        chunks = chunked(paths, options.jobs)
        if options.isolate and len(paths) > 1 and _can_fork():
            return _Pool(profile, options, progress).run(chunks)
        return in_process(chunks, profile, options, progress)


def in_process(chunks: Sequence[Sequence[Path]], profile: Profile, options: Options,
               progress: Callable[[int], None] | None = None) -> list[WorkbookResult]:
    """Check the chunks in this process, one after the other."""
    results: list[WorkbookResult] = []
    for chunk in chunks:
        results.extend(check_chunk(chunk, profile, options.select, options.ignore, options.fixed_profile,
                                   options.targets, options.facts))
        if progress:
            progress(len(chunk))
    return results


def run_info(profile: Profile, options: Options, started: float, files: int) -> RunInfo:
    """The report's header (docs/json-report.md): version, when and how long, files, workers, profile, year."""
    return RunInfo(__version__, time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)),
                   round(time.time() - started, 3), files, options.jobs, options.year, profile.title, profile.source)


def _warm(profile: Profile) -> None:
    """Check one small table built in memory, so a worker's first files are not charged for pandas and
    pandera setting themselves up (0.1 s; 0.8 s under pytest) against FILE_SECONDS.

    A worker does this itself, before it says it is ready: the parent, which only hands out files and
    writes the reports, never imports pandas or pandera (docs/performance.md: sixty-odd MB of the process
    tree's memory, counted again in every forked worker). No file is written or read for it.
    """
    import jixiao.check.frames
    import jixiao.check.tables  # noqa: F401  (a broken pandas/pandera fails here, before the worker is ready)
    from jixiao.check.runner import Loaded, check_loaded
    from jixiao.model import AmountField, Evaluation, Field, FundRow, Indicator, Loc
    from jixiao.score.scorer import score

    def cell(value: object, ref: str) -> Field:
        return Field(value, Loc("绩效指标", ref))

    model = Evaluation(sheets=("绩效指标",))
    model.indicators.append(Indicator(0, cell("产出指标", "A2"), cell("数量指标", "B2"), cell("示例", "C2"),
                                      cell(None, "D2"), cell("≥10个", "E2"), cell("9个", "F2"), cell(10, "G2"),
                                      cell(10, "H2"), cell(None, "I2")))
    initial, budget, executed = (AmountField(v, Loc("项目资金", f"{c}2")) for v, c in ((100, "B"), (100, "C"), (90, "D")))
    model.funds["total"] = FundRow("total", cell("年度资金总额", "A2"), initial, budget, executed, cell(10, "E2"),
                                   cell("90%", "F2"), cell(9, "G2"))
    with contextlib.suppress(Exception):
        check_loaded([Loaded(Path("warm"), model, score(model, profile), profile=profile)], profile)


def _can_fork() -> bool:
    return "fork" in mp.get_all_start_methods()


def over_limit(path: Path, reason: str) -> WorkbookResult:
    """The result of a file that passed a processing budget."""
    return WorkbookResult(str(path), "unreadable", error=f"超出处理上限（{reason}），未检查；请确认这是一份正常的自评表")


def failed(path: Path, trace: str) -> WorkbookResult:
    """The result of a file whose check failed in a way the stages did not contain (the trace is logged)."""
    ref = new_ref()
    message = f"检查时出错：程序内部错误（日志编号 {ref}）"
    return WorkbookResult(str(path), "unreadable", error=message, incidents=(Incident("check", message, ref, trace),))


def _reason(kind: str, options: Options) -> str:
    gb = options.memory / 1024 ** 3
    memory = f"内存超过 {gb:g} GB" if gb >= 0.1 else f"内存超过 {options.memory / 1024 ** 2:g} MB"
    return {"time": f"处理时间超过 {options.seconds:g} 秒", "memory": memory}.get(kind, f"{memory}，或处理进程意外退出")


_CHECKING = -1  # progress: every file of the task is read; the chunk's checks run


class _Progress(Sequence[Path]):
    """The paths of a task; iterating them (as check_chunk does, file by file) tells the parent which file
    is being read, so a file over budget is known without checking the others again."""

    def __init__(self, paths: list[Path], conn: Connection) -> None:
        self.paths, self.conn = paths, conn

    def __len__(self) -> int:
        return len(self.paths)

    @overload
    def __getitem__(self, index: int) -> Path: ...

    @overload
    def __getitem__(self, index: slice) -> list[Path]: ...

    def __getitem__(self, index: int | slice) -> Path | list[Path]:
        return self.paths[index]

    def __iter__(self) -> Iterator[Path]:
        for i, path in enumerate(self.paths):
            self.conn.send(("at", i))
            yield path
        self.conn.send(("at", _CHECKING))


def _limit_memory(extra: int) -> None:
    """Cap this worker's address space at what it has now plus ``extra`` bytes (Linux; elsewhere no cap).

    Past it an allocation fails: Python raises MemoryError (the file is reported unreadable by the runner),
    the engine aborts the process (the parent reports the file over the limit).
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as fh:
            size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = size + extra
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (ImportError, OSError, ValueError):
        pass


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when its parent dies, however it dies (even SIGKILL)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _worker(conn: Connection, inherited: list[Connection], parent: int, profile: Profile,
            options: Options) -> None:
    """A worker: check the chunks it is sent until told to stop; never prints, never outlives its parent.

    ``inherited``: the parent's ends of every pipe, this worker's own included, copied by fork. They are
    closed first: while a worker holds them, a dead parent's pipes never read as closed, and workers would
    wait on each other for ever.
    """
    code = 0
    try:
        for other in inherited:
            other.close()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends its workers
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # ended by the parent (or with it): die quietly
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
        _die_with_parent()
        if parent and os.getppid() != parent:  # the parent died before the line above
            return
        _warm(profile)
        gc.freeze()  # what the worker loaded is never scanned again
        # A chunk allocates millions of objects, holds them until it is done and frees them by reference count:
        # there are hardly any cycles (1,000 workbooks leave about a dozen cyclic objects, from pandas). The
        # collector only ever scanned live objects (~9% of the time at 100,000-allocation thresholds), so it
        # is off while a chunk is checked and run once after it; the memory budget bounds a chunk regardless.
        gc.disable()
        conn.send(("ready", None))
        _limit_memory(options.memory)
        while (task := conn.recv()) is not None:
            paths = _Progress(task, conn)
            try:
                if options.job is not None:
                    results = options.job(paths, profile, options)
                else:
                    results = check_chunk(paths, profile, options.select, options.ignore, options.fixed_profile,
                                          options.targets, options.facts)
            except MemoryError:  # past the cap: the parent replaces this worker
                conn.send(("memory", None))
            except Exception as exc:  # said to the parent (the trace for its log), which checks the files one by one
                conn.send(("failed", "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))))
            else:
                conn.send(("done", results))
            del paths
            results = []
            gc.collect()
    except BaseException:  # the parent is gone (EOF, broken pipe) or ended us: nothing to say to anyone
        code = 1
    finally:
        os._exit(code)  # no interpreter teardown: no inherited output flushed twice, no traceback


@dataclass
class _Task:
    """Some paths of the batch, checked together in one worker."""

    paths: list[Path]
    alone: bool = False  # already split out of a failed chunk: its failure is the file's


class _Slot:
    """One worker process, its pipe, and what it is doing."""

    def __init__(self, profile: Profile, options: Options, others: Sequence[_Slot], method: str = "fork") -> None:
        ctx: Any = mp.get_context(method)  # fork or forkserver: both have Process
        self.conn, child = ctx.Pipe()
        # A forked worker inherits the parent's ends of every pipe and closes them; one from a fork server
        # (``jixiao serve``: a process with threads must not fork itself) inherits none, and its parent is
        # the fork server (0: not checked).
        forked = method == "fork"
        inherited = [self.conn, *(slot.conn for slot in others)] if forked else []
        self.proc = ctx.Process(target=_worker, args=(child, inherited, os.getpid() if forked else 0, profile,
                                                      options), daemon=True)
        for stream in (sys.stdout, sys.stderr):  # a forked child must not inherit unwritten output
            with contextlib.suppress(Exception):
                stream.flush()
        # Ctrl-C between fork and the worker's own handlers must not print a traceback from the child.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            self.proc.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        child.close()
        self.options = options
        self.task: _Task | None = None
        self.at = 0  # index of the file being read (_CHECKING: the checks)
        self.since = time.monotonic()
        self.ready = False  # imported and warmed (until then its time is not any file's)

    def give(self, task: _Task) -> None:
        self.task, self.at = task, 0
        if self.ready:
            self.since = time.monotonic()
        self.conn.send(task.paths)

    def end(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


_SPARES: list[tuple[Profile, Options, _Slot]] = []


def prestart(profile: Profile, options: Options) -> None:
    """Start one worker now, while the caller still looks for files and checks its outputs: the worker loads
    pandas and pandera in the meantime (0.3 s) and the batch takes it up. See discard_spares."""
    if options.isolate and _can_fork() and not _SPARES:
        with contextlib.suppress(OSError):  # no process to spare: the batch starts its own later
            _SPARES.append((profile, options, _Slot(profile, options, [])))


def discard_spares() -> None:
    """End a worker started by prestart that no batch took up (one file, an error before the batch)."""
    while _SPARES:
        _SPARES.pop()[2].end()


def _spare(profile: Profile, options: Options) -> _Slot | None:
    """The prestarted worker, when it checks as this batch does (same profile and rule selection)."""
    while _SPARES:
        spare_profile, spare_options, slot = _SPARES.pop()
        if spare_profile is profile and replace(spare_options, jobs=options.jobs) == options and \
                slot.proc.is_alive():
            return slot
        slot.end()
    return None


def _budget(slot: _Slot) -> float:
    """Seconds the slot may spend from ``since``: starting up, or on the file it is reading."""
    return slot.options.seconds if slot.ready else limits.WORKER_START_SECONDS


class _Pool:
    """Worker processes with per-file time and memory budgets; results in path order."""

    def __init__(self, profile: Profile, options: Options, progress: Callable[[int], None] | None) -> None:
        self.profile, self.options, self.progress = profile, options, progress
        self.slots: list[_Slot] = []
        self.todo: deque[_Task] = deque()
        self.out: list[WorkbookResult] = []
        self.start_failures = 0  # workers in a row that died before they were ready

    def run(self, chunks: list[list[Path]]) -> list[WorkbookResult]:
        order: dict[str, int] = {}
        for chunk in chunks:
            for path in chunk:
                order.setdefault(str(path), len(order))
        self.todo.extend(_Task(chunk) for chunk in chunks)
        try:
            while self.todo or any(slot.task for slot in self.slots):
                self._assign(min(self.options.jobs, len(chunks)))
                self._step()
        finally:
            for slot in self.slots:
                slot.end()
        # Chunks finish in any order and failed ones are split: path order makes the report the same for
        # any --jobs (a file's tables keep their order: the sort is stable).
        return sorted(self.out, key=lambda r: order.get(r.path, len(order)))

    def _new_slot(self) -> _Slot:
        return _spare(self.profile, self.options) or _Slot(self.profile, self.options, self.slots)

    def _assign(self, size: int) -> None:
        for slot in [s for s in self.slots if s.task is None and not s.proc.is_alive()]:
            slot.end()  # died while idle (killed from outside): replaced below, no file lost
            self.slots.remove(slot)
        while len(self.slots) < size:
            try:
                self.slots.append(self._new_slot())
            except OSError as exc:  # no more processes: go on with the workers there are
                if not self.slots:
                    raise JixiaoError(f"无法启动检查进程：{exc.strerror or exc}") from None
                break
        for slot in list(self.slots):
            if slot.task is None and self.todo:
                task = self.todo.popleft()
                try:
                    slot.give(task)
                except OSError:  # its pipe broke before it took the task: the task waits for another worker
                    slot.task = None
                    self.todo.appendleft(task)
                    slot.end()
                    self.slots.remove(slot)

    def _step(self) -> None:
        busy = [slot for slot in self.slots if slot.task is not None]
        if not busy:
            return
        now = time.monotonic()
        timeout = max(0.0, min(slot.since + _budget(slot) for slot in busy) - now)
        wait([slot.conn for slot in busy] + [slot.proc.sentinel for slot in busy], timeout)
        for slot in busy:
            self._poll(slot)

    def _poll(self, slot: _Slot) -> None:
        alive = self._read(slot)
        if alive and slot.task is not None and not slot.proc.is_alive():
            self._read(slot)  # what a dead worker said last (ready, the file it took) is read before it is judged
            alive = False
        if slot.task is None:
            return
        if not alive:  # the worker died (its memory cap, a crash, a signal)
            self._died(slot)
        elif time.monotonic() - slot.since > _budget(slot):
            if not slot.ready:  # never got as far as a file: no file is to blame, and none would fare better
                raise JixiaoError(f"检查进程 {limits.WORKER_START_SECONDS:g} 秒内未能启动（载入 pandas/pandera），"
                                  "请检查本机的 Python 环境")
            self._fail(slot, "time")

    def _read(self, slot: _Slot) -> bool:
        """Handle every message waiting from the slot's worker; False once its pipe is closed (it died)."""
        try:
            while slot.task is not None and slot.conn.poll():
                kind, value = slot.conn.recv()
                if kind == "ready":
                    slot.ready, slot.since, self.start_failures = True, time.monotonic(), 0
                elif kind == "at":
                    slot.at, slot.since = value, time.monotonic()
                elif kind == "done":
                    self._finish(slot, value)
                elif kind == "memory":
                    self._fail(slot, "memory")
                else:
                    self._fail(slot, "error", error=value)
        except (EOFError, OSError):
            return False
        return True

    def _died(self, slot: _Slot) -> None:
        if slot.ready:
            self._fail(slot, "death")
            return
        # Before its first file: no file is to blame. Its task waits for a fresh worker; a worker that cannot
        # start again and again means the installation (pandas/pandera) is broken.
        self.start_failures += 1
        if self.start_failures >= MAX_START_FAILURES:
            raise JixiaoError("检查进程启动失败（载入 pandas/pandera 时退出），请检查本机的 Python 环境")
        task, slot.task = slot.task, None
        slot.end()
        self.slots.remove(slot)
        if task is not None:
            self.todo.appendleft(task)

    def _finish(self, slot: _Slot, results: list[WorkbookResult]) -> None:
        assert slot.task is not None
        task, slot.task = slot.task, None
        self._deliver(task, results)

    def _deliver(self, task: _Task, results: list[WorkbookResult]) -> None:
        """What a task (or one file of it, reported over a budget) came to."""
        self.out.extend(results)
        if self.progress:
            self.progress(len(task.paths))

    def _fail(self, slot: _Slot, kind: str, error: str | None = None) -> None:
        """A task failed: the file at fault is reported, the others checked again; the worker is replaced.

        ``kind``: time (killed past FILE_SECONDS), memory (MemoryError past the cap), death (the process
        ended: the engine aborts when an allocation fails past the cap), error (an exception, ``error``).
        """
        task, at = slot.task, slot.at
        assert task is not None
        slot.task = None
        if kind != "error":  # killed, dead or short of memory: a fresh worker takes its place
            slot.end()
            self.slots.remove(slot)
        if task.alone or len(task.paths) == 1:
            self._deliver(task, [over_limit(task.paths[0], _reason(kind, self.options)) if error is None else
                                 failed(task.paths[0], error)])
        elif kind == "time" and at != _CHECKING:
            # The file being read ran out of time (time is the file's own, whatever chunk it is in).
            self._deliver(_Task([task.paths[at]]), [over_limit(task.paths[at], _reason(kind, self.options))])
            rest = task.paths[:at] + task.paths[at + 1:]
            if rest:
                self.todo.appendleft(_Task(rest))
        else:  # memory depends on the company a file keeps, a crash or error may be any file's: one by one
            self.todo.extendleft(_Task([path], alone=True) for path in reversed(task.paths))
