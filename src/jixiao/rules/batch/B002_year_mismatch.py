"""B002 自评年度与本次检查的年度不符。

依据：一次收集的自评表应属于同一预算年度；把去年的表改个名字交上来，或年度填错，都会在汇总时混入错误的数据。
用 ``jixiao check 文件夹 --year 2025`` 指定年度时检查。

反例：

    收集 2025 年度自评表，某份表的年度写 2024（或空着）。

正例：

    年度写 2025。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import Loc
from jixiao.rules.registry import BatchContext, Hit, batch_rule
from jixiao.values import parse_number


@batch_rule("B002", "year-mismatch", Severity.ERROR, "年度与本次检查的年度不符",
    needs=(),
    reads=())
def check(ctx: BatchContext) -> Iterable[tuple[int, Hit]]:
    """Each readable workbook's 年度 against ``--year``."""
    if ctx.year is None:
        return
    for i, result in enumerate(ctx.results):
        if result.status == "unreadable":
            continue
        text = result.project.get("year", "")
        year = parse_number(text.removesuffix("年度").removesuffix("年")).value
        if year != ctx.year:
            sheet, cell = result.anchors["year"]
            yield i, Hit(Loc(sheet, cell), f"年度写“{text}”，本次检查的是 {ctx.year} 年度", ctx.year, text or None)
