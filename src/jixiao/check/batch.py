"""Batch runs: many workbooks, in chunks, over ``--jobs`` processes, results in path order.

Each worker reads and checks a chunk of files and returns only WorkbookResults (findings and scores, no
DataFrames), so memory stays bounded as the batch grows. Chunks come back in order (``imap``), so the
report is the same for any number of jobs.
"""

from __future__ import annotations

import contextlib
import gc
import math
import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from jixiao import __version__
from jixiao.check.runner import apply_batch_rules, check_chunk
from jixiao.findings import Report, WorkbookResult
from jixiao.profile import Profile

MAX_CHUNK = 100


@dataclass(frozen=True)
class Options:
    """How a batch runs."""

    jobs: int = 1
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    year: int | None = None
    fixed_profile: bool = False  # --profile given: every table is scored by it, whatever its layout


# Below this many files a batch never forks: a worker's start (fork, warming its caches, its first
# pandera calls) costs more than the files it takes over save. Measured on 2 cores (docs/performance.md):
# 500 template workbooks took 1.77 s with one process and 1.99 s with two; 1,000 took 3.24 s and 2.52 s.
# Above it, one worker per FILES_PER_WORKER files, up to the cores this process may use.
FORK_MIN_FILES = 1_000
FILES_PER_WORKER = 500


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def default_jobs(n_files: int) -> int:
    """How many processes to check ``n_files`` with when ``--jobs`` is not given."""
    if n_files < FORK_MIN_FILES:
        return 1
    return max(1, min(usable_cores(), n_files // FILES_PER_WORKER))


def chunked(paths: Sequence[Path], jobs: int) -> list[list[Path]]:
    """Split into chunks: big enough that pandera's per-call cost is spread, small enough to balance."""
    size = max(1, min(MAX_CHUNK, math.ceil(len(paths) / (jobs * 4))))
    return [list(paths[i:i + size]) for i in range(0, len(paths), size)]


_WORKER: tuple[Profile, Options] | None = None


def _init(profile: Profile, options: Options) -> None:
    global _WORKER
    _WORKER = (profile, options)


def _work(chunk: list[Path]) -> tuple[int, list[WorkbookResult]]:
    assert _WORKER is not None
    profile, options = _WORKER
    return len(chunk), check_chunk(chunk, profile, options.select, options.ignore, options.fixed_profile)


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
    """Check every path; ``progress(n)`` is called as each chunk of ``n`` files finishes."""
    with gc_tuned():
        return _check_files(paths, profile, options, progress)


def _check_files(paths: Sequence[Path], profile: Profile, options: Options,
                 progress: Callable[[int], None] | None) -> Report:
    started = time.time()
    chunks = chunked(paths, options.jobs)
    results: list[WorkbookResult] = []
    if options.jobs <= 1 or len(chunks) <= 1:
        _init(profile, options)
        for chunk in chunks:
            done, part = _work(chunk)
            results.extend(part)
            if progress:
                progress(done)
    else:
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        with mp.get_context(method).Pool(min(options.jobs, len(chunks)), _init, (profile, options)) as pool:
            for done, part in pool.imap(_work, chunks):
                results.extend(part)
                if progress:
                    progress(done)
    results = apply_batch_rules(results, profile, options.year, options.select, options.ignore)
    checked = {r.path for r in results}
    skipped = [str(p) for p in paths if str(p) not in checked]
    meta = {"version": __version__, "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)),
            "seconds": round(time.time() - started, 3), "files": len(paths), "jobs": options.jobs,
            "profile_title": profile.title, "profile_source": profile.source, "skipped": skipped,
            "year": options.year}
    return Report(results, profile=profile.name, meta=meta)
