"""F006 预算执行得分低于“执行率×分值”。

依据：预算执行率得分 = 执行率 × 分值；少计得分同样说明计算有误（少计为警告，多计为错误）。

反例：

    执行率 100%，预算执行得分 8。

正例：

    执行率 100%，得分 10。
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.findings import Severity
from jixiao.profile import Profile
from jixiao.rules.registry import TableCheck, table_rule

if TYPE_CHECKING:  # pandas is only needed where the table checks run (the workers)
    import pandas as pd


def _passes(frame: pd.DataFrame, profile: Profile) -> pd.Series:
    return ~(frame["is_total"] & (frame["score"] < frame["rule_score"] - profile.score_tolerance))


RULE = table_rule(
    "F006", "budget-under-scored", Severity.WARNING, "预算执行得分低于规则得分",
    TableCheck("funds", "score", _passes,
               "预算执行得分 {score} 低于规则得分 {rule_score}（执行率 {rate_computed_pct}% × 分值）",
               expected="rule_score", actual="score"),
    __name__,
    needs=("budget_score", "funds"),
    reads=("[weights]", "scoring.budget_rate_cap", "scoring.budget_weight_max", "scoring.decimals",
           "scoring.score_tolerance"))
