"""V004 公式没有计算结果。

依据：由程序生成、从未在 Excel/WPS 中打开保存的工作簿，公式单元格里没有保存计算结果，读出来是空的。
把它当作空白会误判（例如“总分空白”）。简单的四则运算和 SUM 求和由 jixiao 按公式算出，其余的在此报告。

反例：

    得分汇总的总分单元格是 “=VLOOKUP(A6,其他表!A:B,2,0)”，文件从未在 Excel 中打开保存。

正例：

    在 Excel/WPS 中打开并保存后提交（保存时会写入计算结果），或直接填写数字。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import ProblemKind
from jixiao.rules.registry import Context, Hit, problems, rule


@rule("V004", "formula-uncomputed", Severity.WARNING, "公式没有计算结果",
    needs=(),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """Formulas without a cached value that jixiao could not recompute, as the reader found them."""
    return problems(ctx, ProblemKind.FORMULA_UNCOMPUTED)
