"""S012 表格在中途结束，不完整。

依据：打分的自评表以总分行结束。表在最后一个指标行之后就没有了（没有总分行，也没有说明、签章），分值合计又不足满分，
而且评分口径的一级指标有整类不在表中（或表在其中结束的一级指标，标签上印的分值比它各行之和多；表头之后一个指标都没有的
也算），说明表不完整：网页上只贴了半张表，或提交时删掉了后面的行。缺的部分无从检查：这里说一次，而不是把它的后果——
没有总分、分值合计不足、最后一个一级指标的分值不足——各报一次。表中有的部分照常检查。

反例：

    表格到“效益指标”的第一行就结束了，没有满意度指标，也没有总分行，分值合计 60。

正例：

    指标之后是总分行。各一级指标都在、分值合计够 100、只是没有总分行的，是完整的表，由 S003 报“没有总分”；
    各一级都在而分值不足的，也按完整的表由 T002、T001 核对分值。
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
