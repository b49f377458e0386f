"""I001 二级指标不属于所填的一级指标（或一级指标不规范）。

依据：财预〔2020〕10号附件的指标体系（比较前去掉“（10分）”之类的注释和末尾的“等”，“生态效益”“服务对象满意度”
这样不带“指标”二字的写法和配置文件 [level2_aliases] 中的写法都认）：产出指标下为数量、质量、时效、成本指标；效益指标下为经济、社会、生态（环境）效益和可持续影响指标；满意度指标下为服务对象满意度指标。各地口径在配置文件 [level2] 中设置。

反例::

    一级指标 “效益指标”，二级指标 “数量指标”。

正例::

    一级指标 “产出指标”，二级指标 “数量指标”。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule


@rule("I001", "level2-illegal", Severity.ERROR, "二级指标与一级指标不匹配")
def check(ctx: Context) -> Iterable[Hit]:
    """Each 二级 must be legal under its 一级 per the profile; each 一级 must be known. (A label merged over
    several rows has one cell, so its finding is the same for each row: the runner keeps one.)"""
    legal = ctx.profile.level2
    for ind in ctx.model.indicators:
        level1 = ctx.profile.canonical_level1(ind.level1.label)
        level2 = ctx.profile.canonical_level2(ind.level2.label)
        if level1 not in legal:
            yield Hit(ind.level1.loc, f"一级指标“{ind.level1.text}”不是规范的一级指标", "、".join(legal),
                      ind.level1.text)
        elif level2 not in legal[level1]:
            yield Hit(ind.level2.loc, f"二级指标“{ind.level2.text}”不属于一级指标“{ind.level1.text}”",
                      "、".join(legal[level1]), ind.level2.text)
