"""T002 各项分值合计不等于满分（100）。

依据：预算执行率分值与全部三级指标分值之和应为满分 100 分（配置文件 scoring.total）。

反例：

    三级指标分值合计 85，加预算执行率 10，共 95 分。

正例：

    合计 100 分。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, ends_early, rule


@rule("T002", "weights-total", Severity.ERROR, "分值合计不等于满分",
    needs=("indicators", "scores", "weights"),
    reads=("scoring.sum_tolerance", "scoring.total"))
def check(ctx: Context) -> Iterable[Hit]:
    """Budget weight plus all indicator weights must equal the profile's total."""
    if not ctx.model.indicators:
        return
    # The rows themselves, not the category lines: a category line without rows must not count twice.
    total = ctx.card.weights_total
    if total < ctx.profile.total and ends_early(ctx) is not None:
        return  # the rows that would make up the rest are not in the table: S012 says so
    if abs(total - ctx.profile.total) > ctx.profile.sum_tolerance:
        claim = ctx.model.claims.get("总分")
        loc = claim.weight.loc if claim and claim.weight.loc.cell else ctx.model.anchor("weights")
        yield Hit(loc, f"预算执行率与各三级指标分值合计 {total:g} 分，应为 {ctx.profile.total:g} 分",
                  ctx.profile.total, total)
