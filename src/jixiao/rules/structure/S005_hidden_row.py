"""S005 表中有被隐藏的行。

依据：财政局常在 Excel 里逐行看表，被隐藏的行看不见却照样参与合计和计分；多出来的指标、改过的资金行藏在隐藏行里，
人工核对时就会漏掉。jixiao 照常读取隐藏行，并在此提示。

反例：

    绩效指标第 9 行（一个得满分的指标）被隐藏。

正例：

    提交前取消所有隐藏行；不需要的行直接删除。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import ProblemKind
from jixiao.rules.registry import Context, Hit, problems, rule


@rule("S005", "hidden-row", Severity.WARNING, "表中有被隐藏的行",
    needs=(),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """Hidden rows holding data in the template's tables, as the reader found them."""
    return problems(ctx, ProblemKind.HIDDEN_ROW)
