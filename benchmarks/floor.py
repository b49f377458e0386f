"""The floor: what reading and checking a folder of template workbooks costs in plain Python.

    python benchmarks/floor.py FOLDER [--mode minimal|same-work|jixiao|pandas]

The minimal floor (the default) uses no pandas, no pandera, no jixiao: python-calamine reads the four
data sheets of each workbook (as jixiao does), then a minimal parse → score → rules loop runs over plain lists: find each sheet's header
row, read the basic information, check that the fund rows add up and the execution rate's score,
parse each indicator's target and actual value, score it in proportion, add the scores up by first-level
category, and compare them, the total and the grade with what the workbook claims. It is far less than
jixiao checks (no cell-level messages, units, placeholders, profiles…): a lower bound, not a rival.

Prints the wall time of the whole process (start-up included) and the in-process cost per workbook,
so the benchmarks can put jixiao against it. With ``--pandas``, times a script that only reads the same
files with ``pandas.read_excel(sheet_name=None, engine="calamine")`` instead (``--mode pandas``). Two more
modes put jixiao beside it in the same harness: ``same-work`` times jixiao's own read, parse, score and
plain rules with the table rules left out (no pandas, no pandera): the same work as jixiao but for its
pandas/pandera stage; ``jixiao`` times jixiao itself in process, chunk by chunk as a worker runs it.
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
import time
from pathlib import Path
from typing import Any

SHEETS = ("基本信息", "项目资金", "绩效指标", "得分汇总")
GRADES = ((90, "优"), (80, "良"), (60, "中"), (0, "差"))
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        m = _NUMBER.search(value.replace(",", ""))
        return float(m.group()) if m else None
    return None


def _table(rows: list[list[Any]], first: str) -> tuple[dict[str, int], list[list[Any]]]:
    """Header → column index, and the rows below the header (the header is found by its first cell)."""
    for i, row in enumerate(rows[:10]):
        if row and str(row[0]).strip() == first:
            return {str(h).strip(): j for j, h in enumerate(row)}, rows[i + 1:]
    return {}, []


def check(path: Path) -> list[str]:
    """Read one workbook and return its problems (short ASCII tags)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    sheets = {n: book.get_sheet_by_name(n).to_python(skip_empty_area=False)
              for n in book.sheet_names if n in SHEETS}
    problems: list[str] = []
    if len(sheets) < len(SHEETS):
        return ["missing-sheet"]
    _, info_rows = _table(sheets["基本信息"], "字段")
    info = {str(r[0]).strip(): r[1] for r in info_rows if len(r) > 1 and r[0]}
    for label in ("年度", "项目名称", "主管部门", "实施单位", "自评等级"):
        if info.get(label) in (None, ""):
            problems.append(f"info-missing:{label}")
    head, funds = _table(sheets["项目资金"], "资金类别")
    cols = [head.get(k, -1) for k in ("年初预算数", "全年预算数", "全年执行数")]
    fund_rows = [[_number(r[c]) if 0 <= c < len(r) else None for c in cols] for r in funds[:4]]
    score_rate = 0.0
    if len(fund_rows) == 4:
        for k in range(3):
            parts = [row[k] or 0.0 for row in fund_rows[1:]]
            if abs((fund_rows[0][k] or 0.0) - sum(parts)) > 0.005:
                problems.append("funds-sum")
        budget, executed = fund_rows[0][1] or 0.0, fund_rows[0][2] or 0.0
        weight = _number(funds[0][head.get("分值", -1)]) if head.get("分值", -1) >= 0 else None
        score_rate = round(min(executed / budget, 1.0) * (weight or 0.0), 2) if budget else 0.0
        claimed = _number(funds[0][head["得分"]]) if "得分" in head else None
        if claimed is not None and abs(claimed - score_rate) > 0.005:
            problems.append("rate-score")
    head, indicators = _table(sheets["绩效指标"], "一级指标")
    by_level1: dict[str, float] = {}
    for r in indicators:
        row = [r[head[h]] if h in head and head[h] < len(r) else None
               for h in ("一级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")]
        level1, name, target_text, actual_text, weight_v, score_v = row
        if not name:
            continue
        target, actual, weight = _number(target_text), _number(actual_text), _number(weight_v) or 0.0
        reverse = isinstance(target_text, str) and ("≤" in target_text or "<=" in target_text)
        if target is None or actual is None:
            expected = weight
        elif reverse:
            expected = weight if actual <= target else round(weight * target / actual, 2) if actual else weight
        else:
            expected = weight if actual >= target else round(weight * actual / target, 2) if target else weight
        claimed = _number(score_v)
        if claimed is None:
            problems.append("score-blank")
        elif claimed > expected + 0.005:
            problems.append("over-scored")
        by_level1[str(level1)] = by_level1.get(str(level1), 0.0) + expected
    head, summary = _table(sheets["得分汇总"], "指标类别")
    total = score_rate + sum(by_level1.values())
    for r in summary:
        if not r or not r[0]:
            continue
        claimed = _number(r[head.get("得分", 2)]) if len(r) > head.get("得分", 2) else None
        expected = total if r[0] == "总分" else score_rate if r[0] == "预算执行率" else by_level1.get(str(r[0]))
        if claimed is not None and expected is not None and claimed > expected + 0.005:
            problems.append(f"summary:{r[0]}")
    grade = next(g for floor, g in GRADES if total >= floor)
    if str(info.get("自评等级", ""))[:1] != grade:
        problems.append("grade")
    return problems


_SAME_WORK: dict[str, Any] = {}


def same_work(path: Path) -> list[str]:
    """jixiao's own read (zip guard, merged cells, formulas), parse, score and plain rules, in plain Python,
    with the table rules left out: what jixiao costs if its pandas/pandera stage cost nothing."""
    if not _SAME_WORK:
        from jixiao.check.runner import load
        from jixiao.profile import load_profile
        from jixiao.rules.registry import Context, load_rules

        _SAME_WORK.update(load=load, profile=load_profile(), Context=Context,
                          rules=[r for r in load_rules().values() if r.check is not None])
    out = []
    for item in _SAME_WORK["load"](path, _SAME_WORK["profile"]):
        if item.model is None:
            out.append("unreadable")
            continue
        ctx = _SAME_WORK["Context"](item.model, item.card, _SAME_WORK["profile"])
        out += [rule.code for rule in _SAME_WORK["rules"] for _ in rule.check(ctx)]
    return out


def read_with_pandas(path: Path) -> None:
    """Only read the workbook with pandas (the baseline the issue names)."""
    import pandas as pd

    pd.read_excel(path, sheet_name=None, engine="calamine")


def jixiao_chunks(paths: list[Path]) -> int:
    """jixiao itself, in process, as a worker runs it: chunks of up to MAX_CHUNK files, table rules included."""
    from jixiao.check.batch import MAX_CHUNK
    from jixiao.check.runner import check_chunk
    from jixiao.profile import load_profile

    profile = load_profile()
    found = 0
    for i in range(0, len(paths), MAX_CHUNK):
        found += sum(bool(r.findings) for r in check_chunk(paths[i:i + MAX_CHUNK], profile))
        gc.collect()  # as a worker does after each chunk (its collector is off while it checks)
    return found


def main() -> None:
    """Check (or only read) every .xlsx in FOLDER one of four ways and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--mode", choices=("minimal", "same-work", "jixiao", "pandas"), default="minimal",
                        help="minimal: the loop above; same-work: jixiao without its table rules (same_work); "
                             "jixiao: jixiao itself in process; pandas: only pandas.read_excel(calamine)")
    args = parser.parse_args()
    started = time.perf_counter()
    paths = sorted(Path(args.folder).glob("*.xlsx"))
    if args.mode == "pandas":
        import pandas  # noqa: F401  (timed apart from the per-workbook loop)
    else:
        import python_calamine  # noqa: F401
    if args.mode in ("same-work", "jixiao") and paths:
        # As a jixiao worker runs (check/batch.py _worker): imports and caches warm, what is loaded frozen,
        # the collector off while checking (jixiao_chunks collects after each chunk, as a worker does).
        same_work(paths[0]) if args.mode == "same-work" else jixiao_chunks(paths[:1])
        gc.freeze()
        gc.disable()
    loop = time.perf_counter()
    if args.mode == "jixiao":
        found = jixiao_chunks(paths)
    else:
        work = {"minimal": check, "same-work": same_work, "pandas": read_with_pandas}[args.mode]
        found = sum(bool(work(path)) for path in paths)
    done = time.perf_counter()
    print(f"files={len(paths)} with_problems={found} per_workbook_ms={(done - loop) / max(1, len(paths)) * 1000:.3f} "
          f"in_process_s={done - started:.3f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
