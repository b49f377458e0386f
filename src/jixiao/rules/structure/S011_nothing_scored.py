"""S011 表中一项得分都没有填写。

依据：自评表要对每个指标、预算执行和总分打分（财预〔2020〕10号）。有“得分”栏、却一项得分都没有填的表（各指标、预算执行、
总分都空着：尚未评分就报来了，或得分只写在自评报告里），是一个原因，只说一次；多计分、少计分、类别得分与总分、等级这些
要用得分的规则不运行，分值、资金、各指标是否达成照常检查——不再分别报预算执行得分、各指标得分、总分未填和
“各类别得分之和为 0”。

反例：

    官方格式的表，各指标的“得分”、年度资金总额行的“得分”和“总分”都空着。

正例：

    填了得分的表（哪怕只填了一部分：空着的那些由 I013、S003 逐项指出）。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import ProblemKind
from jixiao.rules.registry import Context, Hit, problems, rule


@rule("S011", "nothing-scored", Severity.ERROR, "表中一项得分都没有填写",
    needs=(),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """A form with 得分 columns and no score in any of them, said once (labels.unscored)."""
    yield from problems(ctx, ProblemKind.UNSCORED)
