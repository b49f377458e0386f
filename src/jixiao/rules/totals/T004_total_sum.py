"""T004 总分不等于各类别得分之和。

依据：总分 = 预算执行率得分 + 产出、效益、满意度各一级指标得分（表中没有类别小计的，直接用各行得分之和）。
“应为”给出按规则重算的总分：行上的得分有错时，改一次就到位。分值合计超过满分（T002）、按这些分值打出的得分之和也超过
满分、而总分写成满分的，原因是分值（T002 已报），本规则不再报。

反例：

    10 + 50 + 29 + 10 = 99，总分写 100。

正例：

    总分写 99。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.profile import BUDGET_CATEGORY
from jixiao.rules.registry import Context, Hit, rule


@rule("T004", "total-sum", Severity.ERROR, "总分不等于各类别得分之和",
    needs=("indicators", "scores", "targets"),
    reads=("[level2]", "[level2_aliases]", "[qualitative]", "[weights]", "scoring.budget_rate_cap",
           "scoring.decimals", "scoring.equal_tolerance", "scoring.fraction_max", "scoring.sum_tolerance",
           "scoring.total"))
def check(ctx: Context) -> Iterable[Hit]:
    """The claimed total against the sum of the claimed category scores."""
    total = ctx.model.total
    if total is None or total.value is None:
        return
    # A category line that is not the sum of its rows is T003's: the rows' sum stands in for it here, so one
    # wrong line is one finding, not a second one on the total.
    tol = ctx.profile.sum_tolerance
    with_rows = {s.category for s in ctx.card.indicators} | {BUDGET_CATEGORY}
    parts = [c.claimed_rows if c.name in with_rows and abs(c.claimed - c.claimed_rows) > tol else c.claimed
             for c in ctx.card.categories if c.claimed is not None]
    if not parts:
        return
    arithmetic = round(sum(parts), 6)
    full = ctx.profile.total
    if ctx.card.weights_total > full + tol and arithmetic > full + tol and abs(total.value - full) <= tol:
        return  # weights over the full mark (T002) scored over it, the total capped at it: one cause, T002's
    if abs(total.value - arithmetic) > tol and abs(total.value - ctx.card.recomputed_total) > tol:
        # (a total that equals the recomputed one is right: the row findings explain the rest)
        # The advice is the recomputed total, so one round of corrections settles rows and total alike.
        advice = ctx.card.recomputed_total
        note = "" if abs(advice - arithmetic) <= tol else f"，按规则重算为 {advice:g}"
        yield Hit(total.loc, f"总分写 {total.value:g}，各类别得分之和为 {arithmetic:g}{note}", advice, total.value)
