"""C005 批复的指标在自评表中没有。

依据：财预〔2015〕88号第二十九条：按批复的绩效目标开展绩效自评。批复的指标不能在自评时删去——删去的往往正是没完成的。

反例：

    批复有“受益脱贫户满意度 ≥95%”，自评表没有这一项。

正例：

    批复的每个指标在自评表中都有一行。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule
from jixiao.rules.targets import pairs_of


@rule("C005", "approved-missing", Severity.ERROR, "批复的指标在自评表中没有",
    needs=("indicators",),
    reads=("scoring.rename_similarity",))
def check(ctx: Context) -> Iterable[Hit]:
    """An approved indicator no row of the self-evaluation answers to."""
    anchor = ctx.model.anchor("indicators")
    for approval, p in pairs_of(ctx, "missing"):
        if p.approved is None:
            continue
        cell = approval.where(p.approved.name.loc)
        levels = "/".join(x for x in (p.approved.level1.label, p.approved.level2.label) if x)
        yield Hit(anchor, f"批复的指标“{p.approved.name.text}”（{levels}，指标值 {p.approved.target.text or '空白'}，"
                  f"{cell}）在自评表中没有：批复的指标不能删去", p.approved.name.text, None, cell)
