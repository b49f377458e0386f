"""I014 一级指标不是规范名称，已按其下的二级指标读作规范的一级指标。

依据：各地表式的一级指标写法不一（“项目完成指标”“产出目标”），但其下的二级指标（数量、质量、时效、成本指标……）只属于
一个规范的一级指标（配置文件 [level2]）。这样的一级指标按其二级指标读，权重、加总照常核对；在此说明一次，提醒按规范名称
填写，而不是每行报一个“一级指标不规范”。其下的二级指标分属不同一级、或都不认识的，仍报 I001。

反例：

    一级指标写“项目完成指标”，其下是数量指标、质量指标、时效指标、成本指标。

正例：

    一级指标写“产出指标”。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.model import ProblemKind
from jixiao.rules.registry import Context, Hit, problems, rule


@rule("I014", "level1-read-as", Severity.INFO, "一级指标按其二级指标读作规范名称",
    needs=("indicators",),
    reads=("[level1_aliases]", "[level2]", "[level2_aliases]"))
def check(ctx: Context) -> Iterable[Hit]:
    """Each 一级 read from its 二级 (forms.settle_levels), once."""
    yield from problems(ctx, ProblemKind.LEVEL1_READ_AS)
