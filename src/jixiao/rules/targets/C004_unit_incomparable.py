"""C004 指标值的单位与批复的不同，无法比较。

依据：指标值与批复比较前先统一单位（万元与元、天与个月、公里与米……）。单位换算不过来的（“个”与“人”、“户”与“亩”），
看不出目标有没有改动：请照批复的单位填写。

反例：

    批复“≥230人”，自评表写“≥230个”。

正例：

    单位与批复一致，或可以换算（250万 与 2,500,000元）。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule
from jixiao.rules.targets import pairs_of


@rule("C004", "unit-incomparable", Severity.WARNING, "指标值的单位与批复的不同，无法比较",
    needs=("indicators", "targets"),
    reads=("scoring.rename_similarity",))
def check(ctx: Context) -> Iterable[Hit]:
    """Units that cannot be converted into each other."""
    for approval, p in pairs_of(ctx, "same", "moved", "renamed"):
        if p.change != "unit" or p.mine is None or p.approved is None:
            continue
        cell = approval.where(p.approved.target.loc)
        yield Hit(p.mine.target.loc, f"“{p.mine.name.text}”年度指标值写 {p.mine.target.text}，批复为 {p.approved.target.text}"
                  f"（{cell}）：单位不同，无法与批复比较", p.approved.target.text, p.mine.target.text, cell)
