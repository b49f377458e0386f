"""C001 年度指标值低于批复的绩效目标。

依据：财预〔2015〕88号第二十八、二十九条：绩效目标确定后一般不予调整，确需调整的按程序报批；单位按批复的绩效目标开展
绩效自评。自评表把指标值改得比批复的容易达到（≥ 的改低、≤ 的改高），就按改过的目标给自己打了满分。比较前统一单位
（250万 = 2,500,000元）。本规则同时给出按批复目标重算的得分。

反例：

    批复“受益户数 ≥1000户”，自评表写“≥800户”，实际 850户，计满分。

正例：

    自评表照批复写“≥1000户”，实际 850户，按 850/1000 计分。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule
from jixiao.rules.targets import pairs_of


@rule("C001", "target-lowered", Severity.ERROR, "年度指标值低于批复的绩效目标",
    needs=("indicators", "targets"),
    reads=("scoring.rename_similarity",))
def check(ctx: Context) -> Iterable[Hit]:
    """A target written easier to meet than the approved one."""
    rows = ctx.card.approved_rows or {}
    for approval, p in pairs_of(ctx, "same", "moved", "renamed"):
        if p.change != "lowered" or p.mine is None or p.approved is None:
            continue
        mine, approved = p.mine, p.approved
        cell = approval.where(approved.target.loc)
        rescored = rows.get(mine.position)
        score = f"，按批复目标应得 {rescored:g} 分（自评 {mine.score.text or '空白'}）" \
            if rescored is not None and ctx.model.scored and mine.weight.value is not None else ""
        yield Hit(mine.target.loc, f"“{mine.name.text}”年度指标值写 {mine.target.text}，批复的绩效目标为 "
                  f"{approved.target.text}（{cell}）：指标值被调低{score}", approved.target.text, mine.target.text, cell)
