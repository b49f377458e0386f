"""Time `jixiao check` of one workbook: start-up, imports, and the check itself.

    python benchmarks/single.py [WORKBOOK] [--runs N]

Prints the median wall time of N end-to-end runs (a fresh process each, as a user runs it), the import
cost of each dependency, and the warm in-process time of read → parse → score → check.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.batch import machine  # noqa: E402


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
    print(machine())
    print(f"workbook: {args.workbook}")
    base = _wall([py, "-c", "pass"], args.runs)
    print(f"python start-up                      {base * 1000:7.0f} ms")
    for mod in ("pandas", "pandera.pandas", "python_calamine", "rich", "openpyxl"):
        cost = _wall([py, "-c", f"import {mod}"], args.runs) - base
        print(f"import {mod:<30}{cost * 1000:7.0f} ms")
    # Interleaved: each round times the baseline and both runs back to back, so a drift of the machine's
    # speed hits all three alike; the ratios are the medians of the per-round ratios.
    cmds = {"pandera": [py, "-c", "import pandera.pandas"],
            "jixiao check -q": [py, "-m", "jixiao", "check", args.workbook, "-q"],
            "jixiao check (full report)": [py, "-m", "jixiao", "check", args.workbook]}
    rounds = [{name: _wall(cmd, 1) for name, cmd in cmds.items()} for _ in range(args.runs)]
    for name in list(cmds)[1:]:
        wall = statistics.median(r[name] for r in rounds)
        ratio = statistics.median(r[name] / r["pandera"] for r in rounds)
        print(f"{name:<37}{wall * 1000:7.0f} ms  = {ratio:4.2f} x `python -c \"import pandera.pandas\"` "
              f"(median {statistics.median(r['pandera'] for r in rounds) * 1000:.0f} ms, same rounds)")

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
