"""C008 指标的分值与批复的权重不同。

依据：批复表写了权重（分值）的（重庆的审批表、部门预算系统导出的 权重），自评表的分值应与之一致；挪动分值会改变总分。
批复表没有权重的，本规则不适用。

反例：

    批复“维持时效”权重 20，自评表分值写 10。

正例：

    分值与批复的权重一致。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule
from jixiao.rules.targets import pairs_of


@rule("C008", "weight-changed", Severity.WARNING, "指标的分值与批复的权重不同",
    needs=("indicators", "row_weights", "weights"),
    reads=("scoring.rename_similarity", "scoring.sum_tolerance"))
def check(ctx: Context) -> Iterable[Hit]:
    """A row's 分值 against the approved weight, where the approved table has one."""
    tol = ctx.profile.sum_tolerance
    for approval, p in pairs_of(ctx, "same", "moved", "renamed"):
        if p.mine is None or p.approved is None:
            continue
        approved, mine = p.approved.weight.value, p.mine.weight.value
        if approved is None or mine is None or abs(approved - mine) <= tol:
            continue
        cell = approval.where(p.approved.weight.loc)
        yield Hit(p.mine.weight.loc, f"“{p.mine.name.text}”分值写 {mine:g}，批复的权重为 {approved:g}（{cell}）",
                  approved, mine, cell)
