"""T003 类别分值或得分不等于其明细之和。

依据：一级指标的分值、得分是其下三级指标分值、得分之和；预算执行率的得分即年度资金总额行的得分。

反例：

    效益指标三个三级指标得分 0 + 15 + 14 = 29，得分汇总写 30。

正例：

    得分汇总写 29。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.profile import BUDGET_CATEGORY
from jixiao.rules.registry import Context, Hit, rule


@rule("T003", "category-sum", Severity.ERROR, "类别分值或得分不等于明细之和",
    needs=("indicators", "scores", "targets"),
    reads=("[level2]", "[level2_aliases]", "[weights]", "scoring.decimals", "scoring.sum_tolerance"))
def check(ctx: Context) -> Iterable[Hit]:
    """Each claimed category line of 得分汇总 against the sum of its rows."""
    tol = ctx.profile.sum_tolerance
    for cat in ctx.card.categories:
        claim = cat.claim
        if claim is None:
            continue
        rows_weight = cat.weight
        written = claim.weight.value
        if rows_weight is not None and written is not None and abs(written - rows_weight) > tol \
                and not (cat.weight_home is not None and abs(written - cat.weight_home) <= tol):
            yield Hit(claim.weight.loc, f"{cat.name}分值写 {written:g}，明细之和为 {rows_weight:g}",
                      round(rows_weight, 6), written)
        has_rows = cat.name == BUDGET_CATEGORY or any(s.category == cat.name for s in ctx.card.indicators)
        score = claim.score.value
        explained = abs(score - cat.recomputed) <= tol if score is not None else False  # the row findings say it
        if has_rows and score is not None and abs(score - cat.claimed_rows) > tol and not explained \
                and not (cat.name != BUDGET_CATEGORY and abs(score - cat.claimed_home) <= tol
                         and cat.weight_home is not None):
            # The advice is the recomputed sum: fixing the rows and this line is then one round, not two.
            source = "年度资金总额行得分" if cat.name == BUDGET_CATEGORY else "各三级指标得分之和"
            advice = cat.recomputed
            note = "" if abs(advice - cat.claimed_rows) <= tol else f"，按规则重算为 {advice:g}"
            yield Hit(claim.score.loc, f"{cat.name}得分写 {score:g}，{source}为 {cat.claimed_rows:g}{note}",
                      round(advice, 6), score)
