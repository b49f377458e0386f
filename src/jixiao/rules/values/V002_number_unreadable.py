"""V002 应填数字的单元格无法识别为数字。

依据：分值、得分、金额和执行率必须是数字才能加总和重算；写成文字的数字（“十五分左右”“见附件”）无法核对。

反例：

    得分 “满分”，全年执行数 “约两百万”。

正例：

    得分 15，全年执行数 233（允许 “15分”“1,228”“９８％” 这类写法）。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import Field
from jixiao.rules.registry import Context, Hit, rule

_FUND_LABELS = {"initial": "年初预算数", "budget": "全年预算数", "executed": "全年执行数", "weight": "分值",
                "rate": "执行率", "score": "得分"}


def _numeric_fields(ctx: Context) -> Iterable[tuple[str, Field]]:
    for fund in ctx.model.funds.values():
        for key, label in _FUND_LABELS.items():
            yield label, getattr(fund, key)
    weights = "row_weights" not in ctx.model.unusable  # a 分值 column of words throughout: S009 says so once
    for ind in ctx.model.indicators:
        if weights:
            yield "分值", ind.weight
        yield "得分", ind.score
    for claim in ctx.model.claims.values():
        yield "分值", claim.weight
        yield "得分", claim.score


@rule("V002", "number-unreadable", Severity.ERROR, "应填数字处无法识别为数字",
    needs=(),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """Scores, weights, amounts and rates that are not numbers."""
    for label, fld in _numeric_fields(ctx):
        if not fld.num.ok:
            yield Hit(fld.loc, f"{label}“{fld.text}”无法识别为数字，请填写数字", "数字", fld.text)
