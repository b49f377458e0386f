"""I013 指标的分值或得分空白。

依据：每个三级指标都要有分值和得分，才能加总为类别得分和总分。

反例：

    “群众满意度” 分值 10，得分空白。

正例：

    得分 10。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule


@rule("I013", "missing-score", Severity.ERROR, "指标分值或得分空白")
def check(ctx: Context) -> Iterable[Hit]:
    """Blank 分值 or 得分 on an indicator row (a number that is not a number is V002's)."""
    # A table whose rows carry no 分值 at all is said once (S009), not here once per row.
    weights = "row_weights" not in ctx.model.unusable
    for ind in ctx.model.indicators:
        for fld, label in ((ind.weight, "分值"), (ind.score, "得分")):
            if label == "分值" and not weights:
                continue
            if fld.num.blank and fld.formula is None:  # an uncomputed formula is V004's
                yield Hit(fld.loc, f"“{ind.name.text}”的{label}空白", "数字", None)
