"""I012 年度指标值或实际完成值为空，却计了分。

依据：没有指标值就无从判断是否完成，没有实际完成值就无从证明完成；这样的指标不能得分。

反例：

    年度指标值 “—”，实际完成值空白，分值 5，得分 5。

正例：

    补填指标值和实际完成值；确无此项任务的，分值与得分均为 0。
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.findings import Severity
from jixiao.profile import Profile
from jixiao.rules.registry import TableCheck, table_rule

if TYPE_CHECKING:  # pandas is only needed where the table checks run (the workers)
    import pandas as pd


def _passes(frame: pd.DataFrame, profile: Profile) -> pd.Series:
    empty = frame["target_kind"].isin(["blank", "placeholder"]) | frame["actual_kind"].isin(["blank", "placeholder"])
    # A 评价要点 row of a criteria 一级 (决策, 过程: [indicators] criteria) has no 年度指标值 by design, nor a row
    # whose values are on the rows below it (parts).
    return ~(empty & (frame["score"] > 0) & ~frame["status"].isin(["criteria", "parts"]))


RULE = table_rule(
    "I012", "scored-without-evidence", Severity.ERROR, "无指标值或完成值却计分",
    TableCheck("indicators", "score", _passes,
               "“{name}”缺少{missing_what}，无法判断是否完成，却计 {score} 分",
               expected=0, actual="score"),
    __name__,
    needs=("indicators", "scores", "targets"),
    reads=("scoring.equal_tolerance", "scoring.fraction_max"))
