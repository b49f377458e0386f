"""Time `jixiao check` of one workbook: start-up, imports, and the check itself.

    python benchmarks/single.py [WORKBOOK] [--runs N]

Prints the median wall time of N end-to-end runs (a fresh process each, as a user runs it), the import
cost of each dependency, and the warm in-process time of read → parse → score → check.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("workbook", nargs="?", default=str(next((ROOT / "samples").glob("01_*.xlsx"))))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    py = sys.executable
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print(f"workbook: {args.workbook}")
    base = _wall([py, "-c", "pass"], args.runs)
    print(f"python start-up                      {base * 1000:7.0f} ms")
    for mod in ("pandas", "pandera.pandas", "python_calamine", "rich", "openpyxl"):
        cost = _wall([py, "-c", f"import {mod}"], args.runs) - base
        print(f"import {mod:<30}{cost * 1000:7.0f} ms")
    total = _wall([py, "-m", "jixiao", "check", args.workbook, "-q"], args.runs)
    print(f"jixiao check (end to end, median)    {total * 1000:7.0f} ms")

    from jixiao.check.runner import run
    from jixiao.profile import load_profile

    profile = load_profile()
    run([Path(args.workbook)], profile)  # warm caches (schemas, lazy imports)
    start = time.perf_counter()
    for _ in range(args.runs):
        run([Path(args.workbook)], profile)
    warm = (time.perf_counter() - start) / args.runs
    print(f"read+parse+score+check (warm)        {warm * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
