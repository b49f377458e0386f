"""I004 得分或分值为负数。

依据：指标得分在 0 与分值之间，不得为负；分值也不得为负。

反例::

    得分 -2。

正例::

    未完成的指标最低得 0 分。
"""

from __future__ import annotations

import pandas as pd

from jixiao.findings import Severity
from jixiao.profile import Profile
from jixiao.rules.registry import TableCheck, table_rule


def _passes(frame: pd.DataFrame, profile: Profile) -> pd.Series:
    return ~((frame["score"] < 0) | (frame["weight"] < 0))


RULE = table_rule(
    "I004", "negative-score", Severity.ERROR, "得分或分值为负数",
    TableCheck("indicators", "score", _passes, "“{name}”分值 {weight}、得分 {score}：不得为负数",
               expected=None, actual="score"),
    __name__)
