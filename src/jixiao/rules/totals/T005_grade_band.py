"""T005 自评等级与自评总分不符（或等级写法无法识别）。

依据：财预〔2020〕10号：90（含）–100 分为优，80（含）–90 分为良，60（含）–80 分为中，60 分以下为差。接受 优秀/良好/中等/合格/较差/不合格 等写法（配置文件 [[grades]]）。

反例：

    总分 88，等级 “优秀”。

正例：

    总分 88，等级 “良”。
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule


@rule("T005", "grade-band", Severity.ERROR, "自评等级与总分不符",
    needs=("scores",),
    reads=("[[grades]]",))
def check(ctx: Context) -> Iterable[Hit]:
    """The written grade must be a known grade word and match the claimed total's band."""
    grade = ctx.model.info.get("grade")
    card = ctx.card
    if grade is None or grade.blank:
        return
    if card.claimed_grade is None:
        names = "、".join(g.name for g in ctx.profile.grades)
        yield Hit(grade.loc, f"自评等级“{grade.text}”无法识别，应为 {names} 之一", names, grade.text)
        return
    if card.claimed_total is None:
        return
    band = ctx.profile.grade_for(card.claimed_total)
    if band != card.claimed_grade:
        yield Hit(grade.loc, f"自评总分 {card.claimed_total:g} 对应等级“{band}”，自评写“{grade.text}”", band,
                  card.claimed_grade)
