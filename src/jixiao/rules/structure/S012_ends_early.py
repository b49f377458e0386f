"""S012 表格在中途结束，不完整。

依据：打分的自评表以总分行结束；表在最后一个指标行之后就没有了（没有总分行，也没有说明、签章），评分口径的一级指标
又有整类不在表中的，说明表不完整：
网页上只贴了半张表，或提交时删掉了后面的行。缺的部分无从检查：这里说一次，而不是把它的后果——没有总分、分值合计
不足 100、最后一个一级指标的分值不足——各报一次。表中有的部分照常检查。

反例：

    表格到“效益指标”的第一行就结束了，没有满意度指标，也没有总分行。

正例：

    指标之后是总分行（打分的表）。各一级指标都在、只是没有总分行的表是完整的，由 S003 报“没有总分”。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import ProblemKind
from jixiao.rules.registry import Context, Hit, ends_early, problems, rule


@rule("S012", "ends-early", Severity.ERROR, "表格在中途结束，不完整",
    needs=(),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """A scored table that stops after its indicator rows, without its 总分 and some 一级 (once)."""
    if ends_early(ctx) is not None:
        yield from problems(ctx, ProblemKind.ENDS_EARLY)
