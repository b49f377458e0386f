"""S009 三级指标没有分值，逐项的得分无法核对。

依据：一些地方的表式只在一级指标写分值（“产出指标（50分）”），或者根本不写分值，只填得分。这样的表逐项的得分上限、
多计分/少计分、定性档次都无从核对；一级指标得分是否超过其分值（T007）、总分是否等于各类别得分之和（T004）照常核对。
在此说明一次，而不是每行报一个“分值空白”。

反例：

    （不适用：本规则只作说明。）

正例：

    每个三级指标都写了分值的表，不出现本提示。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import ProblemKind
from jixiao.rules.registry import Context, Hit, problems, rule


@rule("S009", "unweighted-rows", Severity.INFO, "三级指标没有分值，逐项的得分无法核对",
    needs=(),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """Say once that a table's rows carry no 分值, and what is therefore not checked."""
    return problems(ctx, ProblemKind.NO_ROW_WEIGHTS)
