"""T007 一级指标得分高于其分值。

依据：一级指标的得分是其下各三级指标得分之和，不能超过这个一级指标的分值。三级指标写了分值的表，逐项的上限由 I003
核对；只在一级指标写分值的表（“产出指标（50分）”），本规则核对一级指标的得分合计。

反例：

    “产出指标（50分）”下各三级指标得分合计 52。

正例：

    各三级指标得分合计不超过 50。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule


@rule("T007", "category-over-weight", Severity.ERROR, "一级指标得分高于其分值",
    needs=("indicators", "scores"),
    reads=("[level2]", "[level2_aliases]", "[weights]", "scoring.decimals", "scoring.sum_tolerance"))
def check(ctx: Context) -> Iterable[Hit]:
    """A category whose rows carry no 分值: its rows' scores must not add up to more than its own 分值."""
    for cat in ctx.card.categories:
        if cat.rows_weighted or cat.weight is None or cat.claim is None:
            continue  # rows with a 分值 each: I003 caps every row
        if cat.claimed_rows > cat.weight + ctx.profile.sum_tolerance:
            yield Hit(cat.claim.weight.loc, f"{cat.name}得分合计 {cat.claimed_rows:g}，高于其分值 {cat.weight:g}",
                      cat.weight, round(cat.claimed_rows, 6))
