"""C006 指标不在批复的绩效目标表中。

依据：自评按批复的指标进行；自行增加的指标（常是容易完成的）不在批复之列，得分不能替代批复的指标。

反例：

    批复没有“资金拨付及时率”，自评表加了这一项并计满分。

正例：

    自评表的指标都在批复中；需要增加的，按程序调整批复。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule
from jixiao.rules.targets import pairs_of


@rule("C006", "indicator-added", Severity.WARNING, "指标不在批复的绩效目标表中",
    needs=("indicators",),
    reads=("scoring.rename_similarity",))
def check(ctx: Context) -> Iterable[Hit]:
    """A self-evaluated indicator with no approved one."""
    for approval, p in pairs_of(ctx, "added"):
        if p.mine is None:
            continue
        name = approval.where(approval.info["name"].loc) if "name" in approval.info else approval.table
        yield Hit(p.mine.name.loc, f"“{p.mine.name.text}”不在批复的绩效目标表（{approval.table}）中", None,
                  p.mine.name.text, name)
