"""I002 三级指标名称重复。

依据：同一项目中同名三级指标会被重复计分，或说明复制时忘记修改。

反例：

    “天网点位” 出现两行。

正例：

    每个三级指标名称唯一，如 “天网点位（新建）” 与 “天网点位（改造）”。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule


@rule("I002", "duplicate-name", Severity.WARNING, "三级指标名称重复",
    needs=("indicators",),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """A 三级 name that appears a second time (reported at the repeat)."""
    first: dict[str, str] = {}
    for ind in ctx.model.indicators:
        key = ind.name.norm
        if not key or ind.name.qty.kind in ("blank", "placeholder"):
            continue
        if key in first:
            yield Hit(ind.name.loc, f"三级指标“{ind.name.text}”与 {first[key]} 重复", None, ind.name.text)
        else:
            first[key] = str(ind.name.loc.cell)
