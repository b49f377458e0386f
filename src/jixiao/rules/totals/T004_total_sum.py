"""T004 总分不等于各类别得分之和。

依据：总分 = 预算执行率得分 + 产出、效益、满意度各一级指标得分。

反例::

    10 + 50 + 29 + 10 = 99，总分写 100。

正例::

    总分写 99。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule


@rule("T004", "total-sum", Severity.ERROR, "总分不等于各类别得分之和")
def check(ctx: Context) -> Iterable[Hit]:
    """The claimed total against the sum of the claimed category scores."""
    total = ctx.model.total
    if total is None or total.value is None:
        return
    parts = [c.claimed for c in ctx.card.categories if c.claimed is not None]
    if not parts:
        return
    expected = round(sum(parts), 6)
    if abs(total.value - expected) > ctx.profile.sum_tolerance:
        yield Hit(total.loc, f"总分写 {total.value:g}，各类别得分之和为 {expected:g}", expected, total.value)
