"""S002 缺少必需的列。

依据：列按表头文字识别而非位置；表头文字被改动或删除的列无法读取，对应检查全部落空。

反例：

    “绩效指标”表把“实际完成值”改成“完成”。

正例：

    表头保持模板文字（可调整列的顺序）。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import ProblemKind
from jixiao.rules.registry import Context, Hit, problems, rule


@rule("S002", "missing-column", Severity.ERROR, "缺少模板规定的列",
    needs=(),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """Missing columns, as the parser found them."""
    return problems(ctx, ProblemKind.MISSING_COLUMN)
