"""What is at stake in each table, and the 复核 sample: the officer's order of work.

A finance bureau cannot re-check every self-evaluation; it takes the risky ones first and a share of the rest.
Each checked table gets a :class:`~jixiao.findings.Stake`:

    rank 0  its grade changes on re-scoring (优 → 良 changes how next year's budget is treated)
    rank 1  it is over-scored: the self-score exceeds the re-score
    rank 2  it lowered approved targets (--targets: the profile's [priority] lowered_codes)
    rank 3  it could not be read (it goes back to the agency whatever it says)
    rank 4  the rest

and, within a rank, its points: the over-scored points weighed by the money concerned (全年预算数 ÷
money_scale, at least money_floor), plus the lowered targets, errors and warnings, each by the profile's
[priority]. Reports list tables in that order and say the reason in words; nothing here prints.

The 复核 sample (``--sample 20%`` or a count) takes every table whose grade changes, then draws from the other
readable tables with a weight of sample_base + points, without replacement (Efraimidis–Spirakis: each table's
key is u^(1/weight), the largest keys win). Each table's u comes from the seed and the table's own name (its
path relative to the checked folder and its sheet), never from the order the tables were checked in: the same
folder and seed give the same picks, whatever the machine or the number of workers.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

from jixiao.errors import JixiaoError
from jixiao.findings import Picked, Sample, Stake, WorkbookResult
from jixiao.profile import Profile
from jixiao.values import plain_number

GRADE_CHANGE, OVER, LOWERED, UNREAD, REST = range(5)
SEED_DIGITS = 6  # a seed is short enough to copy from the sheet into --seed


def stake_of(result: WorkbookResult, profile: Profile) -> Stake:
    """What is at stake in ``result`` by ``profile``'s [priority]."""
    weigh = profile.priority
    if result.status == "unreadable":
        return Stake(UNREAD, 0.0, "无法读取，需退回重报")
    s = result.score
    change = ""
    if s is not None and s.recomputed_grade:
        claimed = s.claimed_grade or (profile.grade_for(s.claimed_total) if s.claimed_total is not None else None)
        if claimed and claimed != s.recomputed_grade:
            change = f"{claimed}→{s.recomputed_grade}"
    difference = s.difference if s is not None else None
    over = difference if difference is not None and difference > profile.score_tolerance else None
    money = s.budget if s is not None else None
    lowered = sum(f.code in weigh.lowered_codes for f in result.findings)
    points = ((over or 0.0) * max(money or 0.0, weigh.money_floor) / weigh.money_scale
              + lowered * weigh.lowered_points + result.errors * weigh.error_points
              + result.warnings * weigh.warning_points)
    parts = []
    if change:
        parts.append(f"等级 {change}" + ("" if s is not None and s.claimed_grade else "（按自评总分）"))
    if over is not None:
        parts.append(f"多计 {_number(over)} 分")
    elif difference is not None and difference < -profile.score_tolerance:
        parts.append(f"少计 {_number(-difference)} 分")
    if over is not None or change:
        parts.append(f"涉及资金 {_number(money)} 万元" if money is not None else "未写全年预算数")
    if lowered:
        parts.append(f"降低批复目标 {lowered} 项")
    if not parts:
        counts = [f"{n} 个{what}" for n, what in ((result.errors, "错误"), (result.warnings, "警告")) if n]
        parts.append("，".join(counts) if counts else "没有问题")
    rank = GRADE_CHANGE if change else OVER if over is not None else LOWERED if lowered else REST
    return Stake(rank, round(points, 6), "；".join(parts), change, over, money, lowered)


def with_stakes(results: Sequence[WorkbookResult], profile: Profile) -> list[WorkbookResult]:
    """Every result with its stake (once the run's checks, cross-file rules and accepted findings are done)."""
    return [replace(r, stake=stake_of(r, profile)) for r in results]


def by_stake(results: Sequence[WorkbookResult]) -> list[WorkbookResult]:
    """The officer's order: by rank, then most points first; ties by path and sheet."""
    return sorted(results, key=lambda w: (w.stake.rank if w.stake else REST, -(w.stake.points if w.stake else 0.0),
                                          w.path, w.sheet or ""))


_ASKED = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([%％]?)\s*$")


def parse_asked(text: str) -> str:
    """``--sample``'s value as written back on the sheet (“20%”, “15”), or a Chinese error."""
    match = _ASKED.match(text)
    if not match:
        raise JixiaoError(f"--sample 应写成百分比（如 20%）或张数（如 15），实际为“{text}”")
    number, percent = match.groups()
    if percent:
        if not 0 < float(number) <= 100:
            raise JixiaoError(f"--sample 的百分比应在 0 到 100 之间，实际为“{text}”")
        return f"{float(number):g}%"
    if "." in number or int(number) < 1:
        raise JixiaoError(f"--sample 的张数应为正整数，实际为“{text}”")
    return str(int(number))


def new_seed() -> int:
    """A seed for a draw none was given for (written on the sheet, to repeat the draw with --seed)."""
    return secrets.randbelow(10 ** SEED_DIGITS)


def draw(results: Sequence[WorkbookResult], asked: str, seed: int, profile: Profile) -> Sample:
    """The 复核 sample from ``results`` (with their stakes): every grade change, then a weighted draw from the
    other readable tables up to ``asked`` (“20%” of the readable tables, rounded up, or a count)."""
    from jixiao.outputs import root_of

    readable = by_stake([r for r in results if r.status != "unreadable"])
    size = min(len(readable), math.ceil(len(readable) * Fraction(asked[:-1]) / 100) if asked.endswith("%")
               else int(asked))  # exact: 64.4% of 250 is 161, not ceil(161.00000000000003)
    root = str(root_of(r.path for r in results))
    must: list[WorkbookResult] = []
    rest: list[WorkbookResult] = []
    for r in readable:
        (must if r.stake is not None and r.stake.rank == GRADE_CHANGE else rest).append(r)
    keyed = []
    for r in rest:
        weight = profile.priority.sample_base + (r.stake.points if r.stake is not None else 0.0)
        name = f"{os.path.relpath(os.path.abspath(r.path), root)}\0{r.sheet or ''}".replace("\\", "/")
        # log(u)/weight orders as u^(1/weight) does; a table of weight 0 comes last (drawn only when needed)
        keyed.append((math.log(_uniform(seed, name)) / weight if weight > 0 else -math.inf, r, weight))
    keyed.sort(key=lambda k: (-k[0], k[1].path, k[1].sheet or ""))
    picked = [Picked(r.path, r.sheet, "等级变化") for r in must]
    picked += [Picked(r.path, r.sheet, "加权抽取", round(weight, 6)) for _, r, weight in keyed[:max(0, size - len(must))]]
    return Sample(asked, seed, len(readable), size, tuple(picked))


def _uniform(seed: int, name: str) -> float:
    """A number in (0, 1) that only ``seed`` and the table's ``name`` decide."""
    digest = hashlib.sha256(f"{seed}\0{name}".encode()).digest()
    return (int.from_bytes(digest[:8], "big") + 1) / (2 ** 64 + 2)


def _number(value: float | None) -> str:
    return plain_number(value, 2)
