"""T006 按规则重算后的等级低于自评等级。

依据：等级由总分决定；按财预〔2020〕10号规则重算总分后等级改变的，以重算结果为准。

反例：

    自评 90.5 分“优”，其中一项定量指标多计 1 分，重算 89.5 分，应为“良”。

正例：

    按规则计分，等级写“良”。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule


@rule("T006", "grade-after-rescore", Severity.ERROR, "重算后等级与自评等级不同",
    needs=("indicators", "scores", "targets"),
    reads=("[[grades]]", "[qualitative]", "[weights]", "scoring.budget_rate_cap", "scoring.decimals",
           "scoring.equal_tolerance", "scoring.fraction_max"))
def check(ctx: Context) -> Iterable[Hit]:
    """The recomputed grade against the claimed one (only where the claimed grade fits its own total)."""
    card, grade = ctx.card, ctx.model.info.get("grade")
    if grade is None or card.claimed_grade is None or card.claimed_total is None:
        return
    if ctx.profile.grade_for(card.claimed_total) != card.claimed_grade:
        return  # T005 already reports the grade
    if card.recomputed_grade != card.claimed_grade:
        yield Hit(grade.loc, f"按规则重算总分为 {card.recomputed_total:g}，等级应为“{card.recomputed_grade}”，"
                             f"自评为“{grade.text}”", card.recomputed_grade, card.claimed_grade)
