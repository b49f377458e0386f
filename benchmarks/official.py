"""Reading the official single-sheet layout against the template path, per workbook.

    python benchmarks/official.py [--n 200] [--rounds 5]

Writes the six sample specs in both layouts, each through its real builder (the template with its
dropdowns, the official form with its merges and dropdowns), copies them up to N workbooks per layout,
and times read → parse → score → check in this process (warm, one chunk per layout, as a batch runs),
in interleaved rounds. Also times the official form saved as .xls. Prints the median ms per workbook
and the ratio official / template (target: ≤ 1.5).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from jixiao.check.runner import check_chunk
from jixiao.profile import load_profile
from jixiao.template.build import write_workbook
from jixiao.template.official import SHEET, official_grid, write_official

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from benchmarks.batch import machine  # noqa: E402


def _corpus(folder: Path, n: int) -> dict[str, list[Path]]:
    specs = [tomllib.loads(p.read_text("utf-8")) for p in sorted((ROOT / "scripts" / "samples").glob("0[1-6]_*.toml"))]
    out: dict[str, list[Path]] = {"template": [], "official": [], "official .xls": []}
    seeds = {"template": [], "official": [], "official .xls": []}  # type: dict[str, list[Path]]
    for i, spec in enumerate(specs):
        seeds["template"].append(write_workbook(folder / f"t{i}.xlsx", spec))
        seeds["official"].append(write_official(folder / f"o{i}.xlsx", spec))
        try:
            from grid_writers import write_xls

            rows, merges, _ = official_grid(spec)
            path = folder / f"x{i}.xls"
            write_xls(path, [(SHEET, rows, merges)])
            seeds["official .xls"].append(path)
        except ImportError:  # xlwt not installed (pip install ".[dev]")
            pass
    for kind, paths in seeds.items():
        for j in range(n if paths else 0):
            src = paths[j % len(paths)]
            dst = folder / kind.replace(" ", "_") / f"{j}{src.suffix}"
            dst.parent.mkdir(exist_ok=True)
            shutil.copy(src, dst)
            out[kind].append(dst)
    return {k: v for k, v in out.items() if v}


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(machine())
    profile = load_profile()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = _corpus(Path(tmp), args.n)
        for paths in corpus.values():
            check_chunk(paths[:10], profile)  # warm caches
        times: dict[str, list[float]] = {k: [] for k in corpus}
        for _ in range(args.rounds):
            for kind, paths in corpus.items():
                start = time.perf_counter()
                check_chunk(paths, profile)
                times[kind].append((time.perf_counter() - start) / len(paths) * 1000)
    base = statistics.median(times["template"])
    print(f"{args.n} workbooks per layout, median of {args.rounds} interleaved rounds")
    for kind, values in times.items():
        med = statistics.median(values)
        print(f"  {kind:<15} {med:6.2f} ms/workbook   ratio to template {med / base:4.2f}")


if __name__ == "__main__":
    main()
