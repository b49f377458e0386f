"""C002 年度指标值与批复的绩效目标不同。

依据：财预〔2015〕88号第二十八条：绩效目标确定后一般不予调整。调高了的、定性目标换了说法的、“=”目标改了数的、
自评表空着指标值的，都与批复不一致：请照批复填写，或附上调整批复。调低了的见 C001。

反例：

    批复“验收合格率 100%”，自评表写“≥95%”以外的“98%”；批复“持续改善”，自评表写“有所改善”。

正例：

    自评表的指标值与批复的一致。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule
from jixiao.rules.targets import pairs_of

_SAID = {"raised": "比批复的高", "changed": "与批复的不同", "blank": "空白"}


@rule("C002", "target-changed", Severity.WARNING, "年度指标值与批复的绩效目标不同",
    needs=("indicators", "targets"),
    reads=("scoring.rename_similarity",))
def check(ctx: Context) -> Iterable[Hit]:
    """A target raised, reworded or left blank against the approved one."""
    for approval, p in pairs_of(ctx, "same", "moved", "renamed"):
        if p.change not in _SAID or p.mine is None or p.approved is None:
            continue
        cell = approval.where(p.approved.target.loc)
        written = f"写 {p.mine.target.text}" if p.change != "blank" else "空白"
        yield Hit(p.mine.target.loc, f"“{p.mine.name.text}”年度指标值{written}，批复的绩效目标为 {p.approved.target.text}"
                  f"（{cell}）：{_SAID[p.change]}，请照批复填写或附调整批复", p.approved.target.text, p.mine.target.text,
                  cell)
