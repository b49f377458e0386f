"""Time and memory of `jixiao check` on each file of the hostile corpus (one process per file).

    python benchmarks/hostile.py [--dir /tmp/jixiao-hostile] [--curve-only]

Shows that every hostile file is refused or read within bounded time and memory (docs/robustness.md),
then prints the curve of issue #10: the clean sample with 12,500 … 100,000 formatted empty rows, and with
6,250 … 50,000 data validations, on its indicator sheet, read and checked in this process (warm, median
of 3). Linear means the time per 1,000 rows stays flat as the sheet doubles.
"""

from __future__ import annotations

import argparse
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
        each_file(Path(args.dir))
    curve(Path(args.dir) / "curve")


def each_file(folder: Path) -> None:
    """Each hostile file in its own process."""
    files = build(folder)
    base, base_mb = timed([sys.executable, "-m", "jixiao", "check", str(ROOT / "samples" / "02_某县教育局_学生营养改善计划.xlsx"), "-q"])
    print(f"{'file':<32}{'size':>10}{'wall s':>9}{'peak MB':>9}")
    print(f"{'(clean sample, for reference)':<32}{'':>10}{base:>9.2f}{base_mb:>9.0f}")
    for path in files:
        wall, peak = timed([sys.executable, "-m", "jixiao", "check", str(path), "-q"])
        print(f"{path.name:<32}{path.stat().st_size:>10}{wall:>9.2f}{peak:>9.0f}")


if __name__ == "__main__":
    main()
