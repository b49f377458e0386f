"""F001 “其中”各行之和不等于年度资金总额。

依据：年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金，年初预算数、全年预算数、全年执行数各列分别成立。

反例：

    年度资金总额 0 / 0 / 0，而当年财政拨款 90 / 90 / 85。

正例：

    年度资金总额 90 / 90 / 85，当年财政拨款 90 / 90 / 85，其余为 0。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule

_COLUMNS = {"initial": "年初预算数", "budget": "全年预算数", "executed": "全年执行数"}


@rule("F001", "fund-sum", Severity.ERROR, "资金明细之和不等于年度资金总额",
    needs=("funds",),
    reads=("scoring.amount_tolerance",))
def check(ctx: Context) -> Iterable[Hit]:
    """Per column, the sub-rows must add up to the total row; a total row left empty (or all 0) while the
    sub-rows hold amounts is one mistake, said once at the row."""
    funds = ctx.model.funds
    total = funds.get("total")
    subs = [row for key, row in funds.items() if key != "total"]
    if total is None or not subs:
        return
    sums: dict[str, float] = {}
    for key in _COLUMNS:
        values = [getattr(row, key).value for row in subs]
        if any(v is not None for v in values):
            sums[key] = round(sum(v or 0.0 for v in values), 6)
    tol = ctx.profile.amount_tolerance
    if total_left_empty(ctx) and any(abs(v) > tol for v in sums.values()):
        shown = " / ".join(f"{_COLUMNS[k]} {v:g}" for k, v in sums.items())
        yield Hit(total.label.loc, f"年度资金总额行的金额空白或为 0，而其中各行之和为 {shown}：请按各行之和填写",
                  " / ".join(f"{v:g}" for v in sums.values()), 0)
        return
    for key, expected in sums.items():
        cell = getattr(total, key)
        actual = cell.value if cell.value is not None else 0.0
        if abs(actual - expected) > tol:
            yield Hit(cell.loc, f"{_COLUMNS[key]}：年度资金总额 {actual:g} 不等于其中各行之和 {expected:g}",
                      expected, actual)


def total_left_empty(ctx: Context) -> bool:
    """The total row's amounts are all blank or 0 (F007 leaves such a row to this rule)."""
    total = ctx.model.funds.get("total")
    return total is not None and all(not getattr(total, k).value for k in _COLUMNS)
