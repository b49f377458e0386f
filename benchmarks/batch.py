"""Benchmark a batch: generate N varied workbooks, then time `jixiao check DIR --summary --json` end to end.

    python benchmarks/batch.py --n 1000 [--jobs 2] [--dir /tmp/jixiao-bench]

Workbooks differ in size (5–30 indicators) and in content: about half are clean, the rest carry one or
more defects (over-scoring, fund rows that do not add up, wrong grade, unit mismatch, placeholders…).
They are written with xlsxwriter in the template layout (openpyxl would take minutes for 10,000).

Prints: generation time, wall time of the run, workbooks/s, marginal cost per workbook (against a run
of 10 workbooks), peak resident memory of the whole process tree, and the time a plain script takes to
merely read the same workbooks with pandas.read_excel(engine="calamine").
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import xlsxwriter

from jixiao.template.spec import (
    FUND_ROW_KEYS,
    FUNDS,
    HELP_SHEET,
    INDICATORS,
    INFO,
    INFO_FIELDS,
    SUMMARY,
    SUMMARY_ROWS,
)

LEVELS = [("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"), ("产出指标", "成本指标"),
          ("效益指标", "社会效益指标"), ("效益指标", "可持续影响指标"), ("满意度指标", "服务对象满意度指标")]
WEIGHTS = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}


def _split(total: int, parts: int, rnd: random.Random) -> list[int]:
    cuts = sorted(rnd.sample(range(1, total), parts - 1)) if parts > 1 else []
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def make_spec(i: int, rnd: random.Random) -> dict[str, Any]:
    """One synthetic self-evaluation; ``i`` keeps names unique."""
    n = rnd.randint(5, 30)
    per = {"产出指标": max(2, n * 5 // 10), "效益指标": max(2, n * 3 // 10)}
    per["满意度指标"] = max(1, n - per["产出指标"] - per["效益指标"])
    indicators, scores = [], {}
    for level1, count in per.items():
        weights = _split(WEIGHTS[level1], min(count, WEIGHTS[level1]), rnd)
        options = [lv for lv in LEVELS if lv[0] == level1]
        total = 0.0
        for k, w in enumerate(weights):
            level2 = options[k % len(options)][1]
            target = rnd.choice([100, 95, 90, 500, 1200, 12])
            actual = target if rnd.random() < 0.8 else round(target * rnd.uniform(0.7, 0.99))
            score = w if actual >= target else round(w * actual / target, 2)
            unit = "%" if target <= 100 and target != 12 else ("个月" if target == 12 else "人次")
            indicators.append({"level1": level1, "level2": level2, "name": f"{level2}{k + 1}", "kind": "定量正向",
                               "target": f"≥{target}{unit}", "actual": f"{actual}{unit}", "weight": w,
                               "score": score, "reason": "" if actual >= target else "部分任务顺延"})
            total += score
        scores[level1] = round(total, 2)
    budget = rnd.choice([100, 233, 480, 1200])
    executed = budget if rnd.random() < 0.7 else round(budget * rnd.uniform(0.8, 1.0), 2)
    rate = executed / budget
    funds = {"total": {"initial": budget, "budget": budget, "executed": executed, "weight": 10, "rate": rate,
                       "score": round(rate * 10, 2)},
             "current": {"initial": budget, "budget": budget, "executed": executed},
             "carryover": {"initial": 0, "budget": 0, "executed": 0}, "other": {"initial": 0, "budget": 0, "executed": 0}}
    total = round(funds["total"]["score"] + sum(scores.values()), 2)
    grade = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"
    spec: dict[str, Any] = {
        "info": {"template_version": "JX-2025.1", "year": 2025, "name": f"合成项目{i:05d}",
                 "department": f"某县第{i % 40}局", "unit": f"某县单位{i:05d}", "grade": grade},
        "funds": funds, "indicators": indicators,
        "summary": {"预算执行率": {"weight": 10, "score": funds["total"]["score"]},
                    **{k: {"weight": WEIGHTS[k], "score": v} for k, v in scores.items()},
                    "总分": {"weight": 100, "score": total}},
    }
    if rnd.random() < 0.5:
        _defect(spec, rnd)
    return spec


def _defect(spec: dict[str, Any], rnd: random.Random) -> None:
    for _ in range(rnd.randint(1, 3)):
        kind = rnd.randrange(6)
        ind = rnd.choice(spec["indicators"])
        if kind == 0:
            ind["actual"] = ind["target"].lstrip("≥").replace("100", "98")
        elif kind == 1:
            spec["funds"]["total"]["initial"] = 0
        elif kind == 2:
            spec["info"]["grade"] = "优秀" if spec["info"]["grade"] != "优" else "良好"
        elif kind == 3:
            ind["actual"] = ind["actual"].replace("%", "个")
        elif kind == 4:
            ind["target"] = "≥**"
        else:
            spec["summary"]["总分"]["score"] = 100


def write_fast(path: Path, spec: dict[str, Any]) -> None:
    """The template layout written with xlsxwriter (no dropdowns or styling: content only)."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    book.add_worksheet(HELP_SHEET).write_string(0, 0, "合成样例")
    ws = book.add_worksheet(INFO.name)
    for c, col in enumerate(INFO.columns):
        ws.write(0, c, col.header)
    for r, fld in enumerate(INFO_FIELDS, start=1):
        ws.write(r, 0, fld.label)
        value = spec["info"].get(fld.key)
        if value is not None:
            ws.write(r, 1, value)
    for sheet, rows in ((FUNDS, [(label, spec["funds"].get(key, {})) for key, label in zip(FUND_ROW_KEYS, FUNDS.fixed_rows, strict=True)]),
                        (SUMMARY, [(label, spec["summary"].get(label, {})) for label in SUMMARY_ROWS])):
        ws = book.add_worksheet(sheet.name)
        for c, col in enumerate(sheet.columns):
            ws.write(0, c, col.header)
        for r, (label, values) in enumerate(rows, start=1):
            ws.write(r, 0, label)
            for c, col in enumerate(sheet.columns[1:], start=1):
                if values.get(col.key) not in (None, ""):
                    ws.write(r, c, values[col.key])
    ws = book.add_worksheet(INDICATORS.name)
    for c, col in enumerate(INDICATORS.columns):
        ws.write(0, c, col.header)
    for r, ind in enumerate(spec["indicators"], start=1):
        for c, col in enumerate(INDICATORS.columns):
            if ind.get(col.key) not in (None, ""):
                ws.write(r, c, ind[col.key])
    book.close()


def generate(folder: Path, n: int, seed: int = 2025) -> float:
    """Write n workbooks into folder (reused when already there); returns seconds spent."""
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("*.xlsx"))
    if len(existing) == n:
        return 0.0
    for old in existing:
        old.unlink()
    rnd = random.Random(seed)
    start = time.perf_counter()
    for i in range(n):
        write_fast(folder / f"wb{i:05d}.xlsx", make_spec(i, rnd))
    return time.perf_counter() - start


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
            for task in Path(f"/proc/{p}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak MB of the process tree) of one command."""
    peak = 0
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.02)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    proc.wait()
    wall = time.perf_counter() - start
    done.set()
    thread.join()
    return wall, peak / 1024


def median_timed(cmd: list[str], repeat: int) -> tuple[float, float]:
    """Median wall time and the highest peak memory over ``repeat`` runs (this machine is shared)."""
    runs = [timed(cmd) for _ in range(max(1, repeat))]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


PLAIN_READ = """
import sys, pathlib, pandas as pd
for p in sorted(pathlib.Path(sys.argv[1]).glob('*.xlsx')):
    pd.read_excel(p, sheet_name=None, header=None, engine='calamine')
"""


def main() -> None:
    """Generate, run, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dir", default="/tmp/jixiao-bench")
    parser.add_argument("--plain", action="store_true", help="also time the plain pandas.read_excel script")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is reported")
    args = parser.parse_args()
    root = Path(args.dir)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()}")
    small, big = root / "n10", root / f"n{args.n}"
    gen = generate(small, 10) + generate(big, args.n)
    print(f"generated {args.n} workbooks in {gen:.1f} s" if gen else f"reusing {args.n} workbooks in {big}")
    results = {}
    for folder in (small, big):
        out = root / f"out-{folder.name}-j{args.jobs}"
        out.mkdir(exist_ok=True)
        cmd = [sys.executable, "-m", "jixiao", "check", str(folder), "-q", "--jobs", str(args.jobs),
               "--summary", str(out / "汇总.xlsx"), "--json", str(out / "report.json")]
        results[folder.name] = median_timed(cmd, args.repeat)
    wall, peak = results[big.name]
    wall10, _ = results[small.name]
    print(f"jixiao check {args.n} (jobs={args.jobs}, summary+json): {wall:.2f} s wall, "
          f"{args.n / wall:.0f} workbooks/s, peak {peak:.0f} MB")
    print(f"marginal cost per workbook: {(wall - wall10) / (args.n - 10) * 1000:.2f} ms (10 workbooks: {wall10:.2f} s)")
    if args.plain:
        plain, plain_peak = median_timed([sys.executable, "-c", PLAIN_READ, str(big)], args.repeat)
        print(f"plain pandas.read_excel(calamine) of the same {args.n}: {plain:.2f} s, peak {plain_peak:.0f} MB; "
              f"ratio jixiao/plain = {wall / plain:.2f}")


if __name__ == "__main__":
    main()
