"""I006 定量指标得分低于按规则计算的得分（少计分）。

依据：完成指标值的定量指标应得满分，未完成的按比例计分；扣分多于规则又没有说明的，评价结果不可复核。

反例：

    天网点位 指标值 963 个，实际 963 个，分值 15，得分 13。

正例：

    得分 15；确需扣分的，在偏差原因分析中写明依据。
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.findings import Severity
from jixiao.profile import Profile
from jixiao.rules.registry import TableCheck, table_rule

if TYPE_CHECKING:  # pandas is only needed where the table checks run (the workers)
    import pandas as pd


def _passes(frame: pd.DataFrame, profile: Profile) -> pd.Series:
    return ~(frame["score"] < frame["rule_score"] - profile.score_tolerance)


RULE = table_rule(
    "I006", "under-scored", Severity.WARNING, "定量指标少计分",
    TableCheck("indicators", "score", _passes,
               "“{name}”指标值 {target_text}，实际 {actual_text}，按规则应得 {rule_score} 分，自评只计 {score} 分",
               expected="rule_score", actual="score"),
    __name__,
    needs=("indicators", "row_weights", "scores", "targets", "weights"),
    reads=("scoring.decimals", "scoring.equal_tolerance", "scoring.fraction_max", "scoring.score_tolerance"))
