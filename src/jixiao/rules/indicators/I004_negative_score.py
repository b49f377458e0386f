"""I004 得分或分值为负数。

依据：指标得分在 0 与分值之间，不得为负；分值也不得为负。

反例：

    得分 -2。

正例：

    未完成的指标最低得 0 分。
"""

from __future__ import annotations

from jixiao.findings import Severity
from jixiao.rules.registry import TableCheck, table_rule

RULE = table_rule(
    "I004", "negative-score", Severity.ERROR, "得分或分值为负数",
    # The range itself (0 ≤ 分值, 0 ≤ 得分) is declared on the typed indicator table: check/schemas.py.
    TableCheck("indicators", "score", None, "“{name}”分值 {weight}、得分 {score}：不得为负数",
               expected=None, actual="score"),
    __name__,
    needs=("indicators", "scores"),
    reads=())
