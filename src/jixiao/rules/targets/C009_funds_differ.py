"""C009 资金与批复的金额不同。

依据：绩效目标随预算一并批复；自评表的年度资金总额（全年预算数）与批复金额不同、又没有调整批复（绩效目标调整审批表，
或导出表中标为“调整”的行）的，说明预算或目标调整没有按程序报批，或者填错了表。金额换算成万元比较。

反例：

    批复金额 854 万元，自评表全年预算数 954 万元，没有调整批复。

正例：

    全年预算数与批复金额（或调整后批复的金额）一致。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule
from jixiao.rules.targets import matched
from jixiao.values import AMOUNT_SCALE


@rule("C009", "funds-differ", Severity.WARNING, "资金与批复的金额不同",
    needs=("funds",),
    reads=("scoring.amount_tolerance",))
def check(ctx: Context) -> Iterable[Hit]:
    """The total row's 全年预算数 (else 年初预算数) against the approved amount, both in 万元."""
    found = matched(ctx)
    total = ctx.model.funds.get("total")
    if found is None or total is None:
        return
    approval = found[0]
    if approval.total is None or approval.total.value is None:
        return
    approved = approval.total.value
    to_wan = AMOUNT_SCALE.get(ctx.model.funds_unit, AMOUNT_SCALE["万元"]) / AMOUNT_SCALE["万元"]  # the form's unit → 万元
    for fld, label in ((total.budget, "全年预算数"), (total.initial, "年初预算数")):
        if fld.value is None:
            continue
        mine = fld.value * to_wan
        if abs(mine - approved) > ctx.profile.amount_tolerance:
            cell = approval.where(approval.total.loc)
            adjusted = "调整后批复的金额" if approval.adjusted else "批复金额"
            note = "" if approval.adjusted else "，未见调整批复"
            yield Hit(fld.loc, f"{label} {mine:g} 万元，{adjusted}为 {approved:g} 万元（{cell}）{note}",
                      round(approved, 6), round(mine, 6), cell)
        return  # one amount is compared: the year's (全年预算数) when written, else 年初预算数
