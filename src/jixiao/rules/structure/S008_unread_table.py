"""S008 同一工作表中还有一张自评表，未检查。

依据：jixiao 每个工作表读一张官方格式的自评表（一个部门的多个项目，一个工作表一个）。同一工作表里第一张表的总分之后
又出现一张表（又有“三级指标”表头）时，第二张表没有被检查——在此报告，而不是悄悄略过。

反例：

    一个工作表里上下排着两个项目的自评表。

正例：

    每个项目的自评表放在单独的工作表中。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import ProblemKind
from jixiao.rules.registry import Context, Hit, problems, rule


@rule("S008", "unread-table", Severity.ERROR, "同一工作表中还有一张自评表，未检查",
    needs=(),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """A second table below the first on one sheet, as the importer found it."""
    return problems(ctx, ProblemKind.UNREAD_TABLE)
