"""Time and memory of `jixiao check` on each file of the hostile corpus (one process per file).

    python benchmarks/hostile.py [--dir /tmp/jixiao-hostile] [--curve-only]

Shows that every hostile file is refused or read within bounded time and memory (docs/robustness.md):
each alone and all in one batch, under 5 s and 500 MB (a row past that is marked OVER BUDGET); what the
watched worker process costs against checking in-process; then prints the curve of issue #10: the clean sample with 12,500 … 100,000 formatted empty rows, and with
6,250 … 50,000 data validations, on its indicator sheet, read and checked in this process (warm, median
of 3). Linear means the time per 1,000 rows stays flat as the sheet doubles.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fixtures.hostile.make_corpus import (  # noqa: E402
    _indicator_sheet,
    build,
    formatted_rows,
    validations,
)

from benchmarks.batch import machine, timed  # noqa: E402


def curve(folder: Path) -> None:
    """Time read + check of ever larger indicator sheets: the rows double, the time must double."""
    from jixiao.check.runner import check_chunk
    from jixiao.profile import load_profile

    profile = load_profile()
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'shape':<34}{'sheet XML':>11}{'ms':>9}{'ms/1k':>8}")
    for label, make, sizes in (("formatted empty rows", formatted_rows, (12_500, 25_000, 50_000, 100_000)),
                               ("data validations", validations, (6_250, 12_500, 25_000, 50_000))):
        for n in sizes:
            path = folder / f"curve-{make.__name__}-{n}.xlsx"
            if make is formatted_rows:
                _indicator_sheet(path, rows=make(n))
            else:
                _indicator_sheet(path, validations=make(n))
            check_chunk([path], profile)  # warm
            times = []
            for _ in range(3):
                start = time.perf_counter()
                (result,) = check_chunk([path], profile)
                times.append(time.perf_counter() - start)
            assert result.status == "clean", result.error
            ms = statistics.median(times) * 1000
            print(f"{f'{n:,} {label}':<34}{len(make(n)) / 1e6:>9.1f}MB{ms:>9.1f}{ms / n * 1000:>8.2f}")


def main() -> None:
    """Build the corpus, check each file in its own process, print wall time and peak memory; the curve."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", default="/tmp/jixiao-hostile")
    parser.add_argument("--curve-only", action="store_true")
    args = parser.parse_args()
    print(machine())
    if not args.curve_only:
        each_file(Path(args.dir) / "corpus")
        isolation_cost(Path(args.dir) / "cost")
    curve(Path(args.dir) / "curve")


CLEAN = ROOT / "samples" / "02_某县教育局_学生营养改善计划.xlsx"
BUDGET_SECONDS, BUDGET_MB = 5.0, 500.0  # every hostile file, alone and in a batch (issue #11)


def odd_entries(folder: Path) -> list[Path]:
    """Entries that are not regular files: a link loop, a named pipe, links to /dev/zero (POSIX only)."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for name, make in (("symlink_loop.xlsx", lambda p: p.symlink_to(p.name)), ("fifo.xlsx", os.mkfifo),
                       ("dev_zero.xlsx", lambda p: p.symlink_to("/dev/zero")),
                       ("dev_zero.ods", lambda p: p.symlink_to("/dev/zero"))):
        path = folder / name
        if not path.is_symlink() and not path.exists():
            with contextlib.suppress(OSError, AttributeError):
                make(path)
        if path.is_symlink() or path.exists():
            made.append(path)
    return made


def _row(name: str, size: str, wall: float, peak: float) -> None:
    ok = "" if wall < BUDGET_SECONDS and peak < BUDGET_MB else "  OVER BUDGET"
    print(f"{name:<34}{size:>10}{wall:>9.2f}{peak:>9.0f}{ok}")


def each_file(folder: Path) -> None:
    """Each hostile file in its own process, then all of them as one batch (--jobs 1 and 2)."""
    files = build(folder)
    odd = odd_entries(folder.parent / "odd")
    base, base_mb = timed([sys.executable, "-m", "jixiao", "check", str(CLEAN), "-q"])
    print(f"{'file':<34}{'size':>10}{'wall s':>9}{'peak MB':>9}")
    _row("(clean sample, for reference)", "", base, base_mb)
    for path in files + odd:
        wall, peak = timed([sys.executable, "-m", "jixiao", "check", str(path), "-q"])
        size = str(path.stat().st_size) if path.is_file() else "—"
        _row(path.name, size, wall, peak)
    for jobs in (1, 2):
        wall, peak = timed([sys.executable, "-m", "jixiao", "check", str(folder), "-q", "-j", str(jobs)])
        _row(f"(all {len(files)} files in one batch, -j {jobs})", "", wall, peak)
    if odd:  # a folder of them: discovery lists each, none is opened
        wall, peak = timed(["timeout", "60", sys.executable, "-m", "jixiao", "check", str(odd[0].parent), "-q"])
        _row(f"(the {len(odd)} non-regular entries as a folder)", "", wall, peak)


def isolation_cost(folder: Path, copies: int = 500) -> None:
    """What running chunks in a watched worker process costs (--jobs 1): the same files checked in this
    process (no budgets) and through the worker pool, warm, median of 3."""
    from jixiao.check.batch import Options, check_files
    from jixiao.profile import load_profile

    box = folder / "isolation"
    box.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(copies):
        path = box / f"{i:04d}.xlsx"
        if not path.exists():
            shutil.copy(CLEAN, path)
        paths.append(path)
    profile = load_profile()
    check_files(paths[:10], profile, Options(isolate=True))  # warm both paths
    print(f"\n{copies} copies of the clean sample, --jobs 1{'':<8}{'median s':>9}")
    for label, isolate in (("in this process (no budgets)", False), ("in one watched worker", True)):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            check_files(paths, profile, Options(isolate=isolate))
            times.append(time.perf_counter() - start)
        print(f"{label:<42}{statistics.median(times):>9.2f}")


if __name__ == "__main__":
    main()
