"""C007 指标填在与批复不同的一级/二级指标下。

依据：指标归在哪个一级、二级指标下，决定了它计入哪一类的分值。挪了位置的指标，类别得分就与批复的结构不一致。

反例：

    批复“项目验收合格率”在 产出指标/质量指标 下，自评表填在 效益指标/社会效益指标 下。

正例：

    与批复的位置一致。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule
from jixiao.rules.targets import pairs_of


@rule("C007", "indicator-moved", Severity.WARNING, "指标填在与批复不同的一级/二级指标下",
    needs=("indicators",),
    reads=("scoring.rename_similarity",))
def check(ctx: Context) -> Iterable[Hit]:
    """The same indicator under another 一级/二级 than approved."""
    for approval, p in pairs_of(ctx, "moved"):
        if p.mine is None or p.approved is None:
            continue
        was = f"{p.approved.level1.label}/{p.approved.level2.label}"
        now = f"{p.mine.level1.label}/{p.mine.level2.label}"
        cell = approval.where(p.approved.level2.loc)
        yield Hit(p.mine.level2.loc, f"“{p.mine.name.text}”批复在 {was} 下（{cell}），自评表填在 {now} 下", was, now, cell)
