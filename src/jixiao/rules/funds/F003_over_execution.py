"""F003 全年执行数超过全年预算数（执行率超过 100%）。

依据：执行数不应超过预算数；超过说明金额填错，或有预算外支出需要说明。预算执行得分以 100% 封顶。

反例：

    全年预算数 100，全年执行数 120。

正例：

    全年执行数不超过全年预算数；确有追加的，先调整全年预算数。
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.findings import Severity
from jixiao.profile import Profile
from jixiao.rules.registry import TableCheck, table_rule

if TYPE_CHECKING:  # pandas is only needed where the table checks run (the workers)
    import pandas as pd


def _passes(frame: pd.DataFrame, profile: Profile) -> pd.Series:
    return ~(frame["executed"] > frame["budget"] + profile.amount_tolerance)


RULE = table_rule(
    "F003", "over-execution", Severity.WARNING, "执行数超过预算数",
    TableCheck("funds", "executed", _passes,
               "{label}：全年执行数 {executed} 超过全年预算数 {budget}，请核对金额或说明原因",
               expected="budget", actual="executed"),
    __name__,
    needs=("funds",),
    reads=("scoring.amount_tolerance",))
