"""R002 报告中同一个数字前后写得不一样。

依据：自评报告的资金、执行率在几处都会写到（项目基本情况、资金使用情况、投入指标）。同一个数字前后不一致，至少有一处
写错了：核对后统一。（总分与各部分得分之和不符由 T004 报告。）

反例：

    “项目年度资金总额233万元”，后文“年初预算数、全年预算数、全年执行数均为223万元”。

正例：

    各处写的是同一个数。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule


@rule("R002", "figure-restated", Severity.ERROR, "报告中同一个数字前后写得不一样",
    needs=(),
    reads=("scoring.amount_tolerance",))
def check(ctx: Context) -> Iterable[Hit]:
    """Each figure the report states more than once, against its first statement."""
    tol = ctx.profile.amount_tolerance
    for label, fields in ctx.model.statements.items():
        first = fields[0]
        for other in fields[1:]:
            a, b = first.value, other.value
            if a is not None and b is not None and abs(a - b) > tol and other.loc != first.loc:
                yield Hit(other.loc, f"{label}写 {other.text}，前文（{first.loc}）写 {first.text}",
                          first.text, other.text, str(first.loc))
