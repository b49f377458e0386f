"""The cost of ``--targets``: the same self-evaluations checked with and without their approved targets.

    python benchmarks/targets.py [--projects 100] [--rounds 5]

Builds N approved projects as one flat export (the samples under numbered names) and N self-evaluations of
them (alternately template and official layout), then, in this process (warm, interleaved rounds):
* reading the export into the index (done once per run);
* check_chunk over the N files without targets, and with them (pairing, comparison rules, re-scoring).
Prints the medians and the share the comparison adds (goal: ≤ 10% of the check). The collector is handled as
a batch worker handles it (frozen after loading, run between chunks).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.conftest import patched, write_case  # noqa: E402
from tests.test_targets import _flat_rows, _write_flat  # noqa: E402

from benchmarks.batch import machine  # noqa: E402
from jixiao.check.runner import check_chunk  # noqa: E402
from jixiao.parse.targets import load_targets  # noqa: E402
from jixiao.profile import load_profile  # noqa: E402


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(machine())
    profile = load_profile()
    with tempfile.TemporaryDirectory() as tmp:
        box = Path(tmp)
        rows, specs = _flat_rows(args.projects)
        export = _write_flat(box / "批复.xlsx", rows)
        files = [write_case(box / f"{i:04d}.xlsx", patched(spec), layout="official" if i % 2 else "template")
                 for i, spec in enumerate(specs)]
        start = time.perf_counter()
        index = load_targets([export])
        read = time.perf_counter() - start
        check_chunk(files, profile)  # warm
        check_chunk(files, profile, targets=index)
        # As in a batch worker (check/batch.py): what is loaded before the checks (the checker, the index the
        # worker inherits) is frozen out of the collector's passes, and the collector runs between chunks.
        gc.collect()
        gc.freeze()
        gc.disable()
        plain, paired = [], []
        for _ in range(args.rounds):
            start = time.perf_counter()
            check_chunk(files, profile)
            plain.append(time.perf_counter() - start)
            gc.collect()
            start = time.perf_counter()
            results = check_chunk(files, profile, targets=index)
            paired.append(time.perf_counter() - start)
            gc.collect()
        matched = sum(bool(r.targets and r.targets["status"] == "matched") for r in results)
    p, q = statistics.median(plain), statistics.median(paired)
    print(f"{args.projects} approved projects ({len(rows)} indicator rows) read from the flat export: "
          f"{read * 1000:.0f} ms (once per run)")
    print(f"check_chunk of {args.projects} self-evaluations, median of {args.rounds}: without targets "
          f"{p * 1000:.0f} ms, with targets {q * 1000:.0f} ms ({matched} paired)")
    print(f"comparison adds {(q - p) / p * 100:.1f}% to the check (goal ≤ 10%); with reading the export "
          f"{(q - p + read) / p * 100:.1f}%")


if __name__ == "__main__":
    main()
