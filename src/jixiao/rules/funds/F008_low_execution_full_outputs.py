"""F008 预算执行率很低，产出指标却全部满分。

依据：产出靠资金完成；执行率很低（低于配置文件 scoring.low_execution，默认 60%）而产出指标全部达成满分，
往往是产出指标照抄计划数、没有如实填报。这是提示核实的警告，不改变得分。

反例：

    全年预算数 200 万元，全年执行数 21.5 万元（执行率 10.77%），产出指标 5 项全部满分。

正例：

    产出指标如实填写实际完成值；确因其他资金完成的，在偏差原因分析中说明。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule


@rule("F008", "low-execution-full-outputs", Severity.WARNING, "执行率很低而产出指标全部满分",
    needs=("funds", "indicators", "scores", "targets"),
    reads=("scoring.low_execution",))
def check(ctx: Context) -> Iterable[Hit]:
    """Execution rate below the profile's threshold while every 产出 indicator claims full marks."""
    rate = ctx.card.budget.rate
    total = ctx.model.funds.get("total")
    if rate is None or total is None or rate >= ctx.profile.low_execution:
        return
    outputs = [s for s in ctx.card.indicators if s.category == "产出指标" and s.weight]
    if outputs and all(s.claimed is not None and s.weight is not None and s.claimed >= s.weight for s in outputs):
        yield Hit(total.executed.loc, f"预算执行率仅 {rate:.2%}，而 {len(outputs)} 项产出指标全部满分，请核实产出指标是否如实填报",
                  f"执行率 ≥ {ctx.profile.low_execution:.0%}，或产出如实填报", round(rate * 100, 2))
