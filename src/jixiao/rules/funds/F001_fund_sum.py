"""F001 “其中”各行之和不等于年度资金总额。

依据：年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金，年初预算数、全年预算数、全年执行数各列分别成立。

反例::

    年度资金总额 0 / 0 / 0，而当年财政拨款 90 / 90 / 85。

正例::

    年度资金总额 90 / 90 / 85，当年财政拨款 90 / 90 / 85，其余为 0。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule

_COLUMNS = {"initial": "年初预算数", "budget": "全年预算数", "executed": "全年执行数"}


@rule("F001", "fund-sum", Severity.ERROR, "资金明细之和不等于年度资金总额")
def check(ctx: Context) -> Iterable[Hit]:
    """Per column, the sub-rows must add up to the total row."""
    funds = ctx.model.funds
    total = funds.get("total")
    subs = [row for key, row in funds.items() if key != "total"]
    if total is None or not subs:
        return
    for key, label in _COLUMNS.items():
        values = [getattr(row, key).value for row in subs]
        if all(v is None for v in values):
            continue
        expected = round(sum(v or 0.0 for v in values), 6)
        cell = getattr(total, key)
        actual = cell.value if cell.value is not None else 0.0
        if abs(actual - expected) > ctx.profile.amount_tolerance:
            yield Hit(cell.loc, f"{label}：年度资金总额 {actual:g} 不等于其中各行之和 {expected:g}", expected, actual)
