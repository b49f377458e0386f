"""S001 缺少工作表。

依据：标准模板由“基本信息”“项目资金”“绩效指标”“得分汇总”四张表组成，缺任何一张都无法完整核对得分。

反例：

    工作簿只有“基本信息”“绩效指标”，删掉了“项目资金”。

正例：

    四张工作表齐全，名称与模板一致（前后空格、全角括号不影响识别）。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import ProblemKind
from jixiao.rules.registry import Context, Hit, problems, rule


@rule("S001", "missing-sheet", Severity.ERROR, "缺少模板规定的工作表",
    needs=(),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """Missing sheets, as the parser found them."""
    return problems(ctx, ProblemKind.MISSING_SHEET)
