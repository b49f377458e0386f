"""F007 无法计算预算执行率。

依据：预算执行率 = 全年执行数 ÷ 全年预算数；年度资金总额行的全年预算数为空或为 0 时无法计算，预算执行得分无从核对。

反例：

    年度资金总额 全年预算数 空白（或 0），全年执行数 85。

正例：

    全年预算数 90，全年执行数 85。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.funds.F001_fund_sum import total_left_empty
from jixiao.rules.registry import Context, Hit, rule


@rule("F007", "no-budget", Severity.ERROR, "无法计算预算执行率",
    needs=("funds",),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """The total row must hold a positive 全年预算数 and a 全年执行数."""
    total = ctx.model.funds.get("total")
    if total is None:
        return
    if total_left_empty(ctx) and any(row.budget.value for key, row in ctx.model.funds.items() if key != "total"):
        return  # the total row was left empty while its sub-rows hold amounts: F001 says so, once
    if total.budget.value is None or total.budget.value <= 0:
        yield Hit(total.budget.loc, "年度资金总额的全年预算数为空或为 0，无法计算预算执行率", "大于 0 的金额",
                  total.budget.value)
    elif total.executed.value is None:
        yield Hit(total.executed.loc, "年度资金总额的全年执行数为空，无法计算预算执行率", "金额", None)
