"""I005 定量指标得分高于按规则计算的得分（多计分）。

依据：财预〔2020〕10号：定量指标完成指标值的得满分；未完成的，正向指标得 实际值÷指标值×分值，反向指标（成本、时长、差错等越小越好）得 指标值÷实际值×分值。

反例：

    后续运维到位率 指标值 100%，实际 98%，分值 15，得分 15（应为 14.7）。

正例：

    得分 14.7。
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.findings import Severity
from jixiao.profile import Profile
from jixiao.rules.registry import TableCheck, table_rule

if TYPE_CHECKING:  # pandas is only needed where the table checks run (the workers)
    import pandas as pd


def _passes(frame: pd.DataFrame, profile: Profile) -> pd.Series:
    return ~(frame["score"] > frame["rule_score"] + profile.score_tolerance)


RULE = table_rule(
    "I005", "over-scored", Severity.ERROR, "定量指标多计分",
    TableCheck("indicators", "score", _passes,
               "“{name}”指标值 {target_text}，实际 {actual_text}，按规则应得 {rule_score} 分，自评 {score} 分",
               expected="rule_score", actual="score"),
    __name__,
    needs=("indicators", "row_weights", "scores", "targets", "weights"),
    reads=("scoring.decimals", "scoring.equal_tolerance", "scoring.fraction_max", "scoring.score_tolerance"))
