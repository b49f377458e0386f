"""Load on a real ``jixiao serve``: uploads from concurrent clients on loopback, bounded in count and time.

    python benchmarks/serve.py [--uploads 200] [--clients 16] [--jobs 2] [--seconds 300]

Prints:
* the in-process cost of what the server does for one upload (check, annotated copy, JSON report), warm;
* the warm server's latency for one client at a time (p50 against that in-process figure: the goal is
  ≤ 1.5×);
* under load: p50 / p95 / max latency, uploads per second, errors (must be 0: a 503, a failed request, or
  a result page that names another upload's project counts), and the peak memory of the server's process
  tree (the server, its fork server and workers: the sum of their RSS, sampled every 50 ms).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import html
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.serve_helpers import check, running  # noqa: E402

from benchmarks.batch import machine  # noqa: E402

SAMPLES = sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in (".xlsx", ".xls"))


def _tree_rss(pid: int) -> int:
    """RSS of ``pid`` and all its descendants, in bytes (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except OSError:
            continue
    return total


def _in_process(runs: int) -> float:
    """Median seconds of the server's job for one upload, in one warm process."""
    import json
    import shutil

    from jixiao.check.batch import Options
    from jixiao.profile import load_profile
    from jixiao.serve.jobs import check_uploads
    from jixiao.serve.store import Store

    profile = load_profile()
    options = Options()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "checks", 3600)
        times = []
        for i in range(runs + 2):
            entry = store.new(SAMPLES[0].name, SAMPLES[0].suffix)
            shutil.copy(SAMPLES[0], entry.upload)
            start = time.perf_counter()
            check_uploads([entry.upload], profile, options)
            if i >= 2:  # the first two warm pandas, pandera and openpyxl up
                times.append(time.perf_counter() - start)
            assert json.loads((entry.out / "result.json").read_text("utf-8"))["workbooks"]
    return statistics.median(times)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=300.0, help="stop sending after this long")
    args = parser.parse_args()
    print(machine())
    job = _in_process(15)
    print(f"in-process, one upload's job (check + annotated copy + JSON), warm, median: {job * 1000:.1f} ms")
    expected = {}
    from jixiao.check.runner import run
    from jixiao.profile import load_profile

    for path in SAMPLES:
        report = run([path], load_profile())
        expected[path] = report.workbooks[0].project.get("name", "")
    with tempfile.TemporaryDirectory() as tmp, running(Path(tmp), "--jobs", str(args.jobs), "--queue", "64",
                                                       inbox=False) as server:
        for _ in range(3):
            check(server, SAMPLES[0])  # warm
        alone = []
        for _ in range(20):
            start = time.perf_counter()
            check(server, SAMPLES[0])
            alone.append(time.perf_counter() - start)
        p50_alone = statistics.median(alone)
        print(f"one client at a time, 20 uploads: p50 {p50_alone * 1000:.1f} ms "
              f"({p50_alone / job:.2f}× the in-process job; goal ≤ 1.5×)")
        peak = [0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], _tree_rss(server.proc.pid))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        deadline = time.monotonic() + args.seconds
        errors: list[str] = []
        latencies: list[float] = []
        lock = threading.Lock()

        def one(i: int) -> None:
            if time.monotonic() > deadline:
                return
            path = SAMPLES[i % len(SAMPLES)]
            start = time.perf_counter()
            try:
                _, page = check(server, path)
            except AssertionError as exc:
                with lock:
                    errors.append(f"upload {i}: {exc}"[:200])
                return
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                # The page's head names the file checked (the 自查结果单's 文件 line): never another upload's
                if page.status != 200 or f"<th>文件</th><td>{html.escape(path.name)}</td>" not in page.text or \
                        (expected[path] and expected[path] not in page.text):
                    errors.append(f"upload {i}: status {page.status}, not the page of {path.name}")

        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(one, range(args.uploads)))
        wall = time.perf_counter() - started
        stop.set()
        sampler.join()
        print(f"load: {len(latencies)} uploads from {args.clients} concurrent clients, {args.jobs} workers, "
              f"{wall:.1f} s ({len(latencies) / wall:.1f} uploads/s)")
        print(f"  latency p50 {_pct(latencies, 0.5) * 1000:.0f} ms, p95 {_pct(latencies, 0.95) * 1000:.0f} ms, "
              f"max {max(latencies) * 1000:.0f} ms")
        print(f"  errors: {len(errors)}" + "".join(f"\n    {e}" for e in errors[:10]))
        print(f"  server process tree peak RSS: {peak[0] / 1024 ** 2:.0f} MB")


if __name__ == "__main__":
    main()
