"""I003 得分高于分值。

依据：财预〔2020〕10号：各指标得分不得超过该指标分值。

反例：

    分值 10，得分 12。

正例：

    分值 10，得分不超过 10。
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.findings import Severity
from jixiao.profile import Profile
from jixiao.rules.registry import TableCheck, table_rule

if TYPE_CHECKING:  # pandas is only needed where the table checks run (the workers)
    import pandas as pd


def _passes(frame: pd.DataFrame, profile: Profile) -> pd.Series:
    return ~(frame["score"] > frame["weight"] + 1e-9)


RULE = table_rule(
    "I003", "score-above-weight", Severity.ERROR, "得分高于分值",
    TableCheck("indicators", "score", _passes, "“{name}”得分 {score} 高于分值 {weight}",
               expected="weight", actual="score"),
    __name__)
