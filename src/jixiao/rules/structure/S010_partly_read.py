"""S010 本表只读出了一部分。

依据：各地的自评表版式不一，残缺的也有（网页上只贴了半张表，或单位只填了一半）。能读出的部分（项目信息、项目资金、
绩效指标）照常检查；读不出的部分在此说明一次——读出了什么、没有读出什么、因此哪些规则没有运行——而不是把整张表当作
无法读取，也不是对读不出的部分每项报一个“缺少”。

反例：

    一张表有项目资金部分，却找不到“一级指标”“二级指标”“三级指标”所在的绩效指标表头。

正例：

    项目资金与绩效指标两部分都读出的表，不出现本提示。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import ProblemKind
from jixiao.rules.registry import Context, Hit, problems, rule


@rule("S010", "partly-read", Severity.WARNING, "本表只读出了一部分，其余部分未检查",
    needs=(),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """What the importer read of a form read only in part, and what it did not (once)."""
    yield from problems(ctx, ProblemKind.PARTIAL)
