"""R003 报告中没有找到的部分未核对。

依据：自评报告是叙述文字：指标可能写在表里，也可能写在句子里；没有指标表、没有写自评总分或资金预算数的，这些部分
无从核对。在此说明一次，而不是当作一张空着很多栏的自评表，报一串“未填写”。

反例：

    （不适用：本规则只作说明。）

正例：

    报告写明了指标表、资金和自评总分，不出现本提示。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import ProblemKind
from jixiao.rules.registry import Context, Hit, problems, rule


@rule("R003", "report-parts", Severity.INFO, "报告中没有找到的部分未核对",
    needs=(),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """Say once what a report does not state, and what is therefore not checked."""
    return problems(ctx, ProblemKind.REPORT_PARTS)
