"""I013 指标的分值或得分空白。

依据：每个三级指标都要有分值和得分，才能加总为类别得分和总分。一项得分也没有填的表（还没有打分），只在第一项报一次，
写明共几项。

反例：

    “群众满意度” 分值 10，得分空白。

正例：

    得分 10。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import Field
from jixiao.rules.registry import Context, Hit, rule


@rule("I013", "missing-score", Severity.ERROR, "指标分值或得分空白",
    needs=("indicators", "scores"),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """Blank 分值 or 得分 on an indicator row (a number that is not a number is V002's)."""
    # A table whose rows carry no 分值 at all is said once (S009), not here once per row.
    weights = "row_weights" not in ctx.model.unusable
    rows = ctx.model.indicators
    unscored = len(rows) > 1 and all(_blank(ind.score) for ind in rows)
    if unscored:  # no row scored at all: one cause (the table is not scored yet), said once
        yield Hit(rows[0].score.loc, f"各三级指标的得分都没有填写（共 {len(rows)} 项）：请逐项打分", "数字", None)
    for ind in rows:
        for fld, label in ((ind.weight, "分值"), (ind.score, "得分")):
            if (label == "分值" and not weights) or (label == "得分" and unscored):
                continue
            if _blank(fld):
                yield Hit(fld.loc, f"“{ind.name.text}”的{label}空白", "数字", None)


def _blank(fld: Field) -> bool:
    return fld.num.blank and fld.formula is None  # an uncomputed formula is V004's
