"""S006 绩效指标表中没有任何指标。

依据：自评的核心是逐个三级指标对照年度指标值打分；一个指标都没有填，得分与等级无从核对。

反例：

    下载模板后只填了基本信息和项目资金，绩效指标表空着。

正例：

    每个三级指标一行，填好一级、二级、三级指标、年度指标值、实际完成值、分值和得分。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import ProblemKind
from jixiao.rules.registry import Context, Hit, ends_early, rule


@rule("S006", "no-indicators", Severity.ERROR, "绩效指标表中没有任何指标",
    needs=("indicators",),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """The indicator sheet exists but holds no indicator row."""
    anchor = ctx.model.anchor("indicators")
    said = ctx.model.has_problem(ProblemKind.MISSING_SHEET, anchor.sheet) or \
        ctx.model.has_problem(ProblemKind.REPORT_PARTS) or \
        ends_early(ctx) is not None  # a report without an indicator table (R003), a table cut (S012)
    if not said and not ctx.model.indicators:
        yield Hit(anchor, "绩效指标表中没有任何指标，请逐个填写三级指标", "至少一个指标", 0)
