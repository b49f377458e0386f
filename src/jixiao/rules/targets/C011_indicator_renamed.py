"""C011 指标名称与批复的不同。

依据：同一个指标换了说法（“项目(工程)验收合格率”写成“工程验收合格率”），按相似的名称对上了批复的指标，提示一次，
其余比较照常进行；名称请照批复填写。

反例：

    批复“受益脱贫(监测)人口数”，自评表写“受益脱贫人口数”。

正例：

    名称与批复一致。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule
from jixiao.rules.targets import pairs_of


@rule("C011", "indicator-renamed", Severity.INFO, "指标名称与批复的不同",
    needs=("indicators",),
    reads=("scoring.rename_similarity",))
def check(ctx: Context) -> Iterable[Hit]:
    """An indicator matched to an approved one by a similar name."""
    for approval, p in pairs_of(ctx, "renamed"):
        if p.mine is None or p.approved is None:
            continue
        cell = approval.where(p.approved.name.loc)
        yield Hit(p.mine.name.loc, f"“{p.mine.name.text}”在批复中名为“{p.approved.name.text}”（{cell}），按同一指标对照",
                  p.approved.name.text, p.mine.name.text, cell)
