"""C003 指标的方向与批复的不同。

依据：批复的“≥”（越多越好）、“≤”（越少越好）、“=”决定了怎样才算达成、怎样计分。改了方向，同一个实际值的得分就变了。

反例：

    批复“人工成本 ≤620万/月”，自评表写“≥620万/月”。

正例：

    方向与批复一致。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule
from jixiao.rules.targets import pairs_of


@rule("C003", "direction-changed", Severity.WARNING, "指标的方向与批复的不同",
    needs=("indicators", "targets"),
    reads=("scoring.rename_similarity",))
def check(ctx: Context) -> Iterable[Hit]:
    """≥ turned into ≤ (or =) against the approved target."""
    for approval, p in pairs_of(ctx, "same", "moved", "renamed"):
        if p.change != "direction" or p.mine is None or p.approved is None:
            continue
        cell = approval.where(p.approved.target.loc)
        yield Hit(p.mine.target.loc, f"“{p.mine.name.text}”年度指标值写 {p.mine.target.text}，批复为 {p.approved.target.text}"
                  f"（{cell}）：比较方向（≥、≤、=）与批复的不同", p.approved.target.text, p.mine.target.text, cell)
