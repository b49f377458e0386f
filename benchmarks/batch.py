"""Benchmark a batch: time `jixiao check DIR --summary --json` end to end on two corpora, with baselines.

    python benchmarks/batch.py --n 1000 [--corpus template|generated|both] [--jobs 1 2] [--plain] [--floor]

Two corpora of N workbooks, both from the same synthetic specs (5–30 indicators; about half clean, the
rest with one to three defects: over-scoring, fund rows that do not add up, wrong grade, unit mismatch,
placeholders…):

- ``template``: what users have. N specs written through the real template builder
  (jixiao.template.build.write_workbook: data validations, 30 formatted blank indicator rows); with
  ``--distinct K`` only K of them, copied up to N files.
- ``generated``: N distinct workbooks written with xlsxwriter in the template layout, content only (no
  dropdowns or styling; openpyxl would take minutes for 10,000).

Every measurement runs in its own process, in interleaved rounds (this machine's speed drifts during a
day); medians are printed, with the peak resident memory of the whole process tree. ``--plain`` also
times a script that only reads the same files with pandas.read_excel(sheet_name=None, engine="calamine");
``--floor`` runs benchmarks/floor.py on them in process: the minimal floor (python-calamine + a minimal
parse/score/rules loop, no pandas), the same-work floor (jixiao without its pandas/pandera table rules)
and jixiao itself. Ratios are computed from figures of the same run only.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import shutil
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
    """Write n workbooks into folder with xlsxwriter (reused when already there); returns seconds spent."""
    if _reuse(folder, n):
        return 0.0
    rnd = random.Random(seed)
    start = time.perf_counter()
    for i in range(n):
        write_fast(folder / f"wb{i:05d}.xlsx", make_spec(i, rnd))
    return time.perf_counter() - start


def _reuse(folder: Path, n: int) -> bool:
    """True when ``folder`` already holds n workbooks; otherwise empty it for a new corpus."""
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("*.xlsx"))
    if len(existing) == n:
        return True
    for old in existing:
        old.unlink()
    return False


def generate_from_template(folder: Path, n: int, distinct: int | None = None, seed: int = 2025) -> float:
    """Write workbooks through the real template builder: n different ones, or ``distinct`` different ones
    copied up to n files.

    This is what users have: every workbook made from ``jixiao template`` carries the template's data
    validations (dropdowns) and 30 formatted blank indicator rows. openpyxl writes one in ~13 ms per core
    (2026-11-27), so by default every file differs: copies would let caches of repeated text help more
    than a real batch does.
    """
    from jixiao.template.build import write_workbook

    if _reuse(folder, n):
        return 0.0
    rnd = random.Random(seed)
    start = time.perf_counter()
    if distinct is None or distinct >= n:
        specs = [(folder / f"wb{i:05d}.xlsx", make_spec(i, rnd)) for i in range(n)]
    else:
        seeds = folder.parent / f"seeds{distinct}"
        seeds.mkdir(exist_ok=True)
        specs = [(seeds / f"t{i:05d}.xlsx", make_spec(i, rnd)) for i in range(distinct)]
    with multiprocessing.Pool() as pool:  # one openpyxl writer per core
        made = pool.starmap(write_workbook, specs, chunksize=8)
    if distinct is not None and distinct < n:
        for i in range(n):
            shutil.copyfile(made[i % len(made)], folder / f"wb{i:05d}.xlsx")
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
    pd.read_excel(p, sheet_name=None, engine='calamine')
"""
FLOOR = Path(__file__).resolve().parent / "floor.py"


def _floor_ms(folder: Path, mode: str = "minimal") -> float:
    """In-process milliseconds per workbook of benchmarks/floor.py on ``folder`` in ``mode``."""
    out = subprocess.run([sys.executable, str(FLOOR), str(folder), "--mode", mode], capture_output=True, text=True,
                         check=True)
    return float(out.stdout.split("per_workbook_ms=")[1].split()[0])


def machine() -> str:
    """Date, core count, CPU model and Python: printed with every set of figures."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() \
        else platform.processor()
    return (f"{time.strftime('%Y-%m-%d %H:%M')}; nproc {len(os.sched_getaffinity(0))}; {model}; "
            f"CPython {platform.python_version()}, {platform.system()} {platform.release()}")


def _check_cmd(folder: Path, out: Path, jobs: int | None) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    return [sys.executable, "-m", "jixiao", "check", str(folder), "-q",
            *(["--jobs", str(jobs)] if jobs else []),
            "--summary", str(out / "汇总.xlsx"), "--json", str(out / "report.json")]


def main() -> None:
    """Generate the corpora, run everything in interleaved rounds, print medians and same-run ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2],
                        help="--jobs values to time (0: the default jixiao picks)")
    parser.add_argument("--corpus", choices=("template", "generated", "both"), default="both")
    parser.add_argument("--dir", default="/tmp/jixiao-bench")
    parser.add_argument("--plain", action="store_true",
                        help="also time pandas.read_excel(sheet_name=None, engine='calamine') of the same files")
    parser.add_argument("--floor", action="store_true", help="also run benchmarks/floor.py on the same files")
    parser.add_argument("--no-small", action="store_true", help="skip the 10-workbook run (marginal cost)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds; medians are reported")
    parser.add_argument("--distinct", type=int, default=None,
                        help="template corpus: only this many different workbooks, copied up to --n "
                             "(default: every file differs, as in a real batch)")
    args = parser.parse_args()
    root = Path(args.dir)
    print(machine())
    kinds = ["template", "generated"] if args.corpus == "both" else [args.corpus]
    folders: dict[str, tuple[Path, Path]] = {}
    for kind in kinds:
        # A corpus of other distinct workbooks lives in its own folder (a reused folder is only counted).
        base = root / (kind if kind != "template" else
                       "template-distinct" if args.distinct is None else f"template-copies{args.distinct}")
        small, big = base / "n10", base / f"n{args.n}"
        if kind == "template":
            gen = generate_from_template(small, 10, args.distinct) + generate_from_template(big, args.n, args.distinct)
        else:
            gen = generate(small, 10) + generate(big, args.n)
        print(f"{kind}: generated in {gen:.1f} s: {big}" if gen else f"{kind}: reusing {big}")
        folders[kind] = (small, big)
    runs: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _ in range(max(1, args.repeat)):
        for kind, (small, big) in folders.items():
            for jobs in args.jobs:
                for label, folder in (("n", big), ("10", small)):
                    if label == "10" and args.no_small:
                        continue
                    cmd = _check_cmd(folder, root / "out" / f"{kind}-{label}-j{jobs}", jobs or None)
                    runs.setdefault((kind, f"jixiao j{jobs or 'default'} {label}"), []).append(timed(cmd))
            if args.plain:
                runs.setdefault((kind, "pandas"), []).append(timed([sys.executable, "-c", PLAIN_READ, str(big)]))
            if args.floor:
                runs.setdefault((kind, "floor wall"), []).append(timed([sys.executable, str(FLOOR), str(big)]))
                for mode in ("minimal", "same-work", "jixiao"):
                    runs.setdefault((kind, f"in-process {mode}"), []).append((_floor_ms(big, mode), 0.0))
    _print(runs, args.n, args.repeat)


def _print(runs: dict[tuple[str, str], list[tuple[float, float]]], n: int, repeat: int) -> None:
    med = {k: (statistics.median(r[0] for r in v), max(r[1] for r in v)) for k, v in runs.items()}
    print(f"{n} workbooks per corpus, median of {repeat} interleaved rounds (wall s, peak MB of the process tree)")
    for (kind, what), (wall, peak) in med.items():
        if what.startswith("in-process"):
            print(f"  {kind:<10} {what:<24}{wall:7.3f} ms/workbook")
        elif not what.endswith(" 10"):
            print(f"  {kind:<10} {what:<24}{wall:7.2f} s  {n / wall:5.0f}/s  peak {peak:4.0f} MB")
    for kind in dict.fromkeys(k for k, _ in med):
        inproc = {m: med[(kind, f"in-process {m}")][0] for m in ("minimal", "same-work", "jixiao")
                  if (kind, f"in-process {m}") in med}
        if len(inproc) == 3:
            print(f"  {kind:<10} in process, per workbook: jixiao/minimal floor {inproc['jixiao'] / inproc['minimal']:4.2f}"
                  f"  jixiao/same-work floor {inproc['jixiao'] / inproc['same-work']:4.2f}")
        plain = med.get((kind, "pandas"), (None,))[0]
        floor = inproc.get("minimal")
        for what, (wall, _) in med.items():
            if what[0] != kind or not what[1].startswith("jixiao") or not what[1].endswith(" n"):
                continue
            small = med.get((kind, what[1][:-2] + " 10"))
            line = f"  {kind:<10} {what[1][:-2]:<20}"
            if plain:
                line += f" jixiao/pandas {wall / plain:4.2f}"
            if small:
                marginal = (wall - small[0]) / (n - 10) * 1000
                line += f"  marginal {marginal:5.2f} ms/workbook"
                if floor:
                    line += f"  marginal/floor {marginal / floor:4.2f}"
            if plain or small:
                print(line)


if __name__ == "__main__":
    main()
