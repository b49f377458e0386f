"""S004 模板版本缺失或无法识别。

依据：jixiao 按模板版本确定表格结构；版本不明的表格可能来自旧模板或被改动，检查结果需人工复核。

反例：

    “模板版本”一栏被删掉，或写成 “2019版”。

正例：

    保留模板自带的版本号，如 JX-2025.1。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import ProblemKind
from jixiao.rules.registry import Context, Hit, problems, rule


@rule("S004", "template-version", Severity.WARNING, "模板版本缺失或无法识别",
    needs=(),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """Unknown or missing template version, as the parser found it."""
    return problems(ctx, ProblemKind.TEMPLATE_VERSION)
