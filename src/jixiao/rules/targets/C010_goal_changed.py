"""C010 年度总体目标与批复的年度目标不同。

依据：自评对照批复的年度目标说明完成情况。预期目标的写法与批复不同的，列出两段文字供核对（提示，不计入问题）。

反例：

    批复“完成项目主体工程70%”，自评表的预期目标写“完成项目建设”。

正例：

    预期目标照批复的年度目标填写。
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from jixiao.findings import Severity
from jixiao.rules.registry import Context, Hit, rule
from jixiao.rules.targets import matched

_SPACE = re.compile(r"[\s,，.。;；、:：!！]+")


@rule("C010", "goal-changed", Severity.INFO, "年度总体目标与批复的年度目标不同",
    needs=(),
    reads=())
def check(ctx: Context) -> Iterable[Hit]:
    """The 预期目标 against the approved 年度目标 (both texts quoted)."""
    found = matched(ctx)
    mine = ctx.model.info.get("goal_expected")
    if found is None or mine is None or mine.blank:
        return
    approved = found[0].info.get("goal")
    if approved is None or approved.blank:
        return
    if _SPACE.sub("", mine.norm) != _SPACE.sub("", approved.norm):
        cell = found[0].where(approved.loc)
        yield Hit(mine.loc, f"预期目标“{mine.text}”与批复的年度目标“{approved.text}”（{cell}）不同", approved.text,
                  mine.text, cell)
