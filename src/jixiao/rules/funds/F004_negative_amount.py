"""F004 资金金额为负数。

依据：预算数和执行数不可能为负；负数通常是录入错误或把差额填进了金额栏。

反例：

    上年结转资金 全年执行数 -5。

正例：

    无结转时填 0。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule

_COLUMNS = {"initial": "年初预算数", "budget": "全年预算数", "executed": "全年执行数"}


@rule("F004", "negative-amount", Severity.ERROR, "资金金额为负数",
    needs=("funds",),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """Any negative amount in the fund block."""
    for fund in ctx.model.funds.values():
        for key, label in _COLUMNS.items():
            fld = getattr(fund, key)
            if fld.value is not None and fld.value < 0:
                yield Hit(fld.loc, f"{fund.label.text}的{label}为负数 {fld.value:g}", 0, fld.value)
