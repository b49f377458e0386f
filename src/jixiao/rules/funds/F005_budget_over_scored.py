"""F005 预算执行得分高于“执行率×分值”。

依据：预算执行率得分 = 执行率 × 分值（一般 10 分），执行率超过 100% 的按 100% 计，不得高于分值。

反例：

    执行率 83.5%，预算执行得分 10。

正例：

    执行率 83.5%，得分 8.35。
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.findings import Severity
from jixiao.profile import Profile
from jixiao.rules.registry import TableCheck, table_rule

if TYPE_CHECKING:  # pandas is only needed where the table checks run (the workers)
    import pandas as pd


def _passes(frame: pd.DataFrame, profile: Profile) -> pd.Series:
    return ~(frame["is_total"] & (frame["score"] > frame["rule_score"] + profile.score_tolerance))


RULE = table_rule(
    "F005", "budget-over-scored", Severity.ERROR, "预算执行得分高于规则得分",
    TableCheck("funds", "score", _passes,
               "预算执行得分 {score} 高于规则得分 {rule_score}（执行率 {rate_computed_pct}% × 分值）",
               expected="rule_score", actual="score"),
    __name__,
    needs=("budget_score", "funds"),
    reads=("[weights]", "scoring.budget_rate_cap", "scoring.budget_weight_max", "scoring.decimals",
           "scoring.score_tolerance"))
