"""Reading a 自评报告 (.docx) against reading the same table as a workbook (.xlsx).

    python benchmarks/report.py [--runs 50]

The seed report (tests/fixtures/reports/R00_*.docx) and the same project's table (samples/01_*.xlsx), each
read and parsed into the model in this process (warm), interleaved: the median of each and their ratio
(goal: the report ≤ 2× the workbook). Also python-docx opening the same report, for the record of why the
reader parses the XML itself.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from benchmarks.batch import machine  # noqa: E402
from jixiao.check.runner import _read  # noqa: E402

REPORT = next((ROOT / "tests" / "fixtures" / "reports").glob("R00_*.docx"))
WORKBOOK = next((ROOT / "samples").glob("01_*.xlsx"))


def _time(action: object, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    print(machine())
    import docx

    for _ in range(3):  # warm
        _read(REPORT)
        _read(WORKBOOK)
    report, workbook = [], []
    for _ in range(args.runs):
        report += _time(lambda: _read(REPORT), 1)
        workbook += _time(lambda: _read(WORKBOOK), 1)
    python_docx = _time(lambda: docx.Document(str(REPORT)), 10)
    r, w = statistics.median(report), statistics.median(workbook)
    print(f"read + parse, median of {args.runs}: report {r * 1000:.2f} ms, workbook {w * 1000:.2f} ms "
          f"({r / w:.2f}×; goal ≤ 2×)")
    print(f"python-docx opening the report alone: {statistics.median(python_docx) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
