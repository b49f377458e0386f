"""T001 一级指标权重与评分口径不一致。

依据：财预〔2020〕10号：预算执行率 10 分、产出指标 50 分、效益指标 30 分、满意度指标 10 分；“如有特殊情况”可调整，但调整必须看得见。本规则把各一级指标下三级指标分值之和（预算执行率取年度资金总额行的分值）与配置文件 [weights] 比较。

反例：

    产出指标各三级指标分值合计 40、效益 30、满意度 20，无任何说明。

正例：

    产出 50、效益 30、满意度 10；地方口径不同的，用 --profile 指定当地配置。
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from jixiao.findings import Severity
from jixiao.model import Loc
from jixiao.profile import BUDGET_CATEGORY
from jixiao.rules.registry import Context, Hit, ends_early, rule

if TYPE_CHECKING:
    from jixiao.score.scorer import CategoryScore


def _anchor(ctx: Context, cat: CategoryScore) -> Loc:
    if cat.name == BUDGET_CATEGORY and "total" in ctx.model.funds:
        return ctx.model.funds["total"].weight.loc
    if cat.claim is not None:
        return cat.claim.weight.loc
    first = next((ind for ind in ctx.model.indicators
                  if ctx.profile.canonical_level1(ind.level1.label) == cat.name), None)
    return first.weight.loc if first else ctx.model.anchor("weights")


@rule("T001", "category-weight", Severity.WARNING, "一级指标权重与评分口径不一致",
    needs=("indicators", "scores", "weights"),
    reads=("[level1_aliases]", "[level2]", "[level2_aliases]", "[weights]", "scoring.decimals",
           "scoring.sum_tolerance"))
def check(ctx: Context) -> Iterable[Hit]:
    """Each first-level weight (sum of its rows' 分值) against the profile's weight."""
    cut_in = ends_early(ctx)  # the 一级 the table stops in (S012)
    for cat in ctx.card.categories:
        if cat.profile_weight is None or cat.weight is None:
            continue
        if cat.name == cut_in and cat.weight < cat.profile_weight:
            continue  # its other rows are not in the table
        tol = ctx.profile.sum_tolerance
        if cat.weight_home is not None and abs(cat.weight_home - cat.profile_weight) <= tol:
            continue  # a row filed under the wrong 一级 (I001) is the whole difference
        if abs(cat.weight - cat.profile_weight) > tol:
            yield Hit(_anchor(ctx, cat),
                      f"{cat.name}分值合计 {cat.weight:g}，评分口径规定为 {cat.profile_weight:g}，调整须有说明",
                      cat.profile_weight, cat.weight)
