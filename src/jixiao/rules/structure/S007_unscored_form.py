"""S007 本表没有分值、得分栏，得分类规则不适用。

依据：转移支付、专项资金等表式只列年度指标值和实际完成值，不打分。这类表照样检查资金加总、执行率、
指标完成情况、单位和偏差说明；得分、总分、等级类规则（分值、多计分、少计分、加总、等级）不适用，在此说明一次，
而不是每行报一个“得分空白”。（有“得分”栏、却一项得分都没有填的表是 S011。）

反例：

    （不适用：本规则只作说明。）

正例：

    绩效指标表头有“分值”“得分”两栏的表，不出现本提示。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import ProblemKind
from jixiao.rules.registry import Context, Hit, rule


@rule("S007", "unscored-form", Severity.INFO, "本表没有分值、得分栏，得分类规则不适用",
    needs=(),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """Say once that the scoring rules do not apply to a form without 分值/得分 columns."""
    if not ctx.model.scored and not ctx.model.has_problem(ProblemKind.REPORT_PARTS):  # a report: R003 says it
        yield Hit(ctx.model.anchor("indicators"),
                  "本表没有“分值”“得分”栏（转移支付等表式）：得分、总分、等级类规则不适用，其余规则照常检查")

